from django.urls import path

from pregon.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("nueva/", views.publication_create, name="create"),
    path("componer/revisar/", views.compose_check, name="compose_check"),
    path("componer/subir/", views.compose_upload, name="compose_upload"),
    path("componer/archivo/", views.compose_archive, name="compose_archive"),
    path("componer/archivo/agregar/", views.compose_pick, name="compose_pick"),
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
    path("imagenes/<int:pk>/<str:size>.jpg", views.media_image, name="media_image"),
    path("m/<str:token>/", views.public_media, name="public_media"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/editar/", views.publication_edit, name="edit"),
    path("<int:pk>/programar/", views.publication_schedule, name="schedule"),
    path("<int:pk>/mover/", views.publication_move, name="move"),
    path("<int:pk>/eliminar/", views.publication_delete, name="delete"),
    path("<int:pk>/<str:action>/", views.publication_action, name="action"),
]
