"""The archive's search page: cards printed from plain values, as the objects read."""

import datetime as dt
import hashlib

import pytest
from django.test import Client

from pregon.archive import search
from pregon.archive.models import Asset, Clipping

pytestmark = pytest.mark.django_db


def _asset(name: str, **fields) -> Asset:
    asset = Asset.objects.create(
        kind=fields.pop("kind", "foto"),
        original=f"archivo/x/{name}",
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        original_name=name,
        captured_at=dt.datetime(2026, 3, 2, 18, tzinfo=dt.UTC),
        **fields,
    )
    search.index_asset(asset)
    return asset


def test_cards_read_as_the_objects(mariana):
    titled = _asset("obra.jpg", title="Bacheo <en> la calle", caption="Pie", thumbnail="t/a.jpg")
    plain = _asset("bacheo.mp4", kind="video", alt_text="")
    clip = Clipping.objects.create(
        outlet="El Sol & Toluca", media_type="impreso", date=dt.date(2026, 3, 2),
        headline="Avanza el bacheo", tone="negativo",
    )  # fmt: skip
    search.index_clipping(clip)
    client = Client()
    client.force_login(mariana)
    html = client.get("/archivo/", {"q": "bacheo"}).content.decode()
    assert f'<a href="/archivo/{titled.pk}/">' in html
    assert f'<img src="/archivo/{titled.pk}/miniatura.jpg" alt="Pie" loading="lazy">' in html
    assert '<span class="asset-title">Bacheo &lt;en&gt; la calle</span>' in html
    assert f'data-id="{plain.pk}"' in html and '<span class="no-thumb">Video</span>' in html
    assert '<span class="asset-title">bacheo.mp4</span>' in html and "Video · 2 mar. 2026" in html
    assert f'<a href="/archivo/hemeroteca/{clip.pk}/">' in html
    assert 'El Sol &amp; Toluca · 2 mar. 2026 · <span class="tone-negativo">Negativo</span>' in html


def test_a_hit_whose_object_is_gone_prints_nothing(mariana):
    gone = _asset("bacheo.jpg")
    Asset.objects.filter(pk=gone.pk).delete()  # the index lags behind a raw delete
    client = Client()
    client.force_login(mariana)
    html = client.get("/archivo/", {"q": "bacheo"}).content.decode()
    assert "<strong>1</strong> resultado" in html and "No se encontró nada" not in html
    assert f'data-id="{gone.pk}"' not in html
