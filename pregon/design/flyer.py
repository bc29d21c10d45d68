"""Printable flyers (WeasyPrint): letter size, or two half-letter copies on one sheet."""

import segno
from django.template.loader import render_to_string

from pregon.core.pdf import data_uri, html_document
from pregon.design.models import BrandKit, DesignPhoto
from pregon.design.render import TEMPLATES
from pregon.design.render.text import FONTS

LAYOUTS = {"carta": "Carta (una por hoja)", "media": "Media carta (dos por hoja)"}
QR_SCALE = 8


def qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The QR modules for `url`: the single place the QR is made, so tests can compare."""
    return tuple(tuple(row) for row in segno.make(url, error="m", micro=False).matrix)


def _read(field) -> bytes | None:
    if not field:
        return None
    with field.open("rb") as fh:
        return fh.read()


# (body pt, headline pt) from roomy to dense; the first that fits without overflow wins.
TYPE_STEPS = {
    "carta": [(12, 34), (11, 28), (10, 24), (9, 20), (8, 16)],
    "media": [(9, 22), (8, 18), (7, 15), (6.5, 13), (6, 11)],
}


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def overflows(document) -> bool:
    """True when the flyer spills onto a second page or its text runs past its own box
    (into the QR or the footer). Uses WeasyPrint's laid-out boxes."""
    if len(document.pages) > 1:
        return True
    for box in _walk(document.pages[0]._page_box):
        if getattr(box, "element_tag", None) in {"article", "dl", "h1", "header", "footer"}:
            bottom = box.content_box_y() + box.height  # inside the padding: print margin
            inner = max(
                (b.position_y + b.margin_height() for b in _walk(box) if b is not box),
                default=bottom,
            )
            if inner > bottom + 0.5:
                return True
    return False


def flyer_document(
    *,
    template: str,
    data: dict,
    url: str,
    kit: BrandKit,
    layout: str = "carta",
    photo: DesignPhoto | None = None,
):
    """Lay the flyer out, stepping the type size down until nothing overflows."""
    context = _context(template, data, url, kit, layout, photo)
    for body_pt, headline_pt in TYPE_STEPS[layout]:
        html = render_to_string(
            "design/flyer.html", {**context, "body_pt": body_pt, "headline_pt": headline_pt}
        )
        document = html_document(html, base_url=str(FONTS["regular"].parent)).render()
        if not overflows(document):
            return document
    return document  # field limits make this unreachable; still print the densest try


def _context(template, data, url, kit, layout, photo) -> dict:
    spec = TEMPLATES[template]
    qr = segno.make(url, error="m", micro=False)
    fields = [(f.label, data.get(f.name, "")) for f in spec.fields if data.get(f.name)]
    return {
        "kit": kit,
        "spec": spec,
        "headline": fields[0][1] if fields else "",
        "details": fields[1:],
        "url": url,
        "qr": qr.png_data_uri(scale=QR_SCALE, border=4),
        "logo": data_uri(_read(kit.logo)),
        "coat": data_uri(_read(kit.coat_of_arms)),
        "photo": data_uri(_read(photo.image) if photo else None, "image/jpeg"),
        "copies": range(2 if layout == "media" else 1),
        "layout": layout,
        "fonts": {k: v.as_uri() for k, v in FONTS.items()},
    }


def flyer_pdf(**kwargs) -> bytes:
    """Vector text with the brand fonts, print margins of 12.7 mm and a QR to `url`."""
    return flyer_document(**kwargs).write_pdf()
