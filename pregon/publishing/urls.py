from django.urls import include, path

from pregon.publishing import connect, views, views_cadence, views_connect, views_lists

app_name = "publishing"
urlpatterns = [
    path("", views_lists.publication_list, name="list"),
    path("nueva/", views.publication_create, name="create"),
    path("componer/revisar/", views.compose_check, name="compose_check"),
    path("componer/subir/", views.compose_upload, name="compose_upload"),
    path("componer/archivo/", views.compose_archive, name="compose_archive"),
    path("componer/archivo/agregar/", views.compose_pick, name="compose_pick"),
    path("calendario/", views.publication_calendar, name="calendar"),
    path("hoy/", views.today, name="today"),
    path("temas/", views_cadence.board, name="themes"),
    path("temas/nuevo/", views_cadence.theme_edit, name="theme_create"),
    path("temas/sugerencia/", views_cadence.theme_suggestion, name="theme_suggestion"),
    path("temas/<int:pk>/", views_cadence.theme_edit, name="theme_edit"),
    path("temas/<int:pk>/eliminar/", views_cadence.theme_delete, name="theme_delete"),
    path("envios/", views_lists.delivery_list, name="deliveries"),
    path("envios/<int:pk>/paquete/", views.manual_package, name="package"),
    path("envios/<int:pk>/<str:action>/", views.delivery_action, name="delivery_action"),
    path("canales/", views.account_list, name="accounts"),
    path("canales/configuracion/", views_connect.setup, name="connect_setup"),
    path("canales/configuracion/comprobar/", views_connect.check_public, name="connect_check"),
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
# Each network's «Conectar» flow brings its own pages (channels/<net>/connect.py).
urlpatterns += [
    path("canales/conectar/", include(module.urlpatterns)) for module in connect.flow_modules()
]
