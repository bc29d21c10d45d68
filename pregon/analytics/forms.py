from django import forms

from pregon.analytics.models import Purpose


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
