from django.urls import path

from pregon.surveys import public, views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("nueva/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/editar/", views.survey_edit, name="edit"),
    path("<int:pk>/duplicar/", views.survey_duplicate, name="duplicate"),
    path("<int:pk>/preguntas/nueva/", views.question_edit, name="question_add"),
    path("<int:pk>/preguntas/<int:question_pk>/", views.question_edit, name="question_edit"),
    path(
        "<int:pk>/preguntas/<int:question_pk>/eliminar/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/codigos/", views.codes, name="codes"),
    path("<int:pk>/codigos.csv", views.codes_csv, name="codes_csv"),
    path("<int:pk>/codigos/hoja/", views.codes_sheet, name="codes_sheet"),
    path("<int:pk>/codigos/hoja.pdf", views.codes_sheet, {"fmt": "pdf"}, name="codes_sheet_pdf"),
    path("<int:pk>/qr.svg", views.flyer_qr, name="flyer_qr"),
    path("<int:pk>/resultados/", views.results, name="results"),
    path("<int:pk>/resultados.<str:fmt>", views.results_export, name="results_export"),
    # Public, no login:
    path("r/<slug:slug>/", public.answer, name="answer"),
    path("r/<slug:slug>/gracias/", public.thanks, name="thanks"),
]
