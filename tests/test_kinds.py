"""The registry of entity kinds (plan/kinds.py, issue 17, item 2): each kind of file a plan holds is declared once,
and what the rest of the code needs of a kind is read from there. A kind declared in the registry has all a
kind needs elsewhere, or this test names what is missing; and no module lists the kinds itself again, so a
new kind cannot be forgotten in one of them (it used to crash `strategy diff`)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from generator.diff.compare import KINDS as DIFF_ORDER
from generator.diff.format import KIND_NAMES as DIFF_KIND_NAMES
from generator.plan.kinds import BY_FOLDER, BY_NAME, KINDS
from generator.plan.message_tables import EN, FR
from generator.plan.model import Plan
from generator.schema_export import KIND_NAMES, file_schemas
from generator.site.render import default_theme_dir
from generator.site.ui_text import ui
from generator.versions.links import entity_href

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# modules of words, one entry per word in each language: a kind's words are there by nature
WORD_TABLES = {f"plan/messages_{language}{area}.py" for language in ("en", "fr")
               for area in ("", "_site", "_read", "_commands")}


def test_every_declared_kind_has_what_a_kind_needs() -> None:
    """Each kind has a Plan attribute holding its entities, its page templates in the default theme, its JSON
    schema, its messages in English and French (a duplicated file, its name in a diff), its place in the diff's
    order and its pages linked from a changes page; a step of the menu has its label in both languages."""
    plan_fields = {f.name for f in dataclasses.fields(Plan)}
    templates = default_theme_dir() / "templates"
    schemas = file_schemas()
    missing = []
    for kind in KINDS:
        if kind.folder not in plan_fields:
            missing.append(f"{kind.folder}: no Plan.{kind.folder}")
        for template in (kind.template, kind.index_template):
            if template is not None and not (templates / template).is_file():
                missing.append(f"{kind.folder}: no template {template}")
        if KIND_NAMES.get(kind.folder) != kind.name or kind.name not in schemas:
            missing.append(f"{kind.folder}: no JSON schema `{kind.name}`")
        for language, table in (("en", EN), ("fr", FR)):
            for key in (f"duplicate-file.{kind.folder}", f"diff.kind.{kind.name}"):
                if key not in table:
                    missing.append(f"{kind.folder}: no {language} message `{key}`")
            if kind.step is not None and ui(language, f"step{kind.step}") == f"step{kind.step}":
                missing.append(f"{kind.folder}: no {language} label for step {kind.step}")
        if kind.name not in DIFF_ORDER or kind.name not in DIFF_KIND_NAMES:
            missing.append(f"{kind.folder}: not in the diff's kinds")
        if entity_href(kind.name, "x", "v/v1/") != f"v/v1/{kind.folder}/x.html":
            missing.append(f"{kind.folder}: a changes page does not link its pages")
    assert missing == []
    assert len(BY_FOLDER) == len(BY_NAME) == len(KINDS)
    assert [k.step for k in KINDS if k.step is not None] == [1, 2, 3, 4, 5]


def _kind_words(node: ast.AST) -> set[str]:
    """The kind folders or names a literal collection lists: the strings of a tuple, list or set (or of the
    tuples in it), or of a dict mapping kind words to kind words."""
    words = {k.folder for k in KINDS} | {k.name for k in KINDS}

    def strings(items: list[ast.expr | None]) -> list[str | None]:
        return [e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else None for e in items]

    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        found = [s for s in strings(list(node.elts)) if s is not None]
        for e in node.elts:
            if isinstance(e, ast.Tuple):
                found += [s for s in strings(list(e.elts)) if s is not None]
        return set(found) & words
    if isinstance(node, ast.Dict):
        keys, values = strings(list(node.keys)), strings(list(node.values))
        if all(v is not None and v in words for v in values):
            return {k for k in keys if k is not None} & words
    return set()


def test_no_module_lists_the_kinds_but_the_registry() -> None:
    """No literal tuple, list, set or kind-to-kind mapping outside plan/kinds.py names four kinds or more (the
    word tables aside; three may be an entity's fields, such as an experience's personas, funnel and
    objectives): the loader, the schema export, the menu, the diff and the version links read the registry,
    so declaring a kind there is all they need."""
    found = []
    for file in sorted(GENERATOR.rglob("*.py")):
        rel = file.relative_to(GENERATOR).as_posix()
        if rel == "plan/kinds.py" or rel in WORD_TABLES:
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            words = _kind_words(node)
            if len(words) >= 4:
                found.append(f"{rel}:{getattr(node, 'lineno', '?')}: {sorted(words)}")
    assert found == []
