from django.urls import path

from pregon.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sin-publicar/", views.unpublished, name="unpublished"),
    path("planes/nuevo/", views.plan_edit, name="plan_new"),
    path("planes/<int:pk>/", views.plan_detail, name="plan"),
    path("planes/<int:pk>/editar/", views.plan_edit, name="plan_edit"),
    path("planes/<int:plan_pk>/indicadores/nuevo/", views.indicator_edit, name="indicator_new"),
    path("planes/<int:plan_pk>/indicadores/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path(
        "planes/<int:plan_pk>/indicadores/<int:pk>/eliminar/",
        views.indicator_delete,
        name="indicator_delete",
    ),
]
