"""Every role's main pages run under the Content-Security-Policy without a single
violation: no inline script, no on*= handler, no inline style, nothing from
elsewhere. Chromium reports each refusal on the console and as a
`securitypolicyviolation` event; both are collected on every page."""

import re

import pytest
from django.core.management import call_command

from pregon.accounts.demo import PEOPLE, demo_password

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " @" + e.lineNumber);
});
"""
# Pages reached from a list: the first detail link of each kind, where the role has one.
DETAIL_LINKS = [
    r"^/publicaciones/\d+/$",
    r"^/boletines/\d+/$",
    r"^/agenda/actividad/\d+/$",
    r"^/encuestas/\d+/$",
    r"^/diseno/plantillas/[\w-]+/$",
    r"^/archivo/\d+/$",
]
PUBLIC_PAGES = [
    "/cuenta/entrar/",
    "/boletines/sala-de-prensa/",
    "/boletines/sala-de-prensa/agenda/",
]


@pytest.fixture
def demo(transactional_db):
    from pregon.accounts.roles import sync_roles

    sync_roles()  # a flushed test database lost the grants that migrate made
    call_command("demo")


@pytest.fixture
def watched(page):
    """The page, with every CSP refusal collected from the console and the events."""
    page.add_init_script(LISTEN)
    refusals: list[str] = []
    page.on(
        "console",
        lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, refusals


def visit(page, refusals: list[str], path: str) -> list[str]:
    response = page.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    events = page.evaluate("window.__csp || []")
    found = [f"{path}: {r}" for r in refusals + events]
    refusals.clear()
    return found


def links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/")]


def detail_links(page) -> list[str]:
    hrefs = links(page, "main a")
    found = [next((h for h in hrefs if re.match(p, h)), None) for p in DETAIL_LINKS]
    return [h for h in found if h]


def visit_role(page, refusals: list[str], extra: list[str]) -> tuple[int, list[str]]:
    """Home, every navigation entry, the first detail page of each kind found on
    them and `extra`: each visited once. Returns (pages seen, violations)."""
    queue = ["/", *links(page, "nav a"), *extra]
    seen: set[str] = set()
    violations: list[str] = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        violations += visit(page, refusals, path)
        queue += [h for h in detail_links(page) if h not in seen]
    return len(seen), violations


def log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(demo_password(username))
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/")


def working_pages() -> list[str]:
    """Pages with forms and scripts that lists do not link to directly."""
    from pregon.agenda.models import Activity
    from pregon.publishing.models import Delivery, Publication
    from pregon.surveys.models import Survey

    pages = ["/cuenta/tokens/", "/agenda/cobertura/", "/publicaciones/nueva/"]
    activity = Activity.objects.order_by("-starts_at").first()
    if activity:
        pages.append(f"/agenda/actividad/{activity.pk}/")
    draft = Publication.objects.filter(status="borrador").first()
    if draft:
        pages.append(f"/publicaciones/{draft.pk}/editar/")
    manual = Delivery.objects.filter(account__kind="manual").first()
    if manual:
        pages.append(f"/publicaciones/envios/{manual.pk}/paquete/")
    survey = Survey.objects.first()
    if survey:
        pages += [f"/encuestas/{survey.pk}/resultados/", f"/encuestas/{survey.pk}/codigos/hoja/"]
    return pages


def public_pages(page) -> list[str]:
    from pregon.surveys.models import Survey

    page.goto("/boletines/sala-de-prensa/")
    pages = [*PUBLIC_PAGES, *links(page, "main a[href^='/boletines/sala-de-prensa/']")[:3]]
    survey = Survey.objects.exclude(slug="").first()
    if survey:
        pages.append(f"/encuestas/r/{survey.slug}/")
    return list(dict.fromkeys(pages))


def test_no_csp_violation_on_every_roles_main_pages(demo, watched):
    """One demo load: every role in turn (each with its own session), then the
    public pages without a session."""
    page, refusals = watched
    violations = []
    for username, *_ in PEOPLE:
        log_in(page, username)
        extra = working_pages() if username == "coordinacion" else []
        count, found = visit_role(page, refusals, extra)
        assert count > 10, (username, count)
        violations += found
    page.context.clear_cookies()
    violations += [v for path in public_pages(page) for v in visit(page, refusals, path)]
    assert not violations, "\n".join(violations)


def test_an_inline_script_is_refused(live_server, watched):
    """The policy really bites: an inline script injected into a page is refused."""
    page, refusals = watched
    page.goto("/cuenta/entrar/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in r for r in refusals + page.evaluate("window.__csp"))


def test_no_csp_violation_in_the_admin(live_server, watched, person):
    page, refusals = watched
    root = person("raiz", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "raiz")
    page.fill("#id_password", "raiz-clave-segura-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    pages = ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{root.pk}/change/"]
    pages.append("/admin/accounts/apitoken/add/")
    violations = [v for path in pages for v in visit(page, refusals, path)]
    assert not violations, "\n".join(violations)
