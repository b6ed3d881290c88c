"""Synthetic plans of a given size, for the benchmarks.

`write_plan(folder, objectives=250, kpis=4, months=36, ...)` writes a valid plan (no errors) whose
shape follows a real one: objectives with KPIs and monthly CSV data, funnels, personas,
experiences and solutions. The same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

DEPARTMENTS = ["Direction", "Marketing", "Ventes", "IT", "R&D", "RH", "Finance", "Support"]


@dataclass(frozen=True)
class Size:
    objectives: int = 250
    kpis: int = 4
    months: int = 36
    funnels: int = 5
    personas: int = 10
    solutions: int = 20
    experiences: int = 10

    @classmethod
    def small(cls) -> Size:
        return cls(objectives=10, kpis=2, months=12, funnels=1, personas=2, solutions=3, experiences=2)


def _month(start_year: int, i: int) -> str:
    return f"{start_year + i // 12:04d}-{i % 12 + 1:02d}"


def write_plan(folder: Path, size: Size, *, seed: int = 7, start_year: int = 2024) -> Path:
    """Write a plan into `folder` (created) and return it."""
    rnd = random.Random(seed)
    end_year = start_year + max(1, (size.months + 11) // 12) - 1
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for sub in ("objectives", "funnels", "personas", "experiences", "solutions", "pages"):
        (folder / sub).mkdir(exist_ok=True)
    (folder / "strategy.yaml").write_text(
        "title: Plan synthétique\norganization: Groupe Exemple\nlanguage: fr\n"
        f"period:\n  start: {start_year}-01-01\n  end: {end_year}-12-31\n"
        "sector: Industrie\nvision: |\n  Un plan de taille réelle pour mesurer le générateur.\n"
        f"rules:\n  max_objectives: {size.objectives}\n  max_kpis_per_objective: {max(3, size.kpis)}\n"
        "  budget_share: 1\n",
        encoding="utf-8",
    )
    personas = [f"persona-{i:03d}" for i in range(size.personas)]
    for pid in personas:
        (folder / "personas" / f"{pid}.md").write_text(
            f"---\nname: Persona {pid[-3:]}\nrole: Responsable achats\n"
            "goals: [Réduire les arrêts, Gagner du temps]\npains: [Trop de fournisseurs]\n"
            "channels: [LinkedIn, Salons]\n---\nUne persona construite à partir d'entretiens.\n",
            encoding="utf-8",
        )
    objective_ids = [f"objectif-{i:03d}" for i in range(size.objectives)]
    kpi_ids: list[str] = []
    for n, oid in enumerate(objective_ids):
        parent = f"parent: {objective_ids[n // 5 * 5]}\n" if n % 5 else ""
        lines = [
            "---", f"title: Objectif {n}", f"level: {'enterprise' if n % 5 == 0 else 'marketing'}",
            f"department: {DEPARTMENTS[n % len(DEPARTMENTS)]}", parent.rstrip(), "owner: Équipe",
            f"due: {end_year}-12-31", f"personas: [{personas[n % len(personas)]}]" if personas else "",
            "kpis:",
        ]
        for k in range(size.kpis):
            kid = f"{oid}-kpi-{k}"
            kpi_ids.append(kid)
            baseline = rnd.randint(10, 100)
            down = k % 4 == 3
            target = baseline * (0.6 if down else 1.8)
            lines += [f"  - id: {kid}", f"    title: Indicateur {n}.{k}", "    unit: leads",
                      f"    baseline: {baseline}", f"    target: {target:.1f}"]
            if down:
                lines.append("    direction: down")
            value = float(baseline)
            rows = ["date,value"]
            for m in range(size.months):
                value += (target - baseline) / size.months * rnd.uniform(0.5, 1.4)
                rows.append(f"{_month(start_year, m)},{value:.1f}")
            (folder / "data" / f"{kid}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        lines += ["actions:", "  - title: Lancer la campagne", "    status: doing", f"    due: {end_year}-06-30",
                  "  - title: Mesurer et ajuster", "    status: planned", "---",
                  f"Pourquoi l'objectif {n} compte : **il sert** la stratégie.", ""]
        (folder / "objectives" / f"{oid}.md").write_text("\n".join(x for x in lines if x != "") + "\n",
                                                        encoding="utf-8")
    funnels = [f"tunnel-{i:02d}" for i in range(size.funnels)]
    for i, fid in enumerate(funnels):
        (folder / "funnels" / f"{fid}.yaml").write_text(
            f"title: Tunnel {i}\ngoal: {5 + i}\nstages:\n"
            "  - {id: prospects, title: Prospects, cost: 12}\n"
            "  - {id: rendez-vous, title: Rendez-vous, rate: \"1/50\", cost: 150}\n"
            "  - {id: clients, title: Clients, rate: \"1/5\", cost: 800}\n",
            encoding="utf-8",
        )
    experiences = [f"experience-{i:02d}" for i in range(size.experiences)]
    for i, eid in enumerate(experiences):
        funnel = f"funnel: {funnels[i % len(funnels)]}\nstage: rendez-vous\n" if funnels else ""
        (folder / "experiences" / f"{eid}.md").write_text(
            f"---\ntitle: Expérience {i}\npersonas: [{personas[i % len(personas)]}]\n{funnel}"
            "channel: Web\nmoments: [Je cherche une solution]\n---\nUn webinaire.\n",
            encoding="utf-8",
        )
    for i in range(size.solutions):
        (folder / "solutions" / f"solution-{i:02d}.md").write_text(
            f"---\ntitle: Solution {i}\ncategory: saas\ncost: {{amount: {100 + 10 * i}, per: month}}\n"
            f"objectives: [{objective_ids[i % len(objective_ids)]}]\n---\nUn outil.\n",
            encoding="utf-8",
        )
    (folder / "pages" / "contexte.md").write_text("---\ntitle: Contexte\norder: 1\n---\n# Contexte\n\nTexte.\n",
                                                   encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--objectives", type=int, default=250)
    parser.add_argument("--kpis", type=int, default=4)
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    write_plan(args.folder, Size(objectives=args.objectives, kpis=args.kpis, months=args.months))


if __name__ == "__main__":
    main()
