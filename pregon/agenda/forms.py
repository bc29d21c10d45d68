from collections.abc import Iterable
from datetime import datetime, time, timedelta
from html import escape

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from pregon.accounts import access
from pregon.accounts.models import Area, User
from pregon.accounts.roles import Role
from pregon.agenda.models import (
    Activity,
    ActivityType,
    Campaign,
    CoverageKind,
    PriorityRule,
    PriorityRuleSet,
    Tier,
)

COVERAGE_ROLES = ("fotografia", "redaccion", "diseno", "coordinacion")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    stream_url = forms.URLField(label="Transmisión en vivo", required=False, assume_scheme="https")
    reason = forms.CharField(
        label="Motivo del cambio (si se reprograma)", required=False, widget=forms.TextInput
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "all_day",
            "place",
            "latitude",
            "longitude",
            "area",
            "type",
            "with_mayor",
            "expected_attendance",
            "is_public",
            "public_interest",
            "campaign",
            "stream_url",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["area"].queryset = areas_for(user)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", "El fin no puede ser anterior al inicio.")
        return data


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "description", "starts_on", "ends_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fecha de fin no puede ser anterior a la de inicio.")
        return data


def areas_for(user):
    qs = Area.objects.order_by("name")
    return access.scope_to_area(user, qs, field="pk") if user else qs


def option_tags(options: Iterable[tuple[object, object, bool]]) -> SafeString:
    """`<option>` tags for (value, label, selected) triples, value and label escaped."""
    return mark_safe(  # noqa: S308 - each value is escaped
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label, selected in options
        )
    )


class FlatSelect(forms.Select):
    """A select of plain choices (no groups) whose options are written here: the quick
    form on every calendar page has some thirty, and an include (plus its attrs include)
    per option cost ≈ 1 ms. The HTML is Django's select.html with our select_option.html."""

    template_name = "agenda/widgets/select.html"

    def get_context(self, name, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        options = (option for _, group, _ in context["widget"]["optgroups"] for option in group)
        context["widget"]["options"] = option_tags(
            (option["value"], option["label"], option["selected"]) for option in options
        )
        return context


class QuickActivityForm(forms.Form):
    """Quick creation from the calendar: title, day and hours."""

    title = forms.CharField(label="Título", max_length=300)
    day = forms.DateField(
        label="Día", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label="Inicio", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    area = forms.ModelChoiceField(
        label="Área", queryset=Area.objects.none(), empty_label="Elija…", widget=FlatSelect
    )
    type = forms.ChoiceField(label="Tipo", choices=ActivityType.choices, widget=FlatSelect)

    def __init__(self, *args, user=None, areas=None, **kwargs) -> None:
        """`areas`: areas_for(user), when the caller has it already."""
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_for(user) if areas is None else areas
        if user and user.area_id:
            self.fields["area"].initial = user.area_id

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "La hora de fin debe ser posterior a la de inicio.")
        return data

    def activity_fields(self) -> dict:
        data = self.cleaned_data
        starts = timezone.make_aware(datetime.combine(data["day"], data["start"]))
        ends = timezone.make_aware(datetime.combine(data["day"], data["end"]))
        return {
            "title": data["title"],
            "starts_at": starts,
            "ends_at": ends,
            "area": data["area"],
            "type": data["type"],
        }


def default_quick_initial(day) -> dict:
    return {"day": day, "start": time(10, 0), "end": time(11, 0)}


class ImportForm(forms.Form):
    file = forms.FileField(label="Archivo .ics", required=False)
    area = forms.ModelChoiceField(label="Área de las actividades", queryset=Area.objects.none())
    public = forms.BooleanField(
        label="Publicar en la agenda pública los eventos que no dicen si son públicos",
        help_text="Sin marcar, un evento sin clasificación (CLASS) entra como privado.",
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_for(user)

    def clean(self) -> dict:
        data = super().clean()
        # The confirmation step resends the previewed content instead of the file.
        if not data.get("file") and not self.data.get("content"):
            self.add_error("file", "Seleccione un archivo .ics.")
        return data


class OverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label="Nivel",
        choices=[("", "Sin ajuste (usar el calculado)"), *Tier.choices],
        required=False,
    )
    reason = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = PriorityRuleSet
        fields = ["name", "tier_a_min", "tier_b_min"]

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("tier_a_min") or 0) < (data.get("tier_b_min") or 0):
            self.add_error("tier_a_min", "El mínimo de A debe ser mayor o igual que el de B.")
        return data


RuleFormSet = inlineformset_factory(
    PriorityRuleSet,
    PriorityRule,
    fields=["criterion", "value", "points"],
    extra=2,
    can_delete=True,
)


class AssignmentForm(forms.Form):
    """Assign a person from anywhere (week page, queue, activity): the activity or the
    person may be fixed by the page and then travel as hidden fields."""

    activity = forms.ModelChoiceField(label="Actividad", queryset=Activity.objects.none())
    kind = forms.ChoiceField(label="Tipo de cobertura", choices=CoverageKind.choices)
    assignee = forms.ModelChoiceField(label="Responsable", queryset=User.objects.none())
    notes = forms.CharField(label="Notas", required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, activities=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            activities if activities is not None else Activity.objects.none()
        )
        self.fields["assignee"].queryset = coverage_people()
        self.fields["activity"].label_from_instance = _activity_label

    def fix(self, name: str) -> None:
        self.fields[name].widget = forms.HiddenInput()


def _activity_label(activity: Activity) -> str:
    when = timezone.localtime(activity.starts_at).strftime("%d/%m %H:%M")
    return f"{when} · {activity.title} (nivel {activity.tier})"


class CoveredForm(forms.Form):
    notes = forms.CharField(
        label="Material entregado (notas)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def coverage_people():
    """People who cover events: the communication team's production roles."""
    labels = [Role(r).label for r in COVERAGE_ROLES]
    return (
        User.objects.filter(is_active=True, groups__name__in=labels)
        .distinct()
        .order_by("first_name", "username")
    )


def week_start(day) -> object:
    return day - timedelta(days=day.weekday())
