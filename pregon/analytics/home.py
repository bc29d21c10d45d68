"""Home panel for Coordinación and Consulta: the audience at a glance — followers
against the 6,900 baseline, last week's interactions per post against the 50–200
band, and yesterday's portal visits."""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.roles import Role
from pregon.analytics import definitions as d
from pregon.analytics import selectors

HOME_ROLES = (Role.COORDINACION, Role.CONSULTA)

# Writes to these change what the panels show (core.views caches them per person).
HOME_WATCH = (
    "analytics.AccountMetric",
    "analytics.PostMetric",
    "analytics.PageVisitDay",
    "publishing.ChannelAccount",
)


def _n(value: float | int) -> str:
    return f"{value:,.0f}"


def audience_items(today) -> list[dict]:
    dashboard, portal = reverse("analytics:dashboard"), reverse("analytics:portal")
    items = []
    for account, followers, day in selectors.latest_followers(selectors.measured_accounts(), today):
        growth = d.growth_rate(followers, d.BASELINE_FOLLOWERS)
        items.append(
            {
                "text": f"{account.name}: {_n(followers)} seguidores",
                "url": f"{dashboard}?cuenta={account.pk}&anio={day.year}",
                "meta": f"{followers - d.BASELINE_FOLLOWERS:+,} frente a la línea base de "
                f"{_n(d.BASELINE_FOLLOWERS)} ({growth:+.1f} %) · al {day:%d/%m/%Y}",
            }
        )
    monday = today - timedelta(days=today.weekday() + 7)
    week = selectors.week_posts(monday, monday + timedelta(days=6))
    low, high = d.LIKES_BAND
    if week["posts"]:
        items.append(
            {
                "text": f"Semana pasada: {week['avg_interactions']:.0f} interacciones promedio "
                f"por publicación ({week['posts']} publicaciones)",
                "url": dashboard,
                "meta": f"{week['in_band']} con «me gusta» dentro del rango {low}–{high} del plan",
            }
        )
    else:
        items.append(
            {
                "text": "Semana pasada: sin cifras de publicaciones",
                "url": dashboard,
                "meta": f"rango del plan: {low}–{high} «me gusta» por publicación",
            }
        )
    yesterday = today - timedelta(days=1)
    visits = selectors.day_visits(yesterday)
    items.append(
        {
            "text": f"Portal ayer: {_n(visits['visits'])} visitas, "
            f"{_n(visits['visitors'])} visitantes únicos",
            "url": f"{portal}?anio={yesterday.year}",
            "meta": f"{yesterday:%d/%m/%Y}",
        }
    )
    return items


def panels(request: HttpRequest) -> list[dict]:
    user = request.user
    if not access.can(user, "analytics.view_accountmetric") or not access.has_role(
        user, *HOME_ROLES
    ):
        return []
    return [
        {
            "title": "Audiencias",
            "items": audience_items(timezone.localdate()),
            "empty": "Aún no hay cifras de audiencia.",
            "link": {"label": "Ver tableros", "url": reverse("analytics:dashboard")},
        }
    ]
