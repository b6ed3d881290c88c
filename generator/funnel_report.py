"""`strategy funnel`: what the plan demands of each stage, as a table or as JSON (SPEC §4)."""

from __future__ import annotations

import json

from .compute import FunnelState, PlanState, number
from .i18n import Formatter


def funnels_json(state: PlanState) -> str:
    funnels = []
    for fs in state.funnels.values():
        funnels.append({
            "id": fs.funnel.id,
            "goal": number(fs.funnel.goal),
            "stages": [
                {
                    "id": st.stage.id,
                    "rate": st.stage.rate_written if i else None,
                    "need": number(st.need),
                    "actual": None if st.actual is None else number(st.actual),
                    "observed_rate": None if st.observed_rate is None else round(st.observed_rate, 6),
                }
                for i, st in enumerate(fs.stages)
            ],
            "bottleneck": fs.bottleneck,
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


def funnel_text(fs: FunnelState, fmt: Formatter, *, colour: bool = False) -> str:
    def bold(t: str) -> str:
        return f"\x1b[1m{t}\x1b[0m" if colour else t

    f = fs.funnel
    lines = [bold(f"{f.title} ({f.id})") + f" — goal {fmt.number(number(f.goal))}"
             + (f" by {fmt.date(f.due)}" if f.due else "")]
    rows = [["stage", "rate", "need", "actual", "observed", "cost/unit", "cost"]]
    for i, st in enumerate(fs.stages):
        s = st.stage
        rows.append([
            s.id,
            "–" if i == 0 else str(s.rate_written),
            fmt.number(number(st.need)),
            fmt.number(st.actual),
            fmt.percent(st.observed_rate, 1) if st.observed_rate is not None else "–",
            fmt.money(s.cost) if s.cost is not None else "–",
            fmt.money(st.cost_total) if st.cost_total is not None else "–",
        ])
    lines += _table(rows, right={1, 2, 3, 4, 5, 6})
    facts = []
    if fs.budget is not None:
        facts.append(f"budget {fmt.money(fs.budget)}")
        facts.append(f"cost per final unit ({f.stages[-1].title}) {fmt.money(fs.cost_per_unit)}")
    if fs.projected is not None:
        facts.append(f"at the planned rates, the actual {f.stages[0].id} project "
                     f"{fmt.number(fs.projected, 1)} {f.stages[-1].id}")
    if fs.bottleneck:
        st = next(s for s in fs.stages if s.stage.id == fs.bottleneck)
        facts.append(f"bottleneck: {fs.bottleneck} (observed {fmt.percent(st.observed_rate, 1)} "
                     f"vs planned {fmt.percent(float(st.stage.rate or 0), 1)})")
    lines += [f"  {x}" for x in facts]
    return "\n".join(lines)


def funnels_text(state: PlanState, *, colour: bool = False) -> str:
    fmt = Formatter(state.plan.settings.language, state.plan.settings.currency)
    if not state.funnels:
        return "The plan has no funnel: add one in funnels/ID.yaml."
    return "\n\n".join(funnel_text(fs, fmt, colour=colour) for fs in state.funnels.values())
