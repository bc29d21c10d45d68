"""Publishing API: publications and their workflow actions, deliveries with their
attempts, channel accounts (credentials write-only), the permanent campaign's themes
and their cadence board."""

import json
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.agenda.models import Activity, Campaign
from pregon.core.api_types import Day, Id, Moment, Page
from pregon.publishing import cadence, selectors, services, tasks, themes
from pregon.publishing.forms import MarkPublishedForm
from pregon.publishing.models import CadencePeriod, ChannelAccount, ChannelKind, Publication, Theme

router = Router(tags=["Publicaciones"])


class VariantIn(Schema):
    account: Id
    text: str = ""
    media: list[Id] = []
    alt_texts: dict[str, str] = {}


class VariantOut(Schema):
    id: int
    account: int
    account_name: str
    kind: str
    text: str
    media: list[int]

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.account.kind

    @staticmethod
    def resolve_media(obj) -> list[int]:
        return [m.pk for m in obj.media.all()]


class PublicationIn(Schema):
    title: str
    text: str
    link: str = ""
    category: str = "institucional"
    about_report: bool = False
    activity: Id | None = None
    campaign: Id | None = None
    theme: Id | None = None
    scheduled_at: Moment | None = None
    variants: list[VariantIn] | None = None


class PublicationPatch(Schema):
    """A field left out stays as it is; null empties only activity, campaign and the
    scheduled time (null variants, like leaving them out, keep them); a null theme
    falls back to the category's."""

    title: str = None
    text: str = None
    link: str = None
    category: str = None
    about_report: bool = None
    activity: Id | None = None
    campaign: Id | None = None
    theme: Id | None = None
    scheduled_at: Moment | None = None
    variants: list[VariantIn] | None = None


class PublicationOut(Schema):
    id: int
    title: str
    text: str
    link: str
    category: str
    about_report: bool
    activity: int | None
    campaign: int | None
    theme: int | None
    author: str
    status: str
    scheduled_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    published_at: datetime | None
    variants: list[VariantOut]

    @staticmethod
    def resolve_activity(obj) -> int | None:
        return obj.activity_id

    @staticmethod
    def resolve_campaign(obj) -> int | None:
        return obj.campaign_id

    @staticmethod
    def resolve_theme(obj) -> int | None:
        return obj.theme_id

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.username

    @staticmethod
    def resolve_approved_by(obj) -> str | None:
        return obj.approved_by.username if obj.approved_by else None

    @staticmethod
    def resolve_variants(obj) -> list:
        return list(obj.variants.select_related("account").prefetch_related("media"))


class SubmitProblemOut(Schema):
    channel: str = Field(description="La cuenta de canal, como se llama en Pregón.")
    field: str = Field(description="El campo que hay que corregir (texto, imágenes…).")
    message: str
    rule: str = Field(description="«red» para las reglas de la red; si no, la regla.")


class SubmitRefusalOut(Schema):
    """Why a publication cannot go to review: every problem, with its channel and field."""

    detail: str
    problems: list[SubmitProblemOut] = Field(
        default=[], description="Lo que el veredicto rechaza, por canal y campo."
    )
    errors: dict[str, list[str]] | list[dict[str, str]] | None = Field(
        default=None,
        description="Otros motivos, por campo: el estado de la publicación, o un dato de la "
        "petición que no vale ({campo, problema}), como en el resto de la API.",
    )


class ScheduleIn(Schema):
    when: Moment


class CancelIn(Schema):
    reason: str = ""


class AttemptOut(Schema):
    started_at: datetime
    duration_ms: int
    http_status: int | None
    outcome: str
    response_text: str
    error: str


class DeliveryOut(Schema):
    id: int
    publication: int
    account: int
    account_name: str
    status: str
    scheduled_at: datetime
    attempts: int
    remote_id: str
    remote_url: str
    published_at: datetime | None
    last_error: str
    actions: list[str]  # what may be done now: marcar, comprobar, reintentar, descartar
    attempt_log: list[AttemptOut]

    @staticmethod
    def resolve_publication(obj) -> int:
        return obj.variant.publication_id

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_attempt_log(obj) -> list:
        return list(obj.attempt_log.all())

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return [str(action) for action in obj.actions]


class ResolveIn(Schema):
    """How a person settled it: «publicada» with the post's address, or «fallida»."""

    outcome: Literal["publicada", "fallida"]
    url: str = ""


class AccountIn(Schema):
    name: str
    kind: str
    handle: str = ""
    external_id: str = ""
    base_url: str = ""
    is_institutional: bool = True
    state: str = "activa"
    credentials: dict | None = None  # write-only


class ChannelAccountOut(Schema):
    """Credentials are never returned; only whether some are stored."""

    id: int
    name: str
    kind: str
    handle: str
    external_id: str
    base_url: str
    is_institutional: bool
    state: str
    has_credentials: bool
    checked_at: datetime | None
    check_ok: bool | None
    check_message: str

    @staticmethod
    def resolve_has_credentials(obj) -> bool:
        return bool(obj.credentials)


def _variants(items: list[VariantIn] | None) -> dict | None:
    if items is None:
        return None
    return {v.account: {"text": v.text, "media": v.media, "alt_texts": v.alt_texts} for v in items}


def _fields(data: dict) -> dict:
    """API ids → model instances the services take."""
    for name, model in (("activity", Activity), ("campaign", Campaign), ("theme", Theme)):
        if data.get(name) is not None:
            found = model.objects.filter(pk=data[name]).first()
            if not found:
                raise ValidationError({name: f"No existe {name} con id {data[name]}."})
            data[name] = found
    return data


def _publication(request: HttpRequest, pk: int) -> Publication:
    try:
        return selectors.publication_detail(request.auth, pk)
    except Publication.DoesNotExist as exc:
        raise Http404("No existe esa publicación.") from exc


@router.get("/publications", response=list[PublicationOut])
@paginate(Page)
def list_publications(request: HttpRequest, status: str = ""):
    access.check(request.auth, "publishing.view_publication")
    qs = selectors.publications_for(request.auth).prefetch_related("variants__account")
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/publications", response={201: PublicationOut})
def create_publication(request: HttpRequest, payload: PublicationIn):
    access.check(request.auth, "publishing.add_publication")
    data = payload.dict(exclude={"variants"})
    publication = services.publication_create(
        author=request.auth, variants=_variants(payload.variants), **_fields(data)
    )
    return Status(201, _publication(request, publication.pk))


@router.get("/publications/{pk}", response=PublicationOut)
def get_publication(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.view_publication")
    return _publication(request, pk)


@router.patch("/publications/{pk}", response=PublicationOut)
def update_publication(request: HttpRequest, pk: Id, payload: PublicationPatch):
    access.check(request.auth, "publishing.change_publication")
    data = payload.dict(exclude={"variants"}, exclude_unset=True)
    services.publication_update(
        publication=_publication(request, pk),
        user=request.auth,
        variants=_variants(payload.variants),
        **_fields(data),
    )
    return _publication(request, pk)


@router.delete("/publications/{pk}", response={204: None})
def delete_publication(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.delete_publication")
    services.publication_delete(publication=_publication(request, pk), user=request.auth)
    return Status(204, None)


@router.post(
    "/publications/{pk}/submit",
    response={200: PublicationOut, 422: SubmitRefusalOut},
    summary="Enviar a revisión (422 con los problemas por canal y campo)",
)
def submit_publication(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.change_publication")
    try:
        services.publication_submit(publication=_publication(request, pk), user=request.auth)
    except services.SubmitRefused as refused:
        detail = " ".join(refused.messages)
        return Status(422, {"detail": detail, "problems": refused.problems})
    return _publication(request, pk)


@router.post("/publications/{pk}/approve", response=PublicationOut)
def approve_publication(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.approve_publication")
    services.publication_approve(publication=_publication(request, pk), user=request.auth)
    return _publication(request, pk)


@router.post("/publications/{pk}/schedule", response=PublicationOut)
def schedule_publication(request: HttpRequest, pk: Id, payload: ScheduleIn):
    access.check(request.auth, "publishing.schedule_publication")
    services.publication_schedule(
        publication=_publication(request, pk), user=request.auth, when=payload.when
    )
    return _publication(request, pk)


@router.post("/publications/{pk}/cancel", response=PublicationOut)
def cancel_publication(request: HttpRequest, pk: Id, payload: CancelIn | None = None):
    access.check(request.auth, "publishing.change_publication")
    services.publication_cancel(
        publication=_publication(request, pk),
        user=request.auth,
        reason=payload.reason if payload else "",
    )
    return _publication(request, pk)


@router.get("/deliveries", response=list[DeliveryOut])
@paginate(Page)
def list_deliveries(request: HttpRequest, status: str = "", publication: Id | None = None):
    access.check(request.auth, "publishing.view_delivery")
    qs = selectors.deliveries_for(request.auth, status)
    if publication:
        qs = qs.filter(variant__publication_id=publication)
    return qs


@router.get("/deliveries/{pk}", response=DeliveryOut)
def get_delivery(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.view_delivery")
    return _delivery(request, pk)


def _delivery(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.deliveries_for(request.auth), pk=pk)


@router.post("/deliveries/{pk}/resolve", response=DeliveryOut)
def resolve_delivery(request: HttpRequest, pk: Id, payload: ResolveIn):
    """Settle an uncertain (or failed) delivery by hand, as in the web page: it is on
    the network at `url`, or it did not go out and is closed as failed."""
    access.check(request.auth, "publishing.settle_delivery")
    delivery = _delivery(request, pk)
    if payload.outcome == "publicada":
        services.delivery_require_action(delivery, "marcar")
        form = MarkPublishedForm({"url": payload.url})
        if not form.is_valid():  # the same check as the web form
            raise ValidationError("Escriba la dirección (URL) de la publicación.")
        services.delivery_mark_published(
            delivery=delivery, user=request.auth, url=form.cleaned_data["url"]
        )
    else:
        services.delivery_require_action(delivery, "descartar")
        services.delivery_give_up(delivery=delivery, user=request.auth)
    return _delivery(request, pk)


@router.post("/deliveries/{pk}/recheck", response={202: DeliveryOut})
def recheck_delivery(request: HttpRequest, pk: Id):
    """Ask the network again (in the background) whether an uncertain one is there."""
    access.check(request.auth, "publishing.settle_delivery")
    delivery = services.delivery_recheck(delivery=_delivery(request, pk), user=request.auth)
    tasks.enqueue_settle(delivery)
    return Status(202, _delivery(request, pk))


@router.post("/deliveries/{pk}/resend", response=DeliveryOut)
def resend_delivery(request: HttpRequest, pk: Id):
    """A person checked: it is NOT on the network. Send it again now."""
    access.check(request.auth, "publishing.settle_delivery")
    delivery = _delivery(request, pk)
    services.delivery_require_action(delivery, "reintentar")
    services.delivery_retry(delivery=delivery, user=request.auth)
    return _delivery(request, pk)


@router.get("/channel-accounts", response=list[ChannelAccountOut])
@paginate(Page)
def list_accounts(request: HttpRequest):
    access.check(request.auth, "publishing.view_channelaccount")
    return ChannelAccount.objects.all()


@router.post("/channel-accounts", response={201: ChannelAccountOut})
def create_account(request: HttpRequest, payload: AccountIn):
    access.check(request.auth, "publishing.add_channelaccount")
    data = payload.dict(exclude={"credentials"})
    account = services.account_save(
        account=ChannelAccount(**data), user=request.auth, credentials=_creds(payload)
    )
    return Status(201, account)


@router.patch("/channel-accounts/{pk}", response=ChannelAccountOut)
def update_account(request: HttpRequest, pk: Id, payload: AccountIn):
    access.check(request.auth, "publishing.change_channelaccount")
    account = get_object_or_404(ChannelAccount, pk=pk)
    for name, value in payload.dict(exclude={"credentials"}).items():
        setattr(account, name, value)
    return services.account_save(account=account, user=request.auth, credentials=_creds(payload))


def _creds(payload: AccountIn) -> str | None:
    return json.dumps(payload.credentials) if payload.credentials else None


# --- the permanent campaign: themes and their cadence ---------------------------------


class ThemeTargetIO(Schema):
    channel: ChannelKind
    count: Annotated[int, Field(ge=1, le=1000)]
    period: CadencePeriod = CadencePeriod.WEEK


class ThemeIn(Schema):
    name: str
    category: str = ""
    is_active: bool = True
    order: Annotated[int, Field(ge=0, le=32767)] = 0
    targets: list[ThemeTargetIO] = []


class ThemeOut(Schema):
    id: int
    name: str
    category: str
    is_active: bool
    order: int
    targets: list[ThemeTargetIO]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())


class CadenceCellOut(Schema):
    theme: int
    theme_name: str
    channel: str
    target: int
    period: str
    period_start: date
    period_end: date  # exclusive
    count: int
    missing: int
    status: Literal["al_dia", "atrasado", "pausado"]
    last_post: datetime | None


class CadenceBoardOut(Schema):
    day: date
    vedas: list[str]
    met: int
    measured: int
    cells: list[CadenceCellOut]
    most_behind: list[CadenceCellOut]


def _cell(c: cadence.CadenceCell) -> dict:
    return {
        "theme": c.theme.pk,
        "theme_name": c.theme.name,
        "channel": c.target.channel,
        "target": c.target.count,
        "period": c.target.period,
        "period_start": c.starts,
        "period_end": c.ends,
        "count": c.count,
        "missing": c.missing,
        "status": c.status,
        "last_post": c.last_post,
    }


def _theme_write(request: HttpRequest, theme: Theme | None, payload: ThemeIn) -> Theme:
    targets = [themes.Target(t.channel, t.count, t.period) for t in payload.targets]
    fields = payload.dict(exclude={"targets"})
    saved = themes.theme_write(theme=theme, fields=fields, targets=targets, user=request.auth)
    return Theme.objects.prefetch_related("targets").get(pk=saved.pk)


@router.get("/themes", response=list[ThemeOut], summary="Temas permanentes y su cadencia")
@paginate(Page)
def list_themes(request: HttpRequest):
    access.check(request.auth, "publishing.view_theme")
    return Theme.objects.prefetch_related("targets")


@router.get(
    "/themes/board",
    response=CadenceBoardOut,
    summary="Tablero de cadencia: por tema y red, publicadas frente a la meta",
)
def theme_board(request: HttpRequest, as_of: Day | None = None):
    access.check(request.auth, "publishing.view_theme")
    board = cadence.board(as_of)
    return {
        "day": board.day,
        "vedas": board.vedas,
        "met": board.met(),
        "measured": len(board.measured()),
        "cells": [_cell(c) for c in board.cells()],
        "most_behind": [_cell(c) for c in board.most_behind()],
    }


@router.post("/themes", response={201: ThemeOut}, summary="Crear un tema con sus metas")
def create_theme(request: HttpRequest, payload: ThemeIn):
    access.check(request.auth, "publishing.add_theme")
    return Status(201, _theme_write(request, None, payload))


@router.get("/themes/{pk}", response=ThemeOut)
def get_theme(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.view_theme")
    return get_object_or_404(Theme.objects.prefetch_related("targets"), pk=pk)


@router.put("/themes/{pk}", response=ThemeOut, summary="Reemplazar un tema y sus metas")
def update_theme(request: HttpRequest, pk: Id, payload: ThemeIn):
    access.check(request.auth, "publishing.change_theme")
    return _theme_write(request, get_object_or_404(Theme, pk=pk), payload)


@router.delete("/themes/{pk}", response={204: None})
def delete_theme(request: HttpRequest, pk: Id):
    access.check(request.auth, "publishing.delete_theme")
    themes.theme_delete(theme=get_object_or_404(Theme, pk=pk), user=request.auth)
    return Status(204, None)
