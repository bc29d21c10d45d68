"""An approved bulletin becomes a portal publication and social variants in one step,
through publishing's own workflow."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pregon.bulletins import services
from pregon.publishing.models import ChannelAccount, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(db):
    return [
        ChannelAccount.objects.create(
            kind="wordpress", name="Portal", base_url="https://p.example"
        ),
        ChannelAccount.objects.create(kind="facebook_page", name="Facebook Ayuntamiento"),
        ChannelAccount.objects.create(kind="x", name="X Ayuntamiento"),
        ChannelAccount.objects.create(kind="instagram", name="Instagram"),
        ChannelAccount.objects.create(
            kind="facebook_page", name="Página personal", is_institutional=False
        ),
    ]


def test_one_step_creates_and_approves_the_publication(channels, approved_bulletin, mariana):
    bulletin = approved_bulletin()
    publication, problems = services.bulletin_publish(bulletin=bulletin, user=mariana)
    assert problems == []
    assert publication.status == "aprobada" and publication.author == bulletin.author
    assert publication.link.endswith(f"/boletines/sala-de-prensa/{bulletin.pk}/")
    kinds = {v.account.name: v for v in publication.variants.select_related("account")}
    assert set(kinds) == {"Portal", "Facebook Ayuntamiento", "X Ayuntamiento"}
    assert "Chapultepec, Estado de México, 5 de agosto de 2023.-" in kinds["Portal"].text
    assert "• Se invirtieron 2.3 millones de pesos" in kinds["Facebook Ayuntamiento"].text
    assert len(kinds["X Ayuntamiento"].text) <= 240
    again, _ = services.bulletin_publish(bulletin=bulletin, user=mariana)
    assert again.pk == publication.pk  # only once


def test_redaccion_creates_it_and_it_waits_for_coordinacion(channels, approved_bulletin, jorge):
    publication, problems = services.bulletin_publish(bulletin=approved_bulletin(), user=jorge)
    assert publication.status == "en_revision"
    assert problems == ["La publicación quedó en revisión: la aprueba Coordinación."]


def test_only_approved_bulletins(channels, make_bulletin, mariana):
    with pytest.raises(ValidationError, match="en estado «Borrador»"):
        services.bulletin_publish(bulletin=make_bulletin(), user=mariana)
    assert not Publication.objects.exists()


def test_button_on_the_page(channels, approved_bulletin, mariana, pedro):
    bulletin = approved_bulletin()
    reader = Client()
    reader.force_login(pedro)
    button = "Crear publicación para portal y redes"
    assert button not in reader.get(f"/boletines/{bulletin.pk}/").content.decode()  # Consulta
    client = Client()
    client.force_login(mariana)
    assert button in client.get(f"/boletines/{bulletin.pk}/").content.decode()
    response = client.post(f"/boletines/{bulletin.pk}/publish/")
    bulletin.refresh_from_db()
    assert response.status_code == 302 and bulletin.publication_id
    assert response["Location"] == f"/publicaciones/{bulletin.publication_id}/"


def test_threads_text_needs_no_public_address_and_a_refused_variant_keeps_a_draft(
    approved_bulletin, mariana, settings
):
    """A bulletin goes to Threads as a headline, which needs no public address. When a
    network refuses its variant (three balazos longer than Telegram's 4,096 characters),
    the publication stays a draft saying which channel and why, instead of the whole
    step failing."""
    settings.PREGON_PUBLIC_URL = ""
    ChannelAccount.objects.create(kind="wordpress", name="Portal", base_url="https://p.example")
    ChannelAccount.objects.create(kind="threads", name="Threads Ayuntamiento")
    publication, problems = services.bulletin_publish(bulletin=approved_bulletin(), user=mariana)
    assert problems == [] and publication.status == "aprobada"

    ChannelAccount.objects.create(kind="telegram", name="Canal de Telegram", external_id="@chap")
    long_points = ["Se rehabilitaron banquetas, guarniciones y alumbrado. " * 30] * 3
    publication, problems = services.bulletin_publish(
        bulletin=approved_bulletin("Obras en el centro", balazos=long_points), user=mariana
    )
    assert publication.status == "borrador" and publication.variants.count() == 3
    assert problems[0] == "La publicación quedó como borrador:"
    assert any("Canal de Telegram" in p and "4,096" in p for p in problems), problems
