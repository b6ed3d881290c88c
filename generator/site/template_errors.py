"""A failure while rendering a theme's templates (the site's, the board pack's), said in the plan's words:
the template and line it happened at, what is wrong and what to write instead. Jinja words its errors in
English; the common slips (an unclosed `{% if %}`, the end tag of another block, an unknown tag) are read
into the one table's `template.` messages, anything else keeps Jinja's detail inside a sentence of ours.
"""

from __future__ import annotations

import re

from ..plan.diagnostics import Location, shown_path
from ..plan.messages import Msg, msg
from .theme_guard import ThemeLinkError


def template_failure(exc: Exception) -> tuple[Msg, Msg]:
    """(what, hint) of a failure while rendering the theme: Jinja's English read into the plan's words where
    it is one of the common slips (an unclosed `{% if %}`, an end tag of another block, an unknown tag)."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        detail = exc.message or ""
        innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", detail)
        expected = re.search(r"looking for the following tags: .*?'(end\w+)'", detail)
        end = expected.group(1) if expected else f"end{innermost.group(1)}" if innermost else ""
        unknown = re.match(r"Encountered unknown tag '(\w+)'", detail)
        if innermost and detail.startswith("Unexpected end of template"):
            values = {"block": innermost.group(1), "end": end}
            return msg("template.unclosed", **values), msg("template.unclosed.hint", **values)
        if innermost and unknown and unknown.group(1).startswith(("end", "else", "elif")):
            values = {"tag": unknown.group(1), "block": innermost.group(1), "end": end}
            return msg("template.wrong-end", **values), msg("template.wrong-end.hint", **values)
        if unknown:
            return msg("template.unknown-tag", tag=unknown.group(1)), msg("template.unknown-tag.hint")
        return msg("template.syntax", detail=detail), msg("template.syntax.hint")
    if isinstance(exc, jinja2.TemplateNotFound):
        return _missing_template(exc)
    if isinstance(exc, ThemeLinkError):
        values = {"file": shown_path(exc.template), "link": shown_path(exc.link)}
        return msg("template.link", **values), msg("template.link.hint", **values)
    if isinstance(exc, jinja2.UndefinedError):
        return msg("template.undefined", detail=str(exc.message)), msg("template.undefined.hint")
    return msg("template.other", error=f"{type(exc).__name__}: {exc}"), msg("template.other.hint")


def is_template_error(exc: BaseException) -> bool:
    """Whether `exc` is a theme template's failure; Jinja's missing template is also an OSError, which must
    not be read as the output folder being unwritable."""
    import jinja2

    return isinstance(exc, jinja2.TemplateError)


def _missing_template(exc: Exception) -> tuple[Msg, Msg]:
    """A template the theme asks for (`{% include %}`, `{% extends %}`, `{% import %}`) and does not have:
    the name asked for and the file to create, or, for a name reaching outside the theme's templates
    (`../…`, an absolute path), that a template may only use the theme's own templates."""
    import jinja2

    name = str(exc.name) if isinstance(exc, jinja2.TemplateNotFound) else ""
    return missing_template(name, failure_place(exc))


def missing_template(name: str, place: Location | None) -> tuple[Msg, Msg]:
    """(what, hint) of the template `name` that the template at `place` asks for and no theme has."""
    folder = _templates_folder(place.file) if place is not None else "themes/…/templates"
    if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or re.match(r"^[A-Za-z]:", name):
        return msg("template.outside", name=name, folder=folder), msg("template.outside.hint", folder=folder)
    if place is None:  # the page template itself is missing: no theme file asked for it
        return msg("template.not-found", name=name), msg("template.not-found.hint")
    return (msg("template.missing", name=name, folder=folder),
            msg("template.missing.hint", name=name, folder=folder))


def _templates_folder(template_file: str) -> str:
    """The theme's templates folder holding `template_file` (`themes/NAME/templates`, or `themes/NAME/pack`
    for the board pack's), as the user sees it: where an included name is looked up."""
    parts = template_file.replace("\\", "/").split("/")
    if "themes" in parts:
        at = len(parts) - 1 - parts[::-1].index("themes")
        if at + 2 < len(parts) - 1:
            return "/".join(parts[:at + 3])
    return "/".join(parts[:-1]) or "."


def failure_place(exc: BaseException) -> Location | None:
    """The theme template and line a build failed at (Jinja puts the template's lines in the traceback);
    None for a failure that is in no file of the plan or its theme (an unusable OUTPUT, pagefind)."""
    import traceback

    import jinja2

    if isinstance(exc, ThemeLinkError):  # at the link itself: the file to replace
        return Location(shown_path(exc.link))
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Location(shown_path(exc.filename), exc.lineno or 1)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".jinja", ".j2")):
            return Location(shown_path(frame.filename), frame.lineno or 1)
    return None
