"""A plan's theme (`themes/NAME/` beside the plan folder) never reads a file outside itself.

A theme comes with the plan's pull requests, and its templates are rendered and its static files
published: a template that is a symbolic link to `~/.ssh/id_rsa` or `/etc/passwd` would publish that file
in the site. So no symbolic link is followed anywhere in a theme: `themes/`, `themes/NAME/` itself and every
file or folder under it. `check` and `build` report each link (`theme-link`); the template loader refuses
them too, so no other path (serve, `--all-versions`) can follow one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..plan.diagnostics import Diagnostics, Location, shown_path
from ..plan.messages import msg


class ThemeLinkError(Exception):
    """A theme template reached through a symbolic link: `template` the file, `link` the link on its way
    (template_errors says it in the plan's language)."""

    def __init__(self, template: str, link: str) -> None:
        super().__init__(f"the theme template {template} is reached through a symbolic link ({link}): "
                         "copy the file into the theme instead")
        self.template, self.link = template, link


def themes_root(plan_dir: Path) -> Path:
    """`themes/` beside the plan folder."""
    return plan_dir.resolve().parent / "themes"


def theme_links(plan_dir: Path, theme: str) -> list[Path]:
    """Every symbolic link a theme would read through: `themes/`, `themes/NAME/`, or anything under it."""
    root = themes_root(plan_dir)
    own = root / theme
    if root.is_symlink():
        return [root]
    if own.is_symlink():
        return [own]
    if not own.is_dir():
        return []
    links: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(own, followlinks=False):
        for name in sorted(dirnames + filenames):
            if os.path.islink(os.path.join(dirpath, name)):
                links.append(Path(dirpath) / name)
    return sorted(links)


def trusted_theme_dir(plan_dir: Path, theme: str) -> Path | None:
    """`themes/NAME/` when it is a real folder reached through no link, else None."""
    root = themes_root(plan_dir)
    own = root / theme
    if root.is_symlink() or own.is_symlink() or not own.is_dir():
        return None
    return own


def report_theme_links(plan_dir: Path, theme: str, diagnostics: Diagnostics) -> None:
    """One `theme-link` error per symbolic link of the plan's theme."""


    for link in theme_links(plan_dir, theme):
        diagnostics.error("theme-link", Location(shown_path(str(link))), msg("theme-link"), msg("theme-link.hint"))


def guarded_loader(search_path: list[str]) -> Any:
    """Jinja's file-system loader, refusing a template reached through a symbolic link below its theme's
    `templates/` folder (or that folder itself being one)."""
    import jinja2

    class Loader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            for base in self.searchpath:
                if os.path.commonpath([os.path.abspath(filename), os.path.abspath(base)]) != os.path.abspath(base):
                    continue
                current = Path(filename)
                while True:
                    if current.is_symlink():
                        raise ThemeLinkError(filename, str(current))
                    if current == Path(base).parent or current.parent == current:
                        break
                    current = current.parent
                break
            return source, filename, uptodate

    return Loader(search_path)
