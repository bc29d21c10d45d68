"""Reads of the design app."""

from django.db.models import QuerySet

from pregon.design.models import BrandKit, RenderedPiece


def kits_history() -> QuerySet[BrandKit]:
    return BrandKit.objects.select_related("created_by").order_by("-version")


def pieces_recent(limit: int = 30) -> QuerySet[RenderedPiece]:
    return RenderedPiece.objects.select_related("kit", "campaign", "activity")[:limit]
