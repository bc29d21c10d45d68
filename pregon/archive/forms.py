from django import forms

from pregon.archive.models import Asset, Clipping


class AssetEditForm(forms.ModelForm):
    keywords_text = forms.CharField(label="Palabras clave (separadas por coma)", required=False)

    class Meta:
        model = Asset
        fields = [
            "title",
            "caption",
            "credit",
            "alt_text",
            "place",
            "rights",
            "rights_expires_on",
            "contains_minors",
            "minors_consent",
            "minors_consent_record",
            "no_captions_reason",
        ]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3}),
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "rights_expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keywords_text"].initial = ", ".join(self.instance.keywords or [])
        if not self.instance.is_video:
            del self.fields["no_captions_reason"]

    def clean(self):
        data = super().clean()
        if data.get("minors_consent") and not data.get("minors_consent_record"):
            self.add_error(
                "minors_consent_record", "Indique dónde consta el consentimiento de los tutores."
            )
        if data.get("rights") == "vence" and not data.get("rights_expires_on"):
            self.add_error("rights_expires_on", "Indique la fecha en que vence el uso libre.")
        return data

    def save(self, commit=True):
        text = self.cleaned_data.get("keywords_text", "")
        self.instance.keywords = [k.strip() for k in text.split(",") if k.strip()]
        return super().save(commit)


class ClippingForm(forms.ModelForm):
    topics_text = forms.CharField(label="Temas (separados por coma)", required=False)
    url = forms.URLField(label="Enlace", required=False, max_length=500, assume_scheme="https")
    capture_file = forms.FileField(
        label="Captura (PDF, imagen, audio o video)",
        required=False,
        help_text="Se guarda en el archivo y queda ligada a la nota.",
    )

    class Meta:
        model = Clipping
        fields = [
            "date",
            "outlet",
            "media_type",
            "section",
            "page",
            "author",
            "headline",
            "summary",
            "tone",
            "url",
            "duration_seconds",
            "area_cm2",
            "ad_value",
            "is_own_bulletin",
            "activity",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def save(self, commit=True):
        text = self.cleaned_data.get("topics_text", "")
        self.instance.topics = [k.strip() for k in text.split(",") if k.strip()]
        return super().save(commit)
