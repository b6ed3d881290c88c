"""Charts drawn as SVG at build time (site/chart_svg.py) and kept in the user cache (cache/site_stores.py):
what a reader gets with no script at all, in the plan's language, and a chart drawn once until it changes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import store
from generator.cache.site_stores import ChartDrawings
from generator.plan.i18n import Formatter
from generator.site import chart_svg, palette
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    result = build(EXAMPLE, out, TODAY, search=False)
    assert result.ok, result.message
    return out


def _svgs(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*class="chart-svg".*?</svg>', html, re.DOTALL)


def test_every_chart_is_in_the_page_wide_and_narrow_with_its_size(example_site: Path) -> None:
    """The dashboard's charts are SVG in the HTML itself (there with JavaScript off), each drawn for a screen
    and for a phone, with width and height so that the page keeps their place before they are painted."""
    html = (example_site / "index.html").read_text(encoding="utf-8")
    figures = html.count('<figure class="chart"')
    assert figures >= 2
    assert html.count('<div class="chart-wide"><svg') == figures
    assert html.count('<div class="chart-narrow"><svg') == figures
    sizes = [re.search(r'width="(\d+)" height="(\d+)"', svg) for svg in _svgs(html)]
    assert all(sizes) and {int(m.group(1)) for m in sizes if m} == {chart_svg.WIDE, chart_svg.NARROW}


def test_pages_load_no_chart_code(example_site: Path) -> None:
    """No page loads a chart library or carries a chart spec: the only scripts left are the search's and the
    menu's (which scrolls the menu's row to the current section on a phone), and the Vega bundle is no longer
    in the site."""
    for page in example_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "vega" not in html.lower(), page
        scripts = re.findall(r"<script[^>]*>", html)  # built with search=False
        assert [re.sub(r"nav\.[0-9a-f]{8}\.js", "nav.js", s) for s in scripts] == [
            f'<script src="{"../" * page.relative_to(example_site).as_posix().count("/")}static/nav.js" defer>'], page
    assert not list(example_site.glob("static/vega-bundle*"))


def test_tooltips_are_titles_in_the_plan_language(example_site: Path) -> None:
    """Hovering a bar shows the tooltip the browser draws from the mark's <title>, in French, with the
    numbers of the table; Vega's own English ARIA sentences ("X-axis for a time scale…") are gone."""
    html = (example_site / "funnels" / "acquisition.html").read_text(encoding="utf-8")
    assert "<title>Étape : Prospects identifiés&#xA;Série : Besoin à l'échéance&#xA;Volume : 1\u202f250</title>" in html
    assert "X-axis" not in html and "aria-roledescription" not in html
    assert '<div class="chart-canvas" data-chart="funnel-acquisition" role="img" aria-label="' in html


def test_an_english_plan_gets_english_tooltips() -> None:
    """A tooltip line reads "Stage: …" in English, "Étape : …" in French."""
    spec = {"data": {"values": [{"stage": "Leads", "label": "1,250", "value": 1250}]},
            "mark": "bar", "encoding": {"y": {"field": "stage", "type": "nominal"},
                                        "x": {"field": "value", "type": "quantitative"},
                                        "tooltip": [{"field": "stage", "type": "nominal", "title": "Stage"},
                                                    {"field": "label", "type": "nominal", "title": "Volume"}]}}
    en = Formatter("en", "EUR")
    svg = chart_svg.draw_chart(spec, chart_svg.NARROW, en)
    assert svg is not None and "<title>Stage: Leads&#xA;Volume: 1,250</title>" in svg


def test_a_chart_is_drawn_once_until_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build (a new process: nothing in memory) takes the drawing from the user cache; a chart
    whose numbers changed is drawn again."""
    monkeypatch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")
    chart_svg.keep_drawings_in(ChartDrawings())
    drawn: list[str] = []
    real = chart_svg._draw
    monkeypatch.setattr(chart_svg, "_draw", lambda source, *a: drawn.append(source) or real(source, *a))
    fr = Formatter("fr", "EUR")
    spec = {"data": {"values": [{"a": "x", "b": 1}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    args = (chart_svg.WIDE, fr)
    first = chart_svg.draw_chart(spec, *args)
    monkeypatch.setattr(chart_svg, "_memo", {})  # a new process
    assert chart_svg.draw_chart(spec, *args) == first
    assert len(drawn) == 1 and len(list((tmp_path / "drawings").iterdir())) == 1
    spec["data"]["values"][0]["b"] = 2
    assert chart_svg.draw_chart(spec, *args) != first
    assert len(drawn) == 2


def test_an_unwritable_cache_still_gives_the_drawing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be made only costs drawing again; the page still gets its chart."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(store.CHART_DRAWINGS, "root", blocker / "drawings")
    monkeypatch.setattr(chart_svg, "_memo", {})
    chart_svg.keep_drawings_in(ChartDrawings())
    fr = Formatter("fr", "EUR")
    spec = {"data": {"values": [{"a": "y", "b": 3}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    svg = chart_svg.draw_chart(spec, chart_svg.WIDE, fr)
    assert svg is not None and svg.startswith("<svg")


def test_a_chart_that_cannot_be_drawn_shows_its_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When vl-convert cannot draw a chart, the page shows its data table open in its place."""
    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(ChartDrawings, "load", lambda self, key: None)
    monkeypatch.setattr(chart_svg, "_draw", lambda *a: None)
    result = build(EXAMPLE, tmp_path / "out", TODAY, search=False)
    assert result.ok, result.message
    html = (tmp_path / "out" / "funnels" / "acquisition.html").read_text(encoding="utf-8")
    assert '<details class="chart-data" open' in html and "chart-svg" not in html


def test_a_process_that_has_drawn_renders_without_forking() -> None:
    """vl-convert's runtime does not survive a fork: once this process has drawn, pages render in it alone
    (a forked worker would wait forever)."""
    from generator import parallel

    fr = Formatter("fr", "EUR")
    state_spec = {"data": {"values": [{"a": "z", "b": 1}]}, "mark": "point",
                  "encoding": {"x": {"field": "a", "type": "nominal"}}}
    chart_svg.draw_chart(state_spec, chart_svg.WIDE, fr)
    assert chart_svg.engine_started()
    assert parallel.workers(10_000) == 1


def _bars(n: int) -> dict[str, object]:
    """A bar chart with rounded bars (vl-convert clips them with a clip path)."""
    return {"data": {"values": [{"a": f"bar {n}", "b": n}]}, "mark": {"type": "bar", "cornerRadiusEnd": 2},
            "encoding": {"y": {"field": "a", "type": "nominal"}, "x": {"field": "b", "type": "quantitative"}}}


def test_missing_drawings_are_drawn_by_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build has the charts the cache lacks drawn all at once by fresh worker processes: the pages get
    the very drawings this process would make, they are kept for the next build, and the building process
    itself draws nothing (vl-convert started in it would stop it sharing its pages out)."""
    from generator import parallel

    monkeypatch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")
    chart_svg.keep_drawings_in(ChartDrawings())
    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "MIN_DRAWINGS_PER_WORKER", 1)
    fr = Formatter("fr", "EUR")
    specs = [_bars(n) for n in range(4)]
    expected = [chart_svg.draw_chart(spec, chart_svg.WIDE, fr) for spec in specs]  # drawn here, as before
    for entry in (tmp_path / "drawings").iterdir():
        entry.unlink()
    monkeypatch.setattr(chart_svg, "_memo", {})

    def no_drawing_here(*args: object) -> None:
        raise AssertionError("the building process drew a chart")

    monkeypatch.setattr(chart_svg, "_draw", no_drawing_here)
    pages = parallel.render_drawn(lambda spec: str(chart_svg.draw_chart(spec, chart_svg.WIDE, fr)).encode(), specs)
    assert pages == [str(svg).encode() for svg in expected]
    assert len(list((tmp_path / "drawings").iterdir())) == 4


def test_two_charts_of_a_page_never_share_a_clip_path() -> None:
    """Each drawing names its clip paths after itself, numbered from 1 in the drawing, whatever process drew
    it and whatever it drew before: a chart is never clipped by another chart's path on the same page, and
    the same chart is the same bytes in every build."""
    fr = Formatter("fr", "EUR")
    first, second = (str(chart_svg.draw_chart(_bars(n), chart_svg.WIDE, fr)) for n in (10, 11))
    ids = [re.findall(r'id="(clip[^"]*)"', svg) for svg in (first, second)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    assert all(name.endswith("-1") for name in (ids[0][0], ids[1][0]))
    assert all(f'url(#{name})' in svg for names, svg in zip(ids, (first, second), strict=True) for name in names)


def test_a_drawing_left_to_the_workers_keeps_the_plans_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart of an en-GB plan whose drawing the cache lacks is sent to the drawing workers with its locale:
    the worker's axes read "£" and day-first dates as the page's own text does, not the en-US default."""
    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(chart_svg, "_store", None)
    chart_svg.collect_missing(True)
    try:
        held = chart_svg.draw_chart(_bars(7), chart_svg.WIDE, Formatter("en", "GBP", "en-GB"))
    finally:
        requests = chart_svg.collect_missing(False)
    assert [request[2:] for request in requests.values()] == [("en", "GBP", "en-GB")]
    assert held == chart_svg.placeholder(next(iter(requests)))  # the drawing takes its place in the page


def _long_labels() -> dict[str, object]:
    """Bars with a long category name, on an axis of large numbers."""
    return {"data": {"values": [{"a": "Connecter 80 % des clients au portail en libre-service", "b": 12_500_000},
                                {"a": "Court", "b": 3_000_000}]},
            "mark": "bar", "encoding": {"y": {"field": "a", "type": "nominal", "title": None},
                                        "x": {"field": "b", "type": "quantitative", "title": None}}}


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_a_phone_drawing_shortens_long_categories_and_keeps_numbers_whole() -> None:
    """On a phone, a bar's long category name is cut with "…" so the bars keep their room, while the
    numbers of the value axis are written whole ("12 000 000"): only labels that can be long are limited."""
    fr = Formatter("fr", "EUR")
    narrow = str(chart_svg.draw_chart(_long_labels(), chart_svg.NARROW, fr))
    texts = _texts(narrow)
    assert any(t.startswith("Connecter") and t.endswith("…") for t in texts), texts
    assert "Court" in texts
    assert "12\u202f000\u202f000" in texts, texts


def test_a_drawing_is_the_same_in_every_process_and_names_the_sites_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels are laid out with the font shipped beside the code (fonts/, SIL OFL), so a chart drawn by a
    fresh worker process is byte for byte the one drawn here; the reader's browser draws its text with the
    site's font stack, named once on the drawing, never the measuring font's name."""
    from generator.site import palette
    from generator.site.drawing_pool import draw_all

    assert {p.name for p in chart_svg.FONTS.iterdir()} >= {"ChartSans-Regular.ttf", "ChartSans-Bold.ttf", "OFL.txt"}
    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(chart_svg, "_store", None)
    fr = Formatter("fr", "EUR")
    chart_svg.collect_missing(True)
    try:
        chart_svg.draw_chart(_long_labels(), chart_svg.WIDE, fr)
    finally:
        requests = list(chart_svg.collect_missing(False).values())
    here = chart_svg.draw_source(*requests[0])
    elsewhere = draw_all(requests, 1)[requests[0][0]]
    assert here is not None and here == elsewhere
    assert chart_svg.MEASURE_FONT not in here
    assert here.count("font-family=") == 1
    assert 'font-family="{}"'.format(palette.FONT.replace('"', "&quot;")) in here.split(">", 1)[0]


def test_a_new_chart_font_draws_the_charts_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A drawing is kept under a digest of the font its labels are measured with: after an upgrade that
    changes that font, each chart is drawn again rather than read back laid out for the old one."""
    import shutil

    monkeypatch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")
    chart_svg.keep_drawings_in(ChartDrawings())
    monkeypatch.setattr(chart_svg, "_memo", {})
    drawn: list[str] = []
    real = chart_svg._draw
    monkeypatch.setattr(chart_svg, "_draw", lambda source, *a: drawn.append(source) or real(source, *a))
    fr = Formatter("fr", "EUR")
    first = chart_svg.draw_chart(_bars(20), chart_svg.WIDE, fr)
    monkeypatch.setattr(chart_svg, "_memo", {})
    assert chart_svg.draw_chart(_bars(20), chart_svg.WIDE, fr) == first and len(drawn) == 1  # from the cache
    fonts = tmp_path / "fonts"
    shutil.copytree(chart_svg.FONTS, fonts)
    regular = fonts / "ChartSans-Regular.ttf"
    regular.write_bytes(regular.read_bytes() + b"\0")  # another font
    monkeypatch.setattr(chart_svg, "FONTS", fonts)
    monkeypatch.setattr(chart_svg, "_memo", {})
    chart_svg._engine_version.cache_clear()
    try:
        chart_svg.draw_chart(_bars(20), chart_svg.WIDE, fr)
    finally:
        chart_svg._engine_version.cache_clear()  # the shipped font's digest again once FONTS is put back
    assert len(drawn) == 2


def test_a_kpi_chart_is_drawn_again_exactly_when_a_number_of_it_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same KPI chart made again (another page, another build) gets the drawing made for it, while one
    measurement changed, even by a hundredth, gets a new drawing: a reader never sees a stale chart."""
    from generator.pipeline import check
    from generator.read.source import DirectorySource
    from generator.site import charts

    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(chart_svg, "_store", None)
    drawn: list[str] = []
    monkeypatch.setattr(chart_svg, "_draw", lambda source, *a: drawn.append(source) or f"<svg>{len(drawn)}</svg>")
    fr = Formatter("fr", "EUR")
    state = check(DirectorySource(EXAMPLE), TODAY).state
    assert state is not None
    kpi = next(k for k in state.kpis.values() if len(k.points) > 1)
    first = chart_svg.draw_chart(charts.kpi_chart(kpi, fr).spec, chart_svg.WIDE, fr)
    assert chart_svg.draw_chart(charts.kpi_chart(kpi, fr).spec, chart_svg.WIDE, fr) == first and len(drawn) == 1
    day, value = kpi.points[0]
    kpi.points[0] = (day, value + 0.01)
    assert chart_svg.draw_chart(charts.kpi_chart(kpi, fr).spec, chart_svg.WIDE, fr) != first and len(drawn) == 2
    assert drawn[1] != drawn[0]


def test_dashboard_progress_chart_has_a_legend_for_its_tick_and_line(example_site: Path) -> None:
    """The dashboard's progress drawing names its dark tick and its dotted 100 % line in French, for a reader
    who does not hover: « Attendu à la dernière mesure » and « 100 % : objectif atteint », on a screen and on a
    phone."""
    html = (example_site / "index.html").read_text(encoding="utf-8")
    figure = html[html.index('id="chart-objectives-progress"'):]
    figure = figure[:figure.index("</figure>")]
    drawings = _svgs(figure)
    assert len(drawings) == 2
    for svg in drawings:
        assert ">Attendu à la dernière mesure</text>" in svg
        assert ">100\u202f% : objectif atteint</text>" in svg


def _legend_symbol(svg: str, label: str) -> str:
    """The legend symbol (a path) drawn just before the legend label `label`."""
    end = svg.index(f">{label}</text>")
    return svg[svg.rindex("<path", 0, end):svg.index("/>", svg.rindex("<path", 0, end))]


def _attribute(element: str, name: str) -> str | None:
    found = re.search(rf' {name}="([^"]*)"', element)
    return found[1] if found else None


def test_the_progress_legend_draws_its_tick_and_line_as_they_are_on_the_bars(example_site: Path) -> None:
    """« Attendu à la dernière mesure » is drawn in the legend as on the bars: the same dark colour at full opacity (a
    tick at 0.7 opacity read dark on a blue bar and grey beside a short one); « 100 % : objectif atteint » is
    the same colour, dashes and width as the line across the chart."""
    html = (example_site / "index.html").read_text(encoding="utf-8")
    figure = html[html.index('id="chart-objectives-progress"'):]
    for svg in _svgs(figure[:figure.index("</figure>")]):
        tick_group = svg[svg.rindex("<g", 0, svg.index("h2v22h-2Z")):svg.index("h2v22h-2Z")]
        tick = svg[svg.index("h2v22h-2Z"):svg.index("<title>", svg.index("h2v22h-2Z"))]
        symbol = _legend_symbol(svg, "Attendu à la dernière mesure")
        assert _attribute(symbol, "stroke") == _attribute(tick_group, "fill") == palette.INK
        assert _attribute(symbol, "opacity") is None and _attribute(tick, "opacity") is None  # both opaque
        line = re.search(r'<line [^>]*stroke-dasharray="3,3"[^>]*/>', svg)
        assert line is not None
        symbol = _legend_symbol(svg, "100\u202f% : objectif atteint")
        for name in ("stroke", "stroke-dasharray", "stroke-width", "opacity"):
            assert _attribute(symbol, name) == _attribute(line[0], name), name


def test_a_kpi_legend_draws_the_target_as_the_diamond_on_the_chart(example_site: Path) -> None:
    """The KPI chart's legend entry « Cible » is the chart's target mark: the same diamond, the same dark
    fill, fully opaque on both (it was a line in the legend and a grey diamond on the chart)."""
    html = (example_site / "objectives" / "croissance-clients.html").read_text(encoding="utf-8")
    svg = _svgs(html)[0]
    title = svg.index("<title>Série : Cible")
    mark = svg[svg.rindex("<path", 0, title):title]
    symbol = _legend_symbol(svg, "Cible")
    assert _attribute(symbol, "d") == _attribute(mark, "d") == "M-4.743,0L0,-4.743L4.743,0L0,4.743Z"  # a diamond
    assert _attribute(symbol, "fill") == _attribute(mark, "fill") == palette.TARGET
    assert _attribute(symbol, "opacity") is None and _attribute(mark, "opacity") is None
    assert _attribute(_legend_symbol(svg, "Mesures"), "d") == "M-10,0L10,0"  # a line stays a line
