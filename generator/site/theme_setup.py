"""A plan's theme as its pages are made with it: where its files are looked for, its static files and the
names pages link them by, the Jinja environment, and the chart colours its stylesheets set. The site's pages
(build.site_files), the history and changes pages (versions/history.py) and the board pack read the one
setup, so that they show one theme alike."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from .render import environment, static_files, static_names, theme_dirs
from .theme_colours import chart_colours


class ThemeSetup:
    """The theme `theme` of the plan in `plan_dir` (None: the default theme only); each part is made when
    first read (the pack reads only its colours)."""

    def __init__(self, plan_dir: Path | None, theme: str) -> None:
        self.search_path = tuple(theme_dirs(plan_dir, theme))  # the plan's own theme first, then the default

    @cached_property
    def statics(self) -> list[tuple[str, Path]]:
        """The theme's static files (a walk of its folders: the version check wants only `env`)."""
        return list(static_files(self.search_path))

    @cached_property
    def static_names(self) -> dict[str, str]:
        """Each static file's name as pages link it (with a digest of its bytes)."""
        return static_names(self.statics)

    @cached_property
    def env(self) -> Any:
        return environment(self.search_path)

    @cached_property
    def colours(self) -> dict[str, str]:
        """The theme's --accent and the like, for the charts (empty: the default theme's)."""
        return chart_colours(self.statics)

