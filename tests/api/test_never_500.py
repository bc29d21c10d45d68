"""Requests that used to answer 500: each now gets a 4xx with a Spanish message, and
changes nothing. Ids beyond a 64-bit integer, unbounded limits and day counts, years
outside the calendar, references to rows that do not exist, and null in a PATCH."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.bulletins import services as bulletins
from pregon.publishing.models import Publication
from pregon.surveys.models import Question, Survey

HUGE = "99999999999999999999"  # more than any 64-bit integer column holds


def _spanish_422(response, field: str) -> str:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] == "Datos inválidos."
    text = json.dumps(body["errors"], ensure_ascii=False)
    assert field in text, text
    return text


@pytest.fixture
def coord(api_client, mariana):
    return api_client(mariana)


@pytest.mark.parametrize(
    ("url", "field", "says"),
    [
        ("/api/v1/publications?limit=-1", "limit", "mayor o igual que 1"),
        ("/api/v1/publications?limit=100000", "limit", "menor o igual que 500"),
        ("/api/v1/bulletins?offset=-5", "offset", "mayor o igual que 0"),
        (f"/api/v1/deliveries?publication={HUGE}", "publication", "menor o igual"),
        ("/api/v1/priority-queue?days_ahead=3628800", "days_ahead", "menor o igual que 366"),
        ("/api/v1/search?year=474582", "year", "menor o igual que 2999"),
        ("/api/v1/goals/indicators?as_of=0334-05-26", "as_of", "entre 1900 y 2999"),
        (f"/api/v1/publications/{HUGE}", "pk", "menor o igual"),
        (f"/api/v1/analytics/accounts/{HUGE}/metrics", "account_id", "menor o igual"),
        ("/api/v1/analytics/portal?start=0001-01-01", "start", "entre 1900 y 2999"),
    ],
)
def test_out_of_range_query_is_a_spanish_422(coord, url, field, says):
    assert says in _spanish_422(coord.get(url), field)


def test_publication_with_unknown_channel_account(coord):
    body = {"title": "Aviso", "text": "Texto", "variants": [{"account": 987654}]}
    response = coord.post("/api/v1/publications", body, content_type="application/json")
    assert "No existe la cuenta de canal con id 987654" in _spanish_422(response, "variants")
    assert not Publication.objects.exists()


def test_distribution_to_a_list_beyond_any_id(coord, jorge):
    bulletin = bulletins.bulletin_create(
        author=jorge, kind="boletin", dated=date(2023, 8, 5), title="Obra",
        balazos=["Uno"], body="<p>Texto.</p>", category="obra_publica",
    )  # fmt: skip
    response = coord.post(
        f"/api/v1/bulletins/{bulletin.pk}/distributions",
        f'{{"lists": [{HUGE}]}}',
        content_type="application/json",
    )
    _spanish_422(response, "lists")
    assert not bulletin.distributions.exists()


def test_question_conditioned_on_an_unknown_question(coord):
    today = timezone.localdate()
    survey = Survey.objects.create(
        title="Satisfacción", slug="satisfaccion", privacy_notice="Aviso.",
        privacy_url="https://chapultepec.gob.mx/aviso",
        opens_on=today, closes_on=today + timedelta(days=5),
    )  # fmt: skip
    body = {"kind": "yesno", "text": "¿Le fue útil?", "show_if_question_id": 987654}
    response = coord.post(
        f"/api/v1/surveys/{survey.pk}/questions", body, content_type="application/json"
    )
    assert "Elija una pregunta de esta encuesta" in _spanish_422(response, "show_if_question")
    assert not Question.objects.exists()


def test_patch_with_null_start_keeps_the_activity(coord, area_factory):
    start = timezone.now() + timedelta(days=1)
    activity = Activity.objects.create(
        title="Obra", starts_at=start, ends_at=start + timedelta(hours=2), area=area_factory()
    )
    response = coord.patch(
        f"/api/v1/activities/{activity.pk}", {"starts_at": None}, content_type="application/json"
    )
    assert "No admite null" in _spanish_422(response, "starts_at")
    activity.refresh_from_db()
    assert activity.starts_at == start
    # Where empty is meaningful, null still empties it.
    Activity.objects.filter(pk=activity.pk).update(expected_attendance=300)
    cleared = coord.patch(
        f"/api/v1/activities/{activity.pk}",
        {"expected_attendance": None},
        content_type="application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["expected_attendance"] is None


def test_attendance_beyond_a_database_integer(coord, area_factory):
    area_factory("OPDU")
    body = {
        "title": "Feria",
        "starts_at": "2023-05-04T11:00:00-06:00",
        "ends_at": "2023-05-04T12:00:00-06:00",
        "area": "OPDU",
        "expected_attendance": 2**40,
    }
    response = coord.post("/api/v1/activities", body, content_type="application/json")
    _spanish_422(response, "expected_attendance")
    assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", ["abc", HUGE, "-3", "٣"])
def test_person_week_with_a_bad_person_is_a_404(client, mariana, persona):
    client.force_login(mariana)
    response = client.get("/agenda/cobertura/", {"persona": persona})
    assert response.status_code == 404
    assert "no existe" in response.content.decode().lower()


def test_web_filters_with_ids_beyond_any_row(client, mariana):
    client.force_login(mariana)
    assert client.get("/metas/", {"plan": HUGE}).status_code == 404
    assert client.get("/boletines/directorio/", {"lista": HUGE}).status_code == 200
