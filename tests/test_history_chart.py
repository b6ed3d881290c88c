"""The history page's charts (issue 13, item 3): each KPI's target across versions, one small chart per KPI,
versions from the oldest tag to the working tree, in the plan's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.plan.i18n import Formatter
from generator.site import charts
from generator.site.charts import VersionTargets, target_history_charts

PROSPECTS = ["prospects", "Prospects identifiés", 1250, "prospects"]
SATISFACTION = ["satisfaction", "Salariés satisfaits", 80, "%"]


def _versions(current: str = "Version en cours", today: dt.date = dt.date(2026, 1, 5)) -> list[VersionTargets]:
    """v1 and v2, then the working tree dated before both (a build run with an earlier --today): prospects
    raised 1,250 → 2,000 → 2,200, satisfaction kept at 80 %, delay added in v2."""
    delay = ["delai", "Délai de résolution", 24, "h"]
    return [
        VersionTargets("v1", dt.date(2026, 1, 10), [PROSPECTS, SATISFACTION]),
        VersionTargets("v2", dt.date(2026, 3, 2), [[*PROSPECTS[:2], 2000, "prospects"], SATISFACTION, delay]),
        VersionTargets(current, today, [[*PROSPECTS[:2], 2200, "prospects"], SATISFACTION, delay]),
    ]


@pytest.fixture
def fr() -> Formatter:
    return Formatter("fr", "EUR")


@pytest.fixture
def drawn_by_altair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart shape drawn by Altair now: none remembered in memory, an empty chart cache on disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(charts.shapes, "_memo", {})


def _layer(chart: Any, mark: str) -> dict[str, Any]:
    return next(layer for layer in chart.spec["layer"]
                if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == mark)


def _drawn(chart: Any) -> list[tuple[str, float | None]]:
    """The line's points as the x axis orders them: (version, target)."""
    line = _layer(chart, "line")
    order = line["encoding"]["x"]["scale"]["domain"]
    assert line["encoding"]["x"]["sort"] == order
    points = {row["version"]: row["target"] for row in line["data"]["values"]}
    return [(version, points.get(version)) for version in order]


def test_versions_run_from_the_oldest_tag_to_the_working_tree_whatever_its_date(fr: Formatter) -> None:
    """The x axis reads v1, v2, then the working tree, labelled "Version en cours", even when the build's
    today comes before the tags: a target raised 1,250 → 2,000 → 2,200 is drawn rising, not as a V."""
    prospects = target_history_charts(_versions(), fr)[0]
    assert _drawn(prospects) == [("v1", 1250), ("v2", 2000), ("Version en cours", 2200)]
    assert [row[0] for row in prospects.table.rows] == ["v1", "v2", "Version en cours"]
    assert prospects.table.rows[-1] == ["Version en cours", "5 janv. 2026", "2\u202f200\u00a0prospects"]


def test_each_kpi_gets_its_own_small_chart_titled_by_its_title_and_unit(fr: Formatter) -> None:
    """One chart per KPI, in the newest plan's order, each with its own y scale (2,000 prospects beside 80 %):
    a single line, so no colour to tell KPIs apart and no legend to cut; the caption names the KPI and unit."""
    built = target_history_charts(_versions(), fr)
    assert [c.id for c in built] == ["target-history-prospects", "target-history-satisfaction",
                                     "target-history-delai"]
    assert [c.table.caption for c in built] == ["Prospects identifiés (prospects)", "Salariés satisfaits (%)",
                                                "Délai de résolution (h)"]
    for chart in built:
        line = _layer(chart, "line")
        assert "color" not in line["encoding"] and "domain" not in line["encoding"]["y"]["scale"]
        assert chart.spec["width"] == "container"  # as wide as its cell of the page's grid
    assert _drawn(built[1]) == [("v1", 80), ("v2", 80), ("Version en cours", 80)]


def test_values_are_written_at_the_first_version_and_at_each_change(fr: Formatter) -> None:
    """A reader sees the numbers on the chart itself, in the plan's format: "1 250", "2 000", "2 200" for
    the raised target, only "80" for the one never changed."""
    prospects, satisfaction, _ = target_history_charts(_versions(), fr)
    written = [(r["version"], r["label"]) for r in _layer(prospects, "text")["data"]["values"]]
    assert written == [("v1", "1\u202f250"), ("v2", "2\u202f000"), ("Version en cours", "2\u202f200")]
    assert [r["label"] for r in _layer(satisfaction, "text")["data"]["values"]] == ["80"]


def test_a_kpi_absent_from_a_version_breaks_its_line_and_shows_a_dash(fr: Formatter) -> None:
    """The delay KPI, added in v2, has no point at v1 (its line does not start from nowhere) and a dash in
    its table; the chart still spans every version so that the small charts line up."""
    delay = target_history_charts(_versions(), fr)[2]
    assert _drawn(delay) == [("v1", None), ("v2", 24), ("Version en cours", 24)]
    assert delay.table.rows[0] == ["v1", "10 janv. 2026", "–"]
    assert _layer(delay, "line")["mark"]["invalid"] == "break-paths-filter-domains"


def test_a_kpi_removed_since_is_charted_after_the_current_ones_under_its_last_title(fr: Formatter) -> None:
    """A KPI the working tree no longer has keeps its chart (its history still matters), after the current
    plan's KPIs, under the title it last had."""
    versions = [VersionTargets("v1", dt.date(2026, 1, 10), [["old", "Ancien titre", 5, None], PROSPECTS]),
                VersionTargets("v2", dt.date(2026, 2, 10), [["old", "Dernier titre", 6, None], PROSPECTS]),
                VersionTargets("Version en cours", dt.date(2026, 3, 1), [PROSPECTS])]
    built = target_history_charts(versions, fr)
    assert [c.id for c in built] == ["target-history-prospects", "target-history-old"]
    assert built[1].table.caption == "Dernier titre"
    assert _drawn(built[1])[-1] == ("Version en cours", None)


def test_descriptions_and_tables_follow_the_plan_language(fr: Formatter) -> None:
    """The sentence read out for each chart, and its table's headers, are in the plan's language."""
    prospects, satisfaction, _ = target_history_charts(_versions(), fr)
    assert prospects.description == ("Prospects identifiés : cible 1\u202f250\u00a0prospects (v1), "
                                     "2\u202f000\u00a0prospects (v2), 2\u202f200\u00a0prospects (Version en cours).")
    assert satisfaction.description == "Salariés satisfaits : cible de 80\u202f%, inchangée sur 3 versions."
    assert prospects.table.headers == ["Version", "Date", "Cible"]
    en = Formatter("en", "EUR")
    prospects, satisfaction, _ = target_history_charts(_versions("Current version"), en)
    assert prospects.description == ("Prospects identifiés: target 1,250\u00a0prospects (v1), "
                                     "2,000\u00a0prospects (v2), 2,200\u00a0prospects (Current version).")
    assert satisfaction.description == "Salariés satisfaits: target of 80%, unchanged over 3 versions."
    assert prospects.table.headers == ["Version", "Date", "Target"]
    tooltip = [t["title"] for t in _layer(prospects, "line")["encoding"]["tooltip"]]
    assert tooltip == ["Version", "Date", "Target"]


def test_version_names_are_slanted_only_when_neighbours_could_overlap(fr: Formatter) -> None:
    """v1, v2, "Version en cours" fit level on the narrowest chart; six versions are slanted, never
    overlapping or dropped (every version keeps its name on the axis)."""
    axis = _layer(target_history_charts(_versions(), fr)[0], "line")["encoding"]["x"]["axis"]
    assert axis["labelAngle"] == 0 and axis["labelOverlap"] is False
    many = [VersionTargets(f"v{i}", dt.date(2026, 1, i), [PROSPECTS]) for i in range(1, 6)]
    many.append(VersionTargets("Version en cours", dt.date(2026, 2, 1), [PROSPECTS]))
    axis = _layer(target_history_charts(many, fr)[0], "line")["encoding"]["x"]["axis"]
    assert axis["labelAngle"] < 0 and axis["labelOverlap"] is False


@pytest.mark.usefixtures("drawn_by_altair")
def test_history_specs_validate_against_the_vega_lite_schema(fr: Formatter) -> None:
    """Level and slanted axes, broken lines: every variant is a valid Vega-Lite spec, plain JSON."""
    import json

    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    many = [VersionTargets(f"v{i}", dt.date(2026, 1, i), [PROSPECTS]) for i in range(1, 8)]
    for chart in target_history_charts(_versions(), fr) + target_history_charts(many, fr):
        errors = [e.message for e in validator.iter_errors(chart.spec)]
        assert not errors, (chart.id, errors[:3])
        json.dumps(chart.spec, allow_nan=False)


def test_no_kpi_no_chart(fr: Formatter) -> None:
    """A plan without KPIs in any version gets no chart (the page says there is nothing to compare)."""
    assert target_history_charts([VersionTargets("Version en cours", dt.date(2026, 1, 1), [])], fr) == []


def test_a_target_in_dollars_reads_with_its_symbol_where_the_locale_puts_it() -> None:
    """An en-US plan's revenue target moved $12M → $11M: the history's table and sentence read "$12,000,000",
    the chart's numbers "$12M" as its axis counts millions, never "12,000,000 $"."""
    revenue = ["revenue", "Online revenue", 12_000_000, "$"]
    versions = [VersionTargets("v1", dt.date(2026, 1, 10), [revenue]),
                VersionTargets("v2", dt.date(2026, 3, 2), [[*revenue[:2], 11_000_000, "$"]])]
    (chart,) = target_history_charts(versions, Formatter("en", "USD"))
    assert [row[2] for row in chart.table.rows] == ["$12,000,000", "$11,000,000"]
    assert [r["label"] for r in _layer(chart, "text")["data"]["values"]] == ["$12M", "$11M"]
    assert "$12,000,000" in chart.description and "000 $" not in chart.description


def test_a_target_in_millions_of_euros_is_labelled_as_its_axis_counts() -> None:
    """A French KPI in M€ whose target moved 180 → 200: the chart's points read « 180 M € » and « 200 M € », as
    its axis counts millions (they read « 180 000 000 € » beside an axis of 180 and 200); the table stays exact."""
    stock = ["encours", "Encours", 180, "M€"]
    versions = [VersionTargets("v1", dt.date(2026, 1, 10), [stock]),
                VersionTargets("v2", dt.date(2026, 3, 2), [[*stock[:2], 200, "M€"]])]
    (chart,) = target_history_charts(versions, Formatter("fr", "EUR"))
    assert [r["label"] for r in _layer(chart, "text")["data"]["values"]] == ["180\u00a0M\u00a0€", "200\u00a0M\u00a0€"]


def _value_axis_labels(chart: Any, fmt: Formatter) -> list[str]:
    """The value axis's labels of `chart` as drawn for the page."""
    import re

    import vl_convert

    svg = vl_convert.vegalite_to_svg(dict(chart.spec, width=400), format_locale=fmt.vega_format_locale(),
                                     time_format_locale=fmt.vega_time_locale())
    axis = re.search(r'aria-label="Y-axis.*?</g></g></g>', svg, re.S)
    assert axis is not None
    return [text.replace("\u00a0", " ").replace("\u202f", " ") for text in re.findall(r"<text[^>]*>([^<]*)</text>",
                                                                                      axis.group(0))]


@pytest.mark.parametrize(("fmt", "compact", "whole"), [
    (Formatter("en", "GBP", "en-GB"), "6m", "6,000,000"),
    (Formatter("fr", "EUR"), "6 M", "6 000 000"),
])
def test_a_target_in_millions_reads_compact_on_its_value_axis(fmt: Formatter, compact: str, whole: str) -> None:
    """"How the KPI targets moved": an ARR target of 5.2 → 6 million reads "6m" (« 6 M » in French) on its value
    axis, as the KPI charts do from 100,000, not "6,000,000"; a target in hundreds keeps whole figures."""
    arr = ["arr", "ARR", 5_200_000, "£"]
    versions = [VersionTargets("v1", dt.date(2026, 1, 10), [arr, PROSPECTS]),
                VersionTargets("v2", dt.date(2026, 3, 2), [[*arr[:2], 6_000_000, "£"], PROSPECTS])]
    money, prospects = target_history_charts(versions, fmt)
    labels = _value_axis_labels(money, fmt)
    assert compact in labels and whole not in labels, labels
    assert "1,000" in _value_axis_labels(prospects, fmt) or "1 000" in _value_axis_labels(prospects, fmt)
