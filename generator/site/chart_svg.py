"""Charts drawn as SVG at build time, with vl-convert, from the very Vega-Lite specs of charts/.

Each chart is drawn twice: WIDE for a screen, NARROW for a phone (the page shows one of them with a CSS media
query). A drawing is a pure function of the spec, the width, the plan's d3 number and date locales and the
vl-convert version, so it is kept under a digest of those (cache/site_stores.py, plugged in by the
builds with `keep_drawings_in`): a chart is drawn once until it changes (about 0.1 s a drawing).

What the page gets differs from vl-convert's output in three ways, all for the reader:
- no ARIA of Vega's own (English sentences such as "X-axis for a time scale..."): the figure's `aria-label`,
  in the plan's language, describes the chart, and the data table beside it holds the numbers;
- each mark that had a tooltip carries it as an SVG `<title>` (the browser shows it on hover, with no
  script), the same lines as the tooltip: "Série : Mesures", "Valeur : 1 250 clients";
- the root `<svg>` is hidden from assistive technology and has a class for the theme's CSS.

vl-convert runs Vega in a Deno runtime whose threads do not survive a fork: a process that has drawn must
not fork render workers (parallel.py asks `engine_started()`). So a build first renders its pages
*collecting* the drawings the cache lacks (`collect_missing`, a `placeholder` in the page for each), has them
drawn by worker processes (drawing_pool.py, `keep_drawn_ahead`), then puts each in its page's placeholder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from ..plan.i18n import Formatter
from . import palette, svg_slim

WIDE = 720  # px: the content column of a screen (the figure scales it down to fit, keeping its proportions)
NARROW = 340  # px: a 390 px phone less the page's margins
DENSE = 120  # a line of more points than this is drawn without them: they would touch, each with its title
FORMAT = "3"  # bumped when the post-processing below changes what a drawing holds
# Labels are measured with a font of ours (fonts/OFL.txt), the same on every machine and cheap to measure:
# vl-convert opens the file again for each glyph it measures, and a system font falls back through fontconfig's
# choices (Liberation Sans here, Arial or Helvetica elsewhere). The page draws the text with the site's font.
MEASURE_FONT = "ChartSans"
FONTS = Path(__file__).resolve().parent / "fonts"

TIP_SEPARATOR = {"fr": " : ", "en": ": "}  # "Valeur : 12" in French, "Value: 12" in English

_engine_pid: int | None = None  # the process that started vl-convert's runtime


class DrawingStore(Protocol):
    """Where drawings outlive the process: cache/site_stores.py, which the orchestrators plug in."""

    def load(self, key: str) -> str | None: ...

    def store(self, key: str, svg: str) -> None: ...


_store: DrawingStore | None = None
_memo: dict[str, Markup] = {}  # key → drawing, in this process (serve redraws a page with the same charts)
_MEMO_MAX = 2048
_ahead: dict[str, Markup | None] = {}  # key → drawing made by drawing_pool.py for this build (None: cannot be)
_missing: dict[str, tuple[str, str, str, str, str | None]] | None = None  # while collecting: key → drawing request
_ahead_sink: Callable[[tuple[str, str, str, str, str | None]], None] | None = None  # `collect_missing`'s `start`


def keep_drawings_in(store: DrawingStore | None) -> None:
    """Read drawings from `store` before drawing them and keep the new ones there (None: this process only)."""
    global _store
    _store = store


def engine_started() -> bool:
    """Whether this process has started vl-convert's runtime (then it must not fork: see the module's doc)."""
    import os

    return _engine_pid == os.getpid()


@functools.lru_cache(maxsize=1)
def _engine_version() -> str:
    """What a drawing depends on beyond its spec, width and locale: vl-convert's version, the font it is measured
    with and this module (which reworks its output); the store keys drawings by these alone, not by the whole
    package, so an upgrade that leaves them alone draws nothing again."""
    import vl_convert

    own = hashlib.blake2b(Path(__file__).read_bytes() + Path(svg_slim.__file__).read_bytes(), digest_size=8).hexdigest()
    return f"{getattr(vl_convert, '__version__', 'unknown')}|{fonts_digest()}|{own}"


def fonts_digest() -> str:
    """A digest of the font files the drawings are measured with (without importing vl-convert: the kept pages
    are keyed by it too, once a build, cache/kept_pages.py)."""
    fonts = hashlib.blake2b(digest_size=8)
    for font in sorted(FONTS.glob("*.ttf")):
        fonts.update(font.read_bytes())
    return fonts.hexdigest()


@functools.lru_cache(maxsize=1)
def _fonts_registered() -> None:
    """Gives vl-convert the font labels are measured with, once a process, before its first drawing."""
    import vl_convert

    vl_convert.register_font_directory(str(FONTS))


def draw_chart(spec: dict[str, Any], width: int, fmt: Formatter) -> Markup | None:
    """The chart of `spec` as an SVG `width` px wide in the plan's locale, from the store when it was drawn
    before; None when vl-convert cannot draw it (the page then shows its data table open).

    The key holds a digest of the spec (charts.InlinedSpec makes it without writing the spec's JSON, once for
    both widths): a chart already drawn costs a digest and a read, not the rewriting below."""
    digest = _key_start(_engine_version(), width, fmt.language, fmt.currency, fmt.region).copy()
    digest.update(_spec_digest(spec).encode("ascii"))
    key = digest.hexdigest()
    found = _memo.get(key)
    if found is not None:
        return found
    if key in _ahead:
        return _ahead[key]
    svg = _store.load(key) if _store is not None else None
    if svg is None or not svg.startswith("<svg"):
        drawing = _drawing_spec(json.loads(_spec_text(spec)), width, fmt.language)
        source = json.dumps(drawing, ensure_ascii=False, separators=(",", ":"))
        if _missing is not None:  # drawn later, with the others the build lacks (parallel.render_drawn)
            if key not in _missing and _ahead_sink is not None:
                _ahead_sink((key, source, fmt.language, fmt.currency, fmt.region))
            _missing[key] = (key, source, fmt.language, fmt.currency, fmt.region)
            return Markup(placeholder(key))
        format_locale, time_locale, _ = _locales(fmt.language, fmt.currency, fmt.region)
        svg = _draw(source, format_locale, time_locale, key)
        if svg is None:
            return None
        if _store is not None:
            _store.store(key, svg)
    if len(_memo) >= _MEMO_MAX:
        del _memo[next(iter(_memo))]
    _memo[key] = Markup(svg)
    return _memo[key]


def placeholder(key: str) -> str:
    """What a page holds in place of a drawing still to be made (`collect_missing`), to be replaced by it."""
    return f"<!--drawing {key}-->"


def collect_missing(on: bool, start: Callable[[tuple[str, str, str, str, str | None]], None] | None = None,
                    ) -> dict[str, tuple[str, str, str, str, str | None]]:
    """Start (`on`) or stop collecting the drawings the cache lacks instead of drawing them: meanwhile
    `draw_chart` answers a `placeholder` for them, which the drawing replaces in the rendered page (or, when
    it cannot be drawn, the page is rendered again), and gives each new one to `start` (serve's kept workers
    begin drawing it while the pages are rendered). Returns what was collected."""
    global _missing, _ahead_sink
    collected = _missing or {}
    _missing = {} if on else None
    _ahead_sink = start if on else None
    return collected


def keep_drawn_ahead(drawn: dict[str, str | None]) -> None:
    """Keep for this build the drawings made by drawing_pool.py from the requests `collect_missing`
    returned (None: vl-convert cannot draw it), and in the store for later builds. Any request left out
    of `drawn` is drawn by `draw_chart` in this process when its page is rendered again."""
    global _ahead
    for key, svg in drawn.items():
        if svg is not None and _store is not None:
            _store.store(key, svg)
    _ahead = {key: Markup(svg) if svg is not None else None for key, svg in drawn.items()}


@contextlib.contextmanager
def drawn_now() -> Iterator[None]:
    """While open, `draw_chart` draws what the cache lacks at once, even within a page rendered collecting
    (`collect_missing`): for a caller that needs every drawing (the board pack), never None for a drawable chart."""
    global _missing
    collected, _missing = _missing, None
    try:
        yield
    finally:
        _missing = collected


def collecting() -> bool:
    """Whether drawings the cache lacks are being collected (`collect_missing`) rather than drawn."""
    return _missing is not None


def start_engine() -> None:
    """Start vl-convert's runtime now (a first drawing takes 1–2 s more than the next ones): a kept drawing
    worker does it before any edit asks it for a drawing."""
    text = {"data": {"values": [{"t": "0"}]}, "mark": "text", "encoding": {"text": {"field": "t"}}}
    format_locale, time_locale, _ = _locales("en", "USD", None)
    _draw(json.dumps({**text, "config": {"font": MEASURE_FONT}}), format_locale, time_locale, "start")


def draw_source(key: str, source: str, language: str, currency: str, region: str | None) -> str | None:
    """The SVG of a drawing spec written by `draw_chart` (in a drawing worker), or None when it cannot be."""
    format_locale, time_locale, _ = _locales(language, currency, region)
    return _draw(source, format_locale, time_locale, key)


@functools.lru_cache(maxsize=16)
def _locales(language: str, currency: str, region: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The d3 number and time locales of a plan's language, currency and locale, and their JSON (for the key)."""
    fmt = Formatter(language, currency, region)
    format_locale, time_locale = fmt.vega_format_locale(), fmt.vega_time_locale()
    return format_locale, time_locale, json.dumps([format_locale, time_locale], ensure_ascii=False, sort_keys=True)


@functools.lru_cache(maxsize=16)
def _key_start(engine: str, width: int, language: str, currency: str, region: str | None) -> Any:
    """The digest of what a drawing's key holds besides its spec (to be copied, then fed the spec's digest)."""
    locales = _locales(language, currency, region)[2]
    return hashlib.blake2b(f"{FORMAT}|{engine}|{width}|{language}|{locales}|".encode(
        "utf-8", "surrogatepass"), digest_size=20)


def _spec_digest(spec: dict[str, Any]) -> str:
    digest = getattr(spec, "digest", None)  # charts.InlinedSpec digests itself fast
    if callable(digest):
        return str(digest())
    return hashlib.blake2b(_spec_text(spec).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _spec_text(spec: dict[str, Any]) -> str:
    json_text = getattr(spec, "json_text", None)  # charts.InlinedSpec writes itself fast
    return json_text() if callable(json_text) else json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def _draw(source: str, format_locale: dict[str, Any], time_locale: dict[str, Any], key: str) -> str | None:
    global _engine_pid
    import os

    import vl_convert

    _engine_pid = os.getpid()
    _fonts_registered()
    try:
        svg = vl_convert.vegalite_to_svg(source, format_locale=format_locale, time_format_locale=time_locale)
    except Exception:  # a spec Vega cannot draw: the data table stands in for it
        return None
    return svg_slim.slim(_for_the_page(svg, key))  # smaller, the same picture: once, before it is kept


def _drawing_spec(spec: dict[str, Any], width: int, language: str) -> dict[str, Any]:
    """`spec` at a fixed width, without Vega's ARIA, with each tooltip written out as the mark's description
    (which `_for_the_page` turns into a `<title>`)."""
    spec["width"] = width
    config = spec.setdefault("config", {})
    config["aria"] = False
    config["font"] = MEASURE_FONT
    # numbers and dates are short: no limit spares Vega measuring each label a second time to truncate it
    for kind in ("axisQuantitative", "axisTemporal"):
        config[kind] = {**config.get(kind, {}), "labelLimit": 0}
    if width <= NARROW:  # a phone: the long labels of a bar chart's categories would leave the bars no room
        config["axisDiscrete"] = {**config.get("axisDiscrete", {}), "labelLimit": width * 2 // 5}
        config["legend"] = {**config.get("legend", {}), "labelLimit": width * 3 // 5, "columns": 1}
    separator = TIP_SEPARATOR.get(language, ": ")
    for unit in _units(spec):
        tooltip = unit.get("encoding", {}).get("tooltip")
        if not isinstance(tooltip, list) or not tooltip:
            continue
        lines = [f"{json.dumps(str(t.get('title', t['field'])) + separator)} + datum[{json.dumps(t['field'])}]"
                 for t in tooltip if isinstance(t, dict) and "field" in t]
        unit["transform"] = [*unit.get("transform", []), {"calculate": " + '\\n' + ".join(lines), "as": "_tip"}]
        unit["encoding"] = {**unit["encoding"], "description": {"field": "_tip", "type": "nominal"}}
        del unit["encoding"]["tooltip"]
        mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
        if mark.get("type") == "line":  # one title for a whole line would name its first point only
            mark = {**mark, "aria": False}
            if len(unit.get("data", {}).get("values", ())) > DENSE:
                mark["point"] = False
            elif mark.get("point"):
                mark["point"] = {**(mark["point"] if isinstance(mark["point"], dict) else {}), "aria": True}
        else:
            mark = {**mark, "aria": True}
        unit["mark"] = mark
    return spec


def _units(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The unit specs (those with a mark) of `spec`, through its layers."""
    if "mark" in spec:
        return [spec]
    return [unit for layer in spec.get("layer", []) if isinstance(layer, dict) for unit in _units(layer)]


_SELF_CLOSED = re.compile(r'<(\w+)([^<>]*?) aria-label="([^"]*)"([^<>]*?)/>')
_OPENED = re.compile(r'<(\w+)([^<>]*?) aria-label="([^"]*)"([^<>]*?)>')
_ARIA_NOISE = re.compile(r' (?:role|aria-roledescription|aria-hidden)="[^"]*"')
_CLIP_ID = re.compile(r'(?<=id=")clip\d+(?=")|(?<=url\(#)clip\d+(?=\))')
_MEASURE_FONT = f' font-family="{MEASURE_FONT}"'
_PAGE_FONT = ' font-family="{}"'.format(palette.FONT.replace('"', "&quot;"))


def _for_the_page(svg: str, key: str) -> str:
    """vl-convert's SVG with each mark's description as its `<title>`, the rest of the ARIA dropped, the
    root hidden from assistive technology (the figure describes the chart), its text in the site's font (named
    once, on the root: the text inherits it), and its clip paths named after
    the drawing: vl-convert numbers them by process (`clip51`), so two charts of a page drawn by two
    processes could share one, and a chart would be clipped by the other's path."""
    ids: dict[str, str] = {}
    svg = _CLIP_ID.sub(lambda m: ids.setdefault(m.group(), f"clip-{key[:12]}-{len(ids) + 1}"), svg)
    svg = _ARIA_NOISE.sub("", svg)
    svg = _SELF_CLOSED.sub(r"<\1\2\4><title>\3</title></\1>", svg)
    svg = _OPENED.sub(r"<\1\2\4><title>\3</title>", svg)
    svg = svg.replace('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                      'version="1.1" class="marks"',
                      '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" aria-hidden="true" '
                      f'focusable="false"{_PAGE_FONT}', 1)
    svg = svg.replace(_MEASURE_FONT, "")
    return svg.strip()
