"""The one check every uploaded image passes: archive ingest, publication attachments,
design photos and brand-kit logos.

Raster images are judged by content: the format from the decoder, the pixel count
from the header before anything is decoded (decompression bombs), and a complete
decode that fails on truncated data. SVG is accepted only where a caller asks for it
(the brand kit) and only after `sanitize_svg` keeps an allow-list of drawing elements
and attributes: no scripts, no event handlers, no references outside the file except
embedded raster images, which pass the same pixel check.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pyvips
from django.conf import settings

# Loader name prefix → format, as users know them.
LOADER_FORMATS = {
    "jpegload": "JPEG",
    "pngload": "PNG",
    "webpload": "WEBP",
    "gifload": "GIF",
    "tiffload": "TIFF",
    "heifload": "HEIF",
}
FORMAT_LABELS = {"WEBP": "WebP", "HEIF": "HEIC/AVIF"}
SVG_RENDER_PX = 1024  # an SVG is test-rendered at most this size, whatever it declares
SVG_MAX_ELEMENTS = 20_000


class ImageRejected(ValueError):
    """An image refused; the message is Spanish and says why."""


class ImageUnreadable(ImageRejected):
    """Not an image any decoder knows (callers may word this one for their form)."""


@dataclass(frozen=True)
class RasterInfo:
    format: str  # JPEG, PNG, WEBP, GIF, TIFF, HEIF
    width: int
    height: int


def max_pixels() -> int:
    return int(settings.PREGON_MAX_IMAGE_PIXELS)


def check_pixels(width: int, height: int, limit: int | None = None) -> None:
    limit = limit or max_pixels()
    if width * height > limit:
        raise ImageRejected(
            f"La imagen declara {width}×{height} píxeles (más de {limit // 1_000_000} MP): "
            "se rechaza como posible bomba de descompresión."
        )


def decode_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "premature end" in text or "truncated" in text or "short" in text or "eof" in text:
        return "La imagen está truncada o incompleta (faltan datos al final del archivo)."
    return "No se pudo decodificar la imagen: el archivo está dañado."


def _load(source: Path | bytes, **options) -> pyvips.Image:
    if isinstance(source, bytes | bytearray | memoryview):
        return pyvips.Image.new_from_buffer(bytes(source), "", **options)
    return pyvips.Image.new_from_file(str(source), **options)


def open_header(source: Path | bytes, limit: int | None = None) -> pyvips.Image:
    """The image's header (nothing decoded yet), refused past the pixel limit."""
    try:
        header = _load(source)
    except pyvips.Error as exc:
        raise ImageUnreadable("No se pudo leer la imagen: el archivo está dañado.") from exc
    check_pixels(header.width, header.height, limit)
    return header


def image_format(header: pyvips.Image) -> str:
    loader = header.get("vips-loader")
    return next((f for prefix, f in LOADER_FORMATS.items() if loader.startswith(prefix)), loader)


def check_raster(source: Path | bytes, allowed: tuple[str, ...]) -> RasterInfo:
    """A raster image of one of the `allowed` formats, within the pixel limit, that
    decodes to the end. Decoding is streamed (and shrunk on load for JPEG)."""
    header = open_header(source)
    fmt = image_format(header)
    if fmt not in allowed:
        names = ", ".join(FORMAT_LABELS.get(a, a) for a in allowed)
        raise ImageRejected(f"La imagen es {FORMAT_LABELS.get(fmt, fmt)}; se aceptan {names}.")
    options: dict = {"access": "sequential", "fail_on": "truncated"}
    if fmt == "JPEG":
        options["shrink"] = 8 if max(header.width, header.height) >= 2048 else 1
    try:
        _load(source, **options).avg()
    except pyvips.Error as exc:
        raise ImageRejected(decode_reason(exc)) from exc
    return RasterInfo(fmt, header.width, header.height)


# --- SVG ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SVG_ELEMENTS = _words(
    """svg g defs symbol use title desc path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern image
    marker"""
)
TEXT_ELEMENTS = frozenset({"title", "desc", "text", "tspan", "textPath"})
SVG_ATTRIBUTES = _words(
    """id class version x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points
    viewBox preserveAspectRatio transform fill fill-opacity fill-rule stroke
    stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset opacity color display visibility clip-path
    clip-rule clipPathUnits mask maskUnits maskContentUnits offset stop-color
    stop-opacity gradientUnits gradientTransform spreadMethod patternUnits
    patternContentUnits patternTransform font-family font-size font-weight font-style
    font-variant text-anchor dominant-baseline alignment-baseline baseline-shift
    letter-spacing word-spacing text-decoration dx dy rotate textLength lengthAdjust
    startOffset space href style marker-start marker-mid marker-end markerWidth
    markerHeight markerUnits refX refY orient overflow paint-order vector-effect
    shape-rendering mix-blend-mode isolation"""
)
LOCAL_URL = re.compile(r"url\(\s*['\"]?#[\w.:-]+['\"]?\s*\)")
EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)


def is_svg(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _safe_value(value: str) -> bool:
    """No url() other than to an element of the same file, no escapes or script."""
    lowered = value.lower()
    if "url(" in lowered and LOCAL_URL.sub("", lowered).find("url(") >= 0:
        return False
    return not any(bad in lowered for bad in ("javascript:", "expression(", "@import", "\\"))


def _safe_href(tag: str, value: str) -> bool:
    value = value.strip()
    if value.startswith("#"):
        return True
    if tag != "image" or not EMBEDDED_IMAGE.match(value):
        return False
    try:
        embedded = base64.b64decode(value.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        check_raster(embedded, ("JPEG", "PNG", "GIF", "WEBP"))
    except ImageRejected:
        return False
    return True


def _clean_attributes(tag: str, source: ET.Element, target: ET.Element) -> bool:
    """Copy the allowed attributes; False when an <image> is left without a picture."""
    has_picture = False
    for name, value in source.attrib.items():
        ns, local = _local(name)
        if ns not in ("", XLINK_NS, XML_NS) or local not in SVG_ATTRIBUTES:
            continue  # event handlers (onload…), editor metadata, unknown attributes
        if local == "href":
            if not _safe_href(tag, value):
                continue
            has_picture = True
            target.set("href", value)  # SVG 2 spelling: no xlink namespace to declare
        elif _safe_value(value):
            target.set(f"{{{XML_NS}}}space" if ns == XML_NS else local, value)
    return tag != "image" or has_picture


def _clean(source: ET.Element, counter: list[int]) -> ET.Element | None:
    ns, tag = _local(source.tag) if isinstance(source.tag, str) else ("", "")
    if ns != SVG_NS or tag not in SVG_ELEMENTS:
        return None  # scripts, styles, foreignObject, comments, other vocabularies
    counter[0] += 1
    if counter[0] > SVG_MAX_ELEMENTS:
        raise ImageRejected(f"El SVG tiene más de {SVG_MAX_ELEMENTS} elementos; simplifíquelo.")
    target = ET.Element(tag)  # plain names; the root declares the SVG namespace
    if not _clean_attributes(tag, source, target):
        return None
    if tag in TEXT_ELEMENTS:
        target.text = source.text
    for child in source:
        kept = _clean(child, counter)
        if kept is not None:
            target.append(kept)
            if tag in TEXT_ELEMENTS:
                kept.tail = child.tail
    return target


def sanitize_svg(data: bytes) -> bytes:
    """The drawing only: an allow-list of SVG elements and attributes (see module)."""
    if b"<!ENTITY" in data or b"<!entity" in data:
        raise ImageRejected("El SVG declara entidades XML; expórtelo de nuevo sin ellas.")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no entities (above); expat loads no DTD
    except ET.ParseError as exc:
        raise ImageRejected(f"El SVG no es XML válido ({exc}).") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageRejected("El archivo no es un SVG (falta el elemento <svg> del estándar).")
    clean = _clean(root, [0])
    # Written as plain names under xmlns on the root, not through ElementTree's prefix
    # registry: that registry is global and other libraries change it.
    clean.set("xmlns", SVG_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True)


def check_svg(data: bytes) -> bytes:
    """The sanitised SVG, after rendering it once at a bounded size (it must draw)."""
    clean = sanitize_svg(data)
    try:
        header = pyvips.Image.svgload_buffer(clean)
        scale = min(1.0, SVG_RENDER_PX / max(1, header.width, header.height))
        pyvips.Image.svgload_buffer(clean, scale=scale).avg()
    except pyvips.Error as exc:
        raise ImageRejected("El SVG no se puede dibujar: el archivo está dañado.") from exc
    return clean
