"""A file named with a near miss of the id the plan refers to it by.

Renaming `personas/busy-professional.md` to `busy-profesional.md` leaves every reference to
`busy-professional` unknown: one `unknown-ref` error per referring file, each suggesting the misspelt name,
as if the references were wrong. When two or more references ask for one unknown id, and a file of that kind
has a near-miss id that nothing refers to, the mistake is that file's name: the errors become one, on the
file, saying what to rename it to.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Diagnostics, Location
from .kinds import BY_NAME
from .messages import msg
from .model import Entity, Plan


@dataclass
class References:
    """What the reference check (validate.check_references) met: every (kind, id) a file refers to, and each
    unknown one with the `unknown-ref` error it got."""

    referred: set[tuple[str, str]] = field(default_factory=set)
    unknown: list[tuple[str, str, Diagnostic]] = field(default_factory=list)


def merge_misnamed_files(plan: Plan, diags: Diagnostics, references: References) -> None:
    """One `misnamed-file` error on a file whose name is a near miss of an id referred to from several
    places, instead of one `unknown-ref` error per reference."""
    asked: dict[tuple[str, str], dict[Diagnostic, None]] = defaultdict(dict)  # its errors, each once
    for what, value, d in references.unknown:
        # a kind of the registry has its ids as file names (a KPI's or a stage's is written in a file)
        if what in BY_NAME:
            asked[(what, value)][d] = None
    if not any(len(refs) > 1 for refs in asked.values()):
        return
    # in the order of their first error as reported
    for (what, value), refs in sorted(asked.items(), key=lambda item: min(d.sort_key for d in item[1])):
        files = _entities(plan, what)
        unreferred = [name for name in files if (what, name) not in references.referred]
        close = difflib.get_close_matches(value, unreferred, n=1, cutoff=0.8)
        if len(refs) < 2 or not close:
            continue
        entity = files[close[0]]
        folder, name = posixpath.split(entity.loc.file)
        renamed = posixpath.join(folder, value + posixpath.splitext(name)[1])
        referrers = sorted({d.file for d in refs})
        shown = ", ".join(referrers[:4]) + (" …" if len(referrers) > 4 else "")
        diags.discard(refs)
        diags.error("misnamed-file", Location(entity.loc.file),
                    msg("misnamed-file", unknown=msg(f"ref.unknown.{what}", value=value), count=len(referrers),
                        id=entity.id),
                    msg("misnamed-file.hint", file=renamed, count=len(referrers), files=shown, id=entity.id))


def _entities(plan: Plan, what: str) -> dict[str, Entity]:
    entities: dict[str, Entity] = getattr(plan, BY_NAME[what].folder)
    return entities
