"""In Chromium, Coordinación connects an X account with «Conectar con X» (OAuth 2.0
PKCE against the strict fake: single-use codes, refresh tokens that rotate and die
once spent). Pregón runs as `make run` starts it (`pregon serve`: web and one
supervised `pregon worker`) plus a second `pregon worker`, on a brand-new database,
with the tasks in the database or, when Redis answers, in RQ. The access token then
expires twice while a batch of posts is due: both workers find it dead at once, one
refreshes under the account's lock and the other uses the new token, so the account
survives both refreshes with no refused refresh token, every post goes out exactly
once, and the page shows the account healthy."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import pytest
import redis

from tests.core.test_serve import Served
from tests.publishing.fakes.oauth import XLoginFake

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PREGON_SCREENSHOTS")  # a folder to keep what the page looked like
CLIENT_ID, CLIENT_SECRET = "x-client-123", "x-s3cret"
PER_ROUND = 8  # posts due at the same moment in each round: more than one worker's turn
REDIS_DB = 12  # a database of its own on the Redis server
STATES = "SELECT status, last_error FROM publishing_delivery"

PEOPLE = """
from pregon.accounts.models import Area, User
from pregon.accounts.roles import group_for
area, _ = Area.objects.get_or_create(short_name="COMSOC", defaults={"name": "Comunicación"})
for name, role in (("mariana", "coordinacion"), ("jorge", "redaccion")):
    user = User.objects.create_user(name, password=name + "-clave-segura-1", area=area)
    user.groups.add(group_for(role))
"""

# Every post of a round becomes due at the same moment, a few seconds from now.
ROUND = """
from datetime import timedelta
from django.utils import timezone
from pregon.accounts.models import User
from pregon.publishing import services
from pregon.publishing.models import ChannelAccount
jorge, mariana = User.objects.get(username="jorge"), User.objects.get(username="mariana")
account = ChannelAccount.objects.get(kind="x")
when = timezone.now() + timedelta(seconds=4)
for n in range({count}):
    text = "Aviso {round}-%s: el agua llega a la colonia %s esta semana." % (n, n)
    p = services.publication_create(author=jorge, title="Aviso {round}-%s" % n, text=text)
    services.variants_set(publication=p, variants={{account.pk: {{"text": ""}}}}, user=jorge)
    services.publication_submit(publication=p, user=jorge)
    services.publication_approve(publication=p, user=mariana)
    services.publication_schedule(publication=p, user=mariana, when=when)
"""


class Database:
    """A brand-new database for the processes, and how the test reads it."""

    def __init__(self, var_dir: Path) -> None:
        self.url = ""
        self.file = var_dir / "pregon.sqlite3"
        self._admin = None
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            self._create(base)

    def _create(self, base: str) -> None:
        server = dj_database_url.parse(base)
        self.name = f"{server['NAME']}_xw_{uuid.uuid4().hex[:8]}"
        self._admin = psycopg.connect(
            host=server["HOST"],
            port=server["PORT"] or 5432,
            user=server["USER"],
            password=server["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        self._admin.execute(f'CREATE DATABASE "{self.name}"')
        self.url = base.rsplit("/", 1)[0] + "/" + self.name

    def rows(self, sql: str) -> list[tuple]:
        if self.url:
            with psycopg.connect(self.url) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(self.file, timeout=20) as db:
            rows = db.execute(sql).fetchall()
        db.close()
        return rows

    def drop(self) -> None:
        if self._admin:
            self._admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin.close()


def _redis_url() -> str:
    """The Redis server of REDIS_URL (or the local one), on a database of its own."""
    server = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    url = server._replace(path=f"/{REDIS_DB}").geturl()
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("PREGON_REQUIRE_REDIS"):
            pytest.fail(f"Redis no responde en {url} y esta ejecución lo exige")
        pytest.skip(f"Redis no responde en {url}")
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var_dir: Path, database: Database, x: XLoginFake, tasks: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        PREGON_DEMO="0",  # a brand-new installation with nothing in it
        PREGON_VAR_DIR=str(var_dir),
        PREGON_HTTPS="false",
        PREGON_ADMIN_PASSWORD="admin-prueba-123",
        PYTHONUNBUFFERED="1",
        PREGON_X_CLIENT_ID=CLIENT_ID,
        PREGON_X_CLIENT_SECRET=CLIENT_SECRET,
        PREGON_X_API_URL=x.url,
        PREGON_X_OAUTH_URL=f"{x.url}/i/oauth2/authorize",
        PREGON_TASKS_BACKEND=tasks,
        # Two senders per process: with the default eight, one process's senders can
        # take a whole round before the other's wake up, and «both sent» is luck.
        PREGON_DELIVERY_CONCURRENCY="2",
    )
    env.pop("REDIS_URL", None)
    if tasks == "rq":
        env["REDIS_URL"] = _redis_url()
    if database.url:
        env["DATABASE_URL"] = database.url
    return env


def _shell(code: str, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pregon", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def _wait_for(condition, seconds: float, what, logs: list[Path]) -> None:
    """`what()` says what was awaited and how things stand, if it never came."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what()}:\n" + "\n".join(p.read_text()[-4000:] for p in logs))


def _expire_access_tokens(x: XLoginFake) -> None:
    """Two hours have passed on X: every access token is dead, the refresh token not."""
    with x.lock:
        for token in list(x.access_tokens):
            x.expire_access_token(token)


@pytest.fixture
def stack(tmp_path, request):
    """X's fake, a new database, `pregon serve` and a second `pregon worker`."""
    database = Database(tmp_path)
    x = XLoginFake(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, latency=0.05).start()
    log = tmp_path / "worker-2.log"
    served = second = None
    try:
        x.login_as("42", "gobchapultepec")
        env = _env(tmp_path, database, x, request.param)
        served = Served(tmp_path, f"127.0.0.1:{_free_port()}", env)
        served.wait_ready()
        with log.open("w") as out:  # the child keeps its own copy of the descriptor
            second = subprocess.Popen(
                [sys.executable, "-m", "pregon", "worker"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        yield served, second, x, database, env, [served.log, log]
    finally:
        if second is not None and second.poll() is None:
            os.killpg(second.pid, signal.SIGTERM)
            try:
                second.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(second.pid, signal.SIGKILL)
        if served is not None:
            served.stop()
        x.stop()
        database.drop()


@pytest.mark.parametrize(
    "stack", ["db", pytest.param("rq", marks=pytest.mark.redis)], indirect=True
)
def test_x_connected_in_the_browser_survives_two_refreshes_with_two_workers(stack, browser):
    served, second, x, database, env, logs = stack
    _shell(PEOPLE, env)
    context = browser.new_context(
        locale="es-MX", timezone_id="America/Mexico_City", base_url=served.url
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario").fill("mariana")
        page.get_by_label("Contraseña").fill("mariana-clave-segura-1")
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url("**/")
        page.goto("/publicaciones/canales/")
        page.get_by_role("link", name="Conectar con X").click()
        page.get_by_role("button", name="Permitir").click()  # on X's consent page
        page.get_by_text("Conectada:").wait_for()
        assert database.rows("SELECT kind, external_id, state FROM publishing_channelaccount") == [
            ("x", "42", "activa")
        ]

        for round_ in (1, 2):
            _expire_access_tokens(x)
            x.slow(1.5, path="/2/oauth2/token")  # the refresh is slow: the others meet it
            _shell(ROUND.format(count=PER_ROUND, round=round_), env)
            published = PER_ROUND * round_
            _wait_for(
                lambda n=published: (
                    database.rows(
                        "SELECT COUNT(*) FROM publishing_delivery WHERE status = 'publicada'"
                    )[0][0]
                    == n
                ),
                180,
                lambda r=round_: f"ronda {r}: {database.rows(STATES)}",
                logs,
            )
            assert second.poll() is None  # the second worker is still running

        refreshes = [
            r
            for r in x.requests_to("POST", "/2/oauth2/token")
            if r.form.get("grant_type") == "refresh_token"
        ]
        assert len(refreshes) == 2  # one per expiry: nobody spent a dead refresh token
        assert len(x.refresh_tokens) == 1  # the live one, stored by Pregón
        texts = Counter(tweet["text"] for tweet in x.tweets.values())
        assert len(texts) == 2 * PER_ROUND and set(texts.values()) == {1}  # each once
        outcomes = dict(
            database.rows(
                "SELECT outcome, COUNT(*) FROM publishing_deliveryattempt GROUP BY outcome"
            )
        )
        assert outcomes == {"ok": 2 * PER_ROUND}  # no refusal, no «reconexión»
        workers = database.rows("SELECT DISTINCT worker FROM publishing_deliveryattempt")
        assert len(workers) == 2  # both processes sent

        page.goto("/publicaciones/canales/")
        row = page.get_by_role("row").filter(has_text="@gobchapultepec")
        assert "Activa" in row.inner_text() and "Reconectar" not in row.inner_text()
        row.get_by_role("button", name="Probar conexión").click()
        page.get_by_text("Probando la conexión").wait_for()

        def healthy() -> bool:
            page.goto("/publicaciones/canales/")
            return "✓ X @gobchapultepec (42)" in row.inner_text()

        _wait_for(healthy, 60, lambda: "la prueba de conexión no terminó", logs)
        if SHOTS:
            for width, height in ((1366, 900), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                page.screenshot(path=f"{SHOTS}/x-dos-trabajadores-{width}.png", full_page=True)
        assert database.rows("SELECT state FROM publishing_channelaccount") == [("activa",)]
    finally:
        context.close()
