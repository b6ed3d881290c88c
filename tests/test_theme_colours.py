"""Charts in the site's theme colours (issue 15): a plan theme whose stylesheet sets `--accent` (or another colour
the charts mirror) in `:root` gets its charts drawn in that colour, on the pages and in the board pack; the
default theme's pages are unchanged, and nothing but a plain colour from a stylesheet reaches a drawing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.site.render import default_theme_dir, static_files, theme_dirs
from generator.site.theme_colours import chart_colours, recolour_page, root_colours
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)
DRAWING = re.compile(r'<svg [^>]*class="chart-svg"[^>]*>.*?</svg>', re.DOTALL)
VIOLET, GREEN = "#8a2be2", "#00aa00"


def _themed_plan(root: Path, css: str) -> Path:
    """The example plan with `theme: maison`, whose site.css is the default's with `css` added at its end."""
    plan = root / "content"
    shutil.copytree(EXAMPLE, plan)
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: maison\n", encoding="utf-8")
    static = root / "themes" / "maison" / "static"
    static.mkdir(parents=True)
    default_css = (default_theme_dir() / "static" / "site.css").read_text(encoding="utf-8")
    (static / "site.css").write_text(default_css + css, encoding="utf-8")
    return plan


def _pages(site: Path) -> dict[str, str]:
    """Every page of a built site, its stylesheet's content name made plain (a theme's site.css has its own)."""
    return {p.relative_to(site).as_posix(): re.sub(r"site\.[0-9a-f]{8}\.css", "site.css", p.read_text("utf-8"))
            for p in sorted(site.rglob("*.html"))}


def _drawings(html: str) -> list[str]:
    return DRAWING.findall(html)


@pytest.fixture(scope="module")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("default") / "site"
    assert build(EXAMPLE, out, TODAY).ok
    return _pages(out)


@pytest.fixture(scope="module")
def maison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan theme that recolours the accent in violet and "on track" in green."""
    return _themed_plan(tmp_path_factory.mktemp("maison"),
                        f":root {{ --accent: {VIOLET.upper()}; }}\n/* a tester's */ :root {{ --on-track: #0a0 }}\n")


def test_a_themes_accent_colours_its_charts_and_nothing_else(maison: Path, tmp_path: Path,
                                                             default_site: dict[str, str]) -> None:
    """With `--accent: #8A2BE2` and `--on-track: #0a0` in the theme's site.css, the funnel charts draw what was
    done to date in that violet, the KPI charts of objectives on track in that green, and no drawing keeps the
    palette's #2f4f8f or #2563a8; every number, label and tooltip is the one the default theme shows."""
    out = tmp_path / "site"
    assert build(maison, out, TODAY).ok
    themed = _pages(out)
    drawings = [d for html in themed.values() for d in _drawings(html)]
    assert drawings
    assert not any("#2f4f8f" in d or "#2563a8" in d for d in drawings)
    assert all(VIOLET in d for d in _drawings(themed["funnels/acquisition.html"]))
    assert any(f'stroke="{GREEN}"' in d for d in _drawings(themed["objectives/croissance-clients.html"]))
    assert themed.keys() == default_site.keys()
    for path, html in themed.items():  # the same pages, but for the two colours
        assert html.replace(VIOLET, "#2f4f8f").replace(GREEN, "#2563a8") == default_site[path], path


def test_the_board_pack_draws_its_charts_in_the_theme_colours(maison: Path) -> None:
    """The board pack of a plan whose theme sets `--accent` and `--on-track` draws its funnel in the violet and
    its KPIs on track in the green, as the site does (the funnel without data yet has no accent to draw)."""
    from generator.pack.content import gather
    from generator.pipeline import check
    from generator.read.source import DirectorySource

    state = check(DirectorySource(maison), TODAY).state
    assert state is not None
    content = gather(state, maison, with_changes=False)
    kpi_charts = "".join(k.chart for o in content.objectives for k in o.kpis)
    assert GREEN in kpi_charts and "#2563a8" not in kpi_charts
    funnel_charts = "".join(f.chart for f in content.funnels)
    assert VIOLET in funnel_charts and "#2f4f8f" not in funnel_charts


def test_a_value_that_is_no_plain_colour_is_ignored(tmp_path: Path, default_site: dict[str, str]) -> None:
    """`--accent: red; } </style><script>` (or a var(), an rgb()) changes no chart: the pages are the default
    theme's, and no text of the stylesheet gets into a page."""
    plan = _themed_plan(tmp_path / "plan", ":root { --accent: var(--brand); --ink: rgb(0 0 0); "
                                           "--grid: #12345; --accent: red; } </style><script>alert(1)</script>\n")
    out = tmp_path / "site"
    assert build(plan, out, TODAY).ok
    assert _pages(out) == default_site


def test_the_default_theme_maps_no_colour() -> None:
    """The default theme's site.css mirrors the palette: its charts are drawn as they always were."""
    assert chart_colours(static_files(tuple(theme_dirs(None, "default")))) == {}


def test_root_colours_read_as_the_browser_does() -> None:
    """Comments are no declarations; a later `:root` wins; #abc is #aabbcc; a value that is no plain colour, a
    rule of another selector or one nested in `@media` sets no chart colour (the charts have one look)."""
    css = """
    /* :root { --accent: #000000 } */
    :root { --accent: #111111; --ink: #ABC !important; --muted: red; }
    html, :root { --grid: #222222; content: "; --no-data: #333333 }"; }
    .card { --achieved: #444444 }
    @media (prefers-color-scheme: dark) { :root { --accent: #555555 } }
    :root { --accent: #666666 }
    """
    assert root_colours(css) == {"accent": "#666666", "ink": "#aabbcc", "grid": "#222222"}


def test_only_chart_drawings_change_and_colours_swap_at_once() -> None:
    """A theme swapping two colours swaps them in the drawing (not both to one), and an icon of the page outside
    the charts keeps its own colour."""
    page = (b'<svg class="icon"><path fill="#2f4f8f"/></svg><svg xmlns="http://www.w3.org/2000/svg" '
            b'class="chart-svg"><path fill="#2F4F8F" stroke="#2563a8"/><text>#2f4f8f</text></svg>')
    swapped = recolour_page(page, {"#2f4f8f": "#2563a8", "#2563a8": "#2f4f8f"})
    assert swapped == page.replace(b'fill="#2F4F8F" stroke="#2563a8"', b'fill="#2563a8" stroke="#2f4f8f"')


def test_strategy_serve_redraws_in_a_colour_edited_in_the_theme(tmp_path: Path) -> None:
    """In `strategy serve`, editing the theme's `--accent` and saving shows the funnel chart in the new colour on
    the next rebuild."""
    from generator.serve.rebuild import Builder

    plan = _themed_plan(tmp_path / "plan", f":root {{ --accent: {VIOLET}; }}\n")
    builder = Builder(plan, TODAY)
    outcome, files = builder.build()
    assert outcome.ok and files is not None
    assert VIOLET in files["funnels/acquisition.html"].decode("utf-8")
    css = tmp_path / "plan" / "themes" / "maison" / "static" / "site.css"
    css.write_text(css.read_text(encoding="utf-8").replace(VIOLET, "#b03060"), encoding="utf-8")
    outcome, files = builder.build()
    assert outcome.ok and files is not None
    page = files["funnels/acquisition.html"].decode("utf-8")
    assert "#b03060" in page and VIOLET not in page and "#2f4f8f" not in page


def test_the_history_page_draws_its_charts_in_the_theme_colours(maison: Path, tmp_path: Path) -> None:
    """`build --all-versions` of a plan whose theme sets `--accent`: history.html's target charts are drawn in
    the theme's violet like every version's pages, not in the default palette's blue."""
    import subprocess

    root = tmp_path / "repo"
    shutil.copytree(maison.parent, root)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-C", str(root)]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"], ["tag", "v1"]):
        subprocess.run(git + args, check=True, capture_output=True)
    out = tmp_path / "site"
    from generator.versions.build import build_all_versions

    assert build_all_versions(root / "content", out, TODAY).ok
    drawings = _drawings((out / "history.html").read_text("utf-8"))
    assert drawings
    assert not any("#2f4f8f" in d for d in drawings)
    assert any(VIOLET in d for d in drawings)
