"""Funnel actuals to date, as a board reads them: each stage's volume since the period start against its
need to date, the projection at the due date in the goal's unit, and a diagnosis that never says "no
bottleneck" while the last stage is behind (issue 13, item 1 and 8)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.pipeline import Checked
from generator.plan.compute import compute_plan
from generator.plan.diagnostics import Location
from generator.plan.message_tables import guillemets_unbroken
from generator.plan.model import KPI, Funnel, Objective, Plan, Point, Series, Settings, Stage

# The trial's plan, as a French marketing lead wrote it: visits per month at the top (a level KPI), running
# totals below; 4 of 8 clients signed on 2 December.
SETTINGS_FR = """\
title: Plan de la boutique
language: fr
period:
  start: 2026-01-01
  end: 2026-12-31
"""
OBJECTIVE = """\
---
title: Signer 8 clients en 2026
due: 2026-12-31
kpis:
  - id: visites
    title: Visites du site par mois
    unit: visites
    target: 6000
    measure: level
    data: data/visites.csv
  - id: prospects
    title: Prospects depuis janvier
    target: 400
    measure: cumulative
    data: data/prospects.csv
  - id: clients
    title: Clients signés depuis janvier
    unit: clients
    target: 8
    measure: cumulative
    data: data/clients.csv
---
"""
FUNNEL = """\
title: Acquisition en ligne
goal: 8
due: 2026-12-31
stages:
  - id: visiteurs
    title: Visiteurs du site
    kpi: visites
  - id: prospects
    title: Prospects
    rate: "1 %"
    kpi: prospects
  - id: clients
    title: Clients signés
    rate: "1/20"
    kpi: clients
"""
VISITS = [3900, 4100, 4200, 4000, 4300, 4400, 3800, 3500, 4500, 4600, 4610]  # January to November
PROSPECTS = [25, 30, 28, 26, 31, 30, 22, 20, 33, 35, 36]
CLIENTS = [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1]
TRIAL_DAY = dt.date(2026, 12, 2)


def _csv(values: list[int]) -> str:
    return "date,value\n" + "".join(f"2026-{m:02d},{v}\n" for m, v in enumerate(values, start=1))


def trial_files(*, funnel: str = FUNNEL) -> dict[str, str]:
    return {"objectives/ventes.md": OBJECTIVE, "funnels/acquisition.yaml": funnel,
            "data/visites.csv": _csv(VISITS), "data/prospects.csv": _csv(PROSPECTS),
            "data/clients.csv": _csv(CLIENTS)}


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def page_text(path: Path) -> str:
    """A page's words as a reader sees them (tags dropped, entities decoded, spaces collapsed)."""
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).replace("\u202f", " ").replace(
        "\u00a0", " ")


@pytest.fixture
def trial_site(make_plan: Callable[..., Path], tmp_path: Path) -> Path:
    plan = make_plan(trial_files(), settings=SETTINGS_FR)
    out = tmp_path / "site"
    run("build", str(plan), "-o", str(out), "--today", TRIAL_DAY.isoformat())
    return out


def test_stage_volumes_are_sums_since_the_period_start(check_plan: Callable[..., object]) -> None:
    """The top stage, a per-month KPI, counts every visit since January (45,910), not November's 4,610, so
    visitors → prospects reads 0,7 %, not 6,9 %."""
    checked = check_plan(trial_files(), settings=SETTINGS_FR, today=TRIAL_DAY)
    fs = checked.state.funnels["acquisition"]  # type: ignore[attr-defined]
    assert [s.actual for s in fs.stages] == [sum(VISITS), sum(PROSPECTS), sum(CLIENTS)]
    assert fs.stages[1].observed_rate == pytest.approx(sum(PROSPECTS) / sum(VISITS))
    assert fs.elapsed == pytest.approx(335 / 364)
    assert fs.stages[-1].need_to_date == pytest.approx(8 * 335 / 364)


def test_funnel_page_shows_need_to_date_projection_and_diagnosis(trial_site: Path) -> None:
    """The page says 4 of the 8 whole clients needed by now (7,4 rounded up), ≈ 4,4 by the due date (4,35, its
    half rounded up) in the goal's unit, and names what limits the funnel instead of "Aucun goulot"."""
    text = page_text(trial_site / "funnels" / "acquisition.html")
    assert "Besoin à ce jour" in text
    assert "≈ 4,4 clients signés sur 8 au 31 déc. 2026" in text
    assert "Aucun goulot" not in text
    assert "Retard en volume : « Clients signés » en est à 4 pour 8 attendus à ce jour (8 d'ici le 31 déc. 2026)" \
        in text
    assert "Goulot d'étranglement : « Clients signés » convertit 1,3 % de « Prospects », pour 5 % prévus" in text


def test_dashboard_shows_every_funnel_with_its_diagnosis(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """With two funnels, the dashboard shows both at a glance (not the first by name), each with its
    projection and diagnosis; marking one `main: true` keeps only that one, the other linked."""
    second = FUNNEL.replace("Acquisition en ligne", "Salons professionnels")
    files = {**trial_files(), "funnels/salons.yaml": second}
    plan = make_plan(files, settings=SETTINGS_FR)
    out = tmp_path / "site"
    run("build", str(plan), "-o", str(out), "--today", TRIAL_DAY.isoformat())
    text = page_text(out / "index.html")
    assert "Les entonnoirs en un coup d'œil" in text
    assert text.count("Retard en volume") == 2
    assert "Acquisition en ligne" in text and "Salons professionnels" in text

    (plan / "funnels" / "salons.yaml").write_text(second.replace("due: 2026-12-31", "due: 2026-12-31\nmain: true"),
                                                  encoding="utf-8")
    run("build", str(plan), "-o", str(out), "--today", TRIAL_DAY.isoformat())
    text = page_text(out / "index.html")
    assert text.count("Retard en volume") == 1
    assert "Autres entonnoirs : Acquisition en ligne" in text


def test_funnel_json_gains_need_to_date_projection_and_shortfall(make_plan: Callable[..., Path]) -> None:
    """`strategy funnel --format json` gives each stage's need to date, the projection and the shortfall
    beside the bottleneck."""
    plan = make_plan(trial_files(), settings=SETTINGS_FR)
    data = json.loads(run("funnel", str(plan), "--format", "json", "--today", TRIAL_DAY.isoformat()))
    (funnel,) = data["funnels"]
    assert [s["need_to_date"] for s in funnel["stages"]] == [
        pytest.approx(16_000 * 335 / 364, abs=0.01), pytest.approx(160 * 335 / 364, abs=0.01),
        pytest.approx(8 * 335 / 364, abs=0.01)]
    # November's total stands at 30 November (333 of 364 days), as on the KPI's page, not at 2 December
    assert funnel["projection"] == pytest.approx(4 * 364 / 333, abs=0.01)
    assert funnel["shortfall"] == "clients"
    assert funnel["bottleneck"] == "clients"


def test_funnel_text_speaks_the_plan_language(make_plan: Callable[..., Path]) -> None:
    """`strategy funnel` on a French plan: French headers, the projection in the goal's unit, the diagnosis."""
    plan = make_plan(trial_files(), settings=SETTINGS_FR)
    out = run("funnel", str(plan), "--today", TRIAL_DAY.isoformat())
    assert "à ce jour" in out and "but 8 clients signés au 31 déc. 2026" in out
    assert "projection ≈ 4,4 clients signés sur 8 au 31 déc. 2026, au rythme moyen depuis le 1er janv. 2026" in out
    assert "Retard en volume" in out


def test_english_weekly_plan_compares_the_year_so_far(make_plan: Callable[..., Path]) -> None:
    """An English plan with weekly KPIs: the top stage is every week since January against the need to
    date, and the projection is in signups, not a week's volume carried through the rates."""
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(20)]  # to 18 May
    settings = SETTINGS_FR.replace("language: fr", "language: en")
    objective = OBJECTIVE.replace("measure: level", "measure: level\n    cadence: weekly")
    files = trial_files()
    files["objectives/ventes.md"] = objective
    files["data/visites.csv"] = "date,value\n" + "".join(f"{d},{15480}\n" for d in weeks)
    plan = make_plan(files, settings=settings)
    data = json.loads(run("funnel", str(plan), "--format", "json", "--today", "2026-05-20"))
    top = data["funnels"][0]["stages"][0]
    assert top["actual"] == 15480 * 20
    assert top["need_to_date"] == pytest.approx(16_000 * 139 / 364, abs=0.01)
    out = run("funnel", str(plan), "--today", "2026-05-20")
    assert re.search(r"projected ≈ [\d.]+ clients signés of 8 by Dec 31, 2026", out)


# visits measured, the stages below them not: the projection rests on the planned rates of those
UNMEASURED_BELOW = FUNNEL.replace("    kpi: prospects\n", "").replace("    kpi: clients\n", "")


def test_a_projection_through_planned_rates_says_so(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Only the visits are measured: the funnel page, the dashboard and `strategy funnel` say the projection
    comes from the measured visits and follows the planned rates of the stages after them, not measured,
    so that ≈ 5,5 signed clients is never read as observed; it counts those stages rather than naming them (the
    table shows which), so that the tile stays short."""
    plan = make_plan(trial_files(funnel=UNMEASURED_BELOW), settings=SETTINGS_FR)
    out = tmp_path / "site"
    run("build", str(plan), "-o", str(out), "--today", TRIAL_DAY.isoformat())
    basis = ("d'après « Visiteurs du site » (rythme moyen depuis le 1er janv. 2026), puis les taux prévus de 2 étapes "
             "non mesurées")
    # the pages give the figure, then what it rests on in small type; the terminal joins them with a comma (and its
    # guillemets hold their no-break spaces: page_text reads them as spaces)
    assert f"sur 8 au 31 déc. 2026 {basis}" in page_text(out / "funnels" / "acquisition.html")
    assert f"sur 8 au 31 déc. 2026 {basis}" in page_text(out / "index.html")
    said = run("funnel", str(plan), "--today", TRIAL_DAY.isoformat())
    assert f"sur 8 au 31 déc. 2026, {guillemets_unbroken(basis)}" in said


def test_a_projection_through_planned_rates_says_so_in_english(make_plan: Callable[..., Path]) -> None:
    """The same in an English plan's `strategy funnel`: "from the measured volume of “Visiteurs du site” …,
    then the planned rates of 2 stages not measured"."""
    plan = make_plan(trial_files(funnel=UNMEASURED_BELOW), settings=SETTINGS_FR.replace("language: fr",
                                                                                          "language: en"))
    out = " ".join(run("funnel", str(plan), "--today", TRIAL_DAY.isoformat()).split())
    assert ("of 8 by Dec 31, 2026, from “Visiteurs du site” (average pace since Jan 1, 2026), then the planned "
            "rates of 2 stages not measured") in out


def test_a_projection_from_the_last_stage_names_no_planned_rate(trial_site: Path) -> None:
    """Every stage measured: the projection is the last stage's own pace, and says nothing of planned rates."""
    text = page_text(trial_site / "funnels" / "acquisition.html")
    assert "≈ 4,4 clients signés sur 8 au 31 déc. 2026 au rythme moyen depuis le 1er janv. 2026" in text
    assert "taux prévus de" not in text and "le taux prévu de" not in text


# --- the property the issue names ------------------------------------------------------------


def _plan(goal: int, rates: list[Fraction], series: list[list[int]], start: dt.date) -> Plan:
    loc = Location("f.yaml")
    stages = [Stage(id=f"s{i}", loc=loc, locs={}, title=f"S{i}", rate=None if i == 0 else rates[i - 1],
                    rate_written=None if i == 0 else str(rates[i - 1]), kpi=f"k{i}") for i in range(len(series))]
    kpis = [KPI(id=f"k{i}", loc=loc, locs={}, title=f"K{i}", target=1.0, objective="o", measure="cumulative")
            for i in range(len(series))]
    months = [dt.date(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1)
              for m in range(12)]
    plan = Plan(settings=Settings(title="P", period_start=start, period_end=dt.date(start.year, 12, 31)))
    plan.objectives["o"] = Objective(id="o", loc=loc, locs={}, title="O", kpis=kpis)
    plan.funnels["f"] = Funnel(id="f", loc=loc, locs={}, title="F", goal=goal, stages=stages)
    for i, values in enumerate(series):
        plan.series[f"k{i}"] = Series(path=f"data/k{i}.csv", column="value",
                                      points=tuple(Point(d, float(v), n + 2) for n, (d, v) in
                                                   enumerate(zip(months, values, strict=False))))
    return plan


@given(
    goal=st.integers(1, 500),
    rates=st.lists(st.fractions(Fraction(1, 100), Fraction(1)), min_size=1, max_size=4),
    data=st.data(),
    day=st.integers(0, 400),
)
def test_property_need_to_date_and_bottleneck(goal: int, rates: list[Fraction], data: st.DataObject,
                                              day: int) -> None:
    """For random funnels and random monthly series: every need to date is at most its need, and the stage
    named as bottleneck has the lowest observed/planned ratio (below the 90 % tolerance)."""
    series = [data.draw(st.lists(st.integers(0, 5000), min_size=0, max_size=12)) for _ in range(len(rates) + 1)]
    start = dt.date(2026, 1, 1)
    state = compute_plan(_plan(goal, rates, series, start), start + dt.timedelta(days=day))
    fs = state.funnels["f"]
    for stage in fs.stages:
        assert stage.need_to_date is not None and stage.need_to_date <= float(stage.need)
    ratios = {s.stage.id: s.ratio for s in fs.stages if s.ratio is not None}
    if fs.bottleneck is not None:
        assert ratios[fs.bottleneck] == min(ratios.values()) < 0.9
    else:
        assert all(r >= 0.9 for r in ratios.values())
    if fs.shortfall is not None:
        paces = [s.pace for s in fs.stages if s.pace is not None]
        assert next(s.pace for s in fs.stages if s.stage.id == fs.shortfall) == min(paces) < 1


def test_when_every_rate_is_within_tolerance_the_top_most_stage_behind_is_named() -> None:
    """Visits at 9,000 of 11,000 needed by now and signups converting at 3.9 % against 4 % (noise): the
    diagnosis names the visits as what limits the funnel, not the signups they feed."""
    from generator.plan.compute import compute_funnel
    from generator.plan.i18n import Formatter
    from generator.site.explain import diagnosis

    loc = Location("f.yaml")
    funnel = Funnel(id="f", loc=loc, locs={}, title="Self-serve", goal=120, stages=[
        Stage(id="visits", loc=loc, locs={}, title="Website visits", kpi="visits"),
        Stage(id="signups", loc=loc, locs={}, title="Trial signups", rate=Fraction(4, 100), rate_written="4%",
              kpi="signups"),
        Stage(id="paying", loc=loc, locs={}, title="Paying customers", rate=Fraction(1, 4), rate_written="1/4",
              kpi="paying")])
    fs = compute_funnel(funnel, {"visits": 9000, "signups": 351, "paying": 88}, elapsed=11 / 12)
    assert fs is not None and fs.bottleneck is None
    text = " ".join(diagnosis(fs, Formatter("en", "USD")))
    assert "the shortfall comes from the volume of “Website visits” (9,000 against 11,000 expected by now" in text


def _distributors() -> Funnel:
    loc = Location("funnels/distributeurs.yaml")
    return Funnel(id="distributeurs", loc=loc, locs={}, title="Recrutement", goal=12, stages=[
        Stage(id="contacts", loc=loc, locs={}, title="Contacts qualifiés", kpi="contacts"),
        Stage(id="demos", loc=loc, locs={}, title="Démonstrations en usine", rate=Fraction(40, 100),
              rate_written="40 %"),
        Stage(id="signes", loc=loc, locs={}, title="Distributeurs signés", rate=Fraction(1, 4), rate_written=0.25,
              kpi="signes")])


def test_a_rate_across_an_unmeasured_stage_is_judged_against_the_planned_rates_between() -> None:
    """The starter plan's shape: contacts and signed distributors measured, demonstrations not. Contacts at
    95 % of their need to date and 6 signed for 11,1: the reader is told contacts → signed converts 5,7 % for
    40 % × 25 % = 10 % planned, not that no stage converts below plan and contacts are the cause."""
    from generator.plan.compute import compute_funnel
    from generator.plan.i18n import Formatter
    from generator.site.explain import diagnosis

    fs = compute_funnel(_distributors(), {"contacts": 106, "signes": 6}, elapsed=11.1 / 12)
    assert fs is not None and fs.bottleneck == "signes"
    text = " ".join(diagnosis(fs, Formatter("fr", "EUR"))).replace("\u202f", " ").replace("\u00a0", " ")
    assert ("Goulot d'étranglement entre « Contacts qualifiés » et « Distributeurs signés » : 5,7 % pour 10 % "
            "prévus (57 % du taux prévu) ; l'étape « Démonstrations en usine » entre les deux n'est pas mesurée."
            ) in text
    assert "Aucun" not in text and "vient du volume de « Contacts qualifiés »" not in text
    english = " ".join(diagnosis(fs, Formatter("en", "USD")))
    assert ("Bottleneck between “Contacts qualifiés” and “Distributeurs signés”: 5.7% against 10% planned (57% of "
            "the planned rate); the stage “Démonstrations en usine” between them is not measured.") in english
    # the stage table's observed rate stays per stage: none for a stage whose stage above is not measured
    assert [s.observed_rate for s in fs.stages] == [None, None, None]


def test_without_any_measured_rate_the_diagnosis_speaks_of_volumes_only() -> None:
    """Only the top stage measured, and behind: the reader is told its volume is behind, never that "no stage
    converts below 90 % of its planned rate", a rate nobody measured."""
    from generator.plan.compute import compute_funnel
    from generator.plan.i18n import Formatter
    from generator.site.explain import diagnosis

    fs = compute_funnel(_distributors(), {"contacts": 80}, elapsed=11.1 / 12)
    assert fs is not None
    text = " ".join(diagnosis(fs, Formatter("fr", "EUR"))).replace("\u202f", " ").replace("\u00a0", " ")
    assert text.startswith("Retard en volume : « Contacts qualifiés » en est à 80 pour 111 attendus à ce jour")
    assert "taux" not in text


def test_funnel_command_judges_the_rate_across_an_unlinked_stage(make_plan: Callable[..., Path]) -> None:
    """`strategy funnel` on the trial plan with its middle stage not linked to a KPI: visits → clients is
    judged against 1 % × 1/20 planned, and named as the bottleneck."""
    funnel = FUNNEL.replace("    rate: \"1 %\"\n    kpi: prospects\n", "    rate: \"1 %\"\n")
    plan = make_plan(trial_files(funnel=funnel), settings=SETTINGS_FR)
    out = run("funnel", str(plan), "--today", TRIAL_DAY.isoformat())
    assert "Goulot d'étranglement entre «\u00a0Visiteurs du site\u00a0» et «\u00a0Clients signés\u00a0»" in out
    assert "l'étape «\u00a0Prospects\u00a0» entre les deux n'est pas mesurée" in out
    assert "Aucun taux mesuré" not in out


def test_counts_are_whole_in_sentences_and_projections() -> None:
    """Counts of whole things read whole: 6 distributors signed for 12 expected by now (11,1 rounded up: 11
    signed would still be behind), a projection of ≈ 114 833 orders rather than 114 833,3; a small
    projection keeps its tenth (≈ 6,5)."""
    from generator.plan.compute import compute_funnel
    from generator.plan.i18n import Formatter
    from generator.site.explain import diagnosis, projection_text

    fr = Formatter("fr", "EUR")
    fs = compute_funnel(_distributors(), {"contacts": 106, "signes": 6}, elapsed=11.1 / 12)
    assert fs is not None
    text = " ".join(diagnosis(fs, fr))
    assert "«\u00a0Distributeurs signés\u00a0» en est à 6 pour 12 attendus à ce jour (12 d'ici le" in text
    assert (projection_text(fs, fr) or "").startswith("≈ 6,5 distributeurs signés sur 12")
    big = compute_funnel(_distributors(), {"signes": 106_000}, elapsed=0.923)
    assert big is not None
    assert (projection_text(big, fr) or "").startswith("≈ 114\u202f843 distributeurs signés sur 12")


def test_a_projection_short_of_the_goal_never_reads_as_reaching_it(make_plan: Callable[..., Path]) -> None:
    """21 of 23 clients signed by the end of November project to 22.95 by the due date: `strategy funnel` says
    "≈ 22.9 … of 23" (« ≈ 22,9 … sur 23 »), not "≈ 23 … of 23" beside a diagnosis that the clients are behind."""
    files = trial_files(funnel=FUNNEL.replace("goal: 8", "goal: 23"))
    files["objectives/ventes.md"] = OBJECTIVE.replace("target: 8", "target: 23")
    files["data/clients.csv"] = _csv([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1])  # 21 by November
    plan = make_plan(files, settings=SETTINGS_FR)
    out = run("funnel", str(plan), "--today", TRIAL_DAY.isoformat())
    assert "projection ≈ 22,9 clients signés sur 23 au 31 déc. 2026" in out
    (plan / "strategy.yaml").write_text(SETTINGS_FR.replace("language: fr", "language: en"), encoding="utf-8")
    out = run("funnel", str(plan), "--today", TRIAL_DAY.isoformat())
    assert "projected ≈ 22.9 clients signés of 23 by Dec 31, 2026" in out


def test_a_rounded_projection_stays_on_its_side_of_the_goal() -> None:
    """A projection is rounded as a count (whole from 20 up, a tenth below) unless that would carry it onto or
    across the goal: then it keeps a tenth, cut toward its own side (23.97 of 24 reads 23.9, 24.02 reads
    24.1, 4.96 of 5 reads 4.9); one on the goal, or far from it, reads as before."""
    from generator.plan.i18n import Formatter

    en, fr = Formatter("en", "USD"), Formatter("fr", "EUR")
    assert en.volume_toward(23.83, 24) == (23.8, "23.8")
    assert en.volume_toward(23.97, 24) == (23.9, "23.9")
    assert fr.volume_toward(24.02, 24) == (24.1, "24,1")
    assert fr.volume_toward(4.96, 5) == (4.9, "4,9")
    assert en.volume_toward(24.0, 24) == (24.0, "24")
    assert en.volume_toward(216.6, 120) == (217.0, "217")
    assert fr.volume_toward(6.54, 12) == (6.5, "6,5")


@pytest.mark.parametrize("rows", [_csv(CLIENTS), _csv(CLIENTS).replace("-01,", "-01-01,")])
def test_the_funnel_projects_the_last_stage_as_its_kpi_page_forecasts_it(
        rows: str, check_plan: Callable[..., Checked]) -> None:
    """One number for one quantity: the funnel's projection of signed clients (page, dashboard, pack,
    `strategy funnel`) is the forecast on the KPI's page, November's total read against the time gone by at
    its end (or at the row's own date when months are written as days), never 6,197 beside 6,252."""
    files = trial_files()
    files["data/clients.csv"] = rows
    checked = check_plan(files, settings=SETTINGS_FR, today=TRIAL_DAY)
    assert checked.state is not None
    forecast = checked.state.kpis["clients"].forecast
    assert forecast is not None
    assert checked.state.funnels["acquisition"].projection == pytest.approx(forecast, abs=0.01)
