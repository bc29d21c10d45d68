from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.text import slugify

from pregon.surveys.models import Question, Survey

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.ModelForm):
    privacy_url = forms.URLField(
        label="Enlace al aviso de privacidad integral", assume_scheme="https"
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "slug",
            "intro",
            "privacy_notice",
            "privacy_url",
            "opens_on",
            "closes_on",
            "anonymous",
            "access_mode",
        ]
        widgets = {
            "opens_on": DATE_INPUT,
            "closes_on": DATE_INPUT,
            "intro": forms.Textarea(attrs={"rows": 3}),
            "privacy_notice": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields[
            "slug"
        ].help_text = (
            "Se forma con el título si lo deja vacío; puede cambiarlo (letras, números y guiones)."
        )
        if self.instance.pk and self.instance.is_locked:
            # Answers were given under these terms: keep the address and anonymity fixed.
            for name in ("slug", "anonymous", "access_mode"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Bloqueado: la encuesta ya tiene respuestas."

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and "slug" not in self.errors:
            cleaned["slug"] = unique_slug(cleaned["title"], exclude=self.instance.pk)
        return cleaned


def unique_slug(title: str, *, exclude: int | None = None) -> str:
    """«Encuesta de satisfacción 2026» → encuesta-de-satisfaccion-2026 (-2, -3… if taken)."""
    base = slugify(title)[:70].strip("-") or "encuesta"
    taken = set(
        Survey.objects.exclude(pk=exclude)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def next_position(survey: Survey) -> int:
    return (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Opciones (una por renglón)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Solo para opción única u opción múltiple.",
    )

    class Meta:
        model = Question
        fields = [
            "position",
            "kind",
            "text",
            "help_text",
            "required",
            "show_if_question",
            "show_if_value",
        ]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.survey = survey
        if not self.instance.pk:
            self.fields["position"].help_text = "0 la pone al final."
            self.initial["position"] = next_position(survey)
        earlier = survey.questions.exclude(pk=self.instance.pk).exclude(kind__in=["short", "long"])
        self.fields["show_if_question"].queryset = earlier
        self.fields["show_if_question"].help_text = "Opcional: deje vacío para mostrarla siempre."
        self.fields[
            "show_if_value"
        ].help_text = "Valor exacto: una opción, «sí»/«no», o un número de la escala."
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean_position(self) -> int:
        """A new question left at order 0 goes after the existing ones (so after
        the question its condition refers to)."""
        position = self.cleaned_data["position"]
        if not self.instance.pk and not position:
            return next_position(self.instance.survey)
        return position

    def clean_choices_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices_text"].splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def _post_clean(self) -> None:
        self.instance.choices = self.cleaned_data.get("choices_text", [])
        super()._post_clean()


class CodesForm(forms.Form):
    count = forms.IntegerField(label="Cantidad de códigos", min_value=1, max_value=5000, initial=50)


class DateRangeForm(forms.Form):
    desde = forms.DateField(label="Desde", required=False, widget=DATE_INPUT)
    hasta = forms.DateField(label="Hasta", required=False, widget=DATE_INPUT)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("desde") and data.get("hasta") and data["hasta"] < data["desde"]:
            raise ValidationError("La fecha «hasta» es anterior a «desde».")
        return data
