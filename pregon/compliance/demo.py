"""Demo rules for Chapultepec 2023: the Estado de México veda, the exemptions the
Constitution allows, the 2023 report, public servants, a few expenses."""

from datetime import date
from decimal import Decimal
from typing import TextIO

from pregon.compliance.models import (
    CommunicationExpense,
    CommunicationProgramme,
    ComplianceSettings,
    ElectoralPeriod,
    ExemptCategory,
    GovernmentReport,
    PublicServant,
)

PERIODS = [
    (
        "Proceso electoral local Estado de México 2023",
        "estatal",
        date(2023, 4, 3),
        date(2023, 6, 4),
        "Campañas a la gubernatura del 3 de abril al 31 de mayo; jornada electoral el 4 de "
        "junio (incluida en la veda).",
    ),
]

EXEMPTIONS = [
    ("educacion", "Servicios educativos (art. 41, base III, apartado C, constitucional)"),
    ("salud", "Servicios de salud (art. 41, base III, apartado C, constitucional)"),
    ("proteccion_civil", "Protección civil en casos de emergencia (art. 41 constitucional)"),
    ("autoridades_electorales", "Información de las autoridades electorales"),
]

SERVANTS = [
    (
        "Laura Amalia González Martínez",
        "Presidenta Municipal",
        "Laura Amalia\nla presidenta municipal\nla alcaldesa",
    ),
    ("Héctor Ramírez Ocampo", "Secretario del Ayuntamiento", "el secretario del Ayuntamiento"),
    ("Patricia Núñez Herrera", "Tesorera Municipal", "la tesorera municipal"),
    ("José Luis Domínguez Prado", "Director de Obras Públicas y Desarrollo Urbano", ""),
    ("María Elena Cortés Vega", "Presidenta del Sistema Municipal DIF", "la presidenta del DIF"),
]

EXPENSES = [
    (
        "Campaña Municipio limpio",
        "internet",
        "Difusión Digital del Valle, S.A. de C.V.",
        "DDV150312AB1",
        "CS-2023-004",
        "adjudicacion",
        "48500.00",
        date(2023, 2, 1),
        date(2023, 3, 15),
    ),
    (
        "Aviso: pago anticipado del predial",
        "impresos",
        "Impresos Toluca, S.A. de C.V.",
        "ITO090101XY2",
        "CS-2023-001",
        "invitacion",
        "23200.00",
        date(2023, 1, 5),
        date(2023, 1, 31),
    ),
    (
        "Jornada de vacunación",
        "radio",
        "Radio Mexiquense",
        "",
        "",
        "tiempos_oficiales",
        "0",
        date(2023, 6, 10),
        date(2023, 6, 24),
    ),
]


def load(stdout: TextIO) -> None:
    for name, scope, start, end, notes in PERIODS:
        ElectoralPeriod.objects.update_or_create(
            name=name, defaults={"scope": scope, "start": start, "end": end, "notes": notes}
        )
    for slug, reason in EXEMPTIONS:
        ExemptCategory.objects.update_or_create(
            category=slug, defaults={"reason": reason, "is_active": True}
        )
    GovernmentReport.objects.update_or_create(
        title="Primer Informe de Gobierno", defaults={"date": date(2023, 12, 8)}
    )
    for name, title, aliases in SERVANTS:
        PublicServant.objects.update_or_create(
            name=name, defaults={"title": title, "aliases": aliases}
        )
    _load_expenses()
    ComplianceSettings.current()
    stdout.write("Cumplimiento: veda 2023, exenciones, informe, servidores y gastos listos.\n")


def _load_expenses() -> None:
    CommunicationProgramme.objects.update_or_create(
        year=2023,
        defaults={
            "name": "Programa Anual de Comunicación Social 2023 de Chapultepec",
            "approved_on": date(2023, 1, 12),
        },
    )
    for campaign, media, supplier, rfc, contract, method, amount, start, end in EXPENSES:
        CommunicationExpense.objects.update_or_create(
            campaign=campaign,
            supplier=supplier,
            defaults={
                "media_type": media,
                "supplier_rfc": rfc,
                "contract_number": contract,
                "procurement_method": method,
                "amount": Decimal(amount),
                "amount_paid": Decimal(amount),
                "start_date": start,
                "end_date": end,
                "requesting_area": "Unidad de Comunicación Social",
            },
        )
