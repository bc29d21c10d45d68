"""Surveys API: CRUD with permissions, results, and the public answer endpoint."""

import json

from pregon.surveys import abuse
from pregon.surveys.models import AccessMode, Response, Survey
from pregon.surveys.services import codes_generate

NEW = {
    "title": "Encuesta por API",
    "slug": "por-api",
    "privacy_notice": "Solo para mejorar.",
    "privacy_url": "https://chapultepec.gob.mx/aviso",
    "opens_on": "2026-01-01",
    "closes_on": "2026-12-31",
}


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_crud_and_lock(api_client, mariana, yesterday):
    client = api_client(mariana)
    created = post(client, "/api/v1/surveys", NEW)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    q = post(client, f"/api/v1/surveys/{pk}/questions", {"kind": "csat", "text": "¿Satisfecho?"})
    assert q.status_code == 201 and q.json()["position"] == 1
    bad = post(client, f"/api/v1/surveys/{pk}/questions", {"kind": "single", "text": "x"})
    assert bad.status_code == 422 and "dos opciones" in bad.content.decode()
    assert client.get(f"/api/v1/surveys/{pk}").json()["questions"][0]["text"] == "¿Satisfecho?"
    changed = client.put(
        f"/api/v1/surveys/{pk}",
        json.dumps({**NEW, "title": "Nuevo título"}),
        content_type="application/json",
    )
    assert changed.json()["title"] == "Nuevo título"
    Response.objects.create(survey_id=pk, submitted_on=yesterday)
    locked = post(client, f"/api/v1/surveys/{pk}/questions", {"kind": "yesno", "text": "¿Otra?"})
    assert locked.status_code == 422 and "bloqueadas" in locked.content.decode()
    copy = post(client, f"/api/v1/surveys/{pk}/duplicate", {})
    assert copy.status_code == 201 and len(copy.json()["questions"]) == 1
    assert client.delete(f"/api/v1/surveys/{copy.json()['id']}").status_code == 204


def test_permissions(api_client, pedro, survey):
    client = api_client(pedro)
    assert client.get("/api/v1/surveys").status_code == 200
    assert post(client, "/api/v1/surveys", NEW).status_code == 403
    assert client.delete(f"/api/v1/surveys/{survey.pk}").status_code == 403
    assert list(Survey.objects.values_list("slug", flat=True)) == [survey.slug]
    assert api_client().get("/api/v1/surveys").status_code == 401


def test_results_endpoint(api_client, pedro, survey, answer_of):
    url = f"/api/v1/public/surveys/{survey.slug}/answers"
    f = {q.position: q.field_name for q in survey.questions.all()}
    post(api_client(), url, {"answers": {f[1]: "5", f[2]: "10", f[3]: "no"}})
    data = api_client(pedro).get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert data["n"] == 1 and data["csat"]["score"] == 100.0 and data["nps"]["score"] == 100.0


def test_public_endpoint_applies_the_same_checks(api_client, make_survey):
    survey = make_survey(slug="api-codigos", access_mode=AccessMode.CODES)
    code = codes_generate(survey=survey, count=1, user=None)[0].code
    f = {q.position: q.field_name for q in survey.questions.all()}
    url = f"/api/v1/public/surveys/{survey.slug}/answers"
    body = {
        "answers": {f[1]: "4", f[2]: "8", f[3]: "sí", f[4]: "Predial", f[5]: ["Radio"]},
        "codigo": code,
    }
    client = api_client()  # no token: public
    missing = post(client, url, {**body, "answers": {f[1]: "4"}})
    assert missing.status_code == 400 and f[2] in missing.json()["errors"]
    assert post(client, url, {**body, abuse.HONEYPOT_FIELD: "x"}).status_code == 400
    assert post(client, url, body).status_code == 201
    again = post(client, url, body)
    assert again.status_code == 400
    assert "ya fue utilizado" in again.json()["errors"]["codigo"]
    assert Survey.objects.get(pk=survey.pk).responses.count() == 1


def test_openapi_document_lists_survey_paths(client, db):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert "/api/v1/public/surveys/{slug}/answers" in spec["paths"]
    assert spec["paths"]["/api/v1/public/surveys/{slug}/answers"]["post"].get("security") in (
        None,
        [],
    )


def test_delete_survey_with_answers(api_client, mariana, survey, answer_of):
    from django.test import Client

    Client().post(f"/encuestas/r/{survey.slug}/", answer_of())
    assert survey.responses.count() == 1
    assert api_client(mariana).delete(f"/api/v1/surveys/{survey.pk}").status_code == 204
    assert not Survey.objects.exists() and not Response.objects.exists()
