from django.urls import path

from pregon.analytics import views, views_audience

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("horarios/", views_audience.responds, name="responds"),
    path("horarios.csv", views_audience.responds_csv, name="responds_csv"),
    path("mejor-hora/", views_audience.best_slot, name="best_slot"),
    path("publico/", views_audience.listening, name="listening"),
    path("publico.csv", views_audience.listening_csv, name="listening_csv"),
    path("portal/", views.portal, name="portal"),
    path("portal/reglas/", views.rules, name="rules"),
    path("portal/reglas/<int:pk>/eliminar/", views.rule_delete, name="rule_delete"),
    path("importar/", views.uploads, name="uploads"),
    path("importar/estado/", views.upload_status, name="upload_status"),
    # Public, for the municipal portal: no login, no cookies.
    path("contar/", views.count, name="count"),
    path("contador.js", views.counter_js, name="counter_js"),
]
