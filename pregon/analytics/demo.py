"""Demo: the plan year up to yesterday (core.demo_clock) for the demo channels,
starting from the plan's 6,900 followers in January, 50–200 likes per post, and
the portal's visits. Deterministic and
idempotent: demo rows are replaced on every run, imported rows are never touched."""

import hashlib
import math
import random
from datetime import date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings

from pregon.analytics.demographics import catalog_for
from pregon.analytics.models import (
    AccountMetric,
    AudienceBreakdown,
    DailyVisitor,
    MetricSource,
    PageVisitDay,
    PostMetric,
    Purpose,
    PurposeRule,
)
from pregon.analytics.selectors import social_kinds
from pregon.analytics.services import PurposeClassifier, insert_visitors
from pregon.core import demo_clock
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus

YEAR = demo_clock.plan_year()
START_FOLLOWERS = 6900  # each demo account on 1 January (the plan speaks of 6,900 in all)
RULES = [
    ("/programas/", Purpose.PROGRAMS),
    ("/tramites/", Purpose.PROCEDURES),
    ("/noticias/", Purpose.TOPICS),
    ("/temas/", Purpose.TOPICS),
]
PAGES = [
    ("/", 30),
    ("/tramites/licencia-de-funcionamiento/", 14),
    ("/tramites/predial/", 18),
    ("/tramites/agua-potable/", 9),
    ("/tramites/actas-del-registro-civil/", 8),
    ("/programas/becas-educativas/", 10),
    ("/programas/apoyo-adultos-mayores/", 7),
    ("/programas/dif-desayunos-escolares/", 5),
    ("/noticias/jornada-de-salud/", 6),
    ("/noticias/obras-publicas-avance/", 5),
    ("/temas/proteccion-civil/", 4),
    ("/temas/transparencia/", 6),
    ("/directorio/", 5),
    ("/contacto/", 3),
]
TOPICS = [
    "Jornada de salud en la cabecera municipal",
    "Avance de la pavimentación en San Miguel",
    "Entrega de becas educativas",
    "Sesión de cabildo abierto",
    "Campaña de descacharrización",
    "Feria del empleo municipal",
    "Recorrido de la Presidenta por colonias",
    "Programa de apoyo a adultos mayores",
]


def days_of(year: int) -> list[date]:
    """The days of `year` already measured: up to yesterday."""
    first, end = date(year, 1, 1), min(date(year + 1, 1, 1), demo_clock.today())
    return [first + timedelta(days=i) for i in range((end - first).days)]


def load(stdout: TextIO) -> None:
    measured = social_kinds()
    accounts = list(ChannelAccount.objects.filter(kind__in=measured).order_by("pk"))
    for index, account in enumerate(accounts):
        rng = random.Random(f"pregon-analytics-{account.name}")
        _account_year(account, rng, index)
        _posts_year(account, rng)
        _own_posts(account, random.Random(f"pregon-own-{account.name}"))
        _audience(account, random.Random(f"pregon-audience-{account.name}"))
    for prefix, purpose in RULES:
        PurposeRule.objects.update_or_create(prefix=prefix, defaults={"purpose": purpose})
    visits = _portal_year(random.Random("pregon-analytics-portal"))
    stdout.write(
        f"Audiencias: {len(accounts)} cuentas con cifras de {YEAR}, {visits} visitas al portal.\n"
    )


def _account_year(account: ChannelAccount, rng: random.Random, index: int) -> None:
    AccountMetric.objects.filter(account=account, source=MetricSource.DEMO).delete()
    followers = START_FOLLOWERS
    rows = []
    daily_growth = (14, 9, 7, 5)[index % 4]
    for day in days_of(YEAR):
        gained = max(0, int(rng.gauss(daily_growth, daily_growth / 2)))
        lost = max(0, int(rng.gauss(daily_growth / 5, 1)))
        followers += gained - lost
        reach = int(followers * rng.uniform(0.25, 0.6))
        rows.append(
            AccountMetric(
                account=account,
                date=day,
                followers=followers,
                follows_gained=gained,
                follows_lost=lost,
                reach=reach,
                views=int(reach * rng.uniform(1.3, 2.0)),
                engagements=int(reach * rng.uniform(0.02, 0.06)),
                source=MetricSource.DEMO,
            )
        )
    existing = set(AccountMetric.objects.filter(account=account).values_list("date", flat=True))
    AccountMetric.objects.bulk_create([r for r in rows if r.date not in existing], batch_size=500)


def _posts_year(account: ChannelAccount, rng: random.Random) -> None:
    PostMetric.objects.filter(account=account, source=MetricSource.DEMO).delete()
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = []
    for number, day in enumerate(d for d in days_of(YEAR) if rng.random() < 0.55):
        hour = rng.choice([8, 9, 10, 11, 13, 14, 17, 18, 19, 20])
        moment = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=zone)
        evening = 1.25 if hour >= 17 else 1.0
        likes = int(min(260, max(35, rng.triangular(50, 200, 110) * evening)))
        reach = int(likes * rng.uniform(18, 35))
        remote_id = f"demo-ext-{account.pk}-{number}"  # posts made outside Pregón
        rows.append(
            PostMetric(
                account=account,
                remote_id=remote_id,
                text=f"{rng.choice(TOPICS)} ({day:%d/%m})",
                post_type="Foto",
                published_at=moment,
                snapshot_at=moment + timedelta(days=28),
                views=int(reach * 1.6),
                reach=reach,
                reactions=likes,
                comments=int(likes * rng.uniform(0.05, 0.25)),
                shares=int(likes * rng.uniform(0.03, 0.2)),
                saves=int(likes * rng.uniform(0, 0.05)),
                clicks=int(reach * rng.uniform(0.01, 0.04)),
                source=MetricSource.DEMO,
            )
        )
    PostMetric.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


# Engagement (%) by local hour and weekday: the public answers more in the evening and at
# weekends, so the demo's heatmap has a shape to find.
HOUR_LIFT = {h: 1.0 + (0.45 if 18 <= h <= 21 else 0.2 if 13 <= h <= 15 else 0.0) for h in range(24)}
DAY_LIFT = (1.0, 0.95, 1.0, 1.05, 1.1, 1.3, 1.25)


def _own_posts(account: ChannelAccount, rng: random.Random) -> None:
    """Figures for the posts Pregón itself delivered (publishing's demo), linked to
    their delivery. X gives no reach: its rate falls back to followers."""
    zone = ZoneInfo(settings.TIME_ZONE)
    deliveries = (
        Delivery.objects.filter(
            account=account, status=DeliveryStatus.PUBLICADA, published_at__isnull=False
        )
        .exclude(remote_id="")
        .select_related("variant__publication")
    )
    rows = []
    for delivery in deliveries:
        local = delivery.published_at.astimezone(zone)
        rate = rng.uniform(2.5, 5.5) * HOUR_LIFT[local.hour] * DAY_LIFT[local.weekday()]
        reach = int(rng.uniform(1500, 4200))
        likes = int(reach * rate / 100 * 0.8)
        rows.append(
            PostMetric(
                account=account,
                remote_id=delivery.remote_id,
                delivery=delivery,
                permalink=delivery.remote_url,
                text=delivery.variant.publication.title,
                published_at=delivery.published_at,
                snapshot_at=delivery.published_at + timedelta(days=28),
                views=int(reach * 1.6),
                reach=reach if _reports_reach(account) else None,
                reactions=likes,
                comments=int(likes * 0.15),
                shares=int(likes * 0.05),
                source=MetricSource.DEMO,
            )
        )
    PostMetric.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def _reports_reach(account: ChannelAccount) -> bool:
    """Whether the network says how many people a post reached (X does not)."""
    network = networks()[account.kind]
    return any("reach" in layout.columns for layout in network.csv_layouts)


AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_WEIGHTS = (2, 18, 27, 22, 15, 10, 6)
CITIES = {
    "Chapultepec, México": 38,
    "Metepec, México": 17,
    "San Mateo Atenco, México": 6,
    "Mexicaltzingo, México": 5,
    "Calimaya, México": 6,
    "Toluca, México": 14,
    "Ciudad de México, Distrito Federal": 7,
    "Lerma, México": 3,
    "Tenango del Valle, México": 2,
    "Zinacantepec, México": 2,
}
AUDIENCE_DAYS = 120


def _audience(account: ChannelAccount, rng: random.Random) -> None:
    """The breakdowns Meta still offers, one set per day over the last months, the
    municipality's share slowly growing."""
    AudienceBreakdown.objects.filter(account=account, source=MetricSource.DEMO).delete()
    items = [b for b in catalog_for(account.kind) if not b.retired]
    rows = []
    last = demo_clock.today()
    for back in range(AUDIENCE_DAYS, 0, -1):
        day = last - timedelta(days=back)
        people = 7000 + 12 * (AUDIENCE_DAYS - back)
        for item in items:
            share = 0.5 if item.metric == "engaged_audience_demographics" else 1.0
            counts = _counts(item.breakdown, int(people * share), 1 - back / 1000, rng)
            rows.append(
                AudienceBreakdown(
                    account=account,
                    date=day,
                    metric=item.metric,
                    breakdown=item.breakdown,
                    counts=counts,
                    source=MetricSource.DEMO,
                )
            )
    AudienceBreakdown.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def _counts(breakdown: str, people: int, home_lift: float, rng: random.Random) -> dict:
    if breakdown == "age":
        weights = dict(zip(AGES, AGE_WEIGHTS, strict=True))
    elif breakdown == "gender":
        weights = {"F": 55, "M": 42, "U": 3}
    else:
        weights = dict(CITIES)
        weights["Chapultepec, México"] *= home_lift
    total = sum(weights.values())
    return {k: int(people * w / total * rng.uniform(0.97, 1.03)) for k, w in weights.items()}


def _portal_year(rng: random.Random) -> int:
    days = days_of(YEAR)
    if not days:
        return 0
    PageVisitDay.objects.filter(date__range=(days[0], days[-1])).delete()
    DailyVisitor.objects.filter(date__range=(days[0], days[-1])).delete()
    classify = PurposeClassifier(RULES)
    pages, visitors, total = [], [], 0
    for day in days:
        weekday = 1.0 if day.weekday() < 5 else 0.45
        season = 1 + 0.25 * math.sin(2 * math.pi * day.timetuple().tm_yday / 365)
        people = int(rng.uniform(90, 160) * weekday * season)
        for i in range(people):
            seed = f"{day}-{i}".encode()
            visitors.append((day, hashlib.md5(seed).hexdigest()))  # noqa: S324
        for path, weight in PAGES:
            visits = int(people * weight / 40 * rng.uniform(0.7, 1.3))
            if visits:
                total += visits
                pages.append(
                    PageVisitDay(date=day, path=path, purpose=classify(path), visits=visits)
                )
    PageVisitDay.objects.bulk_create(pages, batch_size=1000)
    insert_visitors(visitors)
    return total
