"""The plan as typed objects: what the loader produces and every later stage reads.

Each entity keeps `loc` (its file) and `locs` (the position of each of its keys), so that
validation after loading can still point at the line a user must change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from . import periods
from .diagnostics import Location


@dataclass
class Rules:
    at_risk: float = 0.9
    bottleneck: float = 0.9  # a funnel stage converting below this share of its planned rate is a bottleneck
    max_objectives: int = 5
    max_kpis_per_objective: int = 3
    budget_share: float = 0.5


@dataclass
class Settings:
    title: str
    period_start: dt.date
    period_end: dt.date
    organization: str | None = None
    language: str = "en"
    currency: str = "EUR"
    locale: str | None = None  # "fr-CA", "en-GB": money, numbers and dates (i18n.Formatter); None: the language's
    sector: str | None = None
    positioning: str | None = None
    vision: str | None = None
    base_url: str | None = None
    theme: str = "default"
    version_tags: str = "v*"
    rules: Rules = field(default_factory=Rules)
    loc: Location = field(default_factory=lambda: Location("strategy.yaml"))
    locs: dict[str, Location] = field(default_factory=dict)


@dataclass
class Entity:
    id: str
    loc: Location
    locs: dict[str, Location]

    def at(self, key: str) -> Location:
        """Where `key` was written, or the top of the file when it was not."""
        return self.locs.get(key, self.loc)


@dataclass
class KPI(Entity):
    title: str
    target: float
    objective: str
    unit: str | None = None
    baseline: float | None = None
    due: dt.date | None = None
    direction: str | None = None
    measure: str = "level"
    cadence: str = "monthly"
    data: str | None = None
    column: str = "value"
    sheet: str | None = None  # of a workbook (.xlsx): default the first
    csv: tuple[tuple[str, str], ...] = ()  # how its CSV is written, where reading cannot tell: (("decimal", ","),)
    source: str | None = None  # sources/NAME.yaml, where `strategy refresh` runs `query`
    query: str | None = None
    milestones: tuple[tuple[dt.date, float], ...] = ()  # dated interim values that shape the expected path


@dataclass
class Action(Entity):
    title: str
    owner: str | None = None
    due: dt.date | None = None
    status: str = "planned"
    kpis: list[str] = field(default_factory=list)


@dataclass
class Objective(Entity):
    title: str
    level: str = "marketing"
    department: str | None = None
    parent: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    personas: list[str] = field(default_factory=list)
    kpis: list[KPI] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    body: str = ""


@dataclass
class Stage(Entity):
    title: str
    rate: Fraction | None = None
    rate_written: str | float | int | None = None
    kpi: str | None = None
    cost: float | None = None


@dataclass
class Funnel(Entity):
    title: str
    goal: float
    due: dt.date | None = None
    main: bool = False  # shown at a glance on the dashboard (every funnel is, when none is marked)
    stages: list[Stage] = field(default_factory=list)
    body: str = ""


@dataclass
class Persona(Entity):
    name: str
    role: str | None = None
    goals: list[str] = field(default_factory=list)
    pains: list[str] = field(default_factory=list)
    traits: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    body: str = ""


@dataclass
class Experience(Entity):
    title: str
    personas: list[str] = field(default_factory=list)
    funnel: str | None = None
    stage: str | None = None
    channel: str | None = None
    moments: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    body: str = ""


@dataclass
class Solution(Entity):
    title: str
    category: str = "other"
    cost_amount: float | None = None
    cost_per: str | None = None
    department: str | None = None
    objectives: list[str] = field(default_factory=list)
    experiences: list[str] = field(default_factory=list)
    body: str = ""

    @property
    def yearly_cost(self) -> float:
        """Cost over a year: monthly × 12, yearly as is, one-off once."""
        if self.cost_amount is None:
            return 0.0
        return self.cost_amount * (12 if self.cost_per == "month" else 1)


@dataclass
class Page(Entity):
    title: str
    order: int = 0
    body: str = ""


# A KPI's measurements are immutable: the loader hands the same Series to every check while its CSV
# file is unchanged (see cache/parsed_files.py), instead of a copy per check.


@dataclass(frozen=True)
class Point:
    date: dt.date  # the first day of the period it stands for
    value: float
    line: int
    period: str = periods.DAY  # what the CSV row names: a day, a month (2026-11) or a quarter (2026-Q3)

    @property
    def end(self) -> dt.date:
        """The last day of the period it stands for."""
        return periods.end(self.date, self.period)


@dataclass(frozen=True)
class Series:
    """The measurements of one CSV column, sorted by date."""

    path: str
    column: str
    points: tuple[Point, ...] = ()


@dataclass
class UnreadFiles:
    """The files of the plan that could not be read (their errors are reported). Each entity is still known
    by its id, the file name, so that a reference to it is not a second error, nor its data file "unused"."""

    ids: dict[str, set[str]] = field(default_factory=dict)  # by folder: "objectives", "funnels", ...
    kpis: set[str] = field(default_factory=set)  # the KPI ids their lines seem to declare
    data: set[str] = field(default_factory=set)  # the data files those KPIs seem to use
    kpis_unknown: bool = False  # an objective file could not even be scanned: any KPI id may be its
    settings: bool = False  # strategy.yaml: the plan's rules (thresholds of the warnings) are unknown

    def of(self, kind: str) -> set[str]:
        return self.ids.get(kind, set())


@dataclass
class Plan:
    settings: Settings
    objectives: dict[str, Objective] = field(default_factory=dict)
    funnels: dict[str, Funnel] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    experiences: dict[str, Experience] = field(default_factory=dict)
    solutions: dict[str, Solution] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)  # by KPI id
    data_files: list[str] = field(default_factory=list)  # data/*.csv present in the folder
    assets: list[str] = field(default_factory=list)  # assets/** to copy as they are
    label: str = "content"
    unread: UnreadFiles = field(default_factory=UnreadFiles)

    @property
    def kpis(self) -> dict[str, KPI]:
        return {k.id: k for o in self.objectives.values() for k in o.kpis}
