"""/api/v1/compliance/...: the rule records and a check endpoint for other tools."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.compliance import services
from pregon.compliance.models import CommunicationExpense, ElectoralPeriod, PublicServant
from pregon.compliance.rules import check_publication
from pregon.core.api_types import Day, Id, Moment, Page

router = Router(tags=["Cumplimiento"])
VIEW = "compliance.view_dashboard"
MANAGE = "compliance.manage_rules"
EXPORT = "compliance.export_transparency"


class PeriodIn(Schema):
    name: str
    scope: str
    start: Day
    end: Day
    notes: str = ""


class PeriodOut(PeriodIn):
    id: int


class ServantIn(Schema):
    name: str
    title: str
    aliases: list[str] = []
    is_active: bool = True


class ServantOut(ServantIn):
    id: int


class ExpenseIn(Schema):
    campaign: str
    campaign_kind: str = "campana"
    requesting_area: str = ""
    media_type: str
    unit_description: str = ""
    supplier: str
    supplier_rfc: str = ""
    contract_number: str = ""
    contract_date: Day | None = None
    procurement_method: str
    amount: Decimal
    amount_paid: Decimal = Decimal("0")
    start_date: Day
    end_date: Day
    invoice_number: str = ""


class ExpenseOut(ExpenseIn):
    id: int


class CheckIn(Schema):
    category: str
    when: Moment
    text: str = ""
    institutional: bool = True


class MatchOut(Schema):
    servant: str
    title: str
    matched_text: str
    start: int
    end: int


class VerdictOut(Schema):
    allowed: bool
    severity: str
    messages: list[str]
    rules: list[str]
    periods: list[str]
    until: date | None
    exemption_reason: str
    matches: list[MatchOut]


def _create(request: HttpRequest, model, data: dict):
    access.check(request.auth, MANAGE)
    obj = model(**data)
    obj.full_clean()  # Spanish messages through the API's ValidationError handler
    with transaction.atomic():
        services.save_rule(obj, user=request.auth, created=True)
    return obj


def _servant_out(s: PublicServant) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "title": s.title,
        "aliases": s.alias_list,
        "is_active": s.is_active,
    }


@router.get("/compliance/periods", response=list[PeriodOut], summary="Periodos de veda")
@paginate(Page)
def periods(request: HttpRequest):
    access.check(request.auth, VIEW)
    return ElectoralPeriod.objects.all()


@router.post("/compliance/periods", response={201: PeriodOut}, summary="Registrar una veda")
def create_period(request: HttpRequest, payload: PeriodIn):
    return Status(201, _create(request, ElectoralPeriod, payload.dict()))


@router.get("/compliance/servants", response=list[ServantOut], summary="Servidores públicos")
@paginate(Page)
def servants(request: HttpRequest):
    access.check(request.auth, VIEW)
    return [_servant_out(s) for s in PublicServant.objects.all()]


@router.post("/compliance/servants", response={201: ServantOut}, summary="Registrar servidor")
def create_servant(request: HttpRequest, payload: ServantIn):
    data = payload.dict()
    data["aliases"] = "\n".join(data["aliases"])
    return Status(201, _servant_out(_create(request, PublicServant, data)))


@router.get("/compliance/expenses", response=list[ExpenseOut], summary="Gastos de comunicación")
@paginate(Page)
def expenses(request: HttpRequest):
    access.check(request.auth, EXPORT)
    return CommunicationExpense.objects.all()


@router.post("/compliance/expenses", response={201: ExpenseOut}, summary="Registrar un gasto")
def create_expense(request: HttpRequest, payload: ExpenseIn):
    return Status(201, _create(request, CommunicationExpense, payload.dict()))


@router.delete("/compliance/{kind}/{pk}", response={204: None}, summary="Eliminar un registro")
def delete_record(request: HttpRequest, kind: str, pk: Id):
    access.check(request.auth, MANAGE)
    models = {
        "periods": ElectoralPeriod,
        "servants": PublicServant,
        "expenses": CommunicationExpense,
    }
    if kind not in models:
        raise ValidationError(f"Tipo desconocido: «{kind}».")
    services.delete_rule(get_object_or_404(models[kind], pk=pk), user=request.auth)
    return Status(204, None)


@router.post("/compliance/check", response=VerdictOut, summary="Revisar una publicación")
def check(request: HttpRequest, payload: CheckIn):
    """Veda and personal-promotion rules for a category, a date and a text."""
    access.check(request.auth, VIEW)
    verdict = check_publication(payload.category, payload.when, payload.text, payload.institutional)
    return verdict.as_dict()
