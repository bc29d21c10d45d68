from django import forms

from pregon.goals import periods


class PeriodForm(forms.Form):
    period = forms.CharField(
        label="Periodo",
        max_length=10,
        help_text="Semestre (2023-H1, 2023-H2), trimestre (2023-Q1…Q4) o año (2023).",
    )

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data["period"])
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from error


class IssueForm(forms.Form):
    conclusions = forms.CharField(
        label="Conclusiones de Coordinación",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Dónde poner el esfuerzo el siguiente periodo; aparecen en el diagnóstico.",
    )
