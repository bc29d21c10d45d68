"""iCalendar benchmark: import a generated five-year calendar, export the public feed.

    .venv/bin/python benchmarks/agenda_ics.py [--events 2000] [--feed 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pregon_bench \
        .venv/bin/python benchmarks/agenda_ics.py

Uses a throw-away SQLite file unless DATABASE_URL is set (that database is migrated and
its agenda activities are deleted first). The calendar is built with the `icalendar`
library like a Google Calendar export: VTIMEZONE America/Mexico_City, 2023-2027, mostly
single events, plus weekly and monthly RRULEs with EXDATEs and moved occurrences
(RECURRENCE-ID), all-day and private events. Timed: the preview (parse, expand, plan),
the real import (all rows, scores, audit), a re-import that must change nothing, and
the public feed export over N public activities.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MX = ZoneInfo("America/Mexico_City")
TITLES = ["Sesión ordinaria de Cabildo", "Audiencia pública", "Inauguración de obra",
          "Reunión de trabajo con Obras Públicas", "Gira por San Isidro", "Jornada de salud",
          "Entrega de apoyos", "Feria del libro", "Torneo municipal", "Simulacro"]  # fmt: skip
PLACES = ["Palacio Municipal", "Explanada municipal", "San Mateo", "La Loma", "Los Olivos",
          "Unidad deportiva", "Casa de Cultura"]  # fmt: skip


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_calendar(events: int, seed: int = 2023) -> tuple[bytes, int]:
    """`events` VEVENTs over five years; returns the file and how many are recurring."""
    import icalendar

    rng = random.Random(seed)
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//Google Inc//Google Calendar 70.9054//EN")
    cal.add("VERSION", "2.0")
    cal.add("X-WR-TIMEZONE", "America/Mexico_City")
    first = date(2023, 1, 2)
    recurring = events // 20  # 5 %: weekly sessions and monthly programmes
    for n in range(events):
        event = icalendar.Event()
        uid = f"bench-{n}@google.com"
        event.add("UID", uid)
        event.add("DTSTAMP", datetime(2023, 1, 1, tzinfo=ZoneInfo("UTC")))
        event.add("SUMMARY", f"{rng.choice(TITLES)} {n}")
        event.add("LOCATION", rng.choice(PLACES))
        day = first + timedelta(days=rng.randrange(5 * 365))
        if n % 50 == 7:  # all-day
            event.add("DTSTART", day)
            event.add("DTEND", day + timedelta(days=1))
        else:
            start = datetime(day.year, day.month, day.day, rng.randrange(8, 19), 0, tzinfo=MX)
            event.add("DTSTART", start)
            event.add("DTEND", start + timedelta(hours=rng.choice([1, 2, 3])))
        if n % 13 == 0:
            event.add("CLASS", "PRIVATE")
        cal.add_component(event)
        if n < recurring:
            _make_recurring(cal, event, uid, n, rng)
    cal.add_missing_timezones()
    return cal.to_ical(), recurring


def _make_recurring(cal, event, uid: str, n: int, rng: random.Random) -> None:
    import icalendar

    start = event.decoded("DTSTART")
    if not isinstance(start, datetime):
        return
    weekly = n % 2 == 0
    event.add("RRULE", {"FREQ": "WEEKLY" if weekly else "MONTHLY", "COUNT": 26 if weekly else 12})
    step = timedelta(weeks=1) if weekly else timedelta(days=28)
    event.add("EXDATE", start + 3 * step if weekly else start.replace(year=start.year + 5))
    if weekly:  # the fifth session moved two hours later
        moved = icalendar.Event()
        moved.add("UID", uid)
        moved.add("DTSTAMP", datetime(2023, 1, 1, tzinfo=ZoneInfo("UTC")))
        moved.add("RECURRENCE-ID", start + 4 * step)
        moved.add("SUMMARY", f"{event['SUMMARY']} (cambio de horario)")
        moved.add("DTSTART", start + 4 * step + timedelta(hours=2))
        moved.add("DTEND", start + 4 * step + timedelta(hours=3))
        cal.add_component(moved)


def timed(label: str, fn):
    began = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - began
    print(f"{label}: {elapsed:.2f} s" if elapsed >= 1 else f"{label}: {elapsed * 1000:.1f} ms")
    return value, elapsed


def make_public_activities(count: int) -> None:
    from pregon.accounts.models import Area
    from pregon.agenda.models import Activity

    area, _ = Area.objects.get_or_create(short_name="BENCH", defaults={"name": "Benchmark"})
    # From five months ago on: the public feed holds the last six months and what is coming.
    start = datetime.now(MX).replace(hour=9, minute=0, second=0, microsecond=0)
    start -= timedelta(days=150)
    Activity.objects.bulk_create(
        Activity(
            title=f"{TITLES[i % len(TITLES)]} {i}",
            description="Descripción de la actividad con acentos: ñandú, acción.",
            place=PLACES[i % len(PLACES)],
            starts_at=start + timedelta(hours=7 * i),
            ends_at=start + timedelta(hours=7 * i + 2),
            area=area,
            status="confirmada",
            is_public=True,
        )
        for i in range(count)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="VEVENTs in the file")
    parser.add_argument("--feed", type=int, default=5000, help="public activities to export")
    args = parser.parse_args()
    setup_django()
    import icalendar

    from pregon.accounts.models import Area
    from pregon.agenda import ics
    from pregon.agenda.models import Activity

    Activity.objects.all().delete()
    area, _ = Area.objects.get_or_create(short_name="PRES", defaults={"name": "Presidencia"})
    data, recurring = build_calendar(args.events)
    print(f"Calendario: {args.events} eventos ({recurring} recurrentes), {len(data) / 1e6:.2f} MB")
    preview, _ = timed(
        "Vista previa (parse + expand + plan)", lambda: ics.import_ics(data, area, dry_run=True)
    )
    result, took = timed("Importación", lambda: ics.import_ics(data, area))
    summary = result.summary()
    print(f"  {summary['ocurrencias']} ocurrencias, {summary['creadas']} creadas: "
          f"{summary['creadas'] / took:.0f} actividades/s")  # fmt: skip
    again, _ = timed("Reimportación (sin cambios)", lambda: ics.import_ics(data, area))
    assert again.summary()["sin_cambios"] == summary["creadas"], again.summary()
    assert len(preview.occurrences) == summary["ocurrencias"]

    Activity.objects.all().delete()
    make_public_activities(args.feed)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.get("/healthz", secure=True)  # warm up: URLconf, apps, API schema
    from django.core.cache import cache

    cache.clear()
    response, took = timed(
        f"Feed público ({args.feed} actividades), generado",
        lambda: client.get("/agenda/publica.ics", secure=True),
    )
    cached, _ = timed(
        "Feed público, de la caché", lambda: client.get("/agenda/publica.ics", secure=True)
    )
    assert cached.content == response.content
    etag = {"If-None-Match": response["ETag"]}
    not_modified, _ = timed(
        "Feed público, sin cambios (304)",
        lambda: client.get("/agenda/publica.ics", secure=True, headers=etag),
    )
    assert not_modified.status_code == 304, not_modified
    assert response.status_code == 200, response
    feed = icalendar.Calendar.from_ical(response.content)
    exported = len(feed.walk("VEVENT"))
    assert exported == args.feed, exported
    print(f"  {len(response.content) / 1e6:.2f} MB, {exported / took:.0f} eventos/s; "
          "se vuelve a leer con icalendar con los mismos eventos")  # fmt: skip


if __name__ == "__main__":
    main()
