"""YAML that remembers where every key and value was written.

PyYAML's composer gives nodes with marks; we turn them into plain Python values and a table of
positions keyed by path (`("kpis", 0, "target")`), so that any later check can point at the
exact line and column. Aliases are refused (a plan never needs them, and they allow "billion
laughs" expansion); duplicate keys are reported instead of silently keeping the last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from ..plan.messages import Msg, msg

Path = tuple[str | int, ...]

MAX_DEPTH = 40
MAX_NODES = 200_000
TOO_BIG_HINT = msg("hint.yaml-too-big", depth=MAX_DEPTH, nodes=MAX_NODES)


@dataclass
class YamlProblem:
    code: str
    line: int
    column: int
    message: str | Msg
    hint: str | Msg | None = None


@dataclass
class YamlDoc:
    """A parsed document: `data`, where each value starts (`values`) and each key (`keys`)."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def value_pos(self, path: Path) -> tuple[int, int]:
        """Line and column (from 1) of the value at `path`, or of its nearest parent."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_pos(self, path: Path) -> tuple[int, int]:
        """Line and column of the key that holds `path` (falls back to the value)."""
        return self.keys.get(path) or self.value_pos(path)


class _TooDeep(yaml.MarkedYAMLError):
    """Raised while composing, before any recursion gets near Python's (or C's) stack limit."""


class _PlanComposer(Composer):
    """PyYAML's composer, refusing anchors, aliases and nesting deeper than MAX_DEPTH as it goes."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in a plan file", event.start_mark
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not allowed in a plan file", event.start_mark
            )
        # the same node `_convert` would stop at: a value (not a mapping key) MAX_DEPTH + 1 levels down
        if self._depth > MAX_DEPTH and not (isinstance(parent, MappingNode) and index is None):
            raise _TooDeep(None, None, f"the YAML is nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PythonLoader(Reader, Scanner, Parser, _PlanComposer, Resolver):
    """The pure-Python parser: the reference for every error message and position."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _PlanComposer.__init__(self)
        Resolver.__init__(self)


class _UsePython(Exception):
    """The libyaml path met a construct where it could differ from PyYAML: parse again in Python."""


# libyaml and PyYAML disagree on tabs between tokens and after values (PyYAML refuses them), on a
# comment right after `|` or `>`, on a BOM inside the text and on the rarer line breaks; documents
# containing them are left to PyYAML, so that both paths give the same data, positions and errors.
_PYTHON_ONLY = re.compile(r"[\t\ufeff\x85\u2028\u2029]|\r(?!\n)|[|>][-+0-9]*#")

if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _CLoader(CParser, _PlanComposer, Resolver):
        """libyaml's events (about 10x faster to read than pure Python), composed by `_PlanComposer`
        in Python so that anchors, aliases and depth are checked exactly as in `_PythonLoader` (the C
        composer would also recurse without limit and crash the interpreter on deep nesting)."""

        get_single_node = _PlanComposer.get_single_node
        get_node = _PlanComposer.get_node
        check_node = _PlanComposer.check_node

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _PlanComposer.__init__(self)
            Resolver.__init__(self)
            self._text = text
            self._lines: list[str] | None = None

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            event = self.peek_event()
            if getattr(event, "tag", None) not in (None, "!"):
                raise _UsePython  # the two scan explicit tags differently; a plan never needs one
            if isinstance(event, yaml.ScalarEvent) and not event.style and "?" in event.value \
                    and getattr(parent, "flow_style", False):
                raise _UsePython  # PyYAML ends a plain text at `?` inside [ ] and { }, libyaml does not
            return super().compose_node(parent, index)

        def compose_scalar_node(self, anchor):  # type: ignore[no-untyped-def]
            event = self.get_event()
            start = event.start_mark
            if event.value == "" and start.index == event.end_mark.index and self._after_blank(start):
                # an empty value: libyaml places it at the next token, PyYAML after the previous one
                raise _UsePython
            tag = event.tag
            if tag is None or tag == "!":
                # PyYAML resolves a scalar tagged with the bare `!` like a plain one (`! 12` is a
                # number); libyaml marks it as not implicit, which would make it a string
                implicit = (True, False) if tag == "!" else event.implicit
                tag = self.resolve(ScalarNode, event.value, implicit)
            return ScalarNode(tag, event.value, start, event.end_mark, style=event.style)

        def _after_blank(self, mark: yaml.Mark) -> bool:
            if mark.column == 0:
                return True
            if self._lines is None:
                self._lines = self._text.split("\n")
            line = self._lines[mark.line] if mark.line < len(self._lines) else ""
            return mark.column > len(line) or line[mark.column - 1] == " "
else:  # pragma: no cover - PyYAML built without libyaml
    _CLoader = None  # type: ignore[assignment,misc]

# Tests switch this off to compare both parsers.
USE_LIBYAML = _CLoader is not None


def _compose(text: str) -> Node | None:
    """The root node of `text`. Raises what `_PythonLoader` raises on a document it refuses."""
    if USE_LIBYAML and not _PYTHON_ONLY.search(text):
        try:
            loader = _CLoader(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
        except Exception:  # whatever libyaml refuses (or _UsePython), the Python parser explains below
            pass
    loader = _PythonLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_constructor = SafeConstructor()


class _TooBig(Exception):
    def __init__(self, node: Node, message: Msg) -> None:
        super().__init__(str(message))
        self.node = node
        self.message = message


def parse_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document. Syntax errors become `problems`, never exceptions.

    `line_offset` shifts reported lines, for front matter that starts below line 1.
    """
    doc = YamlDoc(data=None)
    try:
        root = _compose(text)
    except _TooDeep as exc:
        mark = exc.problem_mark
        doc.problems.append(YamlProblem("yaml-too-deep", mark.line + 1 + line_offset, mark.column + 1,
                                        msg("yaml-too-deep.levels", depth=MAX_DEPTH), TOO_BIG_HINT))
        return doc
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in problem and exc.context and "quoted" in exc.context and exc.context_mark:
            mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message, hint = _explain(problem, exc.context or "")
        if "that cannot start any token" in problem:  # the hint quotes the value under the key written
            hint = _quoted_value_hint(text, line - 1, col - 1) or hint
        misaligned = _misaligned(text, line - 1) if "mapping values are not allowed" in problem else None
        if misaligned is not None:  # ` due:` one space off: alignment is the likely fix, said first
            message, hint, col = misaligned
        doc.problems.append(YamlProblem("yaml-syntax", line + line_offset, col, msg("yaml-syntax", problem=message),
                                        hint))
        return doc
    except RecursionError:
        doc.problems.append(
            YamlProblem("yaml-too-deep", 1 + line_offset, 1, msg("yaml-too-deep"), TOO_BIG_HINT)
        )
        return doc
    except yaml.reader.ReaderError as exc:  # control characters: no mark, but a position
        before = text[: exc.position]
        doc.problems.append(YamlProblem(
            "yaml-syntax", before.count("\n") + 1 + line_offset, exc.position - (before.rfind("\n") + 1) + 1,
            msg("yaml-control", character=f"{exc.character:04x}")
            if isinstance(exc.character, int) else msg("yaml-unreadable-character"),
            msg("hint.yaml-control")))
        return doc
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises nothing else without a mark
        doc.problems.append(YamlProblem("yaml-syntax", 1 + line_offset, 1, f"YAML error: {exc}"))
        return doc
    if root is None:
        return doc
    counter = [0]
    try:
        doc.data = _convert(root, (), doc, line_offset, 0, counter)
    except _TooBig as exc:
        doc.data = None
        doc.problems.append(
            YamlProblem("yaml-too-deep", exc.node.start_mark.line + 1 + line_offset,
                        exc.node.start_mark.column + 1, exc.message, TOO_BIG_HINT)
        )
    return doc


_KEY_LINE = re.compile(r"(?P<indent>[ ]*(?:-[ ]+)*)(?P<key>[^\s:#'\"][^:#]*?):(?:[ ]|$)")


def _misaligned(text: str, index: int) -> tuple[Msg, Msg, int] | None:
    """(message, hint, column) when line `index` (0-based) is a `key: value` whose key does not start in the
    column of the key on the line above it, the likely cause of "mapping values are not allowed"; else None."""
    lines = text.splitlines()
    if index >= len(lines):
        return None
    this = _KEY_LINE.match(lines[index])
    above = next((lines[i] for i in range(index - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    other = _KEY_LINE.match(above) if above is not None else None
    if this is None or other is None or above is None or above.rstrip().endswith(":"):
        return None
    found, expected = len(this["indent"]), len(other["indent"])
    if found == expected:
        return None
    return (msg("yaml.colon-indent", found=found + 1, expected=expected + 1),
            msg("hint.yaml-colon-indent", key=this["key"].strip(), column=expected + 1), found + 1)


_KEY_VALUE_LINE = re.compile(r"[ ]*(?:-[ ]+)*(?P<key>[^\s:#'\"\-][^:#]*?):[ ]+(?P<value>[^#]*?)[ ]*(?:[ ]#.*)?$")


def _quoted_value_hint(text: str, index: int, column: int) -> Msg | None:
    """"put quotes around the text: unit: "%"", naming the key of line `index` (0-based) when its value starts
    at `column` with the character that cannot start a value; else None (a list item, a value inside [...])."""
    lines = text.splitlines()
    found = _KEY_VALUE_LINE.match(lines[index]) if index < len(lines) else None
    if found is None or found.start("value") != column or '"' in found["value"]:
        return None
    return msg("hint.yaml-start-key", key=found["key"].rstrip(), value=found["value"])


def _explain(problem: str, context: str) -> tuple[str | Msg, Msg | None]:
    """PyYAML's problem in words a plan author knows, and what to write instead."""
    if "found character '\\t'" in problem:
        return msg("yaml.tab"), msg("hint.yaml-tab")
    if "mapping values are not allowed" in problem:
        return msg("yaml.colon"), msg("hint.yaml-colon")
    if "expected <block end>" in problem and "<scalar>" in problem:
        return msg("yaml.after-quote"), msg("hint.yaml-after-quote")
    if "expected <block end>" in problem or "did not find expected key" in problem \
            or "did not find expected '-'" in problem:
        return msg("yaml.indent"), msg("hint.yaml-indent")
    if "end of stream" in problem and "quoted" in context:
        return msg("yaml.quote"), msg("hint.yaml-quote")
    if "could not find expected ':'" in problem:
        return msg("yaml.not-key-value"), msg("hint.yaml-not-key-value")
    if "expected ',' or ']'" in problem:
        return msg("yaml.list"), msg("hint.yaml-list")
    if "expected ',' or '}'" in problem:
        return msg("yaml.mapping"), msg("hint.yaml-mapping")
    if "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return msg("yaml.start", char=char), msg("hint.yaml-start", char=char)
    if "found another document" in problem:
        return msg("yaml.document"), msg("hint.yaml-document")
    if "aliases" in problem or "anchors" in problem:
        return problem, msg("hint.yaml-alias")
    return problem, None


_PLAIN_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


def _tag_problem(node: Node, offset: int) -> YamlProblem:
    return YamlProblem("yaml-tag", node.start_mark.line + 1 + offset, node.start_mark.column + 1,
                       f"the tag `{node.tag.replace('tag:yaml.org,2002:', '!!')}` is not allowed in a plan file",
                       "remove the tag (the word starting with !) and write the value as plain text")


def _convert(node: Node, path: Path, doc: YamlDoc, offset: int, depth: int, counter: list[int]) -> Any:
    counter[0] += 1
    if depth > MAX_DEPTH:
        raise _TooBig(node, msg("yaml-too-deep.levels", depth=MAX_DEPTH))
    if counter[0] > MAX_NODES:
        raise _TooBig(node, msg("yaml-too-many", nodes=MAX_NODES))
    doc.values[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        try:
            return _constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            # an explicit tag such as !!python/object: never run, never silently dropped
            doc.problems.append(_tag_problem(node, offset))
            return node.value
        except (ValueError, yaml.YAMLError, OverflowError):
            # e.g. an impossible date like 2026-02-30: keep the text, validation explains it
            return node.value
    if node.tag not in _PLAIN_COLLECTION_TAGS and not isinstance(node, ScalarNode):
        # `!!python/object/apply:os.system [...]` is a tagged list: refused like a tagged text
        doc.problems.append(_tag_problem(node, offset))
    if isinstance(node, SequenceNode):
        return [
            _convert(child, (*path, i), doc, offset, depth + 1, counter)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                doc.problems.append(
                    YamlProblem("type", key_node.start_mark.line + 1 + offset,
                                key_node.start_mark.column + 1,
                                msg("yaml.key"))
                )
                continue
            key = str(key_node.value)
            key_pos = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            if key in result:
                first = doc.keys[(*path, key)]
                doc.problems.append(
                    YamlProblem("duplicate-key", *key_pos,
                                msg("duplicate-key", key=key, line=first[0]), msg("hint.duplicate-key"))
                )
                continue
            doc.keys[(*path, key)] = key_pos
            result[key] = _convert(value_node, (*path, key), doc, offset, depth + 1, counter)
        return result
    return None  # pragma: no cover - PyYAML has no other node kind
