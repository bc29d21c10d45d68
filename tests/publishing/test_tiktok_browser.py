"""In a real browser: ticking TikTok in the composer shows its rule (no text alone) and,
once a photo is dropped, a vertical 9:16 card with the caption over its foot; the
«Conectar con TikTok» page asks for the posting mode first. Screenshots go to
PREGON_SHOTS (a folder) when it is set."""

import os
from pathlib import Path

import pytest

from pregon.publishing.models import ChannelAccount
from tests.publishing import test_tiktok_faults as faults
from tests.publishing.conftest import jpeg_bytes
from tests.publishing.test_browser_composer import drop

pytestmark = pytest.mark.browser
# The fake TikTok and a publication due on it, shared with the fault tests.
tiktok, schedule = faults.tiktok, faults.schedule
TEXT = "Jornada de vacunación en la plaza principal este sábado. #Chapultepec\nTrae tu cartilla."
SIZES = {"1366x900": (1366, 900), "390x844": (390, 844)}


def shoot(page, name: str) -> None:
    folder = os.environ.get("PREGON_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)


def test_tiktok_preview_is_a_vertical_card_with_its_rule(page, login, jorge, transactional_db):
    account = ChannelAccount.objects.create(
        name="TikTok @gobchapultepec", kind="tiktok", handle="@gobchapultepec"
    )
    login(jorge)
    page.goto("/publicaciones/nueva/")
    page.get_by_label("Texto base").fill(TEXT)
    page.locator(f"#channel_{account.pk}").check()
    check = page.locator(f"#check-{account.pk}")
    check.get_by_text("TikTok: necesita un video o fotos").wait_for()
    drop(page, "#drop-zone", "vacunas.jpg", jpeg_bytes(1080, 1920))
    screen = check.locator(".pv-tt-screen")
    screen.locator("img").wait_for()
    box = screen.bounding_box()
    assert box and box["height"] / box["width"] == pytest.approx(16 / 9, rel=0.02)
    assert "@gobchapultepec" in screen.inner_text() and "más" in screen.inner_text()
    assert f"{len(TEXT)} de 2200 caracteres" in check.inner_text()
    assert "necesita un video o fotos" not in check.inner_text()
    check.scroll_into_view_if_needed()
    shoot(page, "tiktok-composer")


def test_connect_tiktok_asks_for_the_mode_first(page, login, mariana, settings):
    settings.PREGON_TIKTOK_CLIENT_KEY = "tt-key"
    settings.PREGON_TIKTOK_CLIENT_SECRET = "tt-s3cret"
    login(mariana)
    page.goto("/publicaciones/canales/conectar/tiktok/")
    page.get_by_role("heading", name="Conectar con TikTok").wait_for()
    assert page.get_by_label("Directo en el perfil", exact=False).is_checked()
    page.get_by_label("En la bandeja de la cuenta", exact=False).check()
    shoot(page, "tiktok-connect")
    page.goto("/publicaciones/canales/configuracion/")
    page.get_by_text("URL properties", exact=False).scroll_into_view_if_needed()
    assert "video.upload" in page.content()  # its scopes, behind «Permisos que pide Pregón»
    shoot(page, "tiktok-setup")


def test_an_inbox_delivery_says_a_person_must_publish_it(page, login, mariana, tiktok, schedule):
    from pregon.publishing import engine

    tiktok.audited = False
    schedule("video")
    assert engine.publish_due()["en_proceso"] == 1
    login(mariana)
    page.goto("/publicaciones/envios/")
    row = page.locator("tr, li, article").filter(has_text="TikTok @gobchapultepec").last
    row.get_by_text("el video quedó en la bandeja de la cuenta", exact=False).wait_for()
    assert "Pendiente" in row.inner_text() or "pendiente" in row.inner_text()
    shoot(page, "tiktok-inbox-delivery")
