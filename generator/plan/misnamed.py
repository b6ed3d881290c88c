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

from .diagnostics import Diagnostic, Diagnostics, Location
from .kinds import BY_NAME
from .messages import Msg, msg
from .model import Entity, Plan


def merge_misnamed_files(plan: Plan, diags: Diagnostics) -> None:
    """One `misnamed-file` error on a file whose name is a near miss of an id referred to from several
    places, instead of one `unknown-ref` error per reference."""
    asked: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
    for d in diags.errors:
        said = d.said[0] if d.code == "unknown-ref" and d.said is not None else None
        if isinstance(said, Msg) and said.key.startswith("ref.unknown."):
            what = said.key.removeprefix("ref.unknown.")
            value = dict(said.values).get("value")
            # a kind of the registry has its ids as file names (a KPI's or a stage's is written in a file)
            if what in BY_NAME and isinstance(value, str):
                asked[(what, value)].append(d)
    if not any(len(refs) > 1 for refs in asked.values()):
        return
    referred = _referred_ids(plan)
    for (what, value), refs in asked.items():
        files = _entities(plan, what)
        unreferred = [name for name in files if (what, name) not in referred]
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


def _referred_ids(plan: Plan) -> set[tuple[str, str]]:
    """(kind, id) of every persona, objective, funnel and experience some file refers to."""
    referred: set[tuple[str, str]] = set()
    for obj in plan.objectives.values():
        referred.update(("persona", p) for p in obj.personas)
        if obj.parent is not None:
            referred.add(("objective", obj.parent))
    for exp in plan.experiences.values():
        referred.update(("persona", p) for p in exp.personas)
        referred.update(("objective", o) for o in exp.objectives)
        if exp.funnel is not None:
            referred.add(("funnel", exp.funnel))
    for sol in plan.solutions.values():
        referred.update(("objective", o) for o in sol.objectives)
        referred.update(("experience", e) for e in sol.experiences)
    return referred
