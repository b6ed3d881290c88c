"""What a build keeps of the previous one: chart specs by a digest of what they draw from, and pages' HTML by
a digest of everything they were rendered from, so that `strategy serve` re-renders only what an edit changed.

`build.site_files(..., memo=RenderMemo())` uses it; without `memo=` every chart and page is made afresh.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import os
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..site.charts import Chart, ChartKind


def _ref(digest: bytes) -> bytes:
    """Stands for an already digested object inside a digest (never unpickled)."""
    return digest


WHERE_FIELDS = frozenset({"loc", "locs"})  # where an entity was written: never drawn (see _templates_cacheable)


def _without_where(obj: Any) -> Any:
    """An entity's or settings' reduction without `loc`/`locs`: they name the file as shown to the user
    ("v1.0:content/objectives/a.md" in a tagged version), which would otherwise make two versions' identical
    objectives digest differently."""
    state = vars(obj).copy()
    for name in WHERE_FIELDS:
        state.pop(name, None)
    return type(obj), (), state


def _without_where_or_body(obj: Any) -> Any:
    """An entity's reduction without where it was written nor its body text (`body_free_table`)."""
    cls, args, state = _without_where(obj)
    state.pop("body", None)
    return cls, args, state


@functools.cache
def where_free_table() -> dict[type, Callable[[Any], Any]]:
    """A pickler dispatch table applying `_without_where` to every entity class and to the settings."""
    from ..plan import model

    classes: list[type] = [model.Settings]
    todo = [model.Entity]
    while todo:
        cls = todo.pop()
        classes.append(cls)
        todo.extend(cls.__subclasses__())
    return dict.fromkeys(classes, _without_where)


@functools.cache
def body_free_table() -> dict[type, Callable[[Any], Any]]:
    """`where_free_table` leaving out each entity's body text too: the digests of a page whose templates never
    read a body (`templates_reading_bodies`), so that an edit of an objective's text leaves the lists showing
    that objective as they are."""
    return {**where_free_table(), **dict.fromkeys((cls for cls in where_free_table() if _has_body(cls)),
                                                  _without_where_or_body)}


def _has_body(cls: type) -> bool:
    return dataclasses.is_dataclass(cls) and any(f.name == "body" for f in dataclasses.fields(cls))


def digest_pickle(obj: Any, table: dict[type, Callable[[Any], Any]] | None = None) -> bytes:
    """The pickle of `obj` as digests see it (entities without their locations).

    Without the pickler's memo (`fast`): with it, a value met twice in one object is written once and then
    referred to, so equal values pickle differently depending on whether they are one shared object or
    two equal ones (a default "level" interned by the loader vs one unpickled from the parse cache)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = table or where_free_table()
    pickler.fast = True
    try:
        pickler.dump(obj)
    except (ValueError, RecursionError, pickle.PicklingError, TypeError):  # cyclic, or not picklable
        return _unique()
    return buffer.getvalue()


def _unique() -> bytes:
    """Stands for what cannot be digested: equal to nothing else, so it is never found in the memo."""
    return b"\x00unique" + os.urandom(16)


class Fingerprints:
    """Content digests of computed objects, each shared object digested once per build: a page's digest
    refers to the digests of the states it shows instead of pickling them again (a Merkle tree).

    Equal digests mean equal pickles, hence equal values; a different pickle of equal values (say a set in
    another order) only costs a re-render."""

    def __init__(self, shared: tuple[type, ...], leaves: tuple[type, ...],
                 table: dict[type, Callable[[Any], Any]] | None = None) -> None:
        self._leaves = leaves  # shared objects that hold no other shared object worth a reference
        self.table = table or where_free_table()  # the pickler's reductions (entities without locations)
        self._known: dict[int, tuple[Any, bytes]] = {}  # id → (the object, kept alive so the id stays its own)
        # an earlier build's digests, by id: taken into `_known` only when this build meets the very object, so
        # that what no page shows any more is let go with the build (`digested`)
        self.earlier: dict[int, tuple[Any, bytes]] = {}
        # the classes pickled as a reference to their digest: a dispatch table's entries, looked up by exact
        # class, so that the many other objects of a page (dates, rows, classes) cost no Python call
        self.shared_classes = _with_subclasses(shared)

    def known(self, obj: Any, digest: bytes) -> None:
        self._known[id(obj)] = (obj, digest)

    def digested(self, classes: tuple[type, ...]) -> dict[int, tuple[Any, bytes]]:
        """The objects of `classes` (or of their subclasses) digested so far, by id, each with its digest."""
        return {k: v for k, v in self._known.items() if isinstance(v[0], classes)}

    def forget(self, keep: Callable[[Any], bool]) -> None:
        """Let go of the digested objects but those `keep` says."""
        self._known = {k: v for k, v in self._known.items() if keep(v[0])}

    def of(self, obj: Any) -> bytes:
        kept = self._known.get(id(obj))
        if kept is not None and kept[0] is obj:
            return kept[1]
        kept = self.earlier.get(id(obj))
        if kept is not None and kept[0] is obj:
            self._known[id(obj)] = kept
            return kept[1]
        if isinstance(obj, self._leaves):  # the C pickler alone, without a Python call per object inside
            data = digest_pickle(obj, self.table)
        else:
            buffer = io.BytesIO()
            try:
                _DigestPickler(buffer, self, obj).dump(obj)
                data = buffer.getvalue()
            except (ValueError, RecursionError, pickle.PicklingError, TypeError):
                data = _unique()
        digest = hashlib.blake2b(data, digest_size=20).digest()
        self.known(obj, digest)
        return digest


def _with_subclasses(classes: tuple[type, ...]) -> tuple[type, ...]:
    found: dict[type, None] = {}
    todo = list(classes)
    while todo:
        cls = todo.pop()
        if cls not in found:
            found[cls] = None
            todo.extend(cls.__subclasses__())
    return tuple(found)


class _DigestPickler(pickle.Pickler):
    """Pickles `top` with each shared object inside it as the reference to its digest."""

    def __init__(self, file: io.BytesIO, prints: Fingerprints, top: Any) -> None:
        super().__init__(file, protocol=5)
        self.fast = True  # see digest_pickle
        table = prints.table

        def reference(obj: Any) -> Any:
            if obj is top:  # itself, as it would be pickled without this entry
                reduce = table.get(type(obj))
                return reduce(obj) if reduce is not None else obj.__reduce_ex__(5)
            return _ref, (prints.of(obj),)

        self.dispatch_table = {**table, **dict.fromkeys(prints.shared_classes, reference)}


class _Digested:
    """In a reduction's state: a value already digested (pickled as `_ref(digest)`)."""

    __slots__ = ("digest",)

    def __init__(self, digest: bytes) -> None:
        self.digest = digest

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return _ref, (self.digest,)


_ATOMS = frozenset({dt.date, float, int, str, type(None)})  # immutable values without parts
_KEPT_FIELDS = ("points", "periods", "positions")  # a KPI state's fields digested apart (_measurements_digest)


@functools.cache
def _state_classes() -> tuple[type, ...]:
    """The computed states and entities whose digests a build hands the next (`RenderMemo._states`)."""
    from ..plan import compute, model

    return compute.KpiState, compute.ObjectiveState, compute.FunnelState, model.Entity


@functools.cache
def _body_free_kept() -> tuple[type, ...]:
    """What the body-free digests of a build hand the next: the states and entities, and the charts (made by
    content, the memo hands the next build the very same chart for the same state)."""
    from ..site.charts import Chart

    return (*_state_classes(), Chart)


def _frozen_point(point: Any) -> bool:
    """A KPI state's counted measurement that can never change: a tuple of immutable values."""
    return type(point) is tuple and all(type(v) in _ATOMS for v in point)


def _frozen_series(series: Any) -> bool:
    """A loaded Series that can never change: its points a tuple of frozen Points of immutable values."""
    from ..plan import model

    return (type(series) is model.Series and type(series.points) is tuple
            and all(type(p) is model.Point and all(type(v) in _ATOMS for v in vars(p).values())
                    for p in series.points))


# a template that reads where an entity was written gets no page kept: digests leave locations out
_READS_WHERE = re.compile(r"\.locs?\b|\.at\(|\[\s*['\"]locs?['\"]\s*\]")


def template_sources(env: Any) -> list[tuple[str, str]] | None:
    """Every template of `env` with its source, by name; None when one cannot be read (its page fails to render
    anyway)."""
    sources = []
    for name in sorted(env.loader.list_templates()):
        try:
            sources.append((name, env.loader.get_source(env, name)[0]))
        except Exception:
            return None
    return sources


# a template that reads an entity's body text (`o.objective.body`, `p["body"]`); not a chart's data table
# (`c.table.body`), nor the HTML element or attribute (`<body`, `data-pagefind-body`)
_READS_BODY = re.compile(r"(?<![<\-/\w])(?<!table\.)body\b")


def templates_reading_bodies(env: Any, sources: list[tuple[str, str]]) -> set[str]:
    """The templates of `env` that read an entity's body, themselves or through a template they extend, include
    or import. A template that names another by an expression (not a constant) counts as reading one."""
    from jinja2 import meta

    reads = {name for name, source in sources if _READS_BODY.search(source)}
    uses: dict[str, set[str | None]] = {}
    for name, source in sources:
        try:
            uses[name] = set(meta.find_referenced_templates(env.parse(source)))
        except Exception:  # a template that does not parse fails to render anyway
            reads.add(name)
    grown = True
    while grown:
        grown = False
        for name, used in uses.items():
            if name not in reads and (None in used or used & reads or not used <= uses.keys()):
                reads.add(name)
                grown = True
    return reads


def templates_digestible(env: Any, sources: list[tuple[str, str]] | None = None) -> bool:
    """Whether every template of `env` (their `sources` when already read) reads the plan through `page` only,
    never `site.state` nor where an entity was written (the default theme): then a page's digest covers all it
    shows. A template that cannot be read counts as not."""
    sources = template_sources(env) if sources is None else sources
    return sources is not None and not any("site.state" in source or _READS_WHERE.search(source)
                                           for _, source in sources)


def page_fingerprints(table: dict[type, Callable[[Any], Any]] | None = None, *,
                      bodies: bool = True) -> Fingerprints:
    """The digests of pages' contexts, for the render memo and the kept pages alike: each computed state, entity,
    measurement series and chart digested once and referred to by its digest; entities without where they were
    written (nor their body text unless `bodies`), a formatter by what it formats with. `table`: more reductions
    (the memo's KPI states)."""
    from ..plan import compute, model
    from ..plan.i18n import Formatter
    from ..site import charts

    leaves = (compute.KpiState, model.Entity, model.Series, charts.Chart)
    reductions = {compute.KpiState: _kpi_state_by_ordinals,
                  **(where_free_table() if bodies else body_free_table()), Formatter: _formatter_reduction,
                  **(table or {})}
    return Fingerprints((*leaves, compute.ObjectiveState, compute.FunnelState), leaves, reductions)


def _kpi_state_by_ordinals(obj: Any) -> Any:
    """A KPI state with the days of its counted measurements, their periods and positions as day numbers: the
    same facts, pickled four times faster than as dates (each date is written with its class's name, the digests'
    pickles keeping no memo). Not as compute.py makes them (a day that is not exactly a date): as they are."""
    state = vars(obj).copy()
    points, periods, positions = (state.get(name) for name in _KEPT_FIELDS)
    if (type(points) in (list, tuple) and type(periods) is dict and type(positions) is dict
            and set(map(type, points)) <= {tuple} and all(points)):
        days = [point[0] for point in points]
        days += periods
        days += positions
        days += positions.values()
        if set(map(type, days)) <= {dt.date}:
            for name in _KEPT_FIELDS:
                del state[name]
            state[_KEPT_FIELDS] = (type(points), len(points), len(periods), list(map(dt.date.toordinal, days)),
                                   [point[1:] for point in points], list(periods.values()))
    return type(obj), (), state


def _formatter_reduction(fmt: Any) -> Any:
    """A formatter by what it formats with, never the Babel locale it caches once asked for it."""
    return type(fmt), (fmt.language, fmt.currency, fmt.region)


def site_digest(site: Any) -> bytes:
    """A digest of what every page of `site` (a `SiteContext`) shares besides the templates: navigation, day,
    version, search, static names, the plan's settings and the formatter (the computed state left out:
    templates read it only through `page`)."""
    fields = {f.name: getattr(site, f.name) for f in dataclasses.fields(site) if f.name not in ("state", "fmt")}
    fmt = site.fmt
    shown = digest_pickle((fields, site.settings, fmt.language, fmt.currency, fmt.region))
    return hashlib.blake2b(shown, digest_size=20).digest()


def chart_key(kind: ChartKind, state: Any, fmt: Any) -> bytes:
    """A digest of what chart `kind` (site/charts/registry.py) draws from `state`: `state` without the fields
    the kind declares `not_drawn`."""
    skip = kind.not_drawn
    drawn = digest_pickle((type(state).__name__, {k: v for k, v in vars(state).items() if k not in skip})
                          if skip else state)
    return _chart_digest(kind.name, drawn, fmt)


def _chart_digest(builder: str, drawn: bytes, fmt: Any) -> bytes:
    return hashlib.blake2b(builder.encode() + b"|" + drawn + f"|{fmt.language}|{fmt.currency}|{fmt.tag}".encode(),
                           digest_size=20).digest()


class RenderMemo:
    """Chart specs by a digest of (builder, state, language, currency), and each page's HTML with the digest
    of everything it was rendered from. Entries the latest build did not use are dropped."""

    def __init__(self) -> None:
        self.charts: dict[bytes, Any] = {}
        self.pages: dict[str, tuple[bytes, bytes]] = {}  # path → (digest of its context, HTML)
        self.pages_rendered = 0
        self.pages_reused = 0
        self.charts_built = 0
        self.charts_reused = 0
        self._prints: Fingerprints | None = None
        # the digests of the pages whose templates never read an entity's body: entities without it
        self._body_free: Fingerprints | None = None
        self._used_charts: set[bytes] = set()
        self._used_lately: set[bytes] = set()  # charts used since forget_older()
        self._site_key: tuple[Any, bytes] | None = None  # (the SiteContext, kept so its id stays its own; digest)
        self._cacheable: dict[int, bool] = {}  # id(env) → its templates read neither site.state nor locations
        self._reading_bodies: tuple[int, set[str]] | None = None  # (id(env), its templates reading a body)
        self._page_lists: dict[tuple[int, str, str], tuple[Any, list[Any]]] = {}
        # Digests kept across builds, of immutable objects the loader and compute.py hand to every check
        # while their file is unchanged: a KPI's measurements (the Series) and, in each KPI state, the
        # measurements as counted (`points`, the same tuples), the periods they stand for and where they stand
        # (`periods`, `positions`: the Series' dates). Digesting them again was most of a rebuild's digests.
        # Keyed by identity, each entry holding its objects so that their ids stay their own.
        self._series: dict[int, tuple[Any, bytes]] = {}
        self._parts: dict[tuple[tuple[int, ...], ...], tuple[tuple[Any, ...], bytes]] = {}
        self._series_used: dict[int, tuple[Any, bytes]] = {}
        self._parts_used: dict[tuple[tuple[int, ...], ...], tuple[tuple[Any, ...], bytes]] = {}
        # The digests of the computed states of the latest build (KPI, objective, funnel) and of the entities they
        # hold, by identity: `strategy serve`'s check hands the next build the very same states where their
        # inputs did not change (plan/computed_memo.py), and no one changes a computed state or an entity once
        # loaded, so their digests stand.
        self._states: dict[int, tuple[Any, bytes]] = {}
        self._body_free_states: dict[int, tuple[Any, bytes]] = {}  # the same, digested without bodies

    def clear_pages(self) -> None:
        """After a theme edit: the HTML may differ for the same context."""
        self.pages.clear()
        self._cacheable.clear()
        self._reading_bodies = None

    @contextlib.contextmanager
    def build(self) -> Iterator[None]:
        """One build: digests are computed once for its length, and charts it did not use are dropped after.

        Nested in an open one (`site_files` opens its own), it is part of the outer build: the versions of
        `--all-versions` are one build, so what one version made is there for the next."""
        if self._prints is not None:
            yield
            return
        from ..plan import compute

        self._prints = page_fingerprints({compute.KpiState: self._kpi_state_reduction})
        self._body_free = page_fingerprints({compute.KpiState: self._kpi_state_reduction}, bodies=False)
        self._series_used, self._parts_used = {}, {}
        self._used_charts = set()
        self._used_lately = set()
        self._site_key = None
        self.pages_rendered = self.pages_reused = self.charts_built = self.charts_reused = 0
        try:
            yield
        finally:
            self.charts = {k: v for k, v in self.charts.items() if k in self._used_charts}
            self._series, self._parts = self._series_used, self._parts_used
            self._series_used, self._parts_used = {}, {}
            self._states = self._prints.digested(_state_classes())
            self._body_free_states = self._body_free.digested(_body_free_kept()) if self._body_free else {}
            self._prints = self._body_free = None
            self._site_key = None
            self._page_lists.clear()

    def forget_older(self) -> None:
        """Within an open build, once a site (one version of `--all-versions`) is done: keep only what it used,
        which the next version, its neighbour in history, may show again. What only older versions used
        (their charts, page lists and digested objects) would otherwise stay in memory for the whole build:
        20 versions of a big plan, hundreds of MB. Pages are kept by path already, the last render of each."""
        if self._prints is None:
            return
        self.charts = {k: v for k, v in self.charts.items() if k in self._used_lately}
        self._used_lately = set()
        kept = {id(chart) for chart in self.charts.values()}
        self._prints.forget(lambda obj: id(obj) in kept)
        if self._body_free is not None:
            self._body_free.forget(lambda obj: id(obj) in kept)
        if len(self._page_lists) > 1:  # the last list: a version sharing its neighbour's plan takes it as it is
            last = next(reversed(self._page_lists))
            self._page_lists = {last: self._page_lists[last]}

    def page_specs(self, state: Any, fmt: Any, build_pages: Callable[..., list[Any]]) -> list[Any]:
        """`build_pages(state, fmt, make_chart=self.make_chart)`: the pages with the memo's charts; within one
        build, the same list for the same state object (two versions with one plan and one evaluation date
        share their checked state)."""
        key = (id(state), fmt.language, fmt.currency)
        kept = self._page_lists.get(key)
        if kept is not None and kept[0] is state:
            return kept[1]
        series = list(getattr(getattr(state, "plan", None), "series", {}).values())
        if self._prints is not None and self._body_free is not None:
            for one in series:  # a Series holds no entity: one digest for both
                known = self._series.get(id(one))
                if known is not None and known[0] is one:
                    self._prints.known(one, known[1])
                    self._body_free.known(one, known[1])
            # what an earlier build digested, taken as it is met (and so let go with this build if no page shows it)
            self._prints.earlier, self._body_free.earlier = self._states, self._body_free_states
        pages = build_pages(state, fmt, make_chart=self.make_chart)
        if self._prints is not None:
            self._page_lists[key] = (state, pages)
            for one in series:
                if id(one) in self._series_used:
                    continue
                known = self._series.get(id(one))
                if known is not None and known[0] is one:
                    self._series_used[id(one)] = known
                elif _frozen_series(one):
                    self._series_used[id(one)] = (one, self._prints.of(one))
        return pages

    def _kpi_state_reduction(self, obj: Any) -> Any:
        """A KPI state as digests see it: its counted measurements, the periods they stand for and where they
        stand, by one digest kept across builds."""
        state = vars(obj).copy()
        points, periods, positions = (state.pop(name, None) for name in _KEPT_FIELDS)
        if type(points) in (list, tuple) and type(periods) is dict and type(positions) is dict:
            state[_KEPT_FIELDS] = _Digested(self._measurements_digest(points, periods, positions))
        else:  # not as compute.py makes them: as they are
            state.update(zip(_KEPT_FIELDS, (points, periods, positions), strict=True))
        return type(obj), (), state

    def _measurements_digest(self, points: Sequence[Any], periods: dict[Any, Any], positions: dict[Any, Any]) -> bytes:
        """The digest of a KPI state's `points`, `periods` and `positions`, kept while they are made of the very
        same immutable objects (each dict by its keys and its values)."""
        key = (tuple(map(id, points)), tuple(map(id, periods)), tuple(map(id, periods.values())),
               tuple(map(id, positions)), tuple(map(id, positions.values())))
        kept = self._parts.get(key) or self._parts_used.get(key)
        if kept is None:
            parts = (tuple(points), tuple(periods), tuple(periods.values()), tuple(positions),
                     tuple(positions.values()))
            digest = hashlib.blake2b(digest_pickle(parts), digest_size=20).digest()
            if not all(type(v) in _ATOMS or _frozen_point(v) for part in parts for v in part):
                return digest  # may change in place: never kept
            kept = (parts, digest)
        self._parts_used[key] = kept
        return kept[1]

    def render(self, env: Any, pages: Sequence[Any], site: Any, render: Callable[[Any], bytes],
               jobs: int | None = None) -> list[bytes]:
        """`[render(page) for page in pages]`, each page's bytes taken from the memo when its context is the
        one it was last rendered from; `render` is `render_all`'d over the pages that are not."""
        from ..parallel import render_drawn

        if not self._templates_cacheable(env):
            self.pages_rendered += len(pages)
            return render_drawn(render, pages, jobs=jobs)
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
        made = render_drawn(render, [pages[i] for i in missing], jobs=jobs)
        for i, html in zip(missing, made, strict=True):
            out[i] = html
            self.pages[pages[i].path] = (keys[i], html)
        self.pages_rendered += len(missing)
        self.pages_reused += len(pages) - len(missing)
        return [html for html in out if html is not None]

    def make_chart(self, kind: ChartKind, state: Any, fmt: Any) -> Chart:
        """The chart of `kind` (site/charts/registry.py) drawn from `state`: the one already made for the same
        state and formatter when the memo holds it. pages.py makes every chart through this (`page_specs`)."""
        if not kind.memoised:
            made: Chart = kind.build(state, fmt)
            return made
        assert self._prints is not None, "RenderMemo.build() is not open"
        # the whole state's digest first: pages need it anyway, so a hit costs nothing more
        key = _chart_digest(kind.name, self._prints.of(state), fmt)
        chart = self.charts.get(key)
        if chart is None and kind.not_drawn:  # the same drawing from a state that differs elsewhere
            drawn = chart_key(kind, state, fmt)
            chart = self.charts.get(drawn)
            if chart is None:
                chart = kind.build(state, fmt)
                self.charts_built += 1
            else:
                self.charts_reused += 1
            self.charts[drawn] = chart
            self._used_charts.add(drawn)
            self._used_lately.add(drawn)
            self.charts[key] = chart
        elif chart is None:
            chart = self.charts[key] = kind.build(state, fmt)
            self.charts_built += 1
        else:
            self.charts_reused += 1
        self._used_charts.add(key)
        self._used_lately.add(key)
        # `key` digests the whole state, bodies and all: the body-free digests digest the chart by what it is
        self._prints.known(chart, key)
        return chart

    def _page_key(self, env: Any, page: Any, site: Any) -> bytes:
        assert self._prints is not None, "RenderMemo.build() is not open"
        if self._site_key is None or self._site_key[0] is not site:  # the templates: this very environment's
            self._site_key = (site, site_digest(site) + id(env).to_bytes(8, "little"))
        # the PageSpec itself: a page list reused by page_specs() is digested once
        prints = self._prints if self._body_free is None or page.template in self._bodies_read(env) else self._body_free
        return self._site_key[1] + prints.of(page)

    def _bodies_read(self, env: Any) -> set[str]:
        """The templates of `env` that read an entity's body (`templates_reading_bodies`): every one when its
        sources cannot be read."""
        if self._reading_bodies is None or self._reading_bodies[0] != id(env):
            sources = template_sources(env)
            reading = (templates_reading_bodies(env, sources) if sources is not None
                       else set(env.loader.list_templates()))
            self._reading_bodies = (id(env), reading)
        return self._reading_bodies[1]

    def _templates_cacheable(self, env: Any) -> bool:
        """A page is kept only when its templates read the plan through `page` (`templates_digestible`): a
        theme that does not gets every page rendered on every build."""
        if id(env) not in self._cacheable:
            self._cacheable = {id(env): templates_digestible(env)}
        return self._cacheable[id(env)]
