"""A plan arrives through pull requests, so its text is hostile until proven otherwise: whatever a plan
says, the built site runs no script of the plan's in a reader's browser.

Every text field and every Markdown body of one plan carries the classic payloads; each built page is
then parsed and searched for anything a browser would execute.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.pipeline import check
from generator.read.source import DirectorySource

TODAY = dt.date(2026, 11, 23)

# what lands in plain text fields (titles, names, units...) and so in text, attributes and chart JSON
TEXT = ("<script>alert(1)</script><img src=x onerror=alert(2)>\"' onmouseover=alert(3) x='"
        "<iframe src=javascript:alert(4)></iframe><svg onload=alert(5)></svg></script><script>alert(6)</script>"
        "<!-- {{ 'pwn' * 3 }} {% if true %}jinja-ran{% endif %} -->")

# what lands in Markdown bodies (and in `vision`)
MARKDOWN = """\
# Heading <script>alert(1)</script>

<script>alert(1)</script>
<img src="x" onerror="alert(2)">
<iframe src="https://evil.example/"></iframe>
<svg onload="alert(3)"><circle r="1"/></svg>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="a"><button formaction="javascript:alert(1)">go</button></form>
<style>body { display: none }</style>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0; url=javascript:alert(1)">
<link rel="stylesheet" href="https://evil.example/x.css">
<div onclick="alert(4)" style="background: url(javascript:alert(5))">div</div>
<a href="javascript:alert(6)">a-js</a> <a href="JaVaScRiPt:alert(7)">a-js-case</a>
<a href="&#106;avascript:alert(8)">a-js-entity</a> <a href=" javascript:alert(9)">a-js-space</a>
<a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
<math><mtext><table><mglyph><style><img src=x onerror=alert(10)></style></mglyph></table></mtext></math>
<scr<script>ipt>alert(11)</script>

[md-js](javascript:alert(12)) [md-js-case](JAVASCRIPT:alert(13)) ![md-img](javascript:alert(14))
[md-data](data:text/html,<script>alert(15)</script>)
[outside](https://example.com/page) and <https://example.org/auto> and <a href="http://example.net/">raw</a>
[ref][r]

[r]: javascript:alert(16)

{: onclick="alert(17)" }
Paragraph with attr_list {: onmouseover="alert(18)" }

{{ 'pwn' * 3 }} {% if true %}jinja-ran{% endif %}
</script><script>alert(19)</script>
"""


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON is YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _front(fields: str, body: str = MARKDOWN) -> str:
    return f"---\n{fields}---\n{body}"


def hostile_plan() -> dict[str, str]:
    t = _q(TEXT)
    return {
        "strategy.yaml": (f"title: {t}\norganization: {t}\nlanguage: en\nsector: {t}\npositioning: {t}\n"
                          f"vision: {_q(MARKDOWN)}\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\n"
                          "base_url: https://example.github.io/plan/\n"),
        "objectives/grow.md": _front(
            f"title: {t}\nlevel: enterprise\ndepartment: {t}\nowner: {t}\ndue: 2026-12-31\npersonas: [buyer]\n"
            f"kpis:\n  - {{id: clients, title: {t}, unit: {t}, baseline: 0, target: 5, measure: cumulative}}\n"
            f"  - {{id: prospects, title: {t}, unit: '%', baseline: 0, target: 1250}}\n"
            f"actions:\n  - {{title: {t}, owner: {t}, due: 2026-11-30, status: doing, kpis: [clients]}}\n"
            f"  - {{title: {t}, owner: {t}, due: 2026-10-01}}\n"),
        "objectives/child.md": _front(f"title: {t}\nparent: grow\ndue: 2026-12-31\n"
                                      f"kpis:\n  - {{id: leads, title: {t}, unit: {t}, baseline: 1, target: 9}}\n"),
        "data/clients.csv": "date,value\n2026-10,2\n2026-11,1\n",
        "data/prospects.csv": "date,value\n2026-10,600\n2026-11,650\n",
        "data/leads.csv": "date,value\n2026-11,3\n",
        "funnels/sales.md": _front(
            f"title: {t}\ngoal: 5\nstages:\n  - {{id: prospects, title: {t}, kpi: prospects, cost: 12}}\n"
            f"  - {{id: meetings, title: {t}, rate: '1/50', cost: 150}}\n"
            f"  - {{id: clients, title: {t}, rate: '1/5', kpi: clients, cost: 800}}\n"),
        "personas/buyer.md": _front(
            f"name: {t}\nrole: {t}\n" + "".join(f"{k}: [{t}, {t}]\n" for k in
                                                  ("goals", "pains", "traits", "channels", "messages", "sources"))),
        "experiences/demo.md": _front(f"title: {t}\npersonas: [buyer]\nfunnel: sales\nstage: meetings\n"
                                      f"channel: {t}\nmoments: [{t}]\nobjectives: [grow]\n"),
        "solutions/crm.md": _front(f"title: {t}\ncategory: saas\ncost: {{amount: 890, per: month}}\n"
                                   f"department: {t}\nobjectives: [grow]\nexperiences: [demo]\n"),
        "solutions/site.md": _front(f"title: {t}\ncategory: web\ncost: {{amount: 2000, per: year}}\n"),
        "pages/about.md": _front(f"title: {t}\norder: 1\n"),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    plan = root / "plan"
    for rel, text in hostile_plan().items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_text(text, encoding="utf-8")
    result = build(plan, root / "out", TODAY)
    assert result.ok, (result.message, [str(d) for d in result.checked.diagnostics.sorted()])
    return root / "out"


def _pages(out: Path) -> list[Path]:
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 12
    return pages


EXECUTABLE_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "svg", "math",
                   "style", "portal", "template", "noscript"}
# the elements of a chart drawn at build time (site/chart_svg.py): shapes and text, nothing that runs or loads
CHART_SVG_TAGS = {"g", "path", "line", "rect", "circle", "text", "tspan", "title", "defs", "clippath"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset",
                  "ping", "cite", "longdesc"}
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html|data:image/svg)", re.IGNORECASE)


class _Audit(HTMLParser):
    """Everything in a page that a browser would run, or could be made to run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_blocks: list[tuple[str, str]] = []
        self.csp: list[str] = []
        self.external_links: list[dict[str, str | None]] = []
        self._script: dict[str, str | None] | None = None
        self._script_text = ""
        self.chart_depth = 0  # > 0 inside a chart's drawing
        self._in_head = False  # the theme's <head>, where no plan text but the title and description lands
        self.chart_titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event handler")
            if name in URL_ATTRIBUTES and value is not None:
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                if DANGEROUS_SCHEME.match(cleaned):
                    self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
            if name == "style" and value and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                self.problems.append(f"<{tag} style={value!r}>: a style that fetches or runs")
        if tag in ("head", "body"):
            self._in_head = tag == "head"
        if tag == "form" and a.get("role") == "search" and not ({"action", "method"} & set(a)):
            pass  # the site's own search box: it submits nowhere (search.js reads it)
        elif tag == "noscript" and self._in_head and not a:
            pass  # the theme's stylesheet for readers without JavaScript (its <link> is checked below)
        elif tag == "svg" and not self.chart_depth and a.get("class") in ("chart-svg", "bar-svg") \
                and a.get("aria-hidden") == "true":
            self.chart_depth = 1  # a chart or progress bar drawn at build time: only shapes and text may follow
        elif self.chart_depth:
            if tag not in CHART_SVG_TAGS:
                self.problems.append(f"<{tag}> in a chart's drawing")
            self._in_title = tag == "title"
        elif tag in EXECUTABLE_TAGS:
            self.problems.append(f"<{tag}>: an element that embeds or runs content")
        if tag == "meta":
            equiv = (a.get("http-equiv") or "").lower()
            if equiv == "content-security-policy":
                self.csp.append(a.get("content") or "")
            elif equiv:
                self.problems.append(f"<meta http-equiv={equiv!r}>")
        if tag == "link" and (a.get("rel") or "") not in ("icon", "stylesheet", "canonical"):
            self.problems.append(f"<link rel={a.get('rel')!r}>")
        if tag == "link" and a.get("rel") == "stylesheet" and re.match(r"^([a-z]+:|//)", a.get("href") or ""):
            self.problems.append(f"<link href={a.get('href')!r}>: a stylesheet from elsewhere")
        if tag == "a" and re.match(r"^(https?:)?//", a.get("href") or "", re.IGNORECASE):
            self.external_links.append(a)
        if tag == "script":
            self._script, self._script_text = a, ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text += data
        if self._in_title:
            self.chart_titles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if tag == "head":
            self._in_head = False
        if tag == "svg" and self.chart_depth:
            self.chart_depth = 0
        if tag != "script" or self._script is None:
            return
        a, text = self._script, self._script_text
        self._script = None
        if a.get("type") == "application/json":
            self.json_blocks.append((a.get("id") or "", text))
            if set(a) - {"type", "id"}:
                self.problems.append(f"a JSON data block with attributes {sorted(a)}")
        elif a.get("src") and not text.strip():
            src = a["src"] or ""
            own = re.search(r"(^|/)static/[a-z-]+(\.[0-9a-f]{8})?\.js$", src)  # named by its content
            if re.match(r"^([a-z]+:|//)", src, re.IGNORECASE) or not own:
                self.problems.append(f"<script src={src!r}>: not one of the site's own scripts")
            if set(a) - {"src", "defer"} or a.get("defer"):  # `defer` alone, no value: run once parsed
                self.problems.append(f"<script> with attributes {sorted(a)}")
        else:
            self.problems.append(f"an inline <script> {a}: {text[:80]!r}")


def _audit(page: Path) -> _Audit:
    audit = _Audit()
    audit.feed(page.read_text(encoding="utf-8"))
    audit.close()
    return audit


def test_hostile_plan_builds(built: Path) -> None:
    """HTML in every field is just text: the hostile plan builds like any other."""
    assert (built / "index.html").exists()


def test_no_page_carries_anything_executable(built: Path) -> None:
    """No inline script, event handler, javascript:/data: URL, iframe/object/embed/svg/form or foreign
    stylesheet in any built page, whatever the plan's text fields and Markdown bodies say."""
    problems = {}
    for page in _pages(built):
        found = _audit(page).problems
        if found:
            problems[page.relative_to(built).as_posix()] = found
    assert not problems, json.dumps(problems, indent=1)


def test_payloads_show_as_text(built: Path) -> None:
    """A title written with HTML shows the HTML as text (escaped), in the page, in attributes and in
    chart specs, and the Jinja syntax in it is never evaluated."""
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "{{ &#39;pwn&#39; * 3 }}" in index
    for page in _pages(built):
        text = page.read_text(encoding="utf-8")
        assert "pwnpwnpwn" not in text, page
        assert text.count("jinja-ran") == text.count("%}jinja-ran{%"), page  # only ever as written


def test_a_hostile_title_is_text_in_the_charts_drawings(built: Path) -> None:
    """A title with `</script>`, `<svg onload>` and quotes lands in a chart's drawing as text (the tooltip a
    reader sees on hover), whole, without closing the <title> or the <svg> early."""
    carried = sum(TEXT in "".join(_audit(page).chart_titles).replace("\n", "") for page in _pages(built))
    assert carried > 0, "no chart carried a hostile title: the test lost its teeth"


def test_outside_links_are_noopener_noreferrer(built: Path) -> None:
    """A link to another site, written in Markdown or as raw HTML, opens without handing it our window
    (rel="noopener noreferrer")."""
    links = [a for page in _pages(built) for a in _audit(page).external_links]
    assert any("example.com" in (a.get("href") or "") for a in links), "the Markdown links were lost"
    for a in links:
        rel = set((a.get("rel") or "").split())
        assert {"noopener", "noreferrer"} <= rel, a


def test_every_page_has_a_csp_without_inline_script(built: Path) -> None:
    """Each page carries a Content-Security-Policy that allows no inline script and no eval, loads
    scripts from the site only, and blocks plugins and <base>."""
    for page in _pages(built):
        audit = _audit(page)
        assert len(audit.csp) == 1, page
        directives = {d.split()[0]: d.split()[1:] for d in audit.csp[0].split(";") if d.strip()}
        assert directives["default-src"] == ["'none'"], page
        script_src = directives["script-src"]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, page
        assert not any(s.startswith(("http", "data:", "*", "'nonce-", "'sha")) for s in script_src), page
        assert directives.get("base-uri") == ["'none'"] and "object-src" not in directives, page
        text = page.read_text(encoding="utf-8")
        assert text.index("Content-Security-Policy") < text.index("<script"), page


def test_no_inline_style_and_no_data_image_are_allowed(built: Path) -> None:
    """Styles come from the site's stylesheets only and images from the site only (SECURITY.md): the CSP
    allows neither an inline style nor a `data:` image, and no page needs one (the progress bars and charts
    are SVG sized by attributes)."""
    for page in _pages(built):
        audit = _audit(page)
        directives = {d.split()[0]: d.split()[1:] for d in audit.csp[0].split(";") if d.strip()}
        assert directives["style-src"] == ["'self'"] and directives["img-src"] == ["'self'"], page
        assert not re.search(r"<[a-z]+[^>]*\sstyle=", page.read_text(encoding="utf-8")), page


def test_hostile_category_is_refused(tmp_path: Path) -> None:
    """`category` is a closed list: HTML there is an error of `strategy check`, not a label on the site."""
    files = hostile_plan()
    files["solutions/crm.md"] = files["solutions/crm.md"].replace("category: saas", f"category: {_q(TEXT)}")
    plan = tmp_path / "plan"
    for rel, text in files.items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_text(text, encoding="utf-8")
    checked = check(DirectorySource(plan), TODAY)
    assert any(d.severity == "error" and d.file.endswith("solutions/crm.md") for d in checked.diagnostics)


@pytest.mark.parametrize(("name", "content"), [
    ("assets/report.html", "<p>hello</p><script>alert(1)</script>"),
    ("assets/Page.HTM", "<p>hello</p>"),
    ("assets/tool.js", "alert(1)"),
    ("assets/feed.xml", "<?xml version='1.0'?><x/>"),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;ava&#x09;script:alert(1)">'
                        "<text>x</text></a></svg>"),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>'),
    # issue 18: what an attack got through the extension list and the coarse SVG test
    ("assets/logo.svg", '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></svg:svg>'),
    ("assets/logo.svg", '<?xml-stylesheet type="text/xsl" href="x.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml">'
                        '<h:iframe src="x"/></svg>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><use href="//evil.example/x.svg#a"/></svg>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="x"/></a></svg>'),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://x.example/a.css";</style></svg>'),
    ("assets/logo.svg", '<!DOCTYPE svg [<!ENTITY e "x">]><svg xmlns="http://www.w3.org/2000/svg">&e;</svg>'),
    ("assets/logo.svg", '<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>'),
    ("assets/doc.rdf", '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'),
    ("assets/photo.png", "<html><script>alert(1)</script></html>"),
    ("assets/notes.txt", "  <!doctype html><script>alert(1)</script>"),
    ("assets/README", "plain"),
])
def test_assets_that_would_run_are_refused(tmp_path: Path, name: str, content: str) -> None:
    """`assets/` is published as it is, under the site's address: a page, a script or an SVG with a
    script there would run when a reader opens it, so `strategy check` refuses it and nothing is built."""
    plan = tmp_path / "plan"
    files = {"strategy.yaml": "title: P\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", name: content}
    for rel, text in files.items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_text(text, encoding="utf-8")
    checked = check(DirectorySource(plan), TODAY)
    found = [d for d in checked.diagnostics if d.code == "unsafe-asset"]
    assert len(found) == 1 and found[0].file.endswith(name) and found[0].hint
    result = build(plan, tmp_path / "out", TODAY)
    assert not result.ok and not (tmp_path / "out").exists()


def test_plain_svg_and_images_are_copied(tmp_path: Path) -> None:
    """An ordinary SVG logo (and any image) in assets/ is still published as it is."""
    plan = tmp_path / "plan"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Logo &amp; co</title>'
           '<a href="https://example.com/"><rect width="10" height="10" fill="#123"/></a></svg>')
    (plan / "assets").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: P\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    (plan / "assets" / "logo.svg").write_text(svg, encoding="utf-8")
    (plan / "assets" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    result = build(plan, tmp_path / "out", TODAY)
    assert result.ok, result.message
    assert (tmp_path / "out" / "assets" / "logo.svg").read_text(encoding="utf-8") == svg
    assert (tmp_path / "out" / "assets" / "photo.png").exists()


def test_drawing_programs_svg_and_passive_types_are_published(tmp_path: Path) -> None:
    """An SVG as Inkscape saves it (its metadata namespaces, a DOCTYPE, a gradient and a local `<use>`),
    and images, fonts, documents and data whose bytes are what their names say, are all published."""
    plan = tmp_path / "plan"
    svg = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" inkscape:version="1.3">'
           '<sodipodi:namedview id="n"/><defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
           '<circle id="c" r="2"/></defs><style>.a{fill:url(#g)}</style>'
           '<use xlink:href="#c" class="a"/><rect style="fill:url(#g)" width="1" height="1"/></svg>')
    files = {"logo.svg": svg.encode(), "photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
             "font.woff2": b"wOF2" + b"\x00" * 16, "plan.pdf": b"%PDF-1.7\n", "chiffres.csv": b"date,value\n",
             "pic.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 "}
    (plan / "assets").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: P\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    for name, data in files.items():
        (plan / "assets" / name).write_bytes(data)
    result = build(plan, tmp_path / "out", TODAY)
    assert result.ok, result.message
    for name, data in files.items():
        assert (tmp_path / "out" / "assets" / name).read_bytes() == data


def test_the_audit_catches_what_it_looks_for() -> None:
    """The page audit itself is not blind: each kind of executable content in a page is reported."""
    bad = ('<script>alert(1)</script><script src="https://cdn.example/x.js"></script><div onclick="x"></div>'
           '<a href=" javascript:alert(1)">a</a><iframe></iframe><svg></svg><form action="/x"></form>'
           '<meta http-equiv="refresh" content="0"><script type="application/json" id="x" onload="y">{}</script>')
    audit = _Audit()
    audit.feed(bad)
    assert len(audit.problems) == 10, audit.problems  # the last block counts twice: handler, extra attribute


def test_theme_calls_are_judged_as_jinja_judges_them(tmp_path: Path) -> None:
    """The sandbox's shortcut for plain calls changes no verdict: a callable marked unsafe is still refused,
    and one asking for the context still gets it."""
    import jinja2
    from jinja2.sandbox import SecurityError

    from generator.site.render import environment

    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "t.html").write_text("{{ f() }}", encoding="utf-8")
    env = environment((theme,))

    def unsafe() -> str:
        return "ran"

    unsafe.unsafe_callable = True  # type: ignore[attr-defined]
    with pytest.raises(SecurityError):
        env.get_template("t.html").render(f=unsafe)

    @jinja2.pass_context
    def with_context(context: jinja2.runtime.Context) -> str:
        return context["word"]

    assert env.get_template("t.html").render(f=with_context, word="context") == "context"

    def plain() -> str:
        return "plain"

    assert env.get_template("t.html").render(f=plain) == "plain"
    assert env.get_template("t.html").render(f=[3, 1].copy) == "[3, 1]"


def test_a_body_id_can_never_be_one_of_the_page_ids(tmp_path: Path) -> None:
    """DOM clobbering: a heading "KPIs", or `{#chart-kpi-leads}` / `{#site-locale}` written in a body, once
    gave a second element the id the page's section, chart or locale had, so `getElementById` could
    return the author's element instead. Every id from a body now starts with `md-` (links to it follow),
    and each id of the built page is unique."""
    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: P\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    (plan / "objectives" / "croissance.md").write_text(
        "---\ntitle: Croissance\ndue: 2026-12-31\nkpis:\n  - id: leads\n    title: Leads\n    target: 100\n---\n"
        "## KPIs\n\nVoir [plus bas](#kpis).\n\n### Faux {#chart-kpi-leads}\n\n### Locale {#site-locale}\n",
        encoding="utf-8")
    result = build(plan, tmp_path / "out", TODAY, search=False)
    assert result.ok, result.message
    page = (tmp_path / "out" / "objectives" / "croissance.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"md-kpis", "md-chart-kpi-leads", "md-site-locale"} <= set(ids)
    assert ids.count("chart-kpi-leads") == 1
    assert 'href="#md-kpis"' in page
