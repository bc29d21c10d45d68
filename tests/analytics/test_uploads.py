"""The dashboard's upload page: metric exports imported at once, access logs handed to
the worker with their progress shown; the same Spanish messages as the command."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from pregon.analytics.models import ImportState, PageVisitDay, PostMetric, WebLogImport

from .test_weblog_import import independent_count

FB = "facebook_posts_es.csv"
APACHE = "elastic-examples/apache_logs.gz"
URL = "/audiencias/importar/"


def test_metrics_export_uploaded_from_the_page(client, mariana, accounts, export):
    client.force_login(mariana)
    upload = SimpleUploadedFile(FB, export(FB).read_bytes())
    response = client.post(URL, {"kind": "metrics", "cifras-file": upload}, follow=True)
    with open(export(FB), encoding="utf-8-sig", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert PostMetric.objects.count() == rows
    assert f"Meta Business Suite · Facebook → Facebook · Ayuntamiento: {rows} publicaciones" in (
        response.content.decode()
    )


def test_bad_export_shows_where_and_changes_nothing(client, mariana, accounts, export):
    client.force_login(mariana)
    with open(export(FB), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][rows[0].index("Comentarios")] = "doce"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("malo.csv", out.getvalue().encode())
    response = client.post(URL, {"kind": "metrics", "cifras-file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "No se importó nada" in page
    assert "malo.csv, línea 3: columna «Comentarios»: «doce» no es un número" in page
    assert PostMetric.objects.count() == 0


def test_access_log_goes_to_the_worker_and_shows_progress(
    client, mariana, weblog, django_capture_on_commit_callbacks
):
    client.force_login(mariana)
    upload = SimpleUploadedFile("apache_logs.gz", weblog(APACHE).read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "weblog", "bitacora-file": upload}, follow=True)
    page = response.content.decode()
    assert "Bitácora «apache_logs.gz» recibida; se importa en segundo plano." in page
    imp = WebLogImport.objects.get()
    assert imp.state == ImportState.DONE and imp.lines_done == 10000
    visits = sum(independent_count(weblog(APACHE))[0].values())
    assert imp.visits == PageVisitDay.objects.aggregate(n=Sum("visits"))["n"] == visits
    assert "En espera" in page and "hx-get" in page  # the page polls until it is done
    page = client.get(URL).content.decode()
    assert "Terminada" in page and 'value="100"' in page
    assert "hx-get" not in page  # nothing left to poll


def test_status_polls_while_a_log_is_in_progress(client, mariana, db):
    WebLogImport.objects.create(
        fingerprint="f" * 64, name="grande.log", state=ImportState.RUNNING, size=1000, position=500
    )
    client.force_login(mariana)
    fragment = client.get("/audiencias/importar/estado/").content.decode()
    assert 'hx-get="/audiencias/importar/estado/"' in fragment
    assert "Procesando" in fragment and 'value="50"' in fragment


def test_not_a_log_is_refused_in_spanish(client, mariana, db):
    client.force_login(mariana)
    upload = SimpleUploadedFile("notas.txt", b"Lista de pendientes\nllamar al DIF\n")
    response = client.post(URL, {"kind": "weblog", "bitacora-file": upload})
    assert response.status_code == 422
    assert "notas.txt, línea 1: no tiene el formato de una bitácora de acceso" in (
        response.content.decode()
    )
    assert WebLogImport.objects.count() == 0


def test_only_coordinacion_uploads(client, pedro, ricardo, db):
    for user in (pedro, ricardo):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        upload = SimpleUploadedFile("a.log", b"x")
        assert client.post(URL, {"kind": "weblog", "bitacora-file": upload}).status_code == 403


def test_a_failed_worker_import_is_shown_with_its_error(client, mariana, weblog):
    import os

    import pytest

    from pregon.analytics.services import run_staged_weblog, stage_weblog

    upload = SimpleUploadedFile("apache_logs.gz", weblog(APACHE).read_bytes())
    imp = stage_weblog(uploaded=upload, user=mariana)  # on_commit never runs in this test
    os.remove(imp.staged.path)  # the staged copy vanished before the worker ran
    with pytest.raises(FileNotFoundError):
        run_staged_weblog(imp.pk)
    imp.refresh_from_db()
    assert imp.state == ImportState.FAILED and "FileNotFoundError" in imp.error
    client.force_login(mariana)
    page = client.get(URL).content.decode()
    assert "Falló" in page and "FileNotFoundError" in page
    assert PageVisitDay.objects.count() == 0
