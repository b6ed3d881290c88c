"""KPI status and objective roll-up (SPEC §2): expected value, progress, the five statuses for both
directions and both measures, `rules.at_risk`, the forecast, and which day counts as today."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.pipeline import resolve_today
from generator.plan.compute import compute_kpi, compute_plan, kpi_direction, rollup
from generator.plan.diagnostics import Location
from generator.plan.model import KPI, Objective, Plan, Point, Rules, Series, Settings

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
HALF = dt.date(2026, 7, 2)  # 182 of the 364 days from start to due: half the way


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_plan(kpis: list[KPI], points: dict[str, list[tuple[str, float]]], *, at_risk: float = 0.9) -> Plan:
    settings = Settings(title="T", period_start=START, period_end=END, rules=Rules(at_risk=at_risk))
    objective = Objective(id="o", loc=Location("plan/objectives/o.md"), locs={}, title="O", kpis=kpis)
    series = {kid: Series(path=f"data/{kid}.csv", column="value",
                          points=[Point(d(day), value, n + 2) for n, (day, value) in enumerate(pts)])
              for kid, pts in points.items()}
    return Plan(settings=settings, objectives={"o": objective}, series=series)


def kpi(target: float, *, baseline: float | None = None, direction: str | None = None,
        measure: str = "level", kid: str = "k", due: dt.date | None = END) -> KPI:
    return KPI(id=kid, loc=Location("plan/objectives/o.md"), locs={}, title="K", target=target, objective="o",
               baseline=baseline, direction=direction, measure=measure, due=due)


def status_of(k: KPI, points: list[tuple[str, float]], today: dt.date = HALF, at_risk: float = 0.9):  # type: ignore[no-untyped-def]
    plan = make_plan([k], {k.id: points})
    return compute_kpi(k, plan, today, at_risk)


# --- expected value and progress ------------------------------------------------------------


def test_expected_value_is_linear_from_start_to_due() -> None:
    """Expected = baseline at the period start, target at the due date, a straight line between."""
    s = status_of(kpi(200, baseline=100), [("2026-06-01", 140)])
    assert s.expected_at(START) == 100
    assert s.expected_at(HALF) == pytest.approx(150)
    assert s.expected_at(END) == 200
    assert s.expected_at(dt.date(2025, 6, 1)) == 100  # before the start: still the baseline
    assert s.expected_at(dt.date(2027, 6, 1)) == 200  # after the due date: the target
    # the latest measurement (1 June, still fresh on 2 July) is compared with the path on its own day
    assert s.expected_date == d("2026-06-01")
    assert s.expected == pytest.approx(100 + 100 * 151 / 364) and s.expected_progress == pytest.approx(151 / 364)


def test_due_date_of_the_kpi_is_used() -> None:
    """A KPI due mid-year expects its target by then."""
    s = status_of(kpi(200, baseline=100, due=HALF), [("2026-06-01", 140)], today=d("2026-04-01"))
    assert s.expected == pytest.approx(100 + 100 * 90 / 182)


def test_progress_up_and_down() -> None:
    """Progress = (actual − baseline) / (target − baseline), the same formula for a KPI going down."""
    assert status_of(kpi(200, baseline=100), [("2026-06-01", 130)]).progress == pytest.approx(0.3)
    down = status_of(kpi(10, baseline=20), [("2026-06-01", 17)])
    assert down.direction == "down"
    assert down.progress == pytest.approx(0.3)


def test_direction_defaults_from_baseline_to_target() -> None:
    """Without `direction`, a target below the baseline means down; explicit direction wins."""
    assert kpi_direction(kpi(10), 20) == "down"
    assert kpi_direction(kpi(30), 20) == "up"
    assert kpi_direction(kpi(10, direction="up"), 20) == "up"
    assert kpi_direction(kpi(10), None) == "up"


def test_baseline_defaults_to_the_first_measurement() -> None:
    """A level KPI without baseline starts from its first measurement."""
    s = status_of(kpi(200), [("2026-01-15", 120), ("2026-06-01", 160)])
    assert s.baseline == 120
    assert s.progress == pytest.approx(0.5)


# --- statuses -------------------------------------------------------------------------------

UP = {"achieved": 200, "on-track": 150, "at-risk": 146, "off-track": 140}  # baseline 100 → 200, expected 150
DOWN = {"achieved": 10, "on-track": 15, "at-risk": 15.4, "off-track": 16}  # baseline 20 → 10, expected 15


@pytest.mark.parametrize("status", ["achieved", "on-track", "at-risk", "off-track"])
def test_status_of_a_kpi_going_up(status: str) -> None:
    """Half-way through, a KPI from 100 to 200 is on track at 150, at risk at 146 (progress ≥ 0.9 × 0.5),
    off track at 140, achieved at 200."""
    assert status_of(kpi(200, baseline=100), [("2026-06-30", UP[status])]).status == status


@pytest.mark.parametrize("status", ["achieved", "on-track", "at-risk", "off-track"])
def test_status_of_a_kpi_going_down(status: str) -> None:
    """Half-way through, a KPI from 20 down to 10 is on track at 15, at risk at 15.4, off track at 16."""
    s = status_of(kpi(10, baseline=20, direction="down"), [("2026-06-30", DOWN[status])])
    assert s.status == status


def test_beyond_the_target_is_achieved() -> None:
    """Overshooting the target (above for up, below for down) is achieved."""
    assert status_of(kpi(200, baseline=100), [("2026-06-30", 250)]).status == "achieved"
    assert status_of(kpi(10, baseline=20), [("2026-06-30", 5)]).status == "achieved"


def test_no_data() -> None:
    """Without measurements, the status is no-data and there is no progress or forecast."""
    s = status_of(kpi(200, baseline=100), [])
    assert (s.status, s.actual, s.progress, s.forecast) == ("no-data", None, None, None)
    assert s.expected == pytest.approx(150)  # the expected path is still drawn


CUMULATIVE = [("2026-01-31", 1), ("2026-02-28", 1), ("2026-03-31", 1), ("2026-04-30", 1), ("2026-05-31", 1)]


@pytest.mark.parametrize(("june", "status"), [(7, "achieved"), (1, "on-track"), (0.5, "at-risk"), (0, "off-track")])
def test_status_of_a_cumulative_kpi(june: float, status: str) -> None:
    """A cumulative KPI counts the sum since the period start: 12 clients a year, half-way, 6 are
    expected; 5 + June's value decides the status."""
    s = status_of(kpi(12, measure="cumulative"), [*CUMULATIVE, ("2026-06-30", june)])
    assert s.actual == 5 + june
    assert s.status == status


def test_cumulative_without_baseline_starts_from_zero() -> None:
    """A running total has no first value to start from: its baseline is 0, not the first month's
    sales (a deliberate choice: 'new clients this year' starts the year at nothing)."""
    s = status_of(kpi(12, measure="cumulative"), [("2026-01-31", 3), ("2026-02-28", 2)])
    assert s.baseline == 0
    assert s.progress == pytest.approx(5 / 12)


def test_cumulative_without_data_still_has_its_expected_path() -> None:
    """Before the first measurement, a running total is expected to grow from 0 to its target."""
    s = status_of(kpi(12, measure="cumulative"), [])
    assert s.status == "no-data"
    assert s.expected == pytest.approx(6)


def test_cumulative_ignores_measurements_before_the_period() -> None:
    """Last year's measurements are not part of this year's running total."""
    s = status_of(kpi(12, measure="cumulative"), [("2025-12-31", 40), ("2026-01-31", 3)])
    assert s.actual == 3
    assert [v for _, v in s.points] == [3]


def test_cumulative_kpi_going_down() -> None:
    """A cumulative KPI may go down from a stated baseline (e.g. incidents under a budget): the same rules."""
    s = status_of(kpi(40, baseline=100, measure="cumulative", direction="down"), [("2026-03-01", 60)])
    assert s.direction == "down"
    assert s.status == "on-track"  # 60 is below the expected 70


def test_level_kpi_uses_the_latest_value() -> None:
    """A level KPI counts its latest value, not the sum."""
    s = status_of(kpi(200, baseline=100), [("2026-03-31", 120), ("2026-06-30", 150)])
    assert s.actual == 150 and s.actual_date == d("2026-06-30")


def test_at_risk_threshold_is_a_rule() -> None:
    """`rules.at_risk` moves the line between at-risk and off-track: 140 is at risk with 0.8."""
    assert status_of(kpi(200, baseline=100), [("2026-06-30", 140)], at_risk=0.8).status == "at-risk"
    assert status_of(kpi(200, baseline=100), [("2026-06-30", 140)], at_risk=0.9).status == "off-track"
    plan = make_plan([kpi(200, baseline=100)], {"k": [("2026-06-30", 140)]}, at_risk=0.8)
    assert compute_plan(plan, HALF).kpis["k"].status == "at-risk"


# --- forecast and today ---------------------------------------------------------------------


def test_linear_forecast_at_the_due_date() -> None:
    """Measurements on a straight line forecast the value of that line at the due date."""
    pts = [(day.isoformat(), 100 + (day - START).days) for day in (d("2026-01-01"), d("2026-03-01"), d("2026-06-01"))]
    s = status_of(kpi(500, baseline=100), pts)
    assert s.forecast == pytest.approx(100 + (END - START).days)


def test_forecast_needs_two_measurements() -> None:
    """One point gives no forecast."""
    assert status_of(kpi(200, baseline=100), [("2026-06-01", 140)]).forecast is None


def test_measurements_after_today_are_ignored() -> None:
    """A row dated after today counts neither for the actual value nor for the forecast."""
    s = status_of(kpi(200, baseline=100), [("2026-06-01", 140), ("2026-09-01", 999)])
    assert s.actual == 140
    assert s.future_points == 1
    assert s.status == "at-risk"  # 140 on 1 June against 141.5 expected that day
    later = status_of(kpi(200, baseline=100), [("2026-06-01", 140), ("2026-09-01", 999)], today=d("2026-09-01"))
    assert later.actual == 999 and later.future_points == 0


def test_today_option_wins_over_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--today` fixes the day; otherwise SOURCE_DATE_EPOCH does (reproducible builds)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")  # 2026-07-01 00:00 UTC
    assert resolve_today(None) == d("2026-07-01")
    assert resolve_today(d("2026-03-15")) == d("2026-03-15")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_today(None) == dt.date.today()


def test_status_depends_on_today() -> None:
    """The same data is on track early in the year and off track later: once stale, a measurement is
    compared with what is expected today."""
    k = kpi(200, baseline=100)
    assert status_of(k, [("2026-02-01", 110)], today=d("2026-02-01")).status == "on-track"
    assert status_of(k, [("2026-02-01", 110)], today=d("2026-10-01")).status == "off-track"


# --- objectives -----------------------------------------------------------------------------


def test_objective_takes_its_weakest_kpi_and_mean_progress() -> None:
    """An objective is as good as its weakest KPI; its progress is the mean of its KPIs'."""
    kpis = [kpi(200, baseline=100, kid="a"), kpi(200, baseline=100, kid="b"), kpi(200, baseline=100, kid="c")]
    plan = make_plan(kpis, {"a": [("2026-06-30", 200)], "b": [("2026-06-30", 150)], "c": [("2026-06-30", 146)]})
    state = compute_plan(plan, HALF)
    o = state.objectives["o"]
    assert [k.status for k in o.kpis] == ["achieved", "on-track", "at-risk"]
    assert o.status == "at-risk"
    assert o.progress == pytest.approx((1 + 0.5 + 0.46) / 3)


def test_objective_status_order() -> None:
    """Off-track is weaker than at-risk, which is weaker than a KPI without data, then on-track, achieved."""
    kpis = [kpi(200, baseline=100, kid="a"), kpi(200, baseline=100, kid="b")]
    plan = make_plan(kpis, {"a": [("2026-06-30", 140)], "b": [("2026-06-30", 200)]})
    assert compute_plan(plan, HALF).objectives["o"].status == "off-track"
    plan = make_plan(kpis, {"a": [("2026-06-30", 200)]})
    o = compute_plan(plan, HALF).objectives["o"]
    assert o.status == "no-data"
    assert o.progress == pytest.approx(1.0)  # the mean of the KPIs that have a progress


def test_objective_without_kpi_or_data() -> None:
    """No KPI, or no data at all: no-data and no progress."""
    empty = Objective(id="e", loc=Location("x"), locs={}, title="E")
    assert (rollup(empty, []).status, rollup(empty, []).progress) == ("no-data", None)
    plan = make_plan([kpi(200, baseline=100)], {})
    assert compute_plan(plan, HALF).objectives["o"].status == "no-data"


def test_children_are_linked_to_their_parent() -> None:
    """compute_plan lists the objectives that serve each objective."""
    plan = make_plan([], {})
    plan.objectives["child"] = Objective(id="child", loc=Location("x"), locs={}, title="C", parent="o")
    assert compute_plan(plan, HALF).objectives["o"].children == ["child"]
