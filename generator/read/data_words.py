"""What `strategy check` says about a KPI's data file (CSV or workbook), in the plan's language.

Each word is (message, hint), the one table's `data.KEY` and `data.KEY.hint` (plan/messages_en_read.py,
plan/messages_fr_read.py): the message says what was found, the hint what to write instead.
Codes stay English (`csv-row`, `csv-header`, `encoding`…); only the words follow `language`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plan.diagnostics import Diagnostics, Location, Severity
from ..plan.messages import say


def words(language: str, key: str, **values: object) -> tuple[str, str]:
    """(message, hint) of `key` in `language`: the one table's `data.KEY` and `data.KEY.hint` ("" when the
    table has none)."""
    return say(language, f"data.{key}", **values)


class Reporter:
    """Reports what a data file's reader found, at a line and column of that file, in the plan's language.

    A workbook's cells are also named in the message (sheet `Ventes`, cell B14), as a spreadsheet shows them."""

    def __init__(self, diagnostics: Diagnostics, where: Callable[[int, int], Location], language: str) -> None:
        self.diagnostics, self.where, self.language = diagnostics, where, language
        self.sheet: str | None = None  # set by the workbook reader

    def __call__(self, severity: Severity, code: str, line: int, column: int, key: str, /, *,
                 cell: str | None = None, **values: object) -> None:
        message, hint = words(self.language, key, **values)
        if cell is not None and self.sheet is not None:
            message = words(self.language, "cell", sheet=self.sheet, cell=cell, message=message)[0]
        self.diagnostics.add(severity, code, self.where(line, column), message, hint or None)

    def say(self, key: str, **values: object) -> str:
        """The hint of `key` alone, to be put into another message."""
        return words(self.language, key, **values)[1]
