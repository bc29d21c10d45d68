"""Chapultepec's agenda for the plan year (the current year, see core.demo_clock):
weekly cabildo sessions, campaigns, tours and works. What happened before now is
held and covered; what comes after (the rest of the year and the next four weeks)
is confirmed with its coverage assigned. Deterministic (fixed seed) and
idempotent (keyed by a demo UID)."""

import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.utils import timezone

from pregon.accounts.models import Area, User
from pregon.agenda import services
from pregon.agenda.models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Campaign,
    CoverageAssignment,
    CoverageKind,
    CoverageStatus,
)
from pregon.core import demo_clock

YEAR = demo_clock.plan_year()
AHEAD = timedelta(weeks=4)  # the agenda always reaches this far past today
CAMPAIGNS = [
    # name, area, type of its events, titles, places, months
    (
        "Jornadas de Salud",
        "SMDIF",
        [
            "Jornada de salud visual",
            "Vacunación antiinfluenza",
            "Detección oportuna de cáncer de mama",
            "Feria de la salud",
        ],
        ["Centro de Salud Chapultepec", "Delegación San Miguel", "Plaza Cívica"],
        range(1, 13),
    ),
    (
        "Temporada de lluvias: prevención",
        "PC",
        [
            "Simulacro de evacuación",
            "Limpieza de barrancas y drenes",
            "Capacitación a brigadistas",
            "Recorrido de zonas de riesgo",
        ],
        ["Escuela Primaria Benito Juárez", "Barranca de San Isidro", "Palacio Municipal"],
        range(4, 10),
    ),
    (
        "Chapultepec Seguro",
        "SEGPUB",
        [
            "Entrega de patrullas",
            "Reunión vecinal de seguridad",
            "Programa Vecino Vigilante",
            "Operativo Mochila Segura",
        ],
        ["Explanada Municipal", "Colonia La Magdalena", "Barrio de San Juan"],
        range(1, 13),
    ),
    (
        "Festival Cultural de Otoño",
        "EDUC",
        [
            "Concierto de la Banda Sinfónica Municipal",
            "Muestra gastronómica",
            "Taller de cartonería",
            "Obra de teatro comunitario",
        ],
        ["Kiosco del Jardín Principal", "Casa de Cultura", "Auditorio Municipal"],
        range(9, 12),
    ),
    (
        "Juegos Deportivos Municipales",
        "IMCUFIDEC",
        [
            "Inauguración de la liga infantil de fútbol",
            "Carrera atlética 5K",
            "Torneo de básquetbol",
            "Premiación de los Juegos Deportivos",
        ],
        ["Unidad Deportiva Chapultepec", "Cancha de la Colonia Centro"],
        range(2, 12),
    ),
]
WORKS = [
    "Pavimentación de la calle Hidalgo",
    "Rehabilitación del mercado municipal",
    "Red de agua potable en San Miguel",
    "Alumbrado público LED en la Colonia Centro",
    "Techumbre de la Escuela Secundaria Técnica",
    "Rehabilitación de la Unidad Deportiva",
    "Guarniciones y banquetas en Barrio de San Juan",
    "Drenaje sanitario en La Magdalena",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _thursdays() -> list[date]:
    """Every Thursday of the year, and on into January if today is near its end."""
    first = date(YEAR, 1, 1) + timedelta(days=(3 - date(YEAR, 1, 1).weekday()) % 7)
    last = max(date(YEAR, 12, 31), demo_clock.today() + AHEAD)
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def _spec(
    uid: str, title: str, area: str, kind: str, start: datetime, hours: float, **extra
) -> dict:
    return {
        "uid": uid,
        "title": title,
        "area": area,
        "type": kind,
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        **extra,
    }


def _cabildo(rng: random.Random) -> list[dict]:
    specs = []
    for n, day in enumerate(_thursdays(), 1):
        specs.append(
            _spec(
                f"cabildo-{n}",
                f"{n}.ª Sesión ordinaria de Cabildo",
                "SECAY",
                ActivityType.CABILDO_ORDINARIA,
                _at(day, 10),
                2,
                with_mayor=True,
                place="Sala de Cabildo, Palacio Municipal",
                stream_url="https://www.facebook.com/ChapultepecGob/live",
            )
        )
    for n, month in enumerate((2, 4, 6, 8, 10, 11), 1):
        day = date(YEAR, month, rng.randint(10, 25))
        specs.append(
            _spec(
                f"cabildo-ext-{n}",
                f"Sesión extraordinaria de Cabildo {n}/{YEAR}",
                "SECAY",
                ActivityType.CABILDO_EXTRAORDINARIA,
                _at(day, 17),
                2,
                with_mayor=True,
                place="Sala de Cabildo, Palacio Municipal",
            )
        )
    specs.append(
        _spec(
            "cabildo-informe",
            "Sesión solemne: Primer Informe de Gobierno",
            "SECAY",
            ActivityType.CABILDO_SOLEMNE,
            _at(date(YEAR, 12, 8), 11),
            3,
            with_mayor=True,
            expected_attendance=1200,
            public_interest=True,
            place="Auditorio Municipal",
        )
    )
    return specs


def _campaigns(rng: random.Random) -> list[dict]:
    specs = []
    for name, area, titles, places, months in CAMPAIGNS:
        for month in months:
            for k in range(rng.randint(2, 3)):
                day = date(YEAR, month, rng.randint(1, 28))
                specs.append(
                    _spec(
                        f"{area.lower()}-{month}-{k}",
                        rng.choice(titles),
                        area,
                        ActivityType.CAMPANA,
                        _at(day, rng.choice((9, 10, 11, 16, 17))),
                        rng.choice((1, 2, 3)),
                        campaign=name,
                        place=rng.choice(places),
                        with_mayor=rng.random() < 0.25,
                        expected_attendance=rng.choice((50, 120, 300, 600)),
                        public_interest=rng.random() < 0.4,
                    )
                )
    return specs


def _government(rng: random.Random) -> list[dict]:
    specs = []
    for n, title in enumerate(WORKS * 3, 1):
        day = date(YEAR, 1 + (n * 5) % 12, rng.randint(1, 28))
        label = "Arranque de obra" if n <= len(WORKS) else "Inauguración de obra"
        specs.append(
            _spec(
                f"obra-{n}",
                f"{label}: {title}",
                "OPDU",
                ActivityType.INAUGURACION_OBRA,
                _at(day, 11),
                1.5,
                with_mayor=True,
                expected_attendance=rng.choice((150, 300, 500)),
                place=title.split(" en ")[-1] if " en " in title else "Chapultepec",
            )
        )
    for month in range(1, 13):
        for week in (1, 3):
            day = date(YEAR, month, 7 * week - 3)
            specs.append(
                _spec(
                    f"audiencia-{month}-{week}",
                    "Miércoles Ciudadano: audiencia pública",
                    "PRES",
                    ActivityType.AUDIENCIA_PUBLICA,
                    _at(day, 9),
                    4,
                    with_mayor=True,
                    place="Palacio Municipal",
                    stream_url="https://www.facebook.com/ChapultepecGob/live",
                )
            )
        day = date(YEAR, month, rng.randint(8, 26))
        specs.append(
            _spec(
                f"gira-{month}",
                f"Gira de trabajo por comunidades ({month}/{YEAR})",
                "PRES",
                ActivityType.GIRA,
                _at(day, 10),
                5,
                with_mayor=True,
                place="San Miguel, San Isidro y La Magdalena",
            )
        )
        for area in ("TES", "CONT", "SERVP", "DECO", "MAMB"):
            day = date(YEAR, month, rng.randint(1, 28))
            specs.append(
                _spec(
                    f"reunion-{area.lower()}-{month}",
                    f"Reunión de trabajo con {area}",
                    area,
                    ActivityType.REUNION_TRABAJO,
                    _at(day, 13),
                    1,
                    is_public=False,
                    place="Sala de juntas, Palacio Municipal",
                    with_mayor=area in ("TES", "SERVP"),
                )
            )
    return specs


def _today() -> list[dict]:
    """Two activities on the day the demo is loaded, so today's agenda is never empty."""
    day = demo_clock.today()
    return [
        _spec(
            f"hoy-{day.isoformat()}-reunion",
            "Reunión de seguimiento de la agenda semanal",
            "PRES",
            ActivityType.REUNION_TRABAJO,
            _at(day, 9),
            1,
            is_public=False,
            with_mayor=True,
            place="Despacho de la Presidencia",
        ),
        _spec(
            f"hoy-{day.isoformat()}-apoyos",
            "Entrega de apoyos a adultos mayores",
            "SMDIF",
            ActivityType.EVENTO_PUBLICO,
            _at(day, 17),
            2,
            with_mayor=True,
            expected_attendance=400,
            place="Explanada Municipal",
        ),
    ]


def _status(rng: random.Random, spec: dict) -> str:
    """Held (a few cancelled or moved) before now; confirmed after."""
    roll = rng.random()
    if roll < 0.04:
        return ActivityStatus.CANCELADA
    if roll < 0.08:
        return ActivityStatus.REPROGRAMADA
    if demo_clock.is_history(spec["starts_at"]):
        return ActivityStatus.REALIZADA
    return ActivityStatus.CONFIRMADA


def _save(spec: dict, status: str) -> Activity:
    spec = dict(spec)
    uid = f"demo-{spec.pop('uid')}@pregon.chapultepec"
    spec["area"] = Area.objects.get(short_name=spec["area"])
    if spec.get("campaign"):
        spec["campaign"] = Campaign.objects.get_or_create(name=spec["campaign"])[0]
    activity, _ = Activity.objects.update_or_create(
        ical_uid=uid, ical_recurrence_id="", defaults={**spec, "status": status}
    )
    return activity


def _coverage(activities: list[Activity], rng: random.Random) -> int:
    team = list(User.objects.filter(username__in=("fotografia", "redaccion", "diseno")))
    by_kind = {u.username: u for u in team}
    owner = {
        CoverageKind.FOTOGRAFIA: "fotografia",
        CoverageKind.VIDEO: "fotografia",
        CoverageKind.TRANSMISION: "fotografia",
        CoverageKind.REDACCION: "redaccion",
    }
    count = 0
    for activity in activities:
        if activity.status == ActivityStatus.CANCELADA:
            continue
        for kind in services.default_kinds(activity):
            CoverageAssignment.objects.update_or_create(
                activity=activity,
                kind=kind,
                defaults={
                    "assignee": by_kind.get(owner.get(kind, "")),
                    "status": CoverageStatus.CUBIERTA
                    if activity.status == ActivityStatus.REALIZADA
                    else CoverageStatus.ASIGNADA,
                },
            )
            count += 1
    return count


def load(stdout: TextIO) -> None:
    rng = random.Random(YEAR)
    for name, *_ in CAMPAIGNS:
        Campaign.objects.get_or_create(
            name=name, defaults={"starts_on": date(YEAR, 1, 1), "ends_on": date(YEAR, 12, 31)}
        )
    specs = _cabildo(rng) + _campaigns(rng) + _government(rng) + _today()
    activities = [_save(spec, _status(rng, spec)) for spec in specs]
    services.rescore_all()
    activities = list(Activity.objects.filter(pk__in=[a.pk for a in activities]))
    covered = _coverage(activities, rng)
    stdout.write(f"Agenda {YEAR}: {len(activities)} actividades; {covered} coberturas.\n")
