"""Search benchmark: N assets with Spanish captions, p50/p95 of a query mix.

    .venv/bin/python benchmarks/archive_search.py [--assets 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pregon_bench \
        .venv/bin/python benchmarks/archive_search.py --assets 1000000

Uses a throw-away SQLite file unless DATABASE_URL is set (that database is
migrated and its archive search rows are replaced). Rows are written straight
into the search tables (the same normalised text `search.index_asset` writes),
because building a million real assets would measure ingest, not search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SUBJECTS = ["La Presidenta Municipal", "El Cabildo", "Protección Civil", "El DIF municipal",
            "Obras Públicas", "Seguridad Pública", "La Dirección de Educación", "Medio Ambiente",
            "Desarrollo Económico", "El Instituto del Deporte"]  # fmt: skip
ACTIONS = ["inauguró", "entregó", "recorrió", "supervisó", "presentó", "encabezó", "atendió",
           "rehabilitó", "anunció", "clausuró"]  # fmt: skip
OBJECTS = ["la pavimentación de calles", "las luminarias del parque", "becas a estudiantes",
           "el programa de bacheo", "la jornada de salud", "las inundaciones", "la feria del libro",
           "el mercado municipal", "la escuela primaria", "el pozo de agua potable",
           "el informe del primer año", "la campaña de vacunación", "las canchas deportivas",
           "la unidad deportiva", "el desfile cívico", "la biblioteca pública"]  # fmt: skip
PLACES = ["San Mateo", "Santa María", "el Centro", "la colonia Guadalupe", "San Isidro",
          "Barrio de la Concepción", "La Loma", "Los Olivos", "El Calvario",
          "Xochitenco"]  # fmt: skip
RARE = ["ahuehuete", "tlacoyo", "xoconostle", "huapango", "zempasúchil", "chinampa"]

QUERIES = [
    ("palabra común", "calles", {}),
    ("palabra muy común", "municipal", {}),
    ("palabra rara", "xoconostle", {}),
    ("dos palabras", "luminaria parque", {}),
    ("frase", '"feria del libro"', {}),
    ("prefijo", "vacun*", {}),
    ("común + tipo", "bacheo", {"kind": "video"}),
    ("común + año", "inundaciones", {"year": 2025}),
    ("rara + área", "tlacoyo", {"area": 3}),
    ("sin texto, filtros", "", {"kind": "audio", "year": 2026}),
]


def caption(rng: random.Random) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS), "en",
             rng.choice(PLACES)]  # fmt: skip
    if rng.random() < 0.002:
        words.append(rng.choice(RARE))
    return " ".join(words)


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="pregon-search-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(n: int) -> None:
    import datetime as dt

    from django.db import connection, transaction

    from pregon.archive import search
    from pregon.archive.models import SearchEntry

    rng = random.Random(20260301)
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            connection.cursor().execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    kinds = ["foto"] * 80 + ["video"] * 12 + ["audio"] * 5 + ["documento"] * 3
    batch = 20_000
    cache: dict[str, str] = {}
    for first in range(0, n, batch):
        rows = []
        for i in range(first, min(first + batch, n)):
            text = caption(rng)
            norm = cache.get(text) or cache.setdefault(text, search.normalize(text))
            rows.append(
                SearchEntry(
                    id=i + 1,
                    object_type="asset",
                    object_id=i + 1,
                    text=norm,
                    kind=rng.choice(kinds),
                    date=start + dt.timedelta(minutes=i * 1.5),
                    area_id=rng.randint(1, 16),
                    has_gps=rng.random() < 0.6,
                )
            )
        with transaction.atomic():
            SearchEntry.objects.bulk_create(rows)
            if connection.vendor == "sqlite":
                connection.cursor().executemany(
                    f"INSERT INTO {search.FTS_TABLE}(rowid, text) VALUES (%s, %s)",  # noqa: S608
                    [(r.id, r.text) for r in rows],
                )
        print(f"\r  {min(first + batch, n):,} filas", end="", flush=True)
    print()
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE archive_searchentry")


def measure(rounds: int) -> None:
    from django.db import connection

    from pregon.archive import search

    print(f"Motor: {connection.vendor}")
    all_times = []
    for label, q, filters in QUERIES:
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            results = search.run(q, filters, limit=50, facets=False)
            times.append((time.perf_counter() - t) * 1000)
        all_times += times
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        p50 = statistics.median(times)
        print(f"  {label:22} {q!r:26} total={results.total:>9,}", end="")
        print(f"  p50={p50:7.1f} ms  p95={p95:7.1f} ms")
    all_times.sort()
    print(f"  MEZCLA p95 = {all_times[int(0.95 * (len(all_times) - 1))]:.1f} ms (meta ≤ 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    setup_django()
    if not args.skip_load:
        t = time.perf_counter()
        print(f"Cargando {args.assets:,} archivos…")
        load(args.assets)
        print(f"  carga: {time.perf_counter() - t:.0f} s")
    measure(args.rounds)


if __name__ == "__main__":
    main()
