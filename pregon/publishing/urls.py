from django.urls import path

from pregon.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("nueva/", views.publication_create, name="create"),
    path("validar/", views.validate, name="validate"),
    path("calendario/", views.publication_calendar, name="calendar"),
    path("hoy/", views.today, name="today"),
    path("envios/", views.delivery_list, name="deliveries"),
    path("envios/<int:pk>/paquete/", views.manual_package, name="package"),
    path("envios/<int:pk>/<str:action>/", views.delivery_action, name="delivery_action"),
    path("canales/", views.account_list, name="accounts"),
    path("canales/nuevo/", views.account_edit, name="account_create"),
    path("canales/<int:pk>/", views.account_edit, name="account_edit"),
    path("canales/<int:pk>/probar/", views.account_test, name="account_test"),
    path("imagenes/<int:pk>/descargar/", views.media_download, name="media_download"),
    path("imagenes/<int:pk>/subtitulos.srt", views.media_captions, name="media_captions"),
    path("m/<str:token>/", views.public_media, name="public_media"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/editar/", views.publication_edit, name="edit"),
    path("<int:pk>/imagenes/", views.media_add, name="media_add"),
    path("<int:pk>/imagenes/archivo/", views.media_pick, name="media_pick"),
    path("<int:pk>/programar/", views.publication_schedule, name="schedule"),
    path("<int:pk>/mover/", views.publication_move, name="move"),
    path("<int:pk>/eliminar/", views.publication_delete, name="delete"),
    path("<int:pk>/<str:action>/", views.publication_action, name="action"),
]
