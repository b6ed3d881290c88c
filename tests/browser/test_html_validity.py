"""The Nu Html Checker (vnu.jar, the W3C validator) finds no HTML error in any page of the built site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import FIGURES, BuiltSite
from tests.browser.helpers import no_problems

pytestmark = pytest.mark.browser


def test_every_page_is_valid_html(built_site: BuiltSite, java: str, vnu_jar: Path) -> None:
    """Every .html file of the site is valid HTML (browsers, screen readers and search engines read
    invalid markup each in their own way)."""
    files = [built_site.root / page for page in built_site.pages()]
    done = subprocess.run([java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    try:  # vnu writes its JSON report to stderr
        messages = json.loads(done.stderr or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not answer in JSON (exit {done.returncode}):\n{done.stdout}{done.stderr}",
                    pytrace=False)
    FIGURES["HTML files checked by vnu"] = str(len(files))
    problems = []
    for message in messages:
        where = message.get("url", "?").split(built_site.root.as_posix() + "/")[-1]
        line = message.get("lastLine", message.get("firstLine", "?"))
        extract = " ".join(message.get("extract", "").split())
        problems.append(f"{where}:{line}: {message.get('type')}: {message.get('message')}"
                        + (f"  [{extract[:120]}]" if extract else ""))
    no_problems(problems, "Nu Html Checker")
    assert done.returncode == 0, f"vnu.jar exited {done.returncode}:\n{done.stdout}{done.stderr}"
