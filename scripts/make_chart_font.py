"""Writes generator/site/fonts/: the font the chart drawings are measured with (chart_svg.py).

    apt-get download fonts-liberation2 && dpkg-deb -x fonts-liberation2_*.deb liberation2
    python scripts/make_chart_font.py liberation2/usr/share/fonts/truetype/liberation2

A Latin subset of Liberation Sans 2 (Arial's metrics, SIL OFL 1.1), regular and bold, without hinting or
layout tables: vl-convert measures every label with it, and a small file with no layout tables is measured
faster. The OFL reserves the names "Liberation", "Arimo", "Tinos" and "Cousine" for the original, so the
subset is named ChartSans; its copyright notice is kept and OFL.txt ships beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "ChartSans"
OUT = Path(__file__).resolve().parent.parent / "generator" / "site" / "fonts"
# Basic Latin, Latin-1, Latin Extended-A (œ, Polish, Czech...), general punctuation (the narrow no-break space
# of French numbers, the ellipsis of a truncated label, dashes, quotes), currency signs, the minus sign of d3
UNICODES = "U+0020-007E,U+00A0-017F,U+2000-206F,U+20A0-20CF,U+2116,U+2122,U+2190-2193,U+2212,U+2264-2265"


def make(source: Path, weight: str) -> None:
    options = subset.Options()
    options.layout_features = []  # no GSUB/GPOS: a label is measured glyph by glyph (advance widths)
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    for table in ("GSUB", "GPOS", "GDEF", "kern"):
        if table in font:
            del font[table]
    names = font["name"]
    full = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
    renamed = {1: FAMILY, 2: weight, 3: f"{FAMILY}-{weight}-2.1.5",
               4: full, 6: f"{FAMILY}-{weight}"}
    for record in list(names.names):
        if record.nameID in renamed:
            names.setName(renamed[record.nameID], record.nameID, record.platformID, record.platEncID,
                          record.langID)
    font.save(OUT / f"{FAMILY}-{weight}.ttf")


def main() -> None:
    folder = Path(sys.argv[1])
    OUT.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        make(folder / f"LiberationSans-{weight}.ttf", weight)


if __name__ == "__main__":
    main()
