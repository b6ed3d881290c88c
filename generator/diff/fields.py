"""A diff's fields named in words, as a board reads them, never as paths: "Besoin en visiteurs du site",
"Taux Prospects → Rendez-vous", "Coût par client signé". The words are in plan/messages_*.py (`diff.*` keys)."""

from __future__ import annotations

from ..plan.i18n import Formatter
from ..plan.messages import MESSAGES, render
from .compare import EntityChange
from .measurements import CORRECTED_PATH, is_correction, period_of

# fields of a funnel stage: stages.ID.rate, stages.ID.cost, stages.ID.title, stages.ID.kpi
_STAGE_FIELDS = ("rate", "cost", "title", "kpi")
# what a board decides (goals, targets, rates, costs, dates, entities added or removed); the rest is written
# detail, and the computed values only move with it or with the measurements
DECISION_PATHS = ("goal", "target", "baseline", "due", "direction", "cost.amount", "cost.per", "period.start",
                  "period.end", "parent", "kpis", "stages")


def is_decision(path: str) -> bool:
    """A past measurement corrected is one too: someone changed what the plan says happened."""
    return path in DECISION_PATHS or is_correction(path) \
        or (path.startswith("stages.") and path.rsplit(".", 1)[-1] in ("rate", "cost"))


def field_name(c: EntityChange, path: str, fmt: Formatter) -> str:
    """`need.prospects` → "Besoin en prospects identifiés"; an unknown path stays as written."""
    name = _name(c, path, fmt)
    return name[:1].upper() + name[1:]


def _name(c: EntityChange, path: str, fmt: Formatter) -> str:
    language = fmt.language
    if path.startswith("need."):
        stage = c.units.get(path, path[5:])
        return render(language, "diff.field.need", stage=fmt.unit(2, stage))
    if path.startswith("volume."):
        stage = c.units.get(path, path[7:])
        return render(language, "diff.field.volume", stage=fmt.unit(2, stage))
    if path.startswith("stages.") and path.rsplit(".", 1)[-1] in _STAGE_FIELDS:
        field = path.rsplit(".", 1)[-1]
        titles = c.subjects.get(path) or c.subjects.get(path.rsplit(".", 1)[0] + ".cost") or (path.split(".")[1],)
        if field == "rate" and len(titles) == 2:
            return render(language, "diff.field.rate", source=titles[0], stage=titles[1])
        return render(language, f"diff.field.stage-{field}", stage=titles[-1])
    measured = period_of(path)
    if measured is not None:  # measurement.2026-10: "Measured value, October 2026"
        return render(language, "diff.field.measurement", date=fmt.period(*measured))
    if path == CORRECTED_PATH:
        return render(language, "diff.field.measurements.corrected")
    if path == "measurements" and c.new_rows:  # the monthly update: "Measurements (3 new)"
        return render(language, "diff.field.measurements-new", count=c.new_rows)
    if path == "cost_per_unit":
        unit = c.units.get("goal")
        if unit:
            return render(language, "diff.field.cost-per", unit=fmt.unit(1, unit))
    key = f"diff.field.{path}"
    return render(language, key) if key in MESSAGES["en"] else path


def counts(summary: dict[str, int], language: str, *, entities: bool = False) -> list[str]:
    """"9 modifiés", "3 ajoutés" (Babel's plurals), in the order changed, added, removed; with `entities`, the
    first says what was counted ("9 entités modifiées"), as a sentence of the comment or the board pack does."""
    words = "diff.entities" if entities else "diff.count"
    return [render(language, f"{words}.{op}", count=summary[op]) for op in ("changed", "added", "removed")
            if summary[op]]


def kind_name(kind: str, language: str) -> str:
    return render(language, f"diff.kind.{kind}")


def said(language: str, key: str, **values: object) -> str:
    return render(language, key, **values)
