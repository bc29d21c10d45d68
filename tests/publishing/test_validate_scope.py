"""The composer's live check takes media from the form: an Enlace de área who posts
another area's media or archive file learns nothing about it (not even its name)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregon.archive.services import asset_ingest
from pregon.publishing import services
from pregon.publishing.models import Publication
from tests.publishing.conftest import jpeg_bytes


def _check(client, account, publication, tokens):
    return client.post(
        reverse("publishing:compose_check"),
        {
            "publication": publication.pk if publication else "",
            "title": "Aviso",
            "text": "Hola",
            f"channel_{account.pk}": "on",
            "media": tokens,
        },
        HTTP_HX_REQUEST="true",
    )


def test_enlace_cannot_see_another_areas_files(
    client, ricardo, jorge, accounts, make_publication, area_factory, tmp_path
):
    other = make_publication("borrador")
    Publication.objects.filter(pk=other.pk).update(area=area_factory("SALUD"))
    upload = SimpleUploadedFile("campaña-vacunación-menores.jpg", jpeg_bytes(), "image/jpeg")
    media = services.media_add(publication=other, upload=upload, user=jorge)
    path = tmp_path / "expediente-salud-menores.jpg"
    path.write_bytes(jpeg_bytes(800, 600))
    asset = asset_ingest(
        file_path_or_uploaded_file=path,
        original_name=path.name,
        area=area_factory("SALUD"),
    )
    own = make_publication("borrador")
    Publication.objects.filter(pk=own.pk).update(area=ricardo.area)
    client.force_login(ricardo)
    response = _check(client, accounts["x"], own, [f"m{media.pk}", f"a{asset.pk}"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "campaña-vacunación-menores" not in page and "expediente-salud" not in page
    assert client.post(
        reverse("publishing:compose_check"), {"publication": other.pk, "media": [f"m{media.pk}"]}
    ).status_code in (403, 404)


def test_author_still_sees_their_own_file(client, jorge, accounts, make_publication):
    publication = make_publication("borrador")
    upload = SimpleUploadedFile("pozo-san-miguel.jpg", jpeg_bytes(), "image/jpeg")
    media = services.media_add(publication=publication, upload=upload, user=jorge)
    client.force_login(jorge)
    response = _check(client, accounts["x"], publication, [f"m{media.pk}"])
    assert "pozo-san-miguel" in response.content.decode()
