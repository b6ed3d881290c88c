"""`strategy build`: check → charts and page contexts → HTML → one atomic write.

`site_files` turns a checked plan into the site's files in memory (no I/O but reading the theme and the
plan's assets), so `--all-versions` calls it once per version and writes each version's files as it goes.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .pipeline import Checked, check
from .plan.diagnostics import Diagnostics, Location
from .plan.messages import Msg, msg, said
from .read.budgets import check_page_weight
from .read.source import DirectorySource, Source
from .site.template_errors import failure_place, is_template_error, template_failure

if TYPE_CHECKING:
    from .cache.render_memo import RenderMemo


@dataclass
class SiteFiles:
    """A whole site in memory: generated files and files to copy as they are, by path in the site."""

    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    pages: int = 0
    charts: int = 0

    def add(self, other: SiteFiles, prefix: str = "") -> None:
        """Merge `other` under `prefix` (e.g. "v/v1.0/")."""
        self.files.update({prefix + k: v for k, v in other.files.items()})
        self.copies.update({prefix + k: v for k, v in other.copies.items()})
        self.pages += other.pages
        self.charts += other.charts


@dataclass
class BuildResult:
    checked: Checked
    ok: bool
    pages: int = 0
    charts: int = 0
    bytes_written: int = 0
    seconds: float = 0.0
    message: str | Msg | None = None  # why the build failed, when it is not the plan's diagnostics
    where: Location | None = None  # the theme template's line it failed at, when it did in one
    hint: Msg | None = None  # what to write there instead
    output_at_start: tuple[int, ...] | None = None  # which OUTPUT folder was there when the build began


def nothing_written(result: BuildResult, output: Path, why: str | Msg | None = None, language: str = "en") -> str:
    """The last line of a failed build, in `language`: OUTPUT "is as it was" only when it is, not when another
    build, run meanwhile, put its site there."""
    from .plan.messages import render, words
    from .site.writer import output_identity

    why = words(language, why)
    if why and result.where is not None:  # a theme template's error: its file and line first
        why = f"{result.where.file}:{result.where.line}{render(language, 'colon')}{why}"
    key = "build.nothing-written"
    if output_identity(output) != result.output_at_start:
        key += ".replaced"
    if not why:
        key += ".bare"
    return said(language, "build", render(language, key, reason=why or "", output=str(output)))


def site_files(checked: Checked, source: Source, plan_dir: Path | None, *, static_root: str = "",
               version: str | None = None, versions: bool = False,
               current_version_path: str | None = None, with_static: bool = True,
               search: bool = False, memo: RenderMemo | None = None, jobs: int | None = None,
               pack: bool = False) -> SiteFiles:
    """The pages (and, with `with_static`, the theme's static files) of a checked plan.

    `static_root` is prepended to `page.root` for links to `static/`, so versions under `v/TAG/` share the
    root's static folder (`"../../"`). With `memo`, charts and pages whose inputs it already holds are taken
    from it instead of being made again (`strategy serve` keeps one between rebuilds). `jobs` is how many
    processes render the pages (default: as many as pay, see parallel.py). With `pack`, the board pack PDF
    (pack.py) is made too, at the root, and the dashboard links it. `versions`: the site is built with its
    versions (`--all-versions`), so its pages show the version switcher and link the history page.
    """
    from .cache.kept_pages import KeptPages
    from .cache.site_stores import keep_site_stores
    from .parallel import render_drawn
    from .plan.i18n import Formatter
    from .site.image_sizes import image_sizes, sized_images
    from .site.long_series import csv_files
    from .site.pages import PageSpec, SiteContext, build_pages, navigation
    from .site.render import named_statics, render_page
    from .site.theme_colours import recolour_page
    from .site.theme_setup import ThemeSetup

    assert checked.state is not None and checked.plan is not None
    keep_site_stores()
    state, plan = checked.state, checked.plan
    settings = plan.settings
    fmt = Formatter(settings.language, settings.currency, settings.locale)
    # with versions, the history page sits at the root of the whole site (versions/links.py, HISTORY_PATH)
    history = (current_version_path or "") + "history.html" if versions else None
    site = SiteContext(state=state, fmt=fmt, nav=navigation(state, settings.language, history=history),
                       language=settings.language,
                       today=state.today, version=version, versions=versions,
                       current_version_path=current_version_path, search=search, static_root=static_root)
    theme = ThemeSetup(plan_dir, settings.theme)
    search_path, statics, env, colours = theme.search_path, theme.statics, theme.env, theme.colours
    site.static_names = theme.static_names
    out = SiteFiles()
    if pack:
        from .pack.render import PACK_FILE, make_pack

        out.files[PACK_FILE] = make_pack(checked, plan_dir, colours=colours).pdf
        site.pack = PACK_FILE

    def render(page: PageSpec) -> bytes:
        page.make_charts()
        return render_page(env, page, site).encode("utf-8")

    if memo is None:
        pages = build_pages(state, fmt, defer_charts=True)  # each page's charts made where it is rendered
        kept = KeptPages.for_site(env, site)  # the pages an earlier build rendered from the same context
        # on every core, the charts the cache lacks drawn first
        html = render_drawn(kept.rendering(render) if kept is not None else render, pages, jobs=jobs)
    else:
        with memo.build():
            pages = memo.page_specs(state, fmt, build_pages)
            html = memo.render(env, pages, site, render, jobs=jobs)
    assets = {rel: source.read_bytes(rel) for rel in plan.assets}
    sizes = image_sizes(assets)  # each image's width and height, for the pages' <img> of them
    for page, text in zip(pages, html, strict=True):
        check_page_weight(page.path, len(text))
        out.files[page.path] = sized_images(recolour_page(text, colours), page.path, sizes)
        out.pages += 1
        out.charts += page.chart_count
    out.files.update(csv_files(state))  # the full series of the KPIs whose tables are summarised
    out.files.update(assets)
    if settings.base_url and version is None:
        out.files["sitemap.xml"] = _sitemap(settings.base_url, sorted(p for p in out.files if p.endswith(".html")))
    if with_static:
        named = named_statics(statics, search_path)
        for rel, file in statics:
            out.copies[f"static/{site.static_names[rel]}"] = file
            if rel in named:  # also by its own name, which a theme's CSS, script or template refers to
                out.copies[f"static/{rel}"] = file
    return out


def _sitemap(base_url: str, paths: list[str]) -> bytes:
    """sitemap.xml of the current version's pages at `base_url` (no dates: they would break reproducibility)."""
    from xml.sax.saxutils import escape

    base = base_url.rstrip("/") + "/"
    urls = "".join(f"  <url><loc>{escape(base + p)}</loc></url>\n" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n").encode()


def check_theme(checked: Checked, plan_dir: Path, *, templates: bool = True) -> None:
    """What `strategy check` and `build` say of the plan's theme: a theme reached through a symbolic link (an
    error, theme_guard); `theme: NAME` without a `themes/NAME/` folder beside the plan (the default theme is
    used, but a typo must not pass unnoticed); with `templates`, a template naming one no theme has, or that
    does not parse (theme_templates, found without rendering)."""
    plan = checked.plan
    if plan is None:
        return
    from .site.render import theme_dirs
    from .site.theme_guard import report_theme_links, theme_links
    from .site.theme_templates import check_theme_templates

    report_theme_links(plan_dir, plan.settings.theme, checked.diagnostics)
    if templates:
        check_theme_templates(plan_dir, plan.settings.theme, checked.diagnostics)
    if plan.settings.theme == "default" or theme_links(plan_dir, plan.settings.theme):
        return
    if len(theme_dirs(plan_dir, plan.settings.theme)) == 1:
        where = plan.settings.locs.get("theme", plan.settings.loc)
        checked.diagnostics.warning(
            "unknown-theme", where, msg("template.unknown-theme", theme=plan.settings.theme),
            msg("template.unknown-theme.hint"))


def build(plan_dir: Path, output: Path, today: dt.date, *, strict: bool = False, search: bool = True,
          pack: bool = False) -> BuildResult:
    """Check the plan in `plan_dir` and, when it has no error (and no warning with `strict`), write its site
    to `output`. Never raises for a bad plan or an unusable OUTPUT: the result says what went wrong.

    With `search`, pages get a search box and pagefind indexes the staging folder before it is swapped in;
    a missing or failing pagefind fails the build (the site would otherwise differ by machine, silently)."""
    from .site.search import start_index
    from .site.writer import check_output, copy_files, staged, swap_in, tidy_output, write_files

    started = time.perf_counter()
    at_start = tidy_output(output)  # a killed build's half swap is put back first: a failed build leaves a site
    source = DirectorySource(plan_dir)
    checked = check(source, today)
    # a template's error is the build's where it renders it: its last line names the template and line
    check_theme(checked, plan_dir, templates=False)
    result = BuildResult(checked=checked, ok=False, output_at_start=at_start)
    failed = bool(checked.diagnostics.errors) or (strict and bool(checked.diagnostics.warnings))
    if failed or checked.state is None:
        result.message = msg("build.errors" if checked.diagnostics.errors else "build.strict")
        return result
    try:
        check_output(output, plan_dir)
        files = site_files(checked, source, plan_dir, search=search, pack=pack)
        with staged(output) as staging:
            # pagefind indexes the pages from memory while they are written, into the staging folder
            indexing = start_index(staging, files.files) if search else None
            try:
                total = write_files(staging, files.files) + copy_files(staging, files.copies)
                result.bytes_written = swap_in(staging, output, total,
                                               before_swap=(lambda _: indexing.wait()) if indexing else None)
            finally:
                if indexing is not None:
                    indexing.stop()
    except Exception as exc:  # named, never a traceback
        result.message, result.where = failure_message(exc, output), failure_place(exc)
        result.hint = failure_hint(exc)
        return result
    result.ok = True
    result.pages, result.charts = files.pages, files.charts
    result.seconds = time.perf_counter() - started
    return result


def failure_message(exc: Exception, output: Path) -> str | Msg:
    """What a build that failed while writing `output` tells the user: the output and search errors say
    it themselves, a file-system error names the folder, a template error its template and line."""
    from .pack.render import PackError
    from .read.budgets import PageTooHeavy
    from .site.search import SearchIndexError
    from .site.writer import OutputError

    if isinstance(exc, OutputError):
        return exc.said
    if isinstance(exc, PageTooHeavy) and exc.args and isinstance(exc.args[0], Msg):
        return exc.args[0]
    if isinstance(exc, SearchIndexError | PackError):
        return exc.said
    if isinstance(exc, PageTooHeavy):
        return str(exc)
    if isinstance(exc, OSError) and not is_template_error(exc):  # a missing template is an OSError too
        return msg("output.cannot-write", output=str(output), error=str(exc.strerror or exc))
    return template_failure(exc)[0]  # a template error says what is wrong there (its place: failure_place)


def failure_hint(exc: Exception) -> Msg | None:
    """What to write instead, when the build failed in a theme's template (None for a failure elsewhere)."""
    return template_failure(exc)[1] if failure_place(exc) is not None else None


def diagnostics_for_failure(result: BuildResult) -> Diagnostics:
    """The plan's diagnostics, plus one `build-failed` error at the template line when the build failed in a
    theme template. A failure in no file (OUTPUT refused, pagefind) is the message the caller prints alone:
    a diagnostic would point at a line of the plan that has nothing to do with it."""
    diags = result.checked.diagnostics
    if not result.ok and result.message and result.where is not None and not diags.errors:
        diags.error("build-failed", result.where, result.message, result.hint)
    return diags
