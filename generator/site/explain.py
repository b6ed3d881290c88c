"""What the computed numbers mean, in the plan's language: a funnel's projection at the due date and its
diagnosis (which rate limits it, which volume is behind), shared by the funnel page, the dashboard and
`strategy funnel`; and which rule gave a KPI its status."""

from __future__ import annotations

from typing import Any

from ..plan.compute import FunnelState, KpiState, StageState
from ..plan.i18n import Formatter

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "projection": "≈ {value} {unit} sur {goal} au {due}, au rythme moyen depuis le {start}",
        "bottleneck": "Goulot d'étranglement : « {stage} » convertit {observed} de « {previous} », pour {planned} "
                      "prévus ({ratio} du taux prévu).",
        "shortfall": "Retard en volume : « {stage} » en est à {actual} pour {to_date} attendus à ce jour "
                     "({need} d'ici le {due}).",
        "volume_limits": "Aucune étape ne convertit sous {tolerance} de son taux prévu : le retard vient du "
                         "volume de « {stage} » ({actual} pour {to_date} attendus à ce jour, {need} d'ici le {due}).",
        "on_pace": "Aucun goulot : chaque étape convertit à au moins {tolerance} de son taux prévu et chaque "
                   "volume suivi atteint son besoin à ce jour.",
        "volumes_ok": "Aucun retard : chaque volume suivi atteint son besoin à ce jour. Reliez deux étapes "
                      "consécutives à un indicateur pour observer leur taux de conversion.",
        "no_measurement": "Pas encore de mesure : les indicateurs des étapes n'ont aucune donnée depuis le début "
                          "de la période.",
        "no_data": "Pas encore de mesure : reliez chaque étape à un indicateur pour suivre le réel.",
        "not_started": "La période n'a pas commencé : rien n'est encore attendu.",
        "target-reached": "Atteint : la dernière mesure ({actual}) atteint la cible ({target}).",
        "on-path": "En bonne voie : la dernière mesure ({actual}) est au niveau attendu au {when} ({expected}) "
                   "ou mieux.",
        "near-path": "À risque : sous le niveau attendu au {when} ({expected}), mais l'avancement ({progress}) "
                     "atteint au moins {tolerance} de l'avancement attendu ({expected_progress}).",
        "forecast-reaches-target": "À risque plutôt qu'en retard : loin du niveau attendu au {when} "
                                   "({expected}), mais la prévision à l'échéance ({forecast}) atteint la cible "
                                   "({target}).",
        "behind-path": "En retard : l'avancement ({progress}) est sous {tolerance} de l'avancement attendu "
                       "({expected_progress}){forecast_clause}.",
        "forecast_misses": ", et la prévision à l'échéance ({forecast}) n'atteint pas la cible ({target})",
        "no-data": "Sans données : aucune mesure à ce jour.",
    },
    "en": {
        "projection": "≈ {value} {unit} of {goal} by {due}, at the average pace since {start}",
        "bottleneck": "Bottleneck: “{stage}” converts {observed} of “{previous}”, against {planned} planned "
                      "({ratio} of the planned rate).",
        "shortfall": "Volume behind: “{stage}” stands at {actual} against {to_date} expected by now "
                     "({need} by {due}).",
        "volume_limits": "No stage converts below {tolerance} of its planned rate: the shortfall comes from the "
                         "volume of “{stage}” ({actual} against {to_date} expected by now, {need} by {due}).",
        "on_pace": "No bottleneck: every stage converts at least {tolerance} of its planned rate and every "
                   "measured volume meets its need to date.",
        "volumes_ok": "Nothing behind: every measured volume meets its need to date. Link two consecutive "
                      "stages to a KPI to observe their conversion rate.",
        "no_measurement": "No measurement yet: the stages' KPIs have no data since the period start.",
        "no_data": "No measurement yet: link each stage to a KPI to follow the actual volumes.",
        "not_started": "The period has not started: nothing is expected yet.",
        "target-reached": "Achieved: the latest measurement ({actual}) reaches the target ({target}).",
        "on-path": "On track: the latest measurement ({actual}) is at or beyond the value expected on "
                   "{when} ({expected}).",
        "near-path": "At risk: below the value expected on {when} ({expected}), but its progress ({progress}) is "
                     "at least {tolerance} of the expected progress ({expected_progress}).",
        "forecast-reaches-target": "At risk rather than off track: well below the value expected on {when} "
                                   "({expected}), but the forecast at the due date ({forecast}) reaches the "
                                   "target ({target}).",
        "behind-path": "Off track: its progress ({progress}) is below {tolerance} of the expected progress "
                       "({expected_progress}){forecast_clause}.",
        "forecast_misses": ", and the forecast at the due date ({forecast}) misses the target ({target})",
        "no-data": "No data: no measurement yet.",
    },
}


def _w(fmt: Formatter, key: str, **values: object) -> str:
    return WORDS.get(fmt.language, WORDS["en"])[key].format(**values)


def projection_text(fs: FunnelState, fmt: Formatter) -> str | None:
    """"≈ 3,3 clients signés sur 5 au 31 déc. 2026": the last stage at the due date, at the current pace."""
    if fs.projection is None:
        return None
    last = fs.stages[-1].stage
    return _w(fmt, "projection", value=fmt.number(fs.projection, 1), unit=fmt.unit(round(fs.projection, 1), last.title),
              goal=fmt.number(fs.funnel.goal), due=fmt.date(fs.due), start=fmt.date(fs.start))


def _stage(fs: FunnelState, stage_id: str | None) -> tuple[int, StageState] | None:
    return next(((i, st) for i, st in enumerate(fs.stages) if st.stage.id == stage_id), None)


def diagnosis(fs: FunnelState, fmt: Formatter) -> list[str]:
    """What limits the funnel: the rate bottleneck and the volume furthest behind its need to date. Never
    "no bottleneck" while the last stage is behind."""
    tolerance = fmt.percent(fs.tolerance)
    measured = [st for st in fs.stages if st.actual is not None]
    if not measured:
        linked = any(st.stage.kpi for st in fs.stages)
        return [_w(fmt, "no_measurement" if linked else "no_data")]
    if fs.elapsed <= 0:
        return [_w(fmt, "not_started")]
    out = []
    found = _stage(fs, fs.bottleneck)
    if found is not None:
        i, st = found
        assert st.stage.rate is not None
        out.append(_w(fmt, "bottleneck", stage=st.stage.title, previous=fs.stages[i - 1].stage.title,
                      observed=fmt.rate(st.observed_rate), planned=fmt.rate(float(st.stage.rate)),
                      ratio=fmt.percent(st.ratio)))
    behind = _stage(fs, fs.shortfall)
    if behind is not None:
        _, st = behind
        # every rate within tolerance: the shortfall starts at the top-most stage behind its need to date
        top = st if found is not None else next(s for s in fs.stages if s.pace is not None and s.pace < 1)
        if top is not st:
            out.append(_w(fmt, "shortfall", stage=st.stage.title, actual=fmt.volume(st.actual),
                          to_date=fmt.volume(st.need_to_date), need=fmt.volume(float(st.need)),
                          due=fmt.date(fs.due)))
        out.append(_w(fmt, "shortfall" if found is not None else "volume_limits", tolerance=tolerance,
                      stage=top.stage.title, actual=fmt.volume(top.actual), to_date=fmt.volume(top.need_to_date),
                      need=fmt.volume(float(top.need)), due=fmt.date(fs.due)))
    if not out:
        rates_seen = any(st.ratio is not None for st in fs.stages)
        out.append(_w(fmt, "on_pace" if rates_seen else "volumes_ok", tolerance=tolerance))
    return out


def facts(fs: FunnelState, fmt: Formatter) -> dict[str, Any]:
    """What a page says of a funnel in words: its unit (the last stage), projection and diagnosis."""
    last = fs.stages[-1].stage.title
    return {"unit": fmt.unit(fs.funnel.goal, last), "one_unit": fmt.unit(1, last),
            "projection": projection_text(fs, fmt), "diagnosis": diagnosis(fs, fmt)}


def status_rule(ks: KpiState, fmt: Formatter, at_risk: float) -> str:
    """Which rule gave the KPI its status, with the numbers it compared."""
    def value(v: float | None) -> str:
        return fmt.measure(v, ks.kpi.unit, exact=False)  # money where the unit is a currency: "$10,417,300"

    values = {"actual": value(ks.actual), "target": value(ks.kpi.target), "expected": value(ks.expected),
              "forecast": value(ks.forecast), "progress": fmt.percent(ks.progress),
              "expected_progress": fmt.percent(ks.expected_progress), "tolerance": fmt.percent(at_risk),
              "when": fmt.date(ks.expected_date)}
    clause = _w(fmt, "forecast_misses", **values) if ks.forecast is not None else ""
    return _w(fmt, ks.rule, forecast_clause=clause, **values)
