"""Home panel for Diseño: the latest pieces and a shortcut to each template."""

from django.http import HttpRequest
from django.urls import reverse

from pregon.accounts import access
from pregon.accounts.roles import Role
from pregon.core.spanish import format_date
from pregon.design.render import TEMPLATES
from pregon.design.selectors import pieces_recent

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = ("design.RenderedPiece",)


def panels(request: HttpRequest) -> list[dict]:
    if not access.has_role(request.user, Role.DISENO):
        return []
    items = [
        {
            "text": f"Nueva pieza: {t.label}",
            "url": reverse("design:editor", args=[t.slug]),
            "meta": t.description,
        }
        for t in TEMPLATES.values()
    ]
    items += [
        {
            "text": str(p),
            "url": reverse("design:piece_image", args=[p.pk]),
            "meta": format_date(p.created_at, "j M, H:i"),
        }
        for p in pieces_recent(5)
    ]
    return [
        {
            "title": "Diseño",
            "items": items,
            "empty": "",
            "link": {"label": "Kit de marca", "url": reverse("design:brand_kit")},
        }
    ]
