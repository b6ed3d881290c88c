"""`strategy check` on the plan's own theme: a template that includes, extends or imports a template that
neither the theme nor the default theme has, or that Jinja cannot parse, is the error the build would stop
on (`template.missing`, template_errors' words), found by parsing the theme's templates, never rendering.
"""

from __future__ import annotations

from pathlib import Path

from ..plan.diagnostics import Diagnostics, Location, shown_path
from .render import environment, theme_dirs
from .template_errors import missing_template, template_failure

TEMPLATE_SUFFIXES = (".html", ".jinja", ".j2")


def check_theme_templates(plan_dir: Path, theme: str, diagnostics: Diagnostics) -> None:
    """One `theme-template` error per missing template a theme template names (at its tag), or per template
    that does not parse; nothing when the plan uses the default theme only."""
    import jinja2
    from jinja2 import nodes

    dirs = theme_dirs(plan_dir, theme)
    if len(dirs) == 1:  # no theme of its own (or one reached through a link: theme_guard says so)
        return
    folder = dirs[0] / "templates"
    if not folder.is_dir():
        return
    known = {p.relative_to(d / "templates").as_posix() for d in dirs if (d / "templates").is_dir()
             for p in (d / "templates").rglob("*") if p.is_file()}
    env = environment(tuple(dirs))  # the site's: its templates parse as they render
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or not path.name.endswith(TEMPLATE_SUFFIXES):
            continue
        shown = shown_path(str(path))
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = env.parse(text, path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            diagnostics.error("theme-template", Location(shown, exc.lineno or 1), *template_failure(exc))
            continue
        lines = text.splitlines()
        for node in tree.find_all((nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
            asked = getattr(node, "template", None)
            if not isinstance(asked, nodes.Const) or not isinstance(asked.value, str) or asked.value in known:
                continue  # a name computed at render time is the build's to judge
            if isinstance(node, nodes.Include) and node.ignore_missing:
                continue
            line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
            column = max(line.find(asked.value), 0) + 1
            where = Location(shown, node.lineno, column)
            diagnostics.error("theme-template", where, *missing_template(asked.value, where))

