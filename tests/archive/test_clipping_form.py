"""The hemeroteca form's date field is filled in a format a date field can read."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone


def test_the_clipping_date_starts_as_today_in_iso(mariana):
    client = Client()
    client.force_login(mariana)
    page = client.get(reverse("archive:clippings")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="date" value="{today}"' in page
    assert "Elija…" in page and "---------" not in page
