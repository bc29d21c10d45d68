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

from pregon.analytics.definitions import BASELINE_FOLLOWERS
from pregon.analytics.models import (
    AccountMetric,
    DailyVisitor,
    MetricSource,
    PageVisitDay,
    PostMetric,
    Purpose,
    PurposeRule,
)
from pregon.analytics.services import PurposeClassifier, insert_visitors
from pregon.core import demo_clock
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import ChannelAccount

YEAR = demo_clock.plan_year()
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
    measured = [n.kind for n in networks().values() if n.insights or n.csv_layouts]
    accounts = list(ChannelAccount.objects.filter(kind__in=measured).order_by("pk"))
    for index, account in enumerate(accounts):
        rng = random.Random(f"pregon-analytics-{account.name}")
        _account_year(account, rng, index)
        _posts_year(account, rng)
    for prefix, purpose in RULES:
        PurposeRule.objects.update_or_create(prefix=prefix, defaults={"purpose": purpose})
    visits = _portal_year(random.Random("pregon-analytics-portal"))
    stdout.write(
        f"Audiencias: {len(accounts)} cuentas con cifras de {YEAR}, {visits} visitas al portal.\n"
    )


def _account_year(account: ChannelAccount, rng: random.Random, index: int) -> None:
    AccountMetric.objects.filter(account=account, source=MetricSource.DEMO).delete()
    followers = BASELINE_FOLLOWERS
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
        remote_id = f"demo-{account.pk}-{number}"
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
