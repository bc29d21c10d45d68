"""The publishing pages: rendering, permissions, live validation, calendar moves,
the manual package, channel accounts with write-only credentials, signed media links."""

import json
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pregon.core.models import AuditEntry
from pregon.publishing import media_links, services
from pregon.publishing.models import ChannelAccount, Delivery, Publication, PublicationStatus
from tests.publishing.conftest import jpeg_bytes


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_pages_render_for_coordinacion(as_user, mariana, make_publication):
    publication = make_publication("programada", channels=("facebook", "manual"))
    c = as_user(mariana)
    delivery = Delivery.objects.get(variant__publication=publication, account__kind="manual")
    title = "Inauguración del pozo"
    text = "Hoy inauguramos el pozo de agua en San Miguel."
    # Each page with what Coordinación must see on it.
    pages = {
        reverse("publishing:list"): ["<h1>Publicaciones</h1>", title],
        reverse("publishing:create"): ["<h1>Nueva publicación</h1>", "Facebook · Ayuntamiento"],
        reverse("publishing:detail", args=[publication.pk]): [
            f"<h1>{title}</h1>",
            'data-testid="status">Programada</span>',
            text,
            "Facebook · Ayuntamiento",
            "WhatsApp",
        ],
        reverse("publishing:edit", args=[publication.pk]): [
            f"Editar «{title}»",
            text,
            "Cumple las reglas de Página de Facebook",
        ],
        reverse("publishing:calendar"): ["<h1>Calendario de publicación</h1>"],
        reverse("publishing:calendar") + "?vista=semana": ["Semana del "],
        reverse("publishing:today"): ["<h1>Lo que sale hoy</h1>", title],
        reverse("publishing:deliveries"): ["<h1>Envíos</h1>", title, "Facebook · Ayuntamiento"],
        reverse("publishing:package", args=[delivery.pk]): [
            "Publicar a mano en WhatsApp",
            "Texto listo para copiar",
            text,
        ],
        reverse("publishing:accounts"): ["<h1>Canales</h1>", "X · @Lauramaliagm", "Portal"],
        reverse("publishing:account_create"): ["<h1>Nuevo canal</h1>"],
    }
    for url, expected in pages.items():
        response = c.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for snippet in expected:
            assert snippet in body, (url, snippet)


def test_consulta_reads_but_cannot_write(as_user, pedro, make_publication):
    publication = make_publication("en_revision")
    c = as_user(pedro)
    page = c.get(reverse("publishing:detail", args=[publication.pk])).content.decode()
    assert "<h1>Inauguración del pozo</h1>" in page
    assert ">Aprobar</button>" not in page and ">Editar</a>" not in page
    assert c.get(reverse("publishing:create")).status_code == 403
    response = c.post(reverse("publishing:action", args=[publication.pk, "aprobar"]))
    assert response.status_code == 403
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EN_REVISION and publication.approved_by is None


def test_enlace_sees_only_their_area(as_user, ricardo, make_publication, area_factory):
    mine = make_publication("borrador")
    other = make_publication("borrador")
    Publication.objects.filter(pk=mine.pk).update(area=area_factory("OPDU"))
    Publication.objects.filter(pk=other.pk).update(area=area_factory("SALUD"))
    c = as_user(ricardo)
    page = c.get(reverse("publishing:detail", args=[mine.pk])).content.decode()
    assert "<h1>Inauguración del pozo</h1>" in page
    assert c.get(reverse("publishing:detail", args=[other.pk])).status_code == 404


def test_create_with_variants_from_the_form(as_user, jorge, accounts):
    c = as_user(jorge)
    fb, x = accounts["facebook"], accounts["x"]
    response = c.post(
        reverse("publishing:create"),
        {
            "title": "Bacheo en la colonia Centro",
            "text": "Continuamos el bacheo en la colonia Centro.",
            "category": "obra_publica",
            f"channel_{fb.pk}": "1",
            f"text_{fb.pk}": "",
            f"channel_{x.pk}": "1",
            f"text_{x.pk}": "Bacheo en el Centro 🚧",
        },
    )
    publication = Publication.objects.get(title="Bacheo en la colonia Centro")
    assert response.status_code == 302
    variants = {v.account_id: v.text for v in publication.variants.all()}
    assert variants == {fb.pk: "", x.pk: "Bacheo en el Centro 🚧"}
    assert publication.author == jorge and publication.status == PublicationStatus.BORRADOR


def test_approve_button_flow(as_user, mariana, make_publication):
    publication = make_publication("en_revision")
    c = as_user(mariana)
    c.post(reverse("publishing:action", args=[publication.pk, "aprobar"]))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA
    when = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    c.post(reverse("publishing:schedule", args=[publication.pk]), {"when": when})
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PROGRAMADA
    assert timezone.localtime(publication.scheduled_at).strftime("%Y-%m-%dT%H:%M") == when
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == "pendiente" and delivery.scheduled_at == publication.scheduled_at


def test_calendar_drag_moves_date_keeping_time(as_user, mariana, make_publication):
    publication = make_publication("programada", minutes=120)
    before = timezone.localtime(publication.scheduled_at)
    target = (before + timedelta(days=3)).date()
    c = as_user(mariana)
    response = c.post(reverse("publishing:move", args=[publication.pk]), {"fecha": str(target)})
    assert response.status_code == 200, response.content
    publication.refresh_from_db()
    after = timezone.localtime(publication.scheduled_at)
    assert after.date() == target and after.strftime("%H:%M") == before.strftime("%H:%M")
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.scheduled_at == publication.scheduled_at
    bad = c.post(reverse("publishing:move", args=[publication.pk]), {"fecha": "ayer"})
    assert bad.status_code == 400 and "Fecha inválida" in bad.json()["error"]


def test_manual_mark_published(as_user, mariana, make_publication):
    publication = make_publication("programada", channels=("manual",))
    delivery = Delivery.objects.get(variant__publication=publication)
    c = as_user(mariana)
    c.post(
        reverse("publishing:delivery_action", args=[delivery.pk, "marcar"]),
        {"url": "https://chat.whatsapp.com/lista/123"},
    )
    delivery.refresh_from_db()
    assert delivery.status == "publicada"
    assert delivery.remote_url == "https://chat.whatsapp.com/lista/123"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


def test_credentials_are_write_only_and_masked(as_user, mariana):
    c = as_user(mariana)
    secret = "EAAG-super-secreto-123"
    response = c.post(
        reverse("publishing:account_create"),
        {
            "name": "Facebook nuevo",
            "kind": "facebook_page",
            "external_id": "999",
            "state": "activa",
            "is_institutional": "on",
            "credentials_json": json.dumps({"access_token": secret}),
        },
    )
    assert response.status_code == 302
    account = ChannelAccount.objects.get(name="Facebook nuevo")
    assert json.loads(account.credentials) == {"access_token": secret}
    page = c.get(reverse("publishing:account_edit", args=[account.pk])).content.decode()
    assert secret not in page and "Hay credenciales guardadas" in page
    # Saving with the field empty keeps them.
    c.post(
        reverse("publishing:account_edit", args=[account.pk]),
        {
            "name": "Facebook nuevo",
            "kind": "facebook_page",
            "state": "activa",
            "credentials_json": "",
        },
    )
    account.refresh_from_db()
    assert json.loads(account.credentials) == {"access_token": secret}
    assert secret not in json.dumps(list(AuditEntry.objects.values_list("data", flat=True)))
    bad = c.post(
        reverse("publishing:account_edit", args=[account.pk]),
        {
            "name": "Facebook nuevo",
            "kind": "facebook_page",
            "state": "activa",
            "credentials_json": "{mal",
        },
    )
    assert "JSON válido (línea 1" in bad.content.decode()


def test_probar_conexion_runs_as_a_task(
    as_user, mariana, accounts, network, django_capture_on_commit_callbacks
):
    c = as_user(mariana)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("publishing:account_test", args=[accounts["x"].pk]))
    assert response.status_code == 302
    accounts["x"].refresh_from_db()
    assert accounts["x"].check_ok is True
    assert accounts["x"].check_message == "Cuenta de prueba conectada"


def test_signed_media_link_expires(client, make_publication, jorge, settings):
    publication = make_publication("borrador")
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(400, 400), content_type="image/jpeg")
    media = services.media_add(publication=publication, upload=upload, user=jorge)
    settings.PREGON_PUBLIC_URL = "https://pregon.example"
    url = media_links.public_url(media.pk)
    path = url.removeprefix("https://pregon.example")
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content) if response.streaming else response.content
    assert served == services.media_public_path(media).read_bytes()
    assert client.get(path[:-3] + "xyz/").status_code == 404
    settings.PREGON_PUBLIC_LINK_SECONDS = -1
    assert client.get(path).status_code == 404
    with pytest.raises(signing.BadSignature):
        media_links.unsign("1:abc:def")


def test_home_panels(as_user, mariana, jorge, make_publication):
    from pregon.publishing.models import Publication

    review = make_publication("en_revision")
    Publication.objects.filter(pk=review.pk).update(missed_at=timezone.now())
    body = as_user(mariana).get("/").content.decode()
    assert "Publicaciones por aprobar" in body and "Inauguración del pozo" in body
    body = as_user(jorge).get("/").content.decode()
    assert "Publicaciones que no salieron" in body and "no se aprobó a tiempo" in body


def test_home_panels_are_cached_per_person_until_a_publication_changes(
    client, mariana, jorge, make_publication, django_assert_max_num_queries
):
    client.force_login(mariana)
    client.get("/")
    with django_assert_max_num_queries(6):  # session, user, nothing for the panels
        assert "Nada por aprobar." in client.get("/").content.decode()
    make_publication(step="en_revision")  # Jorge sends one for review
    assert "Inauguración del pozo" in client.get("/").content.decode()
