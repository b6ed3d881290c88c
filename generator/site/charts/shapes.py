"""How the charts' Vega-Lite specs are made cheaply: Altair under the site's theme draws each chart *shape*
once (a function of hashable arguments, with named placeholders for its data), and each chart of that shape
gets the drawn dict with its rows inlined (see the package's doc). Also where a shape outlives the process
(`keep_shapes_in`) and how a spec writes itself as JSON fast (`InlinedSpec`).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable
from typing import Any, Protocol, cast

from .. import palette

THEME_NAME = "strategy-site"
HEIGHT = 260  # px; the width follows the container


def theme() -> dict[str, Any]:
    """The chart theme: the site's palette and font, no border, light grid, muted axes."""
    muted = {"labelColor": palette.MUTED, "titleColor": palette.MUTED}
    return {
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "background": "transparent",
        "padding": 4,
        "config": {
            "font": palette.FONT,
            "view": {"stroke": None, "continuousHeight": HEIGHT},
            "axis": {**muted, "gridColor": palette.GRID, "domainColor": palette.GRID, "tickColor": palette.GRID,
                     "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "labelLimit": 240,
                     "titlePadding": 8},
            "axisX": {"grid": False, "labelOverlap": "greedy", "labelSeparation": 8},
            "axisY": {"grid": True},
            "axisBand": {"grid": False, "ticks": False, "domain": False, "labelColor": palette.INK,
                         "labelPadding": 6},
            "legend": {**muted, "orient": "bottom", "labelFontSize": 12, "titleFontSize": 12,
                       "titleFontWeight": "normal", "symbolStrokeWidth": 2, "labelLimit": 260},
            "title": {"color": palette.INK, "fontSize": 14, "fontWeight": 600, "anchor": "start"},
            "range": {"category": palette.CATEGORY},
            "line": {"strokeWidth": 2, "color": palette.ACCENT},
            "point": {"filled": True, "size": 45, "color": palette.ACCENT},
            "bar": {"color": palette.ACCENT, "cornerRadiusEnd": 2},
            "tick": {"color": palette.INK},
            "rule": {"color": palette.MUTED},
            "text": {"color": palette.INK, "fontSize": 11},
        },
    }


_altair_module: Any = None


def _alt() -> Any:
    """Altair, imported on first use, with the site theme registered and enabled."""
    global _altair_module
    if _altair_module is None:
        import altair as alt

        alt.theme.register(THEME_NAME, enable=True)(cast(Any, theme))  # a plain dict, not Altair's TypedDict
        _altair_module = alt
    return _altair_module


_DATA_PREFIX = "strategy-data-"


def _data(alt: Any, index: int) -> Any:
    """The placeholder of a shape's `index`-th dataset (see `_shape`): the rows are inlined after
    `to_dict()`, since Altair deep-copies inline values at every `layer()`/`properties()` call."""
    return alt.NamedData(name=f"{_DATA_PREFIX}{index}")


# Keys a chart's `to_dict()` puts at the top level only (the theme's sizes, config, the schema URL).
_TOP_LEVEL_ONLY = frozenset({"$schema", "config", "width", "height", "autosize", "background", "padding"})

# A shape drawn by Altair: its spec, and where its datasets go as (path of the node that gets `data`,
# index of the dataset).
_Slots = tuple[tuple[tuple[str | int, ...], int], ...]
# shape → its spec, slots, JSON (_cut) and the digest of that JSON
_memo: dict[str, tuple[dict[str, Any], _Slots, list[str], bytes]] = {}
_MEMO_MAX = 1024  # shapes kept in memory; `serve` makes new ones as titles and values change
_stats = {"drawn": 0, "from_disk": 0}  # shapes Altair drew / read from the shape store in this process
_DRAW_LOCK = threading.Lock()  # the active Altair theme is global: one drawing at a time


class ShapeStore(Protocol):
    """Where drawn shapes outlive the process: cache/site_stores.py, which the orchestrators plug in."""

    def load(self, key: str) -> dict[str, Any] | None: ...

    def store(self, key: str, spec: dict[str, Any]) -> None: ...


_shape_store: ShapeStore | None = None


def keep_shapes_in(store: ShapeStore | None) -> None:
    """Read shapes from `store` before drawing them and keep the drawn ones there (None: this process only)."""
    global _shape_store
    _shape_store = store


def _draw(shape: Callable[..., tuple[Any, list[Any] | None]], args: tuple[Any, ...]) -> dict[str, Any]:
    """A shape's spec from Altair, unvalidated: `to_dict()` validates each chart against the
    schema (about 7 ms a chart) and debug mode each object as it is made; the tests validate every
    builder's output once instead.

    Speed notes (Altair 6.3): channels are always given as objects (alt.X("f:Q"), alt.Text("f:N")),
    never as bare strings, which Altair resolves through a schema lookup costing about 4 ms each; and
    layers are serialised one by one under an empty layer chart, because `alt.layer()` deep-copies every
    layer several times to merge selection parameters we do not use."""
    with _DRAW_LOCK:
        alt = _alt()
        from altair.utils.schemapi import debug_mode

        with debug_mode(False):
            return _to_dict(alt, *shape(alt, *args))


def _to_dict(alt: Any, top: Any, layers: list[Any] | None) -> dict[str, Any]:
    """`top` under the site theme, with `layers` (if any) serialised without it as its layers."""
    with alt.theme.enable(THEME_NAME):
        spec: dict[str, Any] = top.to_dict(validate=False)
    if layers is not None:
        with alt.theme.enable("none"):  # the theme belongs to the top level only
            parts = [layer.to_dict(validate=False) for layer in layers]
        spec["layer"] = [{k: v for k, v in part.items() if k not in _TOP_LEVEL_ONLY} for part in parts]
    _stats["drawn"] += 1
    return spec


def _slots(spec: dict[str, Any]) -> _Slots:
    """Where the dataset placeholders of `spec` are."""
    found: list[tuple[tuple[str | int, ...], int]] = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("name"), str) and data["name"].startswith(_DATA_PREFIX):
                index = data["name"][len(_DATA_PREFIX):]
                found.append((path, int(index) if index.isdigit() else -1))
            for key, value in node.items():
                if key != "data":
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(spec, ())
    return tuple(found)


class InlinedSpec(dict):
    """A chart's spec (a plain dict to every reader) that also knows how to write itself as JSON fast: its
    shape's JSON text is cut once where the datasets go, and each data row that `_row` made is serialised
    once per process, so a page writing the spec (render.py's `json_script`) joins ready-made text instead
    of serialising the shape again for every chart, and a row shown by twenty versions once."""

    __slots__ = ("_data", "_digest", "_parts", "_shape_digest")
    _parts: list[str]  # the shape's JSON text cut where the datasets go (_cut)
    _shape_digest: bytes  # a digest of `_parts`
    _data: list[list[dict[str, Any]]]
    _digest: str

    def json_text(self) -> str:
        """`json.dumps(self, ensure_ascii=False, separators=(",", ":"))`, byte for byte."""
        parts = self._parts
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append("[" + ",".join(map(_row_json, self._data[int(parts[i])])) + "]")
            out.append(parts[i + 1])
        return "".join(out)

    def digest(self) -> str:
        """A digest of `json_text()` made without writing it (a drawing's key, chart_svg.py): of the shape's text
        (digested once per shape) and the `repr` of the data rows, which is as exact for rows of strings and
        numbers (`1` and `1.0`, `0.0` and `-0.0` differ in both) and many times faster than their JSON. Made
        once per chart, for its wide and narrow drawings (specs are read-only)."""
        try:
            return self._digest
        except AttributeError:
            rows = repr(self._data).encode("utf-8", "surrogatepass")
            self._digest = hashlib.blake2b(self._shape_digest + rows, digest_size=20).hexdigest()
            return self._digest

    def __reduce__(self) -> tuple[Any, ...]:  # a plain dict once pickled (render workers, digests)
        return dict, (dict(self),)


def _shape_digest(parts: list[str]) -> bytes:
    """A digest of a shape's JSON text as `_cut` cut it (JSON text never holds a NUL: it separates the parts)."""
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _cut(drawn: dict[str, Any], slots: _Slots) -> list[str]:
    """The JSON text of shape `drawn`, as [text, dataset index, text, dataset index, ..., text]."""
    import json
    import re
    import secrets

    mark = f"\x00{secrets.token_hex(8)}-"  # JSON writes it escaped; no title or label can hold it
    stand_ins = [[f"{mark}{i}"] for i in range(max((i for _, i in slots), default=-1) + 1)]
    text = json.dumps(_inline(drawn, slots, stand_ins, into=dict), ensure_ascii=False, separators=(",", ":"))
    escaped = json.dumps(mark)[1:-1]
    return re.split(r'\[\s*"' + re.escape(escaped) + r'(\d+)"\s*\]', text)


class _Row(dict):
    """A data row `_row` made (a plain dict to every reader), with its JSON once a page has needed it: in a
    render worker, as rows are made before the pages are shared out."""

    __slots__ = ("json",)
    json: str

    def __reduce__(self) -> tuple[Any, ...]:  # a plain dict once pickled
        return dict, (dict(self),)


def _row_json(row: dict[str, Any]) -> str:
    if type(row) is not _Row:
        return _object_json(row)
    try:
        return row.json
    except AttributeError:
        row.json = text = _object_json(row)
        return text


def _inline(drawn: dict[str, Any], slots: _Slots, data: list[list[Any]], into: type = InlinedSpec) -> Any:
    """A spec of the shape `drawn` with `data` inlined. Only the dicts and lists on the way from the top to
    each dataset are new; the rest (theme, marks, encodings) is shared with every chart of the shape, which
    spares the build a deep copy and the garbage collector most of the objects (specs are read-only)."""
    out = into(drawn)
    copies: dict[tuple[str | int, ...], Any] = {(): out}
    for path, index in slots:
        node: Any = out
        for depth in range(1, len(path) + 1):
            copy = copies.get(path[:depth])
            if copy is None:
                copy = copies[path[:depth]] = node[path[depth - 1]].copy()
                node[path[depth - 1]] = copy
            node = copy
        node["data"] = {"values": data[index]}
    return out


def _shape(shape: Callable[..., tuple[Any, list[Any] | None]]) -> Callable[..., dict[str, Any]]:
    """Turn `shape(alt, *args) -> (chart, layers or None)` into `spec(*args, data=[rows, ...])`.

    `shape` builds the Altair chart from hashable arguments only, with `_data(alt, i)` standing for the
    i-th list of rows; the returned function gives a new spec dict with the rows inlined as `values`.
    Altair draws each distinct `args` once per process, once per machine with a shape store."""
    name = shape.__name__

    def spec(*args: Any, data: list[list[dict[str, Any]]]) -> dict[str, Any]:
        key = repr((name, args))  # repr, not the tuple: 0.0 and -0.0, 1 and True must not meet
        kept = _memo.get(key)
        if kept is None:
            store = _shape_store
            drawn = store.load(key) if store is not None else None
            slots = _slots(drawn) if drawn is not None else ()
            if drawn is not None and sorted({i for _, i in slots}) == list(range(len(data))):
                _stats["from_disk"] += 1
            else:  # not cached, or an entry that does not fit (damaged): Altair draws it again
                drawn = _draw(shape, args)
                slots = _slots(drawn)
                if store is not None:
                    store.store(key, drawn)
            if len(_memo) >= _MEMO_MAX:
                del _memo[next(iter(_memo))]
            parts = _cut(drawn, slots)
            kept = _memo[key] = (drawn, slots, parts, _shape_digest(parts))
        out = _inline(kept[0], kept[1], data)
        out._parts, out._shape_digest, out._data = kept[2], kept[3], data
        return out

    spec.__name__ = spec.__qualname__ = name
    spec.__doc__ = shape.__doc__
    return spec



def _object_json(row: dict[str, Any]) -> str:
    """`json.dumps(row, ensure_ascii=False, separators=(",", ":"))` for a dict of strings and finite numbers,
    written directly (a build makes 40,000 rows: the encoder's set-up per call was most of their cost)."""
    import json
    from json.encoder import encode_basestring

    parts = []
    for key, value in row.items():
        kind = type(value)
        if kind is str:
            text = encode_basestring(value)
        elif (kind is float and math.isfinite(value)) or kind is int:
            text = repr(value)  # what the encoder writes for both
        else:
            return json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{encode_basestring(key)}:{text}")
    return "{" + ",".join(parts) + "}"
