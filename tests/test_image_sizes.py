"""Images in a plan's bodies reach the page with their width and height, so the browser keeps their place
before they arrive (no layout shift on a phone's slow network, no "unsized image" in Lighthouse)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.build import build
from generator.site.image_sizes import intrinsic_size, sized_images

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def _picture(kind: str, width: int, height: int, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (31, 78, 121))
    if orientation is None:
        image.save(out, kind)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, kind, exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(("name", "kind"), [("a.png", "PNG"), ("a.gif", "GIF"), ("a.jpg", "JPEG"),
                                            ("a.jpeg", "JPEG"), ("a.webp", "WEBP")])
def test_a_picture_is_measured_from_its_header(name: str, kind: str) -> None:
    """A PNG, GIF, JPEG or WebP exported at 640 × 360 is shown 640 × 360."""
    assert intrinsic_size(name, _picture(kind, 640, 360)) == (640, 360)


def test_a_photo_turned_by_its_exif_orientation_is_measured_turned() -> None:
    """A phone photo stored 400 × 300 with "turn a quarter" in its EXIF is shown 300 × 400, as browsers show it."""
    assert intrinsic_size("photo.jpg", _picture("JPEG", 400, 300, orientation=6)) == (300, 400)


@pytest.mark.parametrize(("svg", "size"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"></svg>', (120, 40)),
    ('<?xml version="1.0"?>\n<svg width="99.6px" height=\'30\'\n xmlns="http://www.w3.org/2000/svg"/>', (100, 30)),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"></svg>', None),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="40"></svg>', None),
])
def test_an_svg_is_sized_only_by_its_own_pixels(svg: str, size: tuple[int, int] | None) -> None:
    """An SVG with a width and height in pixels is shown that size; one sized by its viewBox or in % depends on
    the page and is left to the browser, as before."""
    assert intrinsic_size("logo.svg", svg.encode()) == size


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n", b"not a picture at all", b"GIF89a"])
def test_a_file_that_is_no_readable_picture_has_no_size(data: bytes) -> None:
    """A file cut short or misnamed gets no size (its <img> is left as written), never an error."""
    assert intrinsic_size("broken.png", data) is None


def test_only_unsized_images_of_the_plan_are_given_a_size() -> None:
    """An <img> naming an asset from the page's folder gets its size; one the author gave a width gets the
    height in the picture's proportions; one given both, an outside address and an unknown file are left as
    written."""
    sizes = {"assets/chart.png": (640, 360)}
    page = (b'<p><img alt="A" src="../assets/chart.png"></p><img src="../assets/chart.png" width="200">'
            b'<img src="../assets/chart.png" width="20" height="20"><img height="90" src="../assets/chart.png">'
            b'<img src="https://example.org/chart.png"><img src="../assets/other.png" alt="B"/>')
    assert sized_images(page, "objectives/x.html", sizes) == (
        b'<p><img alt="A" src="../assets/chart.png" width="640" height="360"></p>'
        b'<img src="../assets/chart.png" width="200" height="113">'
        b'<img src="../assets/chart.png" width="20" height="20"><img height="90" src="../assets/chart.png" width="160">'
        b'<img src="https://example.org/chart.png"><img src="../assets/other.png" alt="B"/>')


def test_a_body_image_is_published_with_its_size(tmp_path: Path) -> None:
    """`![Funnel](../assets/funnel.png)` in an objective's body, a 640 × 360 PNG, is on the objective's page
    as `<img … width="640" height="360">`; the example's SVG logo on the audit page as 120 × 40."""
    plan = tmp_path / "content"
    shutil.copytree(ROOT / "content", plan)
    (plan / "assets" / "funnel.png").write_bytes(_picture("PNG", 640, 360))
    objective = plan / "objectives" / "portail-client.md"
    objective.write_text(objective.read_text(encoding="utf-8") + "\n![Funnel](../assets/funnel.png)\n",
                         encoding="utf-8")
    out = tmp_path / "out"
    assert build(plan, out, TODAY).ok
    page = (out / "objectives" / "portail-client.html").read_text(encoding="utf-8")
    assert re.search(r'<img alt="Funnel" src="\.\./assets/funnel\.png" width="640" height="360">', page), page
    audit = (out / "pages" / "audit.html").read_text(encoding="utf-8")
    assert '<img alt="Logo" src="../assets/logo.svg" width="120" height="40">' in audit
