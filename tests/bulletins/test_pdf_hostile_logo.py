"""A hostile brand-kit logo cannot make a PDF fetch an address (server-side request
forgery) or copy a local file into a public PDF, and a script in it does not survive
the upload. Both walls are tested: the SVG is sanitised on upload, and every PDF
renderer's URL fetcher refuses anything but Pregón's own files."""

import base64
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pregon.core.pdf import html_to_pdf
from pregon.design.models import BrandKit
from tests.hostile import KIT_FORM

pytestmark = pytest.mark.django_db
SECRET = "SECRETO-GPS-19-4326"


@pytest.fixture
def diseno(person):
    return person("fernanda", "diseno", area="COMSOC")


@pytest.fixture
def listener():
    """A local HTTP server that records every request it receives."""
    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            hits.append(self.path)
            body = base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
            )
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path):
    """A local file whose words must never reach a PDF (stands in for an archive original)."""
    path = tmp_path / "original.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="80">'
        f'<text x="10" y="50" font-size="30">{SECRET}</text></svg>'
    )
    return path


def hostile_svg(url: str, secret_uri: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="240" height="240" onload="alert(1)">'
        "<script>alert(document.cookie)</script>"
        '<rect width="240" height="240" fill="#7a1f3d"/>'
        f'<image href="{url}/robar.png" width="10" height="10"/>'
        f'<image xlink:href="{secret_uri}" width="600" height="80"/>'
        f'<rect width="5" height="5" style="fill: url({url}/css.png)"/>'
        "</svg>"
    ).encode()


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode()


def test_uploaded_svg_logo_is_sanitised_and_the_public_pdf_fetches_nothing(
    client, diseno, approved_bulletin, listener, secret_file, tmp_path
):
    url, hits = listener
    client.force_login(diseno)
    client.get("/diseno/marca/")
    logo = SimpleUploadedFile("logo.svg", hostile_svg(url, secret_file.as_uri()))
    assert client.post("/diseno/marca/", {**KIT_FORM, "logo": logo}).status_code == 302
    stored = BrandKit.objects.active().logo.read()
    for gone in (b"<script", b"onload", b"127.0.0.1", b"file:", b"alert"):
        assert gone not in stored
    assert b"<rect" in stored  # the drawing itself is kept

    bulletin = approved_bulletin()
    response = Client().get(f"/boletines/sala-de-prensa/{bulletin.pk}/pdf/")
    assert response.status_code == 200
    assert hits == []
    assert SECRET not in pdf_text(response.content, tmp_path)


def test_a_hostile_logo_stored_before_sanitising_cannot_reach_out_either(
    diseno, approved_bulletin, listener, secret_file, tmp_path
):
    url, hits = listener
    from pregon.design.services import brandkit_default

    kit = brandkit_default(diseno)
    kit.logo.save("viejo.svg", ContentFile(hostile_svg(url, secret_file.as_uri())))
    bulletin = approved_bulletin()
    response = Client().get(f"/boletines/sala-de-prensa/{bulletin.pk}/pdf/")
    assert response.status_code == 200
    assert hits == [] and SECRET not in pdf_text(response.content, tmp_path)


def test_the_pdf_fetcher_refuses_network_and_local_files(listener, secret_file, tmp_path):
    """The second wall alone: raw HTML and inline SVG pointing outside Pregón."""
    url, hits = listener
    inline = base64.b64encode(secret_file.read_bytes()).decode()
    html = (
        f'<link rel="stylesheet" href="{url}/estilo.css">'
        f'<p>Visible</p><img src="{url}/foto.png"><img src="{secret_file.as_uri()}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50">'
        f'<image href="{url}/svg.png" width="50" height="50"/></svg>'
        f'<img src="data:text/html;base64,{base64.b64encode(b"<p>x</p>").decode()}">'
    )
    text = pdf_text(html_to_pdf(html, base_url=url + "/"), tmp_path)
    assert "Visible" in text
    assert hits == []
    assert SECRET not in text
    # Control: the same drawing embedded as an image does print its words, so the
    # assertion above would catch a fetched file.
    shown = html_to_pdf(f'<img src="data:image/svg+xml;base64,{inline}">')
    assert SECRET in pdf_text(shown, tmp_path)
