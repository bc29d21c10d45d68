"""In a real browser: Redacción picks an archive video for a Facebook post (the
picker warns it has no subtitles); sending it to review is refused saying why and
where, so Redacción saves the draft; subtitles are added in the archive (a broken file
first, refused with its line); then it goes to review and Coordinación approves."""

import re

import pytest

from pregon.publishing import services
from tests.publishing.test_video import camera_clip

pytestmark = pytest.mark.browser


def test_subtitles_in_the_archive_then_the_video_in_a_post(
    page, login, accounts, jorge, mariana, tmp_path
):
    from pregon.archive.services import asset_ingest

    clip = asset_ingest(
        file_path_or_uploaded_file=camera_clip(tmp_path / "sesion.mov"), original_name="sesion.mov"
    )
    publication = services.publication_create(
        author=jorge,
        title="Sesión de cabildo",
        text="Sesión ordinaria de cabildo.",
        variants={accounts["facebook"].pk: {"text": ""}},
    )

    # Redacción picks the video; the picker warns it has no subtitles yet.
    login(jorge)
    page.goto(f"/publicaciones/{publication.pk}/editar/")
    page.get_by_text("Elegir del archivo").click()
    row = page.locator(".archive-grid li").filter(has_text="sesion.mov")
    assert "Video:" in row.inner_text() and "sin subtítulos" in row.inner_text()
    row.get_by_role("button", name="Agregar").click()
    page.locator("#media-status").filter(has_text="Agregado: «sesion.mov»").wait_for()
    # Added to the ticked channel by default: its preview shows the video.
    page.locator(f"#check-{accounts['facebook'].pk} .pv img[alt^='Video:']").wait_for()
    # It cannot go to review yet: the refusal names the channel and the field.
    page.get_by_role("button", name="Enviar a revisión").click()
    page.locator(".messages").filter(
        has_text="Facebook · Ayuntamiento — videos: El video «sesion.mov» no tiene subtítulos"
    ).wait_for()
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_url(re.compile(rf"/publicaciones/{publication.pk}/$"))
    page.get_by_test_id("status").filter(has_text="Borrador").wait_for()
    assert publication.variants.get().media.get().is_video
    page.get_by_role("button", name="Salir").click()
    login(mariana)

    # Subtitles in the archive: a broken file is refused with its line, then a good one.
    page.goto(f"/archivo/{clip.pk}/")
    bad = tmp_path / "malo.srt"
    bad.write_text("1\n00:00:05,000 --> 00:00:01,000\nAl revés\n", encoding="utf-8")
    page.get_by_label("Archivo de subtítulos (.srt o .vtt)").set_input_files(str(bad))
    page.get_by_role("button", name="Subir subtítulos").click()
    page.locator(".messages").filter(has_text="malo.srt, línea 2").wait_for()
    good = tmp_path / "sesion.srt"
    good.write_text("1\n00:00:00,000 --> 00:00:02,000\nSe abre la sesión.\n", encoding="utf-8")
    page.get_by_label("Archivo de subtítulos (.srt o .vtt)").set_input_files(str(good))
    page.get_by_role("button", name="Subir subtítulos").click()
    page.get_by_text("Tiene subtítulos en español.").wait_for()

    page.get_by_role("button", name="Salir").click()

    # Now it goes to review, and Coordinación approves it.
    login(jorge)
    page.goto(f"/publicaciones/{publication.pk}/")
    page.get_by_role("button", name="Enviar a revisión").click()
    page.get_by_test_id("status").filter(has_text="En revisión").wait_for()
    page.get_by_role("button", name="Salir").click()
    login(mariana)
    page.goto(f"/publicaciones/{publication.pk}/")
    page.get_by_role("button", name="Aprobar").click()
    page.get_by_test_id("status").filter(has_text="Aprobada").wait_for()
