"""Static files are linked by a name that holds a digest of their content (`site.3f9a1c2e.css`), so that a
redeploy is applied whole: a browser never pairs new pages with the stylesheet it kept from the last one."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from generator.build import build
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


def _linked(out: Path, page: str) -> list[str]:
    html = (out / page).read_text(encoding="utf-8")
    return re.findall(r'(?:href|src)="(?:\.\./)*(static/[^"]+)"', html)


def test_pages_link_static_files_by_content_and_the_name_follows_the_content(tmp_path: Path) -> None:
    """Every page links site.css, print.css, nojs.css, the icon, nav.js and search.js by a content-named file that
    exists; a plan whose theme changes site.css gets another name for it, the other files keeping theirs."""
    first = tmp_path / "first"
    assert build(EXAMPLE, first, TODAY).ok
    linked = _linked(first, "funnels/acquisition.html")
    assert {re.sub(r"\.[0-9a-f]{8}\.", ".", p) for p in linked} == {
        "static/site.css", "static/print.css", "static/nojs.css", "static/favicon.svg", "static/nav.js",
        "static/search.js"}
    for path in linked:
        assert (first / path).is_file(), path

    plan = tmp_path / "plan" / "content"
    shutil.copytree(EXAMPLE, plan)
    (plan / "strategy.yaml").write_text((plan / "strategy.yaml").read_text(encoding="utf-8") + "theme: mine\n",
                                        encoding="utf-8")
    static = tmp_path / "plan" / "themes" / "mine" / "static"
    static.mkdir(parents=True)
    (static / "site.css").write_text("body { color: rebeccapurple }\n", encoding="utf-8")
    second = tmp_path / "second"
    assert build(plan, second, TODAY).ok
    relinked = _linked(second, "funnels/acquisition.html")
    css = [p for p in relinked if p.startswith("static/site.")]
    assert css and css[0] not in linked
    assert (second / css[0]).read_text(encoding="utf-8") == "body { color: rebeccapurple }\n"
    assert sorted(set(relinked) - set(css)) == sorted(p for p in linked if not p.startswith("static/site."))


def test_static_files_ship_once_unless_referred_to_by_name(tmp_path: Path) -> None:
    """The default theme's files are published only under their content names (no stale `static/site.css`
    beside `static/site.<digest>.css` for a browser or a cache to keep); a theme's file that its stylesheet
    or its own template refers to by name (a logo in `url(logo.svg)`, a template linking `static/extra.css`)
    is published under that name too, so the theme keeps working."""
    first = tmp_path / "first"
    assert build(EXAMPLE, first, TODAY).ok
    plain = sorted(p.name for p in (first / "static").iterdir() if not re.search(r"\.[0-9a-f]{8}\.", p.name))
    assert plain == []

    plan = tmp_path / "plan" / "content"
    shutil.copytree(EXAMPLE, plan)
    (plan / "strategy.yaml").write_text((plan / "strategy.yaml").read_text(encoding="utf-8") + "theme: mine\n",
                                        encoding="utf-8")
    theme = tmp_path / "plan" / "themes" / "mine"
    (theme / "static").mkdir(parents=True)
    (theme / "templates").mkdir()
    (theme / "static" / "site.css").write_text(".brand { background: url(logo.svg) }\n", encoding="utf-8")
    (theme / "static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    (theme / "static" / "extra.css").write_text("h1 { color: teal }\n", encoding="utf-8")
    (theme / "templates" / "dashboard.html").write_text(
        '{% extends "base.html" %}{% block head_extra %}<link rel="stylesheet" href="static/extra.css">'
        "{% endblock %}{% block content %}<h1>Mine</h1>{% endblock %}\n", encoding="utf-8")
    second = tmp_path / "second"
    assert build(plan, second, TODAY).ok
    plain = sorted(p.name for p in (second / "static").iterdir() if not re.search(r"\.[0-9a-f]{8}\.", p.name))
    assert plain == ["extra.css", "logo.svg"]
