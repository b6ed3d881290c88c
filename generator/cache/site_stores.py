"""The stores the site stage is handed to keep what it makes between builds (it imports no cache itself):
chart specs made by Altair (site/charts.py), charts drawn as SVG (site/chart_svg.py) and compiled templates
(site/render.py), each in its partition of the store (store.py).

Each entry is named by `fingerprint(kind, key)`: the key the site computes of what the entry depends on (a
chart's shape, a drawing's spec and width, a template's name and environment), and this code with its
libraries, so that an upgrade never serves a stale spec. A build whose shapes are all kept does not import
Altair at all. A missing, damaged or unreadable entry is made again; nothing is said when none can be written.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from .store import CHART_DRAWINGS, CHART_SHAPES, TEMPLATES, Partition, fingerprint


class ChartShapes:
    """Chart specs (JSON objects) by the repr of a shape's arguments (site/charts.py's ShapeStore)."""

    def __init__(self, partition: Partition = CHART_SHAPES) -> None:
        self.partition = partition

    def entry(self, key: str) -> str:
        return f"{fingerprint('chart shape', key)}.json"

    def load(self, key: str) -> dict[str, Any] | None:
        data = self.partition.read(self.entry(key))
        try:
            spec = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):  # ValueError covers bad JSON and bad UTF-8
            return None
        return spec if isinstance(spec, dict) else None

    def store(self, key: str, spec: dict[str, Any]) -> None:
        try:
            data = json.dumps(spec, separators=(",", ":")).encode("ascii")
        except (TypeError, ValueError):  # not plain JSON: not worth keeping
            return
        self.partition.write(self.entry(key), data)


class ChartDrawings:
    """SVG drawings, compressed (20 KB take 3 KB), by the digest chart_svg.py computes of what a drawing
    depends on (site/chart_svg.py's DrawingStore)."""

    def __init__(self, partition: Partition = CHART_DRAWINGS) -> None:
        self.partition = partition

    def entry(self, key: str) -> str:
        return f"{fingerprint('chart drawing', key, code=False)}.svg.z"  # the key names all a drawing depends on

    def load(self, key: str) -> str | None:
        data = self.partition.read(self.entry(key))
        try:
            return zlib.decompress(data).decode("utf-8") if data is not None else None
        except (ValueError, zlib.error):  # ValueError covers bad UTF-8
            return None

    def store(self, key: str, svg: str) -> None:
        self.partition.write(self.entry(key), zlib.compress(svg.encode("utf-8"), 6))


class CompiledTemplates:
    """Jinja bytecode by the key site/render.py gives a template (its environment and name); Jinja checks the
    template's source against the checksum inside, so an edited theme is compiled again."""

    def __init__(self, partition: Partition = TEMPLATES) -> None:
        self.partition = partition

    def load(self, key: str) -> bytes | None:
        return self.partition.read(f"{fingerprint('compiled template', key)}.jinja")

    def store(self, key: str, code: bytes) -> None:
        self.partition.write(f"{fingerprint('compiled template', key)}.jinja", code)


def keep_site_stores() -> None:
    """Have the site stage read chart shapes, drawings and compiled templates from the store and keep the new
    ones there (the orchestrators call this before a build)."""
    from ..site import chart_svg, charts, render

    charts.keep_shapes_in(ChartShapes())
    chart_svg.keep_drawings_in(ChartDrawings())
    render.keep_compiled_templates_in(CompiledTemplates())
