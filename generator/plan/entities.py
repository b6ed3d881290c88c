"""The plan's entities made from their checked keys: an objective with its KPIs and actions, a funnel with its
stages, a persona, an experience, a solution, a free page, each with where every key was written (`locs`), so
that a later rule points at the very line. The loader (loader.py) reads the files and checks their keys first.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .diagnostics import Location
from .model import KPI, Action, Experience, Funnel, Objective, Page, Persona, Solution, Stage
from .schema import Checker


def locs_of(checker: Checker, prefix: tuple[Any, ...] = ()) -> dict[str, Location]:
    """Where each key of the mapping at `prefix` was written: `key` is the key itself, `key=` its
    value, and `key[ID]` the item ID of a list of ids, so that a wrong reference is pointed at."""
    n = len(prefix)
    locs = {str(path[n]): loc for path, loc in checker.positions.items()
            if len(path) == n + 1 and path[:n] == prefix}
    data = checker.doc.data
    for part in prefix:
        data = data[part] if isinstance(data, dict | list) else None
    for key in list(locs):
        locs[f"{key}="] = checker.loc((*prefix, key))
        items = data.get(key) if isinstance(data, dict) else None
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, str):
                    locs.setdefault(f"{key}[{item}]", checker.loc((*prefix, key, i)))
    return locs


def file_loc(checker: Checker) -> Location:
    return Location(checker.file, 1, 1)


def objective(oid: str, c: dict[str, Any], checker: Checker, body: str) -> Objective:
    # An entity, KPI or stage whose id is valid is kept even when another key is wrong (that error is
    # already reported), so that references to it do not add misleading "there is no …" errors.
    # A KPI kept this way has a NaN target, which the lint rules skip.
    kpis = []
    for i, item in c.get("kpis", []):
        if item is None or "id" not in item:
            continue
        locs = locs_of(checker, ("kpis", i))
        for j, m in item.get("milestones", []):  # where each milestone's date was written: by that date, then
            if m and "date" in m:               # by its repeat count for a date written twice
                key = f"milestone:{m['date'].isoformat()}"
                while key in locs:
                    key += "+"
                locs[key] = checker.loc(("kpis", i, "milestones", j, "date"))
        kpis.append(KPI(
            id=item["id"], loc=checker.loc(("kpis", i)), locs=locs,
            title=item.get("title", item["id"]), target=item.get("target", math.nan), objective=oid,
            unit=item.get("unit"),
            baseline=item.get("baseline"), due=item.get("due") or c.get("due"),
            direction=item.get("direction"), measure=item.get("measure", "level"),
            cadence=item.get("cadence", "monthly"), data=item.get("data"),
            column=item.get("column", "value"), sheet=item.get("sheet"),
            csv=tuple(sorted(item.get("csv", {}).items())), source=item.get("source"), query=item.get("query"),
            milestones=milestones_of(item.get("milestones", [])),
        ))
    actions = []
    for i, item in c.get("actions", []):
        if item is None:
            continue
        actions.append(Action(
            id=f"{oid}-{i + 1}", loc=checker.loc(("actions", i)), locs=locs_of(checker, ("actions", i)),
            title=item.get("title", ""), owner=item.get("owner"), due=item.get("due"),
            status=item.get("status", "planned"), kpis=item.get("kpis", []),
        ))
    return Objective(
        id=oid, loc=file_loc(checker), locs=locs_of(checker), title=c.get("title", oid),
        level=c.get("level", "marketing"), department=c.get("department"), parent=c.get("parent"),
        owner=c.get("owner"), due=c.get("due"), personas=c.get("personas", []),
        kpis=kpis, actions=actions, body=body,
    )


def milestones_of(items: list[tuple[int, dict[str, Any] | None]]) -> tuple[tuple[dt.date, float], ...]:
    """A KPI's milestones in date order, those with a valid date and value (the others have their error)."""
    kept = [(m["date"], float(m["value"])) for _, m in items if m and "date" in m and "value" in m]
    return tuple(sorted(kept))


def funnel(fid: str, c: dict[str, Any], checker: Checker, body: str) -> Funnel:
    stages = []
    for i, item in c.get("stages", []):
        # a stage with a wrong id stays in place (as `#N`, which no reference can match), so that
        # the next stage is not mistaken for the first one
        item = item or {}
        rate, written = item.get("rate", (None, None))
        stage_id = item.get("id", f"#{i + 1}")
        stages.append(Stage(
            id=stage_id, loc=checker.loc(("stages", i)), locs=locs_of(checker, ("stages", i)),
            title=item.get("title", stage_id), rate=rate, rate_written=written, kpi=item.get("kpi"),
            cost=item.get("cost"),
        ))
    return Funnel(id=fid, loc=file_loc(checker), locs=locs_of(checker), title=c.get("title", fid),
                  goal=c.get("goal", math.nan), due=c.get("due"), main=c.get("main", False), stages=stages,
                  body=body)


def persona(pid: str, c: dict[str, Any], checker: Checker, body: str) -> Persona:
    lists = {k: c.get(k, []) for k in ("goals", "pains", "traits", "channels", "messages", "sources")}
    return Persona(id=pid, loc=file_loc(checker), locs=locs_of(checker), name=c.get("name", pid),
                   role=c.get("role"), body=body, **lists)


def experience(eid: str, c: dict[str, Any], checker: Checker, body: str) -> Experience:
    return Experience(id=eid, loc=file_loc(checker), locs=locs_of(checker), title=c.get("title", eid),
                      personas=c.get("personas", []), funnel=c.get("funnel"), stage=c.get("stage"),
                      channel=c.get("channel"), moments=c.get("moments", []),
                      objectives=c.get("objectives", []), body=body)


def solution(sid: str, c: dict[str, Any], checker: Checker, body: str) -> Solution:
    cost = c.get("cost") or {}
    return Solution(id=sid, loc=file_loc(checker), locs=locs_of(checker), title=c.get("title", sid),
                    category=c.get("category", "other"), cost_amount=cost.get("amount"),
                    cost_per=cost.get("per"), department=c.get("department"),
                    objectives=c.get("objectives", []), experiences=c.get("experiences", []), body=body)


def page(pid: str, c: dict[str, Any], checker: Checker, body: str) -> Page:
    return Page(id=pid, loc=file_loc(checker), locs=locs_of(checker), title=c.get("title", pid),
                order=c.get("order", 0), body=body)
