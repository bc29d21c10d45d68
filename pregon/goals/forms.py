from django import forms

from pregon.goals.models import BaselineScope, FormulaKind, Indicator, Plan, Source
from pregon.goals.sources import FILTER_KEYS


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["municipality", "year", "title", "objectives"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 4})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "description",
            "formula_kind",
            "numerator",
            "denominator",
            "filters",
            "frequency",
            "target",
            "baseline",
            "baseline_scope",
            "baseline_account",
            "baseline_date",
            "unit",
            "means_of_verification",
            "order",
        ]
        help_texts = {
            "baseline": "Para seguidores, el total de las cuentas que cubre (no por cuenta).",
            "target": "Para conteos, la de la frecuencia elegida; se prorratea en otros periodos.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean_filters(self) -> dict:
        filters = self.cleaned_data.get("filters") or {}
        if not isinstance(filters, dict):
            raise forms.ValidationError('Los filtros deben ser un objeto, p. ej. {"area": "OPDU"}.')
        unknown = sorted(set(filters) - set(FILTER_KEYS))
        if unknown:
            raise forms.ValidationError(
                f"Filtro desconocido: {', '.join(unknown)}. Use: {', '.join(FILTER_KEYS)}."
            )
        if any(not isinstance(v, str) for v in filters.values()):
            raise forms.ValidationError("Cada filtro lleva un texto, p. ej. «OPDU».")
        return filters

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("formula_kind")
        if kind in (FormulaKind.RATIO, FormulaKind.AVERAGE) and not data.get("denominator"):
            self.add_error("denominator", "Un porcentaje o un promedio necesita denominador.")
        if kind == FormulaKind.GROWTH and not data.get("baseline"):
            self.add_error("baseline", "El crecimiento se mide desde una línea base: indíquela.")
        self._check_baseline_scope(data)
        if self.instance.plan_id and data.get("code"):
            clash = Indicator.objects.filter(plan=self.instance.plan, code=data["code"])
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("code", "Ya hay un indicador con esta clave en el plan.")
        return data

    def _check_baseline_scope(self, data: dict) -> None:
        """A followers baseline says which accounts it covers; one account names it."""
        scope = data.get("baseline_scope")
        if data.get("numerator") == Source.FOLLOWERS and data.get("baseline") and not scope:
            self.add_error(
                "baseline_scope", "Indique qué cuentas cubre la línea base de seguidores."
            )
        if scope == BaselineScope.ACCOUNT and not data.get("baseline_account"):
            self.add_error("baseline_account", "Elija la cuenta que cubre la línea base.")
        if scope != BaselineScope.ACCOUNT and data.get("baseline_account"):
            self.add_error("baseline_account", "Solo se elige cuenta si la línea base cubre una.")
