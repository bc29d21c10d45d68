"""The rule records Coordinación edits through one generic list/form/delete UI."""

from dataclasses import dataclass

from django import forms
from django.db import models

from pregon.compliance import forms as f
from pregon.compliance import models as m


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    columns: tuple[str, ...]


SECTIONS = {
    s.slug: s
    for s in [
        Section(
            "vedas",
            "Periodos de veda",
            m.ElectoralPeriod,
            f.ElectoralPeriodForm,
            ("name", "scope", "start", "end"),
        ),
        Section(
            "exenciones",
            "Categorías exentas",
            m.ExemptCategory,
            f.ExemptCategoryForm,
            ("category", "reason", "authorization", "is_active"),
        ),
        Section(
            "informes",
            "Informes de gobierno",
            m.GovernmentReport,
            f.GovernmentReportForm,
            ("title", "date", "territory_note"),
        ),
        Section(
            "servidores",
            "Servidores públicos",
            m.PublicServant,
            f.PublicServantForm,
            ("name", "title", "aliases", "is_active"),
        ),
        Section(
            "gastos",
            "Gastos de comunicación social",
            m.CommunicationExpense,
            f.CommunicationExpenseForm,
            ("campaign", "media_type", "supplier", "contract_number", "amount", "start_date"),
        ),
        Section(
            "programas",
            "Programas anuales",
            m.CommunicationProgramme,
            f.CommunicationProgrammeForm,
            ("year", "name", "approved_on"),
        ),
    ]
}
