"""Which files `assets/` may publish, judged by what they are, not only by their name.

`assets/` is copied as it is, under the site's address, and a browser decides what to do with a file by
the type the server gives it (from its extension) and, for some types, by sniffing its bytes. So an asset
is published only when its extension is on a short allow-list of passive types (images, fonts, documents,
media, plain data) AND its first bytes are those of that type: an HTML page renamed `report.png`, or an
XHTML document under an extension no refusal list names, is refused either way.

SVG is the one allowed type that is also a document able to run script. It is parsed as the XML a
browser parses (expat, namespaces resolved, so `<svg:script>` or `<x:script xmlns:x=…>` are seen for what
they are) and refused when it holds a script, an event handler, a processing instruction (an XSLT
stylesheet), an internal DTD or entity, an element or attribute of a foreign namespace (XHTML, MathML,
XSLT...), a `foreignObject`, an animation of a link or handler, or a reference to another file or site
(a tracker, or a resource that would load from elsewhere). Links (`<a href="https://…">`) stay.
"""

from __future__ import annotations

import html
import re
import xml.parsers.expat

from ..plan.messages import Msg, msg

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# drawing programs' metadata: inert in a browser, and present in most exported files
EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/",
    "http://www.bohemiancoding.com/sketch/ns",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/Graphs/1.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Variables/1.0/",
    "http://ns.adobe.com/ImageReplacement/1.0/",
    "http://ns.adobe.com/Flows/1.0/",
    "http://www.serif.com/",
})
_ALLOWED_ATTRIBUTE_NAMESPACES = EDITOR_NAMESPACES | {"", SVG_NS, XLINK_NS, XML_NS}
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "handler", "listener", "iframe", "embed", "object"})
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
_LINK_ELEMENTS = frozenset({"a"})
# where a reference stays on the site: a fragment, an image inlined as data, a relative path (no scheme, no `//`)
_LOCAL_REF = re.compile(r"^(#|data:image/(png|jpeg|gif|webp)[;,]|(?![a-z][a-z0-9+.-]*:)(?![/\\\\]{2}))",
                        re.IGNORECASE)
_LINK_TARGET = re.compile(r"^(#|https?:|mailto:|tel:)", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"javascript:|vbscript:|data:text/html|data:image/svg|data:application", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)


class _Refused(Exception):
    """What in an SVG can run or load from elsewhere; the message quotes it."""


def _check_css(text: str) -> None:
    for match in _CSS_URL.finditer(html.unescape(text)):
        target = match.group(1)
        if target is None:
            raise _Refused("@import")
        if target and not _LOCAL_REF.match(target):
            raise _Refused(f"url({target[:40]})")


def _local_name(name: str) -> tuple[str, str]:
    """(namespace, local name) from expat's `namespace local` form."""
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def svg_refusal(data: bytes) -> tuple[str, int, int] | None:
    """Why this SVG could run script or load something when opened (quoting what), and where (line and
    column from 1); None when it is inert."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []
    state = {"root": True}

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, local = _local_name(name)
        if state["root"] and (namespace, local) != (SVG_NS, "svg"):
            raise _Refused(f"<{local}> as the root element, in namespace {namespace or 'none'}")
        state["root"] = False
        if namespace != SVG_NS and namespace not in EDITOR_NAMESPACES:
            raise _Refused(f"<{local}> of the namespace {namespace or 'none'}")
        if local.lower() in _ACTIVE_ELEMENTS:
            raise _Refused(f"<{local}>")
        stack.append(local.lower())
        for key, value in attributes.items():
            attr_ns, attr = _local_name(key)
            if attr_ns not in _ALLOWED_ATTRIBUTE_NAMESPACES:
                raise _Refused(f"the attribute {attr} of the namespace {attr_ns}")
            lowered = attr.lower()
            if lowered.startswith("on"):
                raise _Refused(f"{attr}=")
            compact = re.sub(r"[\x00-\x20]", "", value)
            if _SCRIPT_URL.search(compact):
                raise _Refused(f"{attr}=\"{value[:40]}\"")
            if lowered in ("attributename",) and (value.lower().startswith("on") or "href" in value.lower()):
                raise _Refused(f"an animation of {value}")
            if lowered == "href" or (lowered == "src"):
                allowed = _LINK_TARGET if local.lower() in _LINK_ELEMENTS else _LOCAL_REF
                if not allowed.match(compact):
                    raise _Refused(f"{attr}=\"{value[:40]}\"")
            if lowered == "style" or "url(" in value.lower():
                _check_css(value)
            if local.lower() in _ANIMATIONS and lowered in ("values", "to", "from", "by") and ":" in compact:
                raise _Refused(f"<{local} {attr}=\"{value[:40]}\">")

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack and stack[-1] == "style":
            _check_css(data)

    def processing_instruction(target: str, data: str) -> None:
        raise _Refused(f"<?{target} {data[:30]}?>")

    def doctype(name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            raise _Refused("<!DOCTYPE …[ ]> with an internal subset")

    def entity(*_: object) -> None:
        raise _Refused("<!ENTITY>")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = processing_instruction
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
    except xml.parsers.expat.ExpatError as exc:
        return f"not well-formed XML: {xml.parsers.expat.ErrorString(exc.code)}", exc.lineno, exc.offset + 1
    except (ValueError, UnicodeError) as exc:
        return f"not readable XML: {exc}", 1, 1
    if state["root"]:
        return "no <svg> element", 1, 1
    return None


# extension → what the file must start with (None: text, checked by _looks_like_markup)
_SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "ico": (b"\x00\x00\x01\x00",),
    "pdf": (b"%PDF-",),
    "woff": (b"wOFF",), "woff2": (b"wOF2",),
    "ttf": (b"\x00\x01\x00\x00", b"true"), "otf": (b"OTTO",),
    "webm": (b"\x1a\x45\xdf\xa3",), "ogg": (b"OggS",), "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "zip": (b"PK\x03\x04",), "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",), "odp": (b"PK\x03\x04",),
    "csv": None, "txt": None, "json": None, "css": None,
}
_RIFF = {"webp": b"WEBP"}  # RIFF....WEBP
_FTYP = {"avif": (b"avif", b"avis"), "mp4": (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash")}
ALLOWED_EXTENSIONS = tuple(sorted({*_SIGNATURES, *_RIFF, *_FTYP, "svg"}))
SNIFF_BYTES = 512  # what a browser's sniffer reads of a file


def _looks_like_markup(head: bytes) -> bool:
    """What a browser might take for a page: text starting with `<` (after a byte order mark and blanks)."""
    return head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n\x0c").startswith(b"<")


def asset_refusal(rel: str, head: bytes) -> tuple[Msg, Msg] | None:
    """(what is wrong, what to do) for an asset that is not a passive file of an allowed type, judged by
    its extension and the first bytes of its content; None when it may be published (an SVG's body is
    judged separately, by `svg_refusal`)."""
    name = rel.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(ALLOWED_EXTENSIONS)
    if extension not in ALLOWED_EXTENSIONS:
        return (msg("asset.type" if extension else "asset.type.none", extension=extension),
                msg("asset.type.hint", allowed=allowed))
    if extension == "svg":
        return None
    expected_text = _SIGNATURES.get(extension, ()) is None
    if expected_text:
        if _looks_like_markup(head):
            return msg("asset.markup", extension=extension), msg("asset.markup.hint", extension=extension)
        return None
    if extension in _RIFF:
        ok = head[:4] == b"RIFF" and head[8:12] == _RIFF[extension]
    elif extension in _FTYP:
        ok = head[4:8] == b"ftyp" and head[8:12] in _FTYP[extension]
    else:
        ok = head.startswith(_SIGNATURES[extension] or ())
    if ok:
        return None
    what = "asset.content.page" if _looks_like_markup(head) else "asset.content.other"
    return msg(what, extension=extension), msg("asset.content.hint", extension=extension)
