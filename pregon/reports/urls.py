from django.urls import path

from pregon.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("periodo/<str:key>/", views.period, name="period"),
    path("periodo/<str:key>/emitir/", views.issue, name="issue"),
    path("<int:pk>/", views.issued, name="issued"),
]
