"""A real browser opens the dashboards with the demo year, and the portal script counts."""

import io

import pytest
from django.utils import timezone

from pregon.analytics import demo as analytics_demo
from pregon.analytics.models import PageVisitDay
from pregon.publishing import demo as publishing_demo


@pytest.fixture
def demo_year(transactional_db):
    publishing_demo.load(io.StringIO())
    analytics_demo.load(io.StringIO())


def test_dashboards_show_the_demo_year(demo_year, page, login, menu, mariana):
    login(mariana)
    menu("Medir", "Audiencias")
    page.wait_for_url("**/audiencias/")
    assert page.get_by_role("heading", name="Audiencias: redes sociales").is_visible()
    assert page.locator("svg.chart").count() == 4
    assert page.get_by_role("heading", name="Seguidores", exact=True).is_visible()
    page.get_by_label("Cuenta", exact=True).select_option(label="Instagram · @lauraamaliag")
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url("**cuenta=*")
    year = timezone.localdate().year
    heading = f"Resumen {year} · Instagram · @lauraamaliag"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("table tbody tr").count() == 10  # top posts
    page.get_by_role("link", name="Portal web").click()
    assert page.get_by_role("heading", name="Visitas por propósito").is_visible()
    assert page.get_by_role("cell", name="/tramites/predial/").is_visible()


def test_portal_script_counts_a_page_view(transactional_db, page, live_server):
    # The portal page is built in place; the script is loaded from our server as the
    # portal would load it, and reports the page with navigator.sendBeacon.
    script = f"{live_server.url}/audiencias/contador.js"
    # Headless Chromium announces itself as "HeadlessChrome", which is (rightly) filtered
    # as a robot; present the browser as a person's Chromium.
    page.set_extra_http_headers({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"})
    page.goto(script)
    seen = []
    page.on("request", lambda r: seen.append((r.method, r.url)))
    page.on("console", lambda m: seen.append(m.text))
    page.set_content(f'<html><body><script src="{script}"></script></body></html>')
    for _ in range(20):
        if PageVisitDay.objects.exists():
            break
        page.wait_for_timeout(250)
    assert list(PageVisitDay.objects.values_list("path", "visits")) == [
        ("/audiencias/contador.js", 1)
    ], seen


def test_coordinacion_uploads_an_access_log(transactional_db, page, login, menu, mariana, weblog):
    login(mariana)
    menu("Medir", "Audiencias")
    page.get_by_role("link", name="Importar").click()
    page.get_by_label("Archivo de bitácora (.log o .gz)").set_input_files(
        str(weblog("elastic-examples/apache_logs.gz"))
    )
    page.get_by_role("button", name="Subir bitácora").click()
    assert page.get_by_text("Bitácora «apache_logs.gz» recibida").is_visible()
    row = page.get_by_role("row", name="apache_logs.gz")
    row.get_by_text("Terminada").wait_for()
    assert row.get_by_role("cell", name="10,000").is_visible()
