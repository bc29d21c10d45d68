from django import forms

from pregon.analytics.models import Purpose
from pregon.publishing.models import ChannelAccount


class PurposeRuleForm(forms.Form):
    prefix = forms.CharField(
        label="Prefijo de la URL",
        max_length=300,
        help_text="Por ejemplo /tramites/ — se aplica a todas las páginas que empiezan así.",
    )
    purpose = forms.ChoiceField(label="Propósito", choices=Purpose.choices)

    def clean_prefix(self) -> str:
        prefix = self.cleaned_data["prefix"].strip()
        if not prefix.startswith("/"):
            raise forms.ValidationError("El prefijo debe empezar con «/».")
        return prefix


class MetricsUploadForm(forms.Form):
    file = forms.FileField(
        label="Exportación de cifras (CSV)",
        help_text="Meta Business Suite (Facebook o Instagram) o X analytics, tal como se descarga.",
    )
    account = forms.ModelChoiceField(
        label="Cuenta",
        queryset=None,
        required=False,
        empty_label="Detectarla del archivo",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = ChannelAccount.objects.order_by("name")


class WebLogUploadForm(forms.Form):
    file = forms.FileField(
        label="Archivo de bitácora (.log o .gz)",
        help_text="Formato Common o Combined de nginx o Apache, también comprimida (.gz).",
    )
