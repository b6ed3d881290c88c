"""The history page (`history.html`: every version, newest first, and each KPI's target across versions) and
the changes pages (`changes/OLD..NEW.html`, one per pair of consecutive versions, and the newest tag to the
working tree), written at the site's root with the current version's settings."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from ..build import SiteFiles
from ..pipeline import Checked
from .comparisons import PairName, View
from .links import CURRENT, HISTORY_PATH, changes_path, entity_href, version_root
from .revisions import CheckedVersion, targets_of

# a changes page's rows that take as long to render as an ordinary page (~8 ms): a changes page of dated versions
# lists every KPI and objective, ~3,500 rows and ~80 ms for 250 objectives
ROWS_PER_PAGE = 400


def write_history(out: SiteFiles, plan_dir: Path, checked: Checked, good: list[CheckedVersion], today: dt.date,
                  compared: dict[PairName, View]) -> None:
    """changes/OLD..NEW.html for each pair of consecutive versions and changes/NEWEST..current.html from the
    newest tag to the working tree, and history.html, rendered with the current version's settings (language,
    theme) at the root. `compared` holds each pair's comparison (comparisons.py: made as the versions were
    checked)."""
    from ..cache.site_stores import keep_site_stores
    from ..parallel import render_drawn, workers
    from ..plan.i18n import Formatter
    from ..site.charts import VersionTargets, target_history_charts
    from ..site.pages import PageSpec, SiteContext, navigation
    from ..site.render import render_page
    from ..site.theme_colours import recolour_page
    from ..site.theme_setup import ThemeSetup
    from ..site.ui_text import ui

    assert checked.plan is not None and checked.state is not None
    keep_site_stores()  # the history page's charts
    settings = checked.plan.settings
    lang = settings.language
    fmt = Formatter(lang, settings.currency, settings.locale)
    site = SiteContext(state=checked.state, fmt=fmt, nav=navigation(checked.state, lang, history=HISTORY_PATH),
                       language=lang, today=today, versions=True,
                       static_root="")
    theme = ThemeSetup(plan_dir, settings.theme)  # as build.site_files sets it up for a version's pages
    site.static_names = theme.static_names
    env, colours = theme.env, theme.colours

    timeline: list[dict[str, Any]] = [{"label": ui(lang, "current_version"), "title": settings.title,
                                       "date": fmt.date(today), "href": "index.html", "changes": None,
                                       "current": True}]
    oldest_first = list(reversed(good))
    entries: dict[str, dict[str, Any]] = {}
    for g in good:
        entries[g.version.version] = {"label": g.version.version, "title": g.version.title,
                                      "date": fmt.date(g.version.date),
                                      "href": f"{version_root(g.version.version)}index.html", "changes": None,
                                      "current": False}
        timeline.append(entries[g.version.version])
    if oldest_first:  # nothing before it to compare with: its card says it is where the history starts
        entries[oldest_first[0].version.version]["first"] = True
    # each pair of consecutive tags, then the newest tag and the working tree (the current version, None),
    # unless a tag is named like the current version's page
    pairs: list[tuple[CheckedVersion, CheckedVersion | None]] = list(itertools.pairwise(oldest_first))
    current = timeline[0]
    if CURRENT not in entries:
        pairs.append((good[0], None))
        entries[CURRENT] = current
    names = [(a.version.version, CURRENT if b is None else b.version.version) for a, b in pairs]
    views = [compared[(a.version.version, None if b is None else b.version.version)] for a, b in pairs]
    pages: list[PageSpec] = []
    for (old, new), view in zip(names, views, strict=True):
        for section in view["sections"] + view["moved"]:
            base = version_root(old) if section["op"] == "removed" else \
                "" if new == CURRENT else version_root(new)
            section["href"] = entity_href(section["kind"], section["id"], base)
        path = changes_path(old, new)
        # the card names each change (a kept view's key holds the code's digest: every view has `named`)
        entries[new]["changes"] = {"href": path, "count_words": view["count_words"],
                                   "highlights": view["named"], "more": view["named_more"], "from": old}
        pages.append(PageSpec(path=path, template="changes.html",
                              title=f"{ui(lang, 'changes')} {old} → {entries[new]['label']}", section="history",
                              data={"diff": view, "old": entries[old], "new": entries[new]}))

    # oldest tag first, the working tree last, whatever their dates (`today` may come before the last tag)
    versions = [VersionTargets(g.version.version, g.version.date, g.targets()) for g in oldest_first]
    versions.append(VersionTargets(ui(lang, "current_version"), today, targets_of(checked.state)))
    kpi_charts = target_history_charts(versions, fmt)
    pages.append(PageSpec(path=HISTORY_PATH, template="history.html", title=ui(lang, "history"),
                          section="history", data={"timeline": timeline}, charts=kpi_charts))
    # every page rendered by one set of workers, sized by the rows the changes pages list; the history page's
    # charts (two drawings a KPI) drawn by workers when the cache lacks them, as a version's pages are: drawn
    # here, they would start vl-convert's runtime in this process (~100 MB more, and no fork after it), so when
    # the pages alone do not pay for a worker, the drawings are shared out by their own number (jobs None)
    rows = sum(len(section["rows"]) for view in views for section in view["sections"] + view["moved"])
    jobs = workers(len(pages) + rows // ROWS_PER_PAGE)
    html = render_drawn(lambda page: render_page(env, page, site).encode("utf-8"), pages,
                        jobs=jobs if jobs > 1 else None)
    html[-1] = recolour_page(html[-1], colours)
    for page, text in zip(pages, html, strict=True):
        out.files[page.path] = text
    out.pages += len(pages)
    out.charts += len(kpi_charts)
