"""The public answering page: no login, tiny HTML, works without JavaScript.

Nothing about the person is read or stored: the network address is used only to
count submissions in the cache (see abuse.py), never written to the database."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pregon.core.public_cache import public_page
from pregon.surveys import abuse, services
from pregon.surveys.models import AccessMode, Survey

TOO_MANY = (
    "Se recibieron demasiadas respuestas desde su red en poco tiempo. "
    "Espere unos minutos e inténtelo de nuevo."
)


def _context(survey: Survey, **extra) -> dict:
    today = timezone.localdate()
    return {
        "survey": survey,
        "questions": list(survey.questions.select_related("show_if_question")),
        "is_open": survey.is_open_on(today),
        "needs_code": survey.access_mode == AccessMode.CODES,
        "honeypot": abuse.HONEYPOT_FIELD,
        "values": {},
        "errors": {},
        **extra,
    }


def _code_error(survey: Survey, raw: str) -> str:
    if survey.access_mode != AccessMode.CODES or not raw:
        return ""
    try:
        services.check_code(survey, raw)
    except services.SubmissionError as exc:
        return exc.errors["codigo"]
    return ""


def _with_code(request: HttpRequest) -> bool:
    return bool(request.GET.get("codigo"))


# The blank form is the same for everyone but its CSRF token: cached with the token
# filled in per visitor; a link with an invitation code is checked and rendered anew.
@never_cache
@public_page(csrf=True, unless=_with_code)
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    if request.method != "POST":
        code = request.GET.get("codigo", "")
        errors = {"codigo": message} if (message := _code_error(survey, code)) else {}
        return render(
            request, "surveys/public/answer.html", _context(survey, code=code, errors=errors)
        )
    if abuse.over_limit(request):
        return render(
            request, "surveys/public/answer.html", _context(survey, notice=TOO_MANY), status=429
        )
    if abuse.is_bot(request.POST):
        return redirect("surveys:thanks", slug=slug)  # tell a bot nothing; store nothing
    questions = list(survey.questions.all())
    sheet = services.read_answers(questions, request.POST.getlist)
    code = request.POST.get("codigo", "")
    try:
        services.response_submit(survey=survey, sheet=sheet, code=code)
    except services.SubmissionError as exc:
        context = _context(survey, code=code, errors=exc.errors, values=request.POST)
        return render(request, "surveys/public/answer.html", context, status=400)
    return redirect("surveys:thanks", slug=slug)


@public_page()
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    return render(request, "surveys/public/thanks.html", {"survey": survey})
