from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from pregon.api import api

urlpatterns = [
    path("", include("pregon.core.urls")),
    path("cuenta/", include("pregon.accounts.urls")),
    path("agenda/", include("pregon.agenda.urls")),
    path("publicaciones/", include("pregon.publishing.urls")),
    path("archivo/", include("pregon.archive.urls")),
    path("boletines/", include("pregon.bulletins.urls")),
    path("diseno/", include("pregon.design.urls")),
    path("audiencias/", include("pregon.analytics.urls")),
    path("encuestas/", include("pregon.surveys.urls")),
    path("metas/", include("pregon.goals.urls")),
    path("evaluacion/", include("pregon.reports.urls")),
    path("cumplimiento/", include("pregon.compliance.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "pregon.core.views.not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
