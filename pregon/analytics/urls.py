from django.urls import path

from pregon.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("portal/", views.portal, name="portal"),
    path("portal/reglas/", views.rules, name="rules"),
    path("portal/reglas/<int:pk>/eliminar/", views.rule_delete, name="rule_delete"),
    path("importar/", views.uploads, name="uploads"),
    path("importar/estado/", views.upload_status, name="upload_status"),
    # Public, for the municipal portal: no login, no cookies.
    path("contar/", views.count, name="count"),
    path("contador.js", views.counter_js, name="counter_js"),
]
