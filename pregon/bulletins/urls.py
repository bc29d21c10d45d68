from django.urls import path

from pregon.bulletins import broadcast_views, directory_views, feeds, public, views
from pregon.core.public_cache import public_page

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("nuevo/", views.bulletin_create, name="create"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/editar/", views.bulletin_edit, name="edit"),
    path("<int:pk>/pdf/", views.bulletin_pdf_view, name="pdf"),
    path("<int:pk>/fotos/", views.photo_add, name="photo_add"),
    path("<int:pk>/fotos/<int:photo_pk>/", views.photo_image, name="photo_image"),
    path("<int:pk>/fotos/<int:photo_pk>/quitar/", views.photo_remove, name="photo_remove"),
    path("<int:pk>/enviar-a-medios/", views.distribute, name="distribute"),
    path("<int:pk>/<slug:action>/", views.bulletin_action, name="action"),
    path("envios/<int:pk>/", views.distribution_detail, name="distribution"),
    path(
        "envios/destinatarios/<int:pk>/<slug:action>/",
        views.recipient_decide,
        name="recipient_decide",
    ),
    path("directorio/", views.media_directory, name="directory"),
    path("directorio/contactos/nuevo/", directory_views.contact_edit, name="contact_new"),
    path("directorio/contactos/<int:pk>/", directory_views.contact_edit, name="contact_edit"),
    path(
        "directorio/contactos/<int:pk>/borrar/",
        directory_views.contact_delete,
        name="contact_delete",
    ),
    path("directorio/listas/nueva/", directory_views.list_edit, name="list_new"),
    path("directorio/listas/<int:pk>/", directory_views.list_edit, name="list_edit"),
    path("directorio/listas/<int:pk>/borrar/", directory_views.list_delete, name="list_delete"),
    path("directorio/listas/<int:pk>/csv/", directory_views.list_export, name="list_export"),
    path("transmisiones/", views.transmissions, name="transmissions"),
    path(
        "transmisiones/actividad/<int:activity_pk>/preparar/",
        views.transmission_prepare,
        name="transmission_prepare",
    ),
    path(
        "transmisiones/<int:pk>/grabacion/",
        views.transmission_recording,
        name="transmission_recording",
    ),
    path(
        "transmisiones/actividad/<int:activity_pk>/programar/",
        broadcast_views.broadcast_schedule,
        name="broadcast_schedule",
    ),
    path(
        "transmisiones/actividad/<int:activity_pk>/estado/",
        broadcast_views.broadcast_refresh,
        name="broadcast_refresh",
    ),
    # Public (no login)
    path("sala-de-prensa/", public.press_list, name="press_list"),
    path("sala-de-prensa/<int:pk>/", public.press_detail, name="press_detail"),
    path("sala-de-prensa/<int:pk>/pdf/", public.press_pdf, name="press_pdf"),
    path("sala-de-prensa/<int:pk>/compartir.jpg", public.press_og_image, name="press_og_image"),
    path("sala-de-prensa/fotos/<int:pk>/", public.press_photo, name="press_photo"),
    path("sala-de-prensa/agenda/", public.press_agenda, name="press_agenda"),
    path("sala-de-prensa/rss/", public_page()(feeds.BulletinFeed()), name="press_rss"),
    path("sala-de-prensa/atom/", public_page()(feeds.BulletinAtomFeed()), name="press_atom"),
    path("sala-de-prensa/marca.css", public.press_brand_css, name="press_brand_css"),
    path("sala-de-prensa/rss/", feeds.BulletinFeed(), name="press_rss"),
    path("sala-de-prensa/atom/", feeds.BulletinAtomFeed(), name="press_atom"),
    path("sala-de-prensa/sitemap.xml", public.press_sitemap, name="press_sitemap"),
    path(
        "sala-de-prensa/sitemap-<int:year>.xml",
        public.press_sitemap_year,
        name="press_sitemap_year",
    ),
    path("baja/<str:token>/", public.unsubscribe, name="unsubscribe"),
]
