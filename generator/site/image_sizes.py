"""Images of a plan's bodies given their size, so the page keeps their place before they arrive.

`![Logo](../assets/logo.png)` becomes `<img src=… alt=…>` with no size: the browser lays the page out without
it, then pushes everything below down when the image arrives (a layout shift, slow on a phone's network), and
Lighthouse flags the image as unsized. The build knows each asset's bytes, so each `<img>` pointing at one gets
the `width` and `height` read from the file's header (PNG, GIF, JPEG, WebP, AVIF; an SVG's own `width`
and `height` in pixels); with the theme's `max-width: 100%; height: auto` the browser reserves the right box at
any width. An image given a width by its author (`{: width="200" }`) gets the height in its proportions; one
given both, an outside address or a file we cannot read is left as it is.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
from collections.abc import Mapping

from .body_links import relative_target

Size = tuple[int, int]

_IMG = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(rb'\ssrc="([^"]*)"', re.IGNORECASE)
_GIVEN = re.compile(rb'\s(width|height)="([^"]*)"', re.IGNORECASE)  # nh3 writes attributes "quoted"
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_LENGTH = r'\s{}\s*=\s*["\']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["\']'
_SVG_WIDTH = re.compile(_SVG_LENGTH.format("width"), re.IGNORECASE)
_SVG_HEIGHT = re.compile(_SVG_LENGTH.format("height"), re.IGNORECASE)
_RASTER = ("png", "gif", "jpg", "jpeg", "webp", "avif")
_ORIENTATION = 0x0112  # EXIF: how the stored picture is to be turned; 5 to 8 swap its width and height
_QUARTER_TURNS = (5, 6, 7, 8)


def intrinsic_size(rel: str, data: bytes) -> Size | None:
    """(width, height) in CSS pixels of the image `data` of the asset `rel`, as a browser shows it (a photo
    turned by its EXIF orientation turned too); None for a file that is no image we can read, or an SVG sized
    in %, em or by its viewBox alone (its box depends on the page: the browser works it out as it always did).
    Raster headers are read by Pillow (installed with WeasyPrint), which reads the header only."""
    extension = rel.rsplit(".", 1)[-1].lower()
    if extension == "svg":
        return _svg_size(data)
    if extension not in _RASTER:
        return None
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a huge picture is only measured, never decoded
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if image.getexif().get(_ORIENTATION, 1) in _QUARTER_TURNS:
                    width, height = height, width
    except Exception:  # Pillow's many ways of refusing a file (not an image, cut short, too big): no size
        return None
    return (width, height) if width > 0 and height > 0 else None


def _svg_size(data: bytes) -> Size | None:
    root = _SVG_ROOT.search(data[:8192].decode("utf-8", "replace"))
    if root is None:
        return None
    width, height = _SVG_WIDTH.search(root.group()), _SVG_HEIGHT.search(root.group())
    if width is None or height is None:
        return None
    size = round(float(width.group(1))), round(float(height.group(1)))
    return size if size[0] > 0 and size[1] > 0 else None


def image_sizes(assets: Mapping[str, bytes]) -> dict[str, Size]:
    """The size of each asset (path in the plan → bytes) that is an image we can read."""
    sizes = {}
    for rel, data in assets.items():
        size = intrinsic_size(rel, data)
        if size is not None:
            sizes[rel] = size
    return sizes


def sized_images(page: bytes, page_path: str, sizes: Mapping[str, Size]) -> bytes:
    """`page` (at `page_path` in the site) with `width` and `height` on each `<img>` that has neither and whose
    relative `src` names an asset of `sizes` (the site mirrors the plan's folders, so the address resolves from
    the page's folder as from its Markdown file's)."""
    if not sizes or b"<img" not in page:
        return page
    folder = posixpath.dirname(page_path)

    def sized(match: re.Match[bytes]) -> bytes:
        tag = match.group()
        src = _SRC.search(tag)
        given = {m.group(1).lower(): m.group(2) for m in _GIVEN.finditer(tag)}
        if src is None or len(given) == 2:
            return tag
        target = relative_target(folder, html.unescape(src.group(1).decode("utf-8", "replace")))
        size = sizes.get(target) if target is not None else None  # the file `check`'s broken-link finds
        if size is None:
            return tag
        if given:  # the author's width (or height) kept, the other in the picture's proportions
            (name, value), = given.items()
            if not value.isdigit() or not int(value):
                return tag
            width = name == b"width"
            other = int(int(value) * (size[1] / size[0] if width else size[0] / size[1]) + 0.5)  # halves up
            added = b' %s="%d"' % (b"height" if width else b"width", max(1, other))
        else:
            added = b' width="%d" height="%d"' % size
        end = len(tag) - (2 if tag.endswith(b"/>") else 1)
        return tag[:end].rstrip() + added + tag[end:]

    return _IMG.sub(sized, page)
