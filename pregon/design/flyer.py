"""Printable flyers (WeasyPrint): letter size, or two half-letter copies on one sheet."""

import base64
import logging

import segno
from django.template.loader import render_to_string

from pregon.design.models import BrandKit, DesignPhoto
from pregon.design.render import TEMPLATES
from pregon.design.render.brand import is_svg
from pregon.design.render.text import FONTS

LAYOUTS = {"carta": "Carta (una por hoja)", "media": "Media carta (dos por hoja)"}
QR_SCALE = 8


def qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The QR modules for `url`: the single place the QR is made, so tests can compare."""
    return tuple(tuple(row) for row in segno.make(url, error="m", micro=False).matrix)


def _data_uri(data: bytes | None, fallback_mime: str = "image/png") -> str:
    if not data:
        return ""
    mime = "image/svg+xml" if is_svg(data) else fallback_mime
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _read(field) -> bytes | None:
    if not field:
        return None
    with field.open("rb") as fh:
        return fh.read()


def flyer_pdf(
    *,
    template: str,
    data: dict,
    url: str,
    kit: BrandKit,
    layout: str = "carta",
    photo: DesignPhoto | None = None,
) -> bytes:
    """Vector text with the brand fonts, print margins of 12.7 mm and a QR to `url`."""
    spec = TEMPLATES[template]
    qr = segno.make(url, error="m", micro=False)
    fields = [(f.label, data.get(f.name, "")) for f in spec.fields if data.get(f.name)]
    context = {
        "kit": kit,
        "spec": spec,
        "headline": fields[0][1] if fields else "",
        "details": fields[1:],
        "url": url,
        "qr": qr.png_data_uri(scale=QR_SCALE, border=4),
        "logo": _data_uri(_read(kit.logo)),
        "coat": _data_uri(_read(kit.coat_of_arms)),
        "photo": _data_uri(_read(photo.image) if photo else None, "image/jpeg"),
        "copies": range(2 if layout == "media" else 1),
        "layout": layout,
        "fonts": {k: v.as_uri() for k, v in FONTS.items()},
    }
    html = render_to_string("design/flyer.html", context)
    # Imported here: WeasyPrint is heavy and only flyers need it; its progress log is noise.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=html, base_url=str(FONTS["regular"].parent)).write_pdf()
