"""Home panel for Coordinación and Consulta: the audience at a glance — each account's
followers against its own first figure of the year, the plan's one baseline against
the sum of the accounts it covers, last week's interactions per post against the
50–200 band, and yesterday's portal visits."""

from datetime import date, timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.roles import Role
from pregon.analytics import baseline, selectors
from pregon.analytics import definitions as d

HOME_ROLES = (Role.COORDINACION, Role.CONSULTA)

# Writes to these change what the panel shows (core.panels caches it per person and
# app); the plan's followers baseline is the goals' (analytics.baseline).
HOME_WATCH = (
    "analytics.AccountMetric",
    "analytics.PostMetric",
    "analytics.PageVisitDay",
    "publishing.ChannelAccount",
    "goals.Plan",
    "goals.Indicator",
)


def _n(value: float | int) -> str:
    return f"{value:,.0f}"


def _followers_items(today, dashboard: str) -> list[dict]:
    accounts = selectors.measured_accounts()
    known = selectors.followers_since(accounts, date(today.year, 1, 1), today)
    items = []
    for account in sorted(accounts, key=lambda a: a.name):
        figures = known.get(account.pk)
        if figures is None:
            continue
        first = figures.last if figures.first is None else figures.first
        followers, day = figures.last, figures.last_date
        growth = d.growth_rate(followers, first)
        change = "" if growth is None else f" ({growth:+.1f} %)"
        items.append(
            {
                "text": f"{account.name}: {_n(followers)} seguidores",
                "url": f"{dashboard}?cuenta={account.pk}&anio={day.year}",
                "meta": f"{followers - first:+,} desde su primera cifra del año "
                f"({_n(first)}){change} · al {day:%d/%m/%Y}",
            }
        )
    plan = baseline.plan_baseline()
    if plan:
        items.append(_plan_item(selectors.plan_progress(plan, today, known), dashboard))
    return items


def _plan_item(progress: dict, dashboard: str) -> dict:
    since = f" al {progress['since']:%d/%m/%Y}" if progress["since"] else ""
    if progress["followers"] is None:
        now = "ninguna tiene cifras aún"
    else:
        now = f"hoy suman {_n(progress['followers'])} ({progress['growth']:+.1f} %)"
    return {
        "text": f"Línea base del plan: {_n(progress['baseline'])} seguidores{since}",
        "url": f"{dashboard}#seguidores",
        "meta": f"en {progress['scope']}: {now}",
    }


def audience_items(today) -> list[dict]:
    dashboard, portal = reverse("analytics:dashboard"), reverse("analytics:portal")
    items = _followers_items(today, dashboard)
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
