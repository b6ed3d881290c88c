"""Rendered pages kept in the user cache between builds, each by a digest of everything it is rendered from, so
that a build renders only the pages whose content changed since a build made them (issue 15, item 7).

A page's entry is named by `store.fingerprint` (this package's code and its libraries) of: the theme's templates
(their names and sources), what draws the charts besides their specs (`chart_svg`: vl-convert's version, the
measuring font, the post-processing), what every page shares (`SiteContext` but the computed state: navigation,
day, version, search, static names, the plan's settings) and the page's own context (`PageSpec`: its path,
template, title and data, the computed states it shows digested by content as `render_memo` does). An edited
objective or KPI changes the pages that show it and no other; the pages of a plan with one edited file are
found again but for those.

The entry is the page as rendered, before `theme_colours.recolour_page` (which the build applies after). A page
is kept only when it was rendered in one pass with every drawing found or drawn by the drawing workers: one
whose drawings were made in the building process, or could not be made (its table shown instead), is rendered
again next time. A theme whose templates read `site.state` or where an entity was written (render_memo's rule)
gets no page kept. As every store, this only ever saves time: an entry that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from ..plan.i18n import Formatter
from .render_memo import _READS_WHERE, _Fingerprints, _where_free_table, digest_pickle
from .store import RENDERED_PAGES, Partition, fingerprint

_LEVEL = 1  # zlib: 28 MB of pages in 0.11 s to 3.7 MB; level 6 takes four times as long for 10 % less


def _formatter_reduction(fmt: Formatter) -> Any:
    """A formatter by what it formats with, never the Babel locale it caches once asked for it."""
    return Formatter, (fmt.language, fmt.currency, fmt.region)


class KeptPages:
    """The pages of one site (one theme environment and one `SiteContext`) kept in `partition`."""

    def __init__(self, env: Any, site: Any, partition: Partition = RENDERED_PAGES) -> None:
        self.partition = partition
        self._site_digest = _site_digest(env, site)
        self._prints: _Fingerprints | None = None
        self.found = self.rendered = 0

    @staticmethod
    def for_site(env: Any, site: Any) -> KeptPages | None:
        """The kept pages of this site, or None when its templates read what page digests leave out."""
        for name in env.loader.list_templates():
            try:
                source = env.loader.get_source(env, name)[0]
            except Exception:  # a template that cannot be read: its page fails to render, as without this
                return None
            if "site.state" in source or _READS_WHERE.search(source):
                return None
        return KeptPages(env, site)

    def page_key(self, page: Any) -> str:
        """The entry's name of `page`, from what it shows (its charts made when it is rendered are made from
        the states in its data: `pages.build_pages(defer_charts=True)`)."""
        if self._prints is None:
            from ..plan import compute, model
            from ..site import charts

            leaves = (compute.KpiState, model.Entity, model.Series, charts.Chart)
            table = {**_where_free_table(), Formatter: _formatter_reduction}
            self._prints = _Fingerprints((*leaves, compute.ObjectiveState, compute.FunnelState), leaves, table)
        shown = (page.path, page.template, page.title, page.section, page.description, page.data, page.charts,
                 page.chart_count)
        return f"{fingerprint('rendered page', self._site_digest, self._prints.of(shown))}.html.z"

    def _look(self, page: Any) -> tuple[str, bytes | None]:
        """The page's entry name and its compressed entry (a seventh of its bytes for the trip between
        processes), None when it is not kept."""
        key = self.page_key(page)
        return key, self.partition.read(key)

    def render(self, pages: Sequence[Any], render_drawn: Callable[..., tuple[list[bytes], set[int]]],
               render_all: Callable[..., list[Any]], jobs: int | None = None) -> list[bytes]:
        """The HTML of `pages`: each kept one read back, the others rendered by `render_drawn(pages, jobs)`
        (which also says which of them were rendered again in this process) and kept. Pages are digested and
        read on every core (`render_all`)."""
        looked = render_all(self._look, pages, jobs)
        out: list[bytes | None] = []
        for _, data in looked:
            try:
                out.append(zlib.decompress(data) if data is not None else None)
            except zlib.error:  # damaged: rendered again
                out.append(None)
        missing = [i for i, html in enumerate(out) if html is None]
        made, again = render_drawn([pages[i] for i in missing], jobs) if missing else ([], set())
        for n, (i, html) in enumerate(zip(missing, made, strict=True)):
            out[i] = html
            if n not in again:
                self.partition.write(looked[i][0], zlib.compress(html, _LEVEL))
        self.found, self.rendered = len(pages) - len(missing), len(missing)
        return [html for html in out if html is not None]


def _site_digest(env: Any, site: Any) -> bytes:
    """What every page of `site` is rendered from, besides its own context: the templates, the drawing engine,
    the shared context (the computed state left out: templates read it only through `page`)."""
    import dataclasses

    from ..site import chart_svg

    digest = hashlib.blake2b(digest_size=20)
    for name in sorted(env.loader.list_templates()):
        digest.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode("utf-8", "surrogatepass"))
    digest.update(chart_svg._engine_version().encode())
    fields = {f.name: getattr(site, f.name) for f in dataclasses.fields(site) if f.name not in ("state", "fmt")}
    fmt = site.fmt
    digest.update(digest_pickle((fields, site.settings, fmt.language, fmt.currency, fmt.region)))
    return digest.digest()
