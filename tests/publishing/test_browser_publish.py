"""From the browser: write a publication with variants, submit, approve as another
user, schedule, and see it published to the fake networks with remote ids."""

import re

import pytest
from django.utils import timezone

from pregon.publishing import engine
from pregon.publishing.models import Delivery, Publication
from tests.publishing.conftest import jpeg_bytes

pytestmark = pytest.mark.browser


def test_write_submit_approve_schedule_publish(
    page, login, live_server, networks, jorge, mariana, settings, monkeypatch, tmp_path
):
    from pregon.publishing.channels.instagram import InstagramChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    settings.PREGON_PUBLIC_URL = live_server.url
    acc = networks.accounts
    photo = tmp_path / "feria.jpg"
    photo.write_bytes(jpeg_bytes())

    # Jorge (Redacción) writes it with four channels and a photo for Facebook and
    # Instagram, in the composer; X gets its own text, checked live.
    login(jorge)
    page.goto("/publicaciones/nueva/")
    page.get_by_label("Título interno").fill("Feria de la salud")
    page.get_by_label("Texto base").fill("Feria de la salud este sábado en el jardín municipal.")
    page.get_by_label("Categoría").select_option("salud")
    for key in ("facebook", "instagram", "x", "wordpress"):
        page.locator(f'input[name="channel_{acc[key].pk}"]').check()
    page.locator("#composer-files").set_input_files(str(photo))
    item = page.locator(".media-item").filter(has_text="feria.jpg")
    item.get_by_label("Texto alternativo").fill("Módulos de atención en el jardín")
    token = item.get_attribute("data-token")
    for key in ("x", "wordpress"):
        page.locator(f"#skip-{acc[key].pk}-{token}").check()
    x_text = page.locator(f"#text_{acc['x'].pk}")
    x_text.fill("a" * 290)
    page.locator(f"#check-{acc['x'].pk} .check-problems").filter(
        has_text="290 caracteres ponderados"
    ).wait_for()
    x_text.fill("Feria de la salud este sábado 🩺")
    page.locator(f"#check-{acc['x'].pk}").get_by_text("Cumple las reglas").wait_for()
    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_url(re.compile(r"/publicaciones/\d+/$"))
    page.get_by_test_id("status").filter(has_text="En revisión").wait_for()
    publication = Publication.objects.get(title="Feria de la salud")

    # Mariana (Coordinación) approves and schedules it for now.
    page.get_by_role("button", name="Salir").click()
    login(mariana)
    page.goto(f"/publicaciones/{publication.pk}/")
    page.get_by_role("button", name="Aprobar").click()
    page.get_by_test_id("status").filter(has_text="Aprobada").wait_for()
    page.get_by_label("Publicar el").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Programar").click()
    page.get_by_test_id("status").filter(has_text="Programada").wait_for()

    # The worker's minute comes.
    assert engine.publish_due()["publicada"] == 4
    page.reload()
    page.get_by_test_id("status").filter(has_text="Publicada").wait_for()
    shown = page.locator("code.remote-id").all_inner_texts()
    remote = set(
        Delivery.objects.filter(variant__publication=publication).values_list(
            "remote_id", flat=True
        )
    )
    assert len(shown) == 4 and set(shown) == remote
    assert page.get_by_role("link", name="ver en la red").count() == 4
    by_kind = dict(
        Delivery.objects.filter(variant__publication=publication).values_list(
            "account__kind", "remote_id"
        )
    )
    assert by_kind["facebook_page"] in networks.graph.posts
    assert by_kind["instagram"] in networks.graph.media
    assert networks.x.tweets[by_kind["x"]]["text"] == "Feria de la salud este sábado 🩺"
    assert networks.wp.posts[int(by_kind["wordpress"])]["status"] == "publish"
