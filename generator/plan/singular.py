"""A counted title in the singular after a count of one ("1 client fidèle après 90 jours", "1 signed client"),
and in the plural after more ("3,000 monthly donors" for a stage titled "Monthly donor": `plural_title`).

Only the words the count governs change: the title's head, up to its first complement (a preposition, a
parenthesis, a number: "après 90 jours", "(retained)", "of the month" keep their number). English inflects
the head's last plural noun alone ("Sales qualified leads" → "Sales qualified lead"); French makes every word
of the head agree ("Clients fidèles" → "client fidèle"). Words singular already though ending in "s" ("mois",
"pas", "français", "news", "process") and words too short or in capitals ("Ads", "KPIs") stay as written.
"""

from __future__ import annotations

# words that open a complement: from them on, the title keeps its own number
_COMPLEMENT_OPENERS = {
    "en": frozenset({"after", "before", "per", "of", "in", "on", "at", "by", "for", "with", "without", "from",
                     "to", "within", "over", "under", "than", "since", "during", "via", "and", "or", "vs",
                     "the", "a", "an"}),
    "fr": frozenset({"à", "a", "au", "aux", "de", "des", "du", "en", "par", "pour", "sur", "sous", "sans",
                     "avec", "après", "avant", "depuis", "pendant", "dans", "chez", "entre", "vers", "contre",
                     "selon", "via", "et", "ou", "le", "la", "les", "un", "une", "dès", "hors", "que", "qui"}),
}

# words ending in "s" that are singular too (the plural-looking suffixes are also plurals of other words:
# "emplois", "essais", "quotas", "vidéos", "leads")
_SINGULAR_ALREADY = {
    "en": frozenset({"news", "series", "species", "means", "analytics", "logistics", "ethics", "physics",
                     "economics", "headquarters", "alumni", "always", "perhaps", "whereas", "towards",
                     "afterwards", "was", "has", "does", "goes", "lens"}),
    "fr": frozenset({"mois", "fois", "bois", "pas", "cas", "bras", "repas", "bas", "gras", "tas", "matelas",
                     "temps", "printemps", "corps", "poids", "fonds", "puits", "dos", "gros", "repos", "propos",
                     "héros", "clos", "cours", "parcours", "concours", "secours", "discours", "recours",
                     "univers", "travers", "divers", "frais", "jamais", "mais", "moins", "toujours", "alors",
                     "ailleurs", "volontiers", "français", "anglais", "japonais", "irlandais",
                     "écossais", "portugais", "néerlandais", "lyonnais", "marseillais", "sénégalais", "chinois",
                     "suédois", "danois", "québécois", "gaulois", "niçois", "lillois", "bordelais", "nantais",
                     "rennais", "relais", "palais", "marais", "rabais", "biais", "avis", "colis", "devis", "permis",
                     "compris", "pris", "repris", "appris", "surpris", "mis",
                     "admis", "soumis", "promis", "remis", "commis", "transmis", "assis",
                     "tapis", "souris", "puis", "jadis", "paradis", "parvis", "précis", "gris", "acquis", "requis",
                     "plus", "virus", "bonus", "malus", "campus", "abus", "refus", "inclus", "exclus", "corpus",
                     "consensus", "processus", "terminus", "rébus", "jus", "talus", "blocus", "sinus"}),
}


def _is_numeral(word: str) -> bool:
    """"90", "1,5", "2.5": a number written in a title (the words after it are counted by it, not by the stage)."""
    return bool(word) and word[0].isdigit() and word.replace(",", "").replace(".", "").replace("\u202f", "").isdigit()


def _opens_complement(word: str, language: str) -> bool:
    lowered = word.lower()
    return (word.startswith(("(", "[", "«", "—", "-", "–")) or _is_numeral(word)
            or lowered.startswith(("d'", "d’", "l'", "l’", "qu'", "qu’"))
            or lowered in _COMPLEMENT_OPENERS.get(language, _COMPLEMENT_OPENERS["en"]))


def _looks_plural(word: str, language: str) -> bool:
    """A lower-case word ending in a plural "s" (or French "-aux"), not one singular already."""
    if word.lower() in _SINGULAR_ALREADY.get(language, frozenset()):
        return False
    if language == "fr" and word.islower() and len(word) > 4 and word.endswith("aux"):
        return True
    # English "process", "status", "analysis"; French "rendez-vous", "après", "succès" ("emplois", "revenus" are
    # plurals: the French words singular already are listed)
    invariable = ("ss", "ous", "ès") if language == "fr" else ("ss", "us", "is")
    return len(word) > 3 and word.endswith("s") and word[-2].islower() and not word.endswith(invariable)


def singular_word(word: str, language: str = "en") -> str:
    """"clients" → "client", "signés" → "signé"; in French "nouveaux" → "nouveau", "régionaux" → "régional"."""
    if not _looks_plural(word, language):
        return word
    if word.endswith(("eaux", "yaux")):  # nouveaux, bureaux, noyaux
        return word[:-1]
    if word.endswith("aux") and language == "fr":  # régionaux, locaux
        return word[:-3] + "al"
    return word[:-1]


def singular_title(title: str, language: str = "en") -> str:
    """`title` as written after a count of one: its head in the singular, its complements as written."""
    words = title.split(" ")
    head = 0
    # a first word opens a complement only as a number ("90 days"): "A/B tests", "Après-vente" are heads
    while head < len(words) and not (_opens_complement(words[head], language) if head else _is_numeral(words[0])):
        head += 1
    if language == "fr":
        inflected = [singular_word(word, language) for word in words[:head]]
    else:  # English: the head's last plural word is its noun; the words before it do not inflect
        inflected = list(words[:head])
        plural = [i for i, word in enumerate(inflected) if _looks_plural(word, language)]
        if plural:
            inflected[plural[-1]] = singular_word(inflected[plural[-1]], language)
    return " ".join(inflected + words[head:])


# English plurals not made with "s" (and nouns counted as they are)
_PLURAL_ALREADY = {"en": frozenset({"people", "children", "men", "women", "staff", "data", "media", "feet",
                                    "sheep", "fish", "aircraft"}), "fr": frozenset()}


def plural_word(word: str, language: str = "en") -> str:
    """"donor" → "donors", "enquiry" → "enquiries"; in French "signé" → "signés", "nouveau" → "nouveaux".
    A word plural already, in capitals ("KPI", "CRM") or ending in s, x or z is left as written."""
    if (len(word) < 2 or not word.islower() or not word.isalpha() or word.endswith(("s", "x", "z"))
            or word in _PLURAL_ALREADY.get(language, frozenset())):
        return word
    if language == "fr":
        if word.endswith(("eau", "au", "eu")):
            return word + "x"
        if word.endswith("al") and len(word) > 3:
            return word[:-2] + "aux"
        return word + "s"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh")):
        return word + "es"
    return word + "s"


def plural_title(title: str, language: str = "en") -> str:
    """`title` as written after a count of more than one, the mirror of `singular_title`: "Monthly donor" →
    "Monthly donors", « Client signé » → « Clients signés »; a plural title ("Website visits") is unchanged."""
    words = title.split(" ")
    head = 0
    while head < len(words) and not (_opens_complement(words[head], language) if head else _is_numeral(words[0])):
        head += 1
    if not head or any(_looks_plural(word, language) for word in words[:head]):
        return title  # plural already: "Customers retained", « Clients fidèles »
    if language == "fr":
        inflected = [plural_word(word, language) for word in words[:head]]
    else:  # English: the head's last word is its noun
        inflected = [*words[:head - 1], plural_word(words[head - 1], language)]
    return " ".join(inflected + words[head:])
