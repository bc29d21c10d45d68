"""The live per-network check takes media ids from the form: an Enlace de área who
posts another area's media id learns nothing about that file (not even its name)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregon.publishing import services
from pregon.publishing.models import Publication
from tests.publishing.conftest import jpeg_bytes


def test_enlace_cannot_see_another_areas_file_name(
    client, ricardo, jorge, accounts, make_publication, area_factory
):
    other = make_publication("borrador")
    Publication.objects.filter(pk=other.pk).update(area=area_factory("SALUD"))
    upload = SimpleUploadedFile("campaña-vacunación-menores.jpg", jpeg_bytes(), "image/jpeg")
    media = services.media_add(publication=other, upload=upload, user=jorge)
    x = accounts["x"]
    client.force_login(ricardo)
    response = client.post(
        reverse("publishing:validate"),
        {"account": x.pk, f"text_{x.pk}": "Hola", f"media_{x.pk}": media.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "campaña-vacunación-menores" not in response.content.decode()


def test_author_still_sees_their_own_file(client, jorge, accounts, make_publication):
    publication = make_publication("borrador")
    upload = SimpleUploadedFile("pozo-san-miguel.jpg", jpeg_bytes(), "image/jpeg")
    media = services.media_add(publication=publication, upload=upload, user=jorge)
    x = accounts["x"]
    client.force_login(jorge)
    response = client.post(
        reverse("publishing:validate"),
        {"account": x.pk, f"text_{x.pk}": "Hola", f"media_{x.pk}": media.pk},
    )
    assert "pozo-san-miguel" in response.content.decode()
