"""`pregon serve` (what `make run` calls) brings up web + worker and stops cleanly."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_serve_runs_web_and_worker_then_stops(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PREGON_VAR_DIR": str(tmp_path),
        "PREGON_HTTPS": "false",
        "PREGON_ADMIN_PASSWORD": "admin-prueba-123",
        "PREGON_TASKS_BACKEND": "db",
    }
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pregon",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--web-workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = None
        deadline = time.time() + 300  # the first start loads the whole demo year
        while time.time() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                health = json.loads(body)
                if status == 200 and health["worker"]["last_seen"]:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert health and health["status"] == "ok" and health["worker"]["last_seen"]
        status, body = _get(f"http://127.0.0.1:{port}/cuenta/entrar/")
        assert status == 200 and "Entrar a Pregón" in body
        assert (tmp_path / "pregon.sqlite3").exists()
        assert (tmp_path / "secret_key").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Pregón detenido." in out
    assert "Primer arranque" in out
