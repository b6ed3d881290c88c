"""Pages to HTML with Jinja2, through a theme search path: the plan repository's `themes/NAME/` first,
then the built-in default theme (`themes/default`, shipped in the wheel as `generator._themes`).

A theme is `templates/*.html` (every page template extends `base.html`, whose blocks are the override
points) and `static/**` (copied to `static/` in the site; a file of the plan's theme replaces the
default's file of the same name). One Jinja environment per theme path, made once per process.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from ..plan.i18n import Formatter
from .chart_svg import NARROW, WIDE, draw_chart
from .charts import Chart, InlinedSpec
from .markdown_render import render_markdown
from .pages import PageSpec, SiteContext
from .theme_guard import guarded_loader, trusted_theme_dir

THEME_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def default_theme_dir() -> Path:
    """The built-in theme: `generator/_themes/default` when installed, `themes/default` in a checkout."""
    try:
        from importlib.resources import files

        found = Path(str(files("generator._themes") / "default"))
        if (found / "templates").is_dir():
            return found
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "themes" / "default"


def theme_dirs(plan_dir: Path | None, theme: str) -> list[Path]:
    """The theme search path, most specific first. The plan's `themes/NAME/` sits beside the plan folder."""
    dirs: list[Path] = []
    if plan_dir is not None:
        own = trusted_theme_dir(plan_dir, theme)  # never through a symbolic link
        if own is not None and own.resolve() != default_theme_dir().resolve():
            dirs.append(own)
    dirs.append(default_theme_dir())
    return dirs


def _json_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no `</script>`, `<!--` or `&` can close it."""
    if type(value) is InlinedSpec:  # a chart's spec: its JSON joined from text made once per shape and row
        text = value.json_text()
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class TemplateStore(Protocol):
    """Where compiled templates outlive the process: cache/site_stores.py, which the orchestrators plug in."""

    def load(self, key: str) -> bytes | None: ...

    def store(self, key: str, code: bytes) -> None: ...


_template_store: TemplateStore | None = None


def keep_compiled_templates_in(store: TemplateStore | None) -> None:
    """Read compiled templates from `store` before compiling them and keep the new ones there (None: each
    environment compiles its templates once per process)."""
    global _template_store
    _template_store = store


def _bytecode_cache(kind: type, options: dict[str, Any]) -> Any:
    """Compiled templates kept across builds in the plugged store: compiling the theme is most of a small
    site's build. Jinja checks each entry against a hash of the template's source, so an edited theme is
    compiled again; the key holds what the compiled code also depends on (Jinja's version, the environment's
    class and options). A store that cannot be written only costs the compilation."""
    import jinja2

    environment_key = f"{jinja2.__version__} {kind.__module__}.{kind.__qualname__} {sorted(options.items())!r}"

    class Plugged(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            store = _template_store
            code = store.load(f"{environment_key}\n{bucket.key}") if store is not None else None
            if code is not None:
                try:
                    bucket.bytecode_from_string(code)  # Jinja checks it against the template's source
                except Exception:  # not Jinja's bytecode after all: compiled again
                    bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            store = _template_store
            if store is not None:
                with contextlib.suppress(Exception):  # only ever a speed-up
                    store.store(f"{environment_key}\n{bucket.key}", bucket.bytecode_to_string())

    return Plugged()


@functools.cache
def _sandbox_class() -> type:
    """Jinja's sandbox, with its verdict on each attribute a template reads remembered by the object's type
    and the attribute's name, which are all the verdict depends on (a name and isinstance checks): the
    sandbox asked again for each of a large site's 200,000 attribute reads, a fifth of its rendering time."""
    from jinja2.runtime import Macro
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._verdicts: dict[tuple[type, str], bool] = {}

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            key = (type(obj), attr)
            verdict = self._verdicts.get(key)
            if verdict is None:
                verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
            return verdict

        def getattr(self, obj: Any, attribute: str) -> Any:
            """Jinja's, with a shortcut for the common read: an attribute already judged safe on this type
            whose value is no method (only a method can be `str.format`, which the sandbox wraps)."""
            if self._verdicts.get((type(obj), attribute)) is True:
                try:
                    value = getattr(obj, attribute)
                except AttributeError:
                    pass
                else:
                    if type(value) is not types.MethodType and type(value) is not types.BuiltinMethodType:
                        return value
            return super().getattr(obj, attribute)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            """Jinja's, without judging again what can only be judged safe: a big page makes 150 calls
            (`fmt.number`, `t`, macros), each of which Jinja inspects for markers that none of them has."""
            if not _plainly_callable(__obj, Macro):
                return super().call(__context, __obj, *args, **kwargs)
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja's Context.call
                return __self.undefined("value was undefined because a callable raised a StopIteration exception")

    return Sandbox


def _plainly_callable(obj: Any, macro: type) -> bool:
    """A macro, or a Python function or method whose function carries no attribute at all: then it has none
    of the markers that make Jinja refuse a call (`unsafe_callable`, `alters_data`) or pass it the context,
    the environment or the evaluation context (`jinja_pass_arg`). Anything else is left to Jinja."""
    kind = type(obj)
    if kind is types.MethodType:
        obj = obj.__func__
        kind = type(obj)
    if kind is types.FunctionType:
        return not obj.__dict__
    return kind is macro  # jinja2.runtime.Macro (render.py imports Jinja only when a site is rendered)


def _markdown(context: Any, text: str | None) -> Markup:
    """The `markdown` filter: a body in the plan's language (French spacing in a French plan)."""
    site = context.get("site")
    return _markdown_in(text, getattr(site, "language", "en"))


@functools.lru_cache(maxsize=4096)
def _markdown_in(text: str | None, language: str) -> Markup:
    """`render_markdown`, once per distinct text: the versions of `--all-versions` and the rebuilds of
    `strategy serve` show mostly the same bodies (the result is an immutable Markup string)."""
    return render_markdown(text, language)


# the no-break space before a unit that is a word ("6 000 commandes"), not before a symbol or an abbreviation
_WORD_UNIT = re.compile("\u00a0(?=[^\\W\\d_]{4})")


def _unit_may_wrap(text: str) -> str:
    """A tile's figure whose word unit may go to the next line ("6 000 / commandes") in a narrow tile, where
    the figure and its unit held by a no-break space were cut inside the word ("6 000 command / es")."""
    return _WORD_UNIT.sub(" ", text)


def _drawn(chart: Chart, fmt: Formatter) -> tuple[Markup, Markup] | None:
    """A chart's SVG drawings, wide and narrow (chart_svg.py), or None when it cannot be drawn."""
    wide = draw_chart(chart.spec, WIDE, fmt)
    narrow = draw_chart(chart.spec, NARROW, fmt) if wide is not None else None
    return (wide, narrow) if wide is not None and narrow is not None else None


@functools.lru_cache(maxsize=8)
def environment(search_path: tuple[Path, ...]) -> Any:
    """One Jinja environment per theme search path (templates are compiled once and cached)."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loader = guarded_loader([str(p / "templates") for p in search_path])  # no template through a link
    # sandboxed: a theme comes from the plan's repository, so its templates get no path to Python internals
    options: dict[str, Any] = {"autoescape": True, "undefined": jinja2.StrictUndefined, "trim_blocks": True,
                               "lstrip_blocks": True, "keep_trailing_newline": True}
    env = _sandbox_class()(loader=loader, bytecode_cache=_bytecode_cache(SandboxedEnvironment, options), **options)
    env.filters["markdown"] = jinja2.pass_context(_markdown)
    env.filters["json_script"] = _json_script
    env.filters["drawn"] = _drawn
    env.filters["unit_may_wrap"] = _unit_may_wrap
    return env


def render_page(env: Any, page: PageSpec, site: SiteContext) -> str:
    template = env.get_template(page.template)
    return template.render(page=page, site=site, fmt=site.fmt, t=site.t, data=page.data)


def static_names(files: list[tuple[str, Path]]) -> dict[str, str]:
    """Each static file's name with a digest of its bytes before the extension (`site.3f9a1c2e.css`): pages link
    to these, so a deploy is applied whole (a browser never keeps an old stylesheet with new pages) and the
    files can be cached for good. A file that cannot be read keeps its name (the copy will say why)."""
    import hashlib

    names = {}
    for rel, file in files:
        try:
            digest = hashlib.blake2b(file.read_bytes(), digest_size=4).hexdigest()
        except OSError:
            names[rel] = rel
            continue
        folder, _, name = rel.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        hashed = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
        names[rel] = f"{folder}/{hashed}" if folder else hashed
    return names


def named_statics(files: list[tuple[str, Path]], search_path: tuple[Path, ...]) -> set[str]:
    """The static files something refers to by their own name, which are published under it too, beside the
    content-named copy: another static file (`url(logo.png)` in a theme's CSS) or a template of the plan's own
    theme that links `static/site.css` without `site.static_name`. The default theme links only content names,
    so its files ship once."""
    import re

    texts: dict[str, str] = {}
    for rel, file in files:
        if file.suffix in (".css", ".js", ".mjs", ".html", ".svg", ".json", ".txt"):
            try:
                texts[rel] = file.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
    default = default_theme_dir().resolve()
    templates = [t.read_text(encoding="utf-8", errors="replace") for theme in search_path
                 if theme.resolve() != default and (theme / "templates").is_dir()
                 for t in sorted((theme / "templates").rglob("*")) if t.is_file() and not t.is_symlink()]
    # a link through static_name('site.css') is to the content-named copy
    linked = re.sub(r"""static_name\(\s*(['"])[^'"]*\1\s*\)""", "", "\n".join(templates))
    named = set()
    for rel, _ in files:
        name = rel.rpartition("/")[2]
        if name in linked or any(name in text for other, text in texts.items() if other != rel):
            named.add(rel)
    return named


def static_files(search_path: tuple[Path, ...]) -> Iterator[tuple[str, Path]]:
    """(path under static/, file) of the theme, the plan's theme overriding the default's by name."""
    seen: set[str] = set()
    for theme in search_path:
        static = theme / "static"
        if not static.is_dir():
            continue
        for file in sorted(static.rglob("*")):
            if not file.is_file() or file.is_symlink():
                continue  # a theme's symbolic link could point anywhere on the machine
            rel = file.relative_to(static).as_posix()
            if rel not in seen:
                seen.add(rel)
                yield rel, file
