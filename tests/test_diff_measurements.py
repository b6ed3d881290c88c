"""`strategy diff` and the site's changes and history pages show a KPI's past measurement corrected in its data
file (the date as the locale writes it, the old and new value, and the forecast it moved), tell new rows apart
as the monthly update, and count a whole file rewritten instead of listing it (tester's report, defect 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.test_diff_headline import TODAY, bullets, diff, plan, site_text
from tests.test_gitsource import GitRepo

ARR = [4_210_000, 4_305_500, 4_398_250, 4_470_900, 4_561_300, 4_655_800, 4_720_400, 4_802_150, 4_889_700,
       4_960_300, 5_041_250]  # January to November 2026
RESTATED = [*ARR[:9], 4_990_300, *ARR[10:]]  # October corrected


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo


def arr_plan(values: list[float], *, language: str = "en") -> dict[str, str]:
    """The small plan with an ARR KPI measured monthly from January 2026, one value a month: in pounds in
    English (en-GB), in euros in French."""
    locale, currency, symbol = ("en-GB", "GBP", "£") if language == "en" else ("fr-FR", "EUR", "€")
    files = plan(language=language, settings=f"currency: {currency}\nlocale: {locale}\n",
                 kpis={"arr": ("ARR", symbol, 6_000_000)})
    files["data/arr.csv"] = "date,value\n" + "".join(f"2026-{month:02d},{value}\n"
                                                     for month, value in enumerate(values, start=1))
    return files


def test_a_corrected_past_value_is_said_with_its_date_and_the_forecast_it_moved(repo: GitRepo) -> None:
    """October's ARR restated from £4,960,300 to £4,990,300: the terminal's headline and the KPI's lines, the
    pull-request comment and the JSON all show the month, both amounts and the forecast that moved; the headline's
    figures short when one decimal tells each pair apart, else whole amounts a board can compare ("£4,960,300 →
    £4,990,300", never "£4.96m → £4.99m" nor "£5.145m → £5.147m"), its lines exact (tester 19, defect 6)."""
    repo.commit(arr_plan(ARR), tag="v1")
    repo.commit(arr_plan(RESTATED), tag="v2")
    text = diff("v1", "v2")
    assert ("  • ARR: corrected value for October 2026: £4,960,300 → £4,990,300, so forecast £5,145,173 → "
            "£5,146,575\n") in text
    assert "    Measured value, October 2026  £4,960,300 → £4,990,300\n" in text
    assert "Forecast at due date" in text and "(computed)" in text
    assert "ARR: corrected value for October 2026: £4,960,300 → £4,990,300, so forecast £5,145,173 → £5,146,575" \
        in bullets(diff("v1", "v2", "--format", "markdown"))[0]
    arr = next(c for c in json.loads(diff("v1", "v2", "--format", "json"))["changes"] if c["id"] == "arr")
    fields = {f["path"]: (f["old"], f["new"]) for f in arr["fields"]}
    assert fields["measurement.2026-10"] == (4_960_300, 4_990_300)
    assert fields["forecast"][0] < fields["forecast"][1]


def test_the_changes_page_and_the_history_show_the_correction(repo: GitRepo) -> None:
    """The site's changes page lists the corrected month with both amounts under the KPI, and the history says
    the headline sentence."""
    repo.commit(arr_plan(ARR), tag="v1")
    repo.commit(arr_plan(RESTATED), tag="v2")
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY])
    assert result.exit_code == 0, result.output
    page = site_text(repo, "changes/v1..v2.html")
    assert "Measured value, October 2026" in page and "£4,960,300" in page and "£4,990,300" in page
    assert "ARR: corrected value for October 2026: £4,960,300 → £4,990,300" in site_text(repo, "history.html")


def test_new_rows_read_as_new_measurements_not_as_corrections(repo: GitRepo) -> None:
    """The monthly update (three months appended) reads "Measurements (3 new) 8 → 11" with the computed values
    it moved, and nothing is called corrected."""
    repo.commit(arr_plan(ARR[:8]), tag="v1")
    repo.commit(arr_plan(ARR), tag="v2")
    text = diff("v1", "v2")
    assert "ARR: Measurements (3 new) 8 → 11; Latest value £4,802,150 → £5,041,250" in text
    assert "orrected" not in text and "Measured value" not in text


def test_many_corrected_values_are_counted_with_their_span(repo: GitRepo) -> None:
    """A data file rewritten (every value up 1%) is one line: "11 measurements (January 2026 – November
    2026)", and in the headline "11 past measurements corrected (…)", not eleven rows; JSON counts them too."""
    repo.commit(arr_plan(ARR), tag="v1")
    repo.commit(arr_plan([round(value * 1.01) for value in ARR]), tag="v2")
    text = diff("v1", "v2")
    assert "  • ARR: 11 past measurements corrected (January 2026 – November 2026)" in text
    assert "    Past values corrected  11 measurements (January 2026 – November 2026)" in text
    assert "Measured value" not in text
    arr = next(c for c in json.loads(diff("v1", "v2", "--format", "json"))["changes"] if c["id"] == "arr")
    corrected = next(f for f in arr["fields"] if f["path"] == "measurements.corrected")
    assert corrected["new"] == {"count": 11, "first": "2026-01", "last": "2026-11"}


def test_a_french_plan_says_the_correction_in_french(repo: GitRepo) -> None:
    """A French plan reads « valeur corrigée pour octobre 2026 : 4 960 300 € → 4 990 300 €, donc prévision
    5 145 173 € → 5 146 575 € » (whole amounts where « 4,96 M € → 4,99 M € » would need two decimals)
    and « Valeur mesurée, octobre 2026 »; a row removed reads « valeur retirée pour septembre 2026 »."""
    repo.commit(arr_plan(ARR, language="fr"), tag="v1")
    repo.commit(arr_plan(RESTATED, language="fr"), tag="v2")
    text = diff("v1", "v2")
    assert ("ARR : valeur corrigée pour octobre 2026 : 4 960 300 € → 4 990 300 €, "
            "donc prévision 5 145 173 € → 5 146 575 €\n") in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Valeur mesurée, octobre 2026  4 960 300 € → 4 990 300 €" in text
    assert "Prévision à l'échéance" in text
    files = arr_plan(ARR, language="fr")
    files["data/arr.csv"] = files["data/arr.csv"].replace("2026-09,4889700\n", "")
    repo.commit(files, tag="v3")
    # a summary figure, as the target beside it: « 4,9 M € »
    assert "valeur retirée pour septembre 2026 (c'était 4,9 M €)" in diff("v1", "v3")


VISITS = [21_204, 22_388, 23_035, 23_871, 24_460, 25_512, 26_027, 26_893, 27_410, 28_166]  # January to October


def visits_plan(values: list[int], *, language: str = "en") -> dict[str, str]:
    """The small plan with a count KPI, simulator visits (every value whole), measured monthly from January."""
    files = plan(language=language, kpis={"visits": ("Visits", "visits" if language == "en" else "visites", 40_000)})
    files["data/visits.csv"] = "date,value\n" + "".join(f"2026-{month:02d},{value}\n"
                                                        for month, value in enumerate(values, start=1))
    return files


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_count_kpi_reads_whole_in_the_diff_as_on_its_tiles(repo: GitRepo, language: str) -> None:
    """A count's forecast moved by a corrected month reads whole, as its tiles and sentences do ("forecast
    29,678 visits → 29,651 visits", « prévision 29 678 visites → 29 651 visites »), never with two decimals;
    both in the summary and in the KPI's lines."""
    repo.commit(visits_plan(VISITS, language=language), tag="v1")
    repo.commit(visits_plan([*VISITS[:8], 27_100, VISITS[9]], language=language), tag="v2")
    text = diff("v1", "v2")
    forecast = {"en": "forecast 29,678 visits → 29,651 visits\n",
                "fr": "donc prévision 29 678 visites → 29 651 visites\n"}[language]
    assert forecast in text
    lines = {"en": "Forecast at due date            29,678 visits → 29,651 visits  (computed)",
             "fr": "Prévision à l'échéance          29 678 visites → 29 651 visites  (calculé)"}[language]
    assert lines in text
    assert not re.search(r"\d[.,]\d\d visit", text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dates_written_in_another_form_are_the_same_rows(repo: GitRepo, language: str) -> None:
    """A refresh that writes the months as days' dates (2026-01 → 2026-01-01), corrects one value and appends two
    months reads as one correction and two new measurements ("Measurements (2 new) 9 → 11"), never "9 past
    measurements corrected" beside "11 new": a row is either corrected or new."""
    files = arr_plan(ARR[:9], language=language)
    repo.commit(files, tag="v1")
    files = arr_plan([*ARR[:4], 4_570_000, *ARR[5:]], language=language)
    files["data/arr.csv"] = files["data/arr.csv"].replace(",", "-01,").replace("date-01,", "date,")
    repo.commit(files, tag="v2")
    text = diff("v1", "v2")
    count = {"en": "Measurements (2 new)", "fr": "Mesures (2 nouvelles)"}[language]
    assert re.search(re.escape(count) + r" +9 → 11  \(", text)
    said = {"en": "ARR: corrected value for 1 May 2026: £4,561,300 → £4,570,000, so forecast",
            "fr": "ARR : valeur corrigée pour 1er mai 2026 : 4 561 300 € → 4 570 000 €, donc prévision"}
    assert said[language] in text
    assert "11 new" not in text and "11 nouvelles" not in text and "measurements corrected" not in text
    assert "mesures passées corrigées" not in text
