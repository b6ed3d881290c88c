"""The funnel worked backwards (SPEC §1, funnels): exact needs, the rate forms a plan may write,
observed rates, projection, bottleneck, budget and cost per final unit."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.plan.compute import backward_needs, compute_funnel
from generator.plan.diagnostics import Location
from generator.plan.model import Funnel, Stage
from generator.plan.schema import parse_rate


def stage(stage_id: str, rate: object = None, *, kpi: str | None = None, cost: float | None = None) -> Stage:
    return Stage(id=stage_id, loc=Location("plan/funnels/f.yaml"), locs={}, title=stage_id.title(),
                 rate=None if rate is None else parse_rate(rate), rate_written=rate, kpi=kpi, cost=cost)


def acquisition(goal: float = 5, costs: tuple[float | None, ...] = (None, None, None)) -> Funnel:
    """The SPEC's example: prospects → 1/50 → meetings → 1/5 → clients."""
    return Funnel(id="acquisition", loc=Location("plan/funnels/acquisition.yaml"), locs={}, title="Acquisition",
                  goal=goal, stages=[
                      stage("prospects", kpi="prospects", cost=costs[0]),
                      stage("meetings", "1/50", kpi="meetings", cost=costs[1]),
                      stage("clients", "1/5", kpi="clients", cost=costs[2]),
                  ])


# --- backward needs -------------------------------------------------------------------------


def test_spec_example_five_clients() -> None:
    """Goal 5 clients at 1/5 and 1/50 needs 25 meetings and 1,250 prospects."""
    assert backward_needs(5, [None, Fraction(1, 50), Fraction(1, 5)]) == [1250, 25, 5]


@pytest.mark.parametrize("rate", [0.7, "70%", "70 %", "7/10"])
def test_goal_21_at_70_percent_needs_30_not_31(rate: object) -> None:
    """Exact arithmetic: 21 / 0.7 is 30, where floats (30.000000000000004) would round up to 31."""
    assert 21 / 0.7 > 30  # the float trap the plan must not fall into
    assert backward_needs(21, [None, parse_rate(rate)]) == [30, 21]


def test_needs_round_up_to_whole_units() -> None:
    """A need that does not divide exactly rounds up: 7 clients at 1/3 need 21, 8 need 24."""
    assert backward_needs(7, [None, Fraction(1, 3)]) == [21, 7]
    assert backward_needs(8, [None, Fraction(1, 3)]) == [24, 8]
    assert backward_needs(1, [None, Fraction(3, 10)]) == [4, 1]


def test_rate_of_one_keeps_the_volume() -> None:
    """A 100 % stage needs exactly the volume below it."""
    assert backward_needs(12, [None, Fraction(1), Fraction(1)]) == [12, 12, 12]


def test_missing_rate_is_refused() -> None:
    """backward_needs never divides by a missing or zero rate."""
    with pytest.raises(ValueError):
        backward_needs(5, [None, None])
    with pytest.raises(ValueError):
        backward_needs(5, [None, Fraction(0)])


@pytest.mark.parametrize("written", [0.02, "1/50", "2%", "2 %", " 2 % ", "0.02", "2/100"])
def test_rate_forms(written: object) -> None:
    """0.02, "1/50", "2%" and "2 %" are the same rate, exactly 1/50."""
    assert parse_rate(written) == Fraction(1, 50)


@pytest.mark.parametrize("written", ["beaucoup", "1/0", "%", "", True, None, [1], float("nan"), "1/x"])
def test_unreadable_rates(written: object) -> None:
    """Texts, booleans, lists and division by zero are not rates."""
    assert parse_rate(written) is None


rates = st.fractions(min_value=Fraction(1, 1000), max_value=1, max_denominator=1000)


@given(goal=st.integers(min_value=1, max_value=100_000), stage_rates=st.lists(rates, min_size=1, max_size=6))
def test_backward_need_reaches_the_goal_and_is_minimal(goal: int, stage_rates: list[Fraction]) -> None:
    """Converted forward with the planned rates, each stage's need reaches the need below it, and
    one unit less would not: need[i] × rate[i+1] ≥ need[i+1] > (need[i] − 1) × rate[i+1]."""
    needs = backward_needs(goal, [None, *stage_rates])
    assert needs[-1] == goal
    for i, rate in enumerate(stage_rates):
        assert needs[i] * rate >= needs[i + 1]
        assert (needs[i] - 1) * rate < needs[i + 1]
        assert needs[i].denominator == 1


@given(goal=st.integers(min_value=1, max_value=10_000), percent=st.integers(min_value=1, max_value=100))
def test_percent_written_as_text_or_decimal_gives_the_same_needs(goal: int, percent: int) -> None:
    """`"N%"`, `"N %"`, `"N/100"` and the decimal N/100 always give the same needs."""
    forms = [f"{percent}%", f"{percent} %", f"{percent}/100", percent / 100]
    needs = {tuple(backward_needs(goal, [None, parse_rate(form)])) for form in forms}
    assert len(needs) == 1


# --- actuals: observed rates, projection, bottleneck ---------------------------------------


def test_needs_without_actuals() -> None:
    """Without actuals, a funnel has needs only: no observed rate, projection or bottleneck."""
    fs = compute_funnel(acquisition(), {})
    assert fs is not None
    assert [s.need for s in fs.stages] == [1250, 25, 5]
    assert all(s.actual is None and s.observed_rate is None for s in fs.stages)
    assert fs.projection is None and fs.bottleneck is None and fs.shortfall is None and fs.budget is None


def test_observed_rates_and_projection() -> None:
    """Observed rate = volume / volume above; at the due date (the whole period gone by), the projection
    is the last stage's volume."""
    fs = compute_funnel(acquisition(), {"prospects": 1000, "meetings": 25, "clients": 4})
    assert fs is not None
    assert [s.actual for s in fs.stages] == [1000, 25, 4]
    assert fs.stages[0].observed_rate is None
    assert fs.stages[1].observed_rate == pytest.approx(0.025)
    assert fs.stages[2].observed_rate == pytest.approx(0.16)
    assert fs.projection == 4.0


def test_projection_carries_the_pace_to_the_due_date() -> None:
    """4 clients signed with 11/12 of the year gone by project to ≈ 4.4 at the due date (the trial's
    "4,4 clients signés sur 8"), in the goal's unit, not the top stage's."""
    fs = compute_funnel(acquisition(goal=8), {"prospects": 1000, "meetings": 25, "clients": 4}, elapsed=11 / 12)
    assert fs is not None
    assert fs.projection == pytest.approx(4.36, abs=0.01)


def test_projection_from_the_deepest_measured_stage() -> None:
    """Without a measure of the last stage, the deepest measured one is projected, then carried down the
    planned rates: 20 meetings at half time → 40 by the due date → 8 clients at 1/5."""
    fs = compute_funnel(acquisition(), {"prospects": 900, "meetings": 20}, elapsed=0.5)
    assert fs is not None
    assert fs.projection == 8.0


def test_need_to_date_is_the_need_pro_rated_on_time_elapsed() -> None:
    """A quarter of the way to the due date, 1,250 prospects needed means 312.5 needed by now, and a stage
    at 300 of its 312.5 is behind (the shortfall)."""
    fs = compute_funnel(acquisition(), {"prospects": 300, "meetings": 8, "clients": 2}, elapsed=0.25)
    assert fs is not None
    assert [s.need_to_date for s in fs.stages] == [312.5, 6.25, 1.25]
    assert fs.shortfall == "prospects"
    assert fs.stages[0].pace == pytest.approx(0.96)


def test_shortfall_is_the_stage_furthest_behind_its_need_to_date() -> None:
    """Half way through, prospects are at plan (625 of 625) but clients at 1 of 2.5: clients are furthest
    behind, whatever the rates say."""
    fs = compute_funnel(acquisition(), {"prospects": 625, "meetings": 12, "clients": 1}, elapsed=0.5)
    assert fs is not None
    assert fs.shortfall == "clients"


def test_no_shortfall_when_every_volume_meets_its_need_to_date() -> None:
    """Volumes at or above their need to date leave no shortfall."""
    fs = compute_funnel(acquisition(), {"prospects": 700, "meetings": 13, "clients": 3}, elapsed=0.5)
    assert fs is not None
    assert fs.shortfall is None


def test_noise_is_not_a_bottleneck() -> None:
    """3.9 % observed against 4 % planned (97.5 % of plan) is noise under the default tolerance of 90 %;
    a stricter plan (rules.bottleneck: 1) calls it a bottleneck."""
    funnel = Funnel(id="f", loc=Location("f"), locs={}, title="F", goal=39,
                    stages=[stage("visits", kpi="visits"), stage("leads", "4%", kpi="leads")])
    fs = compute_funnel(funnel, {"visits": 1000, "leads": 39})
    assert fs is not None
    assert fs.stages[1].ratio == pytest.approx(0.975)
    assert fs.bottleneck is None
    strict = compute_funnel(funnel, {"visits": 1000, "leads": 39}, tolerance=1.0)
    assert strict is not None and strict.bottleneck == "leads"


def test_bottleneck_is_the_lowest_ratio_below_the_tolerance() -> None:
    """Meetings convert at 1/50 as planned (ratio 1.25), clients at 0.12 against 0.2 (ratio 0.6):
    clients are the bottleneck."""
    fs = compute_funnel(acquisition(), {"prospects": 1000, "meetings": 25, "clients": 3})
    assert fs is not None
    assert fs.stages[1].ratio == pytest.approx(1.25)
    assert fs.stages[2].ratio == pytest.approx(0.6)
    assert fs.bottleneck == "clients"


def test_bottleneck_picks_the_worse_of_two_leaks() -> None:
    """When two stages leak, the one furthest below plan is the bottleneck."""
    fs = compute_funnel(acquisition(), {"prospects": 1000, "meetings": 10, "clients": 1})
    assert fs is not None
    assert fs.stages[1].ratio == pytest.approx(0.5)
    assert fs.stages[2].ratio == pytest.approx(0.5)
    fs = compute_funnel(acquisition(), {"prospects": 1000, "meetings": 12, "clients": 2})
    assert fs is not None
    assert fs.bottleneck == "meetings"  # 0.6 against 0.83


def test_no_bottleneck_when_every_ratio_is_at_least_one() -> None:
    """A funnel converting at or above plan everywhere has no bottleneck."""
    fs = compute_funnel(acquisition(), {"prospects": 1000, "meetings": 20, "clients": 4})
    assert fs is not None
    assert [s.ratio for s in fs.stages[1:]] == [pytest.approx(1.0), pytest.approx(1.0)]
    assert fs.bottleneck is None


def test_partial_actuals() -> None:
    """A stage without actual, or below a stage measured at zero, has no observed rate."""
    fs = compute_funnel(acquisition(), {"prospects": 0, "meetings": 3})
    assert fs is not None
    assert fs.stages[1].observed_rate is None
    assert fs.stages[2].actual is None and fs.stages[2].observed_rate is None
    assert fs.bottleneck is None
    assert fs.projection == 0.6  # the meetings measured, then 1/5 of them


# --- costs ----------------------------------------------------------------------------------


def test_budget_and_cost_per_final_unit() -> None:
    """Budget = Σ need × cost: 1,250 × 12 + 25 × 150 + 5 × 800 = 22,750, i.e. 4,550 a client."""
    fs = compute_funnel(acquisition(costs=(12, 150, 800)), {})
    assert fs is not None
    assert [s.cost_total for s in fs.stages] == [15_000, 3_750, 4_000]
    assert fs.budget == 22_750
    assert fs.cost_per_unit == 4_550


def test_budget_with_some_stages_costed() -> None:
    """Stages without cost add nothing; decimal costs stay exact to the cent."""
    fs = compute_funnel(acquisition(costs=(0.1, None, None)), {})
    assert fs is not None
    assert fs.budget == 125.0
    assert fs.cost_per_unit == 25.0
    assert fs.stages[1].cost_total is None


def test_funnel_that_cannot_be_computed() -> None:
    """A funnel of one stage, or with a stage lacking its rate, gives no state (check reports why)."""
    one = Funnel(id="f", loc=Location("f"), locs={}, title="F", goal=5, stages=[stage("a")])
    assert compute_funnel(one, {}) is None
    gap = Funnel(id="f", loc=Location("f"), locs={}, title="F", goal=5, stages=[stage("a"), stage("b")])
    assert compute_funnel(gap, {}) is None


# --- through the loader ---------------------------------------------------------------------


def test_rates_as_written_in_a_plan(check_plan) -> None:  # type: ignore[no-untyped-def]
    """In a plan file, the four rate forms load as the same exact rate, and the text is kept as written."""
    stages = "".join(f"  - id: s{i}\n    title: S{i}\n    rate: {r}\n"
                     for i, r in enumerate(['0.02', '"1/50"', '"2%"', '"2 %"'], start=1))
    checked = check_plan({"funnels/f.yaml": f"title: F\ngoal: 1\nstages:\n  - id: s0\n    title: S0\n{stages}"})
    assert checked.ok, checked.diagnostics.sorted()
    fs = checked.state.funnels["f"]
    assert [s.stage.rate for s in fs.stages[1:]] == [Fraction(1, 50)] * 4
    assert [s.stage.rate_written for s in fs.stages[1:]] == [0.02, "1/50", "2%", "2 %"]
    assert [s.need for s in fs.stages] == [50**4, 50**3, 50**2, 50, 1]
