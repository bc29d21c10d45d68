"""Send one approved bulletin (PDF attached) to 2,000 press contacts through a real SMTP
server on 127.0.0.1 (aiosmtpd), throttle 0, with the code the worker runs
(`distribution.send_pending`: claim, send, mark, one message per recipient). Prints
messages per second and checks that every recipient got exactly one message.

    .venv/bin/python benchmarks/bulletins_distribution.py [--recipients 2000]
    .venv/bin/python benchmarks/bulletins_distribution.py \\
        --database-url postgres://postgres@127.0.0.1:5432/pregon_bench_bulletins

SQLite: a throw-away database in a temporary directory, migrated first (not timed).
PostgreSQL: the database must exist and is migrated; the bench rows are left there.
"""

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite file if empty")
    return parser.parse_args()


class Inbox:
    def __init__(self) -> None:
        self.rcpts: list[str] = []
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        with self.lock:
            self.rcpts.extend(envelope.rcpt_tos)
            self.bytes += len(envelope.original_content)
        return "250 Message accepted for delivery"


def start_smtp(inbox: Inbox):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # aiosmtpd probes its port, so it cannot be 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def setup_django(args: argparse.Namespace, var_dir: str, port: int) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pregon.settings",
        PREGON_VAR_DIR=var_dir,
        DATABASE_URL=args.database_url,
        PREGON_TASKS_BACKEND="db",  # nothing runs inline: we run the task body
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        PREGON_PRESS_THROTTLE_SECONDS="0",
        PREGON_ALLOW_SELF_APPROVAL="true",
    )
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s (not counted)")


def seed(recipients: int):
    from pregon.accounts.models import User
    from pregon.bulletins import distribution, services
    from pregon.bulletins.models import MediaContact, MediaList

    user, _ = User.objects.get_or_create(
        username="bench-bulletins", defaults={"is_superuser": True, "is_staff": True}
    )
    bulletin = services.bulletin_create(
        author=user,
        kind="boletin",
        dated=date.today(),
        title="Benchmark: rehabilitan la calle Independencia",
        balazos=["Se invirtieron 2.3 millones de pesos"],
        body="<p>La Presidenta Municipal entregó la obra.</p>" * 20,
        press_contact="Unidad de Comunicación Social",
        category="obra_publica",
    )
    services.bulletin_submit(bulletin=bulletin, user=user)
    bulletin = services.bulletin_approve(bulletin=bulletin, user=user)
    press = MediaList.objects.create(name=f"Bench {time.time_ns()}")
    tag = press.pk
    contacts = MediaContact.objects.bulk_create(
        MediaContact(
            outlet=f"Medio {i}", person=f"Periodista {i}", email=f"p{i}.{tag}@bench.example"
        )
        for i in range(recipients)
    )
    press.contacts.add(*contacts)
    return distribution.distribution_create(bulletin=bulletin, lists=[press], user=user)


def main() -> None:
    args = parse()
    inbox = Inbox()
    controller, port = start_smtp(inbox)
    with tempfile.TemporaryDirectory(prefix="pregon-bench-bulletins-") as var_dir:
        setup_django(args, var_dir, port)
        from pregon.bulletins import distribution

        sent = seed(args.recipients)
        cpu, wall = time.process_time(), time.perf_counter()
        counts = distribution.send_pending(sent.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sent.refresh_from_db()
        summary = distribution.status_summary(sent)
    controller.stop()
    per_rcpt = Counter(inbox.rcpts)
    ok = len(per_rcpt) == args.recipients and set(per_rcpt.values()) == {1}
    print(f"recipients: {args.recipients}; sent: {counts['enviado']}; status: {summary}")
    print(f"messages received by SMTP: {len(inbox.rcpts)} ({inbox.bytes / 1e6:.1f} MB)")
    print(f"wall: {wall:.1f} s; CPU: {cpu:.1f} s; {args.recipients / wall:.0f} messages/s")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print("exactly one message per recipient:", "yes" if ok else "NO")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
