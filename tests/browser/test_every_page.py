"""Every page of every demo role, on a phone (390×844): nothing wider than the
screen, and axe-core finds no critical or serious accessibility problem.

The demo is loaded once for the module through `pregon demo` (what `make run` does
on a first start); each persona then follows every link it can see, one address
per kind of page (see site_walk)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from pregon.accounts.demo import PEOPLE, demo_password
from tests.browser.site_walk import AXE, PHONE, WalkReport, walk

pytestmark = pytest.mark.browser

ROLES = [username for username, *_ in PEOPLE] + ["(público)"]
PUBLIC_START = [
    "/boletines/sala-de-prensa/",
    "/boletines/sala-de-prensa/agenda/",
    f"/encuestas/r/satisfaccion-{timezone.localdate().year}/",  # the demo's open survey
]


@pytest.fixture
def _media_root():
    """The module's demo files live in the module's own media folder (below)."""


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media = tmp_path_factory.mktemp("demo-media")
    previous, settings.MEDIA_ROOT = settings.MEDIA_ROOT, media
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = previous


@pytest.fixture(scope="module")
def walks(demo_site, browser, live_server, django_db_blocker) -> dict[str, WalkReport]:
    if not AXE.exists():
        pytest.fail(f"Falta {AXE}: ejecute `make install-dev` (npm ci instala axe-core)")
    with django_db_blocker.unblock():  # the live server answers from this database
        return {role: _walk_as(role, browser, live_server) for role in ROLES}


def _walk_as(role: str, browser, live_server) -> WalkReport:
    # bypass_csp: axe is injected as a script the page's policy does not list.
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        locale="es-MX",
        timezone_id="America/Mexico_City",
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    start = PUBLIC_START
    if role != "(público)":
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario").fill(role)
        page.get_by_label("Contraseña").fill(demo_password(role))
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url("**/")
        start = ["/"]
    try:
        return walk(page, live_server.url, start=start)
    finally:
        context.close()


def test_each_role_reaches_its_pages(walks):
    assert len(walks["coordinacion"].visited) > 60
    for role in ROLES:
        assert len(walks[role].visited) >= 2, role


def test_every_page_fits_a_phone(walks):
    too_wide = [f"{role} {line}" for role, r in walks.items() for line in r.too_wide]
    assert not too_wide, "Páginas más anchas que 390 px:\n" + "\n".join(too_wide)


def test_every_page_has_no_serious_accessibility_problem(walks):
    found = [f"{role} {line}" for role, r in walks.items() for line in r.axe]
    assert not found, "axe-core (críticos y graves):\n" + "\n".join(found)
