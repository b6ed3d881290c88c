"""The registry of entity kinds: each kind of file a plan holds (objectives, funnels, …) declared once, with its
folder, its name, its keys (schema.py), how its entity is made (entities.py), its pages and its schema's
title. The loader, the schema export, the site's menu, the diff and the links between versions read this
registry instead of listing the kinds themselves (issue 17, item 2); tests/test_kinds.py checks that each
kind declared here has all a kind needs elsewhere (its model, its templates, its words in both languages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import entities
from .schema import (
    EXPERIENCE_FIELDS,
    FUNNEL_FIELDS,
    OBJECTIVE_FIELDS,
    PAGE_FIELDS,
    PERSONA_FIELDS,
    SOLUTION_FIELDS,
    Checker,
    Field,
)


@dataclass(frozen=True)
class Kind:
    """One kind of entity."""

    folder: str  # its folder in the plan and in the site, and the Plan attribute holding its entities by id
    name: str  # the kind in one word, singular: the diff's kind, the JSON schema's name (`strategy schema`)
    fields: tuple[Field, ...]  # the keys a file of this kind may have (schema.py)
    make: Callable[[str, dict[str, Any], Checker, str], Any]  # (id, checked keys, checker, body) → the entity
    template: str  # the theme template of one entity's page, at FOLDER/ID.html
    schema_title: str  # the title of its JSON schema (schema_export.py)
    step: int | None = None  # its step in the site's menu (1 to 5); None: not a step
    index_template: str | None = None  # the template of its index page FOLDER/index.html, if it has one


KINDS: tuple[Kind, ...] = (
    Kind("objectives", "objective", OBJECTIVE_FIELDS, entities.objective, "objective.html",
         "An objective (objectives/ID.md front matter): step 1, objectives, KPIs and actions",
         step=1, index_template="alignment.html"),
    Kind("funnels", "funnel", FUNNEL_FIELDS, entities.funnel, "funnel.html",
         "A conversion funnel (funnels/ID.yaml): step 2, worked backwards from the goal",
         step=2, index_template="funnels.html"),
    Kind("personas", "persona", PERSONA_FIELDS, entities.persona, "persona.html",
         "A buyer persona (personas/ID.md front matter): step 3", step=3, index_template="personas.html"),
    Kind("experiences", "experience", EXPERIENCE_FIELDS, entities.experience, "experience.html",
         "An experience (experiences/ID.md front matter): step 4, where personas convert",
         step=4, index_template="experiences.html"),
    Kind("solutions", "solution", SOLUTION_FIELDS, entities.solution, "solution.html",
         "A solution (solutions/ID.md front matter): step 5, tools and services with their cost",
         step=5, index_template="solutions.html"),
    Kind("pages", "page", PAGE_FIELDS, entities.page, "page.html", "A free page (pages/ID.md front matter)"),
)

BY_FOLDER = {kind.folder: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}
