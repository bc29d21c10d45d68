"""One image check on every path that takes an image: a decompression bomb, a
truncated file or a hostile SVG is refused the same way (Spanish reason, nothing
stored, never a 500) whether it arrives as a publication image, a design photo, a
brand-kit logo or an archive upload."""

import functools
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import pyvips
from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.archive.models import Asset
from pregon.core import images
from pregon.design.models import BrandKit, DesignPhoto
from pregon.publishing.models import PublicationMedia
from tests import hostile
from tests.hostile import KIT_FORM

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def bomb() -> bytes:
    return hostile.bomb_png(50_000, 50_000)


def truncated_jpeg() -> bytes:
    full = pyvips.Image.gaussnoise(800, 600).cast("uchar").jpegsave_buffer()
    return full[: len(full) // 2]


@pytest.fixture
def diseno(person):
    return person("fernanda", "diseno", area="COMSOC")


@pytest.fixture
def draft(jorge):
    from pregon.publishing.models import ChannelAccount
    from pregon.publishing.services import publication_create

    account = ChannelAccount.objects.create(name="Municipio", kind="facebook_page")
    return publication_create(
        author=jorge, title="Obra", text="Texto", variants={account.pk: {"text": ""}}
    )


@pytest.mark.parametrize(
    "content, reason",
    [(bomb, "bomba de descompresión"), (truncated_jpeg, "truncada o incompleta")],
)
def test_publication_image_refused_with_reason(client, jorge, draft, content, reason):
    """Dropped in the composer: refused with the reason, nothing stored."""
    client.force_login(jorge)
    upload = SimpleUploadedFile("foto.png", content())
    response = client.post("/publicaciones/componer/subir/", {"archivo": upload})
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not PublicationMedia.objects.exists() and not Asset.objects.exists()


@pytest.mark.parametrize(
    "content, reason",
    [(bomb, "bomba de descompresión"), (truncated_jpeg, "truncada o incompleta")],
)
def test_design_photo_refused_with_reason(client, diseno, content, reason):
    client.force_login(diseno)
    upload = SimpleUploadedFile("foto.png", content())
    response = client.post("/diseno/fotos/", {"foto_archivo": upload})
    assert response.status_code < 500
    assert reason in response.content.decode()
    assert not DesignPhoto.objects.exists()


def test_archive_upload_refuses_the_bomb(api_client, jorge, django_capture_on_commit_callbacks):
    """Processed by the worker (inline in tests): the item ends refused, with the reason."""
    upload = SimpleUploadedFile("bomba.png", bomb())
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(jorge).post("/api/v1/archive/uploads", {"archivo": upload})
    assert response.status_code == 202
    item = api_client(jorge).get(f"/api/v1/archive/uploads/{response.json()['id']}").json()
    assert "bomba de descompresión" in item["mensaje"]
    assert not Asset.objects.exists()


def test_png_logo_bomb_refused_and_kit_unchanged(client, diseno):
    client.force_login(diseno)
    client.get("/diseno/marca/")
    logo = SimpleUploadedFile("logo.png", bomb())
    response = client.post("/diseno/marca/", {**KIT_FORM, "logo": logo})
    assert "Logotipo: La imagen declara 50000×50000 píxeles" in response.content.decode()
    assert BrandKit.objects.count() == 1


def test_huge_svg_logo_is_taken_quickly_and_sanitised(client, diseno):
    """The outage of issue 14: a 60000×60000 SVG rendered whole inside a write
    transaction (27 s, 1.1 GB). It is now drawn once at 1024 px, before the
    transaction."""
    client.force_login(diseno)
    client.get("/diseno/marca/")
    logo = SimpleUploadedFile("logo.svg", hostile.huge_svg(60_000))
    started = time.monotonic()
    response = client.post("/diseno/marca/", {**KIT_FORM, "logo": logo})
    assert time.monotonic() - started < 5
    assert response.status_code == 302
    assert b'width="60000"' in BrandKit.objects.active().logo.read()


def test_huge_svg_check_stays_within_memory():
    """Peak memory of a fresh process checking the 60000×60000 SVG (goal ≤ 300 MB)."""
    script = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pregon.settings');"
        "import django; django.setup();"
        "from pregon.core import images; from tests import hostile;"
        "images.check_svg(hostile.huge_svg(60000));"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert int(out.stdout.strip().splitlines()[-1]) < 300 * 1024  # kB


def test_svg_sanitiser_keeps_the_drawing_and_drops_the_rest():
    png = pyvips.Image.black(4, 4).pngsave_buffer()
    import base64

    embedded = f"data:image/png;base64,{base64.b64encode(png).decode()}"
    dirty = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
        "<style>@import url(http://evil.example/x.css);</style>"
        '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hola</p></foreignObject>'
        '<a href="javascript:alert(3)"><rect width="1" height="1"/></a>'
        '<rect width="10" height="10" fill="url(#g)" onclick="x()"/>'
        '<circle r="2" fill="url(http://evil.example/p)"/>'
        f'<image href="{embedded}" width="4" height="4"/>'
        '<image xlink:href="file:///etc/passwd" width="4" height="4"/>'
        '<use href="#g"/><use href="http://evil.example/s.svg#x"/></svg>'
    ).encode()
    # Another library taking the SVG namespace for a prefix must not change the output.
    ET.register_namespace("svg", "http://www.w3.org/2000/svg")
    clean = images.sanitize_svg(dirty).decode()
    assert "<svg " in clean and "<rect " in clean
    for gone in ("script", "alert", "onload", "onclick", "@import", "evil", "file:", "<a"):
        assert gone not in clean
    assert 'fill="url(#g)"' in clean and embedded in clean and 'href="#g"' in clean
    with pytest.raises(images.ImageRejected, match="entidades"):
        images.sanitize_svg(b'<!DOCTYPE s [<!ENTITY a "aaaa">]><svg>&a;</svg>')
    bomb_inside = f"data:image/png;base64,{base64.b64encode(bomb()).decode()}"
    clean = images.sanitize_svg(
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{bomb_inside}"/></svg>'.encode()
    )
    assert b"<image" not in clean  # an embedded bomb is dropped with its element
