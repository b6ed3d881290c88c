"""The solutions' budget: their yearly cost by category, a segment per solution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...plan.i18n import Formatter
from .. import palette
from .common import MONEY_AXIS, Chart, Table, Words, _finite, compact_labels, label_ends, label_options, room_for_labels
from .shapes import _data, _shape

if TYPE_CHECKING:
    from ...plan.compute import PlanState

WORDS = Words("budget")  # its words: chart.budget.* in plan/messages_*_charts.py

@_shape
def _budget_spec(alt: Any, lang: str, categories: tuple[str, ...], currency_symbol: str,
                 ends: tuple[tuple[float, int], ...], labels: str | None = None) -> Any:
    """The budget chart of `categories` (largest first); the datasets are the solutions' segments and
    the categories' totals. `ends`: the long totals with the length of their labels (`label_ends`)."""
    order = list(categories)
    y = alt.Y("category:N", title=None, sort=order)
    x_title = f"{WORDS.t(lang, 'yearly_cost')} ({currency_symbol})"
    colour = alt.Color("category:N", legend=None, sort=order,
                       scale=alt.Scale(domain=order,
                                       range=[palette.CATEGORY[i % len(palette.CATEGORY)] for i in range(len(order))]))
    x_scale = alt.Scale(domainMax=room_for_labels(ends), nice=True)  # room for each total's label
    x_axis = alt.Axis(format=MONEY_AXIS, **label_options(labels))
    bars = alt.Chart(_data(alt, 0)).mark_bar(stroke="#ffffff", strokeWidth=1).encode(
        y=y, x=alt.X("cost:Q", title=x_title, stack="zero", axis=x_axis, scale=x_scale),
        color=colour, detail=alt.Detail("solution:N"), order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("solution:N", title=WORDS.t(lang, "solutions")),
                 alt.Tooltip("category:N", title=WORDS.t(lang, "category")),
                 alt.Tooltip("cost_label:N", title=WORDS.t(lang, "yearly_cost"))])
    labels = alt.Chart(_data(alt, 1)).mark_text(align="left", baseline="middle", dx=4).encode(
        y=y, x=alt.X("total:Q"), text=alt.Text("total_label:N"))
    return alt.LayerChart(layer=[], height=max(60, 34 * len(order))), [bars, labels]


def budget_chart(plan: PlanState, fmt: Formatter) -> Chart:
    """The yearly cost of the solutions by category (monthly × 12, yearly, one-off once), one
    segment per solution."""
    by_category: dict[str, list[tuple[str, float]]] = {}
    for solution in plan.plan.solutions.values():
        cost = solution.yearly_cost
        if _finite(cost) and cost > 0:
            by_category.setdefault(solution.category, []).append((solution.title, cost))
    totals = {cat: sum(c for _, c in items) for cat, items in by_category.items()}
    order = sorted(totals, key=lambda cat: (-totals[cat], fmt.label(cat)))
    names = {cat: fmt.label(cat) for cat in order}
    segments = [{"category": names[cat], "solution": title, "cost": cost, "cost_label": fmt.money(cost), "order": i}
                for cat in order for i, (title, cost) in enumerate(by_category[cat])]
    sums = [{"category": names[cat], "total": totals[cat], "total_label": fmt.money(totals[cat])} for cat in order]
    widest = max(totals.values(), default=1.0)
    ends = label_ends([(totals[cat], fmt.money(totals[cat])) for cat in order], widest)
    spec = _budget_spec(fmt.language, tuple(names[c] for c in order), fmt.currency_symbol, ends,
                        compact_labels(fmt, widest * 1.2, fmt.currency), data=[segments, sums])

    total = fmt.money(sum(totals.values()))
    rows = [[names[cat], ", ".join(title for title, _ in by_category[cat]), fmt.money(totals[cat])] for cat in order]
    headers = [WORDS.text(fmt, k) for k in ("category", "solutions", "yearly_cost")]
    table = Table(caption=WORDS.text(fmt, "budget_caption", total=total), headers=headers, rows=rows)
    if order:
        description = WORDS.text(fmt, "budget_desc", total=total, top=fmt.money(totals[order[0]]),
                                 category=names[order[0]])
    else:
        description = WORDS.text(fmt, "budget_desc_empty")
    return Chart(id="solutions-budget", spec=spec, table=table, description=description)

