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
    # Harder for PostgreSQL's newest-first walk: matches in 1 of 250 rows, a later page.
    ("común + área", "calles", {"area": 7}),
    ("frase, página 3", '"feria del libro"', {}, 100),
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


def _rows(n: int):
    """(id, sort_key, normalised text, kind, date, area, gps) tuples, dates jittered so
    that capture order differs from insertion order, as in a real archive."""
    import datetime as dt

    from pregon.archive import search

    rng = random.Random(20260301)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    kinds = ["foto"] * 80 + ["video"] * 12 + ["audio"] * 5 + ["documento"] * 3
    cache: dict[str, str] = {}
    for i in range(n):
        text = caption(rng)
        norm = cache.get(text) or cache.setdefault(text, search.normalize(text))
        seconds = i * 90 + rng.randint(-3 * 86400, 3 * 86400)
        date = start + dt.timedelta(seconds=seconds)
        key = search.sort_key(date, "asset", i + 1)
        kind, area, gps = rng.choice(kinds), rng.randint(1, 16), rng.random() < 0.6
        # The same filter tokens search.filter_tokens appends to the indexed text.
        text = f"{norm} 0xkindx{kind} 0xareax{area} 0xgpsx{int(gps)} 0xminorsx0"
        yield (i + 1, key, text, kind, date, area, gps)


COLUMNS = "id, object_type, object_id, sort_key, text, kind, date, area_id, has_gps, "
COLUMNS += "contains_minors, tone, outlet"


def load(n: int) -> None:
    from django.db import connection, transaction

    from pregon.archive import search

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM archive_searchentry")
        if connection.vendor == "sqlite":
            cur.execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608
        else:
            cur.execute("DROP INDEX IF EXISTS archive_search_tsv")
    batch: list[tuple] = []
    done = 0
    for row in _rows(n):
        batch.append(row)
        if len(batch) == 50_000 or row[0] == n:
            _insert(batch)
            done += len(batch)
            batch = []
            print(f"\r  {done:,} filas", end="", flush=True)
    print()
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("ANALYZE")
        else:
            cur.execute("CREATE INDEX archive_search_tsv ON archive_searchentry USING GIN (tsv)")
            cur.execute("VACUUM ANALYZE archive_searchentry")  # steady state: visibility map set


def _insert(batch: list[tuple]) -> None:
    from django.db import connection, transaction

    from pregon.archive import search

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.executemany(
                f"INSERT INTO archive_searchentry ({COLUMNS}) "  # noqa: S608
                "VALUES (%s, 'asset', %s, %s, %s, %s, %s, %s, %s, 0, '', '')",
                [(i, i, k, t, kind, d.isoformat(" "), a, g) for i, k, t, kind, d, a, g in batch],
            )
            cur.executemany(
                f"INSERT INTO {search.FTS_TABLE}(rowid, text) VALUES (%s, %s)",  # noqa: S608
                [(k, t) for _, k, t, *_ in sorted(batch, key=lambda r: r[1])],
            )
        else:
            # COPY: a million rows in well under a minute.
            with cur.cursor.copy(f"COPY archive_searchentry ({COLUMNS}) FROM STDIN") as copy:
                for i, k, t, kind, d, a, g in batch:
                    copy.write_row((i, "asset", i, k, t, kind, d, a, g, False, "", ""))


def _pct(times: list[float], p: float) -> float:
    times = sorted(times)
    return times[int(p * (len(times) - 1))]


def _server_cpu_reader():
    """PostgreSQL on this machine: CPU ms used so far by our backend process (/proc)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    return read


def measure(rounds: int, facets: bool) -> None:
    from django.db import connection

    from pregon.archive import search

    label = "con facetas (muestra de 1 000)" if facets else "sin facetas"
    print(f"Motor: {connection.vendor} — página de 50 + total (tope 10 000), {label}")
    print(f"  carga del sistema: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    all_wall, all_cpu = [], []
    server = _server_cpu_reader()
    for label, q, filters, *page in QUERIES:
        wall, cpu = [], []
        offset = page[0] if page else 0
        search.run(q, filters, limit=50, offset=offset, facets=facets)  # warm the cache once
        before = server()
        for _ in range(rounds):
            t, c = time.perf_counter(), time.process_time()
            results = search.run(q, filters, limit=50, offset=offset, facets=facets)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
        all_wall += wall
        all_cpu += cpu
        total = f"{results.total:>6,}" if not results.capped else f">{results.total - 1:,}"
        print(f"  {label:20} {q!r:20} total={total:>7}  reloj p50={statistics.median(wall):6.1f}"
              f" p95={_pct(wall, 0.95):6.1f} ms  CPU p50={statistics.median(cpu):6.1f}"
              f" p95={_pct(cpu, 0.95):6.1f} ms", end="")  # fmt: skip
        if connection.vendor == "postgresql":
            print(f"  servidor CPU media={(server() - before) / rounds:6.1f} ms", end="")
        print()
    print(f"  MEZCLA reloj p95 = {_pct(all_wall, 0.95):.1f} ms, CPU p95 = {_pct(all_cpu, 0.95):.1f}"
          f" ms (meta ≤ 50 ms); carga {os.getloadavg()[0]:.1f}")  # fmt: skip
    if connection.vendor != "sqlite":
        print("  (CPU = proceso cliente; servidor = proceso de PostgreSQL, /proc, 10 ms de grano)")


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
        print(f"  carga: {time.perf_counter() - t:.0f} s (reloj)")
    measure(args.rounds, facets=False)
    measure(args.rounds, facets=True)


if __name__ == "__main__":
    main()
