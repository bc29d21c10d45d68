"""Home panels: what each person has to do today in publishing."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.publishing import cadence, selectors
from pregon.publishing.models import ChannelState, PublicationStatus
from pregon.publishing.token_health import needing_people

# Writes to these change what the panels show (core.panels caches them per person):
# publications, deliveries and accounts, and what the cadence board reads.
HOME_WATCH = cadence.READS


def panels(request: HttpRequest) -> list[dict]:
    user = request.user
    found = []
    if access.can(user, "publishing.approve_publication"):
        found.append(_to_approve(user))
    if access.can(user, "publishing.settle_delivery"):
        found.append(_attention())
    if access.can(user, "publishing.add_publication"):
        found.append(_missed(user))
    if access.can(user, "publishing.add_channelaccount"):
        found.append(_accounts())
    # Redacción and Coordinación: who writes and who plans the permanent campaign.
    if access.can(user, "publishing.add_publication") and access.can(user, "publishing.view_theme"):
        found.append(_themes_behind())
    return found


def _themes_behind() -> dict:
    items = [
        {"text": cell.theme.name, "url": reverse("publishing:themes"), "meta": cell.summary}
        for cell in cadence.board().most_behind(limit=3)
    ]
    link = {"label": "Temas permanentes", "url": reverse("publishing:themes")}
    return {
        "title": "Temas permanentes más atrasados",
        "items": items,
        "empty": "Todos los temas van al día.",
        "link": link,
    }


def _account_problem(account) -> str:
    if account.state == ChannelState.RECONNECT:
        return "Requiere reconexión: sus envíos esperan"
    if account.missing_permissions:
        return "Faltan permisos: " + ", ".join(account.missing_permissions)
    return f"El permiso vence el {timezone.localtime(account.token_expires_at):%d/%m/%Y}"


def _accounts() -> dict:
    items = [
        {"text": a.name, "url": reverse("publishing:accounts"), "meta": _account_problem(a)}
        for a in needing_people()[:8]
    ]
    link = {"label": "Canales", "url": reverse("publishing:accounts")}
    return {
        "title": "Cuentas de redes por atender",
        "items": items,
        "empty": "Todas las cuentas funcionan.",
        "link": link,
    }


def _item(publication, meta: str) -> dict:
    return {
        "text": publication.title,
        "url": reverse("publishing:detail", args=[publication.pk]),
        "meta": meta,
    }


def _to_approve(user) -> dict:
    pending = selectors.publications_for(user).awaiting_review().exclude(author=user)
    items = [
        _item(p, f"para {timezone.localtime(p.scheduled_at):%d/%m %H:%M}" if p.scheduled_at else "")
        for p in pending.order_by("scheduled_at")[:8]
    ]
    link = {"label": "Todas", "url": reverse("publishing:list") + "?estado=en_revision"}
    return {
        "title": "Publicaciones por aprobar",
        "items": items,
        "empty": "Nada por aprobar.",
        "link": link,
    }


def _attention() -> dict:
    items = [
        {
            "text": f"{d.variant.publication.title} · {d.account.name}",
            "url": reverse("publishing:detail", args=[d.variant.publication_id]),
            "meta": d.get_status_display(),
        }
        for d in selectors.needing_attention()[:8]
    ]
    link = {"label": "Envíos", "url": reverse("publishing:deliveries")}
    return {
        "title": "Envíos que necesitan una decisión",
        "items": items,
        "empty": "Todo salió bien.",
        "link": link,
    }


def _missed(user) -> dict:
    missed = selectors.publications_for(user).filter(
        author=user,
        missed_at__isnull=False,
        status__in=[PublicationStatus.BORRADOR, PublicationStatus.EN_REVISION],
    )
    items = [_item(p, "no se aprobó a tiempo") for p in missed[:8]]
    return {"title": "Publicaciones que no salieron", "items": items, "empty": "Ninguna."}
