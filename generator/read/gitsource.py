"""A plan folder at a git revision, read straight from the repository without a checkout.

One `git ls-tree -r -z --long` lists the files with their sizes (so oversized files are refused
before they are read), and ONE long-lived `git cat-file --batch` process serves every blob:
about 8 ms for 100 files, against 190 ms for 100 `git show` (ARCHITECTURE.md).

Every failure a user can cause (not a repository, unknown revision, shallow clone, a revision
without the plan folder) raises `GitError` with a message and a hint, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import weakref
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from ..plan.messages import Msg, msg, words
from .budgets import max_file_bytes
from .source import FileTooLarge

WORKING_TREE = "working tree"
SYMLINK_MODE = "120000"
KNOWN_TAGS_SHOWN = 15


class GitError(Exception):
    """A problem with the repository or a revision, told in the user's terms."""

    def __init__(self, code: str, message: str | Msg, hint: str | Msg | None = None) -> None:
        super().__init__(str(message))
        self.code = code  # not-a-repository | no-git | unknown-revision | shallow-clone | no-plan-folder | git-failed
        self.said, self.said_hint = message, hint
        self.message = str(message)  # in English, for logs and tests
        self.hint = None if hint is None else str(hint)

    def text(self, language: str) -> str:
        """The message, in `language` (a git failure quoting git's own words stays as git said it)."""
        return words(language, self.said) or ""

    def hint_text(self, language: str) -> str | None:
        return words(language, self.said_hint)

    def __str__(self) -> str:
        return self.message + (f"\n  hint: {self.hint}" if self.hint else "")


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    return env


def run_git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run one git command in `repo`, bytes in and out. `--literal-pathspecs`: a plan path is a
    path, never a glob."""
    try:
        result = subprocess.run(["git", "--literal-pathspecs", *args], cwd=repo, env=_git_env(),
                                capture_output=True, stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError as exc:
        raise GitError("no-git", msg("git.no-git"), msg("git.no-git.hint")) from exc
    if check and result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError("git-failed", f"`git {' '.join(args)}` failed: {detail[-1] if detail else result.returncode}")
    return result


@dataclass(frozen=True)
class Repository:
    """A git working tree, and where the plan folder sits inside it."""

    root: Path  # the top level of the working tree, resolved

    @classmethod
    def find(cls, start: Path) -> Repository:
        """The repository holding `start` (a plan folder, which may not exist in the working tree)."""
        probe = Path(os.path.abspath(start))
        while not probe.is_dir() and probe != probe.parent:
            probe = probe.parent
        result = run_git(probe, "rev-parse", "--show-toplevel", check=False)
        if result.returncode != 0:
            raise GitError("not-a-repository", msg("git.not-a-repository", start=str(start)),
                           msg("git.not-a-repository.hint"))
        return cls(Path(result.stdout.decode().strip()).resolve())

    def plan_path(self, plan: Path) -> str:
        """The plan folder as a POSIX path relative to the top level ('' for the top level itself)."""
        full = Path(os.path.realpath(os.path.abspath(plan)))
        try:
            rel = full.relative_to(self.root)
        except ValueError:
            raise GitError("not-a-repository", msg("git.outside", plan=str(plan), root=str(self.root)),
                           msg("git.outside.hint")) from None
        return "" if str(rel) == "." else rel.as_posix()

    @property
    def is_shallow(self) -> bool:
        out = run_git(self.root, "rev-parse", "--is-shallow-repository", check=False).stdout.decode().strip()
        return out == "true"

    def tags(self) -> list[str]:
        """Every tag, newest first."""
        out = run_git(self.root, "for-each-ref", "--sort=-creatordate", "--format=%(refname:short)",
                      "refs/tags", check=False).stdout.decode("utf-8", "replace")
        return [line for line in out.splitlines() if line]

    def trees(self, commits: list[str], path: str) -> list[str | None]:
        """The object id of folder `path` in each commit (None where it is not a folder), in one git call:
        a digest of everything the folder holds, so equal for two commits with byte-identical folders."""
        if not commits:
            return []
        spec = path.rstrip("/") or "."
        lines = "".join(f"{commit}:{'' if spec == '.' else spec}\n" for commit in commits)
        try:
            result = subprocess.run(["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"], cwd=self.root,
                                    env=_git_env(), input=lines.encode("utf-8", "surrogateescape"),
                                    capture_output=True, check=False)
        except FileNotFoundError:
            return [None] * len(commits)
        out = result.stdout.decode("utf-8", "replace").splitlines()
        if result.returncode != 0 or len(out) != len(commits):
            return [None] * len(commits)
        return [line.split()[0] if line.endswith(" tree") else None for line in out]

    def resolve(self, revision: str) -> str:
        """The commit id `revision` names, or a GitError that lists the known tags."""
        if not revision or revision.startswith("-") or "\x00" in revision:
            raise GitError("unknown-revision", msg("git.not-a-revision", revision=revision),
                           msg("git.not-a-revision.hint"))
        result = run_git(self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
        if result.returncode == 0:
            return result.stdout.decode().strip()
        if run_git(self.root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
            raise GitError("unknown-revision", msg("git.no-commit", revision=revision), msg("git.no-commit.hint"))
        if self.is_shallow:
            raise GitError("shallow-clone", msg("git.shallow-revision", revision=revision), msg("git.shallow.hint"))
        tags = self.tags()
        if tags:
            shown = ", ".join(tags[:KNOWN_TAGS_SHOWN]) + (", …" if len(tags) > KNOWN_TAGS_SHOWN else "")
            hint = msg("git.unknown.tags", tags=shown)
        else:
            hint = msg("git.unknown.no-tags")
        raise GitError("unknown-revision", msg("git.unknown", revision=revision), hint)

    def has_uncommitted(self, plan: Path) -> bool:
        """True when the working tree's plan folder differs from HEAD (an edited, new or deleted file)."""
        spec = self.plan_path(plan) or "."
        result = run_git(self.root, "status", "--porcelain", "--untracked-files=all", "--", spec, check=False)
        return result.returncode == 0 and bool(result.stdout.strip())

    def plan_folders_at(self, commit: str) -> list[str]:
        """Folders holding a strategy.yaml at `commit`, to suggest the right --plan."""
        out = run_git(self.root, "ls-tree", "-r", "-z", "--name-only", commit, check=False).stdout
        found = []
        for raw in out.split(b"\x00"):
            path = raw.decode("utf-8", "replace")
            if path == "strategy.yaml" or path.endswith("/strategy.yaml"):
                found.append(str(PurePosixPath(path).parent))
        return sorted(found)[:5]


class CatFile:
    """One `git cat-file --batch` process, asked for one object at a time (lazily started)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            try:
                self._proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.repo, env=_git_env(),
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL)
            except FileNotFoundError as exc:
                raise GitError("no-git", "git is not installed (or not on PATH)") from exc
            self._finalizer = weakref.finalize(self, _stop, self._proc)
        return self._proc

    def read(self, spec: str, limit: int | None = None) -> bytes | None:
        """The content of the object `spec` (an id, or `REV:path`), or None when it does not exist. Past
        `limit` bytes, FileTooLarge is raised without keeping the content (it is read past, in chunks)."""
        if "\n" in spec:
            return None
        proc = self._start()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(spec.encode("utf-8") + b"\n")
            stdin.flush()
            header = stdout.readline()
        except (BrokenPipeError, OSError) as exc:
            raise GitError("git-failed", f"git cat-file stopped while reading {spec}") from exc
        if not header:
            raise GitError("git-failed", f"git cat-file stopped while reading {spec}")
        parts = header.split()
        if len(parts) != 3 or parts[1] in (b"missing", b"ambiguous"):
            return None
        size = int(parts[2])
        if limit is not None and size > limit:
            left = size + 1
            while left:  # the stream must be read past the object before the next question
                left -= len(_read_exactly(stdout, min(left, 1 << 20)))
            raise FileTooLarge(spec, size)
        return _read_exactly(stdout, size + 1)[:-1]  # content, then a newline

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._proc = None


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise GitError("git-failed", "git cat-file ended in the middle of an object")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class _Blob:
    object_id: str
    size: int


class GitSource:
    """The `Source` of a plan folder at one git revision (see source.Source).

    Symbolic links (mode 120000) and submodules are not followed; hidden files and folders are
    skipped, as DirectorySource does. Use as a context manager, or call close(), to end the
    cat-file process (it also ends when the object is garbage-collected).
    """

    def __init__(self, repository: Repository, revision: str, plan_path: str, *, shown_plan: str | None = None) -> None:
        self.repository = repository
        self.revision = revision
        self.commit = repository.resolve(revision)
        self.plan_path = plan_path.strip("/")
        self.shown_plan = shown_plan if shown_plan is not None else (self.plan_path or ".")
        self.symlinks: list[str] = []  # plan-relative paths of links that were not followed
        self._blobs = self._list()
        self._cat = CatFile(repository.root)

    @classmethod
    def open(cls, plan: Path, revision: str) -> GitSource:
        """The folder `plan` (as given on the command line) at `revision`."""
        repository = Repository.find(plan)
        return cls(repository, revision, repository.plan_path(plan), shown_plan=Path(plan).as_posix())

    def _list(self) -> dict[str, _Blob]:
        args = ["ls-tree", "-r", "-z", "--long", "--full-tree", self.commit]
        if self.plan_path:
            args += ["--", self.plan_path]
        out = run_git(self.repository.root, *args).stdout
        prefix = f"{self.plan_path}/" if self.plan_path else ""
        blobs: dict[str, _Blob] = {}
        for record in out.split(b"\x00"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            path = raw_path.decode("utf-8", "surrogateescape")
            fields = meta.split()
            if len(fields) != 4 or not path.startswith(prefix):
                continue  # the plan path names a file, not a folder
            mode, kind, object_id, size = (f.decode() for f in fields)
            rel = path[len(prefix):]
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            if mode == SYMLINK_MODE:
                self.symlinks.append(rel)
            elif kind == "blob" and size.isdigit():
                blobs[rel] = _Blob(object_id, int(size))
        if not blobs:
            self._no_plan_folder()
        return dict(sorted(blobs.items()))

    def _as_given(self, folder: str) -> str:
        """A folder of the repository as the user would give it to --plan from where they are (`.` from inside
        it: "strategy.yaml is in `content`" read as a contradiction there); from the top level otherwise."""
        cwd = Path.cwd().resolve()
        if cwd != self.repository.root and not cwd.is_relative_to(self.repository.root):
            return folder or "."
        return Path(os.path.relpath(self.repository.root / folder, cwd)).as_posix()

    def _no_plan_folder(self) -> None:
        folders = [self._as_given(f) for f in self.repository.plan_folders_at(self.commit)]
        hint = msg("git.no-plan-folder.there", folders=", ".join(f"`{f}`" for f in folders)) if folders else \
            msg("git.no-plan-folder.later")
        raise GitError("no-plan-folder", msg("git.no-plan-folder", revision=self.revision, plan=self.shown_plan),
                       hint)

    # --- the Source protocol --------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{self.revision}:{self.shown_plan}"

    def files(self) -> list[str]:
        return list(self._blobs)

    def size(self, path: str) -> int:
        return self._blobs[path].size

    def object_id(self, path: str) -> str:
        return self._blobs[path].object_id

    def read_bytes(self, path: str) -> bytes:
        blob = self._blobs.get(path)
        if blob is None:
            raise FileNotFoundError(2, "no such file at this revision", path)
        if blob.size > max_file_bytes(path):
            raise FileTooLarge(path, blob.size)
        data = self._cat.read(blob.object_id)
        if data is None:
            raise FileNotFoundError(2, "the object is missing from the repository", path)
        return data

    def display(self, path: str) -> str:
        return f"{self.label}/{path}"

    def fingerprint(self) -> str:
        """Identifies the plan's exact content: equal for two revisions with byte-identical plans."""
        import hashlib

        digest = hashlib.sha256()
        for rel, blob in self._blobs.items():
            digest.update(f"{rel}\x00{blob.object_id}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def close(self) -> None:
        self._cat.close()

    def __enter__(self) -> GitSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
