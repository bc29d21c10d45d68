"""The approval workflow: borrador → en revisión → aprobada → programada, with the
rules about who approves, editing after approval and missed times."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pregon.core.models import AuditEntry
from pregon.publishing import services
from pregon.publishing.models import Delivery, DeliveryStatus, Publication, PublicationStatus

S = PublicationStatus


def test_full_workflow_is_audited(make_publication):
    publication = make_publication("programada", channels=("facebook", "x"), minutes=30)
    assert publication.status == S.PROGRAMADA
    assert publication.approved_by.username == "mariana"
    deliveries = Delivery.objects.filter(variant__publication=publication)
    assert sorted(d.account.kind for d in deliveries) == ["facebook_page", "x"]
    assert all(d.status == DeliveryStatus.PENDIENTE for d in deliveries)
    verbs = list(
        AuditEntry.objects.filter(object_id=str(publication.pk)).values_list("verb", flat=True)
    )
    for verb in ("created", "submitted", "approved", "scheduled"):
        assert f"publishing.{verb}" in verbs


def test_redaccion_cannot_approve(make_publication, jorge, person):
    publication = make_publication("en_revision")
    with pytest.raises(PermissionDenied):
        services.publication_approve(publication=publication, user=jorge)
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION


def test_coordinacion_cannot_approve_own_unless_allowed(mariana, accounts, settings):
    publication = services.publication_create(
        author=mariana, title="Aviso", text="Texto", variants={accounts["facebook"].pk: {}}
    )
    services.publication_submit(publication=publication, user=mariana)
    with pytest.raises(PermissionDenied, match="escrita por usted"):
        services.publication_approve(publication=publication, user=mariana)
    settings.PREGON_ALLOW_SELF_APPROVAL = True
    approved = services.publication_approve(publication=publication, user=mariana)
    assert approved.status == S.APROBADA


def test_cannot_submit_without_channels(jorge):
    publication = services.publication_create(author=jorge, title="Sin canales", text="x")
    with pytest.raises(ValidationError, match="al menos un canal"):
        services.publication_submit(publication=publication, user=jorge)


def test_approval_enforces_network_rules(make_publication, mariana, accounts, settings):
    settings.PREGON_PUBLIC_URL = ""
    from pregon.publishing.models import ChannelAccount, ChannelKind

    ig = ChannelAccount.objects.create(name="Instagram", kind=ChannelKind.INSTAGRAM)
    publication = make_publication("en_revision")
    services.variants_set(publication=publication, variants={ig.pk: {"text": "Hola"}}, user=mariana)
    with pytest.raises(ValidationError) as excinfo:
        services.publication_approve(publication=publication, user=mariana)
    # A text alone: Instagram's own rule says why (the public address matters only for
    # media Instagram downloads, which this post has none of).
    assert "necesita al menos una imagen o un video" in " ".join(excinfo.value.messages)
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION


def test_editing_scheduled_cancels_pending_deliveries_and_returns_to_review(
    make_publication, jorge
):
    publication = make_publication("programada", channels=("facebook", "x"), minutes=60)
    services.publication_update(publication=publication, user=jorge, text="Texto corregido")
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION
    assert publication.approved_by is None
    statuses = set(
        Delivery.objects.filter(variant__publication=publication).values_list("status", flat=True)
    )
    assert statuses == {DeliveryStatus.CANCELADA}


def test_editing_approved_goes_back_to_review(make_publication, jorge):
    publication = make_publication("aprobada")
    services.publication_update(publication=publication, user=jorge, title="Otro título")
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION


def test_deleting_scheduled_cancels_and_deletes(make_publication, mariana):
    publication = make_publication("programada", minutes=60)
    services.publication_delete(publication=publication, user=mariana)
    assert not Publication.objects.filter(pk=publication.pk).exists()
    assert not Delivery.objects.filter(variant__publication_id=publication.pk).exists()
    entry = AuditEntry.objects.get(verb="publishing.deleted")
    assert entry.object_id == str(publication.pk) and entry.actor == mariana
    assert entry.data["title"] == "Inauguración del pozo"


def test_cannot_delete_while_a_worker_is_sending(make_publication, mariana):
    publication = make_publication("programada", channels=("facebook", "x"))
    sending = Delivery.objects.get(variant__publication=publication, account__kind="facebook_page")
    Delivery.objects.filter(pk=sending.pk).update(status=DeliveryStatus.ENVIANDO)
    with pytest.raises(ValidationError, match="se está enviando"):
        services.publication_delete(publication=publication, user=mariana)
    assert Publication.objects.filter(pk=publication.pk).exists()
    # The refused delete leaves the other channel's delivery as it was.
    other = Delivery.objects.get(variant__publication=publication, account__kind="x")
    assert other.status == DeliveryStatus.PENDIENTE
    assert not AuditEntry.objects.filter(verb="publishing.deleted").exists()


def test_cancel_stops_pending_but_not_claimed(make_publication, mariana):
    publication = make_publication("programada", channels=("facebook", "x"))
    claimed = Delivery.objects.filter(variant__publication=publication).first()
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.ENVIANDO)
    services.publication_cancel(publication=publication, user=mariana)
    rows = dict(
        Delivery.objects.filter(variant__publication=publication).values_list("pk", "status")
    )
    assert rows.pop(claimed.pk) == DeliveryStatus.ENVIANDO
    assert set(rows.values()) == {DeliveryStatus.CANCELADA}


def test_reschedule_moves_pending_deliveries(make_publication, mariana):
    publication = make_publication("programada", minutes=60)
    later = timezone.now() + timedelta(days=2)
    services.publication_move(publication=publication, user=mariana, when=later)
    delivery = Delivery.objects.get(variant__publication=publication)
    assert abs((delivery.scheduled_at - later).total_seconds()) < 1
    assert delivery.status == DeliveryStatus.PENDIENTE
    publication.refresh_from_db()
    assert publication.scheduled_at == delivery.scheduled_at
    assert publication.status == S.PROGRAMADA


def test_not_approved_in_time_does_not_go_out_and_author_is_told(make_publication, network):
    from pregon.publishing import engine

    publication = make_publication("en_revision")
    Publication.objects.filter(pk=publication.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    publication.author.email = "jorge@chapultepec.gob.mx"
    publication.author.save()
    told = services.publications_missed()
    assert [p.pk for p in told] == [publication.pk]
    assert services.publications_missed() == []  # told once
    assert len(mail.outbox) == 1
    assert "no se aprobó a tiempo" in mail.outbox[0].subject
    engine.publish_due()
    assert network.posts == []
    publication.refresh_from_db()
    assert publication.status == S.EN_REVISION and publication.missed_at


def test_approving_with_future_date_schedules(make_publication, mariana):
    publication = make_publication("en_revision")
    Publication.objects.filter(pk=publication.pk).update(
        scheduled_at=timezone.now() + timedelta(hours=3)
    )
    publication.refresh_from_db()
    approved = services.publication_approve(publication=publication, user=mariana)
    assert approved.status == S.PROGRAMADA
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == DeliveryStatus.PENDIENTE
    assert delivery.scheduled_at == approved.scheduled_at


def test_media_validated_by_content(make_publication, jorge):
    from django.core.files.uploadedfile import SimpleUploadedFile

    publication = make_publication("borrador")
    fake = SimpleUploadedFile("foto.jpg", b"esto no es una imagen", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="«foto.jpg» no es una imagen válida"):
        services.media_add(publication=publication, upload=fake, user=jorge)
    assert publication.media.count() == 0


def test_media_upload_records_dimensions(make_publication, jorge):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1080, 1350), "navy").save(buf, "JPEG")
    publication = make_publication("borrador")
    upload = SimpleUploadedFile("pozo.png", buf.getvalue(), content_type="image/png")
    media = services.media_add(publication=publication, upload=upload, alt_text="Pozo", user=jorge)
    assert (media.mime_type, media.width, media.height) == ("image/jpeg", 1080, 1350)
    assert media.size_bytes == len(buf.getvalue())
    # The upload landed in the archive too; what is sent is its public derivative.
    assert media.asset.size == len(buf.getvalue())
    assert media.asset.original_name == "pozo.jpg"
    assert "archivo/publico" in str(services.media_public_path(media))
