from django.urls import path

from pregon.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("subir/", views.upload, name="upload"),
    path("subir/archivo/", views.upload_file, name="upload_file"),
    path("subir/estado/", views.upload_status, name="upload_status"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/original/", views.original, name="original"),
    path("<int:pk>/subtitulos/", views.captions_upload, name="captions_upload"),
    path("<int:pk>/subtitulos.vtt", views.captions_file, name="captions_file"),
    path("<int:pk>/<str:size>.jpg", views.derivative, name="derivative"),
    path("hemeroteca/", views.clippings, name="clippings"),
    path("hemeroteca/<int:pk>/", views.clipping_detail, name="clipping_detail"),
    path("hemeroteca/<int:pk>/editar/", views.clipping_edit, name="clipping_edit"),
    path("sintesis/", views.synthesis, name="synthesis"),
    path("sintesis.pdf", views.synthesis_pdf, name="synthesis_pdf"),
]
