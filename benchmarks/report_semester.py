"""Semiannual evaluation benchmark: figures + PDF for 2023-H1 and 2023-H2 of the full
demo year (`pregon demo`), with the real WeasyPrint rendering. Target: < 10 s each.

    .venv/bin/python benchmarks/report_semester.py [--repeat 3] [--db /path/demo.sqlite3]

Without --db a throw-away SQLite database is created and `pregon demo` loaded into it
(about a minute and a half, not timed). Prints wall-clock and CPU seconds per step."""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 10.0


def setup(db: str | None, folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db or Path(folder) / 'bench.sqlite3'}"
    os.environ["PREGON_MEDIA_ROOT"] = str(Path(folder) / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pregon.goals.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(year=2023).exists():
        print("Cargando `pregon demo` (no se mide)…", flush=True)
        call_command("demo", stdout=io.StringIO())


def measure(key: str) -> dict:
    from pregon.goals import periods
    from pregon.reports import figures, render

    wall, cpu = time.perf_counter(), time.process_time()
    data = figures.compute(periods.parse(key))
    figures_wall, figures_cpu = time.perf_counter() - wall, time.process_time() - cpu
    pdf = render.to_pdf(data)
    return {
        "figures": figures_wall,
        "figures_cpu": figures_cpu,
        "total": time.perf_counter() - wall,
        "total_cpu": time.process_time() - cpu,
        "bytes": len(pdf),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="an existing database with the demo year (SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args.db, folder)
        measure("2023-H1")  # warm-up: imports, fonts
        print(f"load average: {os.getloadavg()[0]:.1f}")
        for key in ("2023-H1", "2023-H2"):
            runs = [measure(key) for _ in range(args.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            verdict = "OK" if med["total"] < TARGET_SECONDS else "por encima de la meta"
            print(
                f"{key}: cifras {med['figures']:.2f} s (CPU {med['figures_cpu']:.2f}); "
                f"cifras + PDF {med['total']:.2f} s (CPU {med['total_cpu']:.2f}); "
                f"{med['bytes'] / 1024:.0f} KB; meta < {TARGET_SECONDS:.0f} s: {verdict}"
            )


if __name__ == "__main__":
    main()
