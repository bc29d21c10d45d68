from datetime import timedelta

from django import forms
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.publishing.channels import registry
from pregon.publishing.models import (
    PUBLICATION_FIELDS,
    ChannelAccount,
    Publication,
    Theme,
    ThemeTarget,
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = [*PUBLICATION_FIELDS, "scheduled_at"]
        field_classes = {"link": forms.URLField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "scheduled_at": DateTimeLocalInput(),
        }
        help_texts = {"scheduled_at": "Hora de México. Al aprobarla se programa para esa hora."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Recent and upcoming activities only: the agenda holds years of them.
        now = timezone.now()
        recent = Activity.objects.filter(
            starts_at__gte=now - timedelta(days=60), starts_at__lte=now + timedelta(days=60)
        )
        if self.instance.activity_id:
            recent = recent | Activity.objects.filter(pk=self.instance.activity_id)
        self.fields["activity"].queryset = recent.order_by("-starts_at")
        themes = Theme.objects.filter(is_active=True)
        if self.instance.theme_id:
            themes = themes | Theme.objects.filter(pk=self.instance.theme_id)
        self.fields["theme"].queryset = themes


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(label="Publicar el", widget=DateTimeLocalInput())


class MarkPublishedForm(forms.Form):
    url = forms.URLField(label="Dirección de la publicación", max_length=500, assume_scheme="https")


class ChannelAccountForm(forms.ModelForm):
    credentials_json = forms.CharField(
        label="Credenciales (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text="No se muestran nunca. Déjelo vacío para conservar las actuales.",
    )

    class Meta:
        model = ChannelAccount
        fields = ["name", "kind", "handle", "external_id", "base_url", "is_institutional", "state"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read the registry now, not when the class was defined: added networks count.
        self.fields["kind"].choices = registry.kind_choices()


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "category", "is_active", "order"]


class ThemeTargetForm(forms.ModelForm):
    class Meta:
        model = ThemeTarget
        fields = ["channel", "count", "period"]

    def clean_count(self) -> int:
        count = self.cleaned_data["count"]
        if count < 1:
            raise forms.ValidationError("Indique al menos 1 publicación por periodo.")
        return count


ThemeTargetFormSet = forms.inlineformset_factory(
    Theme, ThemeTarget, form=ThemeTargetForm, extra=2, can_delete=True, max_num=10
)
