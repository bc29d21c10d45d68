"""Exported pieces and the brand logo are served by Pregón after the same
permission check as the pages that show them, so they also show under `make run`
(DEBUG off, where nothing serves /media/)."""

import pytest
from django.test import Client
from django.urls import reverse

from pregon.design import services
from tests.design.conftest import SHORT

pytestmark = pytest.mark.django_db


def test_pieces_are_served_to_who_may_see_them(client, diseno, person, settings) -> None:
    settings.DEBUG = False
    piece = services.piece_create(template="aviso", data=SHORT, size="1080x1350", user=diseno)
    url = reverse("design:piece_image", args=[piece.pk])
    client.force_login(diseno)
    assert f'src="{url}"' in client.get("/diseno/piezas/").content.decode()
    assert f'src="{url}"' in client.get("/diseno/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "/media/" not in client.get("/diseno/piezas/").content.decode()
    stranger = Client()
    stranger.force_login(person("sinrol"))  # signed in, but no role that sees designs
    assert stranger.get(url).status_code == 403
    assert Client().get(url).status_code == 302
