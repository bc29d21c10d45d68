"""Home panel: surveys open today and how many answers they have."""

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.surveys.models import Survey

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = ("surveys.Survey", "surveys.Response")


def panels(request: HttpRequest) -> list[dict]:
    if not access.can(request.user, "surveys.view_survey"):
        return []
    today = timezone.localdate()
    surveys = Survey.objects.open_on(today).annotate(answers=Count("responses"))[:5]
    items = [
        {
            "text": survey.title,
            "url": survey.get_absolute_url(),
            "meta": f"{survey.answers} respuestas · cierra el {survey.closes_on:%d/%m/%Y}",
        }
        for survey in surveys
    ]
    return [
        {
            "title": "Encuestas abiertas",
            "items": items,
            "empty": "No hay encuestas abiertas hoy.",
            "link": {"label": "Todas las encuestas", "url": reverse("surveys:list")},
        }
    ]
