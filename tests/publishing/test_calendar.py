"""The publishing calendar: each entry names its networks (icons with text) and
shows its first photo; the week view lists the days; its queries do not grow with
the number of publications."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pregon.publishing import services
from tests.publishing.conftest import jpeg_bytes


def _week(client, when) -> str:
    url = (
        reverse("publishing:calendar") + f"?vista=semana&fecha={timezone.localtime(when):%Y-%m-%d}"
    )
    return client.get(url).content.decode()


def test_entries_show_networks_and_a_thumbnail(client, mariana, jorge, make_publication):
    from pregon.archive.services import asset_ingest

    publication = make_publication("aprobada", channels=("facebook", "x"))
    when = timezone.now() + timedelta(days=1)
    publication.scheduled_at = when
    publication.save()
    asset = asset_ingest(
        file_path_or_uploaded_file=SimpleUploadedFile("pozo.jpg", jpeg_bytes(800, 600)),
        original_name="pozo.jpg",
    )
    media = services.media_attach_asset(publication=publication, asset=asset, user=jorge)
    client.force_login(mariana)
    body = _week(client, when)
    assert 'alt="Facebook · Ayuntamiento"' in body and 'alt="X · @Lauramaliagm"' in body
    thumb = reverse("publishing:media_image", args=[media.pk, "miniatura"])
    assert thumb in body
    response = client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert f'data-id="{publication.pk}"' in body and 'draggable="true"' in body


def test_week_lists_seven_days(client, mariana):
    client.force_login(mariana)
    body = _week(client, timezone.now())
    assert body.count('<li class="cal-day') == 7 and "Semana del " in body


def test_thumbnails_follow_the_publication_visibility(
    client, ricardo, jorge, make_publication, area_factory
):
    from pregon.archive.services import asset_ingest
    from pregon.publishing.models import Publication

    publication = make_publication("borrador")
    Publication.objects.filter(pk=publication.pk).update(area=area_factory("SALUD"))
    asset = asset_ingest(
        file_path_or_uploaded_file=SimpleUploadedFile("a.jpg", jpeg_bytes(400, 400)),
        original_name="a.jpg",
    )
    media = services.media_attach_asset(publication=publication, asset=asset, user=jorge)
    client.force_login(ricardo)  # Enlace of another area
    url = reverse("publishing:media_image", args=[media.pk, "miniatura"])
    assert client.get(url).status_code == 404


def test_month_query_count_does_not_grow(
    client, mariana, make_publication, django_assert_max_num_queries
):
    for _ in range(12):
        make_publication("aprobada", channels=("facebook", "x", "manual"))
    client.force_login(mariana)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("publishing:calendar"))
    assert response.status_code == 200
