"""Charts in the theme's colours: a plan theme whose stylesheet sets `--accent: #8a2be2` in `:root` gets charts
drawn in that violet, not in the palette's blue.

Drawings are made and kept in the palette's colours (chart_svg.py: their cache knows nothing of themes); the
theme's colours take the palette's place as each drawing is put in a page (`recolour_page`) or in the board pack
(`recolour_drawing`): only the exact values of `fill` and `stroke` attributes, only colours of the palette that
a custom property mirrors (`PROPERTIES`), and only for a property set to a plain colour (#rgb or #rrggbb), so
nothing but a validated colour from a stylesheet can reach a page. The default theme maps nothing: its pages are
left byte for byte as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from . import palette

# the custom properties of themes/default/static/site.css the charts follow, with the colour each mirrors
PROPERTIES = {"ink": palette.INK, "muted": palette.MUTED, "grid": palette.GRID, "accent": palette.ACCENT,
              "accent-light": palette.ACCENT_LIGHT, **palette.STATUS_COLOURS}
# stylesheets that apply only on paper or without scripts: the charts drawn for the screen do not follow them
CONDITIONAL = {"print.css", "nojs.css"}

_PLAIN_COLOUR = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})")
_IMPORTANT = re.compile(r"\s*!\s*important$")
_DECLARATION = re.compile(r"^\s*--([A-Za-z0-9_-]+)\s*:(.*)$", re.DOTALL)


def root_colours(css: str) -> dict[str, str]:
    """The custom properties a stylesheet sets to a plain colour in its top-level `:root` rules, by name without
    the dashes, as #rrggbb in lower case; a later declaration wins, as in the browser. Rules nested in an at-rule
    (`@media (prefers-color-scheme: dark)`) apply only sometimes, and a value that is no plain colour (`var()`,
    `rgb()`, a name) cannot be compared with the palette: both are left out."""
    return {name: value for name, value in _root_values(css).items() if value is not None}


def _root_values(css: str) -> dict[str, str | None]:
    """`root_colours`, with None for a property last set to something else than a plain colour."""
    colours: dict[str, str | None] = {}
    for selectors, body in _top_level_rules(css):
        if ":root" not in (s.strip() for s in selectors.split(",")):
            continue
        for declaration in body.split(";"):
            found = _DECLARATION.match(declaration)
            if found is None:
                continue
            value = _IMPORTANT.sub("", found.group(2).strip()).lower()
            if _PLAIN_COLOUR.fullmatch(value):
                colours[found.group(1).lower()] = _long_form(value)
            else:  # `--accent: var(--brand)` after `--accent: #123456`: the colour is no longer that one
                colours[found.group(1).lower()] = None
    return colours


def chart_colours(statics: Iterable[tuple[str, Path]]) -> dict[str, str]:
    """{palette colour → theme colour} for the palette colours whose custom property the theme's stylesheets set
    to another plain colour. `statics` are the theme's static files as render.static_files gives them (the
    plan's theme first, then the default theme's): a property the plan's theme sets wins. Empty for the default
    theme. A stylesheet that cannot be read is left out (the copy of the static files reports it)."""
    declared: dict[str, str | None] = {}
    for rel, file in reversed(list(statics)):
        if not rel.endswith(".css") or rel.rpartition("/")[2] in CONDITIONAL:
            continue
        try:
            declared.update(_root_values(file.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return {colour: theirs for name, colour in PROPERTIES.items()
            if (theirs := declared.get(name)) is not None and theirs != colour}


def recolour_drawing(svg: str, colours: dict[str, str]) -> str:
    """A chart's SVG with each `fill` or `stroke` of a palette colour in `colours` in the theme's colour instead;
    all at once, so that a theme swapping two colours swaps them."""
    if not colours:
        return svg
    pattern = _attribute_pattern(tuple(sorted(colours)))
    return pattern.sub(lambda m: f'{m.group(1)}="{colours[m.group(2).lower()]}"', svg)


_DRAWING = re.compile(rb'<svg [^>]*class="chart-svg"[^>]*>.*?</svg>', re.DOTALL)


def recolour_page(html: bytes, colours: dict[str, str]) -> bytes:
    """A page with each chart drawing in it (chart_svg.py's `<svg class="chart-svg">`) in the theme's colours;
    the rest of the page (its text, an inline icon) is left as it is. The page itself when `colours` is empty."""
    if not colours:
        return html
    return _DRAWING.sub(lambda m: recolour_drawing(m.group().decode("utf-8"), colours).encode("utf-8"), html)


_patterns: dict[tuple[str, ...], re.Pattern[str]] = {}


def _attribute_pattern(colours: tuple[str, ...]) -> re.Pattern[str]:
    """` fill="#2f4f8f"` or ` stroke="#2f4f8f"` for any of `colours` (any case), once per set of colours."""
    pattern = _patterns.get(colours)
    if pattern is None:
        pattern = _patterns[colours] = re.compile(
            r'(?<=\s)(fill|stroke)="(' + "|".join(re.escape(c) for c in colours) + ')"', re.IGNORECASE)
    return pattern


def _long_form(colour: str) -> str:
    """#abc as #aabbcc."""
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


def _top_level_rules(css: str) -> list[tuple[str, str]]:
    """(selectors, declarations) of each rule of `css` not nested in an at-rule or another rule, its comments
    left out and its strings emptied (a `;` or `}` in `content: "…"` ends nothing)."""
    rules: list[tuple[str, str]] = []
    depth = 0
    prelude: list[str] = []
    body: list[str] = []
    nested = False  # the current top-level block is an at-rule's, or holds blocks of its own
    i, length = 0, len(css)
    while i < length:
        char = css[i]
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = length if end < 0 else end + 2
            continue
        if char in "\"'":
            end = i + 1
            while end < length and css[end] != char and css[end] != "\n":
                end += 2 if css[end] == "\\" else 1
            char = '""'
            i = end
        if char == "{":
            depth += 1
            if depth == 1:
                nested = "".join(prelude).lstrip().startswith("@")
                body = []
            else:
                nested = True
        elif char == "}":
            if depth == 1 and not nested:
                rules.append(("".join(prelude).strip(), "".join(body)))
            if depth <= 1:  # the end of a top-level rule, or a stray `}` (the browser drops it)
                prelude = []
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:  # `@import …;` and the like
            prelude = []
        elif depth == 0:
            prelude.append(char)
        elif depth == 1:
            body.append(char)
        i += 1
    return rules
