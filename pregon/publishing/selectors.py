"""Reads for the publishing pages and the API."""

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.archive import search
from pregon.archive.models import Asset
from pregon.publishing import compliance
from pregon.publishing.models import (
    ChannelAccount,
    ChannelState,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Publication,
    PublicationMedia,
    PublicationStatus,
    Variant,
)


def publications_for(user: User) -> QuerySet[Publication]:
    """What this person may see: an Enlace only their area's publications."""
    qs = Publication.objects.select_related("author", "approved_by", "activity", "area", "theme")
    return access.scope_to_area(user, qs)


def media_for(user: User, ids: list[int]) -> QuerySet[PublicationMedia]:
    """Attached media by id, only from publications this person may see."""
    return PublicationMedia.objects.filter(pk__in=ids, publication__in=publications_for(user))


LIST_FIELDS = ("pk", "title", "status", "scheduled_at", "category", "author__username",
               "author__first_name", "author__last_name")  # fmt: skip


def publication_rows(user: User, status: str = "") -> QuerySet:
    """The list page's columns only, as dicts: a page of 50 builds no model instances."""
    qs = publications_for(user).select_related(None)
    return (qs.filter(status=status) if status else qs).values(*LIST_FIELDS)


def publication_detail(user: User, pk: int) -> Publication:
    attempts = Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("started_at"))
    deliveries = Delivery.objects.select_related("account").prefetch_related(attempts)
    return (
        publications_for(user)
        .prefetch_related(
            Prefetch("media", queryset=PublicationMedia.objects.select_related("asset")),
            "variants__account",
            "variants__media",
            Prefetch("variants__deliveries", queryset=deliveries),
        )
        .get(pk=pk)
    )


def active_accounts() -> QuerySet[ChannelAccount]:
    return ChannelAccount.objects.exclude(state=ChannelState.DISABLED)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def calendar_range(view: str, anchor: date) -> tuple[date, date]:
    """[first, last] days shown: whole weeks (Monday first) covering the month, or one week."""
    if view == "semana":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    month_first = anchor.replace(day=1)
    month_last = anchor.replace(day=calendar.monthrange(anchor.year, anchor.month)[1])
    first = month_first - timedelta(days=month_first.weekday())
    last = month_last + timedelta(days=6 - month_last.weekday())
    return first, last


def calendar_days(user: User, view: str, anchor: date) -> list[dict]:
    first, last = calendar_range(view, anchor)
    start, _ = local_day_bounds(first)
    _, end = local_day_bounds(last)
    pubs = publications_for(user).filter(scheduled_at__gte=start, scheduled_at__lt=end)
    pubs = pubs.exclude(status=PublicationStatus.CANCELADA).order_by("scheduled_at")
    by_day: dict[date, list] = {}
    for pub in pubs.prefetch_related(
        Prefetch("variants", queryset=Variant.objects.select_related("account")), "media"
    ):
        pub.accounts = [v.account for v in pub.variants.all()]
        pub.thumbnail = next(iter(pub.media.all()), None)
        by_day.setdefault(timezone.localtime(pub.scheduled_at).date(), []).append(pub)
    days, day, today = [], first, timezone.localdate()
    while day <= last:
        days.append(
            {
                "date": day,
                "in_month": day.month == anchor.month,
                "today": day == today,
                "items": by_day.get(day, []),
            }
        )
        day += timedelta(days=1)
    return days


def today_queue(user: User) -> QuerySet[Delivery]:
    start, end = local_day_bounds(timezone.localdate())
    return (
        Delivery.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .filter(variant__publication__in=publications_for(user))
        .exclude(status=DeliveryStatus.CANCELADA)
        .select_related("account", "variant__publication")
        .order_by("scheduled_at", "account__name")
    )


def _visible_deliveries(user: User) -> QuerySet[Delivery]:
    visible = publications_for(user)
    # Someone who sees every publication gets no "IN (every publication)" filter: with
    # it SQLite walks all publications and sorts every delivery (330 ms for 282,000);
    # without it, the newest 50 come from the scheduled_at index.
    if visible.query.has_filters():
        return Delivery.objects.filter(variant__publication__in=visible)
    return Delivery.objects.all()


def deliveries_for(user: User, status: str = "") -> QuerySet[Delivery]:
    qs = (
        _visible_deliveries(user)
        .select_related("account", "variant__publication")
        .prefetch_related("attempt_log")
        .order_by("-scheduled_at", "-pk")
    )
    return qs.filter(status=status) if status else qs


DELIVERY_ROW_FIELDS = ("pk", "scheduled_at", "status", "attempts", "last_error", "remote_id",
                       "remote_url", "account__name", "account__kind",
                       "variant__publication_id", "variant__publication__title")  # fmt: skip
ATTEMPT_LINE_FIELDS = ("delivery_id", "started_at", "outcome", "http_status", "duration_ms")


def delivery_rows(user: User, status: str = "") -> QuerySet:
    """The deliveries page's columns only, as dicts, newest first."""
    qs = _visible_deliveries(user).order_by("-scheduled_at", "-pk")
    return (qs.filter(status=status) if status else qs).values(*DELIVERY_ROW_FIELDS)


def attempt_lines(delivery_ids: list[int]) -> dict[int, list[dict]]:
    """Each delivery's attempts, oldest first, as dicts (delivery id → list)."""
    lines: dict[int, list[dict]] = {}
    if not delivery_ids:
        return lines
    attempts = DeliveryAttempt.objects.filter(delivery_id__in=delivery_ids)
    for attempt in attempts.values(*ATTEMPT_LINE_FIELDS):
        lines.setdefault(attempt["delivery_id"], []).append(attempt)
    return lines


def needing_attention() -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        status__in=[DeliveryStatus.INCIERTA, DeliveryStatus.FALLIDA]
    ).select_related("account", "variant__publication")


def held_deliveries(user: User) -> list[dict]:
    """Held by a veda now, and pending ones a veda will hold when their time comes."""
    visible = Delivery.objects.filter(variant__publication__in=publications_for(user))
    visible = visible.select_related("account", "variant__publication")
    rows = [
        {"delivery": d, "state": "Retenida", "message": d.last_error}
        for d in visible.filter(status=DeliveryStatus.RETENIDA).order_by("scheduled_at")
    ]
    pending = visible.filter(status=DeliveryStatus.PENDIENTE).order_by("scheduled_at")[:500]
    for delivery, verdict in compliance.upcoming_held(pending):
        rows.append({"delivery": delivery, "state": "Se retendrá", "message": verdict.message})
    return rows


def archive_images(activity_id: int | None, q: str = "", limit: int = 24) -> list[Asset]:
    """Images and videos the editor can pick from the archive: a search (the
    archive's own engine) or, without words, the ones of the publication's activity
    (else the newest). Minors without consent and videos without subtitles are listed
    too: approval says why they cannot go."""
    images = Asset.objects.filter(kind__in=["foto", "diseno", "video"]).exclude(preview="")
    if q.strip():
        hits = search.run(q, filters={}, limit=limit * 2, facets=False).hits
        ids = [h.object_id for h in hits if h.object_type == "asset"]
        found = images.in_bulk(ids)
        return [found[i] for i in ids if i in found][:limit]
    if activity_id:
        images = images.filter(activity_id=activity_id)
    return list(images.order_by("-created_at")[:limit])
