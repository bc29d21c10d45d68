"""The bulletin as PDF (WeasyPrint) with the institutional header and footer of the
active brand kit; A4 or letter."""

from pathlib import Path

from django.template.loader import render_to_string

from pregon.archive.public import asset_public_derivative
from pregon.archive.services import IngestError
from pregon.bulletins.models import Bulletin, BulletinPhoto
from pregon.bulletins.text import dateline
from pregon.core.pdf import data_uri, html_to_pdf
from pregon.design.models import BrandKit
from pregon.design.render import Brand
from pregon.design.render.text import FONTS

PAPER_SIZES = {"a4": "A4", "carta": "letter"}


def brand() -> Brand:
    kit = BrandKit.objects.active()
    return kit.to_brand() if kit else Brand()


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
    return html_to_pdf(html, base_url=str(FONTS["regular"].parent))
