"""Daily token health against the fake networks: Meta's debug_token for expiry and
permissions, X and WordPress connection checks; a revoked token holds deliveries and
tells Coordinación; reconnecting sends each held delivery once."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pregon.publishing import engine, services, token_health
from pregon.publishing.models import ChannelAccount, ChannelState, Delivery, DeliveryStatus
from tests.publishing.fakes.oauth import MetaLoginFake
from tests.publishing.fakes.x import XFake


@pytest.fixture
def coordinacion(mariana):
    mariana.email = "mariana@chapultepec.gob.mx"
    mariana.save()
    return mariana


@pytest.fixture
def meta(settings):
    with MetaLoginFake(app_id="app-1", app_secret="s3") as graph:
        settings.PREGON_META_APP_ID, settings.PREGON_META_APP_SECRET = "app-1", "s3"
        settings.PREGON_GRAPH_API_URL = graph.url
        yield graph


def meta_page_with_user_token(graph, scopes: set[str], days: int) -> ChannelAccount:
    """A Page whose token Meta knows (debug_token) with these permissions."""
    graph.add_page("111", "H. Ayuntamiento de Chapultepec", token="page-tok")
    graph.user_tokens["page-tok"] = {"user": "u-1", "long": True, "scopes": scopes}
    graph.token_expiry = int((datetime.now(UTC) + timedelta(days=days)).timestamp())
    return ChannelAccount.objects.create(
        name="Facebook Ayuntamiento", kind="facebook_page", external_id="111",
        credentials=json.dumps({"access_token": "page-tok"}),
    )  # fmt: skip


def test_expiry_and_missing_permissions_are_recorded_and_shown(meta, coordinacion, client):
    account = meta_page_with_user_token(meta, {"pages_manage_posts"}, days=3)
    counts = token_health.check_all()
    account.refresh_from_db()
    assert counts["revisadas"] == 1 and counts["por_vencer"] == 1
    assert account.missing_permissions == ["pages_read_engagement"]
    assert account.token_expires_at is not None
    assert account.token_expires_at - timezone.now() < timedelta(days=3, minutes=1)
    assert [m.subject for m in mail.outbox] == ["Cuentas de redes por vencer"]
    client.force_login(coordinacion)
    home = client.get("/").content.decode()
    assert (
        "Cuentas de redes por atender" in home and "Faltan permisos: pages_read_engagement" in home
    )


def test_revoked_token_holds_deliveries_until_reconnected_then_sends_each_once(
    meta, coordinacion, jorge
):
    mariana = coordinacion
    account = meta_page_with_user_token(
        meta, {"pages_manage_posts", "pages_read_engagement"}, days=60
    )
    publication = services.publication_create(
        author=jorge, title="Aviso", text="Aviso importante a la población"
    )
    services.variants_set(publication=publication, user=jorge,
                          variants={account.pk: {"text": ""}})  # fmt: skip
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    del meta.user_tokens["page-tok"]  # revoked in Facebook
    token_health.check_all()
    account.refresh_from_db()
    assert account.state == ChannelState.RECONNECT
    assert "ya no es válido" in account.check_message
    assert any("necesita volver a conectarse" in m.subject for m in mail.outbox)
    engine.publish_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDIENTE and meta.posts == {}  # held, not failed
    meta.add_page("111", "H. Ayuntamiento de Chapultepec", token="page-tok-2")
    services.account_save(
        account=account, user=mariana, credentials=json.dumps({"access_token": "page-tok-2"})
    )
    engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PUBLICADA and len(meta.posts) == 1


def test_x_health_check_refreshes_and_stores_the_rotated_token(db, settings):
    with XFake() as x:
        settings.PREGON_X_API_URL = x.url
        x.add_user("42", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
        account = ChannelAccount.objects.create(
            name="X", kind="x", external_id="42",
            credentials=json.dumps({"access_token": "at-1", "refresh_token": "rt-1",
                                    "client_id": "pregon"}),
        )  # fmt: skip
        x.expire_access_token("at-1")
        token_health.check_all()
        stored = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
        assert stored["refresh_token"] != "rt-1" and stored["refresh_token"] in x.refresh_tokens
        assert ChannelAccount.objects.get(pk=account.pk).check_ok is True
