"""Reads of the design app."""

from django.db.models import QuerySet

from pregon.accounts.models import User
from pregon.design.models import BrandKit, RenderedPiece, drawn_texts
from pregon.publishing.models import EDITABLE_STATUSES
from pregon.publishing.selectors import publications_for
from pregon.publishing.verdict import DrawnPiece


def kits_history() -> QuerySet[BrandKit]:
    return BrandKit.objects.select_related("created_by").order_by("-version")


def pieces_recent(limit: int | None = 30) -> QuerySet[RenderedPiece]:
    """Newest first; `limit=None` gives them all (the API pages them)."""
    return RenderedPiece.objects.select_related("kit", "campaign", "activity")[:limit]


def attachable_publications(user: User) -> QuerySet:
    """Publications this person sees that still accept images, newest first."""
    return publications_for(user).filter(status__in=EDITABLE_STATUSES).order_by("-pk")


def drawn_pieces(asset_ids: list[int]) -> list[DrawnPiece]:
    """The institutional designs among these archived images (a piece attached from
    Diseño is the same archived file), one per picture: what publishing's verdict reads
    (registered in DesignConfig.ready)."""
    pieces = RenderedPiece.objects.filter(asset_id__in=asset_ids).order_by("asset_id", "-pk")
    latest = {piece.asset_id: piece for piece in pieces}.values()
    return [
        DrawnPiece(piece.asset_id, tuple(drawn_texts(piece.data)), piece.contrast_ratio)
        for piece in latest
        if piece.asset_id is not None  # the filter above: every piece has an image
    ]
