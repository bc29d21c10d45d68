"""The bare Django reference for web_load.py: one view answering a 5 KB HTML page,
no database, no middleware, served by the same gunicorn settings as Pregón.

    gunicorn benchmarks.reference_app:application
"""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="reference-only",  # noqa: S106 - serves one static page, no sessions
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

ROW = "<p>Boletín de referencia: la Presidenta Municipal inauguró la obra.</p>\n"
PAGE = f"<!doctype html><html lang='es-MX'><body>{ROW * 70}</body></html>"  # ≈ 5 KB


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]
application = get_wsgi_application()
