"""Home panels: today's agenda (Presidencia, Enlace, Coordinación) and my coverage."""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.roles import Role
from pregon.agenda import selectors

AGENDA_ROLES = (Role.PRESIDENCIA, Role.ENLACE, Role.COORDINACION)
COVERAGE_ROLES = (Role.FOTOGRAFIA, Role.REDACCION, Role.DISENO, Role.COORDINACION)

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = ("agenda.Activity", "agenda.CoverageAssignment")


def _time(activity) -> str:
    if activity.all_day:
        return "todo el día"
    return timezone.localtime(activity.starts_at).strftime("%H:%M")


def today_panel(request: HttpRequest) -> dict:
    items = [
        {
            "text": a.title,
            "url": reverse("agenda:detail", args=[a.pk]),
            "meta": f"{_time(a)} · {a.area.short_name}"
            + (" · con la Presidenta" if a.with_mayor else ""),
        }
        for a in selectors.today_activities(request.user)[:12]
    ]
    return {
        "title": "Agenda de hoy",
        "items": items,
        "empty": "No hay actividades registradas para hoy.",
        "link": {"label": "Ver la semana", "url": reverse("agenda:calendar")},
    }


def assignments_panel(request: HttpRequest) -> dict:
    today = timezone.localdate()
    mine = selectors.person_assignments(request.user, today, today + timedelta(days=6))
    items = [
        {
            "text": f"{c.get_kind_display()}: {c.activity.title}",
            "url": reverse("agenda:detail", args=[c.activity_id]),
            "meta": timezone.localtime(c.activity.starts_at).strftime("%d/%m %H:%M"),
        }
        for c in mine.exclude(status="cubierta")[:12]
    ]
    return {
        "title": "Mis coberturas (7 días)",
        "items": items,
        "empty": "No tiene coberturas asignadas esta semana.",
        "link": {"label": "Mi semana", "url": reverse("agenda:person_week")},
    }


def panels(request: HttpRequest) -> list[dict]:
    user = request.user
    if not access.can(user, "agenda.view_activity"):
        return []
    found = []
    if access.has_role(user, *AGENDA_ROLES):
        found.append(today_panel(request))
    if access.has_role(user, *COVERAGE_ROLES):
        found.append(assignments_panel(request))
    return found
