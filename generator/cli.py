"""The `strategy` command. It only parses arguments and calls the library; each command imports
what it needs when it runs, so `strategy --help` stays instant."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

EXIT_OK, EXIT_PLAN_ERRORS, EXIT_USAGE = 0, 1, 2

def _plan_here(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """The plan folder when none is given: the one this command runs in or under (it holds strategy.yaml),
    else ./content (a plan repository's root)."""
    from .init_plan import PLAN_FOLDER

    if value is not None:
        return value
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "strategy.yaml").is_file():
            return Path(os.path.relpath(folder, here))
        if (folder / PLAN_FOLDER / "strategy.yaml").is_file() or (folder / ".git").exists():
            break  # a repository's root: its plan is in ./content, and nothing above belongs to it
    return Path(PLAN_FOLDER)


PLAN_ARG = click.argument(
    "plan", required=False, default=None, callback=_plan_here,
    type=click.Path(file_okay=False, path_type=Path),
)
LANG_OPT = click.option(
    "--lang", type=click.Choice(["fr", "en"]), default=None,
    help="Language of the messages when the plan's own (`language` in strategy.yaml) cannot be read. "
         "Default: the locale's (LC_ALL, LANG), else English.",
)
TODAY_OPT = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Evaluate KPIs as of this date (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH, else today.",
)


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _today(value: dt.datetime | None) -> dt.date:
    from .pipeline import resolve_today

    return resolve_today(value.date() if value else None)


def _source(plan: Path):  # type: ignore[no-untyped-def]
    from .read.source import DirectorySource

    if not plan.is_dir():
        raise click.UsageError(
            f"the plan folder '{plan}' does not exist. Give the folder that holds strategy.yaml, "
            "or create a plan with: strategy init"
        )
    return DirectorySource(plan)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="strategy-site", prog_name="strategy")
def main() -> None:
    """Turn a digital strategy written in Markdown and YAML into a static website.

    \b
    Typical use:
      strategy check            find every mistake in content/
      strategy funnel           what the funnel demands of each stage
      strategy build            write the site to output/
      strategy serve            preview it in a browser, reloaded on every save
    """


@main.command()
@PLAN_ARG
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@TODAY_OPT
@LANG_OPT
def check(plan: Path, fmt: str, strict: bool, today: dt.datetime | None, lang: str | None) -> None:
    """Check the plan and report every problem at file:line:column.

    \b
    Examples:
      strategy check
      strategy check content --format json
      strategy check --format github --strict      (in GitHub Actions)
    """
    from .build import check_theme
    from .cache.parsed_files import kept_on_disk
    from .pipeline import check as run_check
    from .plan import diagnostics as d
    from .plan.messages import said

    with kept_on_disk():
        result = run_check(_source(plan), _today(today))
    check_theme(result, plan)  # what the build would stop on in the plan's own theme, without rendering
    language = result.diagnostics.speaks(lang)
    if fmt == "json":
        click.echo(d.format_json(result.diagnostics, language))
    elif fmt == "github":
        out = d.format_github(result.diagnostics, language)
        if out:
            click.echo(out)
        click.echo(said(language, "check", d.summary(result.diagnostics, language)), err=True)
    else:
        click.echo(d.format_text(result.diagnostics, colour=_colour(), language=language))
    failed = bool(result.diagnostics.errors) or (strict and bool(result.diagnostics.warnings))
    sys.exit(EXIT_PLAN_ERRORS if failed else EXIT_OK)


@main.command()
@PLAN_ARG
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default="output",
              show_default=True, help="Folder to write the site to (replaced as a whole, atomically).")
@click.option("--strict", is_flag=True, help="Refuse to build when the plan has warnings.")
@click.option("--all-versions", is_flag=True,
              help="Also build every git tag matching versions.tags at v/TAG/, with versions.json, the changes "
                   "between versions and a history page.")
@click.option("--pack", is_flag=True, help="Also write the board pack (board-pack.pdf, as `strategy pack` makes it), "
                                           "linked from the dashboard.")
@TODAY_OPT
@LANG_OPT
def build(plan: Path, output: Path, strict: bool, all_versions: bool, pack: bool, today: dt.datetime | None,
          lang: str | None) -> None:
    """Check the plan and write its website to OUTPUT.

    A plan with errors (or, with --strict, warnings) builds nothing, and a failed build leaves the
    previous OUTPUT untouched.

    \b
    Examples:
      strategy build
      strategy build content -o public --strict
      strategy build --today 2026-06-30         (KPIs as they stood on that day)
      strategy build --all-versions             (every tag v* too; needs the git history)
    """
    from .build import build as run_build
    from .build import diagnostics_for_failure, nothing_written
    from .cache.parsed_files import kept_on_disk
    from .plan import diagnostics as d
    from .plan.messages import fixed, render, said, words

    _source(plan)  # a missing plan folder is a usage error, before anything runs
    if all_versions:
        from .versions.cli import build_all

        with kept_on_disk():
            build_all(plan, output, _today(today), strict=strict, colour=_colour(), pack=pack)
        return
    with kept_on_disk():
        result = run_build(plan, output, _today(today), strict=strict, pack=pack)
    diags = diagnostics_for_failure(result)
    language = diags.speaks(lang)
    if diags.errors or diags.warnings:
        click.echo(d.format_text(diags, colour=_colour(), language=language), err=True)
    if not result.ok:
        click.echo(nothing_written(result, output, words(language, result.message), language), err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    click.echo(said(language, "build", render(language, "build.written", pages=result.pages, charts=result.charts,
                                              size=fixed(language, result.bytes_written / 1e6),
                                              output=str(output), seconds=fixed(language, result.seconds, 2))))


@main.command()
@PLAN_ARG
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Another address shows the preview to other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
def serve(plan: Path, host: str, port: int) -> None:
    """Build the site, serve it, and rebuild and reload the open page on every save.

    Serves from memory (OUTPUT is never written) and watches the plan and its theme. When a save
    breaks the plan, the last good site stays served and the errors show in the terminal and over
    the page. Ctrl-C stops.

    \b
    Examples:
      strategy serve                       then open http://127.0.0.1:8000/
      strategy serve content --port 8001
    """
    from .plan.messages import reader_language, said
    from .read.loader import plan_language
    from .serve.server import PortInUse, run

    _source(plan)
    try:
        code = run(plan, host, port, log=lambda text, err: click.echo(text, err=err), colour=_colour())
    except PortInUse as exc:
        click.echo(said(reader_language(plan_language(plan)), "serve", str(exc)), err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code)


@main.command()
@PLAN_ARG
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@TODAY_OPT
@LANG_OPT
def funnel(plan: Path, fmt: str, today: dt.datetime | None, lang: str | None) -> None:
    """Show what each funnel demands of each stage, worked backwards from the goal.

    \b
    Examples:
      strategy funnel
      strategy funnel content --format json
    """
    from .funnel_report import funnels_json, funnels_text
    from .pipeline import check as run_check
    from .plan.diagnostics import format_text

    result = run_check(_source(plan), _today(today))
    if result.state is None:
        click.echo(format_text(result.diagnostics, colour=_colour(), language=result.diagnostics.speaks(lang)),
                   err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    click.echo(funnels_json(result.state) if fmt == "json" else funnels_text(result.state, colour=_colour()))


@main.command()
@PLAN_ARG
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The PDF to write.  [default: output/board-pack.pdf]")
@TODAY_OPT
def pack(plan: Path, output: Path | None, today: dt.datetime | None) -> None:
    """Write the board pack: an A4 PDF with a cover, the contents, a one-page summary, a page per
    objective with its charts, and the funnels, in the plan's language.

    In a git repository, the summary also says what changed since the last version tag. The same plan
    and --today give the same PDF, byte for byte.

    \b
    Examples:
      strategy pack                        writes output/board-pack.pdf
      strategy pack content -o board-2026-06.pdf --today 2026-06-30
    """
    from .cache.site_stores import keep_site_stores
    from .pack.cli import run_pack

    keep_site_stores()  # the charts' shapes and drawings from the user cache, as a build takes them
    sys.exit(run_pack(_source(plan), plan, output, _today(today), colour=_colour()))


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--plan", "plan", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The plan folder, in the repository.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for people, markdown for a pull-request comment, json for tools.")
@TODAY_OPT
@LANG_OPT
def diff(old: str | None, new: str | None, plan: Path, fmt: str, today: dt.datetime | None, lang: str | None) -> None:
    """Show what changed in the plan between two git revisions, in strategy terms.

    OLD defaults to HEAD and NEW to the working tree; `OLD..NEW` also works. Derived values are
    compared too: a new funnel goal lists each stage's recomputed need.

    \b
    Examples:
      strategy diff                        working tree against HEAD
      strategy diff v1.0 v2.0 --format json
      strategy diff origin/main HEAD --format markdown   (a pull-request comment)
    """
    from .cache.parsed_files import kept_on_disk
    from .diff.compare import PlanHasErrors, compare_revisions
    from .diff.format import diff_json, diff_markdown, diff_text
    from .plan.diagnostics import format_text
    from .read.gitsource import GitError

    if old and new is None and ".." in old.strip("."):
        old, _, new = old.partition("..")
    try:
        with kept_on_disk():
            result = compare_revisions(plan, old or None, new or None, _today(today))
    except GitError as exc:
        from .plan.messages import reader_language, render, said
        from .read.loader import plan_language

        language = reader_language(plan_language(plan), lang)
        click.echo(said(language, "diff", exc.text(language)), err=True)
        hint = exc.hint_text(language)
        if hint:
            click.echo(f"  {render(language, 'label-hint')} {hint}", err=True)
        sys.exit(EXIT_USAGE)
    except PlanHasErrors as exc:
        from .plan.messages import render, said

        language = exc.diagnostics.speaks(lang)
        click.echo(said(language, "diff", render(language, "diff.plan-has-errors", label=exc.label)) + "\n", err=True)
        click.echo(format_text(exc.diagnostics, colour=_colour(), language=language), err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    if fmt == "json":
        click.echo(diff_json(result))
    elif fmt == "markdown":
        click.echo(diff_markdown(result), nl=False)
    else:
        click.echo(diff_text(result, colour=_colour()))


@main.command()
@click.argument("directory", metavar="[DIR]", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
              help="Language of the plan, of its guiding comments and of its README.  [default: en, or the "
                   "language of --locale]")
@click.option("--locale", default=None, metavar="LL-RR",
              help="Language and region (en-US, en-GB, fr-FR, fr-CA…): how money, numbers and dates are written, "
                   "and the plan's currency (en-GB: GBP).  [default: en-US for en, fr-FR for fr]")
def init(directory: Path, lang: str | None, locale: str | None) -> None:
    """Create a ready-to-edit plan repository in DIR (default: the current folder).

    It follows the five steps (objectives with KPIs and actions, funnel, personas, experiences,
    solutions), with a CSV per KPI, the GitHub workflows (publish to Pages, pull-request preview),
    a .gitignore, a README and the editor schemas. It never overwrites a file: when one exists,
    it lists them and writes nothing. DIR becomes a git repository on branch main, unless it is
    inside one already.

    \b
    Examples:
      strategy init my-plan --lang fr
      strategy init my-plan --locale en-GB   British English, in GBP
      strategy init                        in the current folder
    """
    from .init_plan import LANGUAGES, PLAN_FOLDER, InitRefused, init_plan
    from .pipeline import resolve_today
    from .plan.messages import render
    from .plan.schema import is_locale

    if locale is not None:
        spoken = locale[:2]
        if not is_locale(locale) or spoken not in LANGUAGES or (lang is not None and spoken != lang):
            language = lang or (spoken if spoken in LANGUAGES else "en")
            raise click.BadParameter(render(language, "init.bad-locale", locale=locale, lang=language),
                                     param_hint="--locale")
    lang = lang or (locale[:2] if locale else "en")
    try:
        written = init_plan(directory, lang, resolve_today(), locale)
    except InitRefused as exc:
        click.echo(render(lang, "init.refused", count=len(exc.existing)), err=True)
        for rel in exc.existing:
            click.echo(f"  {directory / rel}", err=True)
        click.echo(render(lang, "init.refused.hint"), err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    except OSError as exc:
        click.echo(render(lang, "init.cannot-write", file=exc.filename or directory, error=exc.strerror or exc),
                   err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    from .init_git import make_repository, next_steps

    repository = make_repository(directory)
    for line in next_steps(lang, directory, PLAN_FOLDER, len(written), repository):
        click.echo(line)


@main.command()
@PLAN_ARG
@click.option("--source", "source_name", default=None, help="Only the KPIs of this source (sources/NAME.yaml).")
@click.option("--kpi", "kpi_id", default=None, help="Only this KPI.")
def refresh(plan: Path, source_name: str | None, kpi_id: str | None) -> None:
    """Run the SQL queries of the KPIs that have a `source:`, and write their snapshots.

    Each KPI's rows go to its CSV (data/ID.csv) and its line to sources.lock.json (the query's digest,
    the row count, when the snapshot changed): commit both. check, build and diff read these files and
    never connect to a database. Connection URLs come from the environment (a source's url_env).

    \b
    Examples:
      strategy refresh
      strategy refresh content --source crm
      strategy refresh --kpi leads-qualifies
    """
    from .plan import diagnostics as d
    from .plan.messages import reader_language, said
    from .read.loader import plan_language
    from .refresh import refresh as run_refresh

    _source(plan)
    result = run_refresh(plan, source=source_name, kpi=kpi_id)
    language = reader_language(plan_language(plan))
    if result.diagnostics.errors:  # in the plan's language, its summary line ended by a line break
        click.echo(d.format_text(result.diagnostics, colour=_colour(), language=language))
    for line in result.lines:
        click.echo(line)
    for line in result.errors:
        click.echo(said(language, "refresh", line), err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_PLAN_ERRORS)


@main.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write one NAME.schema.json per file kind into this folder instead of printing.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of strategy.yaml and of each entity kind, for editors.

    Printed as one document with the kinds under $defs (strategy, objective, funnel, persona,
    experience, solution, page, source); with --output, written as one file per kind.

    \b
    Examples:
      strategy schema > plan.schema.json
      strategy schema --output .schemas    (what VS Code's yaml.schemas points at)
    """
    from .plan.messages import reader_language, render, said
    from .schema_export import combined_schema, dumps, write_schemas

    if output is None:
        click.echo(dumps(combined_schema()), nl=False)
        return
    language = reader_language(None)  # no plan: --lang or the locale
    try:
        written = write_schemas(output)
    except OSError as exc:
        click.echo(said(language, "schema", render(language, "schema.cannot-write", file=str(exc.filename or output),
                                                   error=exc.strerror or str(exc))), err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    click.echo(said(language, "schema", render(language, "schema.written", count=len(written), output=str(output),
                                               names=", ".join(p.name for p in written))))
