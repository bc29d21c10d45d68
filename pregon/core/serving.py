"""What `pregon serve` decides and supervises: where to listen, whether the demo may
load, and the web server and the worker as two separately supervised processes."""

import errno
import ipaddress
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger("pregon.serve")

# Seconds before restarting a worker that died; the last value repeats. A worker
# that ran longer than WORKER_STABLE_SECONDS starts the schedule again.
WORKER_RESTART_DELAYS = (1, 2, 5, 10, 30, 60)
WORKER_STABLE_SECONDS = 60
WEB_START_SECONDS = 60


class StartError(Exception):
    """The service cannot start; the message says why, in Spanish."""


@dataclass(frozen=True)
class Bind:
    host: str
    port: int | None  # None for a unix socket

    def __str__(self) -> str:
        if self.port is None:
            return self.host
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_bind(value: str) -> Bind:
    """gunicorn's --bind syntax: HOST:PORT, [IPv6]:PORT, or unix:PATH."""
    if value.startswith("unix:"):
        return Bind(value, None)
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise StartError(f"Dirección no válida: «{value}». Use HOST:PUERTO, p. ej. 127.0.0.1:8000.")
    return Bind(host.strip("[]") or "0.0.0.0", int(port))  # noqa: S104 - gunicorn's default


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_on_first_start(bind: Bind, https: bool, flag: str) -> bool:
    """PREGON_DEMO=1 always loads it, 0 never; otherwise only plain HTTP on this machine."""
    if flag in ("0", "1"):
        return flag == "1"
    return not https and is_loopback(bind.host)


def ensure_port_free(bind: Bind) -> None:
    """Fail before migrating anything when another program holds the port."""
    if bind.port is None:
        return
    family = socket.AF_INET6 if ":" in bind.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((bind.host, bind.port))
        except OSError as exc:
            raise StartError(port_message(bind, exc)) from exc


def port_message(bind: Bind, exc: OSError | None = None) -> str:
    other = (bind.port or 8000) + 1
    if exc is not None and exc.errno == errno.EACCES:
        reason = f"no hay permiso para usar el puerto {bind.port}"
    elif exc is not None and exc.errno == errno.EADDRNOTAVAIL:
        reason = f"la dirección {bind.host} no existe en esta máquina"
    else:
        reason = f"el puerto {bind.port} de {bind.host} ya está en uso"
    return (
        f"No se pudo arrancar Pregón: {reason}. Elija otro puerto, por ejemplo "
        f"«PORT={other} make run» o «pregon serve --bind {bind.host}:{other}»."
    )


def listening(bind: Bind) -> bool:
    if bind.port is None:
        return os.path.exists(bind.host.removeprefix("unix:"))
    try:
        with socket.create_connection((bind.host, bind.port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Supervisor:
    """Runs gunicorn and the worker. A dead worker is restarted with backoff; the
    web server keeps answering meanwhile. Only a dead web server ends the service."""

    web_argv: list[str]
    worker_argv: list[str]
    bind: Bind
    say: Callable[[str], None] = print
    sleep: float = 0.3
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    stopping: bool = False
    _failures: int = 0
    _worker_started: float = 0.0
    _restart_at: float | None = None
    restarts: list[int] = field(default_factory=list)

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        try:
            self._start_web()
            if self.stopping:  # Ctrl-C while gunicorn was starting
                return 0
            self._start_worker()
            return self._watch()
        finally:
            self._terminate()

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _start_web(self) -> None:
        self.web = subprocess.Popen(self.web_argv)  # noqa: S603 - fixed argv, no shell
        deadline = time.monotonic() + WEB_START_SECONDS
        while not listening(self.bind):
            if self.web.poll() is not None:
                raise StartError(
                    f"El servidor web no arrancó (código {self.web.returncode}). "
                    + port_message(self.bind)
                )
            if self.stopping:
                return
            if time.monotonic() > deadline:
                raise StartError(f"El servidor web no respondió en {self.bind}.")
            time.sleep(0.2)
        self.say(f"Pregón en http://{self.bind}/ (Ctrl-C para detener).")

    def _start_worker(self) -> None:
        self.worker = subprocess.Popen(self.worker_argv)  # noqa: S603 - fixed argv, no shell
        self._worker_started = time.monotonic()
        self._restart_at = None
        self.say(f"Trabajador en marcha (pid {self.worker.pid}).")

    def _watch(self) -> int:
        while not self.stopping:
            if self.web.poll() is not None:
                self.say(f"El servidor web terminó inesperadamente (código {self.web.returncode}).")
                return self.web.returncode or 1
            self._check_worker()
            time.sleep(self.sleep)
        return 0

    def _check_worker(self) -> None:
        now = time.monotonic()
        if self._restart_at is not None:
            if now >= self._restart_at:
                self._start_worker()
            return
        code = self.worker.poll()
        if code is None:
            return
        if now - self._worker_started > WORKER_STABLE_SECONDS:
            self._failures = 0
        delay = WORKER_RESTART_DELAYS[min(self._failures, len(WORKER_RESTART_DELAYS) - 1)]
        self._failures += 1
        self._restart_at = now + delay
        self.restarts.append(code)
        message = f"El trabajador terminó (código {code}); se reinicia en {delay} s."
        logger.warning(message)

    def _terminate(self) -> None:
        procs = [p for p in (self.web, self.worker) if p is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
