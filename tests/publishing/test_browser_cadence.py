"""A real browser: Coordinación opens the permanent themes' board from the menu (desk
and phone, screenshots kept with PREGON_SCREENSHOT_DIR), and Redacción takes the
composer's suggestion of the theme most behind."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from pregon.compliance.models import ElectoralPeriod, ExemptCategory
from pregon.publishing.models import (
    ChannelAccount,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationStatus,
    Theme,
    Variant,
)
from tests.browser.site_walk import WIDEST

pytestmark = pytest.mark.browser
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def campaign(transactional_db, plan_themes, jorge):
    """The plan's themes, one Salud post delivered today and a veda that pauses every
    theme but Salud."""
    page_fb = ChannelAccount.objects.create(name="Facebook · Ayuntamiento", kind="facebook_page")
    ChannelAccount.objects.create(name="X · @Lauramaliagm", kind=ChannelKind.X)
    when = timezone.now() - timedelta(minutes=5)
    salud = Theme.objects.get(name="Salud")
    publication = Publication.objects.create(
        title="Jornada de salud", text="t", author=jorge, theme=salud,
        status=PublicationStatus.PUBLICADA, published_at=when,
    )  # fmt: skip
    variant = Variant.objects.create(publication=publication, account=page_fb)
    Delivery.objects.create(
        variant=variant, account=page_fb, status=DeliveryStatus.PUBLICADA,
        scheduled_at=when, published_at=when,
    )  # fmt: skip
    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Veda local", scope="local", start=today, end=today + timedelta(days=2)
    )
    ExemptCategory.objects.create(category="salud", reason="Salud pública")


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], page.evaluate(WIDEST)


def test_board_on_desk_and_phone(campaign, page, login, menu, mariana, tmp_path):
    folder = Path(os.environ.get("PREGON_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESK)
    login(mariana)
    menu("Publicar", "Temas permanentes")
    page.wait_for_url("**/publicaciones/temas/")
    board = page.locator("#cadence-board")
    salud_fb = board.locator('tr[data-theme="Salud"] td[data-channel="facebook_page"]')
    assert "1 de 2 esta semana" in salud_fb.inner_text()
    assert salud_fb.get_by_text("Atrasado").is_visible()
    cultura = board.locator('tr[data-theme="Cultura"]')
    assert cultura.get_by_text("En pausa: su categoría no está exenta").is_visible()
    assert cultura.locator('td[data-channel="facebook_page"]').get_by_text("En pausa").is_visible()
    veda = page.locator("#cadence-veda")
    assert "En pausa por la veda «Veda local»: su categoría no está exenta" in veda.inner_text()
    assert "Salud" in page.locator("#cadence-most-behind").inner_text()
    fits(page)
    page.screenshot(path=str(folder / "temas_escritorio.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    fits(page)
    page.screenshot(path=str(folder / "temas_telefono.png"), full_page=True)


def test_composer_offers_the_theme_most_behind(campaign, page, login, jorge, tmp_path):
    ElectoralPeriod.objects.all().delete()  # no veda: every theme counts
    login(jorge)
    page.goto("/publicaciones/nueva/")
    suggestion = page.locator("#theme-suggestion")
    suggestion.get_by_text("Marque canales").wait_for()
    page.get_by_role("checkbox", name="X · @Lauramaliagm (X)").check()
    suggestion.get_by_text("esta semana en X").wait_for()
    name = suggestion.locator("strong").inner_text()
    suggestion.get_by_role("button", name="Usar este tema").click()
    chosen = page.locator("#id_theme option:checked").inner_text()
    assert chosen == name
    folder = Path(os.environ.get("PREGON_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(folder / "compositor_tema.png"))
