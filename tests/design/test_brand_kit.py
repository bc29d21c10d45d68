"""Brand kit: Diseño saves new versions, old ones stay and can be reactivated."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pregon.core.models import AuditEntry
from pregon.design.models import BrandKit
from pregon.design.render.brand import DEFAULT_LOGO_SVG

FORM = {
    "administration": "H. Ayuntamiento de Chapultepec 2022–2024",
    "motto": "Municipio limpio, ordenado y en paz",
    "footer": "Independencia No. 300, Colonia Centro, Chapultepec | Teléfono (722) 263 0855",
    "legend": "2024. Año del Bicentenario de la Erección del Estado Libre y Soberano de México.",
    "color_primary": "#7a1f3d",
    "color_secondary": "#b38e5d",
    "color_text": "#1f1f1f",
    "color_background": "#ffffff",
    "font_family": "montserrat",
}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (122, 31, 61, 255)).save(out, "PNG")
    return out.getvalue()


def test_saving_creates_a_new_active_version_and_keeps_the_old(client, diseno) -> None:
    client.force_login(diseno)
    assert client.get("/diseno/marca/").status_code == 200  # creates the default v1
    logo = SimpleUploadedFile("escudo.png", png_bytes(), content_type="image/png")
    response = client.post(
        "/diseno/marca/", {**FORM, "color_primary": "#5a1030", "coat_of_arms": logo}
    )
    assert response.status_code == 302
    kits = list(BrandKit.objects.order_by("version"))
    assert [k.version for k in kits] == [1, 2]
    assert [k.is_active for k in kits] == [False, True]
    assert kits[1].color_primary == "#5a1030" and kits[1].coat_of_arms
    assert kits[1].logo.name == kits[0].logo.name  # logo carried over when not re-uploaded
    assert kits[1].to_brand().logo == DEFAULT_LOGO_SVG
    assert AuditEntry.objects.filter(verb="design.kit_created").count() == 2
    client.post(f"/diseno/marca/{kits[0].pk}/activar/")
    assert BrandKit.objects.active().version == 1


def test_fake_logo_is_refused_by_content_and_nothing_changes(client, diseno) -> None:
    client.force_login(diseno)
    client.get("/diseno/marca/")
    fake = SimpleUploadedFile(
        "logo.svg", b"\xff\xd8\xff\xe0 not an svg", content_type="image/svg+xml"
    )
    response = client.post("/diseno/marca/", {**FORM, "logo": fake})
    assert response.status_code == 200
    assert "Logotipo: no es un SVG ni un PNG legible." in response.content.decode()
    assert BrandKit.objects.count() == 1


def test_palette_with_poor_contrast_is_saved_with_a_warning(client, diseno) -> None:
    client.force_login(diseno)
    response = client.post("/diseno/marca/", {**FORM, "color_text": "#aaaaaa"}, follow=True)
    page = response.content.decode()
    assert "Texto sobre fondo: el contraste entre #aaaaaa" in page
    assert "Sugerencia: use #" in page
    assert BrandKit.objects.active().color_text == "#aaaaaa"


def test_bad_colour_is_rejected_with_the_field(client, diseno) -> None:
    client.force_login(diseno)
    response = client.post("/diseno/marca/", {**FORM, "color_primary": "guinda"})
    assert "Escriba el color como #rrggbb" in response.content.decode()
    assert BrandKit.objects.count() == 1  # only the default kit; nothing saved


def test_only_design_and_coordination_edit_the_kit(client, jorge, pedro) -> None:
    client.force_login(jorge)
    assert client.get("/diseno/marca/").status_code == 403
    client.force_login(pedro)
    assert client.post("/diseno/marca/", FORM).status_code == 403
    index = client.get("/diseno/").content.decode()  # Consulta reads, with no way to edit
    assert "Aún no hay kit de marca." in index and "<h3>Campaña</h3>" in index
    assert "Crear el kit de marca" not in index and "Usar plantilla" not in index
    assert client.get("/diseno/plantillas/aviso/").status_code == 403
