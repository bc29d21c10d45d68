import re

from django import forms
from django.utils.text import capfirst

from pregon.compliance.models import (
    CommunicationExpense,
    CommunicationProgramme,
    ComplianceSettings,
    ElectoralPeriod,
    ExemptCategory,
    GovernmentReport,
    PublicServant,
)
from pregon.compliance.text import CATEGORY_LABELS, category_slug

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RFC = re.compile(r"[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}")
INVOICE_TYPES = {b"%PDF": "PDF", b"<?xml": "XML"}


class ElectoralPeriodForm(forms.ModelForm):
    class Meta:
        model = ElectoralPeriod
        fields = ["name", "scope", "start", "end", "notes"]
        widgets = {"start": DATE, "end": DATE}


def category_choices() -> list[tuple[str, str]]:
    """Every category the rules know, by its Spanish name («Protección civil»)."""
    return [(slug, capfirst(label)) for slug, label in CATEGORY_LABELS.items()]


class ExemptCategoryForm(forms.ModelForm):
    class Meta:
        model = ExemptCategory
        fields = ["category", "reason", "authorization", "is_active"]
        help_texts = {
            "category": "Escriba una de estas categorías (sin importar acentos ni mayúsculas): "
            + ", ".join(label for _, label in category_choices())
            + ".",
        }

    def clean_category(self) -> str:
        # Normalised before the uniqueness check, so "Salud" clashes with "salud".
        slug = category_slug(self.cleaned_data.get("category", ""))
        if not slug:
            raise forms.ValidationError("Escriba la categoría, p. ej. Salud.")
        return slug


class GovernmentReportForm(forms.ModelForm):
    class Meta:
        model = GovernmentReport
        fields = ["title", "date", "territory_note"]
        widgets = {"date": DATE}


class PublicServantForm(forms.ModelForm):
    class Meta:
        model = PublicServant
        fields = ["name", "title", "aliases", "is_active"]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 3})}


class CommunicationProgrammeForm(forms.ModelForm):
    url = forms.URLField(label="Hipervínculo al programa", required=False, assume_scheme="https")

    class Meta:
        model = CommunicationProgramme
        fields = ["year", "name", "approved_on", "url"]
        widgets = {"approved_on": DATE}


class CommunicationExpenseForm(forms.ModelForm):
    class Meta:
        model = CommunicationExpense
        fields = [
            "campaign",
            "campaign_kind",
            "requesting_area",
            "media_type",
            "unit_description",
            "supplier",
            "supplier_rfc",
            "contract_number",
            "contract_date",
            "procurement_method",
            "amount",
            "amount_paid",
            "start_date",
            "end_date",
            "invoice_number",
            "invoice_file",
        ]
        widgets = {"contract_date": DATE, "start_date": DATE, "end_date": DATE}

    def clean_supplier_rfc(self) -> str:
        rfc = self.cleaned_data.get("supplier_rfc", "").strip().upper()
        if rfc and not RFC.fullmatch(rfc):
            raise forms.ValidationError(
                f"El RFC «{rfc}» no es válido: 3 o 4 letras, 6 dígitos de fecha y 3 "
                "caracteres de homoclave."
            )
        return rfc

    def clean_invoice_file(self):
        """Invoices are CFDI: a PDF or the XML; checked by content, not by name."""
        upload = self.cleaned_data.get("invoice_file")
        if not upload or not hasattr(upload, "read") or getattr(upload, "_committed", False):
            return upload
        head = upload.read(5)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in INVOICE_TYPES):
            raise forms.ValidationError(
                f"El archivo «{upload.name}» no es un PDF ni un XML de factura."
            )
        return upload


class ComplianceSettingsForm(forms.ModelForm):
    class Meta:
        model = ComplianceSettings
        fields = ["press_room_blackout_mode", "press_room_notice"]


class CheckForm(forms.Form):
    """Try the rules on the compliance page."""

    category = forms.ChoiceField(label="Categoría", choices=category_choices)
    when = forms.DateTimeField(
        label="Fecha de publicación",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(label="Texto", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    institutional = forms.BooleanField(label="Canal institucional", required=False, initial=True)
