"""A persona (objective, funnel, experience) file renamed with a typo: the references to its old name are all
unknown. The reader gets one error, on the file, saying what to rename it to, not one error per reference each
suggesting to misspell it too (tester 17, defect 5)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS, codes, only

CheckPlan = Callable[..., Checked]

PERSONA = "---\nname: Cadre pressé\nrole: Cadre\n---\nQui il est.\n"


def _objective(title: str) -> str:
    return (f"---\ntitle: {title}\ndue: 2026-12-31\npersonas: [cadre-presse]\nkpis:\n"
            "  - {id: " + title.lower() + ", title: Ventes, baseline: 0, target: 5, measure: cumulative}\n"
            "---\nTexte.\n")


def _plan(persona_file: str) -> dict[str, str]:
    return {f"personas/{persona_file}": PERSONA, "objectives/ventes.md": _objective("Ventes"),
            "objectives/marge.md": _objective("Marge"), "objectives/clients.md": _objective("Clients")}


@pytest.mark.parametrize(("language", "said", "hint"), [
    ("fr", "il n'y a pas de persona `cadre-presse`, que 3 fichiers citent : l'identifiant de ce fichier, "
           "`cadre-prese`, est sans doute celui voulu",
     "renommez ce fichier en plan/personas/cadre-presse.md (un identifiant est le nom de son fichier ; "
     "plan/objectives/clients.md, plan/objectives/marge.md, plan/objectives/ventes.md le citent ainsi), "
     "ou corrigez plutôt ces 3 références"),
    ("en", "there is no persona `cadre-presse`, which 3 files refer to: this file's id `cadre-prese` is probably "
           "the one meant",
     "rename this file to plan/personas/cadre-presse.md (an id is its file's name; plan/objectives/clients.md, "
     "plan/objectives/marge.md, plan/objectives/ventes.md refer to it so), or correct those 3 references instead"),
])
def test_a_misnamed_persona_file_is_one_error_saying_to_rename_it(check_plan: CheckPlan, language: str,
                                                                  said: str, hint: str) -> None:
    """`personas/cadre-prese.md` while three objectives say `cadre-presse`: one error on the persona file,
    in the plan's language, saying to rename it; no `unknown-ref` telling to misspell the three references."""
    settings = MINIMAL_SETTINGS.replace("language: fr", f"language: {language}")
    checked = check_plan(_plan("cadre-prese.md"), settings=settings)
    assert codes(checked, "error") == ["misnamed-file"]
    error = only(checked, "misnamed-file")
    assert (error.file, error.line) == ("plan/personas/cadre-prese.md", 1)
    assert error.text(language) == said
    assert error.hint_text(language) == hint


def test_a_near_miss_file_that_is_referred_to_by_its_own_name_is_not_blamed(check_plan: CheckPlan) -> None:
    """When the near-miss file is itself referred to by its name, the references to the unknown id are the
    mistakes: one `unknown-ref` per reference, as before."""
    files = _plan("cadre-prese.md")
    files["objectives/autre.md"] = _objective("Autre").replace("cadre-presse", "cadre-prese")
    checked = check_plan(files)
    assert codes(checked, "error") == ["unknown-ref"] * 3


def test_one_unknown_reference_keeps_its_own_error_and_suggestion(check_plan: CheckPlan) -> None:
    """A single reference to an unknown id that is a near miss of a file: the reference is the likelier typo;
    its error stays on it, suggesting the file's id."""
    files = {"personas/cadre-prese.md": PERSONA, "objectives/ventes.md": _objective("Ventes")}
    error = only(check_plan(files), "unknown-ref")
    assert error.file == "plan/objectives/ventes.md"
    assert error.hint_text("en") == "did you mean `cadre-prese`?"
