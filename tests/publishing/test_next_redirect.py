"""A delivery action goes back where the person came from, but never off the site:
`next` passes Django's safe-URL check."""

import pytest
from django.urls import reverse

from pregon.publishing.models import Delivery


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_check_action_refuses_an_outside_next(client, mariana, make_publication, target):
    publication = make_publication("programada", channels=("manual",))
    delivery = Delivery.objects.get(variant__publication=publication)
    client.force_login(mariana)
    url = reverse("publishing:delivery_action", args=[delivery.pk, "comprobar"])
    response = client.post(url, {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("publishing:deliveries")


def test_check_action_follows_a_next_on_the_site(client, mariana, make_publication):
    publication = make_publication("programada", channels=("manual",))
    delivery = Delivery.objects.get(variant__publication=publication)
    client.force_login(mariana)
    back = reverse("publishing:detail", args=[publication.pk]) + "?pestana=envios"
    url = reverse("publishing:delivery_action", args=[delivery.pk, "comprobar"])
    assert client.post(url, {"next": back}).url == back
