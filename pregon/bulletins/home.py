"""Home panel: bulletins waiting for Coordinación, and Redacción's drafts."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.bulletins import live
from pregon.bulletins.models import Bulletin, BulletinStatus

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = ("bulletins.Bulletin", "bulletins.LiveTransmission", "agenda.Activity")


def panels(request: HttpRequest) -> list[dict]:
    return _bulletin_panels(request.user) + _recording_panels(request.user)


def _recording_panels(user) -> list[dict]:
    """After a streamed session: someone has to attach the recording and its name."""
    if not access.can(user, "bulletins.change_livetransmission"):
        return []
    missing = list(live.recordings_missing()[:8])
    if not missing:
        return []
    items = [
        {
            "text": t.activity.title,
            "url": reverse("bulletins:transmissions"),
            "meta": f"Terminó el {timezone.localtime(t.activity.ends_at):%d/%m/%Y %H:%M}",
        }
        for t in missing
    ]
    return [
        {
            "title": "Transmisiones sin grabación",
            "items": items,
            "empty": "",
            "link": {"label": "Agregar grabaciones", "url": reverse("bulletins:transmissions")},
        }
    ]


def _bulletin_panels(user) -> list[dict]:
    if access.can(user, "bulletins.approve_bulletin"):
        title, status = "Boletines por aprobar", BulletinStatus.EN_REVISION
    elif access.can(user, "bulletins.add_bulletin"):
        title, status = "Mis boletines en borrador", BulletinStatus.BORRADOR
    else:
        return []
    bulletins = Bulletin.objects.filter(status=status).order_by("-updated_at")
    if status == BulletinStatus.BORRADOR:
        bulletins = bulletins.filter(author=user)
    items = [
        {
            "text": b.title,
            "url": reverse("bulletins:detail", args=[b.pk]),
            "meta": f"{b.get_kind_display()} · {b.dated:%d/%m/%Y}",
        }
        for b in bulletins[:8]
    ]
    return [
        {
            "title": title,
            "items": items,
            "empty": "Nada pendiente.",
            "link": {"label": "Todos los boletines", "url": reverse("bulletins:list")},
        }
    ]
