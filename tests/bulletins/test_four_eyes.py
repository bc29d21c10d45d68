"""Four eyes for bulletins: whoever changed the text or photos after it went to
review may not approve it (page and API say why); another Coordinación member may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pregon.bulletins import services
from pregon.bulletins.models import BulletinStatus as S


@pytest.fixture
def lucia(person):
    return person("lucia", "coordinacion", area="COMSOC", first_name="Lucía")


@pytest.fixture
def in_review(make_bulletin, jorge):
    bulletin = make_bulletin()
    return services.bulletin_submit(bulletin=bulletin, user=jorge)


def test_api_edit_then_approve_is_refused(api_client, mariana, in_review):
    boss = api_client(mariana)
    url = f"/api/v1/bulletins/{in_review.pk}"
    edited = boss.patch(url, {"title": "Título de Coordinación"}, "application/json")
    assert edited.status_code == 200, edited.content
    refused = boss.post(f"{url}/approve")
    assert refused.status_code == 403
    assert "usted cambió su contenido" in refused.json()["detail"]
    in_review.refresh_from_db()
    assert in_review.status == S.EN_REVISION and in_review.number is None


def test_another_coordinator_approves(api_client, mariana, lucia, in_review):
    services.bulletin_update(bulletin=in_review, user=mariana, title="Corregido")
    approved = api_client(lucia).post(f"/api/v1/bulletins/{in_review.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == S.APROBADO


def test_adding_a_photo_counts_as_content(mariana, in_review, photo_asset):
    services.photo_add(bulletin=in_review, asset=photo_asset, user=mariana)
    with pytest.raises(PermissionDenied, match="esta versión del boletín"):
        services.bulletin_approve(bulletin=in_review, user=mariana)


def test_page_says_why(client, mariana, in_review):
    services.bulletin_update(bulletin=in_review, user=mariana, title="Corregido")
    client.force_login(mariana)
    detail = client.get(reverse("bulletins:detail", args=[in_review.pk])).content.decode()
    assert "usted cambió su contenido" in detail and "Aprobar y numerar" not in detail
    action = reverse("bulletins:action", args=[in_review.pk, "approve"])
    answer = client.post(action, follow=True)
    assert answer.status_code == 200
    assert "No puede aprobar esta versión del boletín" in answer.content.decode()
