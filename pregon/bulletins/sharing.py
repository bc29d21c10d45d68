"""What a bulletin looks like when shared: the 1200×630 picture that Facebook, X and
messaging apps show with the link (Open Graph / Twitter card)."""

import io

import pyvips
from django.core.cache import cache

from pregon.bulletins.models import Bulletin
from pregon.bulletins.pdf import brand, public_photo_path
from pregon.bulletins.text import plain_text
from pregon.design.render import TextDoesNotFit, render_piece

OG_SIZE = (1200, 630)
CACHE_SECONDS = 6 * 3600


def og_image(bulletin: Bulletin) -> bytes:
    """The first public photo cropped to 1200×630, else a card in the brand's colours
    with the bulletin's title. Cached per bulletin version."""
    key = f"bulletins:og:{bulletin.pk}:{bulletin.updated_at.timestamp()}"
    data = cache.get(key)
    if data is None:
        data = _photo_card(bulletin) or _brand_card(bulletin)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _photo_card(bulletin: Bulletin) -> bytes | None:
    for photo in bulletin.photos.select_related("asset"):
        path = public_photo_path(photo)
        if path is not None:
            width, height = OG_SIZE
            image = pyvips.Image.thumbnail(str(path), width, height=height, crop="attention")
            return image.jpegsave_buffer(Q=85, keep="none")
    return None


def _brand_card(bulletin: Bulletin) -> bytes:
    data = {"etiqueta": bulletin.label.upper(), "titulo": bulletin.title}
    data["texto"] = (bulletin.balazos or [plain_text(bulletin.body)[:160]])[0]
    try:
        piece = render_piece("aviso", data, OG_SIZE, brand())
    except TextDoesNotFit:  # a very long title: the label alone still identifies it
        short = {**data, "titulo": bulletin.label, "texto": ""}
        piece = render_piece("aviso", short, OG_SIZE, brand())
    out = io.BytesIO()
    piece.image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
