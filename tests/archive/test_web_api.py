import datetime as dt
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from pregon.archive.models import Asset, Clipping, IngestItem


@pytest.fixture
def fotografo(person):
    return person("lucia", "fotografia", area="COMSOC")


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_upload_queue_processes_and_rejects_one_by_one(fotografo, data):
    client = logged(fotografo)
    good = SimpleUploadedFile("evento.jpg", (data / "exiftool" / "GPS.jpg").read_bytes())
    bad = SimpleUploadedFile("roto.jpg", b"%PDF-1.5 no es foto")
    for f in (good, bad):
        response = client.post("/archivo/subir/archivo/", {"archivo": f, "lote": "L1"})
        assert response.status_code == 200
    status = client.get("/archivo/subir/estado/", {"lote": "L1"}).json()["archivos"]
    assert [s["estado"] for s in status] == ["listo", "rechazado"]
    assert "PDF" in status[1]["mensaje"]
    asset = Asset.objects.get()
    assert status[0]["archivo"] == asset.pk and asset.created_by == fotografo
    # Staged copies are removed after processing.
    assert all(not i.staged for i in IngestItem.objects.all())
    # Same photo again: refused as a duplicate pointing to the first.
    again = SimpleUploadedFile("copia.jpg", (data / "exiftool" / "GPS.jpg").read_bytes())
    client.post("/archivo/subir/archivo/", {"archivo": again, "lote": "L2"})
    dup = client.get("/archivo/subir/estado/", {"lote": "L2"}).json()["archivos"][0]
    assert dup["estado"] == "rechazado" and dup["duplicado_de"] == asset.pk


def test_pages_and_permissions(fotografo, person, data, ingest):
    asset = ingest(data / "exiftool" / "IPTC.jpg", area=fotografo.area)
    client = logged(fotografo)
    page = client.get("/archivo/", {"q": "witty"})
    assert page.status_code == 200 and "Test IPTC picture" in page.content.decode()
    detail = client.get(f"/archivo/{asset.pk}/").content.decode()
    assert "My Credit" in detail and asset.sha256 in detail
    assert client.get(f"/archivo/{asset.pk}/miniatura.jpg")["Content-Type"] == "image/jpeg"
    response = client.post(
        f"/archivo/{asset.pk}/",
        {"title": "Arranque de obra", "caption": "Inauguración", "rights": "libre",
         "contains_minors": "on", "minors_consent": "on", "minors_consent_record": ""},
    )  # fmt: skip
    assert "consentimiento" in response.content.decode()  # consent needs a record
    anon = Client().get("/archivo/")
    assert anon.status_code == 302
    enlace = person("ricardo", "enlace", area="OPDU")
    assert logged(enlace).get(f"/archivo/{asset.pk}/").status_code == 404  # other area


def test_api_upload_and_search(api_client, fotografo, data, settings):
    client = api_client(fotografo)
    with open(data / "exiftool" / "XMP.jpg", "rb") as fh:
        response = client.post("/api/v1/archive/uploads", {"archivo": fh})
    assert response.status_code == 202, response.content
    body = response.json()
    # ImmediateBackend: on_commit runs at the end of the request outside tests' atomic block.
    from pregon.archive.services import process_ingest_item

    process_ingest_item(body["id"])
    status = client.get(f"/api/v1/archive/uploads/{body['id']}").json()
    assert status["estado"] == "listo"
    asset = client.get(f"/api/v1/archive/assets/{status['archivo']}").json()
    assert asset["camera"] == "FUJIFILM FinePix2400Zoom" and asset["keywords"]
    # XMP dc:description wins over the IPTC caption (MWG), as ExifTool reads it.
    found = client.get("/api/v1/search", {"q": "encoded XMP", "kind": "foto"}).json()
    assert found["total"] == 1 and found["items"][0]["id"] == asset["id"]
    assert found["facetas"]["kind"] == [["foto", 1]]
    assert api_client(None).get("/api/v1/search", {"q": "x"}).status_code == 401


def test_synthesis_html_and_pdf(mariana):
    day = dt.date(2026, 3, 2)
    for outlet, media, tone in [
        ("El Sol de Toluca", "impreso", "positivo"),
        ("Radio Mexiquense", "radio", "negativo"),
        ("Portal Chapultepec", "digital", "neutro"),
    ]:
        Clipping.objects.create(
            outlet=outlet, media_type=media, tone=tone, date=day, headline=f"Nota de {outlet}"
        )
    client = logged(mariana)
    html = client.get("/archivo/sintesis/", {"fecha": "2026-03-02"}).content.decode()
    assert "3 notas" in html and "Radio" in html and "Positivo: 1" in html
    assert html.index("Impreso") < html.index("Radio") < html.index("Digital")
    pdf = client.get("/archivo/sintesis.pdf", {"fecha": "2026-03-02"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf.content).split())  # what the printed síntesis says
    assert all(f"Nota de {outlet}" in text for outlet in ("El Sol de Toluca", "Radio Mexiquense"))
    assert "Positivo: 1" in text


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_clipping_form_indexes_for_search(mariana):
    client = logged(mariana)
    response = client.post(
        "/archivo/hemeroteca/",
        {"date": "2026-03-03", "outlet": "Milenio", "media_type": "digital",
         "headline": "Atienden inundaciones en San Mateo", "tone": "neutro"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/archivo/", {"q": "inundación"}).content.decode()
    assert "Atienden inundaciones en San Mateo" in page


def _one_page_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Bacheo nocturno en San Mateo</h1>").write_pdf()


PDF = _one_page_pdf()


def test_clipping_edit_with_capture_upload(mariana, jorge, pedro):
    clip = Clipping.objects.create(
        outlet="El Sol de Toluca", media_type="impreso", date=dt.date(2026, 3, 2),
        headline="Bacheo en San Mateo", tone="neutro",
    )  # fmt: skip
    form = {"date": "2026-03-02", "outlet": "El Sol de Toluca", "media_type": "impreso",
            "headline": "Bacheo nocturno en San Mateo", "tone": "positivo",
            "topics_text": "obras, bacheo"}  # fmt: skip
    # Consulta may read but not edit.
    assert logged(pedro).get(f"/archivo/hemeroteca/{clip.pk}/editar/").status_code == 403
    editor = logged(jorge)  # Redacción
    assert "Editar nota" in editor.get(f"/archivo/hemeroteca/{clip.pk}/").content.decode()
    # A refused capture shows the reason and changes nothing.
    junk = SimpleUploadedFile("nota.pdf", b"hola, esto no es una captura")
    response = editor.post(f"/archivo/hemeroteca/{clip.pk}/editar/", {**form, "capture_file": junk})
    html = response.content.decode()
    assert response.status_code == 200 and "Captura rechazada: Formato no reconocido" in html
    clip.refresh_from_db()
    assert clip.headline == "Bacheo en San Mateo" and clip.capture is None
    assert not Asset.objects.exists()
    pdf = SimpleUploadedFile("nota.pdf", PDF)
    response = editor.post(f"/archivo/hemeroteca/{clip.pk}/editar/", {**form, "capture_file": pdf})
    assert response.status_code == 302
    clip.refresh_from_db()
    assert clip.headline == "Bacheo nocturno en San Mateo" and clip.tone == "positivo"
    assert clip.topics == ["obras", "bacheo"]
    assert clip.capture.kind == "documento" and clip.capture.mime_type == "application/pdf"
    from pregon.archive import search

    assert [h.object_id for h in search.run("nocturno", {"tone": "positivo"}).hits] == [clip.pk]
    # Creating a clipping with the same file links the existing capture (no duplicate).
    response = logged(mariana).post(
        "/archivo/hemeroteca/",
        {**form, "headline": "Otra nota", "capture_file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Clipping.objects.get(headline="Otra nota").capture == clip.capture
    assert Asset.objects.count() == 1


def test_demo_is_idempotent(db, area_factory):
    from io import StringIO

    from pregon.archive import demo

    area_factory("OPDU")
    demo.load(StringIO())
    clippings = Clipping.objects.count()
    demo.load(StringIO())
    assert Asset.objects.count() == 4 and Clipping.objects.count() == clippings
    # Every third day of this year until today has two clippings; each day of the last
    # week has three (so today's síntesis is not empty).
    today = timezone.localdate()
    last_week = {today - dt.timedelta(days=d) for d in range(7)}
    year = {dt.date(today.year, 1, 1) + dt.timedelta(days=d) for d in range(1, 363, 3)}
    year = {d for d in year if d < today} - last_week
    assert clippings == 2 * len(year) + 3 * len(last_week)
    assert Clipping.objects.filter(date=today).count() == 3
    assert Asset.objects.get(caption__startswith="Inauguración").area.short_name == "OPDU"
    from pregon.archive import search

    # The photo and every clipping about the floods, counted in the database.
    floods = 1 + Clipping.objects.filter(headline__icontains="inundaciones").count()
    found = search.run("inundacion", limit=500)
    assert (found.total, len(found.hits), found.capped) == (floods, floods, False)


def test_home_panel_lists_refused_uploads(fotografo, person):
    from django.test import RequestFactory

    from pregon.archive.home import panels

    IngestItem.objects.create(
        batch="x",
        original_name="roto.jpg",
        status="rechazado",
        message="El archivo está vacío (0 bytes).",
        created_by=fotografo,
        staged="",
    )
    request = RequestFactory().get("/")
    request.user = fotografo
    [panel] = panels(request)
    assert panel["items"][0]["text"] == "roto.jpg" and "vacío" in panel["items"][0]["meta"]
    request.user = person("pedro", "consulta")
    assert panels(request) == []
