"""Home panel: what this person uploaded lately and what the archive refused."""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.archive.models import IngestItem, IngestItemStatus

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = ("archive.IngestItem",)


def panels(request: HttpRequest) -> list[dict]:
    if not access.can(request.user, "archive.add_asset"):
        return []
    since = timezone.now() - timedelta(days=7)
    items = IngestItem.objects.filter(created_by=request.user, created_at__gte=since)
    refused = list(items.filter(status=IngestItemStatus.RECHAZADO).order_by("-id")[:8])
    done = items.filter(status=IngestItemStatus.LISTO).count()
    return [
        {
            "title": "Mis subidas al archivo (7 días)",
            "items": [
                {"text": i.original_name, "url": reverse("archive:upload"), "meta": i.message}
                for i in refused
            ],
            "empty": f"{done} archivos guardados, ninguno rechazado.",
            "link": {"label": "Subir archivos", "url": reverse("archive:upload")},
        }
    ]
