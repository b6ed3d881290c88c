"""The chart layer: Vega-Lite specs, their data tables, languages, determinism and the offline bundle."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import check
from generator.plan.compute import PlanState, compute_kpi
from generator.plan.diagnostics import Location
from generator.plan.i18n import Formatter
from generator.plan.model import KPI, Plan, Point, Series, Settings
from generator.read.source import DirectorySource
from generator.site import charts, palette
from generator.site.charts import VersionTargets, progress, target_history_charts

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 6, 15)

PLAN_FILES = {
    "objectives/croissance.md": """\
        ---
        title: Plus de visites et de clients
        due: 2026-12-31
        kpis:
          - id: visites
            title: Visites du site par mois
            unit: visites
            baseline: 2000
            target: 15000
          - id: clients
            title: Nouveaux clients depuis janvier
            unit: clients
            baseline: 0
            target: 12
            measure: cumulative
          - id: satisfaction
            title: Clients satisfaits
            unit: "%"
            baseline: 40
            target: 60
        ---
        Corps.
        """,
    "objectives/depasse.md": """\
        ---
        title: Un objectif déjà dépassé
        kpis:
          - id: avis
            title: Avis publiés
            baseline: 0
            target: 10
        ---
        """,
    "objectives/recul.md": """\
        ---
        title: Un objectif qui recule
        kpis:
          - id: abonnes
            title: Abonnés
            baseline: 100
            target: 200
        ---
        """,
    "data/visites.csv": "date,value\n2026-01,2000\n2026-02,4200.5\n2026-03,6100\n2026-04,12000\n",
    "data/clients.csv": "date,value\n2026-01,1\n2026-02,0\n2026-03,2\n2026-04,1\n",
    "data/avis.csv": "date,value\n2026-05,15\n",
    "data/abonnes.csv": "date,value\n2026-01,100\n2026-05,80\n",
    "funnels/acquisition.yaml": """\
        title: Tunnel d'acquisition
        goal: 5
        stages:
          - id: visites
            title: Visites
            kpi: visites
          - id: rendez-vous
            title: Rendez-vous
            rate: "1/50"
          - id: clients
            title: Clients
            rate: 20%
            kpi: clients
        """,
    "solutions/crm.md": "---\ntitle: CRM\ncategory: saas\ncost: {amount: 100, per: month}\n---\n",
    "solutions/licence.md": "---\ntitle: Licence d'analyse\ncategory: saas\ncost: {amount: 600, per: year}\n---\n",
    "solutions/site.md": "---\ntitle: Refonte du site\ncategory: web\ncost: {amount: 2500, per: once}\n---\n",
}

EN_SETTINGS = "title: Test plan\nlanguage: en\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"

HISTORY = [  # what the history page charts: a KPI's target raised from v1 to v2, a KPI added in v2
    VersionTargets("v1", dt.date(2026, 1, 10), [["visites", "Visites (ancien)", 12000, "visites"]]),
    VersionTargets("v2", dt.date(2026, 3, 1),
                   [["visites", "Visites", 15000, "visites"], ["clients", "Clients", 12, None]]),
]


def _state(make_plan: Callable[..., Path], settings: str | None = None) -> PlanState:
    folder = make_plan(PLAN_FILES) if settings is None else make_plan(PLAN_FILES, settings=settings)
    result = check(DirectorySource(folder), TODAY)
    assert result.state is not None, [d.message for d in result.diagnostics.errors]
    return result.state


@pytest.fixture
def state(make_plan: Callable[..., Path]) -> PlanState:
    return _state(make_plan)


@pytest.fixture
def fr() -> Formatter:
    return Formatter("fr", "EUR")


@pytest.fixture
def drawn_by_altair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart shape drawn by Altair now: none remembered in memory, an empty chart cache on disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(charts.shapes, "_memo", {})


def _all_charts(state: PlanState, fmt: Formatter) -> list[charts.Chart]:
    built = [charts.kpi_chart(k, fmt) for k in state.kpis.values()]
    built += [charts.funnel_chart(f, fmt) for f in state.funnels.values()]
    built += [charts.progress_chart(state, fmt), charts.budget_chart(state, fmt),
              *target_history_charts(HISTORY, fmt)]
    return built


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The plotted rows; a dataset shared by two layers (a point and its label) counts once."""
    seen, rows = set(), []
    for layer in [spec, *spec.get("layer", [])]:
        values = layer.get("data", {}).get("values", [])
        key = json.dumps(values, sort_keys=True)
        if key not in seen:
            seen.add(key)
            rows += values
    return rows


def _series_colours(spec: dict[str, Any]) -> dict[str, str]:
    for layer in _layers(spec):
        colour = layer.get("encoding", {}).get("color", {})
        if "scale" in colour:
            return dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    return {}


# --- the specs are valid and themed ---------------------------------------------------------


@pytest.mark.usefixtures("drawn_by_altair")
def test_every_spec_validates_against_the_vega_lite_schema(state: PlanState, fr: Formatter) -> None:
    """Every chart the site can show is a valid Vega-Lite spec (validated here, not at build time)."""
    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    built = _all_charts(state, fr)
    # a plan without solutions still gets a (empty) budget chart
    empty = PlanState(plan=Plan(settings=state.plan.settings), today=TODAY, kpis={}, objectives={}, funnels={})
    built += [charts.budget_chart(empty, fr), charts.progress_chart(empty, fr)]
    assert len(built) == 12
    for chart in built:
        errors = [e.message for e in validator.iter_errors(chart.spec)]
        assert not errors, (chart.id, errors[:3])
        json.dumps(chart.spec, allow_nan=False)  # plain JSON, nothing a browser cannot parse


@pytest.mark.usefixtures("drawn_by_altair")
def test_specs_come_from_altair_under_the_registered_site_theme(state: PlanState, fr: Formatter) -> None:
    """The charts are Altair's: its Vega-Lite version (the one the pages' bundle draws) and the site
    theme, registered with Altair under its name and enabled, whose config every spec carries."""
    import altair

    built = _all_charts(state, fr)
    assert charts.THEME_NAME in altair.theme.names()
    assert altair.theme.active == charts.THEME_NAME
    with altair.theme.enable(charts.THEME_NAME):
        themed = altair.Chart().mark_point().to_dict(validate=False)
    for chart in built:
        assert chart.spec["$schema"] == altair.SCHEMA_URL
        assert chart.spec["config"] == themed["config"] == charts.theme()["config"]


def test_specs_carry_the_site_theme(state: PlanState, fr: Formatter) -> None:
    """Charts fit their container, have no border, use the site font and muted axis labels."""
    spec = charts.kpi_chart(state.kpis["visites"], fr).spec
    assert spec["width"] == "container"
    assert spec["height"] == charts.HEIGHT
    config = spec["config"]
    assert config["view"]["stroke"] is None
    assert config["font"] == palette.FONT
    assert config["axis"]["labelColor"] == palette.MUTED
    assert config["axis"]["gridColor"] == palette.GRID


def test_chart_ids_are_stable_and_unique(state: PlanState, fr: Formatter) -> None:
    """Each chart has an id a page can use as an anchor: kpi-ID, funnel-ID and fixed names."""
    ids = [c.id for c in _all_charts(state, fr)]
    assert ids == ["kpi-visites", "kpi-clients", "kpi-satisfaction", "kpi-avis", "kpi-abonnes", "funnel-acquisition",
                   "objectives-progress", "solutions-budget", "target-history-visites", "target-history-clients"]


# --- KPI chart -----------------------------------------------------------------------------


def test_kpi_chart_shows_measurements_expected_path_target_and_forecast(state: PlanState, fr: Formatter) -> None:
    """A KPI chart draws the measurements, the dashed expected path from baseline to target,
    the target at the due date and the dashed forecast from the last measurement."""
    kpi = state.kpis["visites"]
    rows = _values(charts.kpi_chart(kpi, fr).spec)
    by_series: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_series.setdefault(row["series"], []).append(row)
    assert [r["value"] for r in by_series["Mesures"]] == [2000, 4200.5, 6100, 12000]
    assert [(r["date"], r["value"]) for r in by_series["Trajectoire attendue"]] == [
        ("2026-01-01T00:00:00", 2000), ("2026-12-31T00:00:00", 15000)]
    assert [(r["date"], r["value"]) for r in by_series["Cible"]] == [("2026-12-31T00:00:00", 15000)]
    assert by_series["Cible"][0]["text"] == "Cible : 15\u202f000\u00a0visites"
    forecast = by_series["Prévision"]
    assert forecast[0]["date"] == "2026-04-30T00:00:00" and forecast[0]["value"] == 12000
    assert forecast[1]["date"] == "2026-12-31T00:00:00"
    assert forecast[1]["value"] == pytest.approx(kpi.forecast)


def test_kpi_line_is_coloured_by_status(state: PlanState, fr: Formatter) -> None:
    """The measurements and the forecast take the colour of the KPI's status badge."""
    for kpi_id in ("visites", "abonnes", "avis"):
        kpi = state.kpis[kpi_id]
        colours = _series_colours(charts.kpi_chart(kpi, fr).spec)
        assert colours["Mesures"] == palette.STATUS_COLOURS[kpi.status]
        assert colours["Trajectoire attendue"] == palette.ACCENT_LIGHT
    assert state.kpis["abonnes"].status == "off-track"
    assert state.kpis["avis"].status == "achieved"


def test_expected_path_and_forecast_are_dashed(state: PlanState, fr: Formatter) -> None:
    """The legend tells measured (solid) from expected and forecast (dashed) lines."""
    spec = charts.kpi_chart(state.kpis["visites"], fr).spec
    dash = next(layer["encoding"]["strokeDash"] for layer in spec["layer"] if "strokeDash" in layer["encoding"])
    dashes = dict(zip(dash["scale"]["domain"], dash["scale"]["range"], strict=True))
    assert dashes["Mesures"] == []
    assert dashes["Trajectoire attendue"] and dashes["Prévision"]


def test_cumulative_kpi_plots_the_running_total(state: PlanState, fr: Formatter) -> None:
    """A cumulative KPI is drawn as the sum since the period start, not as monthly values."""
    rows = _values(charts.kpi_chart(state.kpis["clients"], fr).spec)
    assert [r["value"] for r in rows if r["series"] == "Mesures"] == [1, 1, 3, 4]


def test_kpi_without_data_shows_expected_path_and_target(state: PlanState, fr: Formatter) -> None:
    """A KPI with no measurement still gets a chart: the path to the target, and says so."""
    chart = charts.kpi_chart(state.kpis["satisfaction"], fr)
    series = {r["series"] for r in _values(chart.spec)}
    assert series == {"Trajectoire attendue", "Cible"}
    assert "pas encore de mesure" in chart.description
    assert chart.description == "Clients satisfaits : pas encore de mesure, cible 60\u202f% au 31 déc. 2026."


def test_kpi_with_a_single_point_has_no_forecast(state: PlanState, fr: Formatter) -> None:
    """One measurement draws one point (no forecast can be made from it)."""
    chart = charts.kpi_chart(state.kpis["avis"], fr)
    rows = _values(chart.spec)
    assert [r["value"] for r in rows if r["series"] == "Mesures"] == [15]
    assert not [r for r in rows if r["series"] == "Prévision"]
    measured = next(layer for layer in chart.spec["layer"] if layer["data"]["values"][0]["series"] == "Mesures")
    assert measured["mark"]["point"] is True  # a lone value is visible as a point


def test_kpi_table_holds_the_same_numbers_as_the_chart(state: PlanState, fr: Formatter) -> None:
    """The data table beside a KPI chart lists every plotted value, formatted the French way."""
    chart = charts.kpi_chart(state.kpis["visites"], fr)
    plotted = sorted((r["series"], r["date_label"], r["value_label"]) for r in _values(chart.spec))
    assert sorted(tuple(row) for row in chart.table.rows) == plotted
    assert ["Mesures", "février 2026", "4\u202f200,5\u00a0visites"] in chart.table.rows  # the row 2026-02
    assert chart.table.headers == ["Série", "Date", "Valeur"]
    assert chart.table.caption == "Visites du site par mois (visites)"


def test_kpi_description_sums_up_the_chart(state: PlanState, fr: Formatter) -> None:
    """The aria-label says the latest value, its date, the status, the target and the forecast."""
    kpi = state.kpis["visites"]
    text = charts.kpi_chart(kpi, fr).description
    assert text.startswith("Visites du site par mois : 12\u202f000\u00a0visites en avril 2026 (")
    assert fr.label(kpi.status) in text and "cible 15\u202f000\u00a0visites au 31 déc. 2026" in text
    assert "prévision" in text and text.endswith(".")


def test_a_money_forecast_is_written_in_whole_units_as_the_sentence_writes_it() -> None:
    """An ARR forecast of £5,143,891.42 reads "£5,143,891" in the chart's table and its aria-label, as the
    status sentence writes it; the measurements keep the pennies the data has."""
    kpi = KPI(id="arr", loc=Location("objectives/o.md"), locs={}, title="ARR", target=6_500_000, objective="o",
              unit="£", baseline=4_200_000, due=dt.date(2026, 12, 31))
    settings_ = Settings(title="T", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                         language="en", currency="GBP", locale="en-GB")
    rows = [(dt.date(2026, 1, 31), 4_310_000.0), (dt.date(2026, 3, 31), 4_402_113.37),
            (dt.date(2026, 5, 31), 4_530_777.0)]
    plan = Plan(settings=settings_, series={"arr": Series("data/arr.csv", "value", [
        Point(d, v, i + 2) for i, (d, v) in enumerate(rows)])})
    state = compute_kpi(kpi, plan, dt.date(2026, 6, 10), 0.9)
    assert state.forecast is not None and not float(state.forecast).is_integer()
    en = Formatter("en", "GBP", "en-GB")
    chart = charts.kpi_chart(state, en)
    forecast = en.money(state.forecast)  # as the status sentence writes it (explain.status_rule)
    assert re.fullmatch(r"£[\d,]+", forecast)
    assert ["Forecast", "31 Dec 2026", forecast] in chart.table.rows
    assert f"forecast {forecast} by then" in chart.description
    assert ["Measurements", "31 Mar 2026", "£4,402,113.37"] in chart.table.rows
    assert not any(re.search(r"\.\d\d$", row[2]) for row in chart.table.rows if row[0] != "Measurements")


values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=40, deadline=None)
@given(points=st.lists(st.tuples(days, values), max_size=8), baseline=st.none() | values, target=values,
       start=days, due=days, measure=st.sampled_from(["level", "cumulative"]), unit=st.sampled_from([None, "%", "€"]))
def test_any_kpi_gives_a_chart_whose_table_matches_its_data(
        points: list[tuple[dt.date, float]], baseline: float | None, target: float, start: dt.date, due: dt.date,
        measure: str, unit: str | None) -> None:
    """Whatever the measurements, dates and target, a KPI chart is plain JSON and its table lists
    exactly the plotted values, and every measurement (those before the chart's start too)."""
    kpi = KPI(id="k", loc=Location("objectives/o.md"), locs={}, title="K", target=target, objective="o",
              unit=unit, baseline=baseline, due=due, measure=measure)
    settings_ = Settings(title="T", period_start=start, period_end=due, language="fr")
    measurements = [Point(d, v, i + 2) for i, (d, v) in enumerate(sorted(points))]
    plan = Plan(settings=settings_, series={"k": Series("data/k.csv", "value", measurements)})
    state = compute_kpi(kpi, plan, TODAY, 0.9)
    chart = charts.kpi_chart(state, Formatter("fr", "EUR"))
    json.dumps(chart.spec, allow_nan=False)
    plotted = sorted((r["series"], r["date_label"], r["value_label"]) for r in _values(chart.spec))
    table = Counter(tuple(row) for row in chart.table.rows)
    assert not Counter(plotted) - table
    assert {row[0] for row in table - Counter(plotted)} <= {"Mesures"}  # before the chart's start
    assert sum(n for row, n in table.items() if row[0] == "Mesures") == len(state.points)
    assert chart.description.endswith(".")


# --- funnel chart --------------------------------------------------------------------------


def test_funnel_chart_lists_stages_top_to_bottom_with_needs_and_actuals(state: PlanState, fr: Formatter) -> None:
    """Stage titles run down the axis in stage order; each has its need by the due date, its need to date
    (on 15 June, 165 of 364 days gone by, rounded up to whole things) and, when known, its volume since the
    period start (the visits of every month summed)."""
    chart = charts.funnel_chart(state.funnels["acquisition"], fr)
    bars = chart.spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["Visites", "Rendez-vous", "Clients"]
    rows = [(r["stage"], r["series"], r["label"]) for r in _values(chart.spec)]
    assert rows == [("Visites", "Besoin à l'échéance", "1\u202f250"), ("Visites", "Besoin à ce jour", "567"),
                    ("Visites", "Réel à ce jour", "24\u202f301"),
                    ("Rendez-vous", "Besoin à l'échéance", "25"), ("Rendez-vous", "Besoin à ce jour", "12"),
                    ("Clients", "Besoin à l'échéance", "5"), ("Clients", "Besoin à ce jour", "3"),
                    ("Clients", "Réel à ce jour", "4")]
    text_layer = chart.spec["layer"][1]
    assert text_layer["mark"]["type"] == "text" and text_layer["encoding"]["text"]["field"] == "label"


def test_funnel_table_and_description(state: PlanState, fr: Formatter) -> None:
    """The funnel's table gives each stage's planned rate, need by the due date and to date, actual so far
    and observed rate."""
    chart = charts.funnel_chart(state.funnels["acquisition"], fr)
    assert chart.table.headers == ["Étape", "Taux prévu", "Besoin à l'échéance", "Besoin à ce jour",
                                   "Réel à ce jour", "Taux observé"]
    assert chart.table.rows == [
        ["Visites", "–", "1\u202f250", "567", "24\u202f301", "–"],  # 24 300,5 visits, halves up
        ["Rendez-vous", "2\u202f%", "25", "12", "–", "–"],  # 11,3 meetings by now: 12 whole ones
        ["Clients", "20\u202f%", "5", "3", "4", "–"],
    ]
    # 4 clients of 24 300 visits, for 2 % × 20 % planned across the unmeasured meetings: the bottleneck
    assert chart.description == ("Tunnel d'acquisition : il faut 1\u202f250 «\u00a0Visites\u00a0» pour atteindre "
                                 "5 «\u00a0Clients\u00a0» ; goulot d'étranglement : «\u00a0Clients\u00a0».")


# --- progress chart ------------------------------------------------------------------------


def test_progress_bars_are_clamped_but_the_table_keeps_the_true_value(state: PlanState, fr: Formatter) -> None:
    """An objective whose KPI is at 150 % reads 100 % (done, never more than done: its KPI's page says
    150 %), and one below its baseline draws a bar at 0 % while the tooltip and the table say −20 %."""
    chart = charts.progress_chart(state, fr)
    records = {r["objective"]: r for r in chart.spec["layer"][1]["data"]["values"]}
    ahead = records["Un objectif déjà dépassé"]
    assert ahead["progress"] == 1.0 and ahead["progress_label"] == "100\u202f%"
    behind = records["Un objectif qui recule"]
    assert behind["progress"] == 0 and behind["progress_label"] == "-20\u202f%"
    table = {row[0]: row for row in chart.table.rows}
    assert table["Un objectif déjà dépassé"][1] == "100\u202f%"
    assert table["Un objectif qui recule"][1:] == ["-20\u202f%", "41\u202f%", "en retard"]
    assert chart.table.headers == ["Objectif", "Avancement", "Avancement attendu", "Statut"]


def test_progress_bars_are_coloured_by_status_with_a_tick_for_today(state: PlanState, fr: Formatter) -> None:
    """Each bar has its objective's status colour; a tick marks the progress expected today."""
    chart = charts.progress_chart(state, fr)
    colours = _series_colours(chart.spec)
    for obj in state.objectives.values():
        assert colours[fr.label(obj.status)] == palette.STATUS_COLOURS[obj.status]
    tick = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "tick")
    assert tick["encoding"]["x"]["field"] == "expected"
    expected = {r["objective"]: r["expected"] for r in tick["data"]["values"]}
    assert expected["Un objectif qui recule"] == pytest.approx(state.kpis["abonnes"].expected_progress)


def test_progress_value_label_is_never_crossed_by_the_expected_tick(state: PlanState, fr: Formatter) -> None:
    """A bar's value ("88 %") is written past the bar, and past the tick of the expected progress when that tick
    stands where the label would be: the tick never runs through the figure ("8|8 %")."""
    chart = charts.progress_chart(state, fr)
    for record in chart.spec["layer"][1]["data"]["values"]:
        tick = min(progress.PROGRESS_MAX, max(0.0, record["expected"]))
        assert record["label_at"] in (record["progress"], tick)
        assert not record["label_at"] < tick < record["label_at"] + progress.LABEL_SPAN, record
    # the tester's "More qualified leads": a bar at 88 % and a tick at 91 %, the label moves past the tick
    assert progress._label_at(0.88, 0.91) == 0.91
    assert progress._label_at(0.54, 0.92) == 0.54  # far apart: the label stays at the bar's end


@pytest.mark.parametrize(("language", "words"), [
    ("fr", ["Attendu à la dernière mesure", "100\u202f% : objectif atteint"]),
    ("en", ["Expected when last measured", "100%: objective met"])])
def test_progress_chart_says_what_its_tick_and_dotted_line_are(state: PlanState, language: str,
                                                                words: list[str]) -> None:
    """Besides the statuses, the progress chart has a legend in the plan's language for its dark tick (the
    progress expected when the KPIs were last measured: it once said "Expected by today" of a tick read at the
    end of September) and its dotted line (100 %, the objective met); a note under the chart says how the
    tick is read."""
    chart = charts.progress_chart(state, Formatter(language, "EUR"))
    tick = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "tick")
    rule = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "rule")
    for layer in (tick, rule):
        assert layer["encoding"]["stroke"]["scale"]["domain"] == words
        assert layer["encoding"]["strokeDash"]["scale"]["domain"] == words
    assert tick["data"]["values"][0]["mark"] == words[0] and rule["data"]["values"][0]["mark"] == words[1]
    # the note starts with the tick; an objective with a KPI not measured yet is said after it
    assert chart.table.note.startswith({
        "fr": "Le trait : l'avancement attendu à la date de la dernière mesure de chaque indicateur (aujourd'hui "
              "quand ses chiffres sont en retard, ou qu'il n'en a pas).",
        "en": "The tick: the progress expected on the date of each KPI's latest measurement (today once its figures "
              "are overdue, or while it has none)."}[language])


@pytest.mark.parametrize(("language", "words"), [("en", "Progress of 1 objective on "),
                                                 ("fr", "Avancement de 1 objectif au ")])
def test_the_progress_of_one_objective_is_said_in_the_singular(state: PlanState, language: str, words: str) -> None:
    """A progress chart of one objective is described "Progress of 1 objective", not "1 objectives"."""
    only = next(iter(state.objectives))
    assert progress.progress_chart_of(state, Formatter(language, "EUR"), [only]).description.startswith(words)


# --- budget chart --------------------------------------------------------------------------


def test_budget_counts_monthly_costs_twelve_times_and_one_off_costs_once(state: PlanState, fr: Formatter) -> None:
    """Yearly budget by category: 100 €/month + 600 €/year = 1 800 € of SaaS; a 2 500 € one-off site."""
    chart = charts.budget_chart(state, fr)
    totals = {r["category"]: r["total"] for r in chart.spec["layer"][1]["data"]["values"]}
    assert totals == {"site web": 2500, "SaaS": 1800}
    assert chart.table.rows == [["site web", "Refonte du site", fr.money(2500)],
                                ["SaaS", "CRM, Licence d'analyse", fr.money(1800)]]
    assert fr.money(1800) == "1\u202f800\u00a0€"
    assert chart.table.caption == "Coût annuel des solutions par catégorie (total : 4\u202f300\u00a0€)"
    axis = chart.spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["format"] == "$,.0f"  # the € and its side come from the page's format locale


# --- language ------------------------------------------------------------------------------


def test_english_plan_gets_english_labels(make_plan: Callable[..., Path]) -> None:
    """With `language: en`, legends, axis titles, tables and descriptions are in English."""
    state = _state(make_plan, EN_SETTINGS)
    en = Formatter("en", "EUR")
    kpi = charts.kpi_chart(state.kpis["visites"], en)
    assert set(_series_colours(kpi.spec)) == {"Measurements", "Expected path", "Forecast", "Target"}
    assert kpi.table.headers == ["Series", "Date", "Value"]
    assert ["Measurements", "February 2026", "4,200.5\u00a0visites"] in kpi.table.rows
    assert kpi.description.startswith("Visites du site par mois: 12,000\u00a0visites in April 2026 (")
    funnel = charts.funnel_chart(state.funnels["acquisition"], en)
    assert funnel.table.headers == ["Stage", "Planned rate", "Needed by the due date", "Needed by now",
                                    "Actual so far", "Observed rate"]
    assert funnel.spec["layer"][0]["encoding"]["x"]["title"] == "Volume"
    progress = charts.progress_chart(state, en)
    assert progress.spec["layer"][1]["encoding"]["x"]["title"] == "Progress"
    assert charts.budget_chart(state, en).table.rows[1] == ["SaaS", "CRM, Licence d'analyse", "€1,800"]


def test_french_plan_gets_french_labels(state: PlanState, fr: Formatter) -> None:
    """With `language: fr`, the same charts speak French."""
    progress = charts.progress_chart(state, fr)
    assert progress.spec["layer"][1]["encoding"]["x"]["title"] == "Avancement"
    assert progress.spec["layer"][1]["encoding"]["color"]["title"] == "Statut"
    assert charts.funnel_chart(state.funnels["acquisition"], fr).spec["layer"][0]["encoding"]["x"]["title"] == "Volume"
    budget = charts.budget_chart(state, fr)
    assert budget.spec["layer"][0]["encoding"]["x"]["title"] == "Coût annuel (€)"


# --- determinism and laziness --------------------------------------------------------------

_FINGERPRINT = """
import datetime as dt, hashlib, json, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from generator.pipeline import check
from generator.read.source import DirectorySource
from generator.plan.i18n import Formatter
import test_charts as t
state = check(DirectorySource(Path({plan!r})), t.TODAY).state
specs = [c.spec for c in t._all_charts(state, Formatter("fr", "EUR"))]
print(hashlib.sha256(json.dumps(specs, sort_keys=True).encode()).hexdigest())
"""


def test_same_input_gives_byte_identical_specs_across_calls_and_processes(
        make_plan: Callable[..., Path], fr: Formatter) -> None:
    """Building twice, in this process or another one, gives the same bytes (reproducible sites)."""
    folder = make_plan(PLAN_FILES)
    state = check(DirectorySource(folder), TODAY).state
    assert state is not None
    first = json.dumps([c.spec for c in _all_charts(state, fr)], sort_keys=True)
    second = json.dumps([c.spec for c in _all_charts(state, fr)], sort_keys=True)
    assert first == second
    assert "param_" not in first and "view_" not in first  # no auto-numbered names
    script = _FINGERPRINT.format(tests=str(ROOT / "tests"), plan=str(folder))
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert other.stdout.strip() == hashlib.sha256(first.encode()).hexdigest()


def test_page_gets_each_spec_as_the_json_of_its_dict(make_plan: Callable[..., Path]) -> None:
    """The spec a page embeds (written from text kept per shape and per data row) is the spec itself, byte for
    byte, in French and in English, for every chart builder: the drawn chart is the one the tests check."""
    from generator.site.render import _json_script

    for language, written in (("fr", None), ("en", EN_SETTINGS)):
        state = _state(make_plan, written)
        for _ in range(2):  # rows made by the first pass are reused by the second
            for chart in _all_charts(state, Formatter(language, "EUR")):
                expected = json.dumps(chart.spec, ensure_ascii=False, separators=(",", ":"))
                expected = expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                assert str(_json_script(chart.spec)) == expected, chart.id
                assert json.loads(str(_json_script(chart.spec))) == chart.spec


def test_specs_pickle_as_plain_dicts(state: PlanState, fr: Formatter) -> None:
    """A spec sent to another process (render workers, the version builds' forked copy) arrives as the plain
    JSON-like dict it is, rows included: nothing of how it was made travels with it."""
    import pickle

    for chart in _all_charts(state, fr):
        back = pickle.loads(pickle.dumps(chart.spec))
        assert back == chart.spec and type(back) is dict
        assert all(type(row) is dict for row in _values(back)), chart.id


def test_spec_text_cannot_be_forged_by_a_title(make_plan: Callable[..., Path], fr: Formatter) -> None:
    """A title that looks like the spec's internal placeholders, or closes the script, stays a title: the
    embedded JSON parses back to the spec and holds no `</script>`."""
    from generator.site.render import _json_script

    state = _state(make_plan)
    kpi = next(iter(state.kpis.values()))
    kpi.kpi.title = 'x"]</script><script>alert(1)</script>\x00 [\"\\u0000'
    chart = charts.kpi_chart(kpi, fr)
    text = str(_json_script(chart.spec))
    assert "</script" not in text.lower()
    assert json.loads(text) == chart.spec


def test_table_body_escapes_cells_and_heads_each_row(state: PlanState, fr: Formatter) -> None:
    """The data table under a chart has one row per line, its first cell a row header, every cell escaped."""
    table = charts.Table(caption="c", headers=["a", "b"], rows=[["<b>x</b>", "1 & 2"], ["y", "3"], []])
    assert str(table.body) == ('<tr><th scope="row">&lt;b&gt;x&lt;/b&gt;</th><td>1 &amp; 2</td></tr>\n'
                               '<tr><th scope="row">y</th><td>3</td></tr>\n<tr></tr>\n')


def test_table_cells_are_escaped_alike_whatever_they_hold(fr: Formatter) -> None:
    """A data table's cell shows its text as written, whether it holds markup, quotes, a NUL or is alone in its
    row; text already made HTML (Markup) is not escaped twice."""
    from markupsafe import Markup

    rows = [["a\x00<b>", "'q' \"d\"", "x\x00y"], ["seul & unique"], [Markup("<em>m</em>"), "<i>"], ["\x00"]]
    table = charts.Table(caption="c", headers=["a", "b", "c"], rows=rows)
    assert str(table.body) == (
        '<tr><th scope="row">a\x00&lt;b&gt;</th><td>&#39;q&#39; &#34;d&#34;</td><td>x\x00y</td></tr>\n'
        '<tr><th scope="row">seul &amp; unique</th></tr>\n'
        '<tr><th scope="row"><em>m</em></th><td>&lt;i&gt;</td></tr>\n'
        '<tr><th scope="row">\x00</th></tr>\n')


def test_check_funnel_and_diff_do_not_import_altair(make_plan: Callable[..., Path]) -> None:
    """`strategy check`, `funnel` and `diff` stay fast: neither they nor importing the chart module load
    Altair (or vl-convert); only drawing a chart does."""
    folder = make_plan(PLAN_FILES)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run([*git, "-C", str(folder), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(folder), "commit", "-q", "-m", "v1"], check=True)
    (folder / "data" / "avis.csv").write_text("date,value\n2026-05,15\n2026-06,18\n", encoding="utf-8")
    script = (
        "import os, sys\n"
        "import generator.site.charts, generator.site.chart_svg\n"
        "from generator.cli import main\n"
        f"os.chdir({str(folder)!r})\n"
        "for args in (['check', '.'], ['funnel', '.'], ['diff', '--plan', '.']):\n"
        "    try:\n        main([*args, '--today', '2026-06-15'])\n"
        "    except SystemExit as exit:\n        assert not exit.code, (args, exit.code)\n"
        "print('altair' in sys.modules, 'vl_convert' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Tunnel d'acquisition" in out.stdout  # funnel ran
    assert "Avis publiés\u202f: Mesures (1 nouvelle) 1 → 2\u202f; " in out.stdout  # diff compared the two versions
    assert out.stdout.strip().splitlines()[-1] == "False False"


# --- rendering with the French locale ------------------------------------------------------


def test_rendered_chart_shows_french_numbers_and_months(state: PlanState, fr: Formatter) -> None:
    """Rendered with the locales the page hands vega-embed, axes read « 10 000 » and « avr. 2026 »."""
    import vl_convert

    spec = dict(charts.kpi_chart(state.kpis["visites"], fr).spec, width=500)
    svg = vl_convert.vegalite_to_svg(spec, format_locale=fr.vega_format_locale(),
                                     time_format_locale=fr.vega_time_locale())
    assert ">10\u202f000<" in svg  # axis tick, grouped with Babel's separator
    assert "avr. 2026" in svg
    assert "Cible : 15\u202f000\u00a0visites" in svg


def test_rendered_budget_axis_puts_the_euro_after_the_number(state: PlanState, fr: Formatter) -> None:
    """A French budget axis reads « 1 000 € », with the currency from the page's format locale."""
    import vl_convert

    spec = dict(charts.budget_chart(state, fr).spec, width=500)
    svg = vl_convert.vegalite_to_svg(spec, format_locale=fr.vega_format_locale())
    assert ">1\u202f000\u00a0€<" in svg
    assert ">2\u202f500\u00a0€<" in svg  # the label of the web bar, formatted by Babel


def test_a_long_shared_series_draws_a_bounded_chart(tmp_path: Path) -> None:
    """2,000 daily rows of one CSV read by two KPIs: each chart holds 400 measurements, evenly spaced, the
    last one included, and its description says so in the plan's language; its table gives one row a
    quarter (66 months would be over 60 rows), the quarter's last measurement under its own day; the
    objective's page stays small (60,000 such rows made a 45 MB page)."""
    from generator.build import build

    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "data").mkdir()
    start = dt.date(2020, 1, 1)
    rows = [f"{(start + dt.timedelta(days=i)).isoformat()},{i},{2 * i}" for i in range(2000)]
    (plan / "data" / "jours.csv").write_text("date,a,b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (plan / "strategy.yaml").write_text("title: T\nlanguage: fr\nperiod: {start: 2020-01-01, end: 2026-12-31}\n",
                                        encoding="utf-8")
    kpis = "".join(f"  - id: k{c}\n    title: K{c}\n    target: 9000\n    data: data/jours.csv\n    column: {c}\n"
                   for c in "ab")
    (plan / "objectives" / "o.md").write_text(f"---\ntitle: O\ndue: 2026-12-31\nkpis:\n{kpis}---\n", encoding="utf-8")
    result = build(plan, tmp_path / "out", dt.date(2026, 1, 1), search=False)
    assert result.ok, result.message
    page = (tmp_path / "out" / "objectives" / "o.html").read_text(encoding="utf-8")
    assert len(page) < 400_000
    assert page.count("Le graphique trace 400 des 2\u202f000 mesures, à intervalles réguliers.") == 2
    assert len(re.findall(r'<svg [^>]*class="chart-svg"', page)) == 4  # two charts, wide and narrow
    assert "<title>Série : Mesures" not in page  # 400 points would touch: the line is drawn without them
    tables = re.findall(r"<tbody>(.*?)</tbody>", page, re.DOTALL)
    assert len(tables) == 2
    for table, last in zip(tables, ("1\u202f999", "3\u202f998"), strict=True):
        assert table.count('<tr><th scope="row">Mesures</th>') == 22  # T1 2020 … T2 2025
        assert f'<tr><th scope="row">Mesures</th><td>22 juin 2025</td><td>{last}</td></tr>' in table
    assert page.count("Les 2\u202f000 mesures (CSV)</a>") == 2


def test_a_page_over_its_budget_fails_the_build_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rendered page heavier than the page budget fails the build with a message naming the page and
    what to do; the previous OUTPUT is untouched (the budget is lowered here to keep the plan small)."""
    import generator.read.budgets as budgets
    from generator.build import build

    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: T\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    (plan / "objectives" / "o.md").write_text("---\ntitle: O\ndue: 2026-12-31\n---\n" + "mot " * 20_000,
                                              encoding="utf-8")
    monkeypatch.setattr(budgets, "MAX_PAGE_BYTES", 50_000)
    result = build(plan, tmp_path / "out", dt.date(2026, 1, 1), search=False)
    assert not result.ok and not (tmp_path / "out").exists()
    from generator.plan.messages import words

    said = words("en", result.message) or ""
    assert "objectives/o.html" in said and "split" in said


def test_a_line_separator_in_a_stage_title_does_not_break_its_chart(tmp_path: Path) -> None:
    """U+2028 in a stage title ended a string of the expression Vega-Lite writes for the stages' order, and
    Vega drew no chart: in a chart's categories it is a space; the page's text keeps the title as written."""
    plan = tmp_path / "plan"
    (plan / "funnels").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: T\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    (plan / "funnels" / "acquisition.yaml").write_text(
        'title: Acquisition\ngoal: 5\nstages:\n  - id: prospects\n    title: "Pros\\u2028pects"\n'
        '  - id: clients\n    title: Clients\n    rate: "1/5"\n', encoding="utf-8")
    result = check(DirectorySource(plan), TODAY)
    assert result.state is not None, [d.message for d in result.diagnostics.errors]
    chart = charts.funnel_chart(result.state.funnels["acquisition"], Formatter("en", "EUR"))
    spec = json.dumps(chart.spec, ensure_ascii=False)
    assert "\u2028" not in spec and "Pros pects" in spec


def test_progress_bars_are_in_the_dashboard_cards_order(state: PlanState, fr: Formatter) -> None:
    """The dashboard's progress chart lists the objectives weakest first, as its cards do, so a reader finds
    each bar where its card is (it listed them in file order)."""
    from generator.site.attention import worst_first

    chart = charts.progress_chart(state, fr)
    cards = [o.objective.title for o in worst_first(list(state.objectives.values()), state.plan.settings.period_end)]
    assert [row[0] for row in chart.table.rows] == cards
