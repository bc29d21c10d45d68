"""Every main page does a bounded number of SQL queries, whatever the data.

Each page is opened with 5 rows of everything (publications with variants and
deliveries, activities with coverage, archive assets, bulletins, daily metrics: the
benchmark's own builder, benchmarks/scale_data.py), then with 50: the number of
queries must not change, and must stay under the page's budget.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.scale_data import Sizes, build

# (role, URL, budget). The budget leaves a little room; the growth check is exact.
STAFF_PAGES = [
    ("coordinacion", "/", 45),
    ("redaccion", "/", 30),
    ("diseno", "/", 25),
    ("fotografia", "/", 25),
    ("enlace", "/", 25),
    ("presidencia", "/", 25),
    ("consulta", "/", 35),
    ("coordinacion", "/publicaciones/", 20),
    ("coordinacion", "/publicaciones/?estado=publicada&pagina=2", 20),
    ("coordinacion", "/publicaciones/calendario/", 20),
    ("coordinacion", "/publicaciones/hoy/", 20),
    ("coordinacion", "/publicaciones/envios/", 20),
    ("coordinacion", "/agenda/", 20),
    ("coordinacion", "/agenda/vista/mes/", 20),
    ("coordinacion", "/agenda/vista/semana/", 20),
    ("coordinacion", "/agenda/vista/lista/", 20),
    ("enlace", "/agenda/vista/mes/", 20),
    ("coordinacion", "/agenda/jerarquizacion/", 20),
    ("coordinacion", "/agenda/cobertura/", 20),
    ("coordinacion", "/agenda/campanas/", 20),
    ("coordinacion", "/archivo/", 20),
    ("coordinacion", "/archivo/?q=calles", 20),
    ("coordinacion", "/archivo/hemeroteca/", 20),
    ("coordinacion", "/boletines/", 20),
    ("coordinacion", "/boletines/transmisiones/", 20),
    ("coordinacion", "/audiencias/", 25),
    ("coordinacion", "/audiencias/portal/", 20),
    ("coordinacion", "/metas/", 25),
    ("coordinacion", "/encuestas/", 20),
    ("coordinacion", "/evaluacion/", 20),
    ("coordinacion", "/cumplimiento/", 20),
    ("coordinacion", "/diseno/", 20),
]
# The archive search on PostgreSQL walks the newest rows first and adds up to two
# queries depending on how dense the matches are (archive/search/plans.py: walk, widen, sorted):
# bounded by the plan, not by the number of rows.
ADAPTIVE = {"/archivo/?q=calles": 2}
PUBLIC_PAGES = [
    ("/boletines/sala-de-prensa/", 12),
    ("/boletines/sala-de-prensa/?q=calles", 12),
    ("/boletines/sala-de-prensa/rss/", 8),
    ("/boletines/sala-de-prensa/atom/", 8),
    ("/boletines/sala-de-prensa/sitemap.xml", 8),
    ("/boletines/sala-de-prensa/agenda/", 10),
    ("/agenda/publica.ics", 6),
]


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()  # measure the work of building the page, not a cache hit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grows(client, url: str) -> tuple[int, int]:
    build(Sizes.rows(5))
    _queries(client, url)  # the first visit may create one-off rows (settings)
    few = _queries(client, url)
    build(Sizes.rows(45))
    return few, _queries(client, url)


@pytest.mark.parametrize(("role", "url", "budget"), STAFF_PAGES)
def test_staff_page_queries_do_not_grow(client, person, role, url, budget):
    client.force_login(person(f"persona-{role}", role, area="OPDU"))
    few, many = _grows(client, url)
    slack = ADAPTIVE.get(url, 0) if connection.vendor == "postgresql" else 0
    assert few <= many <= few + slack, f"{url} ({role}): {few} consultas con 5 filas, {many} con 50"
    assert many <= budget, f"{url} ({role}): {many} consultas, presupuesto {budget}"


@pytest.mark.parametrize(("url", "budget"), PUBLIC_PAGES)
def test_public_page_queries_do_not_grow(client, person, url, budget):
    person("autor", "redaccion", area="OPDU")
    few, many = _grows(client, url)
    assert many == few, f"{url}: {few} consultas con 5 filas, {many} con 50"
    assert many <= budget, f"{url}: {many} consultas, presupuesto {budget}"


def test_survey_answering_page_queries_do_not_grow(client, db):
    from pregon.surveys.models import Question, Survey

    survey = Survey.objects.create(
        slug="satisfaccion", title="Encuesta", opens_on="2020-01-01", closes_on="2100-01-01"
    )
    counts = []
    for n in (5, 50):
        for i in range(len(counts) * 5, n):
            Question.objects.create(survey=survey, position=i, kind="short", text=f"P{i}")
        counts.append(_queries(client, f"/encuestas/r/{survey.slug}/"))
    assert counts[0] == counts[1] <= 6
