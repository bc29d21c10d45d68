"""Anonymous by design: no IP, no user agent, no time of day, codes unlinkable."""

from datetime import date, datetime

from django.db import connection
from django.test import Client
from django.urls import reverse

from pregon.core.models import AuditEntry
from pregon.surveys.models import AccessMode, Answer, InvitationCode, Response
from pregon.surveys.services import codes_generate

IP = "198.51.100.77"
AGENT = "NavegadorEspia/9.9 (Telefono Barato)"


def all_rows(model) -> list[tuple]:
    """Every column of every stored row, straight from the database."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table name)
        return cursor.fetchall()


def test_no_ip_user_agent_or_time_is_stored(make_survey):
    survey = make_survey(slug="anonima", access_mode=AccessMode.CODES, anonymous=True)
    code = codes_generate(survey=survey, count=3, user=None)[1].code
    f = {q.position: q.field_name for q in survey.questions.all()}
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=IP)
    data = {f[1]: "5", f[2]: "10", f[3]: "no", f[6]: "Todo bien", "codigo": code}
    assert client.post(reverse("surveys:answer", args=[survey.slug]), data).status_code == 302

    stored = []
    for model in (Response, Answer, InvitationCode, AuditEntry):
        stored += [value for row in all_rows(model) for value in row]
    text = " ".join(str(v) for v in stored)
    assert IP not in text
    assert "198.51.100" not in text
    assert "NavegadorEspia" not in text
    # The response row holds the survey and the date, nothing with a time of day.
    for row in all_rows(Response):
        datetimes = [v for v in row if isinstance(v, datetime) or (isinstance(v, str) and ":" in v)]
        assert datetimes == []
    response = Response.objects.get()
    assert isinstance(response.submitted_on, date)
    assert response.submitted_at is None and response.invitation_code == ""
    assert not AuditEntry.objects.filter(object_type="surveys.response").exists()


def test_used_code_cannot_be_linked_to_the_answer():
    """The code table has no relation to responses and no timestamp at all."""
    columns = {f.column for f in InvitationCode._meta.concrete_fields}
    assert columns == {"id", "survey_id", "code", "used"}
    assert not any(f.related_model in (Response, Answer) for f in InvitationCode._meta.get_fields())
    response_columns = {f.column for f in Response._meta.concrete_fields}
    assert not {"code", "invitation_id", "ip", "user_agent", "created_at"} & response_columns


def test_non_anonymous_survey_keeps_time_and_code(make_survey):
    survey = make_survey(slug="nominal", access_mode=AccessMode.CODES, anonymous=False)
    code = codes_generate(survey=survey, count=1, user=None)[0].code
    f = {q.position: q.field_name for q in survey.questions.all()}
    data = {f[1]: "3", f[2]: "5", f[3]: "no", "codigo": code}
    Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT).post(
        reverse("surveys:answer", args=[survey.slug]), data
    )
    response = Response.objects.get()
    assert response.submitted_at is not None and response.invitation_code == code
    text = " ".join(str(v) for row in all_rows(Response) for v in row)
    assert IP not in text and "NavegadorEspia" not in text  # never these, even then
