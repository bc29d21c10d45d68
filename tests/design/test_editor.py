"""Template editor: live preview fragment, PNG preview, photo upload, zip export, flyer."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pregon.design.models import DesignPhoto, RenderedPiece
from pregon.design.render import SIZES
from tests.design.conftest import SHORT

CAMPAIGN = {
    "titulo": "Vacunación antirrábica",
    "texto": "Acude con tu mascota.",
    "size": "1080x1350",
    "foco_x": "0.5",
    "foco_y": "0.5",
}


def test_preview_fragment_points_to_a_png_of_the_exact_size(client, diseno) -> None:
    client.force_login(diseno)
    fragment = client.post("/diseno/plantillas/campana/vista-previa/", CAMPAIGN).content.decode()
    assert 'id="imagen-previa"' in fragment
    src = fragment.split('src="')[1].split('"')[0].replace("&amp;", "&")
    response = client.get(src)
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1080, 1350)


def test_preview_explains_errors_in_spanish(client, diseno) -> None:
    client.force_login(diseno)
    page = client.post(
        "/diseno/plantillas/cifra/vista-previa/",
        {"cifra": "9" * 21, "descripcion": "x", "size": "1200x630"},
    ).content.decode()
    assert "Cifra:" in page and "20 caracteres" in page
    empty = client.post("/diseno/plantillas/cifra/vista-previa/", {"size": "1080x1080"})
    assert "Escriba el texto de la pieza" in empty.content.decode()


def test_photo_upload_checks_content(client, diseno, photo_jpeg) -> None:
    client.force_login(diseno)
    bad = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 no es foto", content_type="image/jpeg")
    page = client.post("/diseno/fotos/", {"foto_archivo": bad}).content.decode()
    assert "Foto «foto.jpg»: no es una imagen legible." in page
    assert not DesignPhoto.objects.exists()
    good = SimpleUploadedFile("plaza.jpg", photo_jpeg, content_type="image/jpeg")
    response = client.post("/diseno/fotos/", {"foto_archivo": good})
    photo = DesignPhoto.objects.get()
    assert f'data-foto-id="{photo.pk}"' in response.content.decode()
    assert response["HX-Trigger-After-Swap"] == "fotoLista"


def test_export_renders_every_size_keeps_pieces_and_zips_them(client, diseno, photo_jpeg) -> None:
    client.force_login(diseno)
    client.post("/diseno/fotos/", {"foto_archivo": SimpleUploadedFile("p.jpg", photo_jpeg)})
    photo = DesignPhoto.objects.get()
    response = client.post(
        "/diseno/plantillas/campana/exportar/", {**CAMPAIGN, "foto": photo.pk, "foco_x": "0.85"}
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        names = sorted(zipped.namelist())
        assert names == sorted(f"campana-{s}.png" for s in SIZES)
        for size in SIZES:
            image = Image.open(io.BytesIO(zipped.read(f"campana-{size}.png")))
            assert image.size == tuple(int(v) for v in size.split("x"))
    pieces = RenderedPiece.objects.all()
    assert pieces.count() == len(SIZES) and len({p.batch for p in pieces}) == 1
    assert all(p.photo_id == photo.pk and p.data["foco_x"] == 0.85 for p in pieces)
    listed = client.get("/diseno/piezas/").content.decode()
    assert listed.count('<li class="card">') == len(SIZES)
    assert all(f"Campaña · {size} (" in listed for size in SIZES)


def test_flyer_download(client, diseno) -> None:
    client.force_login(diseno)
    data = {k: SHORT[k] for k in ("titulo", "fecha", "hora", "lugar", "texto")}
    response = client.post(
        "/diseno/plantillas/evento/volante/",
        {
            **data,
            "size": "1080x1350",
            "url": "https://chapultepec.gob.mx/",
            "layout": "carta",
            "category": "cultura",
        },
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    bad = client.post(
        "/diseno/plantillas/evento/volante/",
        {**data, "size": "1080x1350", "url": "no es url", "layout": "carta", "category": "cultura"},
    )
    assert bad.status_code == 400 and "URL" in bad.content.decode()


def test_flyer_in_a_veda_prints_only_exempt_categories(client, diseno) -> None:
    """A printed flyer is public material: during a veda a non-exempt one is refused
    with the period and the date it lifts; a health one prints, its reason recorded."""
    from datetime import timedelta

    from django.utils import timezone

    from pregon.compliance.models import ComplianceEvent, ElectoralPeriod, ExemptCategory

    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Proceso electoral local", scope="estatal", start=today, end=today + timedelta(days=3)
    )
    ExemptCategory.objects.create(category="salud", reason="Campañas de salud (art. 41)")
    client.force_login(diseno)
    data = {k: SHORT[k] for k in ("titulo", "fecha", "hora", "lugar", "texto")}
    post = {**data, "size": "1080x1350", "url": "https://chapultepec.gob.mx/", "layout": "carta"}

    refused = client.post("/diseno/plantillas/evento/volante/", {**post, "category": "cultura"})
    assert refused.status_code == 409 and refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "No se puede imprimir este volante" in page and "«Proceso electoral local»" in page
    assert ComplianceEvent.objects.get(kind="blocked", rule="veda").app_label == "design"

    printed = client.post("/diseno/plantillas/evento/volante/", {**post, "category": "salud"})
    assert printed["Content-Type"] == "application/pdf"
    exempted = ComplianceEvent.objects.get(kind="exempted")
    assert "Campañas de salud (art. 41)" in exempted.message


def test_unknown_template_is_404(client, diseno) -> None:
    client.force_login(diseno)
    assert client.get("/diseno/plantillas/nada/").status_code == 404
