"""PDF documents (press clippings, bulletins) get a preview of their first page,
their page count, title, author and date; a broken PDF is refused with the reason."""

from datetime import UTC, datetime

import pytest
from PIL import Image

HTML = """<html><head><title>Síntesis informativa</title>
<meta name="author" content="Comunicación Social">
<meta name="dcterms.created" content="2023-08-05T10:30:00-06:00"></head>
<body style="background:#fff"><h1 style="font-size:60pt;color:#000">Página uno</h1>
<p style="page-break-before:always">Página dos</p></body></html>"""


@pytest.fixture
def pdf_file(tmp_path):
    from weasyprint import HTML as Document

    path = tmp_path / "sintesis.pdf"
    Document(string=HTML).write_pdf(path)
    return path


def test_pdf_gets_first_page_preview_and_metadata(ingest, pdf_file):
    asset = ingest(pdf_file)
    assert asset.kind == "documento" and asset.mime_type == "application/pdf"
    assert asset.codecs == "2 páginas"
    assert asset.title == "Síntesis informativa" and asset.credit == "Comunicación Social"
    assert asset.captured_at == datetime(2023, 8, 5, 16, 30, tzinfo=UTC)  # 10:30 in México
    preview = Image.open(asset.preview.path)
    assert max(preview.size) == 1440 and preview.height > preview.width  # a portrait page
    assert max(Image.open(asset.thumbnail.path).size) == 400
    # The page is white with a black heading: not a blank (nor an all-black) render.
    histogram = preview.convert("L").histogram()
    pixels = sum(histogram)
    assert sum(histogram[230:]) > 0.8 * pixels  # mostly white paper
    assert sum(histogram[:60]) > 0.002 * pixels  # and dark ink of the heading
    assert asset.phash


def test_truncated_pdf_is_refused_with_the_reason(ingest, pdf_file, tmp_path):
    from pregon.archive.models import Asset
    from pregon.archive.services import IngestError

    broken = tmp_path / "roto.pdf"
    broken.write_bytes(pdf_file.read_bytes()[:400])
    with pytest.raises(IngestError, match="El PDF está dañado o incompleto"):
        ingest(broken)
    assert not Asset.objects.exists()
