"""Size limits per kind, enforced while the body streams in: a 2 GiB upload never
writes 2 GiB. The body is generated on the fly and fed to Django's request handler as
a stream (`wsgi.input`, as gunicorn does), counting what is read and what lands in the
temporary folder."""

import io
from pathlib import Path

import pytest
from django.test.client import ClientHandler

from pregon.accounts.models import ApiToken
from pregon.analytics.models import PostMetric

pytestmark = pytest.mark.django_db
GIB = 1 << 30
MIB = 1 << 20
BOUNDARY = "limiteDePrueba"


class GeneratedUpload(io.RawIOBase):
    """A multipart body with one file of `size` bytes, produced as it is read; records
    how much was read and the most the temp folder ever held."""

    def __init__(self, field: str, name: str, size: int, temp_dir: Path) -> None:
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size, self.temp_dir = size, temp_dir
        self.length = len(self.head) + size + len(self.tail)
        self.consumed = self.peak_on_disk = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.length - self.consumed, 4 * MIB)
        data = bytearray(b"x" * n)
        start = self.consumed
        for part, offset in ((self.head, 0), (self.tail, len(self.head) + self.size)):
            lo, hi = max(start, offset), min(start + n, offset + len(part))
            if lo < hi:
                data[lo - start : hi - start] = part[lo - offset : hi - offset]
        buffer[:n] = data
        self.consumed += n
        on_disk = sum(f.stat().st_size for f in self.temp_dir.iterdir() if f.is_file())
        self.peak_on_disk = max(self.peak_on_disk, on_disk)
        return n


def send(path: str, body: GeneratedUpload, **headers: str) -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body, buffer_size=MIB),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        **headers,
    }
    # The test client's handler: Django's WSGI handler without closing the test's
    # database connection at the end of the request.
    response = ClientHandler(enforce_csrf_checks=False)(environ)
    return response.status_code, response.content


@pytest.fixture
def temp_dir(settings, tmp_path):
    folder = tmp_path / "subidas"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def diseno(person):
    return person("fernanda", "diseno", area="COMSOC")


@pytest.fixture
def token(mariana):
    return f"Bearer {ApiToken.issue(mariana, 'pruebas')[1]}"


def test_a_2_gib_csv_stops_at_its_limit_with_a_json_413(temp_dir, token):
    """The metrics address also takes 2 GB access logs, so the body is read; the file
    named .csv is stopped once past 20 MB, long before 2 GiB."""
    body = GeneratedUpload("file", "cifras.csv", 2 * GIB - 10 * MIB, temp_dir)
    status, content = send("/api/v1/analytics/imports/metrics", body, HTTP_AUTHORIZATION=token)
    assert status == 413
    assert "Los archivos CSV no pueden pasar de 20 MB" in content.decode()
    assert content.startswith(b"{")  # JSON under /api/
    assert body.consumed < 30 * MIB
    assert body.peak_on_disk < 25 * MIB
    assert not PostMetric.objects.exists()


def test_a_declared_2_gib_photo_is_refused_before_reading_the_body(temp_dir, client, diseno):
    client.force_login(diseno)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    body = GeneratedUpload("foto_archivo", "foto.jpg", 2 * GIB, temp_dir)
    status, content = send("/diseno/fotos/", body, HTTP_COOKIE=cookie)
    assert status == 413
    assert "Las fotos no pueden pasar de 50 MB" in content.decode()
    assert body.consumed == 0 and body.peak_on_disk == 0


def test_each_kind_has_its_own_limit(temp_dir, settings, token):
    settings.PREGON_MAX_VIDEO_MB = 8
    settings.PREGON_MAX_PHOTO_MB = 3
    settings.PREGON_MAX_DOCUMENT_MB = 4
    photo = GeneratedUpload("archivo", "foto.jpg", 5 * MIB, temp_dir)
    status, content = send("/api/v1/archive/uploads", photo, HTTP_AUTHORIZATION=token)
    assert status == 413 and "Las fotos no pueden pasar de 3 MB" in content.decode()
    assert photo.consumed < 5 * MIB
    video = GeneratedUpload("archivo", "clip.mp4", 9 * MIB, temp_dir)
    status, content = send("/api/v1/archive/uploads", video, HTTP_AUTHORIZATION=token)
    assert status == 413 and "Los videos y audios no pueden pasar de 8 MB" in content.decode()
    assert video.consumed == 0  # declared length alone decides


def test_each_client_gets_the_refusal_it_can_show(client, diseno, settings):
    """htmx (design photo) gets a fragment it swaps in (base.html lets htmx show a 413),
    the archive's upload script gets JSON, a plain form gets the error page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PREGON_MAX_PHOTO_MB = 1
    client.force_login(diseno)
    big = b"\xff\xd8\xff" + b"0" * (3 * MIB)
    fragment = client.post(
        "/diseno/fotos/",
        {"foto_archivo": SimpleUploadedFile("f.jpg", big)},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 413
    assert fragment.content.decode().startswith('<p class="errors" role="alert">Las fotos')
    scripted = client.post(
        "/archivo/subir/archivo/",
        {"archivo": SimpleUploadedFile("f.jpg", big)},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert scripted.status_code == 413
    assert scripted.json()["detail"] == "«f.jpg»: Las fotos no pueden pasar de 1 MB."
    page = client.post("/diseno/fotos/", {"foto_archivo": SimpleUploadedFile("f.jpg", big)})
    assert page.status_code == 413 and "<h1>Archivo demasiado grande</h1>" in page.content.decode()
    assert 'name="htmx-config"' in client.get("/").content.decode()
