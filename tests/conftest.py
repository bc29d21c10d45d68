"""Shared fixtures: named personas, an API client, a real browser."""

import os
import shutil
from importlib import import_module

import pytest

# The environment (plain HTTP, inline tasks, ...) is set by the pregon.testing plugin.
CHROMIUM = os.environ.get("PREGON_CHROMIUM", "/usr/bin/chromium")


def pytest_configure(config) -> None:
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_claims_left_held():
    """A test that ends with a delivery still claimed (a worker «killed» mid-send) must
    not leave this process's lease keeper renewing it into the next tests."""
    yield
    from pregon.publishing import leases

    leases.let_go_all()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def area_factory(db):
    from pregon.accounts.models import Area

    def make(short_name: str = "OPDU", name: str | None = None, **kwargs):
        area, _ = Area.objects.get_or_create(
            short_name=short_name, defaults={"name": name or f"Área {short_name}", **kwargs}
        )
        return area

    return make


@pytest.fixture
def person(db, area_factory):
    """`person("mariana", "coordinacion", area="COMSOC")`: a user with a role."""
    from pregon.accounts.models import User
    from pregon.accounts.roles import group_for, sync_roles

    synced = []

    def make(username: str, role: str | None = None, area: str | None = None, **kwargs):
        if not synced:
            sync_roles()
            synced.append(True)
        user = User.objects.create_user(
            username=username, password=f"{username}-clave-segura-1", **kwargs
        )
        if area:
            user.area = area_factory(area)
            user.save()
        if role:
            user.groups.add(group_for(role))
        return user

    return make


@pytest.fixture
def mariana(person):
    """Mariana is Coordinación: she sees and approves everything."""
    return person("mariana", "coordinacion", area="COMSOC", first_name="Mariana")


@pytest.fixture
def ricardo(person):
    """Ricardo is the Enlace of Obras Públicas: only his area's things."""
    return person("ricardo", "enlace", area="OPDU", first_name="Ricardo")


@pytest.fixture
def jorge(person):
    """Jorge writes (Redacción)."""
    return person("jorge", "redaccion", area="COMSOC", first_name="Jorge")


@pytest.fixture
def pedro(person):
    """Pedro has read-only access (Consulta)."""
    return person("pedro", "consulta", area="CONT", first_name="Pedro")


@pytest.fixture
def api_client(db):
    """`api_client(user)` returns a Django test client that sends a bearer token."""
    from django.test import Client

    from pregon.accounts.models import ApiToken

    def make(user=None):
        if user is None:
            return Client()
        _, raw = ApiToken.issue(user, "pruebas")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("PREGON_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium no está en {CHROMIUM} y esta ejecución lo exige")
        pytest.skip(f"Chromium no está instalado en {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        locale="es-MX", timezone_id="America/Mexico_City", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log a persona in through the real login form."""

    def do(user, password: str | None = None):
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario").fill(user.username)
        page.get_by_label("Contraseña").fill(password or f"{user.username}-clave-segura-1")
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url("**/")
        return page

    return do


@pytest.fixture
def menu(page):
    """`menu("Medir", "Audiencias")`: open a group of the main menu and follow a link."""

    def go(group: str, label: str):
        nav = page.get_by_role("navigation", name="Principal")
        nav.locator("summary", has_text=group).click()
        nav.get_by_role("link", name=label, exact=True).click()
        return page

    return go


@pytest.fixture
def s3_bucket(settings):
    """`s3_bucket("nombre")`: a bucket on a local S3 server (moto, 127.0.0.1) made the
    default storage; returns the boto3 client. Skips cleanly without moto[server]."""
    moto_server = pytest.importorskip("moto.server", reason="moto[server] (dev) no está instalado")
    boto3 = pytest.importorskip("boto3")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"access_key": "pregon", "secret_key": "pregon-secreto", "region_name": "us-east-1"}
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=keys["access_key"],
        aws_secret_access_key=keys["secret_key"],
        region_name=keys["region_name"],
    )

    def use(bucket: str, **options):
        client.create_bucket(Bucket=bucket)
        storage = {"bucket_name": bucket, "endpoint_url": endpoint, "default_acl": None}
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {**storage, **keys, **options},
            },
        }
        return client

    yield use
    server.stop()


@pytest.fixture
def plan_themes(db):
    """The plan's permanent themes as a new database has them (publishing 0010 seeds
    them; transactional tests flush migration data, so they are written again)."""
    from django.apps import apps

    from pregon.publishing.models import Theme

    seed = import_module("pregon.publishing.migrations.0010_permanent_themes").plan_themes
    seed(apps, None)
    return {t.name: t for t in Theme.objects.all()}
