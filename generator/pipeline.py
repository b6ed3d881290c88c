"""The front half of every command: source → load → validate → compute.

`check` stops here, `build` renders what it returns, `diff` runs it on two sources.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass

from .cache.parsed_files import CACHE as PARSED_FILES
from .plan.compute import PlanState, compute_plan
from .plan.computed_memo import ComputedMemo
from .plan.diagnostics import Diagnostics, Location
from .plan.knock_on import drop_knock_on_warnings
from .plan.messages import msg
from .plan.model import Plan
from .plan.validate import check_references, check_rules
from .read.file_memo import FileMemo
from .read.loader import load_plan
from .read.source import Source
from .site.assets import check_assets
from .site.body_links import check_body_links


def resolve_today(today: dt.date | None = None) -> dt.date:
    """`--today` first, then SOURCE_DATE_EPOCH (reproducible builds), then the clock."""
    if today is not None:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass
class Checked:
    plan: Plan | None
    state: PlanState | None
    diagnostics: Diagnostics

    @property
    def ok(self) -> bool:
        return self.state is not None and not self.diagnostics.errors


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off meanwhile.

    A check makes tens of thousands of objects, and no reference cycle worth collecting: every 700
    allocations started a collection pass, and the older generations' passes, in a process holding a
    large site (`strategy serve`), walk that whole site. They took a third of a one-edit check there; the
    collector runs as usual once the check is done (reference counting frees memory meanwhile). `strategy serve`
    holds it off for the whole of a rebuild (serve/rebuild.py)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def check(source: Source, today: dt.date, computed: ComputedMemo | None = None,
          files: FileMemo | None = None) -> Checked:
    """Load, validate and compute. Never raises on any input: an unexpected failure becomes an
    `internal-error` diagnostic naming the plan folder. `computed`: the states of the previous check, reused
    where their inputs did not change; `files`: what was made of each file, by default the process's parse
    cache (`strategy serve` passes both: plan/computed_memo.py, serve/last_check.py)."""
    with collector_paused():
        return _check(source, today, computed, PARSED_FILES if files is None else files)


def _check(source: Source, today: dt.date, computed: ComputedMemo | None, files: FileMemo) -> Checked:
    diagnostics = Diagnostics()
    plan: Plan | None = None
    state: PlanState | None = None
    stage = "reading"
    try:
        plan = load_plan(source, diagnostics, files)  # a one-file edit parses that file only
        if plan is not None:  # even when strategy.yaml is unreadable: the other files' errors are independent
            stage = "checking"
            check_references(plan, diagnostics)
            check_assets(plan, source, diagnostics)
            check_body_links(plan, source, diagnostics)
            check_rules(plan, diagnostics, today)
            drop_knock_on_warnings(diagnostics)  # one mistake, one message
            stage = "computing"
            if not diagnostics.errors:
                state = compute_plan(plan, today, computed)
    except RecursionError:
        diagnostics.error("internal-error", Location(source.label or "."),
                          msg("internal.nested", stage=msg(f"internal.stage.{stage}")))
    except Exception as exc:  # the promise: no traceback, ever, for any input
        last = traceback.extract_tb(exc.__traceback__)[-1]
        diagnostics.error("internal-error", Location(source.label or "."),
                          msg("internal.failure", stage=msg(f"internal.stage.{stage}"),
                              error=f"{type(exc).__name__}: {exc}"),
                          msg("internal.failure.hint", where=f"{os.path.basename(last.filename)}:{last.lineno}"))
        state = None
    return Checked(plan=plan, state=state, diagnostics=diagnostics)
