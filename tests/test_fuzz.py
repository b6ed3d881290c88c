"""Property-based tests (issue 7): whatever text a file holds, `strategy check` answers with diagnostics
or a plan, never a crash and never an `internal-error` (which means a bug); and the funnel arithmetic
keeps its invariants.

Budgets are fixed so the run is short (about 10 s) and, under the `ci` profile (tests/conftest.py),
derandomized so that a red build is reproducible. `STRATEGY_FUZZ_EXAMPLES=N` runs each property N times
for a longer fuzzing session.
"""

from __future__ import annotations

import itertools
import math
import os
from fractions import Fraction

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import Checked, check
from generator.plan.compute import backward_needs
from generator.plan.schema import MAX_VOLUME, parse_rate
from generator.read import yamlpos
from tests.conftest import TODAY
from tests.test_check_errors import VALID_FILES, MemorySource


def fuzz(examples: int) -> settings:
    return settings(max_examples=int(os.environ.get("STRATEGY_FUZZ_EXAMPLES", examples)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# Text that looks like YAML, Markdown and CSV often enough to get past the first line: YAML's special
# characters, indentation, keys the schema knows, numbers in every YAML spelling, and some Unicode.
TOKENS = [*"-:[]{}\"'#&*!|>%,?@`~ \t\n\r.0123456789eE+/\\", "\n  ", "\n- ", "  - ", ": ", "---\n", "...",
          "title", "kpis", "id", "target", "baseline", "due", "rate", "goal", "stages", "period", "start", "end",
          "data", "cost", "amount", "per", "theme", "rules", ".nan", ".inf", "-.inf", "1e308", "2026-02-30",
          "2026-01-01", "1/0", "0x1F", "0o17", "1_000", "yes", "~", "null", "!!str", "!!python/name:os.system",
          "é", "😀", "\u2028", "\x85", "\ufeff", "\x00", "\x07", "<script>", "date,value\n", "2026-01,", "\""]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
texts = st.one_of(st.text(max_size=300), yamlish)


def assert_clean(checked: Checked) -> None:
    """The promise: diagnostics (or a plan), each at a real place in the plan, never an internal error."""
    report = "\n".join(map(str, checked.diagnostics.sorted()))
    assert "internal-error" not in {d.code for d in checked.diagnostics}, report
    for d in checked.diagnostics:
        assert d.line >= 1 and d.column >= 1, report
        assert d.file.startswith("plan/"), report
        assert d.message
    if checked.state is not None:
        assert not checked.diagnostics.errors


@fuzz(300)
@given(text=texts)
def test_any_strategy_yaml(text: str) -> None:
    """Any text as strategy.yaml gives diagnostics or a plan."""
    assert_clean(check(MemorySource({**VALID_FILES, "strategy.yaml": text}), TODAY))


@fuzz(300)
@given(text=texts, body=st.text(max_size=50))
def test_any_front_matter(text: str, body: str) -> None:
    """Any text as an objective's front matter (and any body) gives diagnostics or a plan."""
    files = {**VALID_FILES, "objectives/a.md": f"---\n{text}\n---\n{body}"}
    assert_clean(check(MemorySource(files), TODAY))


@fuzz(200)
@given(text=texts)
def test_any_yaml_entity(text: str) -> None:
    """Any text as a funnel's .yaml file gives diagnostics or a plan."""
    assert_clean(check(MemorySource({**VALID_FILES, "funnels/f.yaml": text}), TODAY))


csv_cells = st.sampled_from(["2026-01", "2026-02-15", "2026-13", "0000-01", "9999-12-31", "1", "-2.5", "1e308",
                             "nan", "inf", "", " ", "\"", "\"a,b\"", "value", "date", "1 200", "€", "1e-400"])
csv_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.lists(csv_cells, max_size=4).map(",".join), max_size=8).map("\n".join),
)


@fuzz(300)
@given(text=csv_texts)
def test_any_csv(text: str) -> None:
    """Any text as a KPI's CSV gives diagnostics or a plan with its measurements."""
    assert_clean(check(MemorySource({**VALID_FILES, "data/leads.csv": text}), TODAY))


@fuzz(200)
@given(data=st.binary(max_size=200))
def test_any_bytes(data: bytes) -> None:
    """Any bytes in any plan file (binary, not UTF-8) give diagnostics, never a crash."""

    class BytesSource(MemorySource):
        def read_bytes(self, path: str) -> bytes:
            return data if path == "objectives/a.md" else super().read_bytes(path)

    assert_clean(check(BytesSource(VALID_FILES), TODAY))


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@fuzz(800)
@given(text=texts)
def test_libyaml_and_pure_python_read_yaml_the_same(text: str) -> None:
    """The fast libyaml path gives exactly what PyYAML gives (data, every line and column, every error),
    so that a plan checks the same on a machine without libyaml."""
    fast = yamlpos.parse_yaml(text)
    yamlpos.USE_LIBYAML = False
    try:
        slow = yamlpos.parse_yaml(text)
    finally:
        yamlpos.USE_LIBYAML = True
    assert repr(fast.data) == repr(slow.data)
    assert (fast.values, fast.keys, fast.problems) == (slow.values, slow.keys, slow.problems)


# --- funnel invariants ------------------------------------------------------------------------
# (needs reach the goal minimally, and the rate forms agree: tests/test_funnel_math.py)

any_rate = st.fractions(min_value=Fraction(1, 10**4), max_value=1, max_denominator=10**4)


@fuzz(100)
@given(goal=st.integers(min_value=1, max_value=10**9), rates=st.lists(any_rate, min_size=1, max_size=6))
def test_needs_never_grow_down_the_funnel(goal: int, rates: list[Fraction]) -> None:
    """Each stage needs at least as much as the stage below it, and a whole number of units."""
    needs = backward_needs(goal, [None, *rates])
    assert all(upper >= lower for upper, lower in itertools.pairwise(needs))
    assert all(n.denominator == 1 for n in needs)


@fuzz(50)
@given(goal=st.floats(min_value=0.5, max_value=1e14), rates=st.lists(any_rate, min_size=1, max_size=8),
       cost=st.floats(min_value=0, max_value=1e14))
def test_any_funnel_check_accepts_computes_finitely(goal: float, rates: list[Fraction], cost: float) -> None:
    """A funnel either is refused at a rate (its first stage would need more than 10^18) or computes to
    finite needs and a finite budget: no overflow, whatever the goal, rates and costs."""
    goal, cost = round(goal, 3), round(cost, 3)  # written as YAML reads them: 12.5, not 1.25e+1
    stages = "".join(f"  - id: s{i}\n    title: S{i}\n" + (f'    rate: "{r}"\n' if i else "")
                     + f"    cost: {cost:.3f}\n" for i, r in enumerate([None, *rates]))
    files = {**VALID_FILES, "funnels/f.yaml": f"title: F\ngoal: {goal:.3f}\nstages:\n{stages}"}
    files["experiences/e.md"] = "---\ntitle: E\n---\n"
    checked = check(MemorySource(files), TODAY)
    assert_clean(checked)
    needs = backward_needs(goal, [None, *rates])
    if needs[0] > MAX_VOLUME:
        assert "range" in {d.code for d in checked.diagnostics.errors}
        return
    assert checked.state is not None, checked.diagnostics.sorted()
    funnel = checked.state.funnels["f"]
    assert funnel is not None
    assert all(math.isfinite(float(st_.need)) for st_ in funnel.stages)
    assert funnel.budget is not None and math.isfinite(funnel.budget)


@fuzz(200)
@given(text=st.text(max_size=60))
def test_parse_rate_is_quick_and_total(text: str) -> None:
    """Any text given as a rate is a fraction or None, never an exception (nor an endless computation)."""
    rate = parse_rate(text)
    assert rate is None or isinstance(rate, Fraction)
