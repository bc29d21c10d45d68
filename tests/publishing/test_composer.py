"""The composer (one page): live checks of the ticked channels only, photos and
videos dropped or picked from the archive, per-network previews, and one save that
can also send to review."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregon.publishing.models import Publication, PublicationStatus
from tests.publishing.conftest import jpeg_bytes

TEXT = "Feria de la salud este sábado en el jardín municipal."


@pytest.fixture
def instagram(db):
    from pregon.publishing.models import ChannelAccount, ChannelKind

    return ChannelAccount.objects.create(
        name="Instagram · Ayuntamiento", kind=ChannelKind.INSTAGRAM, handle="gobchapultepec"
    )


@pytest.fixture
def photo(db):
    """A 1080×1350 photo already in the archive."""
    from pregon.archive.services import asset_ingest

    upload = SimpleUploadedFile("feria.jpg", jpeg_bytes(), content_type="image/jpeg")
    asset = asset_ingest(file_path_or_uploaded_file=upload, original_name="feria.jpg")
    asset.alt_text = "Módulos de salud en el jardín"
    asset.save()
    return asset


def check(client, data: dict) -> str:
    response = client.post(reverse("publishing:compose_check"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def panel(body: str, account) -> str:
    """The inner HTML of one channel's check in an htmx response."""
    start = body.index(f'id="check-{account.pk}"')
    end = body.find('<div id="check-', start + 1)
    return body[start : end if end != -1 else None]


def test_unticked_channels_show_nothing_and_the_base_text_counts(client, jorge, accounts):
    client.force_login(jorge)
    fb, x = accounts["facebook"], accounts["x"]
    body = check(client, {"text": TEXT, f"channel_{x.pk}": "1", f"text_{x.pk}": ""})
    assert "Cumple las reglas de X" in panel(body, x)
    assert "El texto está vacío" not in body
    assert "53 de 280 caracteres ponderados" in panel(body, x)
    # Facebook is not ticked: its check is emptied, no error, no counter.
    assert panel(body, fb).split(">", 1)[1].strip().startswith("</div>")


def test_a_ticked_channel_without_text_says_so_until_the_base_text_is_written(
    client, jorge, accounts
):
    client.force_login(jorge)
    fb = accounts["facebook"]
    empty = panel(check(client, {"text": "", f"channel_{fb.pk}": "1"}), fb)
    assert "El texto está vacío." in empty and "Facebook: el texto está vacío" in empty
    written = panel(check(client, {"text": TEXT, f"channel_{fb.pk}": "1"}), fb)
    assert "El texto está vacío" not in written and "Cumple las reglas" in written


def test_x_counts_the_link_and_marks_what_goes_over(client, jorge, accounts):
    client.force_login(jorge)
    x = accounts["x"]
    data = {
        "text": "a" * 270,
        "link": "https://www.chapultepec.gob.mx/avisos/feria-de-la-salud",
        f"channel_{x.pk}": "1",
    }
    body = panel(check(client, data), x)
    # 270 + a space + the link counted as 23.
    assert "294 de 280 caracteres ponderados" in body
    assert "X: el texto mide 294 caracteres ponderados; el máximo es 280" in body
    assert '<mark class="pv-over"' in body


def test_photo_in_the_composer_shows_in_every_ticked_preview(
    client, jorge, accounts, instagram, photo, settings
):
    settings.PREGON_PUBLIC_URL = "https://pregon.example"
    client.force_login(jorge)
    fb, x = accounts["facebook"], accounts["x"]
    token = f"a{photo.pk}"
    data = {
        "text": TEXT,
        "media": [token],
        f"alt_{token}": "Módulos de salud",
        f"channel_{fb.pk}": "1",
        f"channel_{instagram.pk}": "1",
        f"channel_{x.pk}": "1",
        f"skip_{x.pk}": [token],  # removed from X only
    }
    body = check(client, data)
    image = f"/archivo/{photo.pk}/vista.jpg"
    assert image in panel(body, fb) and image in panel(body, instagram)
    assert image not in panel(body, x).split('<fieldset class="channel-media">')[0]
    assert "Cumple las reglas de Instagram" in panel(body, instagram)
    # Instagram keeps a 4:5 photo at 4:5.
    assert 'viewBox="0 0 1000 1250"' in panel(body, instagram)
    assert "recortada a 4:5" in panel(body, instagram)


def test_instagram_without_media_or_alt_text_is_refused_live(
    client, jorge, instagram, photo, settings
):
    settings.PREGON_PUBLIC_URL = "https://pregon.example"
    client.force_login(jorge)
    body = panel(check(client, {"text": TEXT, f"channel_{instagram.pk}": "1"}), instagram)
    assert "Instagram: necesita al menos una imagen o un video." in body
    token = f"a{photo.pk}"
    body = panel(
        check(
            client,
            {"text": TEXT, "media": [token], f"alt_{token}": "", f"channel_{instagram.pk}": "1"},
        ),
        instagram,
    )
    assert "La imagen 1 no tiene texto alternativo" in body


def test_facebook_folds_long_text_behind_ver_mas(client, jorge, accounts):
    client.force_login(jorge)
    fb = accounts["facebook"]
    long_text = " ".join(["Jornada de vacunación en la clínica municipal."] * 15)
    body = panel(check(client, {"text": long_text, f"channel_{fb.pk}": "1"}), fb)
    assert '<span class="pv-more">Ver más</span>' in body
    short = panel(check(client, {"text": TEXT, f"channel_{fb.pk}": "1"}), fb)
    assert "Ver más" not in short


def test_drop_a_photo_into_the_archive(client, jorge):
    from pregon.archive.models import Asset

    client.force_login(jorge)
    upload = SimpleUploadedFile("kiosco.png", _png(), content_type="image/png")
    response = client.post(reverse("publishing:compose_upload"), {"archivo": upload})
    body = response.content.decode()
    asset = Asset.objects.get()
    assert f'name="media" value="a{asset.pk}"' in body and "Agregado: «kiosco.png»" in body
    assert response["HX-Trigger-After-Settle"] == "composer-media"
    assert asset.created_by == jorge and asset.original_name == "kiosco.png"


def test_a_file_that_is_not_a_photo_changes_nothing(client, jorge):
    from pregon.archive.models import Asset

    client.force_login(jorge)
    upload = SimpleUploadedFile("nota.jpg", b"%PDF-1.4 no", content_type="image/jpeg")
    body = client.post(reverse("publishing:compose_upload"), {"archivo": upload}).content.decode()
    assert "El archivo «nota.jpg» no es una imagen ni un video." in body
    assert 'name="media"' not in body and Asset.objects.count() == 0


def test_write_fb_ig_x_with_a_photo_and_send_to_review_in_one_save(
    client, jorge, accounts, instagram, photo, settings
):
    settings.PREGON_PUBLIC_URL = "https://pregon.example"  # Instagram downloads from it
    client.force_login(jorge)
    fb, x = accounts["facebook"], accounts["x"]
    token = f"a{photo.pk}"
    response = client.post(
        reverse("publishing:create"),
        {
            "title": "Feria de la salud",
            "text": TEXT,
            "category": "salud",
            "media": [token],
            f"alt_{token}": "Módulos de salud",
            f"channel_{fb.pk}": "1",
            f"channel_{instagram.pk}": "1",
            f"channel_{x.pk}": "1",
            f"text_{x.pk}": "Feria de la salud este sábado 🩺",
            f"skip_{x.pk}": [token],
            "accion": "enviar",
        },
    )
    publication = Publication.objects.get(title="Feria de la salud")
    assert response.status_code == 302
    assert publication.status == PublicationStatus.EN_REVISION
    media = publication.media.get()
    assert media.asset == photo and media.alt_text == "Módulos de salud"
    variants = {v.account_id: v for v in publication.variants.all()}
    assert set(variants) == {fb.pk, instagram.pk, x.pk}
    assert list(variants[fb.pk].media.all()) == [media]
    assert list(variants[instagram.pk].media.all()) == [media]
    assert list(variants[x.pk].media.all()) == [] and variants[x.pk].text.endswith("🩺")


def test_instagram_without_a_public_address_cannot_go_to_review(
    client, jorge, instagram, photo, settings
):
    """The same verdict as approval, at submit: said in Spanish with the channel and
    the field, and the composer keeps what was written (nothing saved)."""
    settings.PREGON_PUBLIC_URL = ""
    client.force_login(jorge)
    token = f"a{photo.pk}"
    data = {
        "title": "Feria de la salud",
        "text": TEXT,
        "category": "salud",
        "media": [token],
        f"alt_{token}": "Módulos de salud",
        f"channel_{instagram.pk}": "1",
        "accion": "enviar",
    }
    response = client.post(reverse("publishing:create"), data)
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "No se puede enviar a revisión." in body
    assert (
        "Instagram · Ayuntamiento — configuración de la instalación (PREGON_PUBLIC_URL): "
        "Instagram descarga las imágenes desde una dirección pública" in body
    )
    assert not Publication.objects.exists()
    assert TEXT in body  # what was written is still on the page


def test_a_refused_submission_saves_nothing(client, jorge):
    client.force_login(jorge)
    response = client.post(
        reverse("publishing:create"),
        {"title": "Sin canales", "text": TEXT, "category": "salud", "accion": "enviar"},
    )
    assert response.status_code == 200
    assert "Agregue al menos un canal antes de enviar a revisión." in response.content.decode()
    assert not Publication.objects.exists()


def test_editing_keeps_removes_and_adds_media(client, jorge, accounts, photo, make_publication):
    from pregon.archive.services import asset_ingest
    from pregon.publishing import services

    publication = make_publication("borrador")
    kept = services.media_attach_asset(publication=publication, asset=photo, user=jorge)
    other = asset_ingest(
        file_path_or_uploaded_file=SimpleUploadedFile("plaza.jpg", jpeg_bytes(1200, 900)),
        original_name="plaza.jpg",
    )
    gone = services.media_attach_asset(publication=publication, asset=other, user=jorge)
    fb = accounts["facebook"]
    client.force_login(jorge)
    page = client.get(reverse("publishing:edit", args=[publication.pk])).content.decode()
    assert f'value="m{kept.pk}"' in page and f'value="m{gone.pk}"' in page
    fresh = asset_ingest(
        file_path_or_uploaded_file=SimpleUploadedFile("kiosco.png", _png()),
        original_name="kiosco.png",
    )
    client.post(
        reverse("publishing:edit", args=[publication.pk]),
        {
            "title": publication.title,
            "text": publication.text,
            "category": "institucional",
            "media": [f"a{fresh.pk}", f"m{kept.pk}"],
            f"alt_m{kept.pk}": "Nueva descripción",
            f"channel_{fb.pk}": "1",
            "accion": "guardar",
        },
    )
    rows = list(publication.media.order_by("position"))
    assert [m.asset_id for m in rows] == [fresh.pk, photo.pk]
    assert rows[1].pk == kept.pk and rows[1].alt_text == "Nueva descripción"
    assert set(publication.variants.get().media.all()) == set(rows)


def test_archive_picker_lists_thumbnails_and_adds_once(client, jorge, photo):
    client.force_login(jorge)
    listing = client.get(reverse("publishing:compose_archive")).content.decode()
    assert f"/archivo/{photo.pk}/miniatura.jpg" in listing and "feria.jpg" in listing
    url = reverse("publishing:compose_pick")
    added = client.post(url, {"asset": photo.pk}).content.decode()
    assert f'name="media" value="a{photo.pk}"' in added
    again = client.post(url, {"asset": photo.pk, "media": [f"a{photo.pk}"]}).content.decode()
    assert 'name="media"' not in again and "«feria.jpg» ya está en la publicación." in again


def test_composer_queries_do_not_grow_with_photos(client, jorge, photo, make_publication):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pregon.publishing import services

    publication = make_publication("borrador", channels=("facebook", "x", "manual"))
    client.force_login(jorge)
    url = reverse("publishing:edit", args=[publication.pk])
    client.get(url)  # the person and her permissions read once, then kept in the cache
    counts = []
    for _ in range(2):
        for _ in range(3):
            services.media_attach_asset(publication=publication, asset=photo, user=jorge)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 25, counts


def test_consulta_cannot_use_the_composer(client, pedro):
    client.force_login(pedro)
    assert client.post(reverse("publishing:compose_check"), {"text": TEXT}).status_code == 403
    upload = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    assert client.post(reverse("publishing:compose_upload"), {"archivo": upload}).status_code == 403


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


def test_the_review_page_draws_the_same_previews(client, mariana, make_publication, photo):
    from pregon.publishing import services

    long_text = " ".join(["Jornada de vacunación en la clínica municipal."] * 15)
    # Submitted within X's limit, lengthened during review (approval will refuse it).
    publication = make_publication("en_revision", channels=("facebook", "x"))
    publication = services.publication_update(publication=publication, user=mariana, text=long_text)
    media = services.media_attach_asset(publication=publication, asset=photo, user=mariana)
    publication.variants.get(account__kind="facebook_page").media.add(media)
    client.force_login(mariana)
    body = client.get(reverse("publishing:detail", args=[publication.pk])).content.decode()
    assert 'aria-label="Vista previa en Facebook · Ayuntamiento"' in body
    assert '<span class="pv-more">Ver más</span>' in body
    assert reverse("publishing:media_image", args=[media.pk, "vista"]) in body
    assert '<mark class="pv-over"' in body  # X: the part over 280 is marked


def test_the_check_only_reads_media_of_the_publication_on_the_page(
    client, jorge, ricardo, accounts, make_publication
):
    """Tokens come from the form: another publication's photo is not even named."""
    from pregon.publishing import services

    other = make_publication("borrador")
    upload = SimpleUploadedFile("campaña-vacunación-menores.jpg", jpeg_bytes(), "image/jpeg")
    media = services.media_add(publication=other, upload=upload, user=jorge)
    mine = make_publication("borrador")
    x = accounts["x"]
    client.force_login(jorge)
    for extra in ({}, {"publication": mine.pk}):
        body = check(
            client, {"text": "Hola", "media": [f"m{media.pk}"], f"channel_{x.pk}": "1"} | extra
        )
        assert "campaña-vacunación-menores" not in body
    own = check(
        client,
        {
            "text": "Hola",
            "media": [f"m{media.pk}"],
            "publication": other.pk,
            f"channel_{x.pk}": "1",
        },
    )
    assert "campaña-vacunación-menores" in own
    client.force_login(ricardo)  # an Enlace de área does not write publications
    response = client.post(reverse("publishing:compose_check"), {"publication": other.pk})
    assert response.status_code == 403
