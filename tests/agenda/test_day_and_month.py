"""The day view reads like an "orden del día"; the month view's day button brings the
quick form prefilled with that day."""

from tests.agenda.conftest import local


def test_day_view_is_an_order_of_the_day(client, mariana, make_activity):
    make_activity(
        "Sesión ordinaria de Cabildo",
        start=local(2023, 3, 9, 10),
        place="Sala de Cabildo",
        with_mayor=True,
        stream_url="https://www.facebook.com/chapultepec/live",
        type="cabildo_ordinaria",
    )
    make_activity("Reunión con Tesorería", start=local(2023, 3, 9, 8), area="TES")
    make_activity("Otro día", start=local(2023, 3, 10, 8))
    client.force_login(mariana)
    page = client.get("/agenda/vista/dia/", {"fecha": "2023-03-09"}).content.decode()
    assert "Orden del día · jueves 9 de marzo de 2023" in page
    first, second = page.index("Reunión con Tesorería"), page.index("Sesión ordinaria")
    assert first < second  # in time order
    assert '<span class="order-number" aria-hidden="true">1.</span>' in page
    assert '<span class="order-number" aria-hidden="true">2.</span>' in page
    assert "08:00</time>–<time" in page and "10:00</time>–<time" in page
    assert "Sala de Cabildo" in page and "Por definir" in page
    assert "Con la Presidenta Municipal" in page and "Sin la Presidenta Municipal" in page
    assert '<a href="https://www.facebook.com/chapultepec/live">' in page
    assert "Otro día" not in page


def test_month_day_button_and_prefilled_form(client, ricardo):
    client.force_login(ricardo)
    month = client.get("/agenda/vista/mes/", {"fecha": "2023-09-01"}).content.decode()
    assert 'hx-get="/agenda/rapida/?fecha=2023-09-21"' in month
    assert 'aria-label="Registrar actividad el 21 de septiembre"' in month
    form = client.get("/agenda/rapida/", {"fecha": "2023-09-21"}).content.decode()
    assert 'value="2023-09-21"' in form and "autofocus" in form
    assert "Registro rápido · jueves 21 de septiembre" in form


def test_month_has_no_add_button_for_read_only_roles(client, pedro):
    client.force_login(pedro)
    month = client.get("/agenda/vista/mes/", {"fecha": "2023-09-01"}).content.decode()
    assert "day-add" not in month
    assert client.get("/agenda/rapida/", {"fecha": "2023-09-21"}).status_code == 403
