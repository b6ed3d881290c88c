"""A failure while rendering a theme's templates (the site's, the board pack's), said in the plan's words:
the template and line it happened at, what is wrong and what to write instead. Jinja words its errors in
English; the common slips (an unclosed `{% if %}`, the end tag of another block, an unknown tag) are read
into the one table's `template.` messages, anything else keeps Jinja's detail inside a sentence of ours.
"""

from __future__ import annotations

import re

from ..plan.diagnostics import Location, shown_path
from ..plan.messages import Msg, msg


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
        return msg("template.not-found", name=str(exc.name)), msg("template.not-found.hint")
    if isinstance(exc, jinja2.UndefinedError):
        return msg("template.undefined", detail=str(exc.message)), msg("template.undefined.hint")
    return msg("template.other", error=f"{type(exc).__name__}: {exc}"), msg("template.other.hint")


def failure_place(exc: BaseException) -> Location | None:
    """The theme template and line a build failed at (Jinja puts the template's lines in the traceback);
    None for a failure that is in no file of the plan or its theme (an unusable OUTPUT, pagefind)."""
    import traceback

    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Location(shown_path(exc.filename), exc.lineno or 1)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".jinja", ".j2")):
            return Location(shown_path(frame.filename), frame.lineno or 1)
    return None
