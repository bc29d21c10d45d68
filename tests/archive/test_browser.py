"""Real Chromium: a batch upload with per-file progress, then a Spanish search."""

import re
import shutil

import pytest
import pyvips

XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Inauguración de las calles
 del centro con la Presidenta Municipal</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag><rdf:li>obras públicas</rdf:li></rdf:Bag></dc:subject>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def spanish_photo(path):
    image = pyvips.Image.xyz(800, 600)[0].cast("uchar").colourspace("srgb")
    image = image.copy()
    image.set_type(pyvips.GValue.blob_type, "xmp-data", XMP.encode())
    image.jpegsave(str(path), Q=85)


@pytest.mark.browser
def test_batch_upload_progress_then_search(page, login, person, data, tmp_path):
    user = person("lucia", "fotografia", area="COMSOC")
    files = tmp_path / "lote"
    files.mkdir()
    spanish_photo(files / "calles.jpg")
    shutil.copy(data / "exiftool" / "GPS.jpg", files / "gps.jpg")
    (files / "vacio.jpg").write_bytes(b"")
    login(user)
    page.set_default_timeout(45_000)
    page.goto("/archivo/subir/")
    page.set_input_files("#archivos", [str(p) for p in sorted(files.iterdir())])
    summary = page.locator("#resumen")
    # Generous: the worker decodes real images on a busy shared machine.
    summary.filter(has_text="3 de 3 procesados").wait_for(timeout=90_000)
    assert "2 guardados, 1 rechazados" in summary.inner_text()
    rows = page.locator(".upload-item")
    assert rows.count() == 3
    for i in range(3):
        assert rows.nth(i).locator("progress").evaluate("p => p.value") == 100
    rejected = page.locator('.upload-item[data-estado="rechazado"]')
    assert "vacío" in rejected.inner_text()
    assert page.locator('.upload-item[data-estado="listo"] a', has_text="Ver").count() == 2

    page.goto("/archivo/")
    page.get_by_label("Buscar").fill("inauguracion calle")  # no accent, singular
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"q=inauguracion"))
    results = page.locator("#resultados")
    results.filter(has_text="1 resultado").wait_for()
    assert results.locator(".asset-card").count() == 1
    page.get_by_label("Con GPS").check()  # a filter that excludes it
    page.get_by_role("button", name="Buscar").click()
    results.filter(has_text="0 resultados").wait_for()
    page.get_by_label("Con GPS").uncheck()
    page.get_by_label("Buscar").fill("OBRAS PÚBLICA")
    page.get_by_label("Tipo").select_option("foto")
    page.get_by_role("button", name="Buscar").click()
    results.filter(has_text="1 resultado").wait_for()
    results.locator(".asset-card a").first.click()
    page.get_by_role("heading", level=1).wait_for()
    assert "Inauguración de las calles" in page.content()
