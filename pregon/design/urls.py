from django.urls import path

from pregon.design import views

app_name = "design"
urlpatterns = [
    path("", views.index, name="index"),
    path("marca/", views.brand_kit, name="brand_kit"),
    path("marca/<int:pk>/activar/", views.brand_kit_activate, name="brand_kit_activate"),
    path("fotos/", views.photo_upload, name="photo_upload"),
    path("piezas/", views.pieces, name="pieces"),
    path("piezas/<int:pk>/imagen/", views.piece_image, name="piece_image"),
    path("marca/<int:pk>/logotipo/", views.brand_logo, name="brand_logo"),
    path("piezas/<int:pk>/adjuntar/", views.piece_attach, name="piece_attach"),
    path("plantillas/<slug:slug>/", views.editor, name="editor"),
    path("plantillas/<slug:slug>/vista-previa/", views.preview, name="preview"),
    path("plantillas/<slug:slug>/vista-previa.png", views.preview_png, name="preview_png"),
    path("plantillas/<slug:slug>/exportar/", views.export, name="export"),
    path("plantillas/<slug:slug>/volante/", views.flyer, name="flyer"),
]
