from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.bulletins.models import Bulletin, MediaContact, MediaList, SessionType
from pregon.core.mail import clean_address
from pregon.core.spanish import format_date
from pregon.publishing.models import ChannelAccount

RICH_HELP = "Párrafos, negritas, cursivas, listas y enlaces; lo demás se elimina al guardar."


class BulletinForm(forms.ModelForm):
    balazo_1 = forms.CharField(label="Balazo 1", max_length=300)
    balazo_2 = forms.CharField(label="Balazo 2", max_length=300, required=False)
    balazo_3 = forms.CharField(label="Balazo 3", max_length=300, required=False)

    class Meta:
        model = Bulletin
        fields = ["kind", "dated", "title", "body", "press_contact", "category", "area", "activity"]
        widgets = {
            "dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {"body": RICH_HELP}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i, value in enumerate((self.instance.balazos or [])[:3], start=1):
            self.initial[f"balazo_{i}"] = value
        activity = self.fields["activity"]
        activity.queryset = activities_to_report(self.instance)
        activity.label_from_instance = _activity_label
        activity.help_text = "Actividades de los 60 días anteriores y los 14 siguientes."

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["balazos"] = [self.cleaned_data.get(f"balazo_{i}", "") for i in (1, 2, 3)]
        return data


def activities_to_report(bulletin: Bulletin):
    """What a bulletin may be about: the activities around today (most recent
    first), plus the one it is already linked to."""
    today = timezone.localdate()
    start, end = today - timedelta(days=60), today + timedelta(days=14)
    around = Q(starts_at__date__gte=start, starts_at__date__lte=end)
    if bulletin.activity_id:
        around |= Q(pk=bulletin.activity_id)
    return Activity.objects.filter(around).select_related("area").order_by("-starts_at")


def _activity_label(activity: Activity) -> str:
    return f"{format_date(activity.starts_at, 'j M Y')} · {activity.title}"


class PhotoForm(forms.Form):
    asset = forms.IntegerField(label="Número de la foto en el archivo", min_value=1)
    caption = forms.CharField(label="Pie de foto", max_length=500, required=False)
    credit = forms.CharField(label="Crédito", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Archivo CSV")


class DistributionForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label="Listas de medios",
        queryset=MediaList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class RecordingForm(forms.Form):
    session_name = forms.CharField(label="Nombre de la sesión", max_length=300)
    asset = forms.IntegerField(label="Número del video en el archivo", required=False)
    url = forms.URLField(label="Enlace a la grabación", required=False, assume_scheme="https")


class ContactForm(forms.ModelForm):
    class Meta:
        model = MediaContact
        fields = [
            "outlet",
            "person",
            "role",
            "email",
            "phone",
            "media_type",
            "coverage_area",
            "lists",
        ]
        widgets = {"lists": forms.CheckboxSelectMultiple}
        field_classes = {"email": forms.CharField}

    def clean_email(self) -> str:
        return clean_address(self.cleaned_data["email"]).lower()

    def _post_clean(self) -> None:
        # The model's EmailField knows no RFC 6531 mailbox; clean_email checked it.
        exclude = self._get_validation_exclusions()
        exclude.add("email")
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except forms.ValidationError as exc:
            self._update_errors(exc)
        super()._post_clean()


class MediaListForm(forms.ModelForm):
    class Meta:
        model = MediaList
        fields = ["name", "description"]


class BroadcastForm(forms.Form):
    """«Programar transmisión»: where (accounts of networks that schedule live video)
    and the acta's data of the session."""

    accounts = forms.ModelMultipleChoiceField(
        label="Transmitir en",
        queryset=ChannelAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Elija al menos una cuenta donde transmitir."},
    )
    session_type = forms.ChoiceField(
        label="Tipo de sesión", choices=[("", "—"), *SessionType.choices], required=False
    )
    session_number = forms.IntegerField(
        label="Número de sesión", min_value=1, max_value=100000, required=False
    )

    def __init__(self, *args, accounts: list[ChannelAccount], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        field.queryset = ChannelAccount.objects.filter(pk__in=[a.pk for a in accounts])
