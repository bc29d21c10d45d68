"""H1 and H2 figures against counts taken straight from the database."""

import json

import pytest

from pregon.goals import periods
from pregon.publishing.models import Delivery, Publication
from pregon.reports import figures

MONTHS = {"2023-H1": range(1, 7), "2023-H2": range(7, 13)}


def col(table: dict, name: str) -> int:
    return table["columns"].index(name)


@pytest.mark.parametrize("key", ["2023-H1", "2023-H2"])
def test_publications_by_month_and_channel(year2023, key):
    data = figures.compute(periods.parse(key))
    table = data["tables"]["publicaciones"]
    rows = table["rows"]
    assert len(rows) == 7 and rows[-1][0] == "Total"
    for row, month in zip(rows, MONTHS[key], strict=False):
        pubs = Publication.objects.filter(
            status="publicada", published_at__year=2023, published_at__month=month
        )
        x = Delivery.objects.filter(
            status="publicada",
            account__kind="x",
            published_at__year=2023,
            published_at__month=month,
        )
        assert row[col(table, "Publicaciones")] == pubs.count()
        assert row[col(table, "X")] == x.count()
        assert row[col(table, "Meta")] == 60
        assert row[col(table, "Diferencia")] == pubs.count() - 60
    total = rows[-1]
    assert total[col(table, "Publicaciones")] == sum(
        r[col(table, "Publicaciones")] for r in rows[:-1]
    )
    assert total[col(table, "Meta")] == 360


def test_h1_sections(year2023):
    data = figures.compute(periods.parse("2023-H1"))
    t = data["tables"]
    assert t["cobertura"]["rows"][-1] == ["Total", 18, 12, 66.7, 6]
    fb = next(r for r in t["seguidores"]["rows"] if r[1] == "Página de Facebook")
    assert fb[2:5] == ["sí", 6900, 6900 + 100 * 11]  # in the baseline, first and last of H1
    # The plan's 6,900 is the starting total of the accounts it covers (both here).
    first, last = 2 * 6900, (6900 + 100 * 11) + (6900 + 50 * 11)
    total = t["seguidores"]["rows"][-1]
    assert total[:5] == ["Cuentas de la línea base (suma)", "", 6900, first, last]
    assert total[6] == pytest.approx(100 * (last - 6900) / 6900, abs=0.01)
    assert "Línea base: 6,900 seguidores al 1 de enero de 2023" in t["seguidores"]["note"]
    interactions = {r[0]: r for r in t["interacciones"]["rows"]}
    assert interactions["Cuenta facebook_page"][1] == 12  # 2 posts a month on Facebook
    visits = {r[0]: r[1] for r in t["visitas"]["rows"]}
    assert visits["Trámites"] == sum(100 + m for m in range(1, 7))
    press = {r[0]: r[1] for r in t["prensa"]["rows"]}
    assert press["Notas de prensa: positivo"] == 2 and press["Notas de prensa: negativo"] == 0
    survey = t["encuestas"]["rows"][0]
    assert survey[:3] == ["Satisfacción 2023", 10, 70]
    assert survey[3] < 70 < survey[4]  # a real interval around the score
    assert len(t["top"]["rows"]) == 10
    codes = {d["code"]: d for d in data["diagnosis"]}
    assert set(codes) >= {"P1", "P2", "C1"}
    assert codes["C1"]["gap"] == 13.33
    # H1 publications as the fixture year builds them: 12 acciones, 6 private
    # reunions, 2 + m notices in month m and the two local-time edge posts.
    assert codes["P1"]["gap"] == 360 - (12 + 6 + sum(2 + m for m in range(1, 7)) + 2)
    assert "A2" not in codes  # average interactions is above 50


def test_h2_sections(year2023):
    t = figures.compute(periods.parse("2023-H2"))["tables"]
    press = {r[0]: r[1] for r in t["prensa"]["rows"]}
    assert press["Notas de prensa: negativo"] == 1 and press["Notas de prensa: total"] == 1
    assert t["encuestas"]["rows"][0][:3] == ["Satisfacción 2023", 5, 40]
    assert t["cobertura"]["rows"][-1][1:3] == [18, 12]


def test_same_period_twice_gives_the_same_figures(year2023):
    period = periods.parse("2023-H1")
    first = figures.compute(period)
    assert json.dumps(first, sort_keys=True) == json.dumps(figures.compute(period), sort_keys=True)
    assert json.loads(json.dumps(first)) == first  # plain JSON: lists, numbers, strings
