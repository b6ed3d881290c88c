"""`strategy init`: a plan repository that checks clean, builds, and never overwrites a file."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.init_plan import starter_files
from generator.pipeline import check
from generator.read.loader import split_front_matter
from generator.read.source import DirectorySource

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
EPOCH = "1795392000"  # 2026-11-23 as SOURCE_DATE_EPOCH


def _init(target: Path, *args: str, epoch: str = EPOCH) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["init", str(target), *args], env={"SOURCE_DATE_EPOCH": epoch})
    return result.exit_code, result.output


@pytest.fixture(scope="module", params=["fr", "en"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A plan repository made by `strategy init --lang LANG`, on 2026-11-23."""
    target = tmp_path_factory.mktemp(f"init-{request.param}") / "plan"
    code, output = _init(target, "--lang", request.param)
    assert code == 0, output
    return request.param, target


def test_new_plan_checks_clean_with_strict(made: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy check --strict` on a new plan: 0 errors and 0 warnings (every KPI has fresh data)."""
    _, target = made
    monkeypatch.chdir(target)
    result = CliRunner().invoke(main, ["check", "content", "--strict", "--format", "json", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["errors"], report["warnings"]) == (0, 0), report


def test_new_plan_follows_the_five_steps(made: tuple[str, Path]) -> None:
    """The plan has strategy.yaml and one example of each step: an objective with a KPI and actions,
    a 3-stage funnel, a persona, an experience, a solution, a page, and a CSV for each KPI."""
    _, target = made
    checked = check(DirectorySource(target / "content"), TODAY)
    plan, state = checked.plan, checked.state
    assert plan is not None and state is not None
    (objective,) = plan.objectives.values()
    assert objective.kpis and objective.actions and objective.due == dt.date(2026, 12, 31)
    (funnel,) = plan.funnels.values()
    assert len(funnel.stages) == 3
    assert len(plan.personas) == len(plan.experiences) == len(plan.solutions) == len(plan.pages) == 1
    for kpi in plan.kpis.values():
        assert plan.series[kpi.id].points, kpi.id
    assert (plan.settings.period_start, plan.settings.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_new_plan_is_in_the_chosen_language(made: tuple[str, Path]) -> None:
    """The plan's language, its guiding comments and its README are in the language asked for."""
    lang, target = made
    settings = yaml.safe_load((target / "content" / "strategy.yaml").read_text(encoding="utf-8"))
    assert settings["language"] == lang
    objective = next((target / "content" / "objectives").glob("*.md")).read_text(encoding="utf-8")
    assert ("Étape 1 sur 5" if lang == "fr" else "Step 1 of 5") in objective
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert ("Publier" if lang == "fr" else "Publish") in readme


def test_a_french_plan_names_the_funnel_as_the_site_does(made: tuple[str, Path]) -> None:
    """The starter's comments, pages and README call a funnel what the tool's messages and the site's menu
    call it: an « entonnoir » in French, a "funnel" in English, never a « tunnel »."""
    lang, target = made
    texts = {path: path.read_text(encoding="utf-8") for path in target.rglob("*")
             if path.is_file() and path.suffix in (".md", ".yaml") and ".git" not in path.parts}
    assert [path for path, text in texts.items() if "tunnel" in text.lower()] == []
    assert sum({"fr": "entonnoir", "en": "funnel"}[lang] in text.lower() for text in texts.values()) >= 4


def test_every_plan_file_has_guiding_comments(made: tuple[str, Path]) -> None:
    """Each plan file explains itself: comments in its YAML (front matter for Markdown files)."""
    _, target = made
    for path in (target / "content").rglob("*"):
        if path.suffix not in (".md", ".yaml"):
            continue
        text = path.read_text(encoding="utf-8")
        front = split_front_matter(text)[0] if path.suffix == ".md" else text
        comments = [line for line in (front or "").splitlines() if "# " in line]
        assert len(comments) >= 2, path


def test_repository_files(made: tuple[str, Path]) -> None:
    """Beside the plan: the publish and preview workflows, a .gitignore for output/ and .venv/, a
    README, the install line, and the editor wiring to schemas that exist."""
    _, target = made
    workflows = sorted(p.name for p in (target / ".github" / "workflows").iterdir())
    assert workflows == ["preview-comment.yml", "preview.yml", "publish.yml", "refresh.yml"]
    ignored = (target / ".gitignore").read_text(encoding="utf-8").split()
    assert "output/" in ignored and ".venv/" in ignored
    assert (target / "README.md").exists() and (target / "requirements.txt").exists()
    settings = json.loads((target / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = settings["yaml.schemas"]
    assert len(mapped) == 8  # strategy.yaml, the six entity folders and sources/
    for schema, globs in mapped.items():
        assert (target / schema).is_file(), schema
        assert all(g.startswith("content/") for g in globs)
    first = (target / "content" / "strategy.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (target / "content" / first.partition("$schema=")[2]).resolve().is_file()


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    """When a file that init would write exists, init lists it, exits 1, and writes nothing at all."""
    target = tmp_path / "plan"
    (target / "content").mkdir(parents=True)
    (target / "content" / "strategy.yaml").write_text("mine\n", encoding="utf-8")
    (target / "README.md").write_text("my readme\n", encoding="utf-8")
    code, output = _init(target)
    assert code == 1
    assert "content/strategy.yaml" in output and "README.md" in output and "nothing was written" in output
    assert (target / "content" / "strategy.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "README.md", "content", "content/strategy.yaml"]


def test_a_file_where_a_folder_goes_is_refused(tmp_path: Path) -> None:
    """A file named like a folder init needs (here `content`) is reported, not crashed on."""
    target = tmp_path / "plan"
    target.mkdir()
    (target / "content").write_text("not a folder\n", encoding="utf-8")
    code, output = _init(target)
    assert code == 1 and "Traceback" not in output
    assert list(target.iterdir()) == [target / "content"]


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DIR, init writes into the current folder, which may already hold other files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("keep\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init"], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "content" / "strategy.yaml").is_file()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep\n"


def test_wrong_language_is_a_usage_error(tmp_path: Path) -> None:
    """`--lang de` is refused with the valid choices (exit 2), and nothing is written."""
    code, output = _init(tmp_path / "plan", "--lang", "de")
    assert code == 2 and "'fr'" in output and "'en'" in output
    assert not (tmp_path / "plan").exists()


@pytest.mark.parametrize(("args", "locale", "currency", "shown"), [
    (["--lang", "en"], None, "USD", "$"),
    (["--locale", "en-GB"], "en-GB", "GBP", "£"),
    (["--lang", "fr"], None, "EUR", "€"),
    (["--locale", "fr-CA"], "fr-CA", "CAD", "$"),
])
def test_the_new_plans_currency_is_its_regions(tmp_path: Path, args: list[str], locale: str | None, currency: str,
                                              shown: str) -> None:
    """An English plan is in dollars (en-US), not euros; `--locale en-GB` gives pounds and writes the locale into
    strategy.yaml, `--locale fr-CA` a French plan in Canadian dollars; the plan checks and its budgets read so."""
    code, output = _init(tmp_path / "plan", *args)
    assert code == 0, output
    settings = yaml.safe_load((tmp_path / "plan/content/strategy.yaml").read_text(encoding="utf-8"))
    assert (settings["currency"], settings.get("locale")) == (currency, locale)
    checked = check(DirectorySource(tmp_path / "plan/content"), TODAY)
    assert checked.state is not None and not checked.diagnostics.errors
    from generator.plan.i18n import Formatter

    s = checked.state.plan.settings
    assert shown in Formatter(s.language, s.currency, s.locale).money(1200)


def test_a_locale_of_another_language_is_refused(tmp_path: Path) -> None:
    """`--lang fr --locale en-GB` is a usage error saying what to write, and nothing is written."""
    code, output = _init(tmp_path / "plan", "--lang", "fr", "--locale", "en-GB")
    assert code == 2 and "écrivez par ex. fr-FR, fr-CA" in output
    assert not (tmp_path / "plan").exists()


def test_period_is_the_current_year_and_reproducible(tmp_path: Path) -> None:
    """The plan covers the year of SOURCE_DATE_EPOCH (else today), and the same date gives the same
    bytes, so a new plan is always fresh and tests are reproducible."""
    epoch_2031 = "1937174400"  # 2031-05-20
    _init(tmp_path / "a", epoch=epoch_2031)
    _init(tmp_path / "b", epoch=epoch_2031)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert files_a == files_b
    settings = yaml.safe_load((tmp_path / "a" / "content" / "strategy.yaml").read_text(encoding="utf-8"))
    assert settings["period"] == {"start": dt.date(2031, 1, 1), "end": dt.date(2031, 12, 31)}
    csv = next((tmp_path / "a" / "content" / "data").glob("*.csv")).read_text(encoding="utf-8").splitlines()
    assert csv[0] == "date,value" and csv[1].startswith("2031-01,") and csv[-1].startswith("2031-05,")


@pytest.mark.parametrize("today", [dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 12, 31)])
def test_checks_clean_on_any_day_of_the_year(today: dt.date, tmp_path: Path) -> None:
    """Made and checked on the same day, on the first, a middle or the last day of the year, the plan
    has no warning (no stale data, no future measurement)."""
    for rel, text in starter_files("en", today).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    diagnostics = check(DirectorySource(tmp_path / "content"), today).diagnostics
    assert list(diagnostics) == [], [str(d) for d in diagnostics]


def test_starter_files_ship_in_the_wheel() -> None:
    """The starter plan is declared as package data, so `pip install strategy-site` can run init."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "starter/**/*" in pyproject["tool"]["setuptools"]["package-data"]["generator"]


def test_new_plan_builds(made: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy build` turns the new plan into a site with its home page."""
    if "build" not in main.commands:
        pytest.skip("strategy build is not written yet")
    _, target = made
    monkeypatch.chdir(target)
    result = CliRunner().invoke(main, ["build", "content", "--strict", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert (target / "output" / "index.html").is_file()
