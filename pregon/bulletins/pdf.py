"""The bulletin as PDF (WeasyPrint) with the institutional header and footer of the
active brand kit; A4 or letter."""

import base64
import logging
from pathlib import Path

from django.template.loader import render_to_string

from pregon.archive.services import IngestError, asset_public_derivative
from pregon.bulletins.models import Bulletin, BulletinPhoto
from pregon.bulletins.text import dateline
from pregon.design.models import BrandKit
from pregon.design.render import Brand
from pregon.design.render.brand import is_svg
from pregon.design.render.text import FONTS

PAPER_SIZES = {"a4": "A4", "carta": "letter"}


def brand() -> Brand:
    kit = BrandKit.objects.active()
    return kit.to_brand() if kit else Brand()


def data_uri(data: bytes | None, mime: str = "image/png") -> str:
    if not data:
        return ""
    mime = "image/svg+xml" if is_svg(data) else mime
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def public_photo_path(photo: BulletinPhoto) -> Path | None:
    """The press-size JPEG without metadata (no GPS), or None when it may not go out."""
    try:
        return asset_public_derivative(photo.asset, "preview")
    except IngestError:
        return None


def bulletin_pdf(bulletin: Bulletin, paper: str = "carta") -> bytes:
    current = brand()
    photos = []
    for photo in bulletin.photos.select_related("asset"):
        path = public_photo_path(photo)
        if path:
            photos.append({"photo": photo, "src": data_uri(path.read_bytes(), "image/jpeg")})
    context = {
        "bulletin": bulletin,
        "brand": current,
        "logo": data_uri(current.logo),
        "dateline": dateline(bulletin.dated),
        "photos": photos,
        "page_size": PAPER_SIZES.get(paper, "letter"),
        "fonts": {k: v.as_uri() for k, v in FONTS.items()},
    }
    html = render_to_string("bulletins/pdf.html", context)
    # Imported here: WeasyPrint is heavy; its progress log is noise.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=html, base_url=str(FONTS["regular"].parent)).write_pdf()
