"""Reads of the design app."""

from django.db.models import QuerySet

from pregon.accounts.models import User
from pregon.design.models import BrandKit, RenderedPiece
from pregon.publishing.models import EDITABLE_STATUSES
from pregon.publishing.selectors import publications_for


def kits_history() -> QuerySet[BrandKit]:
    return BrandKit.objects.select_related("created_by").order_by("-version")


def pieces_recent(limit: int | None = 30) -> QuerySet[RenderedPiece]:
    """Newest first; `limit=None` gives them all (the API pages them)."""
    return RenderedPiece.objects.select_related("kit", "campaign", "activity")[:limit]


def attachable_publications(user: User) -> QuerySet:
    """Publications this person sees that still accept images, newest first."""
    return publications_for(user).filter(status__in=EDITABLE_STATUSES).order_by("-pk")
