"""The one table of messages per language, assembled from its modules by area (messages.py explains the keys
and says them; this module imports nothing else, so that i18n.py can read the plan's value labels too)."""

from __future__ import annotations

from .messages_en import EN as EN_CHECK
from .messages_en_charts import EN_CHARTS
from .messages_en_commands import EN_COMMANDS
from .messages_en_read import EN_READ
from .messages_en_site import EN_SITE
from .messages_fr import FR as FR_CHECK
from .messages_fr_charts import FR_CHARTS
from .messages_fr_commands import FR_COMMANDS
from .messages_fr_read import FR_READ
from .messages_fr_site import FR_SITE

# a template is a string, or its plural forms by Babel's plural rules ("one", "other"…), chosen by `count`
Template = str | dict[str, str]

# each language's table by area, in the order they are assembled (a key belongs to one area: tested)
AREAS: dict[str, tuple[dict[str, Template], ...]] = {
    "en": (EN_CHECK, EN_SITE, EN_CHARTS, EN_READ, EN_COMMANDS),
    "fr": (FR_CHECK, FR_SITE, FR_CHARTS, FR_READ, FR_COMMANDS),
}


def guillemets_unbroken(text: str) -> str:
    """French typography's no-break space inside guillemets: "« Leads »" is written "«\u00a0Leads\u00a0»", so
    that a narrow screen never breaks a line after « or before » (the tables are written with plain spaces)."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def _unbroken(template: Template) -> Template:
    if isinstance(template, dict):
        return {form: guillemets_unbroken(text) for form, text in template.items()}
    return guillemets_unbroken(template)


EN: dict[str, Template] = {key: text for area in AREAS["en"] for key, text in area.items()}
FR: dict[str, Template] = {key: _unbroken(text) for area in AREAS["fr"] for key, text in area.items()}
MESSAGES: dict[str, dict[str, Template]] = {"en": EN, "fr": FR}
