"""Home panel: bulletins waiting for Coordinación, and Redacción's drafts."""

from django.http import HttpRequest
from django.urls import reverse

from pregon.accounts import access
from pregon.bulletins.models import Bulletin, BulletinStatus


def panels(request: HttpRequest) -> list[dict]:
    user = request.user
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
