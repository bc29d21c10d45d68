"""Survey benchmark: weight of the public answering page, time to accept one answer
sheet end to end (HTTP POST through Django, validation, storage), and time to compute
full results (counts, Wilson intervals, CSAT, NPS) over many stored responses.

    .venv/bin/python benchmarks/surveys_answer.py [--posts 300] [--responses 20000]

Runs against a throw-away SQLite database (WAL, as shipped) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijkl")
    os.environ.setdefault("PREGON_HTTPS", "false")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_survey():
    import io

    from pregon.surveys import demo
    from pregon.surveys.models import Survey

    demo.load(io.StringIO())  # 320 answers, 2023
    survey = Survey.objects.get(slug="satisfaccion-2023")
    Survey.objects.filter(pk=survey.pk).update(closes_on="2999-12-31")
    survey.refresh_from_db()
    return survey


def bench_posts(survey, posts: int) -> list[float]:
    from django.core.cache import cache
    from django.test import Client

    q = {x.position: x.field_name for x in survey.questions.all()}
    body = {
        q[1]: ["Facebook", "Perifoneo o radio"],
        q[2]: "4",
        q[3]: "9",
        q[4]: "sí",
        q[5]: "Predial",
        q[6]: "Seguridad",
        q[7]: "Gracias",
    }
    times = []
    for i in range(posts):
        client = Client(REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}")
        cache.clear()
        start = time.perf_counter()
        response = client.post(f"/encuestas/r/{survey.slug}/", body)
        times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.content.decode()
    return times


def grow(survey, responses: int) -> None:
    from pregon.surveys.models import Answer, Response

    template = list(
        Answer.objects.filter(response__survey=survey).values_list(
            "response_id", "question_id", "value"
        )
    )
    by_response: dict[int, list[tuple[int, str]]] = {}
    for rid, qid, value in template:
        by_response.setdefault(rid, []).append((qid, value))
    sheets = list(by_response.values())
    days = list(Response.objects.filter(survey=survey).values_list("submitted_on", flat=True))
    missing = responses - Response.objects.filter(survey=survey).count()
    for start in range(0, missing, 2000):
        batch = [
            Response(survey=survey, submitted_on=days[(start + i) % len(days)])
            for i in range(min(2000, missing - start))
        ]
        Response.objects.bulk_create(batch)
        Answer.objects.bulk_create(
            Answer(response=r, question_id=qid, value=v)
            for i, r in enumerate(batch)
            for qid, v in sheets[(start + i) % len(sheets)]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--responses", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.test import Client

        from pregon.surveys.selectors import survey_results

        survey = make_survey()
        page = Client().get(f"/encuestas/r/{survey.slug}/")
        css = (ROOT / "static/surveys/public.css").stat().st_size
        print(f"public page: {len(page.content)} bytes HTML + {css} bytes CSS, no JS file")
        times = bench_posts(survey, args.posts)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"answer POST: median {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms over {args.posts} submissions"
        )
        grow(survey, args.responses)
        start = time.perf_counter()
        result = survey_results(survey)
        elapsed = time.perf_counter() - start
        print(
            f"survey_results: {result['n']} responses in {elapsed * 1000:.0f} ms "
            f"(CSAT {result['csat']['score']:.1f} %, NPS {result['nps']['score']:.1f})"
        )


if __name__ == "__main__":
    main()
