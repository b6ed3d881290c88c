"""The order in which a reader looks for a title in a list (the pack's contents, the objectives pages): their
alphabet's, not the code points'. Python sorts "Énergie" after "Ventes" and "été" after "hiver" (É and é come
after every ASCII letter); a French or English reader looks for them among the E. Babel has no collation, and
at this level both languages agree: letters compare without their accents and case, digits as numbers."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})  # casefold keeps them; NFKD does not split them
_PARTS = re.compile(r"\d+|\D+")


def _letters(text: str) -> str:
    """`text` lower case, without accents: "Énergie" → "energie", "Œuvre" → "oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def numbered(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key comparing `text`'s digits as numbers: "v1.10" after "v1.9", "Objective 13" before "111"."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _PARTS.findall(text))


def reading_order(title: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """A sort key for `title`: accents and case set aside (« Énergie » among the E, « été » before « hiver »),
    digits compared as numbers ("Objective 13" before "Objective 111"); the title itself breaks a tie, so
    the order does not depend on the order the files were read in."""
    return numbered(_letters(title)), title
