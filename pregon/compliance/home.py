"""Home panel: the veda in force and what it has blocked, for those who see compliance."""

from django.http import HttpRequest
from django.urls import reverse

from pregon.accounts import access
from pregon.compliance.models import EventKind
from pregon.compliance.rules import blackout_active
from pregon.compliance.selectors import period_events

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = (
    "compliance.ComplianceEvent",
    "compliance.ElectoralPeriod",
    "compliance.ComplianceSettings",
)


def panels(request: HttpRequest) -> list[dict]:
    if not access.can(request.user, "compliance.view_dashboard"):
        return []
    period = blackout_active()
    if period is None:
        return []
    url = reverse("compliance:dashboard")
    events = period_events(period).filter(kind__in=[EventKind.BLOCKED, EventKind.FLAGGED])
    items = [{"text": e.object_label, "url": url, "meta": e.get_kind_display()} for e in events[:5]]
    return [
        {
            "title": f"Veda electoral en curso: {period.name} ({period.date_range})",
            "items": items,
            "empty": "Nada bloqueado ni señalado en esta veda.",
            "link": {"label": "Ver cumplimiento", "url": url},
        }
    ]
