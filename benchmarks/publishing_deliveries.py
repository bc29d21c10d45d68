"""1,000 deliveries due at the same moment across 5 channel accounts served by local
fakes (Graph, X, WordPress) with 50 ms latency. Real worker processes run the engine;
optionally one is killed with SIGKILL halfway and a new one started. Prints how long
until everything is out, and checks that no post was made twice and none was lost.

    .venv/bin/python benchmarks/publishing_deliveries.py                  # SQLite, 1 worker
    .venv/bin/python benchmarks/publishing_deliveries.py --kill
    .venv/bin/python benchmarks/publishing_deliveries.py --workers 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/pregon_bench_publishing --kill
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PREFIX = "Bench"
WP_PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"  # noqa: S105 - fake servers only


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--kill", action="store_true", help="SIGKILL a worker halfway")
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite file if empty")
    parser.add_argument("--stale-seconds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="run the workers under cProfile, print the top"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def environment(args: argparse.Namespace, var_dir: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="pregon.settings", PREGON_VAR_DIR=var_dir)
    env["PREGON_DELIVERY_STALE_SECONDS"] = str(args.stale_seconds)
    env["PREGON_TASKS_BACKEND"] = "immediate"
    env["DATABASE_URL"] = args.database_url
    if args.profile:
        env["PREGON_BENCH_PROFILE"] = str(Path(var_dir) / "worker-{pid}.prof")
    return env


# --- the worker process ------------------------------------------------------------


def run_worker() -> None:
    """Loop the engine until no bench delivery is open (what `pregon worker` does every
    minute, without waiting for the minute)."""
    import django

    django.setup()
    from pregon.publishing import engine
    from pregon.publishing.models import Delivery, DeliveryStatus

    open_ = [
        DeliveryStatus.PENDIENTE,
        DeliveryStatus.ENVIANDO,
        DeliveryStatus.INCIERTA,
        DeliveryStatus.RETENIDA,
    ]
    worker = engine.new_worker_id()
    while True:
        counts = engine.publish_due(worker=worker, limit=200)
        if not Delivery.objects.filter(status__in=open_).exists():
            return
        if not counts:
            time.sleep(0.3)


# --- the parent: fakes, data, workers, checks --------------------------------------


def start_fakes(latency: float):
    from tests.publishing.fakes import GraphFake, WordPressFake, XFake

    graph, x = GraphFake(latency).start(), XFake(latency).start()
    portals = [WordPressFake(latency).start(), WordPressFake(latency).start()]
    graph.add_page("111", "H. Ayuntamiento", token="tok-111")  # noqa: S106
    graph.add_page("222", "Presidenta Municipal", token="tok-222")  # noqa: S106
    x.add_user("42", "Lauramaliagm", access_token="at-1", refresh_token="rt-1")  # noqa: S106
    for wp in portals:
        wp.add_user("comunicacion", WP_PASSWORD)
    return graph, x, portals


def account_specs(graph, x, portals) -> list[tuple]:
    wp_creds = {"username": "comunicacion", "application_password": WP_PASSWORD}
    return [
        ("facebook_page", "111", graph.url, {"access_token": "tok-111"}),
        ("facebook_page", "222", graph.url, {"access_token": "tok-222"}),
        ("x", "42", x.url, {"access_token": "at-1", "refresh_token": "rt-1", "client_id": "b"}),
        *[("wordpress", "", wp.url, wp_creds) for wp in portals],
    ]


def prepare(env: dict, specs: list[tuple], deliveries: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    from pregon.accounts.models import User
    from pregon.publishing.models import (
        ChannelAccount,
        Delivery,
        Publication,
        PublicationStatus,
        Variant,
    )

    Publication.objects.filter(title__startswith=PREFIX).delete()
    ChannelAccount.objects.filter(name__startswith=PREFIX).delete()
    author, _ = User.objects.get_or_create(username="bench-redaccion")
    accounts = [
        ChannelAccount.objects.create(
            name=f"{PREFIX} {n}",
            kind=kind,
            external_id=ext,
            base_url=url,
            credentials=json.dumps(creds),
        )
        for n, (kind, ext, url, creds) in enumerate(specs)
    ]
    now = timezone.now()
    for n in range(deliveries // len(accounts)):
        publication = Publication.objects.create(
            title=f"{PREFIX} {n}",
            text=f"Aviso municipal número {n} de la prueba de carga.",
            author=author,
            status=PublicationStatus.PROGRAMADA,
            scheduled_at=now,
        )
        variants = Variant.objects.bulk_create(
            [Variant(publication=publication, account=a) for a in accounts]
        )
        Delivery.objects.bulk_create(
            [Delivery(variant=v, account=v.account, scheduled_at=now) for v in variants]
        )


def published_count() -> int:
    from pregon.publishing.models import Delivery

    return Delivery.objects.filter(account__name__startswith=PREFIX, status="publicada").count()


def spawn(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )


def run_workers(args, env: dict, total: int) -> tuple[float, int]:
    started = time.monotonic()
    workers = [spawn(env) for _ in range(args.workers)]
    killed = 0
    while any(w.poll() is None for w in workers):
        time.sleep(0.2)
        if args.kill and not killed and published_count() >= total // 2:
            workers[0].send_signal(signal.SIGKILL)  # mid-run, mid-delivery most likely
            workers[0].wait()
            workers.append(spawn(env))
            killed = 1
        if time.monotonic() - started > 900:
            raise SystemExit("más de 15 minutos: algo se atoró")
    return time.monotonic() - started, killed


def check(graph, x, portals) -> dict:
    """Every post the fakes received, by (account, text): more than one is a double."""
    from pregon.publishing.models import Delivery

    seen: Counter = Counter()
    for post_id, post in graph.posts.items():
        seen[("fb", post_id.split("_")[0], post["message"])] += 1
    for tweet in x.tweets.values():
        seen[("x", tweet["text"])] += 1
    for n, wp in enumerate(portals):
        for post in wp.posts.values():
            seen[("wp", n, json.dumps(post.get("title"), sort_keys=True))] += 1
    statuses = Counter(
        Delivery.objects.filter(account__name__startswith=PREFIX).values_list("status", flat=True)
    )
    return {
        "posts_received": sum(seen.values()),
        "posted_twice": sum(1 for n in seen.values() if n > 1),
        "statuses": dict(statuses),
    }


def _profiled(function) -> None:
    import cProfile

    with cProfile.Profile() as profile:
        function()
    profile.dump_stats(os.environ["PREGON_BENCH_PROFILE"].format(pid=os.getpid()))


def print_profile(var_dir: str) -> None:
    import pstats

    files = [str(p) for p in Path(var_dir).glob("worker-*.prof")]
    if files:
        pstats.Stats(*files).sort_stats("cumulative").print_stats(25)


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    args = parse()
    if args.worker:
        return _profiled(run_worker) if os.environ.get("PREGON_BENCH_PROFILE") else run_worker()
    var_dir = tempfile.mkdtemp(prefix="pregon-bench-")
    env = environment(args, var_dir)
    graph, x, portals = start_fakes(args.latency)
    try:
        prepare(env, account_specs(graph, x, portals), args.deliveries)
        total = args.deliveries // 5 * 5
        load_before = os.getloadavg()[0]
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, killed = run_workers(args, env, total)
        workers_cpu = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(children_before)
        fakes_cpu = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(own_before)
        load_after = os.getloadavg()[0]
        result = check(graph, x, portals)
    finally:
        for fake in (graph, x, *portals):
            fake.stop()
    published = result["statuses"].get("publicada", 0)
    summary = {
        "database": "postgresql" if args.database_url else "sqlite",
        "workers": args.workers,
        "deliveries": total,
        "latency_ms": int(args.latency * 1000),
        "seconds": round(seconds, 1),
        "per_second": round(total / seconds, 1),
        # The box is shared: CPU actually used and the load say how much of the
        # wall-clock time was waiting for a core.
        "workers_cpu_s": round(workers_cpu, 1),
        "cpu_ms_per_delivery": round(workers_cpu * 1000 / total, 1),
        "fakes_cpu_s": round(fakes_cpu, 1),
        "load_avg_1m": f"{load_before:.1f} → {load_after:.1f}",
        "worker_killed": bool(killed),
        "published": published,
        "lost": total - published,
        **result,
    }
    if args.profile:
        print_profile(var_dir)
    ok = summary["posted_twice"] == 0 and summary["lost"] == 0
    summary["ok"] = ok and summary["posts_received"] == total
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>16}: {value}")
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
