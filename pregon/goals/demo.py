"""Chapultepec's plan for the plan year (the current year, core.demo_clock) and the
targets it states (from the 2023 plan)."""

from datetime import date
from typing import TextIO

from pregon.core import demo_clock
from pregon.goals.models import BaselineScope, FormulaKind, Frequency, Indicator, Plan, Source

OBJECTIVES = (
    "Ser el principal canal de comunicación entre sociedad para consolidar la veracidad de la "
    "información, relaciones públicas y atención ciudadana. Difusión oportuna de acciones, obras "
    "y proyectos de la administración municipal."
)

INDICATORS = [
    dict(
        code="P1",
        name="Publicaciones por año",
        formula_kind=FormulaKind.COUNT,
        numerator=Source.PUBLICATIONS_PUBLISHED,
        frequency=Frequency.ANNUAL,
        target=720,
        unit="publicaciones",
        means_of_verification="Registro de entregas publicadas en Pregón.",
    ),
    dict(
        code="P2",
        name="Publicaciones por trimestre",
        formula_kind=FormulaKind.COUNT,
        numerator=Source.PUBLICATIONS_PUBLISHED,
        frequency=Frequency.QUARTERLY,
        target=180,
        unit="publicaciones",
        means_of_verification="Registro de entregas publicadas en Pregón.",
    ),
    dict(
        code="C1",
        name="Acciones de gobierno publicadas",
        formula_kind=FormulaKind.RATIO,
        numerator=Source.ACTIVITIES_PUBLISHED,
        denominator=Source.ACTIVITIES_REGISTERED,
        frequency=Frequency.SEMIANNUAL,
        target=80,
        unit="%",
        means_of_verification="Agenda de actividades y publicaciones vinculadas.",
    ),
    dict(
        code="A1",
        name="Crecimiento de seguidores",
        formula_kind=FormulaKind.GROWTH,
        numerator=Source.FOLLOWERS,
        frequency=Frequency.SEMIANNUAL,
        target=10,
        baseline=6900,
        baseline_scope=BaselineScope.INSTITUTIONAL,
        unit="%",
        means_of_verification="Estadísticas de las propias redes sociales.",
    ),
    dict(
        code="A2",
        name="Interacciones promedio por publicación",
        formula_kind=FormulaKind.AVERAGE,
        numerator=Source.INTERACTIONS,
        denominator=Source.POSTS_MEASURED,
        frequency=Frequency.SEMIANNUAL,
        target=50,
        unit="interacciones",
        means_of_verification="Exportaciones de Meta Business Suite y X.",
    ),
    dict(
        code="T1",
        name="Temas permanentes al día",
        description="Campaña permanente: metas tema × red cumplidas en su semana o mes.",
        formula_kind=FormulaKind.RATIO,
        numerator=Source.CADENCE_MET,
        denominator=Source.CADENCE_TARGETS,
        frequency=Frequency.MONTHLY,
        target=80,
        unit="%",
        means_of_verification="Tablero de temas permanentes (entregas publicadas en Pregón).",
    ),
]


def load(stdout: TextIO) -> None:
    year = demo_clock.plan_year()
    plan_for(year)
    stdout.write(f"Plan {year} con {len(INDICATORS)} indicadores.\n")


def plan_for(year: int) -> Plan:
    """Chapultepec's plan for `year` with the 2023 plan's targets (idempotent)."""
    plan, _ = Plan.objects.update_or_create(
        municipality="Chapultepec, Estado de México",
        year=year,
        defaults={
            "title": f"Plan Anual de Difusión a la Ciudadanía {year}",
            "objectives": OBJECTIVES,
        },
    )
    for order, fields in enumerate(INDICATORS):
        code = fields["code"]
        values = {k: v for k, v in fields.items() if k != "code"}
        if "baseline" in values:  # the plan: «6,900 seguidores en enero de este año»
            values["baseline_date"] = date(year, 1, 1)
        Indicator.objects.update_or_create(
            plan=plan, code=code, defaults={**values, "order": order}
        )
    return plan
