"""Hostile and broken plans (issue 7): `strategy check` exits 1 with a diagnostic at the right file and
line, never a traceback, never a hang, and writes nothing.

The committed cases live in tests/corpus/ (one plan folder each); inputs that cannot be committed sanely
(binary, not UTF-8, huge, symbolic links, very deep nesting) are generated here in tmp_path.

Already covered elsewhere, not repeated here: duplicate keys in front matter, anchors in a title
(test_loader), a strategy.yaml that is a list, binary and >5 MB pages, a Latin-1 persona, a symbolic
link from data/ (test_loader), `data:` paths leaving the plan (test_check_errors) and the unknown
`objectifs/` folder warning (test_check_warnings).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.read.source import DirectorySource

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = CORPUS.parent.parent
SETTINGS = "title: Plan hostile\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
OBJECTIVE = "---\ntitle: Croissance\ndue: 2026-12-31\nkpis:\n  - id: leads\n    title: Leads\n    target: 100\n---\n"


@dataclass(frozen=True)
class Expect:
    """The error a case must get: its code, its file (relative to the plan), and line/column when they
    are meaningful; `words` must appear in the message or the hint."""

    code: str
    file: str
    line: int | None = None
    column: int | None = None
    words: str = ""


CORPUS_CASES: dict[str, Expect] = {
    "alias-bomb": Expect("yaml-syntax", "strategy.yaml", 5, 7, "anchors"),
    "alias-in-front-matter": Expect("yaml-syntax", "objectives/croissance.md", 3, 8, "aliases"),
    "duplicate-key-in-settings": Expect("duplicate-key", "strategy.yaml", 5, 1, "first on line 1"),
    "empty-settings": Expect("required", "strategy.yaml", 1, 1, "title"),
    "empty-markdown": Expect("frontmatter-missing", "objectives/vide.md", 1, 1, "---"),
    "empty-yaml-entity": Expect("required", "funnels/vide.yaml", 1, 1, "stages"),
    "nan-target": Expect("type", "objectives/croissance.md", 7, 13, "finite"),
    "infinite-goal": Expect("type", "funnels/acquisition.yaml", 2, 7, "finite"),
    "infinite-baseline": Expect("type", "objectives/croissance.md", 8, 15, "finite"),
    "impossible-date-in-settings": Expect("bad-date", "strategy.yaml", 3, 10, "February 2026 has 28 days"),
    "negative-goal": Expect("range", "funnels/acquisition.yaml", 2, 7, "greater than 0"),
    "huge-integer": Expect("range", "objectives/croissance.md", 7, 13, "15 digits"),
    "huge-csv-value": Expect("csv-row", "data/leads.csv", 3, 9, "15 digits"),
    "rate-with-huge-exponent": Expect("bad-rate", "funnels/acquisition.yaml", 8, 11, "(0, 1]"),
    "tiny-rates": Expect("range", "funnels/acquisition.yaml", 11, 5, "10^18"),
    "file-name-not-an-id": Expect("bad-id", "objectives/Croissance CA.md", 1, 1, "rename the file"),
    "theme-path-traversal": Expect("bad-id", "strategy.yaml", 5, 8, "themes/"),
    "objective-that-is-a-list": Expect("type", "objectives/croissance.md", 2, 1, "mapping"),
    "funnel-that-is-a-list": Expect("type", "funnels/acquisition.yaml", 1, 1, "mapping"),
    "second-yaml-document": Expect("yaml-syntax", "funnels/acquisition.yaml", 3, 1, "second YAML document"),
    "python-tag-in-settings": Expect("yaml-tag", "strategy.yaml", 5, 15, "!!python/object/apply:os.system"),
}


# --- generated cases: each writes its hostile file(s) into a plan folder that has SETTINGS ----------


def _write(plan: Path, rel: str, data: bytes | str) -> None:
    path = plan / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def _deep_flow(plan: Path) -> None:
    # 100 000 levels: libyaml's own composer would crash the interpreter (segfault) on this
    _write(plan, "pages/profond.yaml", "title: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _deep_block(plan: Path) -> None:
    _write(plan, "pages/profond.yaml", "".join(" " * i + "a:\n" for i in range(2_000)))


def _deep_dashes(plan: Path) -> None:
    _write(plan, "pages/profond.yaml", "title: T\norder:\n" + "- " * 5_000 + "1\n")


def _latin1_settings(plan: Path) -> None:
    _write(plan, "strategy.yaml", SETTINGS.replace("Plan hostile", "Stratégie").encode("latin-1"))


def _latin1_csv(plan: Path) -> None:
    _write(plan, "objectives/croissance.md", OBJECTIVE)
    # 0x81 is not a character in Windows-1252 either, the encoding a non-UTF-8 CSV is read in
    _write(plan, "data/leads.csv", "date,value\n2026-01,10\n2026-02,1\xa0200\x81\n".encode("latin-1"))


def _utf16_settings(plan: Path) -> None:
    _write(plan, "strategy.yaml", SETTINGS.encode("utf-16"))


def _binary_markdown(plan: Path) -> None:
    _write(plan, "objectives/logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def _binary_csv(plan: Path) -> None:
    _write(plan, "objectives/croissance.md", OBJECTIVE)
    _write(plan, "data/leads.csv", b"date,value\n2026-01,\x00\x00\n")


def _huge_settings(plan: Path) -> None:
    _write(plan, "strategy.yaml", SETTINGS + "# " + "x" * (6 * 1024 * 1024) + "\n")


def _huge_csv(plan: Path) -> None:
    _write(plan, "objectives/croissance.md", OBJECTIVE)
    _write(plan, "data/leads.csv", "date,value\n" + "2026-01,1\n" * 3_400_000)  # 34 MB: over a data file's 32


def _settings_link_outside(plan: Path) -> None:
    (plan / "strategy.yaml").unlink()
    secret = plan.parent / "secret.yaml"
    secret.write_text(SETTINGS, encoding="utf-8")
    os.symlink(secret, plan / "strategy.yaml")


def _folder_link_outside(plan: Path) -> None:
    outside = plan.parent / "ailleurs"
    outside.mkdir()
    (outside / "espion.md").write_text("---\ntitle: Espion\n---\n", encoding="utf-8")
    os.symlink(outside, plan / "objectives", target_is_directory=True)


def _dangling_link(plan: Path) -> None:
    (plan / "pages").mkdir()
    os.symlink(plan.parent / "nulle-part.md", plan / "pages" / "fantome.md")


def _link_loop(plan: Path) -> None:
    (plan / "pages").mkdir()
    os.symlink("boucle.md", plan / "pages" / "boucle.md")  # once an internal error hiding every other diagnostic


GENERATED_CASES: dict[str, tuple[Callable[[Path], None], Expect]] = {
    "deep-flow-nesting": (_deep_flow, Expect("yaml-too-deep", "pages/profond.yaml", 1, 48, "40 levels")),
    "deep-block-nesting": (_deep_block, Expect("yaml-too-deep", "pages/profond.yaml", 42, 42, "40 levels")),
    "deep-dash-nesting": (_deep_dashes, Expect("yaml-too-deep", "pages/profond.yaml", 3, 81, "40 levels")),
    "latin1-settings": (_latin1_settings, Expect("encoding", "strategy.yaml", 1, 13, "UTF-8")),
    "latin1-csv": (_latin1_csv, Expect("encoding", "data/leads.csv", 3, 10, "UTF-8")),
    "utf16-settings": (_utf16_settings, Expect("encoding", "strategy.yaml", 1, 1, "UTF-16, not UTF-8")),
    "binary-markdown": (_binary_markdown, Expect("binary-file", "objectives/logo.md", 1, 1, "binary")),
    "binary-csv": (_binary_csv, Expect("binary-file", "data/leads.csv", 1, 1, "binary")),
    "huge-settings": (_huge_settings, Expect("file-too-large", "strategy.yaml", 1, 1, "5 MB")),
    "huge-csv": (_huge_csv, Expect("file-too-large", "data/leads.csv", 1, 1, "32 MB")),
    "settings-link-outside": (_settings_link_outside, Expect("outside-plan", "strategy.yaml", 1, 1, "copy the file")),
    "folder-link-outside": (_folder_link_outside, Expect("outside-plan", "objectives", 1, 1, "copy the file")),
    "dangling-link": (_dangling_link, Expect("outside-plan", "pages/fantome.md", 1, 1, "copy the file")),
    "link-loop": (_link_loop, Expect("link-loop", "pages/boucle.md", 1, 1, "leads back to itself")),
}


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folder` with its size and modification time, links not followed."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            st = (Path(dirpath) / name).lstat()
            found[str(Path(dirpath, name).relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return found


def run_check(cwd: Path, plan: str = "plan") -> tuple[int, dict, str]:
    """`strategy check PLAN --format json` in a subprocess, as a user or CI would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", plan, "--format", "json", "--today", "2026-11-23"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-3000:]
    return proc.returncode, json.loads(proc.stdout), output


def assert_reported(result: dict, expect: Expect, label: str = "plan") -> None:
    wanted = f"{label}/{expect.file}"
    found = [d for d in result["diagnostics"] if d["code"] == expect.code and d["file"] == wanted
             and expect.words in d["message"] + " " + (d["hint"] or "")]
    report = json.dumps(result["diagnostics"], ensure_ascii=False, indent=1)[:4000]
    assert found, f"no `{expect.code}` saying {expect.words!r} at {wanted}:\n{report}"
    d = found[0]
    assert d["severity"] == "error"
    if expect.line is not None:
        assert (d["line"], d["column"]) == (expect.line, expect.column), report
    assert d["hint"], "every hostile input gets a hint saying what to write instead"
    assert all(d["code"] != "internal-error" for d in result["diagnostics"]), report


@pytest.mark.parametrize("name", sorted(CORPUS_CASES))
def test_corpus_case_is_reported_at_its_file(name: str, tmp_path: Path) -> None:
    """Each committed hostile plan makes `strategy check` exit 1 with the expected error at the file
    (and line) to change, without a traceback, within the timeout, and without writing a file."""
    shutil.copytree(CORPUS / name, tmp_path / "plan")
    before = _tree(tmp_path)
    code, result, _ = run_check(tmp_path)
    assert code == 1
    assert_reported(result, CORPUS_CASES[name])
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("name", sorted(GENERATED_CASES))
def test_generated_case_is_reported_at_its_file(name: str, tmp_path: Path) -> None:
    """Binary, non-UTF-8, oversized, deeply nested files and symbolic links leading out of the plan make
    `strategy check` exit 1 with the expected error at that file, without a traceback or a crash, and
    without writing a file."""
    make, expect = GENERATED_CASES[name]
    if "link" in name and not hasattr(os, "symlink"):
        pytest.skip("needs symbolic links")
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "strategy.yaml").write_text(SETTINGS, encoding="utf-8")
    make(plan)
    before = _tree(tmp_path)
    code, result, _ = run_check(tmp_path)
    assert code == 1
    assert_reported(result, expect)
    assert _tree(tmp_path) == before


def test_python_tag_is_never_run(tmp_path: Path) -> None:
    """`!!python/object/apply:os.system [touch pwned]` in strategy.yaml is refused and not run."""
    shutil.copytree(CORPUS / "python-tag-in-settings", tmp_path / "plan")
    run_check(tmp_path)
    assert not any(tmp_path.rglob("pwned"))


def test_html_and_script_in_every_text_field_are_kept_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTML and <script> in titles, owners, lists and Markdown bodies are not a check error: check
    accepts them and keeps the text exactly as written (the site escapes it when it renders)."""
    monkeypatch.chdir(CORPUS)
    checked = check(DirectorySource(Path("html-everywhere")), dt.date(2026, 11, 23))
    assert checked.diagnostics.errors == [], checked.diagnostics.sorted()
    plan = checked.plan
    assert plan is not None and checked.state is not None
    script = "<script>alert(1)</script>"
    assert plan.settings.title == f"{script} Plan"
    assert plan.settings.organization == "<img src=x onerror=alert(1)>"
    assert plan.settings.positioning == "</title><script>alert(1)</script>"
    assert plan.settings.vision is not None and '<script>alert("vision")</script>' in plan.settings.vision
    objective = plan.objectives["croissance"]
    assert objective.title == f"{script} Croissance"
    assert objective.owner == '"><script>alert(1)</script>'
    assert objective.kpis[0].title == f"{script} Leads" and objective.kpis[0].unit == "<u>leads</u>"
    assert objective.actions[0].owner == "<a href=javascript:alert(1)>moi</a>"
    assert objective.body.startswith('<script>alert("corps")</script>')
    assert "[clic](javascript:alert(1))" in objective.body
    persona = plan.personas["anne"]
    assert persona.goals == [script] and persona.channels == ["</li><script>alert(1)</script>"]
    assert plan.funnels["acquisition"].stages[1].title == "<img src=x onerror=alert(1)>"
    assert plan.experiences["demo"].moments == [script]
    assert plan.solutions["crm"].department == script
    assert plan.pages["contexte"].body.startswith('<script>alert("page")</script>')
