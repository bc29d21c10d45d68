"""Live transmissions of council sessions, public hearings and work meetings: the
announcements (24 h and 1 h before), the "en vivo" post, and the recording after."""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda.models import CABILDO_TYPES, Activity, ActivityStatus, ActivityType
from pregon.archive.models import Asset
from pregon.bulletins.models import LiveTransmission
from pregon.core.audit import log_action
from pregon.publishing import services as publishing
from pregon.publishing.channels import registry
from pregon.publishing.models import (
    EDITABLE_STATUSES,
    ChannelAccount,
    ChannelState,
    Publication,
)

LIVE_TYPES = (*CABILDO_TYPES, ActivityType.AUDIENCIA_PUBLICA, ActivityType.REUNION_TRABAJO)
# (field, how long before the start, wording); written once, as data.
STEPS = (
    ("announce_day", timedelta(hours=24), "Mañana a las {hour} h transmitiremos en vivo"),
    ("announce_hour", timedelta(hours=1), "En una hora, a las {hour} h, transmitiremos en vivo"),
    ("live_post", timedelta(0), "🔴 EN VIVO ahora"),
)


def _what(activity: Activity) -> str:
    return f"la {activity.get_type_display().lower()}: {activity.title}"


def _text(activity: Activity, wording: str) -> str:
    hour = timezone.localtime(activity.starts_at).strftime("%H:%M")
    return f"{wording.format(hour=hour)} {_what(activity)}. Síguela en {activity.stream_url}"


def _accounts() -> list[ChannelAccount]:
    return list(
        ChannelAccount.objects.filter(
            state=ChannelState.ACTIVE,
            is_institutional=True,
            # Announcements are text: networks that need an image are left out.
            kind__in=registry.kinds(needs_media=False),
        )
    )


@transaction.atomic
def transmission_prepare(*, activity: Activity, user: User) -> LiveTransmission:
    """Create the announcements still ahead, sent to review with their dates: when
    Coordinación approves them in publishing, they are scheduled."""
    access.check(user, "bulletins.add_livetransmission")
    return _prepare(activity=activity, user=user)


def _prepare(*, activity: Activity, user: User, automatic: bool = False) -> LiveTransmission:
    if activity.type not in LIVE_TYPES:
        raise ValidationError(
            "Solo se transmiten sesiones de cabildo, audiencias públicas y reuniones de trabajo."
        )
    if not activity.stream_url:
        raise ValidationError("La actividad no tiene enlace de transmisión en vivo.")
    accounts = _accounts()
    if not accounts:
        raise ValidationError("No hay cuentas de canal activas para anunciar la transmisión.")
    transmission, _ = LiveTransmission.objects.select_for_update().get_or_create(activity=activity)
    created = []
    for field, before, wording in STEPS:
        when = activity.starts_at - before
        if getattr(transmission, field) is None and when > timezone.now():
            setattr(transmission, field, _announcement(activity, user, when, wording, accounts))
            created.append(field)
    transmission.save()
    log_action(
        transmission,
        "bulletins.transmission_prepared",
        user=None if automatic else user,
        data={"created": created, "automatic": automatic, "author": user.username},
    )
    return transmission


def prepare_due(now: datetime | None = None, horizon: timedelta = timedelta(days=14)) -> list[int]:
    """Periodic: streamed sessions ahead get their announcements without anyone asking
    (a new activity, or a stream URL added later). They still go to review: nothing is
    published until Coordinación approves it in publishing."""
    now = now or timezone.now()
    candidates = (
        Activity.objects.active()
        .filter(type__in=LIVE_TYPES, starts_at__gt=now, starts_at__lte=now + horizon)
        .exclude(stream_url="")
        .select_related("transmission", "created_by")
    )
    prepared = []
    for activity in candidates:
        if not _missing_steps(activity, now):
            continue
        author = _author(activity)
        if author is None or not _accounts():
            break  # nobody may sign them, or no channel to announce on: try next time
        _prepare(activity=activity, user=author, automatic=True)
        prepared.append(activity.pk)
    return prepared


def _missing_steps(activity: Activity, now: datetime) -> list[str]:
    transmission = getattr(activity, "transmission", None)
    return [
        field
        for field, before, _ in STEPS
        if activity.starts_at - before > now
        and (transmission is None or getattr(transmission, f"{field}_id") is None)
    ]


def _author(activity: Activity) -> User | None:
    """Who signs an automatic announcement: whoever registered the activity if they
    may prepare transmissions, else the first active member of a role that may."""
    creator = activity.created_by
    if (
        creator is not None
        and creator.is_active
        and access.can(creator, "bulletins.add_livetransmission")
    ):
        return creator
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="add_livetransmission",
            groups__permissions__content_type__app_label="bulletins",
        )
        .order_by("pk")
        .first()
    )


def activity_saved(
    sender: type[Activity], instance: Activity, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of an activity: a session moved, cancelled or given a new stream
    link: its announcements follow."""
    if not (created or raw):
        follow_activity(instance)


def follow_activity(activity: Activity, now: datetime | None = None) -> list[str]:
    """Announcements follow their session. A new start time (or stream link) rewrites
    the ones not yet out — text, link and date — and sends them back to review; a
    cancelled session, a removed link or a moment already past cancels them. The
    periodic job prepares again whatever is still ahead. Returns the steps touched."""
    transmission = (
        LiveTransmission.objects.filter(activity=activity)
        .select_related(*(field for field, _, _ in STEPS))
        .first()
    )
    if transmission is None:
        return []
    now = now or timezone.now()
    gone = activity.status == ActivityStatus.CANCELADA or not activity.stream_url
    touched = []
    for field, before, wording in STEPS:
        publication = getattr(transmission, field)
        if publication is None or publication.status not in EDITABLE_STATUSES:
            continue
        when = activity.starts_at - before
        if gone or when <= now:
            publishing.publication_cancel(
                publication=publication,
                user=publication.author,
                reason="La sesión se canceló o cambió de hora; el aviso ya no aplica.",
            )
            setattr(transmission, field, None)
            touched.append(field)
            continue
        text = _text(activity, wording)
        if (publication.scheduled_at, publication.text, publication.link) == (
            when,
            text,
            activity.stream_url,
        ):
            continue
        variants = {v.account_id: {"text": text} for v in publication.variants.all()}
        publishing.publication_update(
            publication=publication,
            user=publication.author,
            variants=variants,
            text=text,
            link=activity.stream_url,
            scheduled_at=when,
        )
        touched.append(field)
    if touched:
        transmission.save()
        log_action(
            transmission,
            "bulletins.transmission_followed_activity",
            data={"steps": touched, "starts_at": activity.starts_at.isoformat()},
        )
    return touched


def recordings_missing(now: datetime | None = None, days: int = 30) -> QuerySet[LiveTransmission]:
    """Transmissions whose session ended (within `days`) and still have no recording."""
    now = now or timezone.now()
    return (
        LiveTransmission.objects.filter(
            activity__ends_at__lt=now,
            activity__ends_at__gte=now - timedelta(days=days),
            recording_asset__isnull=True,
            recording_url="",
        )
        .select_related("activity")
        .order_by("-activity__ends_at")
    )


def _announcement(
    activity: Activity,
    user: User,
    when: datetime,
    wording: str,
    accounts: list[ChannelAccount],
) -> Publication:
    text = _text(activity, wording)
    publication = publishing.publication_create(
        author=user,
        title=f"Transmisión: {activity.title}"[:200],
        text=text,
        link=activity.stream_url,
        category="institucional",
        activity=activity,
        area=activity.area,
        scheduled_at=when,
        variants={a.pk: {"text": text} for a in accounts},
    )
    return publishing.publication_submit(publication=publication, user=user)


@transaction.atomic
def transmission_attach_recording(
    *,
    transmission: LiveTransmission,
    user: User,
    session_name: str,
    asset: Asset | None = None,
    url: str = "",
) -> LiveTransmission:
    access.check(user, "bulletins.change_livetransmission")
    if timezone.now() < transmission.activity.ends_at:
        raise ValidationError("La grabación se agrega cuando la sesión terminó.")
    if not session_name.strip():
        raise ValidationError({"session_name": "Escriba el nombre de la sesión."})
    if asset is None and not url:
        raise ValidationError("Indique la grabación: un archivo del archivo o un enlace.")
    if asset is not None and asset.kind not in ("video", "audio"):
        raise ValidationError("La grabación debe ser un video o un audio del archivo.")
    transmission.session_name = session_name.strip()[:300]
    transmission.recording_asset = asset
    transmission.recording_url = url
    transmission.full_clean()
    transmission.save()
    log_action(
        transmission,
        "bulletins.recording_attached",
        user=user,
        data={"asset": getattr(asset, "pk", None), "url": url},
    )
    return transmission
