"""Publication images come from the archive: picked in the editor, or uploaded there
(and so ingested); older rows with their own file keep working."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pregon.publishing import services
from pregon.publishing.models import PublicationMedia


def _jpeg(color) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), color).save(buf, "JPEG")
    return buf.getvalue()


def test_composer_lists_archive_images_and_attaches_one_on_save(make_publication, jorge, client):
    from pregon.archive.services import asset_ingest

    upload = SimpleUploadedFile("kiosco.jpg", _jpeg((200, 40, 40)), content_type="image/jpeg")
    asset = asset_ingest(file_path_or_uploaded_file=upload, original_name="kiosco.jpg")
    publication = make_publication("borrador")
    client.force_login(jorge)
    page = client.get(reverse("publishing:edit", args=[publication.pk])).content.decode()
    assert "Elegir del archivo" in page and "kiosco.jpg" in page

    client.post(
        reverse("publishing:edit", args=[publication.pk]),
        {
            "title": publication.title,
            "text": publication.text,
            "category": "institucional",
            "media": [f"a{asset.pk}"],
            f"alt_a{asset.pk}": "Kiosco de la plaza",
        },
    )
    media = publication.media.get()
    assert media.asset == asset and media.alt_text == "Kiosco de la plaza"
    assert media.mime_type == "image/jpeg" and (media.width, media.height) == (1200, 900)


def test_upload_in_the_editor_lands_in_the_archive_once(make_publication, jorge):
    from pregon.archive.models import Asset

    first, second = make_publication("borrador"), make_publication("borrador")
    data = _jpeg((10, 120, 10))
    for publication in (first, second):
        upload = SimpleUploadedFile("campo.jpg", data, content_type="image/jpeg")
        services.media_add(publication=publication, upload=upload, alt_text="Campo", user=jorge)
    # The same bytes twice: one archive asset, two publication images.
    assert Asset.objects.count() == 1
    assert {m.asset_id for m in PublicationMedia.objects.all()} == {Asset.objects.get().pk}


def test_pre_archive_media_rows_still_go_out(make_publication, network):
    """Rows from before the archive keep their own file (no data migration needed)."""
    publication = make_publication("programada")
    media = PublicationMedia(
        publication=publication,
        mime_type="image/jpeg",
        width=1200,
        height=900,
        size_bytes=1,
        alt_text="Antigua",
    )
    media.file.save("antigua.jpg", ContentFile(_jpeg((1, 2, 3))), save=True)
    variant = publication.variants.get()
    variant.media.add(media)
    from pregon.publishing import engine

    engine.publish_due()
    sent = network.posts[0].media[0]
    assert sent.path == services.media_public_path(media) and sent.alt_text == "Antigua"
