"""`pregon serve` (what `make run` calls), started the way a new user starts it: an
empty var/ directory, a free port, real processes."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from pregon.core.serving import Bind, demo_on_first_start, parse_bind

ROOT = Path(__file__).resolve().parents[2]
WORKER_LINE = re.compile(r"Trabajador en marcha \(pid (\d+)\)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _serve_env(var_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        PREGON_VAR_DIR=str(var_dir),
        PREGON_HTTPS="false",
        PREGON_ADMIN_PASSWORD="admin-prueba-123",
        PREGON_TASKS_BACKEND="db",
        PYTHONUNBUFFERED="1",
    )
    env.pop("PREGON_DEMO", None)
    env.update(extra)
    return env


class Served:
    """A running `pregon serve`; its output goes to a file the test reads."""

    def __init__(self, var_dir: Path, bind: str, env: dict) -> None:
        self.var_dir = var_dir
        self.url = f"http://{bind}"
        self.log = var_dir / "serve.log"
        self._out = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pregon", "serve", "--bind", bind, "--web-workers", "1"],
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def output(self) -> str:
        return self.log.read_text()

    def health(self) -> dict | None:
        try:
            status, body = _get(f"{self.url}/healthz")
        except OSError:
            return None
        return json.loads(body) if status == 200 else None

    def wait_ready(self, seconds: float = 420) -> dict:
        deadline = time.time() + seconds
        while time.time() < deadline:
            assert self.proc.poll() is None, self.output()
            health = self.health()
            if health and health["worker"]["last_seen"] and not health["worker"]["stale"]:
                return health
            time.sleep(0.5)
        raise AssertionError(f"Pregón no quedó listo:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        return [int(pid) for pid in WORKER_LINE.findall(self.output())]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        finally:
            self._out.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def local_first_start(tmp_path_factory):
    """`make run` on a fresh clone: loopback, plain HTTP, empty var/."""
    var_dir = tmp_path_factory.mktemp("var")
    served = Served(var_dir, f"127.0.0.1:{_free_port()}", _serve_env(var_dir))
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


def test_first_local_start_loads_the_demo_and_runs_web_and_worker(local_first_start):
    served = local_first_start
    health = served.health()
    assert health["status"] == "ok" and health["worker"]["stale"] is False
    status, body = _get(f"{served.url}/cuenta/entrar/")
    assert status == 200 and "Entrar a Pregón" in body
    assert (served.var_dir / "pregon.sqlite3").exists()
    assert (served.var_dir / "secret_key").exists()
    out = served.output()
    assert "Primer arranque: cargando la demostración" in out
    assert f"Pregón en {served.url}/" in out


@pytest.mark.browser
def test_coordinacion_reaches_the_plan_pages_on_the_first_start(local_first_start, browser):
    context = browser.new_context(locale="es-MX", base_url=local_first_start.url)
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario").fill("coordinacion")
        page.get_by_label("Contraseña").fill("coordinacion-demo-2023")
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url("**/")
        nav = page.get_by_role("navigation", name="Principal")
        for label in ("Agenda", "Publicaciones", "Metas"):  # folded inside their groups
            link = nav.get_by_role("link", name=label, exact=True, include_hidden=True)
            assert link.count() == 1, label
        for path in ("/agenda/", "/publicaciones/", "/metas/"):
            response = page.goto(path)
            assert response.status == 200, path
            assert "Sin permiso" not in page.title(), path
    finally:
        context.close()


def test_a_dead_worker_is_restarted_and_the_web_keeps_answering(local_first_start):
    served = local_first_start
    first = served.worker_pids()[-1]
    killed_at = time.time()
    os.kill(first, signal.SIGKILL)
    answered = 0
    deadline = time.time() + 60
    while time.time() < deadline and served.worker_pids()[-1] == first:
        status, _ = _get(f"{served.url}/healthz")
        answered += status == 200
        time.sleep(0.2)
    assert served.worker_pids()[-1] != first, served.output()
    assert answered > 0
    assert "El trabajador terminó (código -9); se reinicia en 1 s." in served.output()
    # The new worker beats again; the web server never stopped.
    deadline = time.time() + 30
    while time.time() < deadline:
        seen = served.health()["worker"]["last_seen"]
        if seen and datetime.fromisoformat(seen).timestamp() > killed_at:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"el trabajador nuevo no dio latido:\n{served.output()}")
    assert served.proc.poll() is None
    assert "El servidor web terminó" not in served.output()


def test_ctrl_c_stops_web_and_worker_cleanly(local_first_start):
    served = local_first_start
    assert served.stop() == 0, served.output()
    assert "Pregón detenido." in served.output()
    with pytest.raises(OSError):
        _get(f"{served.url}/healthz")


def test_production_start_never_loads_the_demo(tmp_path):
    """Behind TLS (PREGON_HTTPS=true) the first start creates only the administrator."""
    port = _free_port()
    served = Served(tmp_path, f"127.0.0.1:{port}", _serve_env(tmp_path, PREGON_HTTPS="true"))
    try:
        served.wait_ready()
        status, body = _get(f"{served.url}/cuenta/entrar/", {"X-Forwarded-Proto": "https"})
        assert status == 200 and "Entrar a Pregón" in body
    finally:
        assert served.stop() == 0, served.output()
    assert "Primer arranque sin demostración" in served.output()
    with sqlite3.connect(tmp_path / "pregon.sqlite3") as db:
        users = [u for (u,) in db.execute("SELECT username FROM accounts_user")]
    assert users == ["admin"]


@pytest.mark.parametrize(
    ("bind", "https", "flag", "loads"),
    [
        ("127.0.0.1:8000", False, "", True),
        ("localhost:8000", False, "", True),
        ("[::1]:8000", False, "", True),
        ("127.0.0.1:8000", True, "", False),
        ("0.0.0.0:8000", False, "", False),
        ("10.0.0.5:8000", False, "", False),
        ("unix:/run/pregon.sock", False, "", False),
        ("0.0.0.0:8000", True, "1", True),
        ("127.0.0.1:8000", False, "0", False),
    ],
)
def test_demo_only_on_a_local_plain_http_start_unless_asked(bind, https, flag, loads):
    assert demo_on_first_start(parse_bind(bind), https, flag) is loads


def test_bind_is_parsed_like_gunicorn():
    assert parse_bind("[::1]:8001") == Bind("::1", 8001)
    assert str(parse_bind("[::1]:8001")) == "[::1]:8001"
    assert parse_bind("127.0.0.1:8000") == Bind("127.0.0.1", 8000)


def _occupied_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def test_serve_on_a_busy_port_says_which_and_how_to_choose_another(tmp_path):
    with _occupied_port() as sock:
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pregon", "serve", "--bind", f"127.0.0.1:{port}"],
            env=_serve_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"el puerto {port} de 127.0.0.1 ya está en uso" in result.stderr
    assert f"PORT={port + 1} make run" in result.stderr
    assert not (tmp_path / "pregon.sqlite3").exists()  # stopped before touching anything


def test_make_run_on_a_busy_port_fails_with_the_message(tmp_path):
    with _occupied_port() as sock:
        port = sock.getsockname()[1]
        result = subprocess.run(
            # -o: never reinstall from here; the suite already installed the package.
            ["make", "-s", "-o", ".venv/.installed", "run"],
            cwd=ROOT,
            env={**_serve_env(tmp_path), "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"el puerto {port} de 127.0.0.1 ya está en uso" in result.stderr


def test_web_workers_are_replaced_after_some_requests(settings):
    from pregon.core.management.commands.serve import Command

    settings.PREGON_WEB_MAX_REQUESTS = 2000
    options = Command._recycling()
    assert options[options.index("--max-requests") + 1] == "2000"
    assert options[options.index("--max-requests-jitter") + 1] == "200"
    assert "--preload" in options  # a replacement is forked, not imported again
    assert "python:pregon.core.gunicorn_config" in options  # replaced when it grew too
    settings.PREGON_WEB_MAX_REQUESTS = 0
    assert "--max-requests" not in Command._recycling()


def test_a_worker_grown_past_the_limit_is_replaced_after_its_request(monkeypatch):
    from types import SimpleNamespace

    from pregon.core import gunicorn_config

    assert 20 < gunicorn_config.resident_mb() < 4000  # this process, read from /proc
    worker = SimpleNamespace(nr=100, alive=True, log=SimpleNamespace(info=lambda *a: None))
    monkeypatch.setattr(gunicorn_config, "LIMIT_MB", 100_000)
    gunicorn_config.post_request(worker, None, {}, None)
    assert worker.alive
    monkeypatch.setattr(gunicorn_config, "LIMIT_MB", 1)
    worker.nr = 5  # a fresh worker answers a few requests first
    gunicorn_config.post_request(worker, None, {}, None)
    assert worker.alive
    worker.nr = 100
    gunicorn_config.post_request(worker, None, {}, None)
    assert not worker.alive


def test_the_preloaded_application_has_the_urls_and_templates_a_new_worker_needs(tmp_path):
    """gunicorn's master imports pregon.wsgi once and forks the workers from it: what a
    worker's first request would load (the URLconf with the API, the templates) is
    loaded there, so a replaced worker answers at once."""
    script = (
        "import sys\n"
        "import pregon.wsgi\n"
        "from django.template import engines\n"
        "from django.template.loader import get_template\n"
        "assert 'pregon.api' in sys.modules, 'URLconf not loaded'\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "held = len(loader.get_template_cache)\n"
        "assert held > 50, held\n"
        "get_template('base.html')\n"
        "assert len(loader.get_template_cache) == held, 'base.html parsed again'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_serve_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "ok", result.stderr
