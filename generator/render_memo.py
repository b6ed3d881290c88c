"""What a build keeps of the previous one: chart specs by a digest of what they draw from, and pages' HTML by
a digest of everything they were rendered from, so that `strategy serve` re-renders only what an edit changed.

`build.site_files(..., memo=RenderMemo())` uses it; without `memo=` every chart and page is made afresh.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def _ref(digest: bytes) -> bytes:
    """Stands for an already digested object inside a digest (never unpickled)."""
    return digest


class _Fingerprints:
    """Content digests of computed objects, each shared object digested once per build: a page's digest
    refers to the digests of the states it shows instead of pickling them again (a Merkle tree).

    Equal digests mean equal pickles, hence equal values; a different pickle of equal values (say a set in
    another order) only costs a re-render."""

    def __init__(self, shared: tuple[type, ...], leaves: tuple[type, ...]) -> None:
        self._shared = shared
        self._leaves = leaves  # shared objects that hold no other shared object worth a reference
        self._known: dict[int, tuple[Any, bytes]] = {}  # id → (the object, kept alive so the id stays its own)

    def known(self, obj: Any, digest: bytes) -> None:
        self._known[id(obj)] = (obj, digest)

    def of(self, obj: Any) -> bytes:
        kept = self._known.get(id(obj))
        if kept is not None and kept[0] is obj:
            return kept[1]
        if isinstance(obj, self._leaves):  # the C pickler alone, without a Python call per object inside
            data = pickle.dumps(obj, protocol=5)
        else:
            buffer = io.BytesIO()
            _DigestPickler(buffer, self, obj).dump(obj)
            data = buffer.getvalue()
        digest = hashlib.blake2b(data, digest_size=20).digest()
        self.known(obj, digest)
        return digest


class _DigestPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, prints: _Fingerprints, top: Any) -> None:
        super().__init__(file, protocol=5)
        self._prints = prints
        self._top = top

    def reducer_override(self, obj: Any) -> Any:
        if obj is not self._top and isinstance(obj, self._prints._shared):
            return _ref, (self._prints.of(obj),)
        return NotImplemented


CHART_BUILDERS = ("kpi_chart", "funnel_chart", "progress_chart", "budget_chart")
_SWAP_LOCK = threading.Lock()


class RenderMemo:
    """Chart specs by a digest of (builder, state, language, currency), and each page's HTML with the digest
    of everything it was rendered from. Entries the latest build did not use are dropped."""

    def __init__(self) -> None:
        self.charts: dict[bytes, Any] = {}
        self.pages: dict[str, tuple[bytes, bytes]] = {}  # path → (digest of its context, HTML)
        self.pages_rendered = 0
        self.charts_built = 0
        self._prints: _Fingerprints | None = None
        self._used_charts: set[bytes] = set()
        self._site_key: tuple[Any, bytes] | None = None  # (the SiteContext, kept so its id stays its own; digest)
        self._state_free: dict[int, bool] = {}  # id(env) → its templates never read site.state

    def clear_pages(self) -> None:
        """After a theme edit: the HTML may differ for the same context."""
        self.pages.clear()
        self._state_free.clear()

    @contextlib.contextmanager
    def build(self) -> Iterator[None]:
        """One build: digests are computed once for its length, and charts it did not use are dropped after.

        Nested in an open one (`site_files` opens its own), it is part of the outer build: the versions of
        `--all-versions` are one build, so what one version made is there for the next."""
        if self._prints is not None:
            yield
            return
        from . import charts, compute, model

        leaves = (compute.KpiState, model.Entity, model.Series, charts.Chart)
        self._prints = _Fingerprints((*leaves, compute.ObjectiveState, compute.FunnelState), leaves)
        self._used_charts = set()
        self._site_key = None
        self.pages_rendered = self.charts_built = 0
        try:
            yield
        finally:
            self.charts = {k: v for k, v in self.charts.items() if k in self._used_charts}
            self._prints = None

    @contextlib.contextmanager
    def chart_builders(self) -> Iterator[None]:
        """While open, the `charts` module's builders return the chart already made for the same state.

        pages.py calls the builders through the `charts` module, so they are swapped there (under a lock) and
        put back on exit; only `build_pages` needs to run inside."""
        from . import charts

        with _SWAP_LOCK:
            saved = {name: getattr(charts, name) for name in CHART_BUILDERS}
            try:
                for name in CHART_BUILDERS:
                    setattr(charts, name, self._chart_builder(name, saved[name]))
                yield
            finally:
                for name, func in saved.items():
                    setattr(charts, name, func)

    def render(self, env: Any, pages: Sequence[Any], site: Any, render: Callable[[Any], bytes]) -> list[bytes]:
        """`[render(page) for page in pages]`, each page's bytes taken from the memo when its context is the
        one it was last rendered from; `render` is `render_all`'d over the pages that are not."""
        from .parallel import render_all

        if not self._templates_state_free(env):
            self.pages_rendered += len(pages)
            return render_all(render, pages)
        keys = [self._page_key(env, page, site) for page in pages]
        out: list[bytes | None] = []
        missing: list[int] = []
        for i, (page, key) in enumerate(zip(pages, keys, strict=True)):
            kept = self.pages.get(page.path)
            if kept is not None and kept[0] == key:
                out.append(kept[1])
            else:
                out.append(None)
                missing.append(i)
        made = render_all(render, [pages[i] for i in missing])
        for i, html in zip(missing, made, strict=True):
            out[i] = html
            self.pages[pages[i].path] = (keys[i], html)
        self.pages_rendered += len(missing)
        return [html for html in out if html is not None]

    def _chart_builder(self, name: str, build: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def memoized(state: Any, fmt: Any) -> Any:
            assert self._prints is not None, "RenderMemo.build() is not open"
            key = hashlib.blake2b(name.encode() + self._prints.of(state) + f"|{fmt.language}|{fmt.currency}".encode(),
                                  digest_size=20).digest()
            chart = self.charts.get(key)
            if chart is None:
                chart = build(state, fmt)
                self.charts[key] = chart
                self.charts_built += 1
            self._used_charts.add(key)
            self._prints.known(chart, key)
            return chart

        return memoized

    def _page_key(self, env: Any, page: Any, site: Any) -> bytes:
        assert self._prints is not None, "RenderMemo.build() is not open"
        if self._site_key is None or self._site_key[0] is not site:
            fields = {f.name: getattr(site, f.name) for f in dataclasses.fields(site) if f.name not in ("state", "fmt")}
            shown = pickle.dumps((fields, site.settings, site.fmt.language, site.fmt.currency, id(env)), protocol=5)
            self._site_key = (site, hashlib.blake2b(shown, digest_size=20).digest())
        own = self._prints.of((page.path, page.template, page.title, page.section, page.description, page.data,
                               page.charts))
        return self._site_key[1] + own

    def _templates_state_free(self, env: Any) -> bool:
        """A page is kept only when its templates read the plan through `page`, never `site.state` (the
        default theme): a theme that reads `site.state` gets every page rendered on every rebuild."""
        if id(env) not in self._state_free:
            free = True
            for name in env.loader.list_templates():
                with contextlib.suppress(Exception):
                    if "site.state" in env.loader.get_source(env, name)[0]:
                        free = False
            self._state_free = {id(env): free}
        return self._state_free[id(env)]
