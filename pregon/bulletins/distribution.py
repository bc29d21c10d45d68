"""E-mail distribution of bulletins to the press directory.

Each recipient row is claimed with a conditional UPDATE (pendiente → enviando) before
its message goes to SMTP, and marked enviado right after. A worker that dies between
the two leaves the row "enviando"; once stale it becomes "incierto" and is NOT sent
again automatically (SMTP has no idempotency key), so nobody gets a bulletin twice.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.bulletins.models import (
    Bulletin,
    BulletinStatus,
    Distribution,
    DistributionRecipient,
    MediaContact,
    MediaList,
    RecipientStatus,
)
from pregon.bulletins.pdf import bulletin_pdf, public_photo_path
from pregon.bulletins.services import press_url, public_url
from pregon.bulletins.text import dateline, plain_text
from pregon.core.audit import log_action

R = RecipientStatus
UNSUBSCRIBE_SALT = "bulletins.unsubscribe"
OPEN_STATUSES = (R.PENDIENTE, R.ENVIANDO)


def new_worker_id() -> str:
    return f"press-{uuid.uuid4().hex[:12]}"


# --- unsubscribe ------------------------------------------------------------------


def unsubscribe_token(contact: MediaContact) -> str:
    return signing.dumps({"c": contact.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(contact: MediaContact) -> str:
    return public_url(reverse("bulletins:unsubscribe", args=[unsubscribe_token(contact)]))


def contact_for_token(token: str) -> MediaContact | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return MediaContact.objects.filter(pk=data.get("c")).first()


def unsubscribe(contact: MediaContact) -> MediaContact:
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = timezone.now()
        contact.save(update_fields=["unsubscribed_at"])
        log_action(contact, "bulletins.unsubscribed", data={"email": contact.email})
    return contact


# --- creating a send --------------------------------------------------------------


@transaction.atomic
def distribution_create(*, bulletin: Bulletin, lists: list[MediaList], user: User) -> Distribution:
    """One row per reachable contact of the lists; someone who already received this
    bulletin (or may have) in an earlier send is left out."""
    access.check(user, "bulletins.distribute_bulletin")
    if bulletin.status != BulletinStatus.APROBADO:
        raise ValidationError("Solo se envían boletines aprobados.")
    if not lists:
        raise ValidationError("Elija al menos una lista de medios.")
    distribution = Distribution.objects.create(bulletin=bulletin, created_by=user)
    distribution.lists.set(lists)
    already = DistributionRecipient.objects.filter(
        distribution__bulletin=bulletin, status__in=[R.ENVIADO, R.ENVIANDO, R.INCIERTO]
    ).values("contact_id")
    contacts = (
        MediaContact.objects.filter(lists__in=lists, unsubscribed_at__isnull=True)
        .exclude(pk__in=already)
        .distinct()
    )
    DistributionRecipient.objects.bulk_create(
        DistributionRecipient(distribution=distribution, contact=c, email=c.email) for c in contacts
    )
    log_action(
        bulletin,
        "bulletins.distribution_created",
        user=user,
        data={"distribution": distribution.pk, "lists": [m.name for m in lists]},
    )
    return distribution


def recipient_resend(*, recipient: DistributionRecipient, user: User) -> DistributionRecipient:
    """A person checked that an uncertain or failed message did not arrive."""
    access.check(user, "bulletins.distribute_bulletin")
    changed = DistributionRecipient.objects.filter(
        pk=recipient.pk, status__in=[R.INCIERTO, R.FALLIDO]
    ).update(status=R.PENDIENTE, claimed_by="", claimed_at=None)
    if not changed:
        raise ValidationError("Solo se reenvía a un destinatario fallido o incierto.")
    Distribution.objects.filter(pk=recipient.distribution_id).update(finished_at=None)
    log_action(
        recipient.distribution.bulletin,
        "bulletins.resend",
        user=user,
        data={"email": recipient.email},
    )
    recipient.refresh_from_db()
    return recipient


def recipient_mark_delivered(
    *, recipient: DistributionRecipient, user: User
) -> DistributionRecipient:
    """A person confirmed with the outlet that an uncertain message did arrive."""
    access.check(user, "bulletins.approve_bulletin")
    changed = DistributionRecipient.objects.filter(pk=recipient.pk, status=R.INCIERTO).update(
        status=R.ENVIADO,
        error="Marcado como entregado por una persona tras confirmarlo con el medio.",
    )
    if not changed:
        raise ValidationError(
            "Solo se marca como entregado un destinatario con resultado incierto."
        )
    log_action(
        recipient.distribution.bulletin,
        "bulletins.marked_delivered",
        user=user,
        data={"email": recipient.email, "distribution": recipient.distribution_id},
    )
    _finish(recipient.distribution)
    recipient.refresh_from_db()
    return recipient


# --- sending ----------------------------------------------------------------------


@dataclass
class Message:
    subject: str
    text: str
    html: str
    pdf: bytes
    pdf_name: str


def build_message(bulletin: Bulletin) -> Message:
    photos = [
        {"photo": p, "url": public_url(reverse("bulletins:press_photo", args=[p.pk]))}
        for p in bulletin.photos.select_related("asset")
        if public_photo_path(p)
    ]
    context = {
        "bulletin": bulletin,
        "dateline": dateline(bulletin.dated),
        "body_text": plain_text(bulletin.body),
        "photos": photos,
        "url": press_url(bulletin),
    }
    return Message(
        subject=f"{bulletin.label}: {bulletin.title}",
        text=render_to_string("bulletins/email.txt", context),
        html=render_to_string("bulletins/email.html", context),
        pdf=bulletin_pdf(bulletin),
        pdf_name=f"{bulletin.get_kind_display()}-{bulletin.number:03d}-{bulletin.year}.pdf",
    )


def _personal(message: Message, recipient: DistributionRecipient) -> EmailMultiAlternatives:
    leave = unsubscribe_url(recipient.contact)
    footer = f"\n\n--\nPara dejar de recibir boletines: {leave}\n"
    html_footer = (
        '<hr><p style="font-size:12px">Para dejar de recibir boletines: '
        f'<a href="{leave}">darse de baja</a>.</p>'
    )
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{leave}>"},
    )
    email.attach_alternative(message.html.replace("</body>", html_footer + "</body>"), "text/html")
    email.attach(message.pdf_name, message.pdf, "application/pdf")
    return email


def settle_stale(distribution_id: int) -> int:
    """Claims older than the stale limit belong to a worker that died mid-send."""
    limit = timezone.now() - timedelta(seconds=settings.PREGON_DELIVERY_STALE_SECONDS)
    return DistributionRecipient.objects.filter(
        distribution_id=distribution_id, status=R.ENVIANDO, claimed_at__lte=limit
    ).update(
        status=R.INCIERTO,
        error="El proceso de envío se interrumpió: no se sabe si el correo salió; no se reenvía.",
    )


def claim(recipient_id: int, worker_id: str) -> bool:
    return bool(
        DistributionRecipient.objects.filter(pk=recipient_id, status=R.PENDIENTE).update(
            status=R.ENVIANDO,
            claimed_by=worker_id,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def mark(recipient_id: int, status: str, error: str = "") -> None:
    sent_at = timezone.now() if status == R.ENVIADO else None
    DistributionRecipient.objects.filter(pk=recipient_id, status=R.ENVIANDO).update(
        status=status, sent_at=sent_at, error=error[:2000]
    )


def send_pending(distribution_id: int, worker_id: str | None = None) -> dict:
    """Send every pending recipient of a distribution, one message each, throttled."""
    worker_id = worker_id or new_worker_id()
    settle_stale(distribution_id)
    distribution = Distribution.objects.select_related("bulletin").get(pk=distribution_id)
    pending = list(distribution.recipients.filter(status=R.PENDIENTE).values_list("pk", flat=True))
    counts = {"enviado": 0, "omitido": 0, "fallido": 0}
    if pending:
        message = build_message(distribution.bulletin)
        with get_connection() as connection:
            for recipient_id in pending:
                outcome = _send_one(recipient_id, worker_id, message, connection)
                if outcome:
                    counts[outcome] += 1
    _finish(distribution)
    return counts


def _send_one(
    recipient_id: int, worker_id: str, message: Message, connection: BaseEmailBackend
) -> str | None:
    if not claim(recipient_id, worker_id):
        return None  # another worker has it, or it is settled
    recipient = DistributionRecipient.objects.select_related("contact").get(pk=recipient_id)
    if recipient.contact.unsubscribed_at:
        mark(recipient_id, R.OMITIDO)
        return "omitido"
    try:
        connection.send_messages([_personal(message, recipient)])
    except Exception as exc:  # noqa: BLE001 - recorded on the row, shown in the log
        mark(recipient_id, R.FALLIDO, f"{type(exc).__name__}: {exc}")
        return "fallido"
    mark(recipient_id, R.ENVIADO)
    time.sleep(settings.PREGON_PRESS_THROTTLE_SECONDS)
    return "enviado"


def _finish(distribution: Distribution) -> None:
    if not distribution.recipients.filter(status__in=OPEN_STATUSES).exists():
        Distribution.objects.filter(pk=distribution.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )


def settle_unfinished() -> list[int]:
    """A send interrupted by a restart: stale claims become uncertain. Returns the
    unfinished distributions, for the periodic task to send on."""
    unfinished = list(
        Distribution.objects.filter(finished_at__isnull=True).values_list("pk", flat=True)
    )
    for distribution_id in unfinished:
        settle_stale(distribution_id)
    return unfinished


def may_see_recipients(user: User) -> bool:
    """Who a bulletin went to is press-directory data: the same permission as the
    directory itself (/media-contacts), not merely reading bulletins."""
    return access.can(user, "bulletins.view_mediacontact")


def status_summary(distribution: Distribution) -> dict:
    rows = distribution.recipients.values("status").annotate(n=Count("pk"))
    counts = {s: 0 for s in R.values} | {r["status"]: r["n"] for r in rows}
    return {
        "total": sum(counts.values()),
        "finished": distribution.finished_at is not None,
    } | counts
