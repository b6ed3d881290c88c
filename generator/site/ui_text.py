"""The site's own words (navigation, headings, table headers), looked up in the one table of messages under
`site.` (plan/messages_en_site.py, plan/messages_fr_site.py).

Values of the plan (statuses, levels, categories) are translated by `Formatter.label`; these are the words of
the theme. A theme may use any key; an unknown key shows as itself, so a typo is visible, not fatal.
"""

from __future__ import annotations

from ..plan.messages import EN, MESSAGES, render


def ui(language: str, key: str, **values: object) -> str:
    """The theme's word for `key` in `language` (English when missing), with `{name}` filled in."""
    full = f"site.{key}"
    if full not in EN:
        return key
    if values:
        return render(language, full, **values)
    text = MESSAGES.get(language, EN).get(full, EN[full])
    assert isinstance(text, str)  # the site's words have no plural forms
    return text
