"""Staff pages: the survey builder, invitation codes, QR codes and results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.core.audit import log_action
from pregon.surveys import charts, exports, services
from pregon.surveys.forms import CodesForm, DateRangeForm, QuestionForm, SurveyForm
from pregon.surveys.models import InvitationCode, Question, Survey
from pregon.surveys.selectors import survey_results


@access.require("surveys.view_survey")
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.annotate(answer_count=Count("responses"))
    return render(request, "surveys/list.html", {"surveys": surveys})


@access.require("surveys.add_survey")
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_save(survey=form.instance, user=request.user)
        messages.success(request, "Encuesta creada. Agregue sus preguntas.")
        return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form})


@access.require("surveys.change_survey")
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        services.survey_save(survey=form.instance, user=request.user)
        messages.success(request, "Encuesta guardada.")
        return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@access.require("surveys.view_survey")
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    context = {
        "survey": survey,
        "questions": survey.questions.select_related("show_if_question"),
        "locked": survey.is_locked,
        "public_url": request.build_absolute_uri(survey.public_path()),
        "responses": survey.responses.count(),
        "codes_total": survey.codes.count(),
        "codes_used": survey.codes.filter(used=True).count(),
    }
    return render(request, "surveys/detail.html", context)


@access.require("surveys.change_survey")
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey) if question_pk else None
    if survey.is_locked:
        messages.error(request, services.LOCKED)
        return redirect(survey)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        services.question_save(question=form.instance, user=request.user)
        messages.success(request, "Pregunta guardada.")
        return redirect(survey)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey})


@require_POST
@access.require("surveys.change_survey")
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    try:
        services.question_delete(question=question, user=request.user)
        messages.success(request, "Pregunta eliminada.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("surveys:detail", pk=pk)


@require_POST
@access.require("surveys.add_survey")
def survey_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.survey_duplicate(survey=get_object_or_404(Survey, pk=pk), user=request.user)
    messages.success(request, f"Se creó «{copy.title}», sin respuestas; puede editarla.")
    return redirect(copy)


@access.require("surveys.change_survey")
def codes(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = services.codes_generate(
            survey=survey, count=form.cleaned_data["count"], user=request.user
        )
        messages.success(request, f"Se generaron {len(made)} códigos.")
        return redirect("surveys:codes", pk=pk)
    context = {
        "survey": survey,
        "form": form,
        "total": survey.codes.count(),
        "used": survey.codes.filter(used=True).count(),
    }
    return render(request, "surveys/codes.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.require("surveys.change_survey")
def codes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    rows = exports.code_rows(survey, request.build_absolute_uri(survey.public_path()))
    log_action(survey, "surveys.codes_exported", user=request.user)
    return _download(exports.to_csv(rows), "text/csv; charset=utf-8", f"codigos-{survey.slug}.csv")


@access.require("surveys.change_survey")
def codes_sheet(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """A printable page (HTML or PDF) of cut-out cards, each with its code and a QR
    that opens the survey with the code already filled in."""
    survey = get_object_or_404(Survey, pk=pk)
    base = request.build_absolute_uri(survey.public_path())
    cards = [
        {"code": services.format_code(c.code), "qr": exports.qr_svg(f"{base}?codigo={c.code}", 3)}
        for c in InvitationCode.objects.filter(survey=survey, used=False)
    ]
    context = {"survey": survey, "cards": cards, "base": base}
    if fmt != "pdf":
        return render(request, "surveys/codes_sheet.html", context)
    html = render_to_string("surveys/codes_sheet.html", {**context, "pdf": True}, request)
    log_action(survey, "surveys.codes_exported", user=request.user, data={"format": "pdf"})
    return _download(exports.to_pdf(html), "application/pdf", f"codigos-{survey.slug}.pdf")


@access.require("surveys.view_survey")
def flyer_qr(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    url = request.build_absolute_uri(survey.public_path())
    svg = '<?xml version="1.0" encoding="utf-8"?>\n' + exports.qr_svg(url, scale=10).replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
    return _download(svg.encode(), "image/svg+xml", f"qr-{survey.slug}.svg")


def _range(request: HttpRequest) -> tuple[DateRangeForm, tuple]:
    form = DateRangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, (form.cleaned_data["desde"], form.cleaned_data["hasta"])
    return form, (None, None)


@access.require("surveys.view_results")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form, (start, end) = _range(request)
    data = survey_results(survey, start, end)
    for question in data["questions"]:
        question["chart"] = charts.bars(question)
    query = request.GET.urlencode()
    return render(
        request, "surveys/results.html", {"survey": survey, "form": form, "r": data, "query": query}
    )


@access.require("surveys.view_results")
def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    _, (start, end) = _range(request)
    rows = exports.answer_rows(survey, start, end)
    log_action(survey, "surveys.results_exported", user=request.user, data={"format": fmt})
    if fmt == "xlsx":
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(
            exports.to_xlsx(rows, survey.title), mime, f"respuestas-{survey.slug}.xlsx"
        )
    return _download(
        exports.to_csv(rows), "text/csv; charset=utf-8", f"respuestas-{survey.slug}.csv"
    )
