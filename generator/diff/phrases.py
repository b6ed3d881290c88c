"""The words of the diff's sentences (its summary and edited text), in the plan's language.

A summary names an entity by its title, then what moved: "Acquisition: goal 5 → 8 clients and rate
meetings → clients 20% → 25%, so prospects needed 1,250 → 1,600". Values are formatted by the caller
(`i18n.Formatter`), so a French plan reads "1 250" and "2,5 %".
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "lines_changed": "text edited (+{added} −{removed} lines)",
        "about": "{title}: {what}", "so": "{causes}, so {effect}", "and": " and ",
        # what moved, computed
        "stage_needed": "{stage} needed {old} → {new}", "budget": "budget {old} → {new}",
        "stage_steady": "{stage} needed unchanged at {value}",
        "status": "status {old} → {new}",
        # what moved, written
        "goal": "goal {change}", "rate": "rate {source} → {stage} {old} → {new}",
        "rate_added": "new stage {stage} at {new}", "rate_removed": "stage {stage} removed",
        "cost": "unit cost of {stage} {old} → {new}", "target": "target {change}",
        "baseline": "baseline {change}", "due": "due date {old} → {new}", "direction": "direction {old} → {new}",
        "measurements": "measurements {old} → {new}", "actual": "actual {change}",
        # entities added or removed
        "entity": "{kind} “{title}” {op}",
        "objective": "objective", "funnel": "funnel", "kpi": "KPI",
        "added": "added", "removed": "removed",
    },
    "fr": {
        "lines_changed": "texte modifié (+{added} −{removed} lignes)",
        "about": "{title} : {what}", "so": "{causes}, donc {effect}", "and": " et ",
        "stage_needed": "{stage} nécessaires {old} → {new}", "budget": "budget {old} → {new}",
        "stage_steady": "{stage} nécessaires inchangés à {value}",
        "status": "statut {old} → {new}",
        "goal": "but {change}", "rate": "taux {source} → {stage} {old} → {new}",
        "rate_added": "nouvelle étape {stage} à {new}", "rate_removed": "étape {stage} retirée",
        "cost": "coût unitaire des {stage} {old} → {new}", "target": "cible {change}",
        "baseline": "point de départ {change}", "due": "échéance {old} → {new}", "direction": "sens {old} → {new}",
        "measurements": "mesures {old} → {new}", "actual": "réel {change}",
        "entity": "{kind} « {title} » {op}",
        "objective": "objectif", "funnel": "entonnoir", "kpi": "indicateur",
        "added": "ajouté", "removed": "retiré",
    },
}


def phrase(language: str, key: str, **values: object) -> str:
    return PHRASES.get(language, PHRASES["en"])[key].format(**values)


def enumeration(language: str, items: list[str]) -> str:
    """"a", "a and b", "a, b and c" (French: "a, b et c")."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + phrase(language, "and") + items[-1]
