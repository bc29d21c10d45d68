from django.urls import path

from pregon.publishing import views, views_connect

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
    path("canales/configuracion/", views_connect.setup, name="connect_setup"),
    path("canales/configuracion/comprobar/", views_connect.check_public, name="connect_check"),
    path("canales/conectar/meta/", views_connect.meta_start, name="connect_meta"),
    path("canales/conectar/meta/volver/", views_connect.meta_back, name="connect_meta_back"),
    path("canales/conectar/meta/agregar/", views_connect.meta_add, name="connect_meta_add"),
    path("canales/conectar/x/", views_connect.x_start, name="connect_x"),
    path("canales/conectar/x/volver/", views_connect.x_back, name="connect_x_back"),
    path("canales/conectar/portal/", views_connect.portal_start, name="connect_portal"),
    path("canales/conectar/portal/volver/", views_connect.portal_back, name="connect_portal_back"),
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
