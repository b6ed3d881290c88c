"""Rendered pages kept in the user cache between builds, each by a digest of everything it is rendered from, so
that a build renders only the pages whose content changed since a build made them (issue 15, item 7).

A page's entry is named by `store.fingerprint` (this package's code and its libraries) of: the theme's templates
(their names and sources), the font the drawings are measured with (vl-convert's version and chart_svg's
code are in the fingerprint already), what every page shares (`SiteContext` but the computed state: navigation,
day, version, search, static names, the plan's settings) and the page's own context (`PageSpec`: its path,
template, title and data, the computed states it shows digested by content as `render_memo` does). An edited
objective or KPI changes the pages that show it and no other; the pages of a plan with one edited file are
found again but for those. A page whose templates never read an entity's body text (the lists, the dashboard:
`render_memo.templates_reading_bodies`) is digested without the bodies, as `strategy serve` does, so an edit of
an objective's text renders its own page again and not the lists that hold it.

The entry is the page as rendered, before `theme_colours.recolour_page` (which the build applies after). A page
is kept only when every drawing it shows was found in the cache as it was rendered: one with a drawing still to
make (a first build, a KPI whose measurements changed) is kept by the next build, which finds the drawing. A
theme whose templates read `site.state` or where an entity was written (render_memo's rule) gets no page kept.
As every store, this only ever saves time: an entry that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from ..site import chart_svg
from .render_memo import (
    Fingerprints,
    page_fingerprints,
    site_digest,
    template_sources,
    templates_digestible,
    templates_reading_bodies,
)
from .store import RENDERED_PAGES, Partition, fingerprint

_PLACEHOLDER = chart_svg.placeholder("").split(" ", 1)[0].encode()  # "<!--drawing": a drawing still to make
_LEVEL = 1  # zlib: 28 MB of pages in 0.11 s to 3.7 MB; level 6 takes four times as long for 10 % less


class KeptPages:
    """The pages of one site (its theme's template `sources` and its `SiteContext`) kept in `partition`."""

    partition: Partition = RENDERED_PAGES

    def __init__(self, sources: list[tuple[str, str]], site: Any, reading_bodies: set[str]) -> None:
        self._site_digest = _site_digest(sources, site)
        self._reading_bodies = reading_bodies  # the templates whose pages are digested with the bodies
        self._prints: Fingerprints | None = None
        self._body_free: Fingerprints | None = None

    @staticmethod
    def for_site(env: Any, site: Any) -> KeptPages | None:
        """The kept pages of this site, or None when its templates read what page digests leave out."""
        sources = template_sources(env)  # read once, for all three
        if sources is None or not templates_digestible(env, sources):
            return None
        return KeptPages(sources, site, templates_reading_bodies(env, sources))

    def page_key(self, page: Any) -> str:
        """The entry's name of `page`, from what it shows (its charts made when it is rendered are made from
        the states in its data: `pages.build_pages(defer_charts=True)`)."""
        if page.template in self._reading_bodies:
            if self._prints is None:
                self._prints = page_fingerprints()
            prints = self._prints
        else:
            if self._body_free is None:
                self._body_free = page_fingerprints(bodies=False)
            prints = self._body_free
        shown = (page.path, page.template, page.title, page.section, page.description, page.data, page.charts,
                 page.chart_count)
        return f"{fingerprint('rendered page', self._site_digest, prints.of(shown))}.html.z"

    def rendering(self, render: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
        """`render` taking each page it can from the kept ones, and keeping those it renders. Called by
        whichever process renders the page (parallel.render_drawn), so digests, reads and writes are shared
        out over the cores as rendering is."""

        def kept_or_rendered(page: Any) -> bytes:
            # rendered collecting the drawings the cache lacks: the first pass of parallel.render_drawn. A page
            # rendered again (drawings made in this process, or a table instead of one that could not be made)
            # was looked for in the first pass already, and is not kept: it is rendered next time.
            first_pass = chart_svg.collecting()
            if first_pass:
                key = self.page_key(page)
                data = self.partition.read(key)
                if data is not None:
                    try:
                        return zlib.decompress(data)
                    except zlib.error:  # damaged: rendered again
                        pass
            html = render(page)
            if first_pass and _PLACEHOLDER not in html:  # every drawing was found
                self.partition.write(key, zlib.compress(html, _LEVEL))
            return html

        return kept_or_rendered


def _site_digest(sources: list[tuple[str, str]], site: Any) -> bytes:
    """What every page of `site` is rendered from, besides its own context: the templates, the font the drawings
    are measured with (chart_svg's code and vl-convert's version are in `fingerprint`), the shared context."""
    digest = hashlib.blake2b(digest_size=20)
    for name, source in sources:
        digest.update(name.encode() + b"\0" + source.encode("utf-8", "surrogatepass"))
    digest.update(chart_svg.fonts_digest().encode())
    digest.update(site_digest(site))
    return digest.digest()
