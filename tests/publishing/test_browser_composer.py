"""In a real browser, the composer: ticking a channel shows its errors, writing the
base text clears them; a photo dropped on the page shows in every ticked preview;
a Facebook + Instagram + X post with a photo goes to review from one page."""

import base64
import re

import pytest

from pregon.archive.models import Asset
from pregon.publishing.models import ChannelAccount, ChannelKind, Publication
from tests.publishing.conftest import jpeg_bytes

pytestmark = pytest.mark.browser
TEXT = "Feria de la salud este sábado en el jardín municipal."


@pytest.fixture
def instagram(transactional_db):
    return ChannelAccount.objects.create(
        name="Instagram · Ayuntamiento", kind=ChannelKind.INSTAGRAM, handle="gobchapultepec"
    )


def drop(page, selector: str, name: str, data: bytes, mime: str = "image/jpeg") -> None:
    """Drop a file on an element the way a person drags one from their desktop."""
    transfer = page.evaluate_handle(
        """([b64, name, type]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            return transfer;
        }""",
        [base64.b64encode(data).decode(), name, mime],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_ticking_a_channel_shows_its_errors_and_the_base_text_clears_them(
    page, login, accounts, jorge
):
    fb, x = accounts["facebook"], accounts["x"]
    login(jorge)
    page.goto("/publicaciones/nueva/")
    assert page.locator(".check-problems").count() == 0  # nothing ticked, nothing red

    page.locator(f"#channel_{fb.pk}").check()
    check = page.locator(f"#check-{fb.pk}")
    check.get_by_text("El texto está vacío.", exact=True).wait_for()
    assert "Facebook: el texto está vacío y no hay imágenes." in check.inner_text()
    # X is not ticked: it shows no error.
    assert page.locator(f"#check-{x.pk}").inner_text().strip() == ""

    page.get_by_label("Texto base").fill(TEXT)
    check.get_by_text("Cumple las reglas de Página de Facebook").wait_for()
    assert "vacío" not in check.inner_text()
    assert TEXT in check.locator(".pv").inner_text()
    assert page.locator("#count-base").inner_text().startswith(f"{len(TEXT)} caracteres")

    page.locator(f"#channel_{x.pk}").check()
    page.locator(f"#check-{x.pk}").get_by_text(f"{len(TEXT)} de 280").wait_for()
    page.locator(f"#text_{x.pk}").fill("a" * 290)
    page.locator(f"#check-{x.pk} .check-problems").filter(
        has_text="290 caracteres ponderados"
    ).wait_for()


def test_a_dropped_photo_shows_in_every_ticked_preview(page, login, accounts, jorge, settings):
    ticked = [accounts[k] for k in ("facebook", "x", "wordpress")]
    login(jorge)
    page.goto("/publicaciones/nueva/")
    page.get_by_label("Texto base").fill(TEXT)
    for account in ticked:
        page.locator(f"#channel_{account.pk}").check()
    drop(page, "#drop-zone", "feria.jpg", jpeg_bytes(1600, 900))
    page.locator(".media-item").filter(has_text="feria.jpg").wait_for()
    asset = Asset.objects.get()
    image = f"/archivo/{asset.pk}/vista.jpg"
    for account in ticked:
        page.locator(f'#check-{account.pk} .pv img[src="{image}"]').wait_for()
    # The unticked manual channel shows nothing.
    assert page.locator(f"#check-{accounts['manual'].pk}").inner_text().strip() == ""

    # Removed from X only: X's preview loses it, the others keep it.
    x = accounts["x"]
    page.locator(f"#skip-{x.pk}-a{asset.pk}").check()
    page.locator(f'#check-{x.pk} .pv img[src="{image}"]').wait_for(state="detached")
    assert page.locator(f'#check-{accounts["facebook"].pk} .pv img[src="{image}"]').count() == 1


def test_facebook_instagram_and_x_with_a_photo_go_to_review_from_one_page(
    page, login, accounts, instagram, jorge, live_server, settings
):
    settings.PREGON_PUBLIC_URL = live_server.url
    fb, x = accounts["facebook"], accounts["x"]
    login(jorge)
    page.goto("/publicaciones/nueva/")
    page.get_by_label("Título interno").fill("Feria de la salud")
    page.get_by_label("Texto base").fill(TEXT)
    for account in (fb, instagram, x):
        page.locator(f"#channel_{account.pk}").check()
    drop(page, "#drop-zone", "feria.jpg", jpeg_bytes())
    item = page.locator(".media-item").filter(has_text="feria.jpg")
    item.get_by_label("Texto alternativo").fill("Módulos de salud en el jardín")
    page.locator(f"#check-{instagram.pk}").get_by_text("Cumple las reglas de Instagram").wait_for()
    page.locator(f"#check-{x.pk}").get_by_text("Cumple las reglas de X").wait_for()

    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_url(re.compile(r"/publicaciones/\d+/$"))
    page.get_by_test_id("status").filter(has_text="En revisión").wait_for()
    publication = Publication.objects.get(title="Feria de la salud")
    media = publication.media.get()
    assert media.alt_text == "Módulos de salud en el jardín"
    assert {v.account_id: [m.pk for m in v.media.all()] for v in publication.variants.all()} == {
        fb.pk: [media.pk],
        instagram.pk: [media.pk],
        x.pk: [media.pk],
    }
