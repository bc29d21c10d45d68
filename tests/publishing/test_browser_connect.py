"""In Chromium: Coordinación presses «Conectar con Facebook», consents on the (fake)
Facebook page, picks a Page and its Instagram account, and Pregón publishes to both."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import engine, services
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus
from tests.publishing.conftest import jpeg_bytes
from tests.publishing.fakes.oauth import MetaLoginFake

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PREGON_SCREENSHOTS")  # a folder to keep what the page looked like


def test_connect_facebook_and_instagram_from_the_browser(
    page, login, mariana, jorge, settings, live_server, monkeypatch
):
    from pregon.publishing.channels.instagram import InstagramChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    with MetaLoginFake(app_id="app-123", app_secret="app-s3cret") as graph:
        settings.PREGON_META_APP_ID, settings.PREGON_META_APP_SECRET = "app-123", "app-s3cret"
        settings.PREGON_GRAPH_API_URL = graph.url
        settings.PREGON_META_OAUTH_URL = f"{graph.url}/dialog/oauth"
        settings.PREGON_PUBLIC_URL = live_server.url
        graph.add_login_user(
            "u-1",
            [
                ("111", "H. Ayuntamiento de Chapultepec", "page-tok", "178", "chapultepec.gob"),
                ("222", "DIF Chapultepec", "page-dif", "", ""),
            ],
        )
        login(mariana)
        page.goto("/publicaciones/canales/")
        page.get_by_role("link", name="Conectar con Facebook").click()
        page.get_by_role("button", name="Permitir").click()  # on Facebook's page
        page.get_by_text("¿Qué cuentas conectar?").wait_for()
        page.get_by_label("Página de Facebook «DIF Chapultepec»").uncheck()
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/conectar-elegir.png", full_page=True)
        page.get_by_role("button", name="Agregar las marcadas").click()
        page.get_by_text("Conectadas:").wait_for()
        kinds = sorted(ChannelAccount.objects.values_list("kind", "external_id"))
        assert kinds == [("facebook_page", "111"), ("instagram", "178")]
        accounts = list(ChannelAccount.objects.all())
        publication = services.publication_create(
            author=jorge, title="Feria", text="Feria de la salud este sábado", category="salud"
        )
        upload = SimpleUploadedFile("feria.jpg", jpeg_bytes(), content_type="image/jpeg")
        media = services.media_add(
            publication=publication, upload=upload, alt_text="Módulos de salud", user=jorge
        )
        services.variants_set(
            publication=publication,
            user=jorge,
            variants={a.pk: {"text": "", "media": [media.pk]} for a in accounts},
        )
        services.publication_submit(publication=publication, user=jorge)
        services.publication_approve(publication=publication, user=mariana)
        services.publication_schedule(
            publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
        )
        engine.publish_due()
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PUBLICADA}
        assert len(graph.media) == 1 and (graph.posts or graph.photos)
