"""Work done by a forked copy of the build while this process goes on: the older half of the versions, or the
writing of versions kept by an earlier build."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

from ..cache.render_memo import RenderMemo
from .outcome import Made
from .revisions import CheckedVersion

MIN_VERSIONS_TO_SHARE_OUT = 4  # fewer tagged versions are built in this process (a fork costs ~0.1 s)


class OtherProcess:
    """`work()` run in a forked copy of this process, while this one goes on; `result()` waits for what it
    returned (None when it failed). The copy inherits the checked versions and the memo, and sends back
    only its result, pickled through a temporary file."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work = work
        self._file: Any = None
        self._pid = 0

    def __enter__(self) -> OtherProcess:
        import os
        import tempfile

        self._file = tempfile.TemporaryFile()
        self._pid = os.fork()
        if self._pid == 0:  # the copy: never returns into the caller's code
            code = 1
            try:
                pickle.dump(self._work(), self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self._file.flush()
                code = 0
            finally:
                os._exit(code)
        return self

    def result(self) -> Any:
        import os

        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if status != 0:
            return None
        self._file.seek(0)
        try:
            return pickle.load(self._file)
        except Exception:
            return None

    def __exit__(self, *exc: object) -> None:
        import os
        import signal

        if self._pid:  # left early (an error here): the copy's work is not wanted
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        self._file.close()


Theirs = tuple[list["Made"], list[tuple[int, float]], tuple[int, int, int, int]]


def memo_counts(memo: RenderMemo | None) -> tuple[int, int, int, int]:
    if memo is None:
        return (0, 0, 0, 0)
    return (memo.charts_built, memo.charts_reused, memo.pages_rendered, memo.pages_reused)


def built_there(versions: list[CheckedVersion], build: Callable[..., Made], memo: RenderMemo | None) -> Theirs:
    """What the other process sends back once it has written the versions' files: their pages and charts,
    their outcomes, and what its memo counted (the files themselves are on disk, never sent back)."""
    before = memo_counts(memo)
    made = [build(g, jobs=1) for g in versions]
    counts = tuple(after - was for after, was in zip(memo_counts(memo), before, strict=True))
    return made, [(g.outcome.pages, g.outcome.seconds) for g in versions], counts  # type: ignore[return-value]


def adopt(theirs: Theirs, versions: list[CheckedVersion], memo: RenderMemo | None) -> list[Made]:
    """Take back the other process's outcomes and counts."""
    made, outcomes, counts = theirs
    for g, (pages, seconds) in zip(versions, outcomes, strict=True):
        g.outcome.pages, g.outcome.seconds = pages, seconds
    if memo is not None:
        memo.charts_built += counts[0]
        memo.charts_reused += counts[1]
        memo.pages_rendered += counts[2]
        memo.pages_reused += counts[3]
    return made
