"""The plan year's bulletins up to today (core.demo_clock; about 120 boletines and
some comunicados over a whole year, numbered per year in date order), the press
directory with its lists, and the council sessions' recordings.
Idempotent: bulletins are keyed by (year, kind, number), contacts by e-mail."""

import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from pregon.accounts.models import Area, User
from pregon.agenda.models import CABILDO_TYPES, Activity
from pregon.bulletins.models import (
    Bulletin,
    BulletinCounter,
    BulletinStatus,
    LiveTransmission,
    MediaContact,
    MediaList,
)
from pregon.bulletins.text import search_text
from pregon.core import demo_clock
from pregon.publishing.models import Category

YEAR = demo_clock.plan_year()
BOLETINES = 120
COMUNICADOS = 14
RECORDINGS_URL = "https://www.facebook.com/AyuntamientoChapultepec/videos/"
CONTACT = "Unidad de Comunicación Social · comunicacion@chapultepec.gob.mx · (722) 263 0855"
LISTS = {
    "Medios locales": "Periódicos, radio y páginas de Chapultepec y municipios vecinos",
    "Corresponsales Toluca": "Corresponsales de medios estatales en Toluca",
    "Medios estatales": "Redacciones de medios del Estado de México",
    "Radio y televisión": "Noticieros de radio y televisión",
}
OUTLETS = [
    (
        "El Sol de Toluca",
        "prensa",
        "Valle de Toluca",
        ["Corresponsales Toluca", "Medios estatales"],
    ),
    ("Diario Amanecer", "prensa", "Estado de México", ["Medios estatales"]),
    ("AD Noticias", "digital", "Estado de México", ["Medios estatales"]),
    ("Radio Mexiquense", "radio", "Estado de México", ["Radio y televisión", "Medios estatales"]),
    ("Televisión Mexiquense", "television", "Estado de México", ["Radio y televisión"]),
    ("Chapultepec Informa", "digital", "Chapultepec", ["Medios locales"]),
    ("Voz del Valle", "digital", "Valle de Toluca", ["Medios locales", "Corresponsales Toluca"]),
    ("Noticias Metepec-Chapultepec", "digital", "Metepec y Chapultepec", ["Medios locales"]),
    ("Agencia Estatal de Noticias", "agencia", "Estado de México", ["Medios estatales"]),
    ("Así Sucede", "digital", "Valle de Toluca", ["Corresponsales Toluca"]),
    ("Ultra Noticias", "radio", "Valle de Toluca", ["Radio y televisión", "Medios locales"]),
    ("Milenio Estado de México", "corresponsal", "Estado de México", ["Corresponsales Toluca"]),
]
PEOPLE = [
    ("Ana", "Pérez Colín"),
    ("Luis", "Gómez Arriaga"),
    ("María José", "Hernández Vilchis"),
    ("Carlos", "Mejía Salgado"),
    ("Fernanda", "Ortiz Reyes"),
    ("Ricardo", "Albarrán Díaz"),
    ("Paola", "Jardón Becerril"),
    ("Sergio", "Castañeda Ruiz"),
]
ROLES = ["Reportera", "Reportero", "Jefe de información", "Corresponsal", "Editora"]
TOPICS = [
    ("obra_publica", "Rehabilitan {place}", "Se invirtieron {money} millones de pesos"),
    ("salud", "Jornada de salud en {place}", "Se atendieron {people} personas"),
    ("educacion", "Entregan útiles escolares en {place}", "Benefician a {people} estudiantes"),
    ("seguridad_publica", "Refuerzan la vigilancia en {place}", "Se suman {units} patrullas"),
    ("proteccion_civil", "Simulacro en {place}", "Participaron {people} personas"),
    ("cultura", "Festival cultural en {place}", "Asistieron {people} personas"),
    ("deporte", "Torneo deportivo en {place}", "Participan {units} equipos"),
    ("tramites_servicios", "Campaña de regularización en {place}", "Descuentos de hasta 50 %"),
]
PLACES = [
    "la calle Independencia",
    "el barrio de San Miguel",
    "la colonia Centro",
    "San Miguel Totocuitlapilco",
    "el Deportivo Municipal",
    "la Plaza Cívica",
    "la Casa de Cultura",
    "el mercado municipal",
]
ORDINALS = [
    "Primera",
    "Segunda",
    "Tercera",
    "Cuarta",
    "Quinta",
    "Sexta",
    "Séptima",
    "Octava",
    "Novena",
    "Décima",
    "Undécima",
    "Duodécima",
]


def _author() -> User | None:
    return (
        User.objects.filter(username="redaccion").first()
        or User.objects.filter(is_superuser=True).first()
    )


def _approver() -> User | None:
    return User.objects.filter(username="coordinacion").first()


def _dates(rng: random.Random, count: int) -> list[date]:
    """`count` a year, pro rata up to yesterday."""
    days = max(demo_clock.elapsed_days() - 1, 1)
    start = date(YEAR, 1, 1)
    share = max(round(count * demo_clock.elapsed_fraction()), 1)
    return sorted(start + timedelta(days=rng.randrange(days)) for _ in range(share))


def _values(rng: random.Random, day: date, activity: Activity | None) -> dict:
    category, title, balazo = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    numbers = {"money": f"{rng.randint(5, 60) / 10:.1f}", "people": rng.randint(80, 3000)}
    numbers["units"] = rng.randint(4, 40)
    headline = activity.title if activity else title.format(place=place)
    body = (
        f"<p>La Presidenta Municipal, Laura Amalia González Martínez, encabezó la actividad "
        f"«{headline}» en {place}, como parte del programa de trabajo {day.year}.</p>"
        "<p>En su mensaje destacó que el gobierno municipal trabaja por un "
        "<strong>municipio limpio, ordenado y en paz</strong>.</p>"
    )
    balazos = [balazo.format(**numbers), f"La actividad se realizó en {place}"]
    return {
        "dated": day,
        "title": headline[:300],
        "balazos": balazos,
        "body": body,
        "search_text": search_text(headline[:300], balazos, body),
        "press_contact": CONTACT,
        "category": category if category in Category.values else "institucional",
        "area": activity.area if activity else Area.objects.filter(short_name="COMSOC").first(),
        "activity": activity,
    }


def _bulletins(rng: random.Random, kind: str, count: int, author, approver) -> int:
    activities = list(
        Activity.objects.filter(starts_at__year=YEAR, is_public=True, priority_tier__in="AB")
        .select_related("area")
        .order_by("starts_at")
    )
    made = 0
    dates = _dates(rng, count)
    for number, day in enumerate(dates, start=1):
        near = [a for a in activities if timezone.localtime(a.starts_at).date() == day]
        values = _values(rng, day, near[0] if near else None)
        approved_at = timezone.make_aware(datetime.combine(day, time(14, rng.randint(0, 59))))
        _, created = Bulletin.objects.update_or_create(
            year=YEAR,
            kind=kind,
            number=number,
            defaults=values
            | {
                "author": author,
                "status": BulletinStatus.APROBADO,
                "approved_by": approver,
                "approved_at": approved_at,
                "submitted_at": approved_at - timedelta(hours=2),
            },
        )
        made += created
    BulletinCounter.objects.update_or_create(year=YEAR, kind=kind, defaults={"last": len(dates)})
    return made


def _directory(rng: random.Random) -> int:
    lists = {
        name: MediaList.objects.update_or_create(name=name, defaults={"description": d})[0]
        for name, d in LISTS.items()
    }
    made = 0
    for i, (outlet, kind, coverage, names) in enumerate(OUTLETS):
        for j in range(2 if i % 3 == 0 else 1):
            first, last = PEOPLE[(i + j * 5) % len(PEOPLE)]
            email = f"{first.split()[0].lower()}.{i}{j}@{outlet.split()[0].lower()}.example"
            contact, created = MediaContact.objects.update_or_create(
                email=email,
                defaults={
                    "outlet": outlet,
                    "person": f"{first} {last}",
                    "role": rng.choice(ROLES),
                    "phone": f"722 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    "media_type": kind,
                    "coverage_area": coverage,
                },
            )
            contact.lists.set([lists[n] for n in names])
            made += created
    return made


def _transmissions() -> int:
    sessions = Activity.objects.filter(
        starts_at__year=YEAR, type__in=CABILDO_TYPES, ends_at__lt=timezone.now()
    ).order_by("starts_at")
    made = 0
    for i, activity in enumerate(sessions[: len(ORDINALS)]):
        kind = "Ordinaria" if activity.type == "cabildo_ordinaria" else "Extraordinaria"
        _, created = LiveTransmission.objects.update_or_create(
            activity=activity,
            defaults={
                "session_name": f"{ORDINALS[i]} Sesión {kind} de Cabildo",
                "recording_url": f"{RECORDINGS_URL}{1000 + i}",
            },
        )
        made += created
    return made


@transaction.atomic
def load(stdout: TextIO) -> None:
    author, approver = _author(), _approver()
    if author is None:
        stdout.write("boletines: sin usuarios de demostración; se omiten.\n")
        return
    rng = random.Random(YEAR)
    made = _bulletins(rng, "boletin", BOLETINES, author, approver)
    made += _bulletins(rng, "comunicado", COMUNICADOS, author, approver)
    contacts = _directory(rng)
    sessions = _transmissions()
    stdout.write(
        f"boletines: {made} nuevos; directorio: {contacts} contactos nuevos; "
        f"transmisiones: {sessions} nuevas.\n"
    )
