"""`strategy pack`: the board pack, an A4 PDF of the plan (cover, contents, one-page summary, a page per
objective, the funnels), made by WeasyPrint from the theme's `pack/` template (content.py gathers what it
shows). The same plan and `--today` give the same bytes: the PDF's dates are the plan's day, not the clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..pipeline import Checked
from ..plan.messages import Msg, msg
from .content import PackContent, gather, when, words
from .summary import LIMITS, Limits

PACK_FILE = "board-pack.pdf"  # its name in a built site (linked from the dashboard)
DEFAULT_TARGET = Path("output") / PACK_FILE  # `strategy pack` without -o: in the site's folder, which git ignores


class PackError(Exception):
    """The PDF cannot be made on this machine (a missing library) or WeasyPrint failed: `key` names the message
    and its hint (the one table's `pack.KEY` and `pack.KEY_hint`), `detail` what the library said."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
        self.key, self.detail = key, detail

    @property
    def said(self) -> Msg:
        """What `strategy build --pack` says when it fails, on one line: the error and its hint."""
        return msg("pack.in-build", what=msg(f"pack.{self.key}", error=self.detail), hint=msg(f"pack.{self.key}_hint"))

    def __str__(self) -> str:
        return self.said.render("en")

    def lines(self, language: str) -> list[str]:
        """What `strategy pack` says: the error and what to do about it, in `language`."""
        return [words(language, "failed", what=words(language, self.key, error=self.detail)),
                words(language, "hint", hint=words(language, f"{self.key}_hint"))]


@dataclass
class Pack:
    pdf: bytes
    pages: int
    seconds: float


def template_dirs(plan_dir: Path | None, theme: str) -> list[Path]:
    """The theme's `pack/` folders, most specific first (a plan's own theme may restyle the pack)."""
    from ..site.render import theme_dirs

    return [d / "pack" for d in theme_dirs(plan_dir, theme) if (d / "pack").is_dir()]


def pack_template(plan_dir: Path | None, theme: str) -> Any:
    """The theme's `pack.html`, compiled (a jinja2.Template): once a pack, however often it is rendered."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dirs(plan_dir, theme)),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    return env.get_template("pack.html")


def render_html(content: PackContent, template: Any) -> str:
    """The pack as one HTML document (its CSS inside), ready for WeasyPrint."""
    return template.render(p=content, s=content.settings, fmt=content.fmt, t=content.t, w=content.w, when=when,
                           created=content.state.today.isoformat())


def _weasyprint():  # type: ignore[no-untyped-def]
    try:
        import weasyprint
    except ImportError as exc:
        raise PackError("no_weasyprint") from exc
    except OSError as exc:  # WeasyPrint is there, but not the Pango library it loads
        raise PackError("no_pango", str(exc)) from exc
    return weasyprint


def laid_out(html: str) -> Any:
    """WeasyPrint's pages of `html` (a weasyprint.Document)."""
    weasyprint = _weasyprint()
    try:
        return weasyprint.HTML(string=html).render()
    except Exception as exc:  # WeasyPrint's own failure (a CSS or font it chokes on): said, never a traceback
        raise PackError("pdf_failed", f"{type(exc).__name__}: {exc}") from exc


def written(document: Any) -> tuple[bytes, int]:
    """The PDF of a laid-out document and its number of pages. Its dates come from the document's
    `dcterms.created`/`dcterms.modified`, so two runs give the same bytes."""
    try:
        return document.write_pdf(), len(document.pages)
    except Exception as exc:
        raise PackError("pdf_failed", f"{type(exc).__name__}: {exc}") from exc


def summary_pages(document: Any) -> int:
    """How many pages the summary takes (each page holding a piece of it names its anchor)."""
    return sum(1 for page in document.pages if "summary" in page.anchors)


def fit_summary(content: PackContent, template: Any) -> None:
    """Set `content.limits` so that the summary fills one page and no more, measured on the cover and the
    summary alone (no chart to lay out): the first step of LIMITS whose summary fits (the last step when none
    does); then, while objectives are left off, as many more as the room left on the page takes."""
    content.only_summary = True

    def one_page(limits: Limits) -> bool:
        content.limits = limits
        return summary_pages(laid_out(render_html(content, template))) <= 1

    try:
        if not any(one_page(limits) for limits in LIMITS):
            return
        chosen = content.limits
        most, least = len(content.weakest_first), chosen.objectives  # least fits; is there room for more?
        step = 1  # a row or two more usually fill the page: grow by 1, 2, 4… then halve what is left
        while least + step <= most and one_page(replace(chosen, objectives=least + step)):
            least, step = least + step, step * 2
        most = min(most, least + step - 1)
        while least < most:
            middle = (least + most + 1) // 2
            if one_page(replace(chosen, objectives=middle)):
                least = middle
            else:
                most = middle - 1
        content.limits = replace(chosen, objectives=least)
    finally:
        content.only_summary = False


def make_pack(checked: Checked, plan_dir: Path | None, *, with_changes: bool = True,
              colours: dict[str, str] | None = None) -> Pack:
    """The board pack of a checked plan (its state must be computed). Its summary fits one page: measured
    alone first, rows left off while it runs over and objectives added while there is room (summary.py), so
    that the whole pack, charts and all, is laid out once. `colours`: the theme's chart colours when the
    caller has them (a build does), else read from the theme."""
    assert checked.state is not None
    started = time.perf_counter()
    _weasyprint()  # before drawing any chart: a missing library is said at once
    content = gather(checked.state, plan_dir, with_changes=with_changes, colours=colours)
    template = pack_template(plan_dir, content.settings.theme)
    fit_summary(content, template)
    pdf, pages = written(laid_out(render_html(content, template)))
    return Pack(pdf=pdf, pages=pages, seconds=time.perf_counter() - started)
