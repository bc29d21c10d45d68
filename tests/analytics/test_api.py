"""The audience API: figures per account, post and page; purpose rules; uploads of
exports and access logs with the same validation as the command. Who may do what."""

import csv
import gzip
import io
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from pregon.analytics.models import (
    AccountMetric,
    DailyVisitor,
    ImportState,
    PageVisitDay,
    PostMetric,
    Purpose,
    PurposeRule,
    WebLogImport,
)
from pregon.core.models import AuditEntry

from .test_weblog_import import independent_count

FB = "facebook_posts_es.csv"
APACHE = "elastic-examples/apache_logs.gz"


@pytest.fixture
def figures(accounts):
    fb = accounts["fb"]
    for day, followers in ((date(2023, 3, 1), 7000), (date(2023, 3, 2), 7100)):
        AccountMetric.objects.create(
            account=fb, date=day, followers=followers, reach=500, source="csv"
        )
    AccountMetric.objects.create(account=fb, date=date(2023, 4, 1), followers=7300, source="csv")
    for n, likes in enumerate((30, 120, 250)):
        PostMetric.objects.create(
            account=fb,
            remote_id=f"p{n}",
            published_at=datetime(2023, 3, 1 + n, 12, tzinfo=UTC),
            snapshot_at=datetime(2023, 3, 10, tzinfo=UTC),
            reactions=likes,
            comments=n,
            source="csv",
        )
    PageVisitDay.objects.create(
        date=date(2023, 3, 1), path="/tramites/agua", purpose="tramites", visits=7
    )
    PageVisitDay.objects.create(date=date(2023, 3, 2), path="/", purpose="otros", visits=3)
    return accounts


def test_anonymous_gets_401(api_client, db):
    for url in (
        "/api/v1/analytics/accounts",
        "/api/v1/analytics/portal",
        "/api/v1/analytics/purpose-rules",
    ):
        response = api_client().get(url)
        assert response.status_code == 401
        assert "autenticación" in response.json()["detail"]


def test_enlace_gets_403_everywhere(api_client, ricardo, figures):
    client = api_client(ricardo)
    fb = figures["fb"].pk
    for url in (
        "/api/v1/analytics/accounts",
        f"/api/v1/analytics/accounts/{fb}/metrics",
        "/api/v1/analytics/posts",
        "/api/v1/analytics/portal",
        "/api/v1/analytics/purpose-rules",
        "/api/v1/analytics/imports/weblogs",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"] == "No tiene permiso para realizar esta acción."
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    assert client.post("/api/v1/analytics/imports/metrics", {"file": upload}).status_code == 403
    assert PostMetric.objects.count() == 3


def test_account_metrics_for_a_date_range(api_client, pedro, figures):
    fb = figures["fb"]
    client = api_client(pedro)
    listed = client.get("/api/v1/analytics/accounts").json()["items"]
    assert listed == [
        {
            "id": fb.pk,
            "name": fb.name,
            "kind": fb.kind,
            "followers": 7300,
            "followers_date": "2023-04-01",
        }
    ]
    body = client.get(
        f"/api/v1/analytics/accounts/{fb.pk}/metrics", {"start": "2023-03-01", "end": "2023-03-31"}
    ).json()
    assert [d["date"] for d in body["days"]] == ["2023-03-01", "2023-03-02"]
    # The account against its own first figure of the range, never the plan's 6,900.
    assert body["baseline_followers"] == 7000
    assert body["growth_rate"] == pytest.approx((7100 - 7000) / 7000 * 100, abs=0.01)
    assert "su propia primera cifra" in body["definitions"]["growth"]
    wrong = client.get(
        f"/api/v1/analytics/accounts/{fb.pk}/metrics", {"start": "2023-04-01", "end": "2023-03-01"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"]["start"] == ["La fecha inicial es posterior a la final."]


def test_top_posts_and_band(api_client, pedro, figures):
    posts = (
        api_client(pedro)
        .get("/api/v1/analytics/posts", {"start": "2023-03-01", "end": "2023-03-31", "limit": 2})
        .json()["items"]
    )
    assert [p["remote_id"] for p in posts] == ["p2", "p1"]
    assert [p["interactions"] for p in posts] == [252, 121]
    assert [p["in_band"] for p in posts] == [False, True]


def test_metrics_per_delivery(api_client, pedro, jorge, figures):
    from django.utils import timezone

    from pregon.publishing.models import Delivery, Publication, Variant

    fb = figures["fb"]
    publication = Publication.objects.create(title="Salud", text="Jornada", author=jorge)
    variant = Variant.objects.create(publication=publication, account=fb)
    delivery = Delivery.objects.create(
        variant=variant, account=fb, scheduled_at=timezone.now(), remote_id="p1"
    )
    PostMetric.objects.filter(remote_id="p1").update(delivery=delivery)
    body = (
        api_client(pedro).get(f"/api/v1/analytics/deliveries/{delivery.pk}/metrics").json()["items"]
    )
    assert [p["remote_id"] for p in body] == ["p1"] and body[0]["delivery"] == delivery.pk
    assert body[0]["reactions"] == 120
    assert api_client(pedro).get("/api/v1/analytics/deliveries/999999/metrics").status_code == 404


def test_portal_visits_by_purpose_and_top_pages(api_client, pedro, figures):
    body = (
        api_client(pedro)
        .get("/api/v1/analytics/portal", {"start": "2023-03-01", "end": "2023-03-31"})
        .json()
    )
    assert body["visits"] == 10
    assert {p["purpose"]: p["visits"] for p in body["by_purpose"]} == {
        "programas": 0,
        "tramites": 7,
        "temas": 0,
        "otros": 3,
    }
    assert body["top_pages"][0] == {"path": "/tramites/agua", "purpose": "tramites", "visits": 7}


def test_purpose_rules_read_for_consulta_write_for_coordinacion(
    api_client, mariana, pedro, figures
):
    PageVisitDay.objects.create(
        date=date(2023, 3, 3), path="/programas/becas", purpose="otros", visits=4
    )
    PurposeRule.objects.create(prefix="/tramites/", purpose=Purpose.PROCEDURES)
    reader = api_client(pedro)
    assert [r["prefix"] for r in reader.get("/api/v1/analytics/purpose-rules").json()["items"]] == [
        "/tramites/"
    ]
    denied = reader.post(
        "/api/v1/analytics/purpose-rules",
        {"prefix": "/programas/", "purpose": "programas"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    writer = api_client(mariana)
    saved = writer.post(
        "/api/v1/analytics/purpose-rules",
        {"prefix": "/programas/", "purpose": "programas"},
        content_type="application/json",
    ).json()
    assert saved["reclassified"] == 1 and saved["rule"]["label"] == "Programas de atención"
    assert PageVisitDay.objects.get(path="/programas/becas").purpose == Purpose.PROGRAMS
    assert AuditEntry.objects.filter(verb="analytics.rule_saved").count() == 1
    bad = writer.post(
        "/api/v1/analytics/purpose-rules",
        {"prefix": "programas", "purpose": "nada"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["prefix"] == ["El prefijo debe empezar con «/»."]
    assert PurposeRule.objects.count() == 2
    rule = PurposeRule.objects.get(prefix="/programas/")
    assert writer.delete(f"/api/v1/analytics/purpose-rules/{rule.pk}").status_code == 204
    assert PageVisitDay.objects.get(path="/programas/becas").purpose == Purpose.OTHER


def test_metrics_upload_imports_and_reimport_changes_nothing(api_client, mariana, accounts, export):
    client = api_client(mariana)
    data = export(FB).read_bytes()
    first = client.post("/api/v1/analytics/imports/metrics", {"file": SimpleUploadedFile(FB, data)})
    assert first.status_code == 200
    with open(export(FB), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert first.json()["created"] == len(rows) == PostMetric.objects.count()
    assert PostMetric.objects.aggregate(n=Sum("reactions"))["n"] == sum(
        int(r["Reacciones"]) for r in rows
    )
    again = client.post("/api/v1/analytics/imports/metrics", {"file": SimpleUploadedFile(FB, data)})
    assert again.json()["unchanged"] == len(rows) and again.json()["created"] == 0
    assert PostMetric.objects.count() == len(rows)


def test_bad_metrics_upload_is_refused_and_changes_nothing(api_client, mariana, accounts, export):
    client = api_client(mariana)
    with open(export(FB), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[3][rows[0].index("Reacciones")] = "muchos"  # the fourth line of the file
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("malo.csv", out.getvalue().encode())
    response = client.post("/api/v1/analytics/imports/metrics", {"file": upload})
    assert response.status_code == 422, response.content
    message = response.json()["errors"]["file"][0]
    assert message == "malo.csv, línea 4: columna «Reacciones»: «muchos» no es un número"
    assert PostMetric.objects.count() == 0
    unknown = SimpleUploadedFile("otro.csv", b"Fecha,Seguidores\n2023-01-01,5\n")
    response = client.post("/api/v1/analytics/imports/metrics", {"file": unknown})
    assert response.status_code == 422
    assert "faltan las columnas" in response.json()["errors"]["file"][0]


def test_weblog_upload_is_imported_by_the_worker(
    api_client, mariana, weblog, django_capture_on_commit_callbacks
):
    client = api_client(mariana)
    data = weblog(APACHE).read_bytes()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/api/v1/analytics/imports/weblogs",
            {"file": SimpleUploadedFile("apache_logs.gz", data)},
        )
    assert response.status_code == 202
    job = response.json()
    assert job["state"] == ImportState.PENDING and job["size"] == len(data)
    assert WebLogImport.objects.get().staged  # kept for the worker
    # One import task is queued for the commit (besides dropping cached figures).
    imports = [callback for callback in queued if "enqueue_weblog_import" in callback.__qualname__]
    assert len(imports) == 1
    imports[0]()  # the commit enqueues the task; the test backend runs it right away
    status = client.get(f"/api/v1/analytics/imports/weblogs/{job['id']}").json()
    assert status["state"] == ImportState.DONE and status["percent"] == 100
    assert status["lines_done"] == 10000
    visits = sum(independent_count(weblog(APACHE))[0].values())
    assert status["visits"] == PageVisitDay.objects.aggregate(n=Sum("visits"))["n"] == visits
    assert DailyVisitor.objects.exists()
    imp = WebLogImport.objects.get()
    assert not imp.staged  # the uploaded copy is removed once imported
    # The same log again counts nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            "/api/v1/analytics/imports/weblogs", {"file": SimpleUploadedFile("otra-vez.gz", data)}
        )
    assert again.status_code == 202 and again.json()["id"] == job["id"]
    assert WebLogImport.objects.get().state == ImportState.DONE
    assert WebLogImport.objects.get().visits == status["visits"]
    assert client.get("/api/v1/analytics/imports/weblogs").json()["items"][0]["id"] == job["id"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vacio.log", b"", "vacio.log: el archivo está vacío."),
        ("foto.log", b"\x89PNG\r\n\x1a\n\x00\x00", "foto.log: no es un archivo de texto"),
        (
            "notas.log",
            b"hola\nesto no es una bitacora\n",
            "notas.log, línea 1: no tiene el formato",
        ),
        ("roto.gz", b"\x1f\x8b\x08\x00roto", "roto.gz: el archivo .gz está dañado"),
    ],
)
def test_bad_weblog_upload_is_refused(api_client, mariana, name, content, message):
    response = api_client(mariana).post(
        "/api/v1/analytics/imports/weblogs", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0].startswith(message)
    assert WebLogImport.objects.count() == 0 and PageVisitDay.objects.count() == 0


def test_consulta_cannot_upload(api_client, pedro, weblog):
    data = gzip.decompress(weblog(APACHE).read_bytes())[:5000]
    response = api_client(pedro).post(
        "/api/v1/analytics/imports/weblogs", {"file": SimpleUploadedFile("a.log", data)}
    )
    assert response.status_code == 403
    assert WebLogImport.objects.count() == 0


def test_openapi_lists_the_audience_endpoints(client, db):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert "/api/v1/analytics/imports/weblogs" in spec["paths"]
    assert "/api/v1/analytics/accounts/{account_id}/metrics" in spec["paths"]
