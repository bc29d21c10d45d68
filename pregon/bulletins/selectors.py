"""Reads: the public press room (with the veda rule), the public agenda, live now."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda.models import Activity
from pregon.bulletins.live import LIVE_TYPES
from pregon.bulletins.models import (
    Bulletin,
    BulletinKind,
    BulletinStatus,
    LiveTransmission,
    MediaContact,
    bulletin_label,
)
from pregon.bulletins.text import search_words
from pregon.compliance.rules import press_room_hides, press_room_notice
from pregon.publishing.models import Category


def hidden_categories(now: datetime | None = None) -> list[str]:
    """Categories the press room hides right now (a veda with blackout mode on)."""
    if not press_room_notice(now):
        return []
    return [c for c in Category.values if press_room_hides(c, now)]


def press_room(
    *, q: str = "", year: int | None = None, category: str = "", area: int | None = None
) -> QuerySet[Bulletin]:
    bulletins = (
        Bulletin.objects.approved()
        .exclude(category__in=hidden_categories())
        .select_related("area")
        .order_by("-dated", "-number")
    )
    for word in search_words(q):
        bulletins = bulletins.filter(search_text__contains=word)
    if year:
        bulletins = bulletins.filter(year=year)
    if category:
        bulletins = bulletins.filter(category=category)
    if area:
        bulletins = bulletins.filter(area_id=area)
    return bulletins


def press_room_years() -> list[int]:
    return sorted(
        Bulletin.objects.approved().order_by().values_list("year", flat=True).distinct(),
        reverse=True,
    )


def public_bulletin(pk: int) -> Bulletin | None:
    return press_room().filter(pk=pk).first()


def live_now(now: datetime | None = None) -> QuerySet[Activity]:
    now = now or timezone.now()
    return (
        Activity.objects.public()
        .filter(type__in=LIVE_TYPES, starts_at__lte=now, ends_at__gte=now)
        .exclude(stream_url="")
        .select_related("area")
    )


def public_agenda(now: datetime | None = None, days: int = 30) -> QuerySet[Activity]:
    now = now or timezone.now()
    return (
        Activity.objects.public()
        .upcoming(now)
        .filter(starts_at__lt=now + timedelta(days=days))
        .select_related("area")
        .order_by("starts_at")
    )


def recordings(limit: int = 12) -> QuerySet[LiveTransmission]:
    return (
        LiveTransmission.objects.filter(activity__is_public=True)
        .exclude(recording_url="", recording_asset__isnull=True)
        .select_related("activity", "recording_asset")[:limit]
    )


def bulletins_for(user: User) -> QuerySet[Bulletin]:
    return access.scope_to_area(user, Bulletin.objects.select_related("area", "author"))


KIND_LABELS = dict(BulletinKind.choices)
STATUS_LABELS = dict(BulletinStatus.choices)


def bulletin_rows(bulletins: QuerySet[Bulletin]) -> QuerySet[Bulletin, Any]:
    """Only the staff list's columns, as dicts: no body, no author, no instances."""
    return bulletins.values(
        "pk", "kind", "number", "year", "title", "status", "dated", "area__short_name"
    )


def bulletin_row(row: dict[str, Any], link: Callable[[object], str]) -> dict[str, Any]:
    """One line of the staff list, ready to print (the same text as Bulletin.label,
    get_status_display and the `fecha:"d/m/Y"` filter)."""
    kind = KIND_LABELS.get(row["kind"], row["kind"])
    return {
        "label": bulletin_label(kind, row["number"], row["year"]),
        "url": link(row["pk"]),
        "title": row["title"],
        "status": STATUS_LABELS.get(row["status"], row["status"]),
        "dated": f"{row['dated']:%d/%m/%Y}",
        "area": row["area__short_name"] or "—",
    }


def contacts_search(query: str = "", list_id: int | None = None) -> QuerySet[MediaContact]:
    """The press directory filtered by words (outlet, person, e-mail, coverage) and list."""
    contacts = MediaContact.objects.prefetch_related("lists").order_by("outlet", "person", "pk")
    for word in query.split()[:8]:
        contacts = contacts.filter(
            Q(outlet__icontains=word)
            | Q(person__icontains=word)
            | Q(email__icontains=word)
            | Q(coverage_area__icontains=word)
            | Q(role__icontains=word)
        )
    if list_id:
        contacts = contacts.filter(lists=list_id)
    return contacts
