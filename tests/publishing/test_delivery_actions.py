"""Settling deliveries through the API with the web page's permission and audit, only
the actions that make sense in each status, and errors in words people can act on."""

import json

from pregon.core.models import AuditEntry
from pregon.publishing import engine
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.models import Delivery, DeliveryStatus, PublicationStatus

D = DeliveryStatus


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _uncertain(make_publication, network) -> Delivery:
    publication = make_publication()
    network.script = [ChannelError("Sin respuesta tras enviar.", uncertain=True)]
    network.find_error = ChannelError("No se puede consultar la red.", uncertain=True)
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.INCIERTA
    return delivery


def test_uncertain_resolved_as_published_through_the_api(
    api_client, mariana, make_publication, network
):
    delivery = _uncertain(make_publication, network)
    coord = api_client(mariana)
    shown = coord.get(f"/api/v1/deliveries/{delivery.pk}").json()
    assert shown["actions"] == ["marcar", "comprobar", "reintentar", "descartar"]
    assert "No se pudo comprobar si se publicó" in shown["last_error"]
    url = "https://www.facebook.com/111/posts/987"
    answer = _post(
        coord, f"/api/v1/deliveries/{delivery.pk}/resolve", {"outcome": "publicada", "url": url}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "publicada" and answer.json()["remote_url"] == url
    assert answer.json()["actions"] == []
    delivery.refresh_from_db()
    assert delivery.settled_by == mariana
    assert delivery.variant.publication.status == PublicationStatus.PUBLICADA
    entry = AuditEntry.objects.get(verb="publishing.delivery_marked_published")
    assert entry.actor == mariana and entry.object_id == str(delivery.pk)


def test_resolve_as_failed_and_bad_url_changes_nothing(
    api_client, mariana, make_publication, network
):
    delivery = _uncertain(make_publication, network)
    coord = api_client(mariana)
    url = f"/api/v1/deliveries/{delivery.pk}/resolve"
    bad = _post(coord, url, {"outcome": "publicada", "url": "no es una dirección"})
    assert bad.status_code in (400, 422)
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA
    closed = _post(coord, url, {"outcome": "fallida"})
    assert closed.status_code == 200 and closed.json()["status"] == "fallida"
    assert AuditEntry.objects.filter(verb="publishing.delivery_given_up", actor=mariana).exists()


def test_failed_delivery_offers_no_check_and_can_be_resent(
    api_client, mariana, make_publication, network
):
    publication = make_publication()
    network.script = [ChannelError("Rechazado", permanent=True)]
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    coord = api_client(mariana)
    assert coord.get(f"/api/v1/deliveries/{delivery.pk}").json()["actions"] == [
        "marcar",
        "reintentar",
    ]
    refused = _post(coord, f"/api/v1/deliveries/{delivery.pk}/recheck")
    assert refused.status_code in (400, 409, 422)  # refused, whatever the code convention
    assert "Comprobar en la red" in refused.content.decode()
    resent = _post(coord, f"/api/v1/deliveries/{delivery.pk}/resend")
    assert resent.status_code == 200 and resent.json()["status"] == "pendiente"
    assert AuditEntry.objects.filter(verb="publishing.delivery_retried", actor=mariana).exists()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and len(network.posts) == 1


def test_recheck_is_queued_for_uncertain_only(api_client, mariana, make_publication, network):
    delivery = _uncertain(make_publication, network)
    answer = _post(api_client(mariana), f"/api/v1/deliveries/{delivery.pk}/recheck")
    assert answer.status_code == 202
    assert AuditEntry.objects.filter(verb="publishing.delivery_recheck_requested").exists()


def test_writers_cannot_settle_deliveries(api_client, jorge, make_publication, network):
    delivery = _uncertain(make_publication, network)
    writer = api_client(jorge)
    for action, body in (("resolve", {"outcome": "fallida"}), ("recheck", {}), ("resend", {})):
        assert _post(writer, f"/api/v1/deliveries/{delivery.pk}/{action}", body).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA


def test_web_page_offers_only_the_actions_that_make_sense(
    client, mariana, make_publication, network
):
    _uncertain(make_publication, network)
    failed = make_publication(text="Otro aviso del DIF.")
    network.script = [ChannelError("Rechazado", permanent=True)]
    engine.publish_due()
    client.force_login(mariana)
    page = client.get("/publicaciones/envios/").content.decode()
    assert page.count("Comprobar en la red") == 1  # the uncertain one, not the failed one
    assert page.count("enviar de nuevo") == 2
    assert Delivery.objects.get(variant__publication=failed).status == D.FALLIDA


def test_rate_limit_in_spanish_with_the_networks_code_and_retry_time(publish, networks):
    publication = publish("facebook")
    networks.graph.rate_limit(times=1, code=32, minutes=5)
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == D.PENDIENTE
    assert delivery.last_error.startswith("Facebook pidió esperar")
    assert "código 32: Page request limit reached" in delivery.last_error
    assert "Se reintentará a las " in delivery.last_error
    assert "no se sabe" not in delivery.last_error
