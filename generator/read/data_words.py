"""What `strategy check` says about a KPI's data file (CSV or workbook), in the plan's language.

Each entry is (message, hint): the message says what was found, the hint what to write instead.
Codes stay English (`csv-row`, `csv-header`, `encoding`…); only the words follow `language`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plan.diagnostics import Diagnostics, Location, Severity

WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "cell": ("sheet `{sheet}`, cell {cell}: {message}", ""),
        "empty-file": ("this CSV file is empty", "start it with a header row, e.g. date,value"),
        "binary": ("this is a binary file, not text",
                   "a KPI's data is a CSV file (text) or an .xlsx workbook; save the sheet as CSV UTF-8 or .xlsx"),
        "wide-no-bom": ("this file is {name} without a byte order mark",
                        "save it as CSV UTF-8, or as Unicode text with its byte order mark"),
        "not-utf8": ("this file is not UTF-8 (byte 0x{byte:02x} cannot be read)",
                     "save the file as CSV UTF-8 in your spreadsheet or editor"),
        "read-as": ("this file is not UTF-8: it was read as {encoding}",
                    "save it as CSV UTF-8, or write `csv: {{encoding: {codec}}}` in the KPI `{kpi}` to keep it so"),
        "not-encoding": ("this file cannot be read as {encoding} (byte 0x{byte:02x})",
                         "fix the KPI's `csv: encoding:`: utf-8, utf-16 or windows-1252"),
        "quote": ("this line cannot be read as CSV: a quote \" is never closed",
                  'close the quote in the same cell, e.g. "1 250,5"'),
        "two-separators": ("the header `{header}` can be split at `{first}` or at `{second}`",
                           "say which separates the columns: csv: {{separator: \"{second}\"}} in the KPI `{kpi}`"),
        "no-column": ("the header has no column {missing} (KPI `{kpi}`)",
                      "the first line must name the columns, e.g. {example}; found: {found}"),
        "row-cells": ("this row has {count} cells but the header has {expected}",
                      "write one value per column: {header}"),
        "row-cells-comma": ("this row has {count} cells but the header has {expected}",
                            'write one value per column: {header}; a number with a decimal comma in a file '
                            'separated by commas must be in quotes, e.g. "18,50", or separated by ;'),
        "not-date": ("`{text}` is not a date", "{hint}"),
        "date-hint": ("", "write YYYY-MM-DD for a day, YYYY-MM for a month or YYYY-Qn for a quarter, "
                          "e.g. 2026-03 or 2026-Q3"),
        "date-hint-quarter": ("", "write a quarter as YYYY-Qn, Q1 to Q4, e.g. {year}-Q{number}"),
        "date-hint-year": ("", "write the year in full, e.g. {example}"),
        "date-hint-order": ("", "with csv: {{dates: {order}}}, write {example}, or write YYYY-MM-DD"),
        "dates-either": ("`{text}` can be {day_first} (day first) or {month_first} (month first)",
                         "write {iso} (YYYY-MM-DD), or say how this file writes dates: "
                         "csv: {{dates: day-first}} or csv: {{dates: month-first}} in the KPI `{kpi}`"),
        "dates-mixed": ("this file writes dates day first (`{day}`, line {day_line}) "
                        "and month first (`{month}`, line {month_line})",
                        "write every date the same way, best as YYYY-MM-DD, e.g. {iso}"),
        "month-first-fr": ("`{text}` is written month first (MM/DD/YYYY)", "write {iso} (YYYY-MM-DD)"),
        "empty-value": ("the `{column}` of {date} is empty",
                        "write the measured number, or remove the row until it is known"),
        "not-number": ("`{text}` is not a number", "write a number, e.g. 1250.5 or 1 250,5"),
        "not-number-dot": ("`{text}` is not a number", "write {example}, with a dot for decimals"),
        "not-number-comma": ("`{text}` is not a number", "write {example}, with a comma for decimals"),
        "comma-in-en": ("`{text}` is written with a decimal comma",
                        "write {example} (a dot for decimals), or write csv: {{decimal: \",\"}} in the KPI `{kpi}`"),
        "other-unit": ("`{text}` is in `{found}`, not in the KPI's unit `{unit}`",
                       "write the number in {unit}, e.g. {example}"),
        "unit-without": ("`{text}` carries the unit `{found}`, but the KPI `{kpi}` has no unit",
                         "write the number alone, e.g. {example}, or give the KPI `unit: {found}`"),
        "too-large": ("`{text}` is too large for a plan", "write a number with {max}, e.g. 1250.5"),
        "decimal-either": ("`{text}` can be read as {comma} or as {dot}",
                           "say how this file writes decimals: csv: {{decimal: \",\"}} ({text} is {comma}) or "
                           "csv: {{decimal: \".\"}} ({text} is {dot}) in the KPI `{kpi}`"),
        "decimal-mixed": ("this file writes decimals with a comma (`{comma}`, line {comma_line}) "
                          "and with a dot (`{dot}`, line {dot_line})",
                          "write every number the same way, or say which is the decimal mark: "
                          "csv: {{decimal: \",\"}} in the KPI `{kpi}`"),
        "twice": ("{date} is measured twice (also on line {first_line})", "keep one row per period"),
        "same-start": ("{date} starts the same day as {other} on line {first_line}", "keep one row per period"),
        "xlsx-unreadable": ("this workbook cannot be read: {reason}",
                            "save it again as an Excel workbook (.xlsx), or export the sheet as CSV UTF-8"),
        "xlsx-old": ("`{name}` is a {kind} file, which is not read",
                     "save it as an Excel workbook (.xlsx), or export the sheet as CSV UTF-8"),
        "no-sheet": ("this workbook has no sheet `{sheet}` (KPI `{kpi}`)", "write one of its sheets: {sheets}"),
        "empty-sheet": ("the sheet `{sheet}` is empty", "start it with a header row: date, {column}"),
    },
    "fr": {
        "cell": ("feuille `{sheet}`, cellule {cell} : {message}", ""),
        "empty-file": ("ce fichier CSV est vide", "commencez-le par une ligne d'en-tête, par ex. date,value"),
        "binary": ("ce fichier est binaire, pas du texte",
                   "les données d'un indicateur sont un fichier CSV (texte) ou un classeur .xlsx ; "
                   "enregistrez la feuille en CSV UTF-8 ou en .xlsx"),
        "wide-no-bom": ("ce fichier est en {name} sans indicateur d'ordre des octets (BOM)",
                        "enregistrez-le en CSV UTF-8, ou en texte Unicode avec son BOM"),
        "not-utf8": ("ce fichier n'est pas en UTF-8 (l'octet 0x{byte:02x} ne peut pas être lu)",
                     "enregistrez le fichier en CSV UTF-8 depuis votre tableur ou votre éditeur"),
        "read-as": ("ce fichier n'est pas en UTF-8 : il a été lu en {encoding}",
                    "enregistrez-le en CSV UTF-8, ou écrivez `csv: {{encoding: {codec}}}` dans l'indicateur "
                    "`{kpi}` pour le garder ainsi"),
        "not-encoding": ("ce fichier ne peut pas être lu en {encoding} (octet 0x{byte:02x})",
                         "corrigez `csv: encoding:` de l'indicateur : utf-8, utf-16 ou windows-1252"),
        "quote": ("cette ligne ne peut pas être lue en CSV : un guillemet \" n'est jamais fermé",
                  'fermez le guillemet dans la même cellule, par ex. "1 250,5"'),
        "two-separators": ("l'en-tête `{header}` peut être coupé à `{first}` ou à `{second}`",
                           "dites ce qui sépare les colonnes : csv: {{separator: \"{second}\"}} "
                           "dans l'indicateur `{kpi}`"),
        "no-column": ("l'en-tête n'a pas de colonne {missing} (indicateur `{kpi}`)",
                      "la première ligne doit nommer les colonnes, par ex. {example} ; trouvé : {found}"),
        "row-cells": ("cette ligne a {count} cellules mais l'en-tête en a {expected}",
                      "écrivez une valeur par colonne : {header}"),
        "row-cells-comma": ("cette ligne a {count} cellules mais l'en-tête en a {expected}",
                            "écrivez une valeur par colonne : {header} ; dans un fichier séparé par des virgules, "
                            'un nombre à virgule décimale doit être entre guillemets, par ex. "18,50", '
                            "ou séparez les colonnes par ;"),
        "not-date": ("`{text}` n'est pas une date", "{hint}"),
        "date-hint": ("", "écrivez JJ/MM/AAAA ou AAAA-MM-JJ pour un jour, AAAA-MM pour un mois ou AAAA-Qn "
                          "pour un trimestre, par ex. 31/03/2026, 2026-03 ou 2026-Q3"),
        "date-hint-quarter": ("", "écrivez un trimestre AAAA-Qn, de Q1 à Q4, par ex. {year}-Q{number}"),
        "date-hint-year": ("", "écrivez l'année en entier, par ex. {example}"),
        "date-hint-order": ("", "avec csv: {{dates: {order}}}, écrivez {example}, ou écrivez AAAA-MM-JJ"),
        "dates-either": ("`{text}` peut être le {day_first} (jour d'abord) ou le {month_first} (mois d'abord)",
                         "écrivez {iso} (AAAA-MM-JJ), ou dites comment ce fichier écrit les dates : "
                         "csv: {{dates: day-first}} ou csv: {{dates: month-first}} dans l'indicateur `{kpi}`"),
        "dates-mixed": ("ce fichier écrit des dates jour d'abord (`{day}`, ligne {day_line}) "
                        "et mois d'abord (`{month}`, ligne {month_line})",
                        "écrivez toutes les dates de la même façon, au mieux AAAA-MM-JJ, par ex. {iso}"),
        "month-first-fr": ("`{text}` est écrit mois d'abord (MM/JJ/AAAA), à l'américaine",
                           "écrivez {iso} (AAAA-MM-JJ), ou csv: {{dates: month-first}} dans l'indicateur `{kpi}` "
                           "si tout le fichier est écrit ainsi"),
        "empty-value": ("la colonne `{column}` du {date} est vide",
                        "écrivez le nombre mesuré, ou retirez la ligne jusqu'à ce qu'il soit connu"),
        "not-number": ("`{text}` n'est pas un nombre", "écrivez un nombre, par ex. 1 250,5 ou 1250.5"),
        "not-number-dot": ("`{text}` n'est pas un nombre", "écrivez {example}, avec un point pour les décimales"),
        "not-number-comma": ("`{text}` n'est pas un nombre", "écrivez {example}, avec une virgule pour les décimales"),
        "comma-in-en": ("`{text}` est écrit avec une virgule décimale",
                        "écrivez {example} (un point pour les décimales), ou csv: {{decimal: \",\"}} "
                        "dans l'indicateur `{kpi}`"),
        "other-unit": ("`{text}` est en `{found}`, pas dans l'unité de l'indicateur, `{unit}`",
                       "écrivez le nombre en {unit}, par ex. {example}"),
        "unit-without": ("`{text}` porte l'unité `{found}`, mais l'indicateur `{kpi}` n'a pas d'unité",
                         "écrivez le nombre seul, par ex. {example}, ou donnez à l'indicateur `unit: {found}`"),
        "too-large": ("`{text}` est trop grand pour un plan",
                      "écrivez un nombre d'au plus 15 chiffres avant la virgule, par ex. 1250,5"),
        "decimal-either": ("`{text}` peut se lire {comma} ou {dot}",
                           "dites comment ce fichier écrit les décimales : csv: {{decimal: \",\"}} ({text} vaut "
                           "{comma}) ou csv: {{decimal: \".\"}} ({text} vaut {dot}) dans l'indicateur `{kpi}`"),
        "decimal-mixed": ("ce fichier écrit des décimales avec une virgule (`{comma}`, ligne {comma_line}) "
                          "et avec un point (`{dot}`, ligne {dot_line})",
                          "écrivez tous les nombres de la même façon, ou dites quelle est la marque décimale : "
                          "csv: {{decimal: \",\"}} dans l'indicateur `{kpi}`"),
        "twice": ("{date} est mesuré deux fois (aussi ligne {first_line})", "gardez une ligne par période"),
        "same-start": ("{date} commence le même jour que {other}, ligne {first_line}", "gardez une ligne par période"),
        "xlsx-unreadable": ("ce classeur ne peut pas être lu : {reason}",
                            "enregistrez-le de nouveau en classeur Excel (.xlsx), ou exportez la feuille en CSV UTF-8"),
        "xlsx-old": ("`{name}` est un fichier {kind}, qui n'est pas lu",
                     "enregistrez-le en classeur Excel (.xlsx), ou exportez la feuille en CSV UTF-8"),
        "no-sheet": ("ce classeur n'a pas de feuille `{sheet}` (indicateur `{kpi}`)",
                     "écrivez l'une de ses feuilles : {sheets}"),
        "empty-sheet": ("la feuille `{sheet}` est vide", "commencez-la par une ligne d'en-tête : date, {column}"),
    },
}


def words(language: str, key: str, **values: object) -> tuple[str, str]:
    """(message, hint) of `key` in `language` (English when the plan's language has no words)."""
    message, hint = WORDS.get(language, WORDS["en"])[key]
    return message.format(**values), hint.format(**values)


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
