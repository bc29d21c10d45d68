"""Four eyes: whoever changed a publication's content after it went to review may
not approve that version, through the page or the API; another Coordinación
member may. The author never approves their own (unless the unit allows it)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pregon.publishing import services
from pregon.publishing.models import PublicationStatus as S


@pytest.fixture
def lucia(person):
    """Lucía is Coordinación too: the second pair of eyes."""
    return person("lucia", "coordinacion", area="COMSOC", first_name="Lucía")


def test_api_edit_then_approve_is_refused(api_client, mariana, make_publication):
    publication = make_publication("en_revision")
    boss = api_client(mariana)
    url = f"/api/v1/publications/{publication.pk}"
    edited = boss.patch(url, {"text": "Texto cambiado por Coordinación."}, "application/json")
    assert edited.status_code == 200, edited.content
    refused = boss.post(f"{url}/approve")
    assert refused.status_code == 403
    assert "usted cambió su contenido" in refused.json()["detail"]
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION


def test_another_coordinator_approves_the_edited_version(
    api_client, mariana, lucia, make_publication
):
    publication = make_publication("en_revision")
    services.publication_update(publication=publication, user=mariana, text="Nuevo texto.")
    approved = api_client(lucia).post(f"/api/v1/publications/{publication.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == S.APROBADA


def test_page_says_why_and_offers_no_approve_button(client, mariana, make_publication):
    publication = make_publication("en_revision")
    services.publication_update(publication=publication, user=mariana, title="Otro título")
    client.force_login(mariana)
    detail = client.get(reverse("publishing:detail", args=[publication.pk])).content.decode()
    assert "usted cambió su contenido" in detail
    assert reverse("publishing:action", args=[publication.pk, "aprobar"]) not in detail
    action = reverse("publishing:action", args=[publication.pk, "aprobar"])
    answer = client.post(action, follow=True).content.decode()
    assert "No puede aprobar esta versión de la publicación" in answer
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION


def test_changing_the_channels_counts_as_content(mariana, make_publication, accounts):
    publication = make_publication("en_revision")
    services.publication_update(
        publication=publication, user=mariana, variants={accounts["x"].pk: {"text": "Otro"}}
    )
    with pytest.raises(PermissionDenied, match="cambió su contenido"):
        services.publication_approve(publication=publication, user=mariana)


def test_author_edits_do_not_block_coordinacion(mariana, jorge, make_publication):
    publication = make_publication("en_revision")
    services.publication_update(publication=publication, user=jorge, text="Corrijo una errata.")
    assert services.publication_approve(publication=publication, user=mariana).status == S.APROBADA


def test_editing_an_approved_one_needs_new_eyes(mariana, lucia, make_publication):
    publication = make_publication("aprobada")  # approved by Mariana
    services.publication_update(publication=publication, user=mariana, text="Cambio tardío.")
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION
    with pytest.raises(PermissionDenied):
        services.publication_approve(publication=publication, user=mariana)
    assert services.publication_approve(publication=publication, user=lucia).status == S.APROBADA


def test_moving_only_the_date_through_the_form_is_not_content(mariana, make_publication, accounts):
    """The edit form sends every field back; changing the date alone is scheduling."""
    publication = make_publication("en_revision")
    variant = publication.variants.get()
    services.publication_update(
        publication=publication,
        user=mariana,
        title=publication.title,
        text=publication.text,
        scheduled_at=publication.scheduled_at,
        variants={variant.account_id: {"text": variant.text, "media": [], "alt_texts": {}}},
    )
    assert services.publication_approve(publication=publication, user=mariana).status == S.APROBADA
