"""The bulletin as PDF: institutional header and footer, dateline, balazos, photo
with caption; A4 or letter."""

import shutil
import subprocess

import pytest
from django.test import Client

from pregon.bulletins import services
from pregon.bulletins.pdf import bulletin_pdf

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _page_size(pdf: bytes, tmp_path) -> tuple[float, float]:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) no está instalado")
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    width, _, height = line.split(":")[1].split()[:3]
    return float(width), float(height)


@pytest.fixture
def with_photo(make_bulletin, photo_asset, jorge, mariana):
    bulletin = make_bulletin()
    services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    return services.bulletin_approve(bulletin=bulletin, user=mariana)


def test_pdf_has_header_dateline_balazos_and_caption(with_photo, tmp_path):
    pdf = bulletin_pdf(with_photo, "carta")
    text = " ".join(_text(pdf, tmp_path).split())
    assert "H. Ayuntamiento de Chapultepec" in text  # header (default brand, no kit)
    assert "Municipio limpio, ordenado y en paz" in text  # footer
    assert "Boletín 001/2023" in text
    assert "Chapultepec, Estado de México, 5 de agosto de 2023.-" in text
    assert "Se invirtieron 2.3 millones de pesos" in text
    assert (
        "La Presidenta Municipal encabeza la sesión · Foto: Unidad de Comunicación Social" in text
    )
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_paper_size_letter_or_a4(with_photo, tmp_path):
    width, height = _page_size(bulletin_pdf(with_photo, "carta"), tmp_path)
    assert (round(width), round(height)) == (612, 792)
    width, height = _page_size(bulletin_pdf(with_photo, "a4"), tmp_path)
    assert (round(width), round(height)) == (595, 842)


def test_pdf_uses_the_active_brand_kit(with_photo, tmp_path, mariana):
    from django.core.files.base import ContentFile

    from pregon.design.models import BrandKit
    from pregon.design.render.brand import DEFAULT_LOGO_SVG

    kit = BrandKit(
        version=7,
        administration="Ayuntamiento de Prueba 2025–2027",
        motto="Lema de prueba",
        footer="Calle Falsa 123",
        color_primary="#004d40",
        color_secondary="#b38e5d",
        color_text="#111111",
        color_background="#ffffff",
        is_active=True,
    )
    kit.logo.save("logo.svg", ContentFile(DEFAULT_LOGO_SVG), save=False)
    kit.save()
    text = _text(bulletin_pdf(with_photo), tmp_path)
    assert "Ayuntamiento de Prueba 2025–2027" in text and "Calle Falsa 123" in text


def test_pdf_views_need_login_internally_but_not_in_the_press_room(with_photo, mariana, tmp_path):
    client = Client()
    assert client.get(f"/boletines/{with_photo.pk}/pdf/").status_code == 302
    public = client.get(f"/boletines/sala-de-prensa/{with_photo.pk}/pdf/?tamano=a4")
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert "Boletín 001/2023" in " ".join(_text(public.content, tmp_path).split())
    client.force_login(mariana)
    inside = client.get(f"/boletines/{with_photo.pk}/pdf/")
    assert inside.status_code == 200 and inside.content.startswith(b"%PDF")
