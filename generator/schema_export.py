"""JSON Schema (draft 2020-12) of the plan files, generated from the Field declarations of schema.py.

Editors use it (VS Code's YAML extension through `yaml.schemas`, which `strategy init` wires) to
complete keys and flag mistakes while typing. The schemas accept exactly what `strategy check`
accepts, as far as JSON Schema can say it: an optional key left empty (`owner:`) is allowed, a rate
may be a number or a text like "1/50" or "2 %", and a text may be written as a number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .plan.i18n import LOCALE_PATTERN
from .plan.kinds import KINDS
from .plan.schema import ID_PATTERN, MAX_ID_LENGTH, SETTINGS_FIELDS, SOURCE_FIELDS, Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# what parse_rate reads from a text: a decimal, a fraction or a percentage (comma decimals too);
# the range (0, 1] of a text rate is left to `strategy check`
_NUMBER = r"(\d+([.,]\d+)?|[.,]\d+)"
RATE_TEXT_PATTERN = rf"^\s*({_NUMBER}\s*/\s*{_NUMBER}|{_NUMBER}\s*%|{_NUMBER})\s*$"

# folder → schema name (the entity kind, singular): each kind of the registry (plan/kinds.py), and the sources
KIND_NAMES = {**{kind.folder: kind.name for kind in KINDS}, "sources": "source"}

TITLES = {
    "strategy": "strategy.yaml: the plan's header and settings",
    **{kind.name: kind.schema_title for kind in KINDS},
    "source": "A SQL source (sources/NAME.yaml): where `strategy refresh` runs the KPIs' queries",
}


def _text(required: bool) -> dict[str, Any]:
    # the checker also reads a number as text (title: 2026); a required text must not be blank
    return {"type": ["string", "number"], "pattern": r"\S"} if required else {"type": ["string", "number"]}


def _value_schema(f: Field) -> dict[str, Any]:
    """The schema of a field's value, without its description or nullability."""
    kind = f.kind
    if kind in ("text", "markdown"):
        return _text(f.required)
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "url":
        return {"type": "string", "pattern": r"^https?://[^\s]+$"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind in ("number", "integer"):
        schema: dict[str, Any] = {"type": kind}
        if f.minimum is not None:
            schema["minimum"] = f.minimum
        if f.exclusive_minimum is not None:
            schema["exclusiveMinimum"] = f.exclusive_minimum
        return schema
    if kind == "enum":
        return {"enum": list(f.choices)}
    if kind == "id":
        return {"type": "string", "pattern": ID_PATTERN.pattern, "maxLength": MAX_ID_LENGTH}
    if kind == "ids":
        return {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN.pattern, "maxLength": MAX_ID_LENGTH}}
    if kind == "texts":
        return {"type": "array", "items": _text(False)}
    if kind == "rate":
        return {"anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            {"type": "string", "pattern": RATE_TEXT_PATTERN},
        ]}
    if kind == "currency":
        return {"type": "string", "pattern": "^[A-Z]{3}$"}
    if kind == "locale":
        return {"type": "string", "pattern": LOCALE_PATTERN}
    if kind == "mapping":
        return object_schema(f.fields)
    if kind == "list":
        schema = {"type": "array", "items": object_schema(f.fields)}
        if f.name == "stages":
            schema["minItems"] = 2
        return schema
    raise ValueError(f"no JSON Schema for the field kind {kind!r}")  # a new kind in schema.py


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`key:` with nothing after it means the key is left out, for an optional key."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [*schema["anyOf"], {"type": "null"}]}


def field_schema(f: Field) -> dict[str, Any]:
    """The schema of one key: its value, its description, and `null` when the key is optional."""
    schema = _value_schema(f)
    if not f.required:
        schema = _nullable(schema)
    description = f.description or f.name.replace("_", " ")
    if f.choices:
        description += " (one of: " + ", ".join(f.choices) + ")"
    return {"description": description, **schema}


def object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def file_schemas() -> dict[str, dict[str, Any]]:
    """One standalone schema per file kind: `strategy`, then each entity kind (singular)."""
    kinds: dict[str, tuple[Field, ...]] = {"strategy": SETTINGS_FIELDS}
    kinds.update({kind.name: kind.fields for kind in KINDS})
    kinds["source"] = SOURCE_FIELDS
    return {
        name: {"$schema": DRAFT, "title": TITLES[name], **object_schema(fields)}
        for name, fields in kinds.items()
    }


def combined_schema() -> dict[str, Any]:
    """Every file kind in one document, under `$defs` (what `strategy schema` prints)."""
    defs = {}
    for name, schema in file_schemas().items():
        defs[name] = {k: v for k, v in schema.items() if k != "$schema"}
    return {
        "$schema": DRAFT,
        "title": "strategy-site plan files",
        "description": "Use #/$defs/strategy for strategy.yaml and #/$defs/KIND for the files in KINDs/.",
        "$defs": defs,
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_file_name(name: str) -> str:
    return f"{name}.schema.json"


def write_schemas(folder: Path) -> list[Path]:
    """Write one `NAME.schema.json` per file kind into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in file_schemas().items():
        path = folder / schema_file_name(name)
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    return written
