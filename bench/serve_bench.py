"""How fast `strategy serve` shows a save: rebuild after a one-file edit, and save → `reload` event.

    python bench/serve_bench.py                     # the big synthetic plan (250 objectives × 4 KPIs × 36 months)
    python bench/serve_bench.py --objectives 10     # a small one

Times are medians; CPU is the rebuilding thread's own time, which other work on the machine does not inflate.
First `check` alone, in this process: the first check of the plan, then a check after each kind of one-file
edit (the parse cache of generator/cache/parsed_files.py then reads only the edited file). Then
it writes a synthetic plan (bench/synth.py) to a temporary folder, starts the preview on a free port, opens the
event stream as a page would, then saves one file at a time and times, for each save: the rebuild (check, then
re-render of what changed) as the server measured it, and the wall time from the file write to the `reload`
event reaching the client (watcher latency + rebuild + event). The browser's page reload comes on top
(tests/browser/test_serve_browser.py measures the whole save → page shows the edit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import Size, write_plan
from generator.serve.server import Server

TODAY = dt.date(2026, 6, 30)


class Stream:
    """The `reload` events of the preview, each with the time it arrived."""

    def __init__(self, port: int, build: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.connection.request("GET", f"/__strategy__/events?build={build}")
        self.response = self.connection.getresponse()
        self.arrived: list[tuple[str, float]] = []
        self.event = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.response:
            line = raw.decode().strip()
            if line.startswith("event: "):
                self.arrived.append((line[7:], time.perf_counter()))
                self.event.set()

    def wait(self, count: int, timeout: float = 600) -> tuple[str, float]:
        deadline = time.monotonic() + timeout
        while len(self.arrived) < count:
            self.event.wait(max(0.0, deadline - time.monotonic()))
            self.event.clear()
            if time.monotonic() > deadline:
                raise SystemExit("no event from the preview within the timeout")
        return self.arrived[count - 1]


def edits(plan: Path) -> list[tuple[str, Path, str, str]]:
    """(what, file, old, new): one-file edits a writer makes, each undone by the next round's opposite; a
    measurement is given a value never seen before in each round instead (`_fresh`), so each round draws its
    charts anew rather than finding the drawings of two rounds before."""
    objective = plan / "objectives" / "objectif-007.md"
    csv = plan / "data" / "objectif-007-kpi-0.csv"
    # the last measurement the charts show (before TODAY's month): a later one is not drawn, so its edit
    # would leave the charts as they were and measure no drawing
    rows = csv.read_text(encoding="utf-8").splitlines()[1:]
    last = ([row for row in rows if row < f"{TODAY:%Y-%m}"] or rows)[-1]
    date, value = last.split(",")
    return [
        ("objective text", objective, "**il sert** la stratégie.", "**il sert** la stratégie, et vite."),
        ("objective title", objective, "title: Objectif 7\n", "title: Objectif sept\n"),
        ("KPI measurement (CSV)", csv, last, f"{date},{float(value) * 1.5:.1f}"),
    ]


RUN = random.randint(1, 9999) / 10  # added to each measurement made: no earlier run drew the same charts


def _fresh(old: str, new: str, round_: int) -> tuple[str, str]:
    """The CSV line before and after the edit of `round_`: the measurement of `old` × 1.5, then × 1.6, ...,
    plus this run's RUN (the drawings store outlives a run: without it, a second run would find them drawn)."""
    date, value = old.split(",")
    line = [f"{date},{float(value) * (1.5 + i / 10) + RUN:.1f}" for i in range(round_ + 1)]
    return line[round_ - 1] if round_ else old, line[round_]


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:5.0f} ms"


def check_alone(plan: Path, rounds: int) -> None:
    """`check` of the whole plan as `strategy check` runs it, first with nothing cached, then after each edit."""
    from generator.cache.parsed_files import CACHE
    from generator.pipeline import check
    from generator.read.source import DirectorySource

    def timed() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.thread_time()
        checked = check(DirectorySource(plan), TODAY)
        assert checked.ok, checked.diagnostics.errors[:3]
        return time.perf_counter() - wall, time.thread_time() - cpu

    firsts = []
    for _ in range(rounds):
        CACHE.clear()
        firsts.append(timed())
    print(f"check alone: first check {min(w for w, _ in firsts) * 1000:5.0f} ms wall, "
          f"{min(c for _, c in firsts) * 1000:5.0f} ms CPU (best of {rounds})")
    for what, path, old, new in edits(plan):
        runs = []
        for round_ in range(rounds):
            a, b = (old, new) if round_ % 2 == 0 else (new, old)
            path.write_text(path.read_text(encoding="utf-8").replace(a, b, 1), encoding="utf-8")
            runs.append(timed())
        if rounds % 2:  # leave the plan as written
            path.write_text(path.read_text(encoding="utf-8").replace(new, old, 1), encoding="utf-8")
        print(f"  after an edit of the {what:22s} {min(w for w, _ in runs) * 1000:5.0f} ms wall, "
              f"{min(c for _, c in runs) * 1000:5.0f} ms CPU (best of {rounds})")
    CACHE.clear()  # the preview below starts as `strategy serve` does, with nothing cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=250)
    parser.add_argument("--kpis", type=int, default=4)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--rounds", type=int, default=3, help="saves of each edit (alternately made and undone)")
    parser.add_argument("--no-check-alone", action="store_true", help="time the preview's rebuilds only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        plan = write_plan(Path(tmp) / "content", Size(objectives=args.objectives, kpis=args.kpis,
                                                     months=args.months))
        if not args.no_check_alone:
            check_alone(plan, max(args.rounds, 3))
        log: list[str] = []
        server = Server(plan, "127.0.0.1", 0, today=TODAY, log=lambda text, err: log.append(text))
        started = time.perf_counter()
        server.start()
        first = time.perf_counter() - started
        assert server.snapshot is not None and server.last is not None and server.last.ok, log
        pages = sum(1 for p in server.snapshot.files if p.endswith(".html"))
        print(f"plan: {args.objectives} objectives × {args.kpis} KPIs × {args.months} months "
              f"({pages} pages); first build {first:.2f} s")
        stream = Stream(server.port, server.snapshot.token)
        seen = 0
        time.sleep(0.5)  # the watcher is up
        try:
            for what, path, old, new in edits(plan):
                rebuilds, cpu, check, to_event, rendered = [], [], [], [], []
                for round_ in range(args.rounds):
                    a, b = (old, new) if round_ % 2 == 0 else (new, old)
                    if path.suffix == ".csv":
                        a, b = _fresh(old, new, round_)
                    text = path.read_text(encoding="utf-8")
                    assert a in text, (what, a)
                    saved = time.perf_counter()
                    path.write_text(text.replace(a, b, 1), encoding="utf-8")
                    seen += 1
                    name, arrived = stream.wait(seen)
                    assert name == "reload", (what, name, log[-3:])
                    outcome = server.last
                    assert outcome is not None
                    rebuilds.append(outcome.seconds)
                    cpu.append(outcome.cpu_seconds)
                    check.append(outcome.check_cpu_seconds)
                    rendered.append(outcome.pages_rendered)
                    to_event.append(arrived - saved)
                    time.sleep(0.3)
                print(f"{what:22s} rebuild {ms(rebuilds)} wall (best {min(rebuilds) * 1000:.0f} ms), {ms(cpu)} CPU "
                      f"(check {ms(check)} CPU, {statistics.median(rendered):.0f} pages rendered) · "
                      f"save → reload event {ms(to_event)} "
                      f"(median of {args.rounds})")
        finally:
            server.close()


if __name__ == "__main__":
    main()
