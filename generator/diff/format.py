"""`strategy diff` output: text for a terminal, Markdown for a pull-request comment, JSON for tools.

Everything that comes from the plan is escaped in Markdown and HTML, so that a plan edited in a
pull request cannot inject links, images, mentions or markup into the comment that reviews it.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from ..plan.i18n import Formatter
from ..plan.kinds import KINDS
from ..plan.terminal_text import terminal_safe
from ..read.gitsource import WORKING_TREE
from .compare import EntityChange, PlanDiff
from .fields import counts, field_name, is_decision, kind_name, said
from .headline import because_text, headline, headlines
from .markdown_text import markdown_text
from .values import TEXT_PATHS, Sides, change_text, lines_changed, pair, show_value

MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
CELL_LIMIT = 300  # a table cell longer than this is cut: the full text is in the site's diff
# the changes page's kind of each section: the plan, KPIs, actions, and each kind of the registry (plan/kinds.py)
KIND_NAMES = {"plan": "plan", "kpi": "KPI", "action": "action", **{kind.name: kind.name for kind in KINDS}}
OP_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
# Every word is in the plan's language: the summary sentences and edited text (diff/phrases.py), the fields
# named in words (diff/fields.py), counts, headers and notes (plan/messages_*.py, `diff.*`).

def _counts(diff: PlanDiff) -> str:
    return ", ".join(counts(diff.summary, diff.language)) or said(diff.language, "diff.no-change")


def _decided(c: EntityChange) -> bool:
    """Someone decided this change (an entity added or removed, a written field edited); else only computed
    values moved with the date and the measurements, and the change is folded below the decisions. An objective
    whose KPI's target (or other written field) moved it is shown with the decisions, and why."""
    return c.op != "changed" or any(not f.derived for f in c.fields) or bool(c.via)


def _computed_note(c: EntityChange, path: str, sides: Sides, title: Callable[[str], str] = str) -> str:
    """"computed", and for an objective's value its KPI moved, why: "computed, because KPI “Average basket”
    changed: target $90 → $95"."""
    computed = said(sides.new.language, "diff.computed")
    return f"{computed}, {because_text(c, sides, title)}" if path in c.via else computed


def _by_weight(changes: list[EntityChange]) -> list[EntityChange]:
    """Decisions first (goals, targets, rates, entities added or removed), then other edits, then the rest."""
    def weight(c: EntityChange) -> int:
        if c.op != "changed" or any(is_decision(f.path) for f in c.fields):
            return 0
        return 1 if _decided(c) else 2
    return sorted(changes, key=weight)  # stable: the compared order within each


def _revision_name(label: str, language: str = "en") -> str:
    """A revision as the reader sees it: `v1` in code, the working tree in words."""
    return said(language, "diff.working-tree") if label == WORKING_TREE else f"`{label.replace('`', '')}`"


def _revision_words(label: str, language: str) -> str:
    """A revision in text output: its name as the user gave it, the working tree in words."""
    return said(language, "diff.working-tree") if label == WORKING_TREE else label


# --- JSON ------------------------------------------------------------------------------------


def diff_json(diff: PlanDiff) -> str:
    return json.dumps(diff.to_json(), ensure_ascii=False, indent=2)


# --- text ------------------------------------------------------------------------------------


def diff_text(diff: PlanDiff, *, colour: bool = False) -> str:
    """Grouped by entity: `~ funnel acquisition  Acquisition`, then one line per field."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    sides = Sides.of(diff)
    fmt = sides.new
    language = diff.language
    lines = [paint(f"{_revision_words(diff.old, language)} → {_revision_words(diff.new, language)}"
                   f"{said(language, 'diff.colon')}{_counts(diff)}", "1")]
    lines += ["  • " + terminal_safe(top) for top in headline(diff, code=False).lines()]
    colours = {"added": "32", "removed": "31", "changed": "33"}
    changes = _by_weight(diff.changes)
    decided = [c for c in changes if _decided(c)]
    for c in decided:
        lines.append("")
        lines.append(paint(f"{OP_SIGNS[c.op]} {kind_name(c.kind, language)} {c.id}", colours[c.op] + ";1")
                     + f"  {_one_line(c.title)}"
                     + ("" if c.op == "changed" else f"  ({said(language, 'diff.op.' + c.op)})"))
        if c.op != "changed":
            continue
        names = {f.path: field_name(c, f.path, fmt) for f in c.fields}
        width = max(len(name) for name in names.values())
        for f in c.fields:
            note = paint(f"  ({_computed_note(c, f.path, sides)})", "2") if f.derived else ""
            shown = _one_line(change_text(f, c, sides))
            lines.append(f"    {_one_line(names[f.path]).ljust(width)}  {shown}{note}")
    moved = [c for c in changes if not _decided(c)]
    if moved:  # measurements that only moved, folded: one line per entity
        lines += ["", paint(said(language, "diff.moved", count=len(moved)), "2")]
        for c in moved:
            parts = [f"{field_name(c, f.path, fmt)} {change_text(f, c, sides)}" for f in c.fields]
            shown = _one_line(said(language, "diff.separator").join(parts), 200)
            lines.append(f"    {_one_line(c.title, 60)}{said(language, 'diff.colon')}{shown}")
    if not diff.changes:
        lines.append(said(language, "diff.same"))
    return "\n".join(lines)


_BREAKING_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # a no-break space (« 1 250 », « ; ») is kept


def _one_line(text: str, limit: int = 160) -> str:
    text = _BREAKING_SPACES.sub(" ", text).strip()
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return terminal_safe(text)  # no ESC, BEL or `::` of a title reaches the terminal or the CI log


# --- Markdown --------------------------------------------------------------------------------

_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#@$&+,;=%-]+$")  # no space, bracket, pipe or quote
def html_text(text: str) -> str:
    """Plan text inside an HTML element (a <summary>): escaped, mentions and links disarmed."""
    text = html.escape(" ".join(str(text).split()), quote=True)
    return re.sub(r"[@:\[\]()*_`~|\\!]", lambda m: f"&#{ord(m[0])};", text)


def _cell(text: str) -> str:
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return markdown_text(text)


def _entity_block(c: EntityChange, sides: Sides) -> str:
    fmt = sides.new
    language = fmt.language
    count = said(language, "diff.fields", count=len(c.fields))
    summary = (f"{OP_SIGNS[c.op]} {kind_name(c.kind, language)} <code>{html_text(c.id)}</code> · "
               f"{html_text(c.title)} — {said(language, 'diff.op.' + c.op)}"
               + (f" ({count})" if c.op == "changed" else ""))
    head = {key: said(language, f"diff.header.{key}") for key in ("field", "before", "after", "value")}
    rows: list[str]
    if c.op == "changed":
        rows = [f"| {head['field']} | {head['before']} | {head['after']} |", "|---|---|---|"]
        for f in c.fields:
            name = markdown_text(field_name(c, f.path, fmt)) + \
                (f" *({_computed_note(c, f.path, sides, markdown_text)})*" if f.derived else "")
            if f.path in TEXT_PATHS:
                rows.append(f"| {name} | {_cell(lines_changed(f.old, f.new, language))} | |")
            else:
                old, new = pair(f, c, sides)
                rows.append(f"| {name} | {_cell(old)} | {_cell(new)} |")
    else:
        rows = [f"| {head['field']} | {head['value']} |", "|---|---|"]
        for f in c.fields:
            value = f.new if c.op == "added" else f.old
            shown = said(language, "diff.text-lines", count=len(str(value).splitlines())) \
                if f.path in TEXT_PATHS else _alone(value, f.path, c, sides)
            rows.append(f"| {markdown_text(field_name(c, f.path, fmt))} | {_cell(shown)} |")
    return f"<details><summary>{summary}</summary>\n\n" + "\n".join(rows) + "\n\n</details>\n\n"


def _alone(value: object, path: str, c: EntityChange, sides: Sides) -> str:
    """A field of an entity added (in the new plan's currency) or removed (in the old one's)."""
    fmt = sides.new if c.op == "added" else sides.old
    return show_value(value, path, fmt, c.units.get(path, ""), digits=c.digits)


def _moved_block(moved: list[EntityChange], sides: Sides) -> str:
    """The entities whose computed values alone moved, in one folded table."""
    fmt = sides.new
    language = fmt.language
    head = [said(language, "diff.header." + key) for key in ("field", "before", "after")]
    rows = [f"| | {' | '.join(head)} |", "|---|---|---|---|"]
    for c in moved:
        for i, f in enumerate(c.fields):
            old, new = pair(f, c, sides)
            rows.append(f"| {_cell(c.title) if i == 0 else ''} | {markdown_text(field_name(c, f.path, fmt))} | "
                        f"{_cell(old)} | {_cell(new)} |")
    summary = html_text(said(language, "diff.moved", count=len(moved)))
    return f"<details><summary>{summary}</summary>\n\n" + "\n".join(rows) + "\n\n</details>\n\n"


CHANGES_NAME_LIMIT = 120  # characters of a changes page's file name: far below the 255 bytes file systems allow
CHANGES_TAG_KEPT = 48  # of each tag, in a shortened name


def changes_page_name(old: str, new: str) -> str:
    """The file name of the site's changes page between two versions: `OLD..NEW.html`, or, when two long tags
    would make it too long for a file system, both tags cut to their start and a digest of the whole pair
    (`OLD-START..NEW-START-0123456789ab.html`), so that every pair still has its own page."""
    name = f"{old}..{new}.html"
    if len(name) <= CHANGES_NAME_LIMIT:
        return name
    import hashlib

    digest = hashlib.sha256(f"{old}..{new}".encode()).hexdigest()[:12]
    return f"{old[:CHANGES_TAG_KEPT]}..{new[:CHANGES_TAG_KEPT]}-{digest}.html"


def full_diff_url(diff: PlanDiff) -> str | None:
    """The site's page for this diff, when the site's address is known and both sides are revisions."""
    if not diff.base_url or diff.new == WORKING_TREE or not _SAFE_URL.match(diff.base_url):
        return None
    name = urllib.parse.quote(changes_page_name(diff.old, diff.new), safe=".")
    return f"{diff.base_url.rstrip('/')}/changes/{name}"


def diff_markdown(diff: PlanDiff, *, limit: int = MARKDOWN_LIMIT) -> str:
    """A pull-request comment: the one-line summary, then each entity folded with its table.
    Never longer than `limit` characters: what does not fit is counted and pointed to."""
    sides = Sides.of(diff)
    language = diff.language
    shown_counts = ", ".join(counts(diff.summary, language))
    old, new = _revision_name(diff.old, language), _revision_name(diff.new, language)
    if not shown_counts:
        return said(language, "diff.no-change-between", old=old, new=new) + "\n"
    # the summary a board update takes as it is: plain Markdown, the decisions first
    # it opens with a sentence that says what changed, then one bullet per decision
    entities = ", ".join(counts(diff.summary, language, entities=True))
    tops = headline(diff).lines()
    head = said(language, "diff.opening", old=old, new=new, counts=entities) + "\n\n"
    head += "".join(f"- {top}\n" for top in tops) + ("\n" if tops else "")
    if len(head) > limit // 2:
        head = head[: limit // 2 - 2] + "…\n\n"

    url = full_diff_url(diff)
    changes = _by_weight(diff.changes)
    moved = [c for c in changes if not _decided(c)]
    blocks = [_entity_block(c, sides) for c in changes if _decided(c)] + ([_moved_block(moved, sides)] if moved
                                                                           else [])
    out = [head]
    used = len(head)
    for shown, block in enumerate(blocks):
        left = len(blocks) - shown
        footer = _truncation_footer(left, diff, url)
        if used + len(block) + len(footer) > limit:
            out.append(footer)
            break
        out.append(block)
        used += len(block)
    return "".join(out)


def _truncation_footer(left: int, diff: PlanDiff, url: str | None) -> str:
    language = diff.language
    more = said(language, "diff.more", count=left, limit=Formatter(language).number(MARKDOWN_LIMIT, 0))
    if url:
        return f"\n{more} {said(language, 'diff.full-site', url=url)}\n"
    command = "strategy diff " + diff.old + ("" if diff.new == WORKING_TREE else f" {diff.new}")
    return f"\n{more} {said(language, 'diff.full-command', command=command.replace('`', ''))}\n"


# --- a view for HTML templates (the site's changes/OLD..NEW.html) ------------------------------


def diff_view(diff: PlanDiff) -> dict[str, Any]:
    """The diff as plain strings for a template (autoescaped there), in the plan's language: the summary
    line, then one section per entity someone edited (added, removed, or with a written field changed) with its
    rows (field, before, after, computed), and apart, in `moved`, the entities whose computed values alone
    changed. Between versions tagged a month apart those are nearly every objective and KPI (progress, status
    and forecasts move with the date), and they would bury the few edits that make the new version."""
    sides = Sides.of(diff)
    fmt = sides.new
    sections: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for c in _by_weight(diff.changes):
        rows = []
        for f in c.fields:
            if c.op == "changed" and f.path in TEXT_PATHS:
                before, after = lines_changed(f.old, f.new, diff.language), ""
            else:
                before, after = pair(f, c, sides)
                before, after = before if f.old is not None else "", after if f.new is not None else ""
            rows.append({"field": field_name(c, f.path, fmt), "path": f.path, "before": before, "after": after,
                         "computed": f.derived, "because": because_text(c, sides) if f.path in c.via else ""})
        section = {"kind": c.kind, "kind_name": KIND_NAMES[c.kind], "id": c.id, "title": c.title, "op": c.op,
                   "rows": rows}
        computed_only = not _decided(c)
        (moved if computed_only else sections).append(section)
    told, named = headlines(diff, code=False)  # named: the history page's card, each change named, bounded
    return {"old": diff.old, "new": diff.new, "counts": _counts(diff), "summary": diff.summary,
            "count_words": dict(zip([op for op in ("changed", "added", "removed") if diff.summary[op]],
                                    counts(diff.summary, diff.language), strict=True)),
            "highlights": told.sentences, "more": told.more_text(), "named": named.sentences,
            "named_more": named.more_text(), "sections": sections,
            "moved": moved}
