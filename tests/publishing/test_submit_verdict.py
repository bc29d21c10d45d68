"""Submit asks the same verdict as approval (verdict.AT_SUBMIT: the networks' rules and
what no date changes: alt text, subtitles, contrast, minors, usage rights), and says
each problem with its channel and field, in the web and in the API (422)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pregon.publishing import services, verdict
from pregon.publishing.models import PublicationStatus
from tests.publishing.conftest import jpeg_bytes

TOO_LONG = "Jornada de vacunación en la clínica municipal. " * 7  # over X's 280


def _post(client, url):
    return client.post(url, "{}", content_type="application/json")


def _draft(jorge, accounts, text=TOO_LONG, channels=("facebook", "x")):
    return services.publication_create(
        author=jorge,
        title="Vacunación",
        text=text,
        variants={accounts[c].pk: {"text": ""} for c in channels},
    )


def test_api_submit_refused_lists_each_problem_with_channel_and_field(api_client, jorge, accounts):
    publication = _draft(jorge, accounts)
    answer = _post(api_client(jorge), f"/api/v1/publications/{publication.pk}/submit")
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"].startswith("No se puede enviar a revisión. X · @Lauramaliagm — texto:")
    (problem,) = body["problems"]
    assert problem["channel"] == "X · @Lauramaliagm"
    assert problem["field"] == "texto"
    assert problem["rule"] == verdict.NETWORK
    assert problem["message"].startswith("X: el texto mide 329 caracteres ponderados")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.BORRADOR


def test_api_submit_within_the_rules_goes_to_review(api_client, jorge, accounts):
    publication = _draft(jorge, accounts, text="Vacunación hoy en el DIF.")
    answer = _post(api_client(jorge), f"/api/v1/publications/{publication.pk}/submit")
    assert answer.status_code == 200
    assert answer.json()["status"] == "en_revision"


def test_the_web_submit_button_says_the_same(client, jorge, accounts):
    publication = _draft(jorge, accounts)
    client.force_login(jorge)
    url = reverse("publishing:action", args=[publication.pk, "enviar"])
    page = client.post(url, follow=True).content.decode()
    assert "No se puede enviar a revisión. X · @Lauramaliagm — texto: X: el texto mide" in page
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.BORRADOR


def test_the_report_window_stops_approval_not_submit(jorge, mariana, accounts, db):
    """The date is Coordinación's to settle: veda, promotion and the report window are
    not asked at submit (they are at approval, schedule and delivery)."""
    publication = _draft(jorge, accounts, text="Informe de gobierno", channels=("facebook",))
    publication.about_report = True  # no report registered: outside any window
    publication.save()
    submitted = services.publication_submit(publication=publication, user=jorge)
    assert submitted.status == PublicationStatus.EN_REVISION
    with pytest.raises(ValidationError, match="Fuera de la ventana del informe"):
        services.publication_approve(publication=submitted, user=mariana)


def test_usage_rights_and_minors_stop_submit(jorge, accounts, db):
    from pregon.archive.services import asset_ingest

    publication = _draft(jorge, accounts, text="Clase abierta", channels=("facebook",))
    upload = SimpleUploadedFile("aula.jpg", jpeg_bytes(), content_type="image/jpeg")
    asset = asset_ingest(file_path_or_uploaded_file=upload, original_name="aula.jpg")
    asset.contains_minors = True
    asset.save()
    media = services.media_attach_asset(publication=publication, asset=asset, alt_text="Aula")
    publication.variants.get().media.set([media])
    with pytest.raises(services.SubmitRefused) as refused:
        services.publication_submit(publication=publication, user=jorge)
    (problem,) = refused.value.problems
    assert (problem.rule, problem.field) == ("menores", "imágenes")
    assert problem.message.startswith("Contiene menores de edad sin registro de consentimiento")


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("X: el texto mide 300 caracteres ponderados; el máximo es 280.", "texto"),
        ("Instagram: la imagen 2 es image/png; debe ser JPEG.", "imágenes y videos"),
        ("Instagram: necesita al menos una imagen o un video.", "imágenes y videos"),
        ("Facebook: el texto está vacío y no hay imágenes.", "texto e imágenes"),
        ("El portal: el título mide 240 caracteres; el máximo es 200.", "título"),
        ("Instagram: el texto lleva 40 hashtags; el máximo configurado es 30.", "texto"),
    ],
)
def test_each_network_message_names_its_field(message, field):
    assert verdict.field_of(verdict.NETWORK, message) == field


def test_the_openapi_document_describes_the_refusal(client, db):
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    responses = spec["paths"]["/api/v1/publications/{pk}/submit"]["post"]["responses"]
    ref = responses["422"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == {"detail", "problems", "errors"}
    assert schema["required"] == ["detail"]  # a refusal for the publication's state has no problems
