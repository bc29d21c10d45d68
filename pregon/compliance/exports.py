"""Quarterly transparency exports (LGT art. 70 fracción XXIII, "Gastos de
publicidad oficial"), with the column headers of the SIPOT/IPOMEX formats:
23a programa anual de comunicación social, 23b contratación de servicios de
impresión, difusión y publicidad, 23c utilización de los tiempos oficiales.
Catalogue columns the municipality does not track stay empty, as SIPOT allows."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from pregon.compliance.models import CommunicationExpense, CommunicationProgramme

RESPONSIBLE_AREA = "Unidad de Comunicación Social"
COVERAGE_AREA = "Municipio de Chapultepec, Estado de México"
COMMON_TAIL = [
    "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
    "Fecha de validación",
    "Fecha de actualización",
    "Nota",
]
PERIOD_HEAD = [
    "Ejercicio",
    "Fecha de inicio del periodo que se informa",
    "Fecha de término del periodo que se informa",
]
# Cells starting with these are formulas to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def head(self) -> list:
        return [self.year, self.start, self.end]


@dataclass(frozen=True)
class Format:
    code: str
    title: str
    columns: list[str]
    rows: Callable[[Quarter], list[list]]


def _tail(quarter: Quarter) -> list:
    today = timezone.localdate()
    return [RESPONSIBLE_AREA, today, today, ""]


def programme_rows(quarter: Quarter) -> list[list]:
    return [
        [*quarter.head(), p.name, p.approved_on, p.url, *_tail(quarter)]
        for p in CommunicationProgramme.objects.filter(year=quarter.year)
    ]


def contracted_rows(quarter: Quarter) -> list[list]:
    expenses = CommunicationExpense.objects.in_quarter(quarter.year, quarter.number).contracted()
    return [_contracted_row(quarter, e) for e in expenses]


def _contracted_row(quarter: Quarter, e: CommunicationExpense) -> list:
    service = "Servicios de impresión" if e.media_type == "impresos" else "Difusión en medios"
    return [
        *quarter.head(),
        "Contratante y solicitante",
        e.requesting_area,
        service,
        e.unit_description or e.get_media_type_display(),
        e.get_media_type_display(),
        e.unit_description,
        e.get_campaign_kind_display(),
        e.campaign,
        e.start_date.year,
        "Delimitado",
        COVERAGE_AREA,
        e.start_date,
        e.end_date,
        e.supplier,
        e.supplier_rfc,
        e.get_procurement_method_display(),
        e.contract_date,
        e.contract_number,
        e.amount,
        e.amount_paid,
        e.start_date,
        e.end_date,
        e.invoice_number,
        "",
        *_tail(quarter),
    ]


def airtime_rows(quarter: Quarter) -> list[list]:
    expenses = CommunicationExpense.objects.in_quarter(
        quarter.year, quarter.number
    ).official_airtime()
    return [_airtime_row(quarter, e) for e in expenses]


def _airtime_row(quarter: Quarter, e: CommunicationExpense) -> list:
    return [
        *quarter.head(),
        "Ayuntamiento de Chapultepec",
        "Tiempo de Estado",
        e.get_media_type_display(),
        e.unit_description,
        e.campaign,
        "",
        "",
        "Delimitado",
        COVERAGE_AREA,
        *[""] * 5,
        e.supplier,
        e.supplier,
        "",
        e.amount,
        e.requesting_area,
        e.start_date,
        e.end_date,
        e.amount_paid,
        e.invoice_number,
        *_tail(quarter),
    ]


FORMATS = {
    "23a": Format(
        "23a",
        "Gastos de publicidad oficial_Programa Anual de Comunicación Social o equivalente",
        [
            *PERIOD_HEAD,
            "Denominación del documento",
            "Fecha en la que se emitió la aprobación correspondiente",
            "Hipervínculo al Programa Anual de Comunicación Social o equivalente",
            *COMMON_TAIL,
        ],
        programme_rows,
    ),
    "23b": Format(
        "23b",
        "Gastos de publicidad oficial_Contratación de servicios de publicidad oficial",
        [
            *PERIOD_HEAD,
            "Función del sujeto obligado (catálogo)",
            "Área administrativa encargada de solicitar el servicio o producto, en su caso",
            "Clasificación del(los) servicios (catálogo)",
            "Tipo de servicio",
            "Tipo de medio (catálogo)",
            "Descripción de unidad",
            "Tipo (catálogo)",
            "Nombre de la campaña o aviso institucional",
            "Año de la campaña",
            "Cobertura (catálogo)",
            "Ámbito geográfico de cobertura",
            "Fecha de inicio de la campaña o aviso institucional",
            "Fecha de término de la campaña o aviso institucional",
            "Razón social del proveedor",
            "Registro Federal de Contribuyentes de la persona física o moral proveedora",
            "Procedimiento de contratación (catálogo)",
            "Fecha de firma del contrato",
            "Número o referencia de identificación del contrato",
            "Monto total del contrato",
            "Monto pagado al periodo publicado",
            "Fecha de inicio de los servicios contratados",
            "Fecha de término de los servicios contratados",
            "Número de factura",
            "Hipervínculo a la factura",
            *COMMON_TAIL,
        ],
        contracted_rows,
    ),
    "23c": Format(
        "23c",
        "Gastos de publicidad oficial_Utilización de los tiempos oficiales en radio y tv",
        [
            *PERIOD_HEAD,
            "Sujeto obligado al que se le proporcionó el servicio/permiso",
            "Tipo (catálogo)",
            "Medio de comunicación (catálogo)",
            "Descripción de unidad",
            "Concepto o campaña",
            "Clave única de identificación de campaña o aviso institucional, en su caso",
            "Autoridad que proporcionó la clave única de identificación de campaña o aviso "
            "institucional",
            "Cobertura (catálogo)",
            "Ámbito geográfico de cobertura",
            "Sexo (catálogo)",
            "Lugar de residencia",
            "Nivel educativo",
            "Grupo de edad",
            "Nivel socioeconómico",
            "Concesionario responsable de publicar la campaña o la comunicación "
            "correspondiente (razón social)",
            "Distintivo y/o nombre comercial del concesionario responsable de publicar la "
            "campaña o comunicación",
            "Descripción breve de las razones que justifican la elección del proveedor",
            "Monto total del tiempo de Estado o tiempo fiscal consumidos",
            "Área administrativa encargada de solicitar la difusión del mensaje o producto, "
            "en su caso",
            "Fecha de inicio de difusión del concepto o campaña",
            "Fecha de término de difusión del concepto o campaña",
            "Presupuesto total asignado y ejercido de cada partida",
            "Número de factura, en su caso",
            *COMMON_TAIL,
        ],
        airtime_rows,
    ),
}


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(fmt: Format, quarter: Quarter) -> bytes:
    """UTF-8 with BOM (so Excel opens accents right); dates dd/mm/aaaa like SIPOT."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fmt.columns)
    for row in fmt.rows(quarter):
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(neutralise(value))


def to_xlsx(fmt: Format, quarter: Quarter) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (~10 MB) loads for an export, not in every web worker

    """Row 1: the format's title; row 2: the column headers; then one row per record.
    Amounts are numbers and dates are dates, so the sheet adds and sorts."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Formato {fmt.code}"
    sheet.append([fmt.title])
    sheet.append(fmt.columns)
    for row in fmt.rows(quarter):
        sheet.append([neutralise(v) for v in row])
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, Decimal | float):
                cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
