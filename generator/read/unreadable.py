"""What a plan file that cannot be read still tells, so that one mistake gives one error.

An objective file with a YAML mistake declares KPIs that funnels, actions and data files name: the loader
keeps its id (the file name) and, from a lenient scan of its lines, the KPI ids and data files it seems to
declare, so that those references are not reported as errors of their own.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass

from ..plan.schema import ID_PATTERN

# `id: X` or `data: X` anywhere a YAML key may start (a line, a `- ` item, `{`, `,`), whatever the indentation:
# the file's own may be the mistake
_KEY = re.compile(r"(?:^|[\s{,])(id|data)[ \t]*:[ \t]*[\"']?([^\"'#\s,{}\[\]]+)", re.MULTILINE)

_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
         (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"))


def wide_encoding(raw: bytes) -> tuple[str, str] | None:
    """(name shown to the user, Python codec) when `raw` is UTF-16 or UTF-32 text, as Windows editors save
    it: a byte order mark, or, without one, a NUL beside nearly every character (Latin text). None
    otherwise."""
    for bom, name, codec in _BOMS:
        if raw.startswith(bom):
            return _decodes(raw, name, codec)
    if len(raw) % 2 or b"\x00" not in raw:  # what every UTF-8 file gives, at the cost of one search
        return None
    even, odd = raw[0::2], raw[1::2]
    if odd.count(0) * 4 >= len(odd) * 3 and 0 not in even:
        return _decodes(raw, "UTF-16", "utf-16-le")
    if even.count(0) * 4 >= len(even) * 3 and 0 not in odd:
        return _decodes(raw, "UTF-16", "utf-16-be")
    return None


def _decodes(raw: bytes, name: str, codec: str) -> tuple[str, str] | None:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else (name, codec)


def lenient_text(raw: bytes) -> str | None:
    """The text of `raw` as well as it can be guessed (None for a binary file): only for a scan."""
    wide = wide_encoding(raw)
    if wide is not None:
        return raw.decode(wide[1]).removeprefix("\ufeff")
    if b"\x00" in raw:
        return None
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


@dataclass(frozen=True)
class Unread:
    """An entity file that could not be read (its errors are reported), and what a scan of its lines found:
    `kpis` the KPI ids it seems to declare (None when it could not be scanned), `data` the data files
    they use."""

    kpis: tuple[str, ...] | None = None
    data: tuple[str, ...] = ()


def scan_objective(raw: bytes) -> Unread:
    """The KPI ids (`- id: X`) and data files (`data: path`, else data/ID.csv) an objective file seems to
    declare. An action has no `id:`, so every id in an objective file is a KPI's."""
    text = lenient_text(raw)
    if text is None:
        return Unread()
    kpis: list[str] = []
    data: list[str] = []
    for key, value in _KEY.findall(text):
        if key == "id" and ID_PATTERN.fullmatch(value):
            kpis.append(value)
            data.append(f"data/{value}.csv")
        elif key == "data":
            data.append(posixpath.normpath(value.replace("\\", "/")))
    return Unread(tuple(kpis), tuple(data))
