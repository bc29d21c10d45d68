"""The compliance rules inside the publishing workflow, with the Estado de México 2023
veda (3 April – 4 June): refused at approve/schedule with the period named, exempt
categories pass with their reason, deliveries due inside a veda are held, listed and
released when it ends; personal promotion, alt text and minors."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pregon.compliance.models import ComplianceEvent
from pregon.publishing import compliance, engine, services
from pregon.publishing.models import Delivery, DeliveryStatus, PublicationStatus

MX = ZoneInfo("America/Mexico_City")
PERIOD = "Proceso electoral local Estado de México 2023"


def mx(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=MX)


@pytest.fixture
def veda_2023(db):
    from pregon.compliance.models import ElectoralPeriod, ExemptCategory

    ExemptCategory.objects.create(
        category="salud", reason="Servicios de salud (art. 41 constitucional)"
    )
    return ElectoralPeriod.objects.create(
        name=PERIOD, scope="estatal", start=date(2023, 4, 3), end=date(2023, 6, 4)
    )


@pytest.fixture
def mayor(db):
    from pregon.compliance.models import PublicServant

    return PublicServant.objects.create(
        name="Laura Amalia González Martínez",
        title="Presidenta Municipal",
        aliases="Laura Amalia\nla alcaldesa",
    )


@pytest.fixture
def in_review(accounts, jorge):
    def make(category="obra_publica", when=None, text="Avanza la pavimentación.", image=None):
        publication = services.publication_create(
            author=jorge,
            title=f"Nota {category}",
            text=text,
            category=category,
            scheduled_at=when,
            variants={accounts["facebook"].pk: {"text": ""}},
        )
        if image is not None:
            media = services.media_add(
                publication=publication, upload=image[0], alt_text=image[1], user=jorge
            )
            services.variants_set(
                publication=publication,
                variants={accounts["facebook"].pk: {"text": "", "media": [media.pk]}},
                user=jorge,
            )
        return services.publication_submit(publication=publication, user=jorge)

    return make


def jpeg(name="foto.jpg", color=(20, 80, 140), exif=None) -> SimpleUploadedFile:
    buf = io.BytesIO()
    image = Image.new("RGB", (1080, 1350), color)
    image.save(buf, "JPEG", **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def events(kind: str, rule: str):
    return ComplianceEvent.objects.filter(app_label="publishing", kind=kind, rule=rule)


def test_obra_publica_in_veda_is_refused_naming_the_period(veda_2023, in_review, mariana):
    publication = in_review("obra_publica", mx(2023, 5, 10))
    with pytest.raises(ValidationError) as exc:
        services.publication_approve(publication=publication, user=mariana)
    message = " ".join(exc.value.messages)
    assert "No se puede aprobar." in message
    assert f"«{PERIOD}»" in message
    assert "obra pública no está exenta" in message
    assert "a partir del 5 de junio de 2023" in message
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EN_REVISION
    # The refusal is recorded (and audited) although the approval raised.
    event = events("blocked", "veda").get()
    assert event.object_id == str(publication.pk) and event.user == mariana


def test_salud_in_veda_passes_with_its_reason(veda_2023, in_review, mariana):
    publication = in_review("salud", mx(2023, 5, 10))
    services.publication_approve(publication=publication, user=mariana)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA
    event = events("exempted", "veda_exenta").get()
    assert "Servicios de salud (art. 41 constitucional)" in event.message


def test_on_5_june_2023_both_pass(veda_2023, in_review, mariana):
    for category in ("obra_publica", "salud"):
        publication = in_review(category, mx(2023, 6, 5))
        services.publication_approve(publication=publication, user=mariana)
        services.publication_schedule(publication=publication, user=mariana, when=mx(2023, 6, 5))
        publication.refresh_from_db()
        assert publication.status == PublicationStatus.PROGRAMADA
    assert not events("blocked", "veda").exists()


def test_scheduling_into_the_veda_is_refused(veda_2023, in_review, mariana):
    publication = in_review("cultura", mx(2023, 6, 10))
    services.publication_approve(publication=publication, user=mariana)
    with pytest.raises(ValidationError, match="No se puede programar"):
        services.publication_schedule(publication=publication, user=mariana, when=mx(2023, 5, 20))
    assert not Delivery.objects.filter(variant__publication=publication).exists()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA
    assert publication.scheduled_at == mx(2023, 6, 10)


def test_delivery_scheduled_before_the_veda_is_held_listed_and_released(
    db, in_review, mariana, network, client
):
    """Scheduled on 1 April (no veda registered yet) for 15 April; the veda is then
    registered: at 15 April the engine holds it; on 5 June it goes out once."""
    publication = in_review("obra_publica", mx(2023, 4, 15))
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(publication=publication, user=mariana, when=mx(2023, 4, 15))
    from pregon.compliance.models import ElectoralPeriod

    ElectoralPeriod.objects.create(
        name=PERIOD, scope="estatal", start=date(2023, 4, 3), end=date(2023, 6, 4)
    )
    delivery = Delivery.objects.get(variant__publication=publication)

    # Listed before its time comes (compliance's held_items over pending deliveries).
    listed = compliance.held_for_compliance_page()
    assert [i["meta"].split(" · ")[0] for i in listed] == ["Se retendrá"]

    counts = engine.publish_due(now=mx(2023, 4, 15, 11))
    delivery.refresh_from_db()
    assert counts["retenida"] == 1 and network.posts == []
    assert delivery.status == DeliveryStatus.RETENIDA
    assert delivery.held_until == date(2023, 6, 5)
    assert PERIOD in delivery.last_error and delivery.attempts == 0
    assert events("blocked", "veda").filter(object_id=str(publication.pk)).exists()

    # Listed on the publishing queue page and on the compliance page.
    client.force_login(mariana)
    queue = client.get(reverse("publishing:today")).content.decode()
    assert "Retenidas por veda" in queue and publication.title in queue
    page = client.get(reverse("compliance:dashboard")).content.decode()
    assert "Retenidas por veda" in page and publication.title in page

    # Still inside the veda: stays held, nothing sent.
    engine.publish_due(now=mx(2023, 6, 4, 23))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETENIDA and network.posts == []

    counts = engine.publish_due(now=mx(2023, 6, 5, 8))
    delivery.refresh_from_db()
    assert counts["liberada"] == 1 and counts["publicada"] == 1
    assert delivery.status == DeliveryStatus.PUBLICADA and len(network.posts) == 1
    engine.publish_due(now=mx(2023, 6, 5, 9))
    assert len(network.posts) == 1  # never twice


def test_public_servant_is_flagged_with_the_match(mayor, in_review, mariana, client):
    text = "La alcaldesa Laura Amalia inauguró el pozo de San Miguel."
    publication = in_review("obra_publica", None, text=text)
    client.force_login(mariana)
    page = client.get(reverse("publishing:detail", args=[publication.pk])).content.decode()
    assert "Laura Amalia" in page and "promoción personalizada" in page
    services.publication_approve(publication=publication, user=mariana)  # a flag, not a block
    event = events("flagged", "promocion_personal").get()
    assert "«Laura Amalia» (Laura Amalia González Martínez, Presidenta Municipal)" in event.message


def test_personal_promotion_is_blocked_during_the_veda(veda_2023, mayor, in_review, mariana):
    publication = in_review("salud", mx(2023, 5, 10), text="Laura Amalia entregó vacunas.")
    with pytest.raises(ValidationError, match="Menciona a servidores públicos durante la veda"):
        services.publication_approve(publication=publication, user=mariana)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EN_REVISION
    assert events("blocked", "promocion_personal").get().object_id == str(publication.pk)


def test_personal_accounts_are_not_checked(mayor, accounts, jorge, mariana):
    accounts["facebook"].is_institutional = False
    accounts["facebook"].save()
    publication = services.publication_create(
        author=jorge,
        title="Personal",
        text="Laura Amalia saluda.",
        variants={accounts["facebook"].pk: {"text": ""}},
    )
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA
    assert not events("flagged", "promocion_personal").exists()


def test_image_without_alt_text_cannot_be_submitted(in_review, jorge):
    with pytest.raises(services.SubmitRefused) as refused:
        in_review("cultura", None, image=(jpeg(), ""))
    assert refused.value.messages == [
        "No se puede enviar a revisión.",
        "Facebook · Ayuntamiento — texto alternativo de las imágenes: "
        "Falta texto alternativo en la imagen 1.",
    ]
    (problem,) = refused.value.problems
    assert (problem.channel, problem.rule) == ("Facebook · Ayuntamiento", "texto_alternativo")


def test_image_without_alt_text_cannot_be_approved(in_review, jorge, mariana):
    """Submitted with its description; the description erased during review (the
    composer's save) is refused at approval, and the refusal recorded."""
    publication = in_review("cultura", None, image=(jpeg(), "Concierto en el kiosco"))
    media = publication.media.get()
    services.publication_compose(
        publication=publication,
        user=jorge,
        fields={},
        media=[services.ComposedMedia("m", alt_text="", media_id=media.pk)],
        variants={publication.variants.get().account_id: {"text": "", "media": ["m"]}},
    )
    with pytest.raises(ValidationError, match="Falta texto alternativo en la imagen 1"):
        services.publication_approve(publication=publication, user=mariana)
    assert events("blocked", "texto_alternativo").get().object_id == str(publication.pk)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EN_REVISION


def test_asset_with_minors_and_no_consent_cannot_be_published(in_review, mariana, network):
    publication = in_review("educacion", None, image=(jpeg(), "Niñas en el aula"))
    asset = publication.media.get().asset
    asset.contains_minors = True
    asset.save()
    with pytest.raises(ValidationError, match="Contiene menores de edad sin registro"):
        services.publication_approve(publication=publication, user=mariana)

    # Marked after approval: the engine refuses at delivery time, nothing is sent.
    asset.contains_minors = False
    asset.save()
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(publication=publication, user=mariana, when=mx(2026, 1, 1))
    asset.contains_minors = True
    asset.save()
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == DeliveryStatus.FALLIDA and network.posts == []
    assert "menores" in delivery.last_error

    asset.minors_consent = True  # a consent record makes it publishable
    asset.save()
    assert compliance.variant_verdict(delivery.variant, mx(2026, 1, 1)).allowed


def test_archive_derivative_is_sent_without_gps(in_review, mariana, network):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (19.0, 24.0, 0.0), 3: "W", 4: (99.0, 7.0, 0.0)}
    publication = in_review("cultura", None, image=(jpeg("gps.jpg", exif=exif), "Plaza"))
    media = publication.media.get()
    assert media.asset.gps_lat is not None  # the archive read it from the original
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(publication=publication, user=mariana, when=mx(2026, 1, 1))
    engine.publish_due()
    sent = network.posts[0].media[0]
    assert sent.path != media.asset.original.path
    with Image.open(sent.path) as image:
        assert image.format == "JPEG" and not image.getexif().get_ifd(0x8825)
    assert sent.alt_text == "Plaza"


def test_pictured_public_servant_is_flagged(mayor, in_review, mariana):
    publication = in_review("cultura", None, image=(jpeg(color=(9, 9, 9)), "Presídium"))
    asset = publication.media.get().asset
    asset.people = ["Laura Amalia González Martínez"]
    asset.save()
    (check,) = compliance.publication_checks(publication)
    assert check.verdict.flagged
    assert [m.matched_text for m in check.verdict.matches] == ["Laura Amalia González Martínez"]


def test_report_publication_only_inside_the_report_window(accounts, jorge, mariana):
    """Informe on 15 September 2023: allowed 8–20 September, refused outside."""
    from pregon.compliance.models import GovernmentReport

    GovernmentReport.objects.create(date=date(2023, 9, 15))

    def about_report(when):
        publication = services.publication_create(
            author=jorge,
            title="Segundo informe",
            text="Conoce los avances del segundo año de gobierno.",
            category="institucional",
            about_report=True,
            scheduled_at=when,
            variants={accounts["facebook"].pk: {"text": ""}},
        )
        return services.publication_submit(publication=publication, user=jorge)

    early = about_report(mx(2023, 9, 1))
    with pytest.raises(ValidationError) as refused:
        services.publication_approve(publication=early, user=mariana)
    assert "Fuera de la ventana del informe de gobierno" in " ".join(refused.value.messages)
    assert events("blocked", "informe").exists()

    inside = about_report(mx(2023, 9, 8))
    services.publication_approve(publication=inside, user=mariana)
    with pytest.raises(ValidationError, match="Fuera de la ventana del informe"):
        services.publication_schedule(publication=inside, user=mariana, when=mx(2023, 9, 21))
    services.publication_schedule(publication=inside, user=mariana, when=mx(2023, 9, 20))
    inside.refresh_from_db()
    assert inside.status == PublicationStatus.PROGRAMADA

    # The same text not marked as report dissemination is not limited by the window.
    ordinary = services.publication_create(
        author=jorge,
        title="Obras",
        text="Conoce los avances.",
        scheduled_at=mx(2023, 9, 1),
        variants={accounts["facebook"].pk: {"text": ""}},
    )
    services.publication_submit(publication=ordinary, user=jorge)
    services.publication_approve(publication=ordinary, user=mariana)
    ordinary.refresh_from_db()
    assert ordinary.status == PublicationStatus.APROBADA
    assert events("blocked", "informe").count() == 2  # the early one and the 21 September try
