"""A chart's drawing rewritten smaller, the same picture (issue 15).

vl-convert writes every line of an axis with `stroke="#e3e7ec" stroke-width="1" opacity="1"`, wraps each group
in a `<g class="mark-group role-axis">` and a `<g transform="translate(0,0)">`, and gives each an empty
background and a hidden foreground. `slim` parses the drawing chart_svg.py made (the standard library's XML
parser: vl-convert's SVG is plain XML) and writes it again without what changes nothing a reader sees:

- elements that draw nothing and catch no pointer: `display="none"`, a path with no `d`, a shape with neither
  fill nor stroke (the groups' backgrounds), a fully transparent label under `pointer-events="none"`
  (an axis label Vega hid because it would overlap its neighbour);
- attributes at the value the element has anyway: `opacity="1"`, an identity transform, a line's `x2="0"`, an
  inherited property equal to what it inherits (the root's initial values for the SVG-only ones; the font's
  only below an ancestor that names it, since the page's CSS reaches into the drawing);
- Vega's class names (no CSS or script of the site reads them: only the root's `chart-svg`, kept);
- groups left without attributes (their children take their place), or without children;
- an inherited property that every child of a group sets is set once on the group, to the value most of them
  have (the others keep theirs);
- numbers written with more digits than a browser keeps: a coordinate is held as a 32-bit float, so
  55.38461538461539 is written 55.384617, the shortest number that reads back as the same float.

The root `<svg>` tag is kept as it is (its class, ARIA, size and font: the pack reads its width), and so are
`<title>`s (the tooltips), clip paths and everything they name. A drawing this module cannot read is returned
as it came. tests/browser/test_slim_drawings.py compares screenshots of drawings before and after, pixel for pixel.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter

SVG = "{http://www.w3.org/2000/svg}"
# inherited properties a drawing sets as attributes (an attribute set on a group applies to its children)
INHERITED = ("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
             "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "font-family",
             "font-size", "font-style", "font-weight", "text-anchor", "pointer-events")
# their values at the root of a drawing: the initial ones, for the SVG-only properties the page's CSS does not
# set (the font's come from the page: unknown until an element of the drawing names them)
INITIAL = {"fill": "#000", "fill-opacity": "1", "stroke": "none", "stroke-width": "1", "stroke-opacity": "1",
           "stroke-dasharray": "none", "stroke-dashoffset": "0", "stroke-linecap": "butt",
           "stroke-linejoin": "miter", "stroke-miterlimit": "4", "text-anchor": "start",
           "pointer-events": "visiblePainted"}
SHAPES = frozenset({"path", "line", "rect", "circle", "ellipse", "polyline", "polygon"})
UNRENDERED = frozenset({"title", "desc", "defs", "clipPath", "metadata"})  # unaffected by a group's properties
DEFAULTS = {"opacity": "1", "transform": "translate(0,0)"}  # not inherited: the value an element has anyway
LINE_DEFAULTS = {"x1": "0", "y1": "0", "x2": "0", "y2": "0"}
# a number with more than 3 decimals (Vega writes its paths with 3): written again as its 32-bit float
_LONG_NUMBER = re.compile(r"-?\d*\.\d{4,}(?![\deE])")
_FLOAT32 = struct.Struct("f")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#xA;", "\r": "&#xD;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#xA;",
                                    "\r": "&#xD;", "\t": "&#x9;"})


def slim(svg: str) -> str:
    """`svg` (a drawing as chart_svg.py makes it) without what changes nothing a reader sees; `svg` itself
    when it is not the plain SVG this module knows how to read."""
    if svg.count("xmlns") != 1 or "xml:" in svg:
        return svg  # another namespace than SVG's (xlink...): not a drawing this module has seen
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return svg
    if root.tag != f"{SVG}svg":
        return svg
    start = svg[:svg.index(">") + 1]  # the root tag, as chart_svg.py wrote it
    if start.endswith("/>"):
        return svg
    inherited = {**INITIAL, **{key: value for key, value in root.attrib.items() if key in INHERITED}}
    _rewrite(root, inherited)
    return "".join([start, *(_written(child) for child in root), "</svg>"])


_SVG_LENGTH = len(SVG)
_G = f"{SVG}g"
_CAPTIONS = frozenset({f"{SVG}title", f"{SVG}desc"})
_INHERITED = frozenset(INHERITED)
_DROPPABLE = _INHERITED | DEFAULTS.keys() | LINE_DEFAULTS.keys()


def _rewrite(parent: ET.Element, inherited: dict[str, str]) -> None:
    """Below `parent`, whose children inherit `inherited`, in one walk: drop what draws nothing and the
    attributes at the value the element has anyway, then (bottom up) let a group without attributes give way
    to its children, drop a group without children, and move to `parent` what all its children set."""
    for child in list(parent):
        name = child.tag[_SVG_LENGTH:]
        if name in UNRENDERED:
            continue
        attrib = child.attrib
        if "id" not in attrib and _invisible(child, name, inherited):
            parent.remove(child)
            continue
        attrib.pop("class", None)
        for attribute in [key for key in attrib if key in _DROPPABLE]:
            value = attrib[attribute]
            if attribute in _INHERITED:
                # "" is no valid value: the element inherits, which is "none" when it was there
                if value == inherited.get(attribute) or (value == "" and inherited.get(attribute) == "none"):
                    del attrib[attribute]
            elif value == DEFAULTS.get(attribute) or (name == "line" and value == LINE_DEFAULTS.get(attribute)):
                del attrib[attribute]
        for attribute in ("transform", "d"):
            if attribute in attrib:
                attrib[attribute] = _LONG_NUMBER.sub(_as_float32, attrib[attribute])
        if name == "g":
            _rewrite(child, {**inherited, **{key: attrib[key] for key in attrib if key in _INHERITED}})
    _unwrap(parent)
    while parent.tag == _G and _hoist(parent, inherited):  # each round makes it shorter: it ends
        _unwrap(parent)


def _unwrap(parent: ET.Element) -> None:
    """A group child of `parent` without attributes gives way to its children; one without children goes."""
    index = 0
    while index < len(parent):
        child = parent[index]
        if child.tag != _G:
            index += 1
        elif not len(child) and "id" not in child.attrib:
            del parent[index]
        elif not child.attrib and not any(grandchild.tag in _CAPTIONS for grandchild in child):
            parent[index:index + 1] = list(child)  # its children were rewritten already: look past them
            index += len(child)
        else:
            index += 1


def _invisible(element: ET.Element, name: str, inherited: dict[str, str]) -> bool:
    """Whether `element` paints nothing and catches no pointer (no hover can reach a mark through it)."""
    attrib = element.attrib
    if attrib.get("display") == "none":
        return True
    if name == "text":
        return attrib.get("opacity") == "0" and _value("pointer-events", attrib, inherited) == "none"
    if name not in SHAPES or len(element):
        return False
    if name == "path" and not attrib.get("d", "").strip():
        return True
    unfilled = name == "line" or _value("fill", attrib, inherited) == "none"
    return (unfilled and _value("stroke", attrib, inherited) == "none"
            and _value("pointer-events", attrib, inherited) in ("visiblePainted", "none"))


def _value(attribute: str, attrib: dict[str, str], inherited: dict[str, str]) -> str | None:
    """The value `attribute` has on an element of attributes `attrib` (None: unknown)."""
    value = attrib.get(attribute)
    return inherited.get(attribute) if value is None or value == "" else value


def _hoist(group: ET.Element, inherited: dict[str, str]) -> bool:
    """Each inherited property most drawn children of `group` (which inherits `inherited`) have at one value:
    set on the group to that value, off the children that had it, and on those that had another only from
    the group. Whether a child lost an attribute."""
    drawn = [child for child in group if child.tag[_SVG_LENGTH:] not in UNRENDERED]
    if len(drawn) < 2:
        return False
    lost = False
    for attribute in sorted({key for child in drawn for key in child.attrib if key in _INHERITED}):
        own = group.attrib.get(attribute)
        around = own if own is not None else inherited.get(attribute)  # what a child without it has
        values = [child.attrib.get(attribute, around) for child in drawn]
        known = [value for value in values if value]
        if len(known) < len(drawn):
            continue  # a child whose value is not known here (or set to "", which is no value)
        value, having = Counter(known).most_common(1)[0]
        if value == around:
            continue  # the children that set it set it to what they inherit: nothing to move
        kept = around or ""  # known, when a child has not set it
        missing = sum(attribute not in child.attrib for child in drawn)
        saved = having * _length(attribute, value) - missing * _length(attribute, kept)
        saved += (_length(attribute, own) if own is not None else 0) - (
            _length(attribute, value) if value != inherited.get(attribute) else 0)
        if saved <= 0:
            continue
        for child in drawn:
            if child.attrib.get(attribute) == value:
                del child.attrib[attribute]
                lost = True
            elif attribute not in child.attrib:
                child.set(attribute, kept)
        if value == inherited.get(attribute):
            group.attrib.pop(attribute, None)
        else:
            group.set(attribute, value)
    return lost


def _length(attribute: str, value: str) -> int:
    return len(attribute) + len(value) + 4  # ' name="value"'


def _as_float32(match: re.Match[str]) -> str:
    """The shortest decimal that reads back as the same 32-bit float as the number matched: the float itself
    (the middle of the numbers that read as it) rounded to the fewest decimals that still read as it."""
    text = match.group()
    single = _FLOAT32.pack(float(text))
    (middle,) = _FLOAT32.unpack(single)
    for decimals in range(0, 9):
        shorter = f"{middle:.{decimals}f}"
        if _FLOAT32.pack(float(shorter)) == single:
            shorter = shorter.rstrip("0").rstrip(".") if "." in shorter else shorter
            return shorter if len(shorter) < len(text) else text
    return text


def _written(element: ET.Element) -> str:
    """`element` as SVG text, in the page's markup (no namespace prefixes: the root declares SVG's)."""
    name = element.tag[_SVG_LENGTH:]
    attributes = "".join(f' {key}="{value.translate(_ATTRIBUTE_ESCAPES)}"' for key, value in element.attrib.items())
    text = (element.text or "").translate(_TEXT_ESCAPES)
    tail = (element.tail or "").translate(_TEXT_ESCAPES)
    if not len(element) and not text:
        return f"<{name}{attributes}/>{tail}"
    inner = "".join(_written(child) for child in element)
    return f"<{name}{attributes}>{text}{inner}</{name}>{tail}"
