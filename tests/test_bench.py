"""The benchmark of docs/performance.md runs, at a small size: anyone can rerun it and get every figure.

No timing is asserted (figures depend on the machine); only that each one is produced.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_small_bench_produces_every_figure_and_verdict(tmp_path: Path) -> None:
    """`python bench/run.py --size small` times check, builds (what drawing the charts costs included), a save
    in serve, --all-versions and the example plan, Hugo alone and Hugo + pagefind, writes its figures as JSON
    and its table into a document between the markers."""
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nBy hand.\n\n<!-- bench:begin -->\nSTALE FIGURES\n<!-- bench:end -->\n\nAfter.\n",
                   encoding="utf-8")
    figures_file = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--size", "small", "--out", str(figures_file),
         "--update-doc", str(doc), "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(figures_file.read_text(encoding="utf-8"))
    figures = result["figures"]
    for key in ("check_s", "cold_s", "cold_cpu_s", "cold_unkept_s", "first_s", "rebuild_s", "versions_s",
                "versions_next_s", "versions_tag_s", "example_cold_s", "cold_peak_mb", "versions_vs_cold",
                "versions_next_vs_cold", "peak_mb"):
        assert isinstance(figures.get(key), int | float) and figures[key] > 0, key
    assert figures["pages"] > 20 and figures["charts"] > 20
    # the cost of drawing the charts' SVGs, on a first-ever build and read back on a warm one
    assert figures["drawings"] >= 2 * figures["charts"] - 10 and figures["first_draw_s"] >= 0
    assert figures["warm_draw_s"] > 0 and figures["first_cpu_s"] > 0 and figures["drawing_cpu_ms"] >= 0
    assert result["size"]["objectives"] == 10 and result["versions"] == 3
    assert [b["figure"] for b in result["budgets"]] == ["cold_vs_hugo", "rebuild_s", "versions_next_vs_cold",
                                                        "peak_mb", "example_cold_s"]
    assert "gardées d'une construction précédente" in figures["versions_next_summary"]  # the bench plan is French
    assert all(b["verdict"] in {"PASS", "FAIL", "(full size only)", "not measured"} for b in result["budgets"])

    # the reference tools: measured when installed, else skipped with the reason and how to install them
    if shutil.which("hugo"):
        assert figures["hugo_s"] > 0 and figures["cold_vs_hugo"] > 0
        # Hugo with the search index our build includes (pagefind over its pages): beside it, for information,
        # the budget still read against Hugo alone
        assert figures["hugo_pagefind_s"] > 0 and figures["hugo_pagefind_cpu_s"] > 0
        assert figures["cold_vs_hugo_pagefind"] > 0
        table = doc.read_text(encoding="utf-8")
        assert "| hugo + pagefind on Hugo's pages (the search index our build includes) |" in table
        assert "| for information, no budget: cold build ÷ (Hugo + pagefind" in table
    else:
        print("no hugo on this machine: the bench skipped it, saying", done.stderr.strip().splitlines()[-1:])
        assert "apt-get install -y hugo" in done.stderr
    if importlib.util.find_spec("mkdocs"):
        assert figures["mkdocs_s"] > 0
    else:
        assert "pip install -e '.[bench]'" in done.stderr

    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nBy hand.\n") and text.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert "STALE FIGURES" not in text
    assert "| strategy build, cold |" in text and "| example plan cold build ≤ 1 s |" in text
