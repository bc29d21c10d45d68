"""1,000 deliveries due at the same moment over five kinds (Facebook text, Facebook
photo, Instagram, X, the portal), 200 each, against local fakes (Graph, X,
WordPress) with 50 ms per call and Instagram containers ready 2 s after creation.
Real worker processes run the engine's loop (`worker.run_forever`, as `pregon worker`
does). With --faults: 4 SIGKILLs of a worker (each restarted) and 5 s windows of
HTTP 500, 429 and «accept the post, never answer». Prints the time until everything
is settled, counted from the moment all come due with the workers already running
and warm (their start-up is printed apart), and checks: no post twice, none lost, no
status disagreement.

    .venv/bin/python benchmarks/publishing_deliveries.py                  # SQLite, 1 worker
    .venv/bin/python benchmarks/publishing_deliveries.py --workers 2
    .venv/bin/python benchmarks/publishing_deliveries.py --workers 2 --faults
    .venv/bin/python benchmarks/publishing_deliveries.py --workers 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/pregon_bench_publishing --faults
    .venv/bin/python benchmarks/publishing_deliveries.py --workers 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/pregon_bench_publishing \\
        --redis-url redis://127.0.0.1:6379/7          # PostgreSQL + RQ
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
from datetime import timedelta
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
    parser.add_argument(
        "--faults", action="store_true", help="4 worker kills and 500/429/no-answer windows"
    )
    parser.add_argument("--container-seconds", type=float, default=2.0)
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite file if empty")
    parser.add_argument(
        "--redis-url", default="", help="tasks through RQ and the cache in Redis (as in production)"
    )
    parser.add_argument("--lease-seconds", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="run the workers under cProfile, print the top"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def environment(args: argparse.Namespace, var_dir: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="pregon.settings", PREGON_VAR_DIR=var_dir)
    env["PREGON_DELIVERY_LEASE_SECONDS"] = str(args.lease_seconds)
    # Byte-compiled modules, as an installed deployment has them: without, every worker
    # process compiles the project's source at its start (≈ 0.5 s of CPU each here),
    # which is not delivering. Kept out of the checkout, shared by later runs.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "pregon-bench-pycache")
    # The engine's follow-up tasks (notifications) run inline, or go to Redis through RQ
    # as `pregon worker` would take them with REDIS_URL set.
    env["PREGON_TASKS_BACKEND"] = "rq" if args.redis_url else "immediate"
    env["REDIS_URL"] = args.redis_url
    env["PREGON_PUBLIC_URL"] = "http://127.0.0.1:9"  # the Graph fake does not fetch here
    env["DATABASE_URL"] = args.database_url
    # Each run has a new var dir (a new SECRET_KEY); one fixed key lets a later run on the
    # same PostgreSQL database read, and delete, the accounts an earlier run left.
    env["PREGON_ENCRYPTION_KEY"] = "benchmark-only-key"  # noqa: S105 - fake servers only
    env["PREGON_BENCH_READY"] = str(Path(var_dir) / "ready")  # one file per warm worker
    Path(env["PREGON_BENCH_READY"]).mkdir()
    if args.profile:
        env["PREGON_BENCH_PROFILE"] = str(Path(var_dir) / "worker-{pid}.prof")
    return env


# --- the worker process ------------------------------------------------------------


def run_worker() -> None:
    """The engine's loop (what `pregon worker` runs beside its queue), stopped once no
    bench delivery is open. Says it is ready (a file) once warm, as a running
    `pregon worker` is when deliveries come due."""
    import threading

    import django

    django.setup()
    from pregon.publishing import engine, worker

    engine.warm_up()
    Path(os.environ["PREGON_BENCH_READY"], str(os.getpid())).touch()
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_forever, kwargs={"stop": stop, "idle": 0.2})
    loop.start()
    while not stop.wait(0.5):
        if settled():
            stop.set()  # what is left uncertain waits for a person
    loop.join()


def settled() -> bool:
    """No bench delivery waits to be sent or checked by the engine itself."""
    from pregon.publishing import engine
    from pregon.publishing.deliveries import OPEN_DELIVERY_STATUSES
    from pregon.publishing.models import Delivery

    waiting = [s for s in OPEN_DELIVERY_STATUSES if s != "incierta"]
    busy = Delivery.objects.filter(status__in=waiting).exists()
    return not busy and not engine.awaiting_automatic_check().exists()


# --- the parent: fakes, data, workers, checks --------------------------------------


KINDS = ("facebook_text", "facebook_photo", "instagram", "x", "wordpress")


def start_fakes(args):
    from tests.publishing.fakes import GraphFake, WordPressFake, XFake

    graph, x, wp = GraphFake(args.latency), XFake(args.latency), WordPressFake(args.latency)
    for fake in (graph, x, wp):
        fake.start()
    graph.add_page("111", "H. Ayuntamiento", token="tok-111")  # noqa: S106
    graph.add_page("222", "Presidenta Municipal", token="tok-222")  # noqa: S106
    graph.add_instagram("178", "chapultepec.gob", token="tok-178")  # noqa: S106
    graph.container_seconds = args.container_seconds
    graph.quota_total = 10_000
    x.add_user("42", "Lauramaliagm", access_token="at-1", refresh_token="rt-1")  # noqa: S106
    wp.add_user("comunicacion", WP_PASSWORD)
    return graph, x, wp


def account_specs(graph, x, wp) -> dict[str, tuple]:
    wp_creds = {"username": "comunicacion", "application_password": WP_PASSWORD}
    return {
        "facebook_text": ("facebook_page", "111", graph.url, {"access_token": "tok-111"}),
        "facebook_photo": ("facebook_page", "222", graph.url, {"access_token": "tok-222"}),
        "instagram": ("instagram", "178", graph.url, {"access_token": "tok-178"}),
        "x": ("x", "42", x.url, {"access_token": "at-1", "refresh_token": "rt-1"}),
        "wordpress": ("wordpress", "", wp.url, wp_creds),
    }


def _photo(var_dir: str) -> str:
    from PIL import Image

    folder = Path(var_dir) / "media" / "publicaciones" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1080, 1350), (20, 80, 140)).save(folder / "foto.jpg", "JPEG", quality=85)
    return "publicaciones/bench/foto.jpg"


def prepare(env: dict, specs: dict, deliveries: int, var_dir: str) -> None:
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
        PublicationMedia,
        PublicationStatus,
        Variant,
    )

    Publication.objects.filter(title__startswith=PREFIX).delete()
    ChannelAccount.objects.filter(name__startswith=PREFIX).delete()
    author, _ = User.objects.get_or_create(username="bench-redaccion")
    photo = _photo(var_dir)
    now = timezone.now() + timedelta(days=1)  # due only once the workers are up: come_due()
    for kind, (network, ext, url, creds) in specs.items():
        account = ChannelAccount.objects.create(
            name=f"{PREFIX} {kind}",
            kind=network,
            external_id=ext,
            base_url=url,
            credentials=json.dumps(creds),
        )
        for n in range(deliveries // len(specs)):
            publication = Publication.objects.create(
                title=f"{PREFIX} {kind} {n}",
                text=f"Aviso municipal {kind} número {n} de la prueba de carga.",
                author=author,
                status=PublicationStatus.PROGRAMADA,
                scheduled_at=now,
            )
            variant = Variant.objects.create(publication=publication, account=account)
            if kind in ("facebook_photo", "instagram"):
                media = PublicationMedia.objects.create(
                    publication=publication,
                    file=photo,
                    mime_type="image/jpeg",
                    width=1080,
                    height=1350,
                    size_bytes=1,
                    alt_text="Foto de la prueba de carga",
                )
                variant.media.add(media)
            Delivery.objects.create(variant=variant, account=account, scheduled_at=now)


def published_count() -> int:
    from pregon.publishing.models import Delivery

    return Delivery.objects.filter(account__name__startswith=PREFIX, status="publicada").count()


def spawn(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )


def _fault_plan(fakes) -> list[tuple[float, str, object]]:
    """(share of deliveries published, what) — 4 kills and three 5 s windows."""
    from tests.publishing.fakes import Answer

    graph, x, wp = fakes
    error = Answer(500, {"error": {"code": 2, "message": "Service temporarily unavailable"}})
    limited = {
        graph: Answer(
            400,
            {"error": {"code": 32, "message": "Page request limit reached"}},
            {
                "X-Business-Use-Case-Usage": json.dumps(
                    {"1": [{"estimated_time_to_regain_access": 1}]}
                )
            },
        ),
        x: Answer(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": "0"}),
        wp: Answer(429, {"code": "too_many_requests", "message": "Too many requests."}),
    }

    def window(kind: str):
        def start():
            for fake in fakes:
                if kind == "429":
                    answer = limited[fake]
                    if fake is x:
                        answer.headers["x-rate-limit-reset"] = str(int(time.time()) + 5)
                    if fake is wp:
                        answer.headers["Retry-After"] = "5"
                    fake.window(5.0, answer)
                else:
                    fake.window(5.0, error if kind == "500" else None)

        return start

    return [
        (0.10, "500", window("500")),
        (0.20, "kill", None),
        (0.30, "429", window("429")),
        (0.40, "kill", None),
        (0.50, "no-answer", window("no-answer")),
        (0.60, "kill", None),
        (0.80, "kill", None),
    ]


def come_due() -> None:
    """All bench deliveries due now, at once."""
    from django.utils import timezone

    from pregon.publishing.models import Delivery, Publication

    now = timezone.now()
    Publication.objects.filter(title__startswith=PREFIX).update(scheduled_at=now)
    Delivery.objects.filter(account__name__startswith=PREFIX).update(scheduled_at=now)


def start_workers(args, env: dict) -> tuple[list, float]:
    """The workers, started and warm (as `pregon worker` runs before anything is due);
    how long that took, which is not delivering."""
    started = time.monotonic()
    ready = Path(env["PREGON_BENCH_READY"])
    workers = [spawn(env) for _ in range(args.workers)]
    while len(list(ready.iterdir())) < args.workers:
        if any(w.poll() is not None for w in workers):
            raise SystemExit("un worker terminó antes de estar listo")
        time.sleep(0.05)
    return workers, time.monotonic() - started


def run_workers(args, env: dict, total: int, fakes) -> tuple[float, float, list]:
    """Seconds from the moment all come due until everything is settled; the workers'
    start-up; the faults done, each with its moment."""
    workers, startup = start_workers(args, env)
    come_due()
    started = time.monotonic()
    plan = _fault_plan(fakes) if args.faults else []
    done: list[str] = []
    seconds = None
    while any(w.poll() is None for w in workers):
        time.sleep(0.1)
        if seconds is None and not plan and settled():
            seconds = time.monotonic() - started
        share = published_count() / total
        while plan and share >= plan[0][0]:
            _, what, start = plan.pop(0)
            if what == "kill":
                victim = next(w for w in workers if w.poll() is None)
                victim.send_signal(signal.SIGKILL)  # mid-delivery, most likely
                victim.wait()
                workers.append(spawn(env))
            else:
                start()
            done.append(f"{what}@{round(time.monotonic() - started, 1)}s")
        if time.monotonic() - started > 1800:
            raise SystemExit("más de 30 minutos: algo se atoró")
    return seconds or time.monotonic() - started, startup, done


def check(fakes) -> dict:
    """Copies on the networks per delivery text, against each delivery's status."""
    from pregon.publishing.deliveries import OPEN_DELIVERY_STATUSES
    from pregon.publishing.models import Delivery, Publication

    graph, x, wp = fakes
    copies: Counter = Counter()
    for post in graph.posts.values():
        copies[post["message"]] += 1
    for media in graph.media.values():
        copies[media["caption"]] += 1
    for tweet in x.tweets.values():
        copies[tweet["text"]] += 1
    for post in wp.posts.values():
        copies[post["content"]["raw"]] += 1
    deliveries = Delivery.objects.filter(account__name__startswith=PREFIX).select_related(
        "variant__publication"
    )
    statuses: Counter = Counter()
    lost = disagree = duplicates = 0
    uncertain: list[str] = []
    for delivery in deliveries:
        text = delivery.variant.publication.text
        found = sum(n for key, n in copies.items() if text in key)
        statuses[delivery.status] += 1
        duplicates += found > 1
        if delivery.status == "incierta":
            uncertain.append(delivery.last_error[:120])
            continue
        lost += found == 0 and delivery.status != "publicada"
        disagree += (found == 0) == (delivery.status == "publicada")
    publications = Publication.objects.filter(title__startswith=PREFIX)
    closed_but_scheduled = (
        publications.filter(status="programada")
        .exclude(variants__deliveries__status__in=OPEN_DELIVERY_STATUSES)
        .count()
    )
    return {
        "posts_received": sum(copies.values()),
        "duplicates": duplicates,
        "lost": lost,
        "status_disagreements": disagree + closed_but_scheduled,
        "uncertain_left": len(uncertain),
        "uncertain_reasons": sorted(set(uncertain))[:5],
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
    fakes = start_fakes(args)
    try:
        prepare(env, account_specs(*fakes), args.deliveries, var_dir)
        total = args.deliveries // len(KINDS) * len(KINDS)
        load_before = os.getloadavg()[0]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, startup, faults = run_workers(args, env, total, fakes)
        workers_cpu = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(children_before)
        load_after = os.getloadavg()[0]
        result = check(fakes)
    finally:
        for fake in fakes:
            fake.stop()
    summary = {
        "database": "postgresql" if args.database_url else "sqlite",
        "tasks": "rq" if args.redis_url else "immediate",
        "workers": args.workers,
        "deliveries": total,
        "latency_ms": int(args.latency * 1000),
        "seconds": round(seconds, 1),
        "worker_startup_s": round(startup, 1),
        "per_second": round(total / seconds, 1),
        # The box is shared: CPU actually used and the load say how much of the
        # wall-clock time was waiting for a core.
        "workers_cpu_s": round(workers_cpu, 1),
        "load_avg_1m": f"{load_before:.1f} → {load_after:.1f}",
        "faults": faults,
        **result,
    }
    if args.profile:
        print_profile(var_dir)
    summary["ok"] = (
        summary["duplicates"] == 0 and summary["lost"] == 0 and summary["status_disagreements"] == 0
    )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for key, value in summary.items():
            print(f"{key:>22}: {value}")
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
