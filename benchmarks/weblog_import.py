"""Portal-log benchmark: import a 1,000,000-line Combined access log end to end
(parsed, robots filtered, classified, visitors hashed, stored) and run GoAccess on the
same file in the same run; print both rates and the ratio.

    .venv/bin/python benchmarks/weblog_import.py [--lines 1000000] [--keep]

The log is synthetic but shaped like a municipal portal's: a pool of 40,000 clients,
real browser and robot user agents, pages, static files, 3xx/4xx, 30 days. It is written
once to a temporary folder; the database is a throw-away SQLite file (WAL, as shipped).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def pregon_import(log: Path, folder: Path) -> tuple[float, dict]:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pregon.analytics.services import import_weblog

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = import_weblog(str(log))
    return time.perf_counter() - started, report.as_dict()


def goaccess(log: Path, folder: Path) -> float | None:
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
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pregon-weblog-"))
    log = folder / "access.log"
    make_log(log, args.lines)
    print(f"log: {args.lines:,} lines, {log.stat().st_size / 1e6:.0f} MB, in {folder}")
    seconds_ga = goaccess(log, folder)
    seconds, report = pregon_import(log, folder)
    rate = args.lines / seconds
    print(
        f"Pregón import-weblog: {seconds:.1f} s, {rate:,.0f} lines/s "
        f"(target ≥ 50,000) — {report['visits']:,} visits, {report['bots']:,} robots, "
        f"{report['skipped']:,} skipped, {report['malformed']} malformed"
    )
    if seconds_ga is None:
        print("GoAccess: not installed (Debian package goaccess)")
    else:
        rate_ga = args.lines / seconds_ga
        print(f"GoAccess {args.lines:,} lines: {seconds_ga:.1f} s, {rate_ga:,.0f} lines/s")
        print(f"ratio Pregón / GoAccess: {rate / rate_ga:.2f}")
    print(
        json.dumps(
            {
                "lines": args.lines,
                "pregon_s": round(seconds, 2),
                "goaccess_s": round(seconds_ga, 2) if seconds_ga else None,
            }
        )
    )
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
