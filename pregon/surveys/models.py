"""Satisfaction surveys: a survey, its questions, the answers and invitation codes.

Anonymity is structural: a response stores only the survey and the *date* it was
submitted. Invitation codes live in their own table, flipped to `used` without any
link to the response and without a timestamp, so they cannot be joined back."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Opción única"
    MULTIPLE = "multiple", "Opción múltiple"
    CSAT = "csat", "Satisfacción 1 a 5 (CSAT)"
    NPS = "nps", "Recomendación 0 a 10 (NPS)"
    YESNO = "yesno", "Sí / No"
    SHORT = "short", "Texto corto"
    LONG = "long", "Texto largo"


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT, QuestionKind.LONG}
CSAT_LABELS = {
    "1": "1 · Muy insatisfecho",
    "2": "2 · Insatisfecho",
    "3": "3 · Neutral",
    "4": "4 · Satisfecho",
    "5": "5 · Muy satisfecho",
}


class AccessMode(models.TextChoices):
    PUBLIC = "public", "Enlace público"
    CODES = "codes", "Códigos de invitación de un solo uso"


class SurveyQuerySet(models.QuerySet):
    def open_on(self, day) -> "SurveyQuerySet":
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Survey(models.Model):
    title = models.CharField("título", max_length=200)
    slug = models.SlugField("identificador en la dirección", max_length=80, unique=True)
    intro = models.TextField("introducción", blank=True)
    privacy_notice = models.TextField("aviso de privacidad simplificado")
    privacy_url = models.URLField("enlace al aviso de privacidad integral")
    opens_on = models.DateField("abre el")
    closes_on = models.DateField("cierra el")
    anonymous = models.BooleanField(
        "anónima",
        default=True,
        help_text="No se guarda dirección IP, navegador ni hora; solo la fecha.",
    )
    access_mode = models.CharField(
        "acceso", max_length=10, choices=AccessMode.choices, default=AccessMode.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="creada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("creada", auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = "encuesta"
        verbose_name_plural = "encuestas"
        permissions = [("view_results", "Consultar resultados de encuestas")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("surveys:answer", args=[self.slug])

    @property
    def is_locked(self) -> bool:
        """Questions are locked once anyone answered: changing them would break answers."""
        return self.responses.exists()

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "La fecha de cierre es anterior a la de apertura."})

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name="encuesta", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField("orden", default=0)
    kind = models.CharField("tipo", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("pregunta", max_length=300)
    help_text = models.CharField("ayuda", max_length=300, blank=True)
    required = models.BooleanField("obligatoria", default=True)
    choices = models.JSONField("opciones", default=list, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        verbose_name="mostrar solo si la pregunta",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    show_if_value = models.CharField("tiene la respuesta", max_length=200, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = "pregunta"
        verbose_name_plural = "preguntas"

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind in CHOICE_KINDS and len(self.choices) < 2:
            raise ValidationError({"choices": "Escriba al menos dos opciones, una por renglón."})
        if self.kind not in CHOICE_KINDS:
            self.choices = []
        if self.show_if_question_id is None:
            self.show_if_value = ""
            return
        # Looked up, not followed: an id that names no question is the same mistake.
        parent = Question.objects.filter(pk=self.show_if_question_id).first()
        if parent is None or parent.survey_id != self.survey_id or parent.pk == self.pk:
            raise ValidationError({"show_if_question": "Elija una pregunta de esta encuesta."})
        if (parent.position, parent.pk) >= (self.position, self.pk or 10**9):
            raise ValidationError(
                {"show_if_question": "La condición debe ser una pregunta anterior."}
            )
        if self.show_if_value not in {value for value, _ in parent.options()}:
            raise ValidationError(
                {
                    "show_if_value": f"«{self.show_if_value}» no es una respuesta posible "
                    "de esa pregunta."
                }
            )

    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs a person can pick; empty for free text."""
        if self.kind in CHOICE_KINDS:
            return [(c, c) for c in self.choices]
        if self.kind == QuestionKind.CSAT:
            return list(CSAT_LABELS.items())
        if self.kind == QuestionKind.NPS:
            return [(str(i), str(i)) for i in range(11)]
        if self.kind == QuestionKind.YESNO:
            return [("sí", "Sí"), ("no", "No")]
        return []

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Response(models.Model):
    """One submitted questionnaire. Deliberately no IP, user agent nor time of day."""

    survey = models.ForeignKey(
        Survey, verbose_name="encuesta", on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField("fecha", db_index=True)
    # Only for surveys that are NOT anonymous; always empty when `survey.anonymous`.
    submitted_at = models.DateTimeField("fecha y hora", null=True, blank=True)
    invitation_code = models.CharField("código de invitación", max_length=20, blank=True)

    class Meta:
        ordering = ["survey", "submitted_on"]
        verbose_name = "respuesta"
        verbose_name_plural = "respuestas"

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_on:%Y-%m-%d}"


class Answer(models.Model):
    """One value given to one question; a multiple-choice answer has one row per option."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    value = models.TextField("valor")

    class Meta:
        verbose_name = "respuesta a pregunta"
        verbose_name_plural = "respuestas a preguntas"

    def __str__(self) -> str:
        return self.value[:50]


class InvitationCode(models.Model):
    """A single-use code. `used` is flipped without any link to the response and
    without a timestamp, so a used code cannot be traced to what was answered."""

    survey = models.ForeignKey(
        Survey, verbose_name="encuesta", on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField("código", max_length=20, unique=True)
    used = models.BooleanField("usado", default=False)

    class Meta:
        ordering = ["survey", "code"]
        verbose_name = "código de invitación"
        verbose_name_plural = "códigos de invitación"

    def __str__(self) -> str:
        return self.code
