"""`pregon serve`: prepares the database and runs the web server (gunicorn) and the
background worker, each supervised on its own. Ctrl-C stops both."""

import os
import secrets
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pregon.core.serving import (
    Bind,
    StartError,
    Supervisor,
    demo_on_first_start,
    ensure_port_free,
    parse_bind,
)

# The user model through Django (AUTH_USER_MODEL): core sits below accounts.
User = get_user_model()


class Command(BaseCommand):
    help = "Prepara la base de datos y arranca el servidor web y el trabajador."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("PREGON_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("PREGON_WEB_WORKERS", "3"))
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="No cargar la demostración en el primer arranque.",
        )

    def handle(self, *args, bind: str, web_workers: int, no_demo: bool, **options) -> None:
        try:
            where = parse_bind(bind)
            ensure_port_free(where)
            self._prepare(where, no_demo)
            code = self._supervisor(where, web_workers).run()
        except StartError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1) from exc
        self.stdout.write("Pregón detenido.")
        if code:
            raise SystemExit(code)

    def _prepare(self, where: Bind, no_demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not User.objects.exists():
            self._first_start(where, no_demo)
        self._ensure_admin()

    def _first_start(self, where: Bind, no_demo: bool) -> None:
        flag = os.environ.get("PREGON_DEMO", "")
        if not no_demo and demo_on_first_start(where, settings.PREGON_HTTPS, flag):
            self.stdout.write(
                "Primer arranque: cargando la demostración de Chapultepec (personas con "
                "contraseñas conocidas, solo para probar Pregón; PREGON_DEMO=0 la omite)…"
            )
            call_command("demo", stdout=self.stdout)
            return
        self.stdout.write(
            "Primer arranque sin demostración (instalación de producción: HTTPS o dirección "
            "no local). Para cargarla de todos modos: PREGON_DEMO=1."
        )

    def _ensure_admin(self) -> None:
        if User.objects.filter(is_superuser=True).exists():
            return
        password = os.environ.get("PREGON_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        shown = (
            "(la de PREGON_ADMIN_PASSWORD)" if os.environ.get("PREGON_ADMIN_PASSWORD") else password
        )
        self.stdout.write(
            self.style.WARNING(
                f"Administrador creado: usuario «admin», contraseña {shown}. "
                "Guárdela: no se volverá a mostrar."
            )
        )

    @staticmethod
    def _recycling() -> list[str]:
        """A worker's heap only grows (a 550 KB calendar, a login's 19 MiB hash leave it
        larger), so each is replaced after some requests, or at once when it grew past
        PREGON_WEB_MAX_RSS_MB (core/gunicorn_config.py). The application is loaded
        once in gunicorn's master (--preload) and the workers forked from it: a
        replacement starts in milliseconds instead of importing Django again, and the
        imported code's memory is shared between them."""
        # The RSS limit reaches gunicorn's settings module (loaded before Django) here.
        os.environ["PREGON_WEB_MAX_RSS_MB"] = str(settings.PREGON_WEB_MAX_RSS_MB)
        options = ["--preload", "--config", "python:pregon.core.gunicorn_config"]
        limit = settings.PREGON_WEB_MAX_REQUESTS
        if limit <= 0:
            return options
        jitter = str(max(limit // 10, 1))
        return [*options, "--max-requests", str(limit), "--max-requests-jitter", jitter]

    def _supervisor(self, where: Bind, web_workers: int) -> Supervisor:
        # A login hashes with Argon2 in 19 MiB. glibc serves a block that large with mmap
        # and gives it back, but after the first free it raises its mmap threshold and
        # keeps later ones on the heap: each web worker held ~20 MB more after a few
        # logins. A fixed threshold (glibc's default, 128 KiB) turns that adjustment off.
        os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", "131072")
        web = [sys.executable, "-m", "gunicorn", "pregon.wsgi:application"]
        web += ["--bind", str(where), "--workers", str(web_workers)]
        # A large import answered in the request (a 190,000-row CSV) can take a minute on a
        # busy machine: gunicorn's default 30 s would kill the worker mid-import.
        timeout = str(settings.PREGON_WEB_TIMEOUT)
        web += ["--access-logfile", "-", "--graceful-timeout", "10", "--timeout", timeout]
        web += self._recycling()
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

        def say(message: str) -> None:
            self.stdout.write(message)
            self.stdout.flush()

        supervisor = Supervisor(web, [sys.executable, "-m", "pregon", "worker"], where, say)
        say(f"Arrancando Pregón en http://{where}/ (base de datos: {engine})…")
        return supervisor
