"""Load a plan folder (any `Source`) into a `Plan`, collecting every problem on the way.

Nothing here raises on bad input: each problem becomes a diagnostic at file:line:column and
loading goes on, so that one run reports everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Callable, Hashable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from ..plan.diagnostics import Diagnostics, Location
from ..plan.entities import file_loc, locs_of
from ..plan.i18n import DEFAULT_LOCALES
from ..plan.kinds import BY_FOLDER
from ..plan.messages import Msg, msg
from ..plan.model import (
    KPI,
    Plan,
    Rules,
    Series,
    Settings,
)
from ..plan.schema import (
    ID_HINT,
    ID_LENGTH_HINT,
    ID_PATTERN,
    MAX_ID_LENGTH,
    SETTINGS_FIELDS,
    Checker,
)
from . import kpi_data, sources, yamlpos
from .budgets import DATA_SUFFIXES, MAX_FILE_BYTES, too_large, too_many_files
from .data_words import Reporter, words
from .file_memo import MISS, FileMemo, NoMemo, blob_id
from .kpi_xlsx import MissingSheet, NoSuchSheet
from .source import FileTooLarge, Source, content_id
from .unreadable import Unread, scan_objective, wide_encoding
from .yamlpos import YamlDoc, parse_yaml

KNOWN_FOLDERS = (*BY_FOLDER, "data", "assets", sources.FOLDER)
ENTITY_SUFFIXES = (".md", ".yaml", ".yml")


class FileReader:
    """Reads and decodes plan files, turning every failure into a diagnostic."""

    def __init__(self, source: Source, diagnostics: Diagnostics, shown: dict[str, str] | None = None,
                 memo: FileMemo | None = None) -> None:
        self.source = source
        self.diagnostics = diagnostics
        self.memo: FileMemo = memo if memo is not None else NoMemo()  # what was made of each file's bytes
        # one string object per file: the memo recognises the file's name by identity
        self._shown: dict[str, str] = {} if shown is None else shown

    def display(self, rel: str) -> str:
        """The file as the user sees it; the same object every time for one file."""
        shown = self._shown.get(rel)
        if shown is None:
            shown = self._shown[rel] = self.source.display(rel)
        return shown

    def scratch(self) -> FileReader:
        """A reader of the same source that collects its diagnostics apart."""
        return FileReader(self.source, Diagnostics(), self._shown, self.memo)

    def where(self, rel: str, line: int = 1, column: int = 1) -> Location:
        return Location(self.display(rel), line, column)

    def raw(self, rel: str) -> bytes | None:
        """The bytes of a file; what depends on them only is decided by `decode`."""
        try:
            return self.source.read_bytes(rel)
        except FileTooLarge as exc:
            self.diagnostics.error("file-too-large", self.where(rel), *too_large(rel, exc.size))
            return None
        except OSError as exc:
            self.diagnostics.error("unreadable", self.where(rel), msg("unreadable", reason=str(exc.strerror or exc)),
                                   msg("hint.unreadable"))
            return None

    def decode(self, rel: str, raw: bytes) -> str | None:
        wide = wide_encoding(raw)
        if wide is not None:  # what Windows editors call "Unicode": its NUL bytes are not a binary file's
            self.diagnostics.error("encoding", self.where(rel), msg("encoding.wide", name=wide[0]),
                                   msg("hint.encoding-wide"))
            return None
        if b"\x00" in raw:
            self.diagnostics.error("binary-file", self.where(rel), msg("binary-file"), msg("hint.binary-file"))
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            self.diagnostics.error("encoding", self.where(rel, line, column),
                                   msg("encoding.byte", byte=f"{raw[exc.start]:02x}"), msg("hint.encoding"))
            return None
        return text.removeprefix("\ufeff")

    def yaml(self, rel: str, text: str, line_offset: int = 0) -> YamlDoc:
        doc = parse_yaml(text, line_offset)
        for p in doc.problems:
            self.diagnostics.error(p.code, self.where(rel, p.line, p.column), p.message, p.hint)
        return doc


T = TypeVar("T")


class _PlanFile:
    """One file of this check, known by its content: a git blob id when the source has it (the file is then
    read only when the memo lacks it), else the blob id git would give its bytes, so that a working
    tree's unchanged files share their entries with the revisions that hold them (`build --all-versions`
    compares the working tree with the newest tag, `strategy diff` with any revision)."""

    def __init__(self, reader: FileReader, rel: str) -> None:
        self.rel = rel
        self.raw: bytes | None = None
        blob = content_id(reader.source, rel)
        if blob is not None:
            self.content: tuple[str, str | bytes] | None = ("blob", blob)
        else:
            self.raw = reader.raw(rel)
            self.content = None if self.raw is None else ("blob", blob_id(self.raw))

    def read(self, reader: FileReader) -> bytes | None:
        if self.raw is None:
            self.raw = reader.raw(self.rel)
        return self.raw


def _memo(reader: FileReader, key: tuple[Hashable, ...], file: _PlanFile, build: Callable[[FileReader, bytes], T],
          unreadable: T, *, shared: bool = False) -> T:
    """`build(reader, bytes)` for `file`, from the reader's memo when its content was seen (`unreadable` when
    the file cannot be read, which is reported).

    What `build` reports is replayed on a hit, in the same order, so a check reports exactly the same
    with or without the cache. `build` must depend on nothing but `key`, the file's path and its bytes.
    `shared`: its value is immutable and does not hold the file's shown name, so that every check may get
    the same object.
    """
    if file.content is None:
        return unreadable
    shown = reader.display(file.rel)
    full_key = (*key, file.rel, yamlpos.USE_LIBYAML, file.content)
    hit = reader.memo.get(full_key, shown)
    if hit is not MISS:
        value, reported = hit
        reader.diagnostics.extend(reported)
        return cast(T, value)
    raw = file.read(reader)
    if raw is None:
        return unreadable
    scratch = reader.scratch()
    try:
        value = build(scratch, raw)
    finally:  # reported even when build fails, as if written straight to the check's diagnostics
        reader.diagnostics.extend(scratch.diagnostics)
    reported = list(scratch.diagnostics)
    if shared and not reported:
        reader.memo.share(full_key, (value, ()), 16 * len(raw))
    else:
        reader.memo.put(full_key, (value, reported), shown)
    return value


def split_front_matter(text: str) -> tuple[str | None, int, str, str | None]:
    """(front matter, line offset of its first line minus 1, body, problem code or None)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, 0, text, "frontmatter-missing"
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), 1, "".join(lines[i + 1 :]), None
    return None, 0, text, "frontmatter-unclosed"


def load_plan(source: Source, diagnostics: Diagnostics, memo: FileMemo | None = None) -> Plan | None:
    """Read every file of the plan, each one parsed only when `memo` does not hold what its bytes make.
    Returns None only when strategy.yaml is unusable."""
    reader = FileReader(source, diagnostics, memo=memo)
    files = source.files()
    too_many = too_many_files(len(files))
    if too_many:  # before any file is read
        diagnostics.error("plan-too-large", Location(source.label or "."), *too_many)
        return None
    for rel in getattr(source, "escaping_links", []):
        diagnostics.error("outside-plan", reader.where(rel), msg("outside-plan"), msg("hint.outside-plan"))
    for rel in getattr(source, "looping_links", []):
        diagnostics.error("link-loop", reader.where(rel), msg("link-loop"), msg("hint.link-loop"))

    below = _plan_below(files)
    if below is not None:  # `strategy build .` at the repository's root: one error, not one per file met
        diagnostics.language = _declared_language(reader, files, f"{below}/strategy.yaml")
        diagnostics.error("plan-below", reader.where("strategy.yaml"), msg("plan-below", folder=below),
                          msg("hint.plan-below", folder=below))
        return None

    settings = _load_settings(reader, files)
    plan = Plan(settings=settings or _fallback_settings(), label=source.label)
    diagnostics.language = settings.language if settings is not None else _declared_language(reader, files)
    if settings is None:
        plan.settings.title = ""
        plan.unread.settings = True
        diagnostics.mark_root_cause(reader.display("strategy.yaml"))

    declared = sources.read_configs(source, diagnostics, plan.settings.language)
    databases = {c.database for c in declared[0].values()}
    unknown_reported: set[str] = set()
    by_kind: dict[str, list[str]] = {kind: [] for kind in BY_FOLDER}
    for rel in files:
        top, _, rest = rel.partition("/")
        if rel == "strategy.yaml" or sources.is_source_file(rel) or rel in databases:  # sources.py reads these
            continue
        if top == "assets" and rest:
            plan.assets.append(rel)
        elif top == "data" and rest and "/" not in rest and rest.lower().endswith(DATA_SUFFIXES):
            plan.data_files.append(rel)
        elif top in BY_FOLDER and rest and "/" not in rest and rest.endswith(ENTITY_SUFFIXES):
            by_kind[top].append(rel)
        else:
            key = top if rest and top not in KNOWN_FOLDERS else rel
            if key in unknown_reported:
                continue
            unknown_reported.add(key)
            diagnostics.warning("unknown-file", reader.where(rel), _unknown_message(rel, top, rest),
                                _unknown_hint(top, rest))

    for kind, rels in by_kind.items():
        target: dict[str, Any] = getattr(plan, kind)
        for rel in rels:
            stem = posixpath.splitext(posixpath.basename(rel))[0]
            if not ID_PATTERN.fullmatch(stem):
                diagnostics.error("bad-id", reader.where(rel), msg("bad-id.file", name=posixpath.basename(rel)),
                                  msg("hint.rename", hint=ID_HINT))
                continue
            if len(stem) > MAX_ID_LENGTH:
                diagnostics.error("bad-id", reader.where(rel), msg("bad-id.file-length", length=len(stem),
                                                                   max=MAX_ID_LENGTH),
                                  msg("hint.rename", hint=ID_LENGTH_HINT))
                continue
            if stem in target:
                diagnostics.error("duplicate-id", reader.where(rel), msg(f"duplicate-file.{kind}", id=stem),
                                  msg("hint.duplicate-file"))
                continue
            entity = _cached_entity(reader, rel, kind, stem, BY_FOLDER[kind].make)
            if isinstance(entity, Unread):
                _note_unread(plan, kind, stem, entity)
                diagnostics.mark_root_cause(reader.display(rel))
            else:
                target[stem] = entity

    _load_series(reader, plan)
    sources.check(source, plan, diagnostics, reader.display, declared)
    return plan


def _note_unread(plan: Plan, kind: str, stem: str, unread: Unread) -> None:
    plan.unread.ids.setdefault(kind, set()).add(stem)
    if kind == "objectives":
        if unread.kpis is None:
            plan.unread.kpis_unknown = True
        else:
            plan.unread.kpis.update(unread.kpis)
            plan.unread.data.update(unread.data)


def _unknown_message(rel: str, top: str, rest: str) -> Msg:
    if top in BY_FOLDER:
        if "/" in rest:
            return msg("unknown-file.sub-folder", file=rel, folder=top)
        return msg("unknown-file.suffix", file=rel)
    if top == "data":
        return msg("unknown-file.data", file=rel)
    if rest:
        return msg("unknown-file.folder", folder=top)
    return msg("unknown-file", file=rel)


def _unknown_hint(top: str, rest: str) -> Msg:
    import difflib

    close = difflib.get_close_matches(top, KNOWN_FOLDERS, n=1, cutoff=0.6) if rest else []
    return msg("hint.unknown-file", close=msg("did-you-mean", close=close[0] + "/") if close else msg("nothing"),
               folders=", ".join(f"{k}/" for k in KNOWN_FOLDERS))


def _fallback_settings() -> Settings:
    return Settings(title="", period_start=dt.date(dt.date.today().year, 1, 1),
                    period_end=dt.date(dt.date.today().year, 12, 31))


def _cached_entity(reader: FileReader, rel: str, kind: str, stem: str,
                   make: Callable[[str, dict[str, Any], Checker, str], Any]) -> Any:
    """The entity of one file, or `Unread` when it cannot be made (its problems are reported)."""

    def build(scratch: FileReader, raw: bytes) -> Any:
        text = scratch.decode(rel, raw)
        loaded = None if text is None else _load_entity(scratch, rel, kind, text)
        if loaded is not None:
            clean, checker, body = loaded
            try:
                return make(stem, clean, checker, body)
            except Exception:  # a required key was invalid: already reported by the checker
                pass
        return scan_objective(raw) if kind == "objectives" else Unread(kpis=())

    return _memo(reader, ("entity", kind), _PlanFile(reader, rel), build, Unread())


def _load_entity(reader: FileReader, rel: str, kind: str, text: str) -> tuple[dict[str, Any], Checker, str] | None:
    body = ""
    if rel.endswith(".md"):
        front, offset, body, problem = split_front_matter(text)
        if problem == "frontmatter-unclosed":
            reader.diagnostics.error("frontmatter-unclosed", reader.where(rel), msg("frontmatter-unclosed"),
                                     msg("hint.frontmatter-unclosed"))
            return None
        if problem == "frontmatter-missing":
            reader.diagnostics.error("frontmatter-missing", reader.where(rel), msg("frontmatter-missing"),
                                     msg("hint.frontmatter-missing"))
            return None
        doc = reader.yaml(rel, front or "", offset)
    else:
        doc = reader.yaml(rel, text)
    if doc.problems:
        return None
    checker = Checker(doc, reader.display(rel), reader.diagnostics)
    if doc.data is None:
        doc.data = {}
    clean = checker.mapping(doc.data, BY_FOLDER[kind].fields)
    if clean is None:
        return None
    return clean, checker, body


def _load_settings(reader: FileReader, files: list[str]) -> Settings | None:
    rel = "strategy.yaml"
    if rel not in files:
        hint = msg("hint.rename-yml" if "strategy.yml" in files else "hint.missing-settings")
        reader.diagnostics.error("missing-settings", reader.where(rel), msg("missing-settings"), hint)
        return None
    return _memo(reader, ("settings",), _PlanFile(reader, rel), partial(_settings_of, rel=rel), None)


_LANGUAGE_LINE = re.compile(rb"^language:[ \t]*[\"']?(fr|en)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def plan_language(plan_dir: Path) -> str | None:
    """The `language:` a plan folder's strategy.yaml declares, read from its line without parsing the file (for
    what a command says before or without a check: `serve`'s first lines); None when it cannot be read."""
    try:
        with open(plan_dir / "strategy.yaml", "rb") as file:
            found = _LANGUAGE_LINE.search(file.read(MAX_FILE_BYTES))
    except OSError:
        return None
    return found[1].decode() if found else None


def _plan_below(files: list[str]) -> str | None:
    """The folder holding the plan when the folder given has no strategy.yaml of its own but one of its
    folders has (the shallowest, then the first by name), else None."""
    if "strategy.yaml" in files or "strategy.yml" in files:
        return None
    found = sorted((rel.count("/"), rel) for rel in files if rel.endswith("/strategy.yaml"))
    return found[0][1].rpartition("/")[0] if found else None


def _declared_language(reader: FileReader, files: list[str], rel: str = "strategy.yaml") -> str | None:
    """The `language:` line of a strategy.yaml that cannot be used, so that its errors are said in it."""
    if rel not in files:
        return None
    try:
        found = _LANGUAGE_LINE.search(reader.source.read_bytes(rel))
    except Exception:  # unreadable: its error is reported already
        return None
    return found[1].decode() if found else None


def _settings_of(reader: FileReader, raw: bytes, rel: str) -> Settings | None:
    text = reader.decode(rel, raw)
    if text is None:
        return None
    doc = reader.yaml(rel, text)
    if doc.problems:
        return None
    checker = Checker(doc, reader.display(rel), reader.diagnostics)
    clean = checker.mapping(doc.data if doc.data is not None else {}, SETTINGS_FIELDS)
    period = (clean or {}).get("period", {})
    if "start" in period and "end" in period and period["end"] <= period["start"]:  # even without a title
        checker.error("bad-period", ("period", "end"), msg("bad-period"),
                      msg("hint.bad-period", start=period["start"].isoformat()))
    if clean is None or "title" not in clean or "start" not in period or "end" not in period:
        return None
    rules = Rules(**clean.get("rules", {}))
    return Settings(
        title=clean["title"], period_start=period["start"], period_end=period["end"],
        organization=clean.get("organization"), language=clean.get("language", "en"),
        currency=clean.get("currency", "EUR"), locale=_locale(checker, clean), sector=clean.get("sector"),
        positioning=clean.get("positioning"), vision=clean.get("vision"),
        base_url=clean.get("base_url"), theme=clean.get("theme", "default"),
        version_tags=clean.get("versions", {}).get("tags", "v*"), rules=rules,
        loc=file_loc(checker), locs=locs_of(checker),
    )


def _locale(checker: Checker, clean: dict[str, Any]) -> str | None:
    """The plan's `locale`, when it is one of its language's ("fr-CA" for `language: fr`); else an error."""
    locale, language = clean.get("locale"), clean.get("language", "en")
    if locale is None or locale.split("-")[0] == language:
        return locale
    checker.error("bad-locale", ("locale",), msg("bad-locale", locale=locale, language=language),
                  msg("hint.bad-locale", language=language, example=DEFAULT_LOCALES[language]))
    return None


# --- KPI data ------------------------------------------------------------------------------


def _load_series(reader: FileReader, plan: Plan) -> None:
    files = set(reader.source.files())
    opened: dict[str, _PlanFile] = {}
    for kpi in plan.kpis.values():
        if kpi.data is not None:
            rel = _safe_data_path(reader, kpi)
            if rel is None:
                continue
            if rel not in files:
                _missing_data(reader, kpi, rel, files, plan)
                continue
        else:
            rel = f"data/{kpi.id}.csv"
            if rel not in files:
                continue
        if rel not in opened:
            opened[rel] = _PlanFile(reader, rel)
        spec = kpi_data.ReadSpec(kpi.id, kpi.column, kpi.unit, plan.settings.language, plan.settings.currency,
                                 sheet=kpi.sheet, **dict(kpi.csv))
        series = _memo(reader, ("series", spec), opened[rel], partial(_series_of, rel=rel, spec=spec), None,
                       shared=True)
        if isinstance(series, MissingSheet):
            _no_sheet(reader, kpi, series, spec.language)
        elif series is not None:
            plan.series[kpi.id] = series


def _missing_data(reader: FileReader, kpi: KPI, rel: str, files: set[str], plan: Plan) -> None:
    """`data:` names no file: the hint names the data file the path was meant to be, when one is that close,
    or else the KPI's own data/ID.csv that no other KPI reads (`data: donnees/panier.csv` beside
    data/panier-moyen.csv for the KPI `panier-moyen`)."""
    near = difflib.get_close_matches(rel, sorted(f for f in files if f.startswith("data/")), n=1, cutoff=0.8)
    own = f"data/{kpi.id}.csv"
    if near:
        hint = msg("hint.missing-data.near", near=near[0])
        plan.unread.data.add(near[0])  # the file the path meant: used, not also "unused-data"
    elif own in files and all(posixpath.normpath(other.data or f"data/{other.id}.csv") != own
                              for other in plan.kpis.values()):
        hint = msg("hint.missing-data.own", near=own)
        plan.unread.data.add(own)
    else:
        hint = msg("hint.missing-data", file=reader.display(rel), column=kpi.column)
    reader.diagnostics.error("missing-data", kpi.at("data"), msg("missing-data", path=kpi.data), hint)


def _no_sheet(reader: FileReader, kpi: KPI, missing: MissingSheet, language: str) -> None:
    """A `sheet:` the workbook lacks, reported at that `sheet:` line with the workbook's sheets."""
    message = words(language, "no-sheet.in", file=kpi.data, sheet=missing.sheet, kpi=kpi.id)[0]
    hint = words(language, "no-sheet", sheet=missing.sheet, kpi=kpi.id, sheets=", ".join(missing.sheets))[1]
    reader.diagnostics.error("xlsx", kpi.at("sheet"), message, hint)


def _series_of(reader: FileReader, raw: bytes, rel: str, spec: kpi_data.ReadSpec) -> Series | MissingSheet | None:
    """The KPI's series, or the sheet it names that the workbook lacks (reported by the caller, at the KPI's
    `sheet:` line), or None (reported)."""
    report = Reporter(reader.diagnostics, partial(reader.where, rel), spec.language)
    try:
        return kpi_data.read_series(raw, rel, spec, report)
    except NoSuchSheet as no_sheet:  # kept by the memo as a value: the exception would hold its frames
        return no_sheet.missing


def _safe_data_path(reader: FileReader, kpi: KPI) -> str | None:
    raw = kpi.data or ""
    norm = posixpath.normpath(raw.replace("\\", "/"))
    if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw) or norm == ".." or norm.startswith("../"):
        reader.diagnostics.error("data-path", kpi.at("data"), msg("data-path", path=raw),
                                 msg("hint.data-path", id=kpi.id))
        return None
    return norm
