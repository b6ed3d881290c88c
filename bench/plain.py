"""The same pages as `strategy build`, as plain Markdown for Hugo and MkDocs: the yardstick of the benchmark.

One page per objective (its text, one table of measurements per KPI, its actions), per funnel (its stages),
persona, experience, solution and free page, plus an index per section and a home page listing every
objective. No charts: the reference tools get the text and the data tables, which is what they would
publish for the same plan. Read from the plan through our loader, so the text is the same.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<nav><a href="{{ "" | relURL }}">{{ site.Title }}</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
HUGO_SINGLE = '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n'
HUGO_LIST = ('{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>{{ range .Pages }}'
             '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _bullets(items: list[str]) -> str:
    return "".join(f"- {item}\n" for item in items)


def pages(plan_dir: Path, today: dt.date) -> dict[str, tuple[str, str]]:
    """Path (under the docs folder, `section/id.md`) → (title, Markdown body) for every page of the site."""
    from generator.pipeline import check
    from generator.read.source import DirectorySource

    checked = check(DirectorySource(plan_dir), today)
    assert checked.plan is not None and checked.state is not None, "the synthetic plan must check cleanly"
    plan, state = checked.plan, checked.state
    out: dict[str, tuple[str, str]] = {}
    home = [f"[{o.title}](objectives/{oid}.md) — {state.objectives[oid].status}"
            for oid, o in plan.objectives.items()]
    out["index.md"] = (plan.settings.title, (plan.settings.vision or "") + "\n\n" + _bullets(home))
    out["objectives/index.md"] = ("Objectifs", _bullets([f"[{o.title}]({oid}.md)"
                                                        for oid, o in plan.objectives.items()]))
    for oid, obj in plan.objectives.items():
        parts = [obj.body, f"Niveau : {obj.level} · Département : {obj.department or '–'} · Échéance : {obj.due}\n"]
        for kpi in obj.kpis:
            ks = state.kpis[kpi.id]
            parts.append(f"## {kpi.title}\n\nRéférence {kpi.baseline}, cible {kpi.target} {kpi.unit or ''}, "
                         f"statut {ks.status}.\n")
            parts.append(_table(["Date", "Valeur"], [[d.isoformat(), v] for d, v in ks.points]))
        if obj.actions:
            parts.append("## Actions\n\n" + _table(["Action", "Statut", "Échéance"],
                                                   [[a.title, a.status, a.due or "–"] for a in obj.actions]))
        out[f"objectives/{oid}.md"] = (obj.title, "\n".join(parts))
    out["funnels/index.md"] = ("Tunnels", _bullets([f"[{f.title}]({fid}.md)" for fid, f in plan.funnels.items()]))
    for fid, fs in state.funnels.items():
        rows = [[s.stage.title, s.stage.rate_written or "–", round(float(s.need), 2), s.actual or "–"]
                for s in fs.stages]
        out[f"funnels/{fid}.md"] = (fs.funnel.title, fs.funnel.body + "\n" +
                                    _table(["Étape", "Taux", "Besoin", "Réel"], rows))
    sections: list[tuple[str, str, dict[str, Any]]] = [
        ("personas", "Personas", plan.personas), ("experiences", "Expériences", plan.experiences),
        ("solutions", "Solutions", plan.solutions), ("pages", "Pages", plan.pages)]
    for folder, title, entities in sections:
        out[f"{folder}/index.md"] = (title, _bullets([f"[{getattr(e, 'title', None) or e.name}]({eid}.md)"
                                                      for eid, e in entities.items()]))
        for eid, entity in entities.items():
            facts = [f"{key} : {', '.join(value) if isinstance(value, list) else value}"
                     for key in ("role", "goals", "pains", "channels", "personas", "category", "objectives")
                     if (value := getattr(entity, key, None))]
            out[f"{folder}/{eid}.md"] = (getattr(entity, "title", None) or entity.name,
                                         _bullets(facts) + "\n" + entity.body)
    return out


def _front(title: str, body: str) -> str:
    return f"---\ntitle: \"{title}\"\n---\n\n{body}\n"


def write_hugo(site: Path, content: dict[str, tuple[str, str]], title: str) -> Path:
    """A Hugo site (config, minimal layouts, content) in `site`; `hugo -s site` builds it."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "/"\nlanguageCode = "fr"\ntitle = "{title}"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
                                    "relativeURLs = true\n", encoding="utf-8")
    layouts = site / "layouts" / "_default"
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    for rel, (page_title, body) in content.items():
        # Hugo names a section's own page _index.md and the home page content/_index.md
        target = site / "content" / (rel[: -len("index.md")] + "_index.md" if rel.endswith("index.md") else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_front(page_title, body.replace(".md)", "/)")), encoding="utf-8")
    return site


def write_mkdocs(site: Path, content: dict[str, tuple[str, str]], title: str) -> Path:
    """An MkDocs project (mkdocs.yml with the built-in theme and its search, docs/) in `site`."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(f'site_name: "{title}"\ntheme:\n  name: mkdocs\n', encoding="utf-8")
    for rel, (page_title, body) in content.items():
        target = site / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {page_title}\n\n{body}\n", encoding="utf-8")
    return site
