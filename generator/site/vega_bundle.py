"""The offline chart library: Vega, Vega-Lite and vega-embed as one classic script.

`vl_convert.javascript_bundle()` builds it in about 1.5 s (≈ 900 KB; it sets window.vegaEmbed, vega
and vegaLite). Its bytes depend only on the vl-convert version, so it is built once per machine and
kept on disk, keyed by that version, and once per process in memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

_memo: dict[Path, bytes] = {}


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/strategy-site`, else `~/.cache/strategy-site`."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base if base else Path.home() / ".cache") / "strategy-site"


def _bundle_version() -> str:
    import vl_convert

    return str(getattr(vl_convert, "__version__", "unknown"))


def bundle_path(cache_dir: Path | None = None) -> Path:
    """Where the bundle of the installed vl-convert is cached."""
    return (cache_dir or default_cache_dir()) / f"vega-bundle-vl-convert-{_bundle_version()}.js"


def vega_bundle(cache_dir: Path | None = None) -> bytes:
    """The bundle's bytes: from memory, else from the disk cache, else built and cached.

    A cache that cannot be read or written (read-only home, full disk) only costs the rebuild: the
    bundle is still returned.
    """
    path = bundle_path(cache_dir)
    if path in _memo:
        return _memo[path]
    data: bytes | None = None
    with contextlib.suppress(OSError):
        data = path.read_bytes()
    if not data:  # missing, unreadable, or an empty file left by a crash
        import vl_convert

        data = vl_convert.javascript_bundle().encode("utf-8")
        write_atomically(path, data)
    _memo[path] = data
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: a concurrent build never reads
    half a bundle."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError:
        pass  # no cache this time; the caller has the bytes
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
