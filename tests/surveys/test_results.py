"""Results page, date filter and exports (CSV, XLSX) with formula injection neutralised."""

import csv
import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pregon.surveys.models import Answer, Response


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def store(survey, day, **values) -> Response:
    q = {x.position: x for x in survey.questions.all()}
    response = Response.objects.create(survey=survey, submitted_on=day)
    for key, value in values.items():
        Answer.objects.create(response=response, question=q[int(key[1:])], value=value)
    return response


def test_results_page_shows_n_percentages_intervals_and_texts(survey, pedro, yesterday):
    store(survey, yesterday, p1="5", p2="10", p3="sí", p4="Predial", p6="Muy bien")
    store(survey, yesterday, p1="2", p2="3", p3="no")
    page = client_for(pedro).get(reverse("surveys:results", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "n = 2 respuestas" in html
    assert "Wilson" in html  # the method is stated
    assert "<strong>50.0 %</strong> satisfechos" in html
    assert "Muy bien" in html and "Predial" in html
    assert 'role="img"' in html  # accessible SVG chart


def test_results_date_filter(survey, pedro, yesterday):
    from datetime import timedelta

    store(survey, yesterday - timedelta(days=3), p1="1", p2="0", p3="no")
    store(survey, yesterday, p1="5", p2="10", p3="no")
    day = yesterday.isoformat()
    page = client_for(pedro).get(reverse("surveys:results", args=[survey.pk]), {"desde": day})
    assert "n = 1 respuesta" in page.content.decode()
    assert "<strong>100.0 %</strong>" in page.content.decode()


def test_exports_neutralise_formulas(survey, mariana, yesterday):
    store(survey, yesterday, p1="4", p2="8", p3="no", p6='=HYPERLINK("http://x","y")')
    store(survey, yesterday, p1="4", p2="8", p3="no", p6="+1-2")
    client = client_for(mariana)
    base = reverse("surveys:results_export", args=[survey.pk, "csv"])
    rows = list(csv.reader(io.StringIO(client.get(base).content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["número", "fecha", "¿Qué tan satisfecho está?"]
    comments = [row[-1] for row in rows[1:]]
    assert comments == ['\'=HYPERLINK("http://x","y")', "'+1-2"]
    xlsx = client.get(reverse("surveys:results_export", args=[survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [sheet.cell(row=r, column=sheet.max_column).value for r in (2, 3)]
    assert cells == ['\'=HYPERLINK("http://x","y")', "'+1-2"]
    assert sheet.cell(row=2, column=1).data_type == "n"


def test_results_need_permission(survey, ricardo):
    assert client_for(ricardo).get(reverse("surveys:results", args=[survey.pk])).status_code == 403


def test_repeated_texts_are_grouped(survey, pedro, yesterday):
    from pregon.surveys.selectors import survey_results

    for text in ("Más videos", "más videos", "Otra cosa"):
        store(survey, yesterday, p1="4", p2="8", p3="no", p6=text)
    comments = next(q for q in survey_results(survey)["questions"] if q["kind"] == "long")
    assert comments["texts"] == ["Más videos", "Otra cosa", "más videos"]
    assert comments["text_counts"] == [
        {"text": "Más videos", "count": 2},
        {"text": "Otra cosa", "count": 1},
    ]
    html = client_for(pedro).get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "× 2" in html
