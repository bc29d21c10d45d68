from django.urls import path

from pregon.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ajustes/", views.settings_edit, name="settings"),
    path("transparencia/", views.export_index, name="exports"),
    path(
        "transparencia/<str:code>/<int:year>/<int:quarter>.<str:ext>",
        views.export_download,
        name="export",
    ),
    path("<slug:slug>/", views.section_list, name="section"),
    path("<slug:slug>/nuevo/", views.section_edit, name="section_new"),
    path("<slug:slug>/<int:pk>/", views.section_edit, name="section_edit"),
    path("<slug:slug>/<int:pk>/eliminar/", views.section_delete, name="section_delete"),
]
