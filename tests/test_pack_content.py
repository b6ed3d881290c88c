"""What the board pack's pages say, read from the HTML WeasyPrint prints (no PDF made, no chart drawn): its KPI
figures written as the site writes them, and its lists in the order a reader expects (the held-out review of
2026-12-03, defects 2, 3, 5 and 16)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from markupsafe import Markup

from generator.pack import content as pack_content
from generator.pack.render import pack_template, render_html
from generator.pipeline import Checked
from tests.test_funnel_to_date import SETTINGS_FR, TRIAL_DAY, UNMEASURED_BELOW, trial_files

BRITISH = """\
title: Go-to-market plan
language: en
locale: en-GB
currency: GBP
period:
  start: 2026-01-01
  end: 2026-12-31
"""

KPI_OBJECTIVE = """\
---
title: {title}
due: 2026-12-31
kpis:
  - id: {id}
    title: {kpi}
    unit: "{unit}"
    baseline: {baseline}
    target: {target}
    direction: {direction}
    cadence: monthly
---
"""


@pytest.fixture(autouse=True)
def _no_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The charts are not what these tests read: an empty drawing keeps them quick."""
    monkeypatch.setattr(pack_content, "svg", lambda *args, **kwargs: Markup(""))


def pack_text(checked: Checked, limits: pack_content.Limits | None = None) -> str:
    """The pack's text, tags dropped and spaces joined, as pdftotext would read it."""
    assert checked.state is not None
    gathered = pack_content.gather(checked.state, None, with_changes=False, colours={})
    if limits is not None:
        gathered.limits = limits
    page = render_html(gathered, pack_template(None, gathered.settings.theme))
    text = re.sub(r"<[^>]+>", " ", page.split("<body>")[1])
    return " ".join(html.unescape(text).replace("\u00a0", " ").split())


def kpi_row(text: str, kpi: str) -> str:
    """The KPI table's row of `kpi` on its objective's page: its figures up to its status."""
    return text.split(kpi, 1)[1].split(" off track")[0].split(" at risk")[0]


def test_kpi_tables_write_money_percentages_and_counts_as_the_site_does(
        check_plan: Callable[..., Checked]) -> None:
    """In a British plan, the pack's KPI tables write money with the pound sign before it ("£1,230,450", not
    "1,230,450 £"), a percentage stuck to its sign ("1.7%", not "1.7 %"), and a count of whole things whole
    ("3,195 MQLs", not "3,194.51 MQLs"), as the site's pages and the sentence under the table do."""
    checked = check_plan({
        "objectives/pipeline.md": KPI_OBJECTIVE.format(title="Build pipeline", id="pipeline", kpi="Open pipeline",
                                                       unit="£", baseline=0, target=1500000, direction="up"),
        "data/pipeline.csv": "date,value\n2026-09,1100000\n2026-10,1230450\n",
        "objectives/churn.md": KPI_OBJECTIVE.format(title="Reduce churn", id="churn", kpi="Monthly churn",
                                                    unit="%", baseline=2.5, target=1.5, direction="down"),
        "data/churn.csv": "date,value\n2026-09,1.8\n2026-10,1.7\n",
        "objectives/mqls.md": KPI_OBJECTIVE.format(title="More leads", id="mqls", kpi="Qualified leads",
                                                   unit="MQLs", baseline=0, target=3593, direction="up"),
        "data/mqls.csv": "date,value\n2026-09,2500\n2026-10,2728\n",
    }, settings=BRITISH)
    text = pack_text(checked)
    pipeline = kpi_row(text, "Open pipeline ")
    assert pipeline.startswith("£1,230,450 October 2026 £"), pipeline
    assert "£1,500,000" in pipeline and "£ " not in pipeline and "0 £" not in pipeline
    churn = kpi_row(text, "Monthly churn ")
    assert churn.startswith("1.7% October 2026") and "1.5%" in churn and " %" not in churn, churn
    leads = kpi_row(text, "Qualified leads ")
    assert re.fullmatch(r"2,728 MQLs October 2026 [\d,]+ MQLs 3,593 MQLs .*", leads), leads
    assert not re.search(r"\d\.\d+ MQLs", leads), leads


def _behind_plan(values: dict[str, int]) -> dict[str, str]:
    """An objective per title, whose KPI (0 → 100 over the year) was last measured at its value in October:
    the lower, the further behind."""
    files = {}
    for number, (title, value) in enumerate(values.items()):
        files[f"objectives/o{number}.md"] = KPI_OBJECTIVE.format(title=title, id=f"k{number}", kpi=f"KPI {number}",
                                                                 unit="points", baseline=0, target=100,
                                                                 direction="up")
        files[f"data/k{number}.csv"] = f"date,value\n2026-10,{value}\n"
    return files


def test_the_summary_lists_the_objectives_furthest_behind_first_as_the_dashboard_does(
        check_plan: Callable[..., Checked]) -> None:
    """With room for four rows, the summary's objectives are the four furthest behind, the furthest first (the
    dashboard's order), not the first four off track in alphabetical order: "Zinc" at 5 % leads, "Alpha" at
    60 % is left off."""
    checked = check_plan(_behind_plan({"Alpha": 60, "Bravo": 50, "Charlie": 55, "Delta": 40, "Yankee": 20,
                                       "Zinc": 5}), settings=BRITISH)
    text = pack_text(checked, pack_content.Limits(objectives=4, funnels=1, diagnosis=1, actions=1, changes=1))
    table = text.split("Objective Status Progress ", 1)[1].split("… and", 1)[0]
    titles = re.findall(r"(\w+) off track", table)
    assert titles == ["Zinc", "Yankee", "Delta", "Bravo"], table
    assert "… and 2 more objectives" in text


def test_the_contents_list_the_objectives_in_the_readers_alphabetical_order(
        check_plan: Callable[..., Checked]) -> None:
    """A French plan's contents read as a French reader looks things up: « Collection été » before
    « Collection hiver », « Énergie des magasins » among the E (not after « Ventes en ligne »), « Objectif 13 »
    before « Objectif 111 »."""
    titles = ["Ventes en ligne", "Énergie des magasins", "Collection hiver", "Collection été", "Objectif 111",
              "Objectif 13", "emballages recyclés"]
    checked = check_plan({f"objectives/o{n}.md": f"---\ntitle: {title}\ndue: 2026-12-31\n---\n"
                          for n, title in enumerate(titles)})
    contents = pack_text(checked).split("Sommaire Synthèse ", 1)[1].split(" Synthèse", 1)[0]
    assert contents == ("Collection été Collection hiver emballages recyclés Énergie des magasins Objectif 13 "
                        "Objectif 111 Ventes en ligne"), contents


def test_the_pack_says_a_projection_follows_planned_rates(check_plan: Callable[..., Checked]) -> None:
    """The board pack's funnel projection, from measured visits only, says that the stages after them
    follow their planned rates, as the site does."""
    checked = check_plan(trial_files(funnel=UNMEASURED_BELOW), settings=SETTINGS_FR, today=TRIAL_DAY)
    text = pack_text(checked).replace("\u202f", " ")
    assert ("d'après « Visiteurs du site » (rythme moyen depuis le 1er janv. 2026), puis les taux prévus de 2 "
            "étapes non mesurées") in text
