"""The files of one tagged version under its folder: rendered from its checked plan (and kept for the next
build), or as an earlier build kept them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import SiteFiles, site_files
from ..cache.render_memo import RenderMemo
from .links import FROM_VERSION_TO_ROOT
from .revisions import CheckedVersion

if TYPE_CHECKING:
    from ..cache.archived_versions import VersionCache
    from .site_output import VersionsSite


def version_files(g: CheckedVersion, plan_dir: Path, memo: RenderMemo | None, jobs: int | None = None,
                   cache: VersionCache | None = None) -> SiteFiles:
    """The files of tagged version `g` under its own folder, kept in `cache` for the next build. They depend on
    the version alone (its plan, its evaluation day, the code and templates): the list of versions is in
    versions.js at the site's root, so the next tag changes none of them."""
    from ..cache.archived_versions import Kept

    checked = g.plan_checked()
    assert checked.plan is not None
    settings = checked.plan.settings
    try:
        files = site_files(checked, g.source, plan_dir, static_root=FROM_VERSION_TO_ROOT, version=g.version.version,
                           versions=True, current_version_path=FROM_VERSION_TO_ROOT, with_static=False, search=True,
                           memo=memo, jobs=jobs)
    finally:
        g.source.close()
    if cache is not None and g.key is not None:
        cache.store(g.key, Kept(dict(files.files), {
            "language": settings.language, "currency": settings.currency, "theme": settings.theme,
            "pages": files.pages, "charts": files.charts, "targets": g.targets()}))
    return files


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
