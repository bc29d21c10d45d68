"""Content-Security-Policy on every response.

Scripts only from Pregón itself ('self': htmx and our static files; no inline
scripts, no event-handler attributes, no eval). Styles from 'self' as well; the
few printable documents that carry their own <style> block (they are also PDF
sources) mark it with this request's nonce. Images may also be data: URIs (QR
codes, previews) and blob: (a photo chosen for upload, shown before sending)."""

import secrets

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": f"'self' 'nonce-{nonce}'",
        "img-src": "'self' data: blob:",
        "media-src": "'self' blob:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(HEADER, policy(request.csp_nonce))
        return response


def nonce(request: HttpRequest) -> dict:
    """Context processor: `{{ csp_nonce }}` for a document's own <style> block."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
