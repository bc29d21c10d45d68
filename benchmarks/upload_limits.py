"""Peak memory of the web and worker processes over every import and upload path, fed
the worst inputs (issue 14's outages and the hostile files of issue 15).

    .venv/bin/python benchmarks/upload_limits.py [--keep]

Starts what `pregon serve` starts, on a throw-away SQLite file: gunicorn (one sync
worker, so one process takes every request) and `pregon worker` (database task queue).
Then, over HTTP on 127.0.0.1, as a person would:

  1. the 19.7 MB / 190,000-row metrics export (imported while you wait);
  2. a 2 GiB upload streamed to the metrics address as a .csv (refused at 20 MB);
  3. a 50000×50000 PNG as a publication image and as a design photo;
  4. the 60000×60000 SVG logo of the brand kit;
  5. a 1 MB gzip access log hiding a 1 GiB line (the worker reads it);
  6. iCalendar series FREQ=SECONDLY and COUNT=100000000;
  7. the PNG bomb and six 24-MP photos through the archive (the worker decodes them).

Prints each step's answer and time, then VmHWM (peak resident memory) of the gunicorn
worker and of the task worker, and the load average before and after. Goal: ≤ 300 MB
per process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402
from tests.core.concurrency_actor import jpeg  # noqa: E402

GOAL_KB = 300 * 1024
SAID = re.compile(r"(Logotipo|Foto|El archivo|Las fotos|Línea)[^<\"]{0,150}")


def env_for(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        PREGON_VAR_DIR=str(folder),
        PREGON_MEDIA_ROOT=str(folder / "media"),
        PREGON_TASKS_BACKEND="db",
        PREGON_HTTPS="false",
        DJANGO_SETTINGS_MODULE="pregon.settings",
    )
    return env


def peak_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status)[1])


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(x) for x in found]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(folder: Path) -> dict:
    env = env_for(folder)
    python = [sys.executable, "-m", "pregon"]
    subprocess.run([*python, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    actor = [sys.executable, "-m", "tests.core.concurrency_actor", "setup", str(folder)]
    out = subprocess.run(actor, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    session = (
        "from django.test import Client; from pregon.accounts.models import User;"
        "from pregon.accounts.roles import group_for;"
        "u = User.objects.get(username='mariana'); u.groups.add(group_for('diseno'));"
        "c = Client(); c.force_login(u); print(c.cookies['sessionid'].value)"
    )
    out = subprocess.run(
        [*python, "shell", "-c", session], cwd=ROOT, env=env, check=True, capture_output=True
    )
    info["session"] = out.stdout.decode().split()[-1]
    return info


class Session:
    """Mariana over HTTP: a bearer token for the API, a browser session for pages."""

    def __init__(self, base: str, info: dict) -> None:
        self.api = httpx.Client(
            base_url=base,
            timeout=600,
            headers={"Authorization": f"Bearer {info['tokens']['mariana']}"},
        )
        self.web = httpx.Client(base_url=base, timeout=600, cookies={"sessionid": info["session"]})
        self.web.get("/diseno/marca/")  # the CSRF cookie
        self.csrf = {"X-CSRFToken": self.web.cookies.get("csrftoken", ""), "Referer": base}

    def form(self, path: str, data: dict, files: dict) -> httpx.Response:
        return self.web.post(path, data=data, files=files, headers=self.csrf)


def streamed_2gib(base: str, token: str) -> httpx.Response:
    boundary = "limiteDePrueba"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cifras.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    size = 2 * 1024**3 - 16 * 1024**2

    def body():
        yield head
        piece = b"1,2,3\n" * (1 << 17)
        for _ in range(size // len(piece)):
            yield piece
        yield f"\r\n--{boundary}--\r\n".encode()

    length = len(head) + size // (6 << 17) * (6 << 17) + len(f"\r\n--{boundary}--\r\n")
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
    }
    try:
        return httpx.post(
            f"{base}/api/v1/analytics/imports/metrics", content=body(), headers=headers, timeout=600
        )
    except httpx.HTTPError as exc:  # the server may close the connection after its answer
        return httpx.Response(499, text=f"conexión cerrada tras la respuesta: {exc}")


def wait_for(check, seconds: int = 600) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(1)
    raise TimeoutError


def run_steps(base: str, info: dict, folder: Path) -> list[tuple[str, int, float, str]]:
    s = Session(base, info)
    results = []

    def step(name: str, call) -> httpx.Response:
        started = time.monotonic()
        response = call()
        said = SAID.search(response.text)  # a page's message, else the start of the body
        text = (said[0] if said else response.text[:140]).replace("\n", " ")
        results.append((name, response.status_code, time.monotonic() - started, text))
        print(f"{name}: {response.status_code} en {results[-1][2]:.1f} s — {text}", flush=True)
        return response

    csv = hostile.metrics_csv(190_000)
    step(
        "CSV de cifras 19.7 MB / 190,000 filas",
        lambda: s.api.post(
            "/api/v1/analytics/imports/metrics",
            files={"file": ("cifras.csv", csv)},
            data={"account": "Municipio"},
        ),
    )
    step("Subida de 2 GiB como .csv", lambda: streamed_2gib(base, info["tokens"]["mariana"]))
    bomb = hostile.bomb_png(50_000, 50_000)
    publication = s.api.post(
        "/api/v1/publications",
        json={"title": "Aviso", "text": "Texto", "variants": [{"account": info["account"]}]},
    ).json()["id"]

    def publication_image() -> httpx.Response:
        s.form(f"/publicaciones/{publication}/imagenes/", {}, {"file": ("b.png", bomb)})
        return s.web.get(f"/publicaciones/{publication}/editar/")  # shows the message

    step("PNG 50000×50000 como imagen de publicación (y la página que lo dice)", publication_image)
    step(
        "PNG 50000×50000 como foto de diseño",
        lambda: s.form("/diseno/fotos/", {}, {"foto_archivo": ("b.png", bomb)}),
    )
    kit = {
        "administration": "H. Ayuntamiento",
        "motto": "Municipio limpio",
        "footer": "Independencia 300",
        "legend": "2024",
        "color_primary": "#7a1f3d",
        "color_secondary": "#b38e5d",
        "color_text": "#1f1f1f",
        "color_background": "#ffffff",
        "font_family": "montserrat",
    }
    step(
        "Logotipo SVG 60000×60000",
        lambda: s.form("/diseno/marca/", kit, {"logo": ("logo.svg", hostile.huge_svg())}),
    )
    log = hostile.gzip_long_line(folder / "acceso.log.gz")
    response = step(
        "Bitácora gzip de 1 MB con una línea de 1 GiB",
        lambda: s.api.post(
            "/api/v1/analytics/imports/weblogs", files={"file": ("acceso.log.gz", log.read_bytes())}
        ),
    )
    weblog = response.json()["id"]
    state = wait_for(
        lambda: (
            (
                s.api.get(f"/api/v1/analytics/imports/weblogs/{weblog}").json().get("state")
                in ("failed", "done", "fallida", "terminada")
            )
            and s.api.get(f"/api/v1/analytics/imports/weblogs/{weblog}").json()
        )
    )
    print(f"  el trabajador: {state['state']}: {state.get('error', '')[:150]}", flush=True)
    for rule in ("FREQ=SECONDLY", "FREQ=DAILY;COUNT=100000000"):
        step(
            f"iCalendar {rule}",
            lambda rule=rule: s.api.post(
                "/api/v1/activities/import-ics",
                files={"file": ("a.ics", hostile.ics_with_rule(rule))},
            ),
        )
    uploads = [("bomba.png", bomb)] + [(f"foto-{i}.jpg", jpeg(i, 6000, 4000)) for i in range(6)]
    ids = []
    for name, content in uploads:
        response = step(
            f"Archivo: {name}",
            lambda name=name, content=content: s.api.post(
                "/api/v1/archive/uploads", files={"archivo": (name, content)}
            ),
        )
        ids.append(response.json()["id"])
    for item in ids:
        done = wait_for(
            lambda item=item: (
                (r := s.api.get(f"/api/v1/archive/uploads/{item}").json())["estado"]
                not in ("pendiente", "procesando")
                and r
            )
        )
        print(f"  el trabajador: {done['nombre']}: {done['estado']} {done['mensaje'][:90]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pregon-limits-"))
    load_before = os.getloadavg()
    info = prepare(folder)
    port, env = free_port(), env_for(folder)
    web = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "pregon.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "pregon", "worker"], cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 60)
        started = time.monotonic()
        run_steps(base, info, folder)
        web_kb = max(peak_kb(pid) for pid in children(web.pid))
        worker_kb = peak_kb(worker.pid)
    finally:
        for proc in (web, worker):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"\nTiempo total: {time.monotonic() - started:.0f} s")
    for name, kb in (("web (gunicorn worker)", web_kb), ("task worker", worker_kb)):
        verdict = "OK" if kb <= GOAL_KB else "PASA DE LA META"
        print(f"VmHWM {name}: {kb / 1024:.0f} MB ({verdict}, meta ≤ 300 MB)")
    print(f"Load average: antes {load_before[0]:.1f}, después {load_after[0]:.1f}")


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
