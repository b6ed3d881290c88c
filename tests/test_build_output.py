"""`strategy build` as a user relies on it: the same sources give the same bytes, a failed build leaves the
previous site as it was, OUTPUT never swallows the plan or a foreign folder, themes override templates,
and the exit codes say what happened."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.site import render

from .conftest import EXAMPLE

TODAY = "2026-11-23"
EPOCH_OF_TODAY = "1795435200"  # 2026-11-23 12:00 UTC

CLEAN = {
    "objectives/grow.md": """\
        ---
        title: Grow
        due: 2026-12-31
        kpis:
          - {id: clients, title: Clients, baseline: 0, target: 5, measure: cumulative}
        ---
        Body.
        """,
    "data/clients.csv": "date,value\n2026-10,2\n2026-11,1\n",
}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """The command line as a user runs it; never a traceback."""
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"unexpected exception: {result.exception!r}\n{result.output}"
    assert "Traceback" not in result.output
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    """Staging or retired folders a build left beside OUTPUT."""
    return sorted(p.name for p in parent.iterdir() if ".building-" in p.name or ".previous-" in p.name)


@pytest.fixture
def plan(make_plan: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return make_plan(CLEAN)


@pytest.fixture
def built(plan: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A first, good build in tmp_path/site, and its bytes."""
    out = tmp_path / "site"
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    return out, snapshot(out)


# --- reproducible ---------------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the example plan twice with the same --today into two folders gives the same files with
    the same bytes: a published site only changes when the plan does."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in ("a", "b"):
        result = run("build", str(EXAMPLE), "-o", str(tmp_path / name), "--today", TODAY)
        assert result.exit_code == 0, result.output
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []


def test_source_date_epoch_gives_the_same_site_as_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH fixes the build date as --today does: the same bytes, and no clock in them."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run("build", str(EXAMPLE), "-o", str(tmp_path / "today"), "--today", TODAY).exit_code == 0
    for name in ("epoch1", "epoch2"):
        result = run("build", str(EXAMPLE), "-o", str(tmp_path / name), env={"SOURCE_DATE_EPOCH": EPOCH_OF_TODAY})
        assert result.exit_code == 0, result.output
    today, epoch1, epoch2 = (snapshot(tmp_path / n) for n in ("today", "epoch1", "epoch2"))
    assert epoch1 == epoch2
    assert sorted(epoch1) == sorted(today) and [p for p in today if today[p] != epoch1[p]] == []


# --- atomic ---------------------------------------------------------------------------------


def test_failure_while_rendering_leaves_the_previous_site(built: tuple[Path, dict[str, bytes]], plan: Path,
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A build that breaks after rendering a few pages writes nothing: OUTPUT keeps the previous site
    byte for byte, and no half-built folder is left beside it."""
    from generator.cache import store

    out, before = built
    # no page kept by the first build: this one renders them (the pages it would find are not rendered)
    monkeypatch.setattr(store.RENDERED_PAGES, "root", tmp_path / "no-kept-pages")
    real = render.render_page
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_page", flaky)
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert calls["n"] > 3
    assert "disk on fire" in result.output and "est tel qu'il était" in result.output  # the plan is French
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_failure_while_writing_leaves_the_previous_site(built: tuple[Path, dict[str, bytes]], plan: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails midway (a full disk) leaves the previous site and cleans its staging folder."""
    out, before = built
    real = shutil.copyfile
    calls = {"n": 0}

    def full_disk(src: object, dst: object, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(28, "No space left on device")
        return real(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_failure_during_the_swap_puts_the_previous_site_back(built: tuple[Path, dict[str, bytes]], plan: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the file system cannot exchange two folders in one step (two renames instead), a failure to move
    the new site in after the old one was moved aside moves the old one back."""
    from generator.site import swap

    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    out, before = built
    real = os.replace
    calls = {"n": 0}

    def second_fails(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first moves the old site aside, the second brings the new one in
            raise OSError(13, "Permission denied")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", second_fails)
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_plan_error_leaves_the_previous_site(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """A plan that gains an error builds nothing and exits 1; the published site stays as it was."""
    out, before = built
    (plan / "objectives" / "grow.md").write_text("---\ntitle: Grow\nparent: nowhere\n---\n", encoding="utf-8")
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "unknown-ref" in result.output
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_a_good_build_replaces_the_previous_one(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """The next good build replaces the whole site: pages of removed entities disappear."""
    out, before = built
    (plan / "objectives" / "grow.md").rename(plan / "objectives" / "grow-more.md")
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
    after = snapshot(out)
    assert "objectives/grow.html" in before and "objectives/grow.html" not in after
    assert "objectives/grow-more.html" in after
    assert leftovers(out.parent) == []


# --- OUTPUT that must not be replaced --------------------------------------------------------


def test_refuses_a_non_empty_folder_it_did_not_make(plan: Path, tmp_path: Path) -> None:
    """`-o` pointing at a folder with someone's files (a home folder, a docs folder) is refused, in one line
    that points at no line of the plan (the plan is fine), and the files stay; an empty folder is fine."""
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run("build", str(plan), "-o", str(precious), "--today", TODAY)
    assert result.exit_code == 1
    assert "n'est pas vide" in result.output and "-o" in result.output  # the plan speaks French
    assert result.output.count("n'est pas vide") == 1 and "1:1" not in result.output
    assert snapshot(precious) == {"thesis.txt": b"years of work"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("build", str(plan), "-o", str(empty), "--today", TODAY).exit_code == 0
    assert (empty / "index.html").exists()


@pytest.mark.parametrize("where", ["plan", "parent", "inside"])
def test_refuses_an_output_that_holds_or_is_the_plan(plan: Path, where: str) -> None:
    """OUTPUT may not be the plan folder, a folder holding it, or a folder inside it: the plan is never
    deleted and never grows a copy of its own site."""
    output = {"plan": plan, "parent": plan.parent, "inside": plan / "site"}[where]
    before = snapshot(plan.parent)
    result = run("build", str(plan), "-o", str(output), "--today", TODAY)
    assert result.exit_code == 1
    assert "dossier du plan" in result.output  # the plan speaks French
    assert snapshot(plan.parent) == before
    assert leftovers(plan.parent) == [] and leftovers(plan.parent.parent) == []


def test_refuses_a_file_as_output(plan: Path, tmp_path: Path) -> None:
    """`-o` naming a file is refused without touching the file."""
    target = tmp_path / "notes.txt"
    target.write_text("keep", encoding="utf-8")
    result = run("build", str(plan), "-o", str(target), "--today", TODAY)
    assert result.exit_code in (1, 2)
    assert target.read_text(encoding="utf-8") == "keep"


# --- themes ---------------------------------------------------------------------------------


def _theme(plan: Path, name: str, files: dict[str, str]) -> None:
    root = plan.parent / "themes" / name
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"theme: {name}\n", encoding="utf-8")


def test_plan_theme_overrides_one_template(plan: Path, tmp_path: Path) -> None:
    """themes/NAME/templates/dashboard.html beside the plan (with `theme: NAME`) replaces the default
    dashboard, the other pages keep the default templates, and a static file of the theme replaces the
    default's file of the same name."""
    _theme(plan, "house", {
        "templates/dashboard.html": '{% extends "base.html" %}{% block content %}<h1>House dashboard</h1>'
                                    "<p>{{ site.settings.title }}</p>{% endblock %}\n",
        "static/site.css": "body { color: rebeccapurple }\n",
    })
    out = tmp_path / "site"
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>House dashboard</h1>" in index
    assert 'class="site-nav"' in index  # base.html of the default theme still frames it
    objective = (out / "objectives" / "grow.html").read_text(encoding="utf-8")
    assert "House dashboard" not in objective and "<h1>Grow</h1>" in objective
    [css] = (out / "static").glob("site.*.css")
    assert css.read_text(encoding="utf-8") == "body { color: rebeccapurple }\n"
    assert list((out / "static").glob("search.*.js"))  # the default theme's other files are still there


def test_theme_template_error_names_file_and_line(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """A syntax error in a theme template fails the build with exit 1, naming the template file and
    its line, without a traceback; the previous site stays."""
    out, before = built
    _theme(plan, "broken", {"templates/dashboard.html": '{% extends "base.html" %}\n{% block content %}\n'
                                                        "<p>{{ site.settings.title }</p>\n{% endblock %}\n"})
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "themes/broken/templates/dashboard.html:3" in result.output.replace(os.sep, "/")
    assert "themes/broken/templates/dashboard.html\n  3:1  erreur" in result.output.replace(os.sep, "/")
    assert "Traceback" not in result.output
    assert snapshot(out) == before


def test_theme_template_unknown_value_is_a_clean_failure(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """A theme template that uses a value the page does not have fails cleanly (exit 1, no traceback)."""
    out, before = built
    _theme(plan, "typo", {"templates/dashboard.html": '{% extends "base.html" %}{% block content %}'
                                                      "{{ site.setings.title }}{% endblock %}\n"})
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "setings" in result.output
    assert snapshot(out) == before


# --- exit codes -----------------------------------------------------------------------------


def test_exit_codes(plan: Path, tmp_path: Path) -> None:
    """0 for a site written, 1 for a plan with errors, 1 for warnings under --strict, 2 for wrong usage."""
    out = tmp_path / "site"
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
    # a KPI without data is a warning: fine normally, fatal with --strict
    (plan / "data" / "clients.csv").unlink()
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "avertissement" in result.output  # the plan is French
    result = run("build", str(plan), "-o", str(out), "--today", TODAY, "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.output
    (plan / "objectives" / "grow.md").write_text("---\ntitle: [not, text]\n---\n", encoding="utf-8")
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 1
    assert run("build", str(tmp_path / "missing"), "-o", str(out)).exit_code == 2
    assert run("build", str(plan), "-o", str(out), "--today", "23/11/2026").exit_code == 2
    assert run("build", str(plan), "--no-such-option").exit_code == 2


def test_theme_templates_are_sandboxed(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """A theme arrives with the plan's pull requests: its templates cannot reach Python's internals
    (the classic `''.__class__.__mro__` escape fails the build cleanly, exit 1, no traceback)."""
    out, before = built
    _theme(plan, "sly", {"templates/dashboard.html": '{% extends "base.html" %}{% block content %}'
                                                     "{{ ''.__class__.__mro__[1].__subclasses__() }}{% endblock %}\n"})
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "unsafe" in result.output
    assert snapshot(out) == before


def test_writer_never_writes_outside_output(tmp_path: Path) -> None:
    """A site file named with `..` or an absolute path is refused and nothing is swapped in."""
    from generator.site.writer import OutputError, write_site

    out = tmp_path / "site"
    for bad in ("../escaped.html", "/tmp/absolute.html", "a/../../escaped.html"):
        with pytest.raises(OutputError):
            write_site(out, {"index.html": b"ok", bad: b"no"})
        assert not out.exists() and not (tmp_path / "escaped.html").exists()
        assert leftovers(tmp_path) == []


def test_writer_does_not_follow_a_link_out_of_the_folder(tmp_path: Path) -> None:
    """A folder or file of the site that is a symbolic link to elsewhere is refused, and nothing is written
    or made where it points (files are checked once per folder, not one by one)."""
    from generator.site.writer import OutputError, write_files

    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "linked").symlink_to(elsewhere)
    (root / "page.html").symlink_to(elsewhere / "page.html")
    for bad in ("linked/x.html", "linked/deeper/x.html", "page.html"):
        with pytest.raises(OutputError):
            write_files(root, {"ok/a.html": b"ok", bad: b"no"})
    assert list(elsewhere.iterdir()) == []
    assert write_files(root, {"ok/a.html": b"ok", "ok/b.html": b"fine"}) == 6


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("linked", ["template", "templates folder", "theme folder"])
def test_a_theme_link_is_refused_not_followed(plan: Path, tmp_path: Path, linked: str) -> None:
    """A theme comes with the plan's pull requests: a template that is a symbolic link to a private file
    (or a theme folder linked from elsewhere) would publish that file. check and build refuse it with a
    `theme-link` error naming the link; nothing is written and the secret is in no page."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "dashboard.html").write_text("PRIVATE-KEY-MATERIAL", encoding="utf-8")
    theme = plan.parent / "themes" / "evil"
    if linked == "theme folder":
        (theme.parent).mkdir(parents=True, exist_ok=True)
        (secret / "templates").mkdir()
        (secret / "templates" / "dashboard.html").write_text("PRIVATE-KEY-MATERIAL", encoding="utf-8")
        theme.symlink_to(secret, target_is_directory=True)
    elif linked == "templates folder":
        theme.mkdir(parents=True)
        (theme / "templates").symlink_to(secret, target_is_directory=True)
    else:
        (theme / "templates").mkdir(parents=True)
        (theme / "templates" / "dashboard.html").symlink_to(secret / "dashboard.html")
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: evil\n", encoding="utf-8")
    out = tmp_path / "site-evil"
    checked = CliRunner().invoke(main, ["check", str(plan), "--today", "2026-03-15"])
    assert checked.exit_code == 1 and "[theme-link]" in checked.output and "lien symbolique" in checked.output
    assert checked.output.count("[theme-link]") == 1 and "[unknown-theme]" not in checked.output
    built = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-03-15"])
    assert built.exit_code == 1 and "[theme-link]" in built.output and "Traceback" not in built.output
    assert not out.exists()


def test_a_theme_template_link_is_refused_by_the_loader(plan: Path, tmp_path: Path) -> None:
    """Even on a path that does not check the theme first, the template loader does not follow a link."""
    from generator.site.render import environment
    from generator.site.theme_guard import ThemeLinkError

    theme = tmp_path / "themes" / "evil"
    (theme / "templates").mkdir(parents=True)
    (tmp_path / "secret.html").write_text("PRIVATE", encoding="utf-8")
    (theme / "templates" / "page.html").symlink_to(tmp_path / "secret.html")
    with pytest.raises(ThemeLinkError):
        environment((theme,)).get_template("page.html")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize(("language", "said", "hint"), [
    ("en", "the theme template {file} is reached through a symbolic link ({file})",
     "replace the link {file} with a copy of the file it points to, inside the theme"),
    ("fr", "le gabarit du thème {file} est atteint par un lien symbolique ({file})",
     "remplacez le lien {file} par une copie, dans le thème, du fichier vers lequel il pointe"),
])
def test_a_theme_template_link_is_said_in_the_plan_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            language: str, said: str, hint: str) -> None:
    """When the loader refuses a linked template (serve, --all-versions), the failure reads in the plan's
    language, names the link and says what to do, at the link's file, not "the build failed: ThemeLinkError"."""
    from generator.site.render import environment
    from generator.site.template_errors import failure_place, template_failure
    from generator.site.theme_guard import ThemeLinkError

    theme = tmp_path / "themes" / "evil"
    (theme / "templates").mkdir(parents=True)
    (tmp_path / "secret.html").write_text("PRIVATE", encoding="utf-8")
    (theme / "templates" / "page.html").symlink_to(tmp_path / "secret.html")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ThemeLinkError) as refused:
        environment((theme,)).get_template("page.html")
    what, what_to_do = template_failure(refused.value)
    file = "themes/evil/templates/page.html"
    assert what.render(language).startswith(said.format(file=file))
    assert what_to_do.render(language) == hint.format(file=file)
    place = failure_place(refused.value)
    assert place is not None and place.file == file


def test_a_theme_that_does_not_exist_is_a_warning(plan: Path, tmp_path: Path) -> None:
    """`theme: NAME` with no themes/NAME/ folder beside the plan (a typo) is reported by check and build,
    at the `theme:` line; the site is still built with the default theme, and --strict refuses it."""
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: corprate\n", encoding="utf-8")
    line = settings.read_text(encoding="utf-8").splitlines().index("theme: corprate") + 1
    checked = run("check", str(plan), "--today", TODAY)
    assert checked.exit_code == 0
    assert f"{line}:" in checked.output and "themes/corprate/" in checked.output and "[unknown-theme]" in checked.output
    out = tmp_path / "site"
    built = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert built.exit_code == 0 and "[unknown-theme]" in built.output
    assert 'class="site-nav"' in (out / "index.html").read_text(encoding="utf-8")
    assert run("build", str(plan), "-o", str(tmp_path / "strict"), "--today", TODAY, "--strict").exit_code == 1
