from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from pregon.surveys.home import panels


def test_open_surveys_panel(make_survey, pedro, ricardo):
    make_survey(title="Abierta")
    past = timezone.localdate() - timedelta(days=40)
    make_survey(slug="vieja", title="Vieja", opens_on=past, closes_on=past + timedelta(days=1))
    request = RequestFactory().get("/")
    request.user = pedro
    (panel,) = panels(request)
    assert [item["text"] for item in panel["items"]] == ["Abierta"]
    assert "0 respuestas" in panel["items"][0]["meta"]
    request.user = ricardo  # an Enlace has no survey permission
    assert panels(request) == []
