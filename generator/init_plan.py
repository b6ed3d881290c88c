"""`strategy init`: a ready-to-edit plan repository, following the five steps of the method.

The plan files (with their guiding comments, in French or English) live in generator/starter/ as
package data; this module fills in the year, writes one CSV per KPI with measurements up to today
(so that the new plan checks clean), the schemas and editor settings, and the GitHub workflows.
It never overwrites a file: when any of them exists, it writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

import yaml

from .plan.i18n import DEFAULT_LOCALES
from .plan.messages import EN, render
from .read.loader import split_front_matter
from .schema_export import KIND_NAMES, dumps, file_schemas, schema_file_name

LANGUAGES = ("fr", "en")
PLAN_FOLDER = "content"
SCHEMA_FOLDER = ".schemas"

# How the generated workflows install strategy-site, written once into the plan repository's
# requirements.txt (the single place to change it there, e.g. to pin a tag).
INSTALL_REQUIREMENT = "strategy-site @ git+https://github.com/strategy-site/strategy-site.git@main"

# starter/common files → where they go in the plan repository (package data cannot hold dot-files
# portably, so the dots are added here)
COMMON_FILES = {
    "gitignore": ".gitignore",
    "requirements.txt": "requirements.txt",
    "workflows/publish.yml": ".github/workflows/publish.yml",
    "workflows/preview.yml": ".github/workflows/preview.yml",
    "workflows/preview-comment.yml": ".github/workflows/preview-comment.yml",
    "workflows/refresh.yml": ".github/workflows/refresh.yml",  # the SQL sources' snapshots, reviewed as a PR
    "dependabot.yml": ".github/dependabot.yml",  # keeps the pinned actions current
    "zizmor.yml": ".github/zizmor.yml",  # the findings of the Actions linter that are explained, not fixed
}


class InitRefused(Exception):
    """Some files that `init` would write exist already (relative paths, sorted)."""

    def __init__(self, existing: list[str]) -> None:
        super().__init__(", ".join(existing))
        self.existing = existing


@dataclass(frozen=True)
class StarterKPI:
    id: str
    baseline: float
    target: float
    measure: str


def _starter() -> resources.abc.Traversable:
    return resources.files("generator") / "starter"


def _walk(folder: resources.abc.Traversable, prefix: str = "") -> dict[str, str]:
    """Every file under `folder`, as POSIX path → text."""
    found: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.update(_walk(entry, rel + "/"))
        elif entry.is_file() and not entry.name.endswith((".pyc", "~")):
            found[rel] = entry.read_text(encoding="utf-8")
    return found


# The workflows' words a reader sees (the preview's pull-request comment around the diff, the refresh's commit and
# pull request), in the plan's language: the one table's `workflow.KEY` replaces __KEY__ in a bash double-quoted
# string (a backtick escaped, $RUN_URL the run's address).
WORKFLOW_KEYS = tuple(key.removeprefix("workflow.") for key in EN if key.startswith("workflow."))


def _fill(text: str, year: int, lang: str = "en", **more: str) -> str:
    """The starter file `text` with its placeholders (__YEAR__, __INSTALL__, the workflow words, and `more`)
    filled in; a placeholder alone on its line that `more` fills with "" takes its line away."""
    values = {"YEAR": str(year), "INSTALL": INSTALL_REQUIREMENT,
              **{key: render(lang, f"workflow.{key}") for key in WORKFLOW_KEYS}, **more}
    for key, value in values.items():
        if not value:
            text = re.sub(rf"^__{key}__\n", "", text, flags=re.MULTILINE)
        text = text.replace(f"__{key}__", value)
    return text


def starter_kpis(files: dict[str, str]) -> list[StarterKPI]:
    """The KPIs declared in the starter objectives (read from their front matter)."""
    kpis = []
    for rel, text in files.items():
        if not (rel.startswith(f"{PLAN_FOLDER}/objectives/") and rel.endswith(".md")):
            continue
        front, _, _, problem = split_front_matter(text)
        data = yaml.safe_load(front or "") if problem is None else None
        for kpi in (data or {}).get("kpis") or []:
            kpis.append(StarterKPI(kpi["id"], float(kpi.get("baseline", 0)), float(kpi["target"]),
                                   kpi.get("measure", "level")))
    return kpis


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def monthly_csv(kpi: StarterKPI, year: int, today: dt.date) -> str:
    """One row a month from January to today's month, a little ahead of the straight line from the
    baseline to the target, so that a new plan shows a KPI on track."""
    last_month = 12 if today.year > year else (today.month if today.year == year else 1)
    rows = ["date,value"]
    for month in range(1, last_month + 1):
        share = month / 12
        if kpi.measure == "cumulative":  # the month's own amount: the sum reaches the target in December
            value = round((kpi.target - kpi.baseline) / 12 * 1.05)
        else:
            value = round(kpi.baseline + (kpi.target - kpi.baseline) * min(1.0, share * 1.05))
        rows.append(f"{year}-{month:02d},{_number(value)}")
    return "\n".join(rows) + "\n"


def vscode_settings() -> str:
    """Maps each schema to the files it describes, for VS Code's YAML extension (redhat.vscode-yaml).
    The extension reads .yaml files only; the front matter of .md files is checked by `strategy check`."""
    schemas: dict[str, list[str]] = {f"./{SCHEMA_FOLDER}/{schema_file_name('strategy')}": [
        f"{PLAN_FOLDER}/strategy.yaml"]}
    for folder, kind in KIND_NAMES.items():
        schemas[f"./{SCHEMA_FOLDER}/{schema_file_name(kind)}"] = [
            f"{PLAN_FOLDER}/{folder}/*.yaml", f"{PLAN_FOLDER}/{folder}/*.yml"]
    return json.dumps({"yaml.schemas": schemas}, indent=2, ensure_ascii=False) + "\n"


def locale_currency(locale: str, today: dt.date) -> str:
    """The currency of the locale's region on `today` (en-US → USD, en-GB → GBP, fr-CA → CAD), EUR when Babel
    knows none."""
    from babel.numbers import get_territory_currencies

    region = locale.partition("-")[2]
    try:
        found = get_territory_currencies(region, today) if region else []
    except (ValueError, LookupError):
        found = []
    return found[0] if found else "EUR"


# the column where the starter strategy.yaml's comments start (`language: en` + spaces + `# …`)
SETTINGS_COMMENT_COLUMN = 41


def _settings_values(lang: str, locale: str | None, today: dt.date) -> dict[str, str]:
    """What fills the starter strategy.yaml: the currency of `locale` (else of the language's default region),
    and the line `locale:` when one was chosen."""
    currency = locale_currency(locale or DEFAULT_LOCALES[lang], today)
    line = f"locale: {locale}".ljust(SETTINGS_COMMENT_COLUMN) + "# " + render(lang, "init.locale-comment") \
        if locale else ""
    return {"CURRENCY": currency, "LOCALE": line}


def starter_files(lang: str, today: dt.date, locale: str | None = None) -> dict[str, str]:
    """Every file of a new plan repository, as POSIX path → text, for the language `lang` (and the region of
    `locale`, e.g. en-GB: its money and dates)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no starter plan in {lang!r}; choose one of {', '.join(LANGUAGES)}")
    year = today.year
    root = _starter()
    settings = _settings_values(lang, locale, today)
    files = {rel: _fill(text, year, lang, **settings) for rel, text in _walk(root / lang).items()}
    for source, target in COMMON_FILES.items():
        files[target] = _fill((root / "common" / source).read_text(encoding="utf-8"), year, lang)
    for kpi in starter_kpis(files):
        files[f"{PLAN_FOLDER}/data/{kpi.id}.csv"] = monthly_csv(kpi, year, today)
    for name, schema in file_schemas().items():
        files[f"{SCHEMA_FOLDER}/{schema_file_name(name)}"] = dumps(schema)
    files[".vscode/settings.json"] = vscode_settings()
    files[".vscode/extensions.json"] = json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n"
    return dict(sorted(files.items()))


def _in_the_way(target: Path, rel: str) -> bool:
    """True when writing `rel` would overwrite something (or a file stands where a folder must go)."""
    path = target / rel
    if path.exists() or path.is_symlink():
        return True
    return any(parent.exists() and not parent.is_dir()
               for parent in (target / p for p in PurePosixPath(rel).parents if str(p) != "."))


def init_plan(target: Path, lang: str, today: dt.date, locale: str | None = None) -> list[str]:
    """Write a new plan repository into `target`; returns the relative paths written.
    Raises InitRefused, having written nothing, when any of those files exists."""
    files = starter_files(lang, today, locale)
    if target.exists() and not target.is_dir():
        raise InitRefused(["."])
    existing = [rel for rel in files if _in_the_way(target, rel)]
    if existing:
        raise InitRefused(existing)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as out:  # "x": never replace a file
            out.write(text)
    return list(files)
