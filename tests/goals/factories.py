"""A small, deterministic year 2023 shaped like the demo: acciones per area with and
without publications, publications on several channels, followers, posts, portal
visits, clippings and a CSAT survey. Shared by the goals and reports tests."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pregon.accounts.models import Area, User
from pregon.agenda.models import Activity, ActivityStatus
from pregon.analytics.models import AccountMetric, MetricSource, PageVisitDay, PostMetric, Purpose
from pregon.archive.models import Clipping, MediaType, Tone
from pregon.goals import demo as goals_demo
from pregon.publishing.models import (
    ChannelAccount,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationStatus,
    Variant,
)
from pregon.surveys.models import Answer, Question, QuestionKind, Response, Survey

ZONE = ZoneInfo("America/Mexico_City")
AREAS = ["OPDU", "SEGPUB", "DESOC"]


def local(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=ZONE)


def build_year() -> dict:
    author = User.objects.create_user("autora-demo", password="x-clave-segura-1")
    areas = {
        s: Area.objects.get_or_create(short_name=s, defaults={"name": f"Área {s}"})[0]
        for s in AREAS
    }
    accounts = {
        kind: ChannelAccount.objects.create(kind=kind, name=f"Cuenta {kind}")
        for kind in (ChannelKind.FACEBOOK_PAGE, ChannelKind.X)
    }
    _acciones(areas, author, accounts)
    _standalone(author, accounts)
    _audience(accounts)
    _press_and_survey()
    goals_demo.plan_for(2023)
    return {"areas": areas, "accounts": accounts, "author": author}


def publish(
    author, accounts, when: datetime, activity=None, area=None, title="Nota"
) -> Publication:
    pub = Publication.objects.create(
        title=title,
        text=title,
        author=author,
        activity=activity,
        area=area,
        status=PublicationStatus.PUBLICADA,
        published_at=when,
        scheduled_at=when,
    )
    kinds = [ChannelKind.FACEBOOK_PAGE] + ([ChannelKind.X] if pub.pk % 2 == 0 else [])
    for kind in kinds:
        variant = Variant.objects.create(publication=pub, account=accounts[kind], text=title)
        Delivery.objects.create(
            variant=variant,
            account=accounts[kind],
            status=DeliveryStatus.PUBLICADA,
            scheduled_at=when,
            published_at=when + timedelta(seconds=5),
        )
    return pub


def _acciones(areas: dict, author, accounts: dict) -> None:
    for m in range(1, 13):
        for i, short in enumerate(AREAS):
            start = local(2023, m, 5 + i)
            act = Activity.objects.create(
                title=f"Acción {short} {m:02d}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                area=areas[short],
                status=ActivityStatus.REALIZADA,
            )
            if (m + i) % 3 != 0:
                publish(author, accounts, start + timedelta(hours=8), act, areas[short])
            elif m % 2 == 0:  # a draft never makes an acción "published"
                Publication.objects.create(title="Borrador", text="b", author=author, activity=act)
        private = Activity.objects.create(
            title=f"Reunión privada {m}",
            starts_at=local(2023, m, 12),
            ends_at=local(2023, m, 12, 12),
            area=areas["OPDU"],
            is_public=False,
        )
        publish(author, accounts, local(2023, m, 12, 20), private, areas["OPDU"])
    Activity.objects.create(
        title="Evento cancelado",
        starts_at=local(2023, 2, 20),
        ends_at=local(2023, 2, 20, 12),
        area=areas["DESOC"],
        status=ActivityStatus.CANCELADA,
    )


def _standalone(author, accounts: dict) -> None:
    for m in range(1, 13):
        for k in range(2 + m):
            publish(author, accounts, local(2023, m, 20, 8 + k % 12, k), title=f"Aviso {m}-{k}")
    # Local-time edges: 30 June 23:30 is already 1 July in UTC, yet belongs to H1.
    publish(author, accounts, local(2023, 6, 30, 23, 30), title="Cierre de semestre")
    publish(author, accounts, local(2023, 1, 1, 0, 30), title="Año nuevo")
    publish(author, accounts, local(2022, 12, 31, 23, 59), title="Año anterior")
    Publication.objects.create(title="Fallida", text="f", author=author, status="fallida")


def _audience(accounts: dict) -> None:
    fb, x = accounts[ChannelKind.FACEBOOK_PAGE], accounts[ChannelKind.X]
    metrics, posts, visits = [], [], []
    for m in range(1, 13):
        for day in (1, 15):
            k = (m - 1) * 2 + (day == 15)
            metrics.append(
                AccountMetric(
                    account=fb,
                    date=date(2023, m, day),
                    followers=6900 + 100 * k,
                    source=MetricSource.DEMO,
                )
            )
            metrics.append(
                AccountMetric(
                    account=x,
                    date=date(2023, m, day),
                    followers=6900 + 50 * k,
                    source=MetricSource.DEMO,
                )
            )
        for j in range(4):
            posts.append(
                PostMetric(
                    account=fb if j % 2 == 0 else x,
                    remote_id=f"p{m}-{j}",
                    text=f"Post {m}-{j}",
                    published_at=local(2023, m, 3 + j * 6, 12),
                    snapshot_at=local(2023, m, 28),
                    reactions=40 + 60 * j + m,
                    comments=j + 1,
                    shares=j,
                    saves=0,
                    source=MetricSource.DEMO,
                )
            )
        for purpose, n in ((Purpose.PROCEDURES, 100), (Purpose.PROGRAMS, 40), (Purpose.TOPICS, 25)):
            visits.append(
                PageVisitDay(
                    date=date(2023, m, 10), path=f"/{purpose}/{m}/", purpose=purpose, visits=n + m
                )
            )
    AccountMetric.objects.bulk_create(metrics)
    PostMetric.objects.bulk_create(posts)
    PageVisitDay.objects.bulk_create(visits)


def _press_and_survey() -> None:
    for d, tone in (
        (date(2023, 3, 2), Tone.POSITIVO),
        (date(2023, 3, 9), Tone.POSITIVO),
        (date(2023, 5, 1), Tone.NEUTRO),
        (date(2023, 8, 8), Tone.NEGATIVO),
    ):
        Clipping.objects.create(
            outlet="El Sol", media_type=MediaType.IMPRESO, date=d, headline="Nota", tone=tone
        )
    survey = Survey.objects.create(
        title="Satisfacción 2023",
        slug="satisfaccion-2023",
        privacy_notice="Aviso",
        privacy_url="https://example.org/aviso",
        opens_on=date(2023, 3, 1),
        closes_on=date(2023, 9, 30),
    )
    question = Question.objects.create(
        survey=survey, kind=QuestionKind.CSAT, text="¿Qué tan satisfecho está?"
    )
    for i, score in enumerate([5, 5, 4, 4, 4, 3, 2, 5, 4, 1] + [5, 2, 2, 4, 3]):
        day = date(2023, 4, 1 + i) if i < 10 else date(2023, 8, i)
        response = Response.objects.create(survey=survey, submitted_on=day)
        Answer.objects.create(response=response, question=question, value=str(score))
