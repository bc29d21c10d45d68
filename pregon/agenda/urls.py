from django.urls import path

from pregon.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("vista/<str:view>/", views.calendar, name="calendar_view"),
    path("rapida/", views.quick_create, name="quick_create"),
    path("nueva/", views.activity_new, name="new"),
    path("actividad/<int:pk>/", views.activity_detail, name="detail"),
    path("actividad/<int:pk>/editar/", views.activity_edit, name="edit"),
    path("actividad/<int:pk>/estado/", views.activity_status, name="status"),
    path("actividad/<int:pk>/prioridad/", views.activity_override, name="override"),
    path(
        "actividad/<int:pk>/solicitar-cobertura/", views.coverage_request, name="coverage_request"
    ),
    path("actividad/<int:pk>/asignar/", views.coverage_assign, name="coverage_assign"),
    path("cobertura/<int:pk>/cubierta/", views.coverage_covered, name="coverage_covered"),
    path("cobertura/", views.person_week, name="person_week"),
    path("cobertura/asignar/", views.assign, name="assign"),
    path("cobertura/verificar/", views.assign_check, name="assign_check"),
    path("jerarquizacion/", views.queue, name="queue"),
    path("jerarquizacion/reglas/", views.rules, name="rules"),
    path("campanas/", views.campaign_list, name="campaigns"),
    path("campanas/nueva/", views.campaign_new, name="campaign_new"),
    path("campanas/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campanas/<int:pk>/editar/", views.campaign_edit, name="campaign_edit"),
    path("importar/", views.import_view, name="import"),
    path("exportar.ics", views.export_ics, name="export"),
    path("publica.ics", views.public_feed, name="public_feed"),
]
