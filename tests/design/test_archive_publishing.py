"""Every rendered piece lands in the archive (kind "diseno") and can be attached to a
publication in one click."""

import pytest
from PIL import Image

from pregon.archive.models import Asset, AssetKind
from pregon.design import services
from pregon.design.models import RenderedPiece
from pregon.publishing import services as publishing
from pregon.publishing.models import PublicationStatus
from tests.design.conftest import SHORT


@pytest.fixture
def draft(jorge):
    return publishing.publication_create(
        author=jorge, title="Campaña antirrábica", text="Vacuna a tu mascota."
    )


def test_rendered_piece_is_archived_as_design_linked_to_its_campaign(db, diseno) -> None:
    from pregon.agenda.models import Campaign

    campaign = Campaign.objects.create(name="Chapultepec limpio")
    piece = services.piece_create(
        template="aviso", data=SHORT, size="1080x1350", user=diseno, campaign=campaign
    )
    asset = Asset.objects.get(pk=piece.asset_id)
    assert asset.kind == AssetKind.DISENO
    assert asset.campaign == campaign
    assert (asset.width, asset.height) == (1080, 1350)
    assert asset.title.startswith("Aviso 1080x1350")
    again = services.piece_create(template="aviso", data=SHORT, size="1080x1350", user=diseno)
    assert again.asset_id == asset.pk  # same PNG: linked, not copied
    assert Asset.objects.count() == 1


def test_designer_attaches_the_instagram_size_in_one_click(client, diseno, draft) -> None:
    piece = services.piece_create(template="aviso", data=SHORT, size="1080x1350", user=diseno)
    client.force_login(diseno)
    page = client.get("/diseno/piezas/").content.decode()
    assert "Campaña antirrábica (Borrador)" in page
    response = client.post(
        f"/diseno/piezas/{piece.pk}/adjuntar/", {"publicacion": draft.pk}, follow=True
    )
    assert "adjunta a «Campaña antirrábica»" in response.content.decode()
    media = draft.media.get()
    assert (media.width, media.height) == (1080, 1350) and media.mime_type == "image/png"
    assert "Vacunación antirrábica" in media.alt_text
    with media.file.open("rb") as fh:
        assert Image.open(fh).size == (1080, 1350)


def test_published_or_cancelled_publication_is_refused(client, diseno, draft) -> None:
    piece = services.piece_create(template="cita", data=SHORT, size="1080x1080", user=diseno)
    draft.status = PublicationStatus.CANCELADA
    draft.save()
    with pytest.raises(services.DesignError, match="ya no admite imágenes"):
        services.piece_attach(piece=piece, publication=draft, user=diseno)
    client.force_login(diseno)
    response = client.post(
        f"/diseno/piezas/{piece.pk}/adjuntar/", {"publicacion": draft.pk}, follow=True
    )
    assert "Elija una publicación que todavía admita imágenes." in response.content.decode()
    assert not draft.media.exists()


def test_consulta_cannot_attach(client, pedro, diseno, draft) -> None:
    piece = services.piece_create(template="cita", data=SHORT, size="1080x1080", user=diseno)
    client.force_login(pedro)
    assert (
        client.post(f"/diseno/piezas/{piece.pk}/adjuntar/", {"publicacion": draft.pk}).status_code
        == 403
    )
    assert RenderedPiece.objects.count() == 1 and not draft.media.exists()


def test_low_contrast_piece_blocks_approval_until_redesigned(db, diseno, jorge, mariana) -> None:
    """A pale grey text on white is below WCAG AA: the piece is stored with its ratio
    and the publication that carries it cannot go to review nor be approved."""
    from django.core.exceptions import ValidationError

    from pregon.publishing.models import ChannelAccount

    kit = services.brandkit_default(diseno)
    kit.color_text = "#bbbbbb"
    kit.color_primary = "#cccccc"
    kit.save()
    piece = services.piece_create(template="aviso", data=SHORT, size="1080x1350", user=diseno)
    assert piece.contrast_ratio is not None and piece.contrast_ratio < 4.5

    account = ChannelAccount.objects.create(kind="facebook_page", name="Ayuntamiento")
    publication = publishing.publication_create(
        author=jorge,
        title="Vacunación",
        text="Vacuna a tu mascota.",
        variants={account.pk: {"text": ""}},
    )
    _carry(piece, publication, account, diseno, jorge)
    # Contrast is accessibility: refused already at submit, with the field to fix.
    with pytest.raises(ValidationError) as refused:
        publishing.publication_submit(publication=publication, user=jorge)
    assert (
        f"Ayuntamiento — diseño de la imagen: Contraste insuficiente: {piece.contrast_ratio:.2f}:1"
        in " ".join(refused.value.messages)
    )
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.BORRADOR

    # The designer fixes the kit, renders again and swaps the image: approved.
    kit.color_text = "#1a1a1a"
    kit.color_primary = "#6b1f3a"
    kit.save()
    better = services.piece_create(template="aviso", data=SHORT, size="1080x1350", user=diseno)
    assert better.contrast_ratio >= 4.5
    _carry(better, publication, account, diseno, jorge)
    publishing.publication_submit(publication=publication, user=jorge)
    publishing.publication_approve(publication=publication, user=mariana)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA


def test_public_servant_drawn_on_a_design_is_flagged(db, diseno, jorge) -> None:
    """The quote template prints the mayor's name: the review flags it with the match
    although the post's own text does not name her."""
    from pregon.compliance.models import PublicServant
    from pregon.publishing.compliance import publication_checks
    from pregon.publishing.models import ChannelAccount

    PublicServant.objects.create(
        name="Laura Amalia González Martínez", title="Presidenta Municipal"
    )
    piece = services.piece_create(template="cita", data=SHORT, size="1080x1080", user=diseno)
    account = ChannelAccount.objects.create(kind="facebook_page", name="Ayuntamiento")
    publication = publishing.publication_create(
        author=jorge, title="Frase", text="Juntos avanzamos.", variants={account.pk: {"text": ""}}
    )
    _carry(piece, publication, account, diseno, jorge)
    [check] = publication_checks(publication)
    assert check.verdict.flagged
    assert [m.matched_text for m in check.verdict.matches] == ["Laura Amalia González Martínez"]


def _carry(piece, publication, account, designer, writer) -> None:
    """Attach the piece (Diseño) and make it the account's only image (Redacción)."""
    media = services.piece_attach(piece=piece, publication=publication, user=designer)
    publishing.variants_set(
        publication=publication,
        variants={account.pk: {"text": "", "media": [media.pk]}},
        user=writer,
    )
