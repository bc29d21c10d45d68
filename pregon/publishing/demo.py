"""The channels the plan names, and a plausible plan year of publications up to
today (core.demo_clock): most held agenda activities reported once or twice,
informative posts in between, on a pace of ~650 published a year (the plan's goal
is 720), a few failed or cancelled. Idempotent: publications
are keyed by (title, date) and only missing ones are created."""

import random
from datetime import datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from pregon.accounts.models import User
from pregon.agenda.models import Activity, ActivityStatus
from pregon.core import demo_clock
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import (
    Category,
    ChannelAccount,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationStatus,
    Theme,
    Variant,
)

# (name, kind, handle, institutional, base_url): each network package's demo accounts.
CHANNELS = [
    (demo.name, network.kind, demo.handle, demo.institutional, demo.base_url)
    for network in networks().values()
    for demo in network.demo_accounts
]

YEAR = demo_clock.plan_year()
PUBLISHED_TARGET = 650
AREA_CATEGORY = {
    "SMDIF": Category.SALUD,
    "SEGPUB": Category.SEGURIDAD_PUBLICA,
    "PC": Category.PROTECCION_CIVIL,
    "OPDU": Category.OBRA_PUBLICA,
    "EDUC": Category.EDUCACION,
    "IMCUFIDEC": Category.DEPORTE,
    "SERVP": Category.TRAMITES,
    "TES": Category.TRAMITES,
}
INFORMATIVE = [
    ("Recuerda pagar tu predial con descuento", Category.TRAMITES),
    ("Horario de atención de la Tesorería", Category.TRAMITES),
    ("Recomendaciones ante la temporada de lluvias", Category.PROTECCION_CIVIL),
    ("Números de emergencia del municipio", Category.SEGURIDAD_PUBLICA),
    ("Campaña de vacunación antirrábica", Category.SALUD),
    ("Separa tus residuos: días de recolección", Category.TRAMITES),
    ("Cartelera cultural de la semana", Category.CULTURA),
    ("Inscripciones a las escuelas deportivas municipales", Category.DEPORTE),
    ("Aviso: corte programado de agua", Category.OBRA_PUBLICA),
    ("Consejos para prevenir incendios forestales", Category.PROTECCION_CIVIL),
]


def load(stdout: TextIO) -> None:
    accounts = _channels()
    author = User.objects.filter(username="redaccion").first()
    approver = User.objects.filter(username="coordinacion").first()
    if not author or not approver:
        stdout.write("Publicaciones: faltan las personas de demostración.\n")
        return
    specs = _specs(random.Random(YEAR))
    created = _create_missing(specs, accounts, author, approver, random.Random(YEAR + 1))
    created += _campaign_week(accounts, author, approver)
    published = Publication.objects.published_between(*_year_bounds()).count()
    stdout.write(
        f"Canales: {len(CHANNELS)}. Publicaciones {YEAR}: {created} nuevas; "
        f"{published} publicadas.\n"
    )


def _channels() -> dict[str, ChannelAccount]:
    accounts = {}
    for name, kind, handle, institutional, base_url in CHANNELS:
        defaults = {"kind": kind, "handle": handle, "is_institutional": institutional}
        if base_url:
            defaults["base_url"] = base_url
        accounts[name], _ = ChannelAccount.objects.update_or_create(name=name, defaults=defaults)
    return accounts


def _year_bounds() -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(YEAR, 1, 1))
    return start, timezone.make_aware(datetime(YEAR + 1, 1, 1))


def _specs(rng: random.Random) -> list[dict]:
    """One publication per realised activity (two for the mayor's), then informative
    posts to reach the year's pace."""
    activities = Activity.objects.filter(
        starts_at__range=_year_bounds(), status=ActivityStatus.REALIZADA
    ).select_related("area")
    specs = []
    for activity in activities.order_by("starts_at"):
        copies = 2 if activity.with_mayor and rng.random() < 0.5 else 1
        for n in range(copies):
            specs.append(_activity_spec(activity, n, rng))
    # The year's pace so far: PUBLISHED_TARGET over the whole year, pro rata.
    target = round(PUBLISHED_TARGET * demo_clock.elapsed_fraction())
    specs = [s for s in specs if demo_clock.is_history(s["when"])][: round(target * 0.94)]
    start, _ = _year_bounds()
    while len(specs) < target + round(40 * demo_clock.elapsed_fraction()):  # failed, cancelled
        title, category = rng.choice(INFORMATIVE)
        days = rng.randrange(max(demo_clock.elapsed_days() - 1, 1))
        when = start + timedelta(days=days, hours=rng.choice((9, 11, 13, 17)))
        specs.append(
            {
                "title": title,
                "category": category,
                "activity": None,
                "when": when,
                "text": f"{title}. Más información en chapultepec.gob.mx.",
                "mayor": False,
            }
        )
    return specs


def _activity_spec(activity: Activity, n: int, rng: random.Random) -> dict:
    when = activity.ends_at + timedelta(hours=1 + n * 20, minutes=rng.randrange(0, 60, 5))
    prefix = ("", "Galería: ")[n]
    return {
        "title": f"{prefix}{activity.title}"[:200],
        "category": AREA_CATEGORY.get(activity.area.short_name, Category.INSTITUCIONAL),
        "activity": activity,
        "when": when,
        "text": f"{activity.title}. {activity.place}".strip(". "),
        "mayor": activity.with_mayor,
    }


@transaction.atomic
def _create_missing(specs, accounts, author, approver, rng: random.Random) -> int:
    existing = set(
        Publication.objects.filter(author=author, scheduled_at__range=_year_bounds()).values_list(
            "title", "scheduled_at"
        )
    )
    created = 0
    themes = {t.category: t for t in Theme.objects.exclude(category="")}
    for index, spec in enumerate(specs):
        if (spec["title"], spec["when"]) in existing:
            continue
        spec["theme"] = themes.get(spec["category"])
        _create_one(spec, _fate(index, len(specs)), accounts, author, approver, rng)
        existing.add((spec["title"], spec["when"]))
        created += 1
    return created


def _fate(index: int, total: int) -> str:
    # Deterministic: every 27th fails on all channels, every 40th is cancelled.
    if index % 27 == 13:
        return PublicationStatus.FALLIDA
    if index % 40 == 21:
        return PublicationStatus.CANCELADA
    return PublicationStatus.PUBLICADA


def _targets(spec: dict, accounts: dict, rng: random.Random) -> list[ChannelAccount]:
    names = [CHANNELS[0][0], CHANNELS[4][0]]  # institutional page and portal
    if spec["mayor"]:
        names += [CHANNELS[1][0], CHANNELS[2][0], CHANNELS[3][0]]
    elif rng.random() < 0.3:
        names.append(CHANNELS[5][0])
    return [accounts[n] for n in names]


def _create_one(spec, fate, accounts, author, approver, rng, targets=None) -> None:
    published = fate == PublicationStatus.PUBLICADA
    publication = Publication.objects.create(
        title=spec["title"],
        text=spec["text"],
        category=spec["category"],
        theme=spec.get("theme"),
        activity=spec["activity"],
        campaign=spec["activity"].campaign if spec["activity"] else None,
        area=spec["activity"].area if spec["activity"] else None,
        author=author,
        status=fate,
        scheduled_at=spec["when"],
        submitted_at=spec["when"] - timedelta(hours=2),
        approved_by=approver,
        approved_at=spec["when"] - timedelta(hours=1),
        published_at=spec["when"] if published else None,
    )
    for account in targets or _targets(spec, accounts, rng):
        variant = Variant.objects.create(publication=publication, account=account)
        Delivery.objects.create(
            variant=variant,
            account=account,
            attempts=1,
            **_delivery_fields(fate, spec["when"], publication.pk, account),
        )


def _delivery_fields(fate: str, when: datetime, pub_id: int, account: ChannelAccount) -> dict:
    if fate == PublicationStatus.PUBLICADA:
        remote_id = f"demo-{pub_id}-{account.pk}"
        return {
            "status": DeliveryStatus.PUBLICADA,
            "scheduled_at": when,
            "published_at": when + timedelta(seconds=3),
            "remote_id": remote_id,
            "remote_url": f"https://demo.chapultepec.gob.mx/{account.kind}/{remote_id}",
        }
    status = (
        DeliveryStatus.FALLIDA if fate == PublicationStatus.FALLIDA else DeliveryStatus.CANCELADA
    )
    error = "El token de acceso venció (demostración)." if status == DeliveryStatus.FALLIDA else ""
    return {"status": status, "scheduled_at": when, "last_error": error}


# The permanent campaign this week (publishing.cadence): Salud and Cultura kept up on
# some networks, the rest behind, so the board and the home pages show both.
# (title, category, theme, channel names)
CAMPAIGN_WEEK = [
    ("Jornada de salud en la explanada", Category.SALUD, "Salud", (0, 2, 3)),
    ("Módulo de vacunación en el DIF", Category.SALUD, "Salud", (0,)),
    ("Cartelera cultural del fin de semana", Category.CULTURA, "Cultura", (0, 2)),
    ("Simulacro en escuelas primarias", Category.PROTECCION_CIVIL, "Protección civil", (0,)),
    (
        "Servicio social: convocatoria de prestadores",
        Category.INSTITUCIONAL,
        "Servicio social",
        (0,),
    ),
]


def _campaign_week(accounts: dict, author: User, approver: User) -> int:
    """This week's posts on the permanent themes, spread between Monday and now."""
    now = timezone.now()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    week_start = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    themes = {t.name: t for t in Theme.objects.all()}
    created = 0
    for index, (title, category, theme, channels) in enumerate(CAMPAIGN_WEEK):
        if Publication.objects.filter(title=title, scheduled_at__gte=week_start).exists():
            continue
        when = week_start + (now - week_start) * (index + 1) / (len(CAMPAIGN_WEEK) + 1)
        spec = {"title": title, "text": f"{title}. Más información en chapultepec.gob.mx.",
                "category": category, "theme": themes.get(theme), "activity": None,
                "when": when, "mayor": False}  # fmt: skip
        targets = [accounts[CHANNELS[i][0]] for i in channels]
        _create_one(spec, PublicationStatus.PUBLICADA, {}, author, approver, None, targets)
        created += 1
    return created
