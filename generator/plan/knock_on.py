"""Warnings that only repeat what another diagnostic says (one mistake, one message).

- a data file with an error (its only row refused, an .xls workbook) is not also "not part of a plan"
  (`unknown-file`) nor a KPI "without measurement yet" (`no-data`);
- a KPI id with a typo (`npss` beside `data/nps.csv`): its `no-data` and the file's `unused-data` are one
  warning on the KPI naming the file; none at all when a reference to the file's id (`kpis: [nps]`) is already
  an `unknown-ref` error, which says it.
(A `data:` path with a typo never makes its meant file `unused-data`: the loader counts that file as used.)
"""

from __future__ import annotations

import difflib
import posixpath

from .diagnostics import Diagnostic, Diagnostics, Location
from .messages import Msg, msg

AFTER_AN_ERROR_ON_THEIR_FILE = ("unknown-file", "no-data")


def drop_knock_on_warnings(diags: Diagnostics) -> None:
    """Take back the warnings another diagnostic already explains, or merge them into one."""
    errors = diags.errors
    with_errors = {d.file for d in errors}
    diags.discard(d for d in diags.warnings if d.code in AFTER_AN_ERROR_ON_THEIR_FILE and d.file in with_errors)
    _merge_kpi_id_typos(diags, errors)


def _said_value(d: Diagnostic, key: str, name: str) -> str | None:
    """The value `name` of the message `key` that `d` says, if it says that."""
    said = d.said[0] if d.said is not None else None
    if isinstance(said, Msg) and said.key == key:
        value = dict(said.values).get(name)
        return value if isinstance(value, str) else None
    return None


def _merge_kpi_id_typos(diags: Diagnostics, errors: list[Diagnostic]) -> None:
    unused = {posixpath.splitext(posixpath.basename(d.file))[0]: d for d in diags.warnings if d.code == "unused-data"}
    if not unused:
        return
    unknown_kpis = {v for d in errors if (v := _said_value(d, "ref.unknown.kpi", "value")) is not None}
    diags.discard(unused.pop(kpi) for kpi in unknown_kpis & unused.keys())  # `kpis: [nps]` with no KPI `nps`
    for no_data in [d for d in diags.warnings if d.code == "no-data"]:
        kpi = _said_value(no_data, "no-data", "id")
        close = difflib.get_close_matches(kpi, list(unused), n=1, cutoff=0.8) if kpi else []
        if kpi is None or not close:
            continue
        file_warning = unused.pop(close[0])
        diags.discard([no_data, file_warning])
        if close[0] not in unknown_kpis:  # else the references' error says it: `kpi: nps`, no KPI `nps`
            file = "data/" + posixpath.basename(file_warning.file)  # as `data:` is written
            diags.warning("no-data", Location(no_data.file, no_data.line, no_data.column),
                          msg("no-data.near-file", id=kpi, file=file, close=close[0]),
                          msg("hint.no-data.near-file", id=kpi, file=file, close=close[0]))
