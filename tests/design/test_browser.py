"""Diseño in a real browser: fills a campaign, sees the live preview, exports every
size and a flyer, and attaches the Instagram size to a publication."""

import io
import zipfile
from pathlib import Path

import pytest

from pregon.design.models import RenderedPiece
from pregon.design.render import SIZES
from tests.design.conftest import make_photo

pytestmark = pytest.mark.browser


def test_designer_fills_campaign_previews_exports_and_attaches(
    page, login, diseno, jorge, tmp_path
) -> None:
    from pregon.publishing import services as publishing

    draft = publishing.publication_create(
        author=jorge, title="Campaña de vacunación", text="Vacuna a tu mascota."
    )
    photo = tmp_path / "plaza.jpg"
    photo.write_bytes(make_photo())
    login(diseno)
    page.goto("/diseno/")
    page.get_by_role("link", name="Usar plantilla Campaña").click()
    # htmx wires the upload form on DOMContentLoaded: a file chosen before that sends
    # nothing (on a loaded machine the click's navigation commits well before).
    page.wait_for_load_state("load")
    page.get_by_label("Fotografía (JPEG, PNG o WebP)").set_input_files(str(photo))
    page.get_by_text("Foto lista: plaza.jpg").wait_for()
    page.get_by_label("Título").fill("Vacunación antirrábica gratuita")
    page.get_by_label("Texto").fill("Del 1 al 15 de octubre en el DIF municipal.")
    preview = page.locator("#imagen-previa")
    preview.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('#imagen-previa');"
        " return i && i.complete && i.naturalWidth === 1080 && i.naturalHeight === 1350"
        " && i.src.includes('Vacunaci') && i.src.includes('foto=') }"
    )
    page.get_by_label("Tamaño de vista previa").select_option("1200x630")
    page.wait_for_function(
        "() => { const i = document.querySelector('#imagen-previa');"
        " return i && i.complete && i.naturalWidth === 1200 && i.naturalHeight === 630 }"
    )
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exportar todos los tamaños (ZIP)").click()
    zipped = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert sorted(zipped.namelist()) == sorted(f"campana-{s}.png" for s in SIZES)
    with page.expect_download() as flyer_info:
        page.get_by_role("button", name="Descargar volante (PDF)").click()
    assert Path(flyer_info.value.path()).read_bytes()[:4] == b"%PDF"

    piece = RenderedPiece.objects.get(size="1080x1350")
    assert piece.photo is not None and piece.asset_id
    page.goto("/diseno/piezas/")
    card = page.locator("li", has=page.get_by_role("button", name="Adjuntar 1080x1350"))
    card.get_by_label("Publicación").select_option(str(draft.pk))
    card.get_by_role("button", name="Adjuntar 1080x1350").click()
    page.get_by_text("adjunta a «Campaña de vacunación»").wait_for()
    media = draft.media.get()
    assert (media.width, media.height) == (1080, 1350)
