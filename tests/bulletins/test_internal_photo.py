"""A bulletin's photo shows on its internal page before approval (served by Pregón
with the bulletin's permission check, not from /media/), and stays out of the
public press room until then."""

import pytest
from django.test import Client
from django.urls import reverse

from pregon.bulletins import services

pytestmark = pytest.mark.django_db


def test_draft_photo_is_served_to_the_team_only(make_bulletin, photo_asset, jorge):
    bulletin = make_bulletin()
    photo = services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    url = reverse("bulletins:photo_image", args=[bulletin.pk, photo.pk])
    team = Client()
    team.force_login(jorge)
    page = team.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert f'src="{url}"' in page
    response = team.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert Client().get(url).status_code == 302  # to the login page
    public = reverse("bulletins:press_photo", args=[photo.pk])
    assert Client().get(public).status_code == 404
