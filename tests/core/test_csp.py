"""The Content-Security-Policy header is on every response and the templates carry
nothing it would refuse (the browser test checks the rendered pages as well)."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Documents rendered only into PDFs or e-mails (never served as web pages).
NOT_PAGES = {
    "bulletins/email.html",
    "bulletins/pdf.html",
    "design/flyer.html",
    "reports/document.html",
    "archive/synthesis_pdf.html",
}


def test_every_response_has_the_policy(client, db):
    for path in ("/cuenta/entrar/", "/healthz", "/no-existe/", "/boletines/sala-de-prensa/"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_style_nonce_changes_per_request(client, db):
    nonces = {
        re.search(r"'nonce-([^']+)'", client.get("/healthz").headers["Content-Security-Policy"])[1]
        for _ in range(3)
    }
    assert len(nonces) == 3


def test_templates_have_no_inline_scripts_handlers_or_styles():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{name}: inline <script>")
        if re.search(r"\s(on[a-z]+|hx-on(:[\w:-]+)?)=", text):
            problems.append(f"{name}: event-handler attribute")
        if name in NOT_PAGES:
            continue
        if re.search(r"\sstyle=", text):
            problems.append(f"{name}: style attribute")
        if re.search(r"<style(?![^>]*nonce=)", text):
            problems.append(f"{name}: <style> without the request's nonce")
    assert not problems, "\n".join(problems)


def test_press_room_colour_comes_from_a_stylesheet(client, db):
    css = client.get("/boletines/sala-de-prensa/marca.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert re.search(r"\.press-head \{ border-bottom: 4px solid #[0-9a-fA-F]{3,8}; \}", css.text)
    page = client.get("/boletines/sala-de-prensa/").content.decode()
    assert 'href="/boletines/sala-de-prensa/marca.css"' in page
