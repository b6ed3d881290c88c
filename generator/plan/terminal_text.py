"""Plan text made harmless for a terminal or a CI log: file names, titles and messages quoting them.

A file name or a title comes from the plan's pull requests. Printed raw, an ESC sequence in it can rewrite
the terminal (move the cursor, hide the lines above, set the window title), a BEL rings, a carriage return
overwrites the line it is on, and a line starting with `::` is a GitHub Actions workflow command
(`::error …`, `::add-mask::`, `::stop-commands::`), which the runner obeys even after leading blanks. So
every control character (C0, DEL, C1, and the Unicode line and bidirectional-override characters) is
shown as a visible escape (`\\x1b`, `\\n`, `\\u202e`), and `::` as `:\\:`, so no text of the plan can
start a line or a command of its own. Our own colours are added after, around the escaped text.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|::")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "::": ":\\:"}


def _escape(match: re.Match[str]) -> str:
    found = match.group(0)
    named = _NAMED.get(found)
    if named is not None:
        return named
    code = ord(found)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character escaped visibly and `::` broken (see the module's note)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def github_safe(text: str) -> str:
    """For the message of an annotation (`::error …::MESSAGE`), whose own escaping (`%0A`) keeps it on its
    line: the other control characters escaped, a workflow command cannot start there anyway."""
    return re.sub("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", _escape, text)
