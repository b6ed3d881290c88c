"""`strategy schema`: JSON Schema (draft 2020-12) of the plan files, generated from schema.py, that
an editor can use without ever disagreeing with `strategy check`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.cli import main
from generator.plan import kinds
from generator.plan.schema import SETTINGS_FIELDS, Field, parse_rate
from generator.read.loader import split_front_matter
from generator.schema_export import KIND_NAMES, combined_schema, file_schemas

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"
KINDS = ["strategy", "objective", "funnel", "persona", "experience", "solution", "page", "source"]


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(file_schemas()[name], format_checker=Draft202012Validator.FORMAT_CHECKER)


def _as_json(value: Any) -> Any:
    """What an editor sees: YAML dates are text in JSON."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text, _, _, problem = split_front_matter(text)
        assert problem is None, path
    return _as_json(yaml.safe_load(text or "") or {})


def _plan_files(plan: Path) -> list[tuple[str, Path]]:
    files = [("strategy", plan / "strategy.yaml")]
    for folder, kind in KIND_NAMES.items():
        files += [(kind, p) for p in sorted((plan / folder).glob("*")) if p.suffix in (".md", ".yaml", ".yml")]
    return files


def _errors(name: str, data: Any) -> list[str]:
    return [e.message for e in _validator(name).iter_errors(data)]


def test_one_valid_schema_per_file_kind() -> None:
    """There is a draft 2020-12 schema for strategy.yaml and for each entity kind, and each one is
    itself a valid schema."""
    schemas = file_schemas()
    assert list(schemas) == KINDS
    for schema in schemas.values():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
    Draft202012Validator.check_schema(combined_schema())


def _all_fields(fields: tuple[Field, ...], schema: dict[str, Any], where: str) -> None:
    assert schema["additionalProperties"] is False, where
    assert list(schema["properties"]) == [f.name for f in fields], where
    assert schema.get("required", []) == [f.name for f in fields if f.required], where
    for f in fields:
        prop = schema["properties"][f.name]
        assert prop["description"], f"{where}.{f.name}"
        if f.kind == "list":
            _all_fields(f.fields, prop["items"], f"{where}.{f.name}[]")
        elif f.kind == "mapping":
            _all_fields(f.fields, prop, f"{where}.{f.name}")


def test_schemas_follow_the_field_declarations() -> None:
    """Every key of schema.py, nested ones included, is in the schema with a description, in the same
    order; the required keys are required, and any other key is refused."""
    _all_fields(SETTINGS_FIELDS, file_schemas()["strategy"], "strategy")
    for folder, fields in ((kind.folder, kind.fields) for kind in kinds.KINDS):
        _all_fields(fields, file_schemas()[KIND_NAMES[folder]], folder)


def test_schema_details_for_editors() -> None:
    """Enums list their values, ids carry the id pattern, dates are text in date format, rates are a
    number in (0, 1] or a text, and an optional key may be left empty."""
    objective = file_schemas()["objective"]["properties"]
    assert objective["level"]["enum"] == ["enterprise", "marketing", None]
    assert objective["parent"]["pattern"] == "^[a-z0-9][a-z0-9-]*$"
    assert objective["due"]["format"] == "date" and "string" in objective["due"]["type"]
    kpi = objective["kpis"]["items"]["properties"]
    assert kpi["cadence"]["enum"][:5] == ["daily", "weekly", "monthly", "quarterly", "yearly"]
    rate = file_schemas()["funnel"]["properties"]["stages"]["items"]["properties"]["rate"]
    number, text = rate["anyOf"][:2]
    assert number == {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
    assert text["type"] == "string" and text["pattern"]


def test_cli_prints_one_document_or_writes_files(tmp_path: Path) -> None:
    """`strategy schema` prints JSON with every kind under $defs; `--output DIR` writes one file per
    kind, identical to the $defs entries."""
    runner = CliRunner()
    printed = runner.invoke(main, ["schema"])
    assert printed.exit_code == 0
    document = json.loads(printed.output)
    assert list(document["$defs"]) == KINDS
    written = runner.invoke(main, ["schema", "--output", str(tmp_path / "schemas")])
    assert written.exit_code == 0, written.output
    for name in KINDS:
        on_disk = json.loads((tmp_path / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert {k: v for k, v in on_disk.items() if k != "$schema"} == document["$defs"][name]


def test_cli_schema_output_is_stable() -> None:
    """Two runs print the same bytes (the schemas can be committed and diffed)."""
    runner = CliRunner()
    assert runner.invoke(main, ["schema"]).output == runner.invoke(main, ["schema"]).output


@pytest.mark.skipif(not (EXAMPLE / "strategy.yaml").exists(), reason="the example plan is not written yet")
def test_example_plan_validates() -> None:
    """Every file of the example plan (content/) is valid against its schema."""
    files = _plan_files(EXAMPLE)
    assert len(files) > 7
    for name, path in files:
        assert _errors(name, _front_matter(path)) == [], path


def test_init_plan_validates(tmp_path: Path) -> None:
    """The plans made by `strategy init` (fr and en) are valid against the schemas."""
    from generator.init_plan import init_plan

    for lang in ("fr", "en"):
        init_plan(tmp_path / lang, lang, dt.date(2026, 11, 23))
        for name, path in _plan_files(tmp_path / lang / "content"):
            assert _errors(name, _front_matter(path)) == [], path


GOOD_OBJECTIVE = {"title": "More leads", "due": "2026-12-31", "owner": None,
                  "kpis": [{"id": "leads", "title": "Leads", "target": 40, "cadence": "monthly"}]}


@pytest.mark.parametrize("name, data, why", [
    ("objective", {**GOOD_OBJECTIVE, "titel": "x"}, "unknown key"),
    ("objective", {"due": "2026-12-31"}, "missing title"),
    ("objective", {**GOOD_OBJECTIVE, "title": "  "}, "blank title"),
    ("objective", {**GOOD_OBJECTIVE, "level": "company"}, "not one of the levels"),
    ("objective", {**GOOD_OBJECTIVE, "parent": "Croissance CA"}, "bad id"),
    ("objective", {**GOOD_OBJECTIVE, "due": "31/12/2026"}, "not an ISO date"),
    ("objective", {**GOOD_OBJECTIVE, "due": "2026-13-45"}, "not a real date"),
    ("objective", {**GOOD_OBJECTIVE, "kpis": [{"id": "leads", "title": "Leads"}]}, "KPI without target"),
    ("objective", {**GOOD_OBJECTIVE, "kpis": [{"id": "leads", "title": "L", "target": "40"}]}, "text target"),
    ("funnel", {"title": "F", "goal": 0, "stages": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]},
     "goal must be above 0"),
    ("funnel", {"title": "F", "goal": 5, "stages": [{"id": "a", "title": "A"}]}, "one stage"),
    ("funnel", {"title": "F", "goal": 5, "stages": [{"id": "a", "title": "A"},
                                                    {"id": "b", "title": "B", "rate": 1.5}]}, "rate above 1"),
    ("funnel", {"title": "F", "goal": 5, "stages": [{"id": "a", "title": "A"},
                                                    {"id": "b", "title": "B", "rate": "half"}]}, "rate in words"),
    ("solution", {"title": "S", "cost": {"amount": 10, "per": "week"}}, "cost per week"),
    ("strategy", {"title": "P", "period": {"start": "2026-01-01"}}, "period without end"),
    ("strategy", {"title": "P", "period": {"start": "2026-01-01", "end": "2026-12-31"}, "currency": "euro"},
     "currency not an ISO code"),
    ("strategy", {"title": "P", "period": {"start": "2026-01-01", "end": "2026-12-31"}, "language": "de"},
     "unsupported language"),
    ("page", {"title": "P", "order": 1.5}, "order not whole"),
])
def test_wrong_files_fail(name: str, data: dict[str, Any], why: str) -> None:
    """A wrong file is flagged by the schema, as `strategy check` flags it."""
    assert _errors(name, data), why


def test_what_check_accepts_the_schema_accepts() -> None:
    """Forms that `strategy check` reads are not flagged by the editor: rates as fractions and
    percentages, a number as a title, an empty optional key, a whole number written 2.0."""
    funnel = {"title": 2026, "goal": 5, "due": None, "stages": [
        {"id": "a", "title": "A", "cost": 0},
        {"id": "b", "title": "B", "rate": "1/50"}, {"id": "c", "title": "C", "rate": "2 %"},
        {"id": "d", "title": "D", "rate": 0.2}, {"id": "e", "title": "E", "rate": "0,5"},
        {"id": "f", "title": "F", "rate": 1}]}
    assert _errors("funnel", funnel) == []
    assert _errors("page", {"title": "P", "order": 2.0}) == []
    assert _errors("objective", GOOD_OBJECTIVE) == []


_decimal = st.decimals(min_value="0.001", max_value="1", places=3).map(str)


@given(st.one_of(
    _decimal,
    st.tuples(st.integers(1, 99), st.integers(1, 999)).filter(lambda t: t[0] <= t[1]).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(st.integers(1, 100), st.sampled_from(["%", " %"])).map(lambda t: f"{t[0]}{t[1]}"),
))
def test_any_rate_check_accepts_is_valid_in_the_schema(text: str) -> None:
    """Every text rate that `strategy check` reads as a rate in (0, 1] passes the schema."""
    rate = parse_rate(text)
    if rate is not None and 0 < rate <= 1:
        stage = {"id": "b", "title": "B", "rate": text}
        assert _errors("funnel", {"title": "F", "goal": 1, "stages": [{"id": "a", "title": "A"}, stage]}) == []


def _codes_in_source() -> set[str]:
    pattern = re.compile(r'(?:error|warning|YamlProblem)\(\s*"([a-z][a-z-]+)"')
    return {code for path in (ROOT / "generator").rglob("*.py") for code in pattern.findall(path.read_text("utf-8"))}


def test_format_reference_lists_every_diagnostic_code() -> None:
    """docs/format.md explains every error and warning code that `strategy check` can print."""
    codes = _codes_in_source()
    assert {"unknown-key", "yaml-syntax", "stale-data", "budget-share"} <= codes
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", (ROOT / "docs" / "format.md").read_text("utf-8"), re.M))
    assert codes <= documented, f"undocumented codes: {sorted(codes - documented)}"


def test_format_reference_lists_every_key() -> None:
    """docs/format.md has a table row for every key of every file kind, nested keys included."""
    text = (ROOT / "docs" / "format.md").read_text("utf-8")

    def names(fields: tuple[Field, ...]) -> set[str]:
        return {n for f in fields for n in {f.name, *names(f.fields)}}

    keys = names(SETTINGS_FIELDS) | {n for kind in kinds.KINDS for n in names(kind.fields)}
    # `key`, or inside a code span such as `versions.tags` or `{amount: number, per: month}`
    missing = [k for k in sorted(keys) if not re.search(rf"`[^`\n]*\b{k}\b[^`\n]*`", text)]
    assert missing == []
