"""Web load benchmark: Pregón's main pages under N concurrent clients, side by side
with a bare Django view served by the same gunicorn settings.

    .venv/bin/python benchmarks/web_load.py [--scale 1|10] [--clients 50] [--duration 30]

1. Data: a database with `pregon demo` (scale 1); `--scale 10` adds ten years of a
   large municipality (benchmarks/scale_data.py). Built once under --data-dir and
   copied for every run, so a run never changes it.
2. CPU: every page one request at a time, in this process (Django test client,
   gzip accepted): median CPU milliseconds and SQL queries per request.
3. Load: `pregon serve` (gunicorn, 3 sync workers forked from a preloaded master,
   replaced after PREGON_WEB_MAX_REQUESTS requests, the background worker too, DEBUG
   off) on the copy, and benchmarks/reference_app.py under the same gunicorn settings. For each
   page wrk runs against the reference, then the page (alternating, so both see the
   same noise from the machine); staff pages with the session of a real login.
   Prints req/s, p50/p95/p99, the ratio of p95 to the reference, errors and the
   load average.
4. Memory: the web workers' RSS after the run (after --logins real logins).

Needs wrk (Debian package `wrk`); not part of CI.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
USER, PASSWORD = "coordinacion", "coordinacion-demo-2023"  # demo data (accounts/demo.py)

STAFF = ["/", "/publicaciones/", "/agenda/vista/mes/", "/archivo/?q=calles",
         "/metas/", "/audiencias/", "/boletines/", "/publicaciones/envios/"]  # fmt: skip
PUBLIC = ["/boletines/sala-de-prensa/", "/boletines/sala-de-prensa/?q=calles",
          "{bulletin}", "/boletines/sala-de-prensa/rss/",
          "/boletines/sala-de-prensa/sitemap.xml", "/boletines/sala-de-prensa/agenda/",
          "{survey}", "/agenda/publica.ics"]  # fmt: skip

WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def env_for(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        PREGON_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="pregon.settings",
        DEBUG="0",
        PREGON_HTTPS="false",
        PREGON_DEMO="0",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    return env


def pregon(var_dir: Path, *args: str) -> None:
    cmd = [PYTHON, "-m", "pregon", *args]
    subprocess.run(cmd, env=env_for(var_dir), check=True, stdout=subprocess.DEVNULL)  # noqa: S603


# --- data ------------------------------------------------------------------------


def ensure_data(data_dir: Path, scale: int) -> Path:
    """The database for this scale, built once (migrate, demo, the scale rows)."""
    target = data_dir / f"scale-{scale}"
    if (target / "ready").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    started = time.perf_counter()
    print(f"Construyendo datos de escala {scale} en {target} …", flush=True)
    pregon(target, "migrate", "--verbosity", "0")
    # `pregon demo --scale N` (pregon/core/scale.py) for the years of data on top.
    scale_args = ["--scale", str(scale)] if scale > 1 else []
    subprocess.run(  # noqa: S603
        [PYTHON, "-m", "pregon", "demo", *scale_args], env=env_for(target), check=True, cwd=ROOT
    )
    # Again, as the next `pregon serve` would: on a brand-new database the roles are
    # synced before the later apps' permissions exist.
    pregon(target, "migrate", "--verbosity", "0")
    with sqlite3.connect(target / "pregon.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies take the main file only
    (target / "ready").write_text("ok")
    print(f"Datos listos en {time.perf_counter() - started:.0f} s.", flush=True)
    return target


def working_copy(source: Path) -> Path:
    copy = Path(tempfile.mkdtemp(prefix="pregon-web-load-"))
    for name in ("pregon.sqlite3", "secret_key"):
        shutil.copy2(source / name, copy / name)
    if (source / "media").exists():
        shutil.copytree(source / "media", copy / "media")
    return copy


# --- queries and CPU, one request at a time -------------------------------------


def queries_per_page(var_dir: Path, pages: list[str]) -> dict[str, tuple[int, int]]:
    """{url: (SQL queries, bytes gzipped)} of one uncached request, in this process."""
    os.environ.update(env_for(var_dir))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pregon.accounts.models import User

    staff = Client(headers={"Accept-Encoding": "gzip"})
    staff.force_login(User.objects.get(username=USER))
    public = Client(headers={"Accept-Encoding": "gzip"})
    results = {}
    for url in pages:
        client = public if url in PUBLIC_RESOLVED else staff
        client.get(url)  # one-off rows (settings) are created on a first visit
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        results[url] = (len(ctx.captured_queries), len(response.content))
    cache.clear()
    connection.close()
    return results


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # replaced meanwhile (--max-requests): measured again
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def cpu_per_request(
    port: int, workers: Callable[[], list[int]], url: str, cookie: str, rounds: int,
    fresh: bool = False,
) -> float:  # fmt: skip
    """Server CPU milliseconds per request (all web workers), one request at a time.
    `fresh`: every request with its own address (an extra, ignored parameter), so a
    staff page is rendered each time instead of coming from the per-person page cache
    (the data caches it reads, such as the home panels, stay warm). Measured again if
    gunicorn replaced a worker meanwhile (its ticks would be lost)."""
    import httpx

    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    base = f"http://127.0.0.1:{port}"
    sep = "&" if "?" in url else "?"

    def address(i: int) -> str:
        return f"{url}{sep}sin-cache={i}" if fresh else url

    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        for attempt in range(3):
            for i in range(3):
                client.get(address(-i - 1 - 10 * attempt))
            pids = workers()
            before = cpu_ticks(pids)
            for i in range(rounds):
                client.get(address(i + rounds * attempt))
            spent = cpu_ticks(pids) - before
            if sorted(workers()) == sorted(pids):
                break
    return spent * 1000 / os.sysconf("SC_CLK_TCK") / rounds


PUBLIC_RESOLVED: list[str] = []


def survey_url(var_dir: Path) -> str:
    """The demo's satisfaction survey (its slug carries the demo's plan year)."""
    with sqlite3.connect(var_dir / "pregon.sqlite3") as db:
        (slug,) = db.execute(
            "SELECT slug FROM surveys_survey WHERE slug LIKE 'satisfaccion-%' ORDER BY id LIMIT 1"
        ).fetchone()
    return f"/encuestas/r/{slug}/"


def first_bulletin_url(var_dir: Path) -> str:
    with sqlite3.connect(var_dir / "pregon.sqlite3") as db:
        row = db.execute(
            "SELECT id FROM bulletins_bulletin WHERE status='aprobado' "
            "ORDER BY dated DESC, number DESC LIMIT 1"
        ).fetchone()
    return f"/boletines/sala-de-prensa/{row[0]}/"


# --- servers ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str = "/", timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"El servidor en el puerto {port} no respondió.")


def start_pregon(var_dir: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [PYTHON, "-m", "pregon", "serve", "--no-demo", "--bind", f"127.0.0.1:{port}",
           "--web-workers", str(workers)]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        cmd,
        env=env_for(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_reference(port: int, workers: int) -> subprocess.Popen:
    # The same gunicorn settings `pregon serve` uses (workers, access log, timeouts,
    # preloading and replacing workers after some requests).
    from pregon.core.management.commands.serve import Command

    cmd = [PYTHON, "-m", "gunicorn", "benchmarks.reference_app:application", "--bind",
           f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "-",
           "--graceful-timeout", "10", *Command._recycling()]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def login(port: int, count: int) -> tuple[str, list[float]]:
    """A real login through the form (Argon2 included); the session cookie and the
    wall-clock milliseconds of each login."""
    import httpx

    times, cookie = [], ""
    for _ in range(count):
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            client.get("/cuenta/entrar/")
            token = client.cookies["csrftoken"]
            start = time.perf_counter()
            response = client.post(
                "/cuenta/entrar/",
                data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
            )
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"No se pudo entrar como {USER}: {response.status_code}")
            cookie = f"sessionid={client.cookies['sessionid']}"
    return cookie, times


def web_workers(master_parent: int) -> dict[int, float]:
    """{pid: RSS in MB} of every gunicorn worker under `pregon serve` (master_parent)."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,rss,args"], capture_output=True, text=True)  # noqa: S607
    rows = [line.split(None, 3) for line in out.stdout.splitlines()[1:]]
    masters = {r[0] for r in rows if r[1] == str(master_parent) and "gunicorn" in r[3]}
    return {int(r[0]): int(r[2]) / 1024 for r in rows if r[1] in masters}


# --- load -------------------------------------------------------------------------


def wrk(port: int, path: str, clients: int, duration: int, cookie: str, lua: Path) -> dict:
    cmd = ["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "--timeout", "10s", "-s", str(lua),
           "-H", "Accept-Encoding: gzip"]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True)  # noqa: S603
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out.stdout)
    if not found:
        raise SystemExit(f"wrk falló: {out.stdout}{out.stderr}")
    requests, micros, p50, p95, p99, errors = map(int, found.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    return {
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


def settle(port: int) -> None:
    """Wait until the requests wrk left queued are served, so they do not slow the next
    page (sync workers finish what they accepted after the clients are gone)."""
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=60)
        except httpx.TimeoutException:
            continue
        if time.perf_counter() - start < 0.05:
            return


def run_load(args, pages: list[str], cookie: str, pregon_port: int, ref_port: int) -> list:
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(WRK_LUA)
    rows = []
    for url in pages:
        cookie_for = "" if url in PUBLIC_RESOLVED else cookie
        ref = wrk(ref_port, "/", args.clients, args.duration, "", lua)
        got = wrk(pregon_port, url, args.clients, args.duration, cookie_for, lua)
        rows.append((url, got, ref, os.getloadavg()[0]))
        settle(pregon_port)
        print(f"  {url}: {got['rps']:.0f} req/s, p95 {got['p95']:.0f} ms", flush=True)
    lua.unlink()
    return rows


# --- report -----------------------------------------------------------------------


def report(
    args, queries: dict, cpu: dict, fresh: dict, rows, logins: list[float], rss: list[float]
) -> None:
    print(f"\n## Escala {args.scale}: {args.clients} clientes, {args.duration} s por página\n")
    print("| página | req/s | p50 | p95 | p99 | errores | p95 ref. | req/s ref. | "
          "p95/ref | CPU/pet. | CPU sin caché | SQL | bytes | carga |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for url, got, ref, load in rows:
        ms, (sql, size) = cpu[url], queries[url]
        cold = f"{fresh[url]:.1f} ms" if url in fresh else "–"
        print(
            f"| `{url}` | {got['rps']:,.0f} | {got['p50']:.0f} ms | {got['p95']:.0f} ms | "
            f"{got['p99']:.0f} ms | {got['errors']} | {ref['p95']:.0f} ms | {ref['rps']:,.0f} | "
            f"{got['p95'] / max(ref['p95'], 0.1):.1f}× | {ms:.1f} ms | {cold} | {sql} | "
            f"{size:,} | {load:.1f} |"
        )
    print(
        f"\nReferencia (Django sin base de datos): {cpu['reference']:.1f} ms de CPU por petición."
    )
    print(
        f"Entrar: mediana {statistics.median(logins):.0f} ms ({len(logins)} entradas). "
        f"RSS de los trabajadores web tras la carga: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + f". Carga media (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{os.cpu_count()} núcleos."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1: demostración; 10: diez años")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30, help="segundos por página")
    parser.add_argument("--workers", type=int, default=3, help="trabajadores de gunicorn")
    parser.add_argument("--rounds", type=int, default=20, help="peticiones para medir CPU")
    parser.add_argument("--logins", type=int, default=10)
    parser.add_argument("--only", default="", help="solo las páginas que contengan esto")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "pregon-bench"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("Falta wrk (paquete de Debian «wrk»).")

    source = ensure_data(args.data_dir, args.scale)
    var_dir = working_copy(source)
    urls = {"bulletin": first_bulletin_url(var_dir), "survey": survey_url(var_dir)}
    PUBLIC_RESOLVED.extend(p.format(**urls) for p in PUBLIC)
    pages = [p for p in [*STAFF, *PUBLIC_RESOLVED] if args.only in p]
    print("Consultas SQL por página …", flush=True)
    queries = queries_per_page(var_dir, pages)
    pregon_port, ref_port = free_port(), free_port()
    server = start_pregon(var_dir, pregon_port, args.workers)
    reference = None
    try:
        # Within the try: if the reference fails to start, Pregón is still stopped.
        reference = start_reference(ref_port, args.workers)
        wait_for(pregon_port, "/healthz")
        wait_for(ref_port)
        cookie, logins = login(pregon_port, args.logins)

        def pids() -> list[int]:
            return list(web_workers(server.pid))

        def ref_pids() -> list[int]:
            children = subprocess.check_output(["pgrep", "-P", str(reference.pid)])  # noqa: S607
            return [int(pid) for pid in children.split()]

        print("CPU por petición, una a la vez …", flush=True)
        cpu = {
            url: cpu_per_request(
                pregon_port, pids, url, "" if url in PUBLIC_RESOLVED else cookie, args.rounds
            )
            for url in pages
        }
        fresh = {
            url: cpu_per_request(pregon_port, pids, url, cookie, args.rounds, fresh=True)
            for url in pages
            if url not in PUBLIC_RESOLVED
        }
        cpu["reference"] = cpu_per_request(ref_port, ref_pids, "/", "", args.rounds)
        for url, ms in cpu.items():
            cold = f", {fresh[url]:.1f} ms sin caché de página" if url in fresh else ""
            print(f"  {url}: {ms:.1f} ms{cold}", flush=True)
        print(f"Carga: {args.clients} clientes, {args.duration} s por página …", flush=True)
        rows = run_load(args, pages, cookie, pregon_port, ref_port)
        rss = list(web_workers(server.pid).values())
    finally:
        stop(server)
        if reference is not None:
            stop(reference)
        shutil.rmtree(var_dir, ignore_errors=True)
    report(args, queries, cpu, fresh, rows, logins, rss)


if __name__ == "__main__":
    main()
