"""`strategy funnel`: what the plan demands of each stage, as a table or as JSON (SPEC §4)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from .plan.compute import FunnelState, KpiState, PlanState, number
from .plan.i18n import Formatter
from .plan.messages import render
from .site.explain import diagnosis, projection_text, stage_gaps

# the table's columns, each a key `funnel.header.…` of the one table of messages
COLUMNS = ("stage", "rate", "need", "to-date", "actual", "observed", "cost-unit", "cost")


def _round(value: float | None, digits: int = 2) -> float | int | None:
    return None if value is None else number(round(value, digits))


def funnels_json(state: PlanState) -> str:
    funnels = []
    for fs in state.funnels.values():
        funnels.append({
            "id": fs.funnel.id,
            "goal": number(fs.funnel.goal),
            "due": fs.due.isoformat() if fs.due else None,
            "elapsed": round(fs.elapsed, 4),
            "stages": [
                {
                    "id": st.stage.id,
                    "rate": st.stage.rate_written if i else None,
                    "need": number(st.need),
                    "need_to_date": _round(st.need_to_date),
                    "actual": None if st.actual is None else number(st.actual),
                    "observed_rate": None if st.observed_rate is None else round(st.observed_rate, 6),
                }
                for i, st in enumerate(fs.stages)
            ],
            "bottleneck": fs.bottleneck,
            "shortfall": fs.shortfall,
            "projection": _round(fs.projection),
            "budget": None if fs.budget is None else number(fs.budget),
        })
    return json.dumps({"funnels": funnels}, ensure_ascii=False, indent=2)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def funnel_text(fs: FunnelState, fmt: Formatter, *, colour: bool = False,
                kpis: Mapping[str, KpiState] | None = None) -> str:
    """The funnel's table and what it means; with the plan's `kpis`, a line under the table for each volume
    that counts a missing period as nothing, as the funnel page says it."""
    def bold(t: str) -> str:
        return f"\x1b[1m{t}\x1b[0m" if colour else t

    f = fs.funnel
    def facts(key: str, **values: object) -> str:
        return render(fmt.language, f"funnel.{key}", **values)

    goal_unit = fmt.unit(f.goal, f.stages[-1].title)
    lines = [bold(f"{f.title} ({f.id})") + " — " + facts("goal", goal=fmt.number(number(f.goal)), unit=goal_unit,
                                                                   due=fmt.date(fs.due))]
    rows = [[render(fmt.language, f"funnel.header.{column}") for column in COLUMNS]]
    for i, st in enumerate(fs.stages):
        s = st.stage
        rows.append([
            s.title,
            "–" if i == 0 else fmt.rate(float(s.rate or 0)),  # "9%" however written ("9 %", "0.09", "9/100")
            fmt.number(number(st.need)),
            fmt.needed(st.need_to_date),
            fmt.volume(st.actual),
            fmt.percent(st.observed_rate, 1) if st.observed_rate is not None else "–",
            fmt.money(s.cost) if s.cost is not None else "–",
            fmt.money(st.cost_total) if st.cost_total is not None else "–",
        ])
    lines += _table(rows, right=set(range(1, 8)))
    gapped = stage_gaps(fs, kpis or {}, fmt)
    notes = [facts("stage_gap", stage=st.stage.title, actual=fmt.volume(st.actual), note=gapped[st.stage.id])
             for st in fs.stages if st.stage.id in gapped]
    notes.append(facts("elapsed", share=fmt.percent(fs.elapsed)))
    if fs.budget is not None:
        notes.append(facts("budget", value=fmt.money(fs.budget)))
        one = fmt.unit(1, f.stages[-1].title)  # "coût par résultat (client signé)"
        notes.append(facts("cost_per_unit", unit=one, value=fmt.money(fs.cost_per_unit)))
    projected = projection_text(fs, fmt)
    if projected:
        notes.append(facts("projection", text=projected))
    lines += [f"  {x}" for x in notes]
    lines += [f"  {x}" for x in diagnosis(fs, fmt)]
    return "\n".join(lines)


def funnels_text(state: PlanState, *, colour: bool = False) -> str:
    fmt = Formatter(state.plan.settings.language, state.plan.settings.currency, state.plan.settings.locale)
    if not state.funnels:
        return render(fmt.language, "funnel.none")
    return "\n\n".join(funnel_text(fs, fmt, colour=colour, kpis=state.kpis) for fs in state.funnels.values())
