"""The files of one tagged version under its folder: rendered from its checked plan (and kept for the next
build), or as an earlier build kept them."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build import SiteFiles, site_files
from ..cache.render_memo import RenderMemo
from .links import FROM_VERSION_TO_ROOT
from .revisions import CheckedVersion

if TYPE_CHECKING:
    from ..cache.archived_versions import VersionCache
    from .site_output import VersionsSite

# Versions evaluated on the same day share the render memo, but each page names its version (the banner, the
# footer, the switcher's title): rendered under this stand-in, a page two versions show alike has one context,
# is rendered once and then named for each version (`_named`). Private-use characters, which no escaping
# changes and no plan writes.
VERSION_STAND_IN = "\ue000strategy-version\ue001"
_STAND_IN = VERSION_STAND_IN.encode("utf-8")


def version_files(g: CheckedVersion, plan_dir: Path, memo: RenderMemo | None, jobs: int | None = None,
                   cache: VersionCache | None = None) -> SiteFiles:
    """The files of tagged version `g` under its own folder, kept in `cache` for the next build. They depend on
    the version alone (its plan, its evaluation day, the code and templates): the list of versions is in
    versions.js at the site's root, so the next tag changes none of them."""
    from ..cache.archived_versions import Kept
    from ..site.theme_setup import ThemeSetup

    checked = g.plan_checked()
    assert checked.plan is not None
    settings = checked.plan.settings

    def render(name: str) -> SiteFiles:
        return site_files(checked, g.source, plan_dir, static_root=FROM_VERSION_TO_ROOT, version=name,
                          versions=True, current_version_path=FROM_VERSION_TO_ROOT, with_static=False, search=True,
                          memo=memo, jobs=jobs)

    try:
        named = None
        if memo is not None and _version_neutral(ThemeSetup(plan_dir, settings.theme).env):
            named = _named(render(VERSION_STAND_IN), g.version.version)
        files = named if named is not None else render(g.version.version)
    finally:
        g.source.close()
    if cache is not None and g.key is not None:
        cache.store(g.key, Kept(dict(files.files), {
            "language": settings.language, "currency": settings.currency, "theme": settings.theme,
            "pages": files.pages, "charts": files.charts, "targets": g.targets()}))
    return files


@functools.lru_cache(maxsize=8)
def _version_neutral(env: Any) -> bool:
    """Whether pages may be rendered under VERSION_STAND_IN and named afterwards: only when every template that
    mentions versions is the built-in theme's, which shows the version's name as it is (never transformed)."""
    from ..site.render import default_theme_dir

    default = default_theme_dir().resolve()
    for name in env.loader.list_templates():
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except Exception:
            return False
        if "version" in source and not Path(filename).resolve().is_relative_to(default):
            return False
    return True


def _named(files: SiteFiles, tag: str) -> SiteFiles | None:
    """`files` rendered under VERSION_STAND_IN, as version `tag` shows them (a SAFE_TAG, which no escaping
    changes); None when the stand-in was changed on its way into a file (then the version is rendered itself)."""
    name = tag.encode("utf-8")
    out: dict[str, bytes] = {}
    for path, data in files.files.items():
        mine = data.replace(_STAND_IN, name) if _STAND_IN in data else data
        if b"strategy-version" in mine:
            return None
        out[path] = mine
    return SiteFiles(files=out, copies=files.copies, pages=files.pages, charts=files.charts)


def kept_files(g: CheckedVersion, cache: VersionCache) -> SiteFiles | None:
    """Version `g`'s files as an earlier build kept them; None when the entry cannot be read back (the version is
    then built)."""
    assert g.key is not None
    kept = cache.load(g.key)
    if kept is None:
        return None
    files = SiteFiles(files=kept.files, pages=int(kept.meta["pages"]), charts=int(kept.meta["charts"]))
    g.outcome.pages = files.pages
    return files


def html_pages(files: SiteFiles) -> list[str]:
    """A version's pages, by their path from its folder, as versions.js lists them."""
    return sorted(path for path in files.files if path.endswith(".html"))


def kept_there(kept: list[CheckedVersion], cache: VersionCache | None,
                site: VersionsSite) -> list[tuple[int, int, float, list[str]] | None]:
    """What the writer of kept versions sends back once it has written their files: each one's pages, charts,
    seconds and pages' paths, None for a version whose entry could not be read back (this process builds it)."""
    assert cache is not None
    out: list[tuple[int, int, float, list[str]] | None] = []
    for g in kept:
        began = time.perf_counter()
        files = kept_files(g, cache)
        if files is None:
            out.append(None)
            continue
        site.version(g.version.version, files)
        out.append((files.pages, files.charts, time.perf_counter() - began, html_pages(files)))
    return out
