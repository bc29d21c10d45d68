"""`pregon serve`: prepares the database and runs the web server (gunicorn) and the
background worker together. Ctrl-C stops both."""

import os
import secrets
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pregon.accounts.models import User


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
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        first_run = not User.objects.exists()
        if first_run and not no_demo and os.environ.get("PREGON_DEMO", "1") != "0":
            self.stdout.write("Primer arranque: cargando la demostración de Chapultepec…")
            call_command("demo", stdout=self.stdout)
        self._ensure_admin()
        self._run(bind, web_workers)

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

    def _run(self, bind: str, web_workers: int) -> None:
        pregon = [sys.executable, "-m", "pregon"]
        web = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "pregon.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(web_workers),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ]
        )
        worker = subprocess.Popen([*pregon, "worker"])  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(
                f"Pregón en http://{bind}/ (Ctrl-C para detener). Base de datos: "
                f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}."
            )
        )
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and web.poll() is None and worker.poll() is None:
            time.sleep(0.3)
        for proc in (web, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.stdout.write("Pregón detenido.")
