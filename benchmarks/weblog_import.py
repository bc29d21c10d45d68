"""Portal-log benchmark: import a 1,000,000-line Combined access log end to end
(parsed, robots filtered, classified, visitors hashed, stored) with the real command
`pregon import-weblog --json` in a subprocess, and run GoAccess on the same file in the
same run; print both rates (wall clock and CPU time), the ratio and the load average.

    .venv/bin/python benchmarks/weblog_import.py [--lines N] [--workers N] [--repeat N] [--keep]

The log is synthetic but shaped like a municipal portal's: a pool of 40,000 clients,
real browser and robot user agents, pages, static files, 3xx/4xx, 30 days. It is written
once to a temporary folder; the database is a throw-away SQLite file (WAL, as shipped).
On a shared machine the wall clock is noisy: `--repeat N` imports N times, each into a
fresh database, and prints every run with the load average and the median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
]
PAGES = (
    ["/", "/directorio/", "/contacto/", "/transparencia/"]
    + [f"/tramites/{n}/" for n in ("predial", "agua", "licencia", "actas", "catastro")]
    + [f"/programas/{n}/" for n in ("becas", "adultos-mayores", "desayunos", "salud")]
    + [f"/noticias/2023/{i:03d}-boletin/" for i in range(300)]
)
ASSETS = ["/static/css/portal.css", "/static/js/app.js", "/media/logo.png", "/favicon.ico"]


def make_log(path: Path, lines: int) -> None:
    rng = random.Random(8)
    clients = [
        f"189.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        for _ in range(40000)
    ]
    start = datetime(2023, 3, 1, tzinfo=timezone(timedelta(hours=-6)))
    step = 30 * 86400 / lines
    with path.open("w") as out:
        for i in range(lines):
            when = (start + timedelta(seconds=i * step)).strftime("%d/%b/%Y:%H:%M:%S %z")
            roll = rng.random()
            target = rng.choice(ASSETS) if roll < 0.3 else rng.choice(PAGES)
            if rng.random() < 0.2:
                target += f"?utm_source=facebook&id={rng.randrange(1000)}"
            status = rng.choices((200, 304, 301, 404), (85, 8, 4, 3))[0]
            agent = rng.choice(AGENTS)
            out.write(
                f'{rng.choice(clients)} - - [{when}] "GET {target} HTTP/1.1" {status} '
                f'{rng.randrange(200, 90000)} "https://www.chapultepec.gob.mx/" "{agent}"\n'
            )


def timed(command: list[str], env: dict | None = None) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds (user + system, children included) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def pregon_import(log: Path, folder: Path, workers: int | None) -> tuple[float, float, dict]:
    """The real command, end to end, in its own process: `pregon import-weblog --json`
    (start-up, parse, robots, purposes, visitor hashes, rows stored) into a fresh
    SQLite database migrated beforehand (not timed)."""
    for old in folder.glob("bench.sqlite3*"):
        old.unlink()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
    if workers is not None:
        env["PREGON_WEBLOG_WORKERS"] = str(workers)
    pregon = str(ROOT / ".venv/bin/pregon")
    subprocess.run([pregon, "migrate", "--verbosity=0"], check=True, env=env)
    wall, cpu, out = timed([pregon, "import-weblog", "--json", str(log)], env)
    return wall, cpu, json.loads(out)["files"][0]


def goaccess(log: Path, folder: Path) -> tuple[float, float] | None:
    binary = shutil.which("goaccess") or "/usr/bin/goaccess"
    if not Path(binary).exists():
        return None
    command = [
        binary,
        str(log),
        "--log-format=COMBINED",
        "--no-global-config",
        "-o",
        str(folder / "goaccess.json"),
    ]
    wall, cpu, _ = timed(command)
    return wall, cpu


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, help="PREGON_WEBLOG_WORKERS (default: setting)")
    parser.add_argument("--repeat", type=int, default=1, help="imports, each into a fresh DB")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pregon-weblog-"))
    log = folder / "access.log"
    make_log(log, args.lines)
    print(f"log: {args.lines:,} lines, {log.stat().st_size / 1e6:.0f} MB, in {folder}")
    print(f"load average (1, 5, 15 min) before: {load()} on {os.cpu_count()} CPUs")
    ga = goaccess(log, folder)
    runs = []
    for _ in range(args.repeat):
        before = load()
        wall, cpu, report = pregon_import(log, folder, args.workers)
        runs.append((wall, cpu))
        print(
            f"Pregón import-weblog: {wall:.1f} s wall, {cpu:.1f} s CPU → "
            f"{args.lines / wall:,.0f} lines/s (CPU-time rate {args.lines / cpu:,.0f}; "
            f"target ≥ 50,000) — {report['visits']:,} visits, {report['bots']:,} robots, "
            f"{report['skipped']:,} skipped, {report['malformed']} malformed; "
            f"load {before} → {load()}"
        )
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    rate = args.lines / wall
    if args.repeat > 1:
        print(
            f"Pregón median of {args.repeat}: {wall:.1f} s wall, {cpu:.1f} s CPU → "
            f"{rate:,.0f} lines/s (CPU-time rate {args.lines / cpu:,.0f})"
        )
    if ga is None:
        print("GoAccess: not installed (Debian package goaccess)")
    else:
        rate_ga = args.lines / ga[0]
        print(
            f"GoAccess: {ga[0]:.1f} s wall, {ga[1]:.1f} s CPU → {rate_ga:,.0f} lines/s "
            f"(CPU-time rate {args.lines / ga[1]:,.0f})"
        )
        print(
            f"ratio Pregón / GoAccess: {rate / rate_ga:.2f} by wall clock, "
            f"{ga[1] / cpu:.2f} by CPU time"
        )
    print(f"load average after: {load()}")
    print(
        json.dumps(
            {
                "lines": args.lines,
                "pregon_s": round(wall, 2),
                "pregon_cpu_s": round(cpu, 2),
                "pregon_runs": [[round(w, 2), round(c, 2)] for w, c in runs],
                "goaccess_s": round(ga[0], 2) if ga else None,
                "goaccess_cpu_s": round(ga[1], 2) if ga else None,
                "load": load(),
            }
        )
    )
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
