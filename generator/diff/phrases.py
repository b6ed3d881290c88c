"""The words of the diff's sentences (its summary and edited text), in the plan's language: the one table's
`diff.phrase.` keys (plan/messages_en_commands.py, plan/messages_fr_commands.py).

A summary names an entity by its title, then what moved: "Acquisition: goal 5 → 8 clients and rate
meetings → clients 20% → 25%, so prospects needed 1,250 → 1,600". Values are formatted by the caller
(`i18n.Formatter`), so a French plan reads "1 250" and "2,5 %".
"""

from __future__ import annotations

from ..plan.messages import render


def phrase(language: str, key: str, **values: object) -> str:
    return render(language, f"diff.phrase.{key}", **values)


def enumeration(language: str, items: list[str]) -> str:
    """"a", "a and b", "a, b and c" (French: "a, b et c")."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + phrase(language, "and") + items[-1]
