"""Agenda API: activities, iCalendar import, the priority queue and coverage."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.accounts.models import Area, User
from pregon.agenda import ics, selectors, services
from pregon.agenda.models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Campaign,
    CoverageAssignment,
    CoverageKind,
)
from pregon.core.api_types import Count, Day, Days, Id, Moment, Page

router = Router(tags=["Agenda"])


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    place: str
    area: str
    type: str
    with_mayor: bool
    expected_attendance: int | None
    is_public: bool
    public_interest: bool
    campaign: str | None
    stream_url: str
    status: str
    ical_uid: str
    priority_score: int
    tier: str
    priority_terms: list[dict]
    priority_override_reason: str

    @staticmethod
    def resolve_area(obj: Activity) -> str:
        return obj.area.short_name

    @staticmethod
    def resolve_campaign(obj: Activity) -> str | None:
        return obj.campaign.name if obj.campaign else None


class ActivityIn(Schema):
    title: str
    starts_at: Moment
    ends_at: Moment
    area: str
    description: str = ""
    all_day: bool = False
    place: str = ""
    type: ActivityType = ActivityType.EVENTO_PUBLICO
    with_mayor: bool = False
    expected_attendance: Count | None = None
    is_public: bool = True
    public_interest: bool = False
    campaign: str | None = None
    stream_url: str = ""
    status: ActivityStatus = ActivityStatus.PROPUESTA


class ActivityPatch(Schema):
    """A field left out stays as it is; null is refused except where a value may be
    empty (expected attendance, campaign)."""

    title: str = None
    starts_at: Moment = None
    ends_at: Moment = None
    area: str = None
    description: str = None
    all_day: bool = None
    place: str = None
    type: ActivityType = None
    with_mayor: bool = None
    expected_attendance: Count | None = None
    is_public: bool = None
    public_interest: bool = None
    campaign: str | None = None
    stream_url: str = None
    status: ActivityStatus = None
    reason: str = ""


class QueueOut(ActivityOut):
    coverage_state: str
    published: bool | None


class CoverageOut(Schema):
    id: int
    activity_id: int
    kind: str
    assignee: str | None
    status: str
    notes: str

    @staticmethod
    def resolve_assignee(obj: CoverageAssignment) -> str | None:
        return obj.assignee.username if obj.assignee else None


class CoverageIn(Schema):
    kind: CoverageKind
    assignee: str | None = None
    notes: str = ""
    # The person already covers something at that time (travel margin included):
    # nothing is saved unless the overlap is confirmed, as on the page.
    confirm: bool = False


class CoverageConflict(Schema):
    detail: str
    conflicts: list[CoverageOut]


class CoverageResult(Schema):
    assignment: CoverageOut
    conflicts: list[CoverageOut]


class OverrideIn(Schema):
    tier: str = ""
    reason: str


def _area(short_name: str) -> Area:
    area = Area.objects.filter(short_name=short_name).first()
    if area is None:
        raise ValidationError({"area": f"No existe el área «{short_name}»."})
    return area


def _campaign(name: str | None) -> Campaign | None:
    """Campaigns are created by Coordinación (POST /campaigns), not by naming them here."""
    if not name:
        return None
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None:
        raise ValidationError({"campaign": f"No existe la campaña «{name}»."})
    return campaign


def _visible(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(selectors.visible_activities(request.auth), pk=pk)


@router.get("/activities", response=list[ActivityOut], summary="Actividades")
@paginate(Page)
def list_activities(
    request: HttpRequest,
    start: Moment | None = None,
    end: Moment | None = None,
    area: str = "",
    type: str = "",
    status: str = "",
):
    access.check(request.auth, "agenda.view_activity")
    qs = selectors.apply_filters(
        selectors.visible_activities(request.auth), {"area": area, "tipo": type, "estado": status}
    )
    if start and end:
        qs = qs.between(start, end)
    return qs


@router.post("/activities", response={201: ActivityOut}, summary="Registrar actividad")
def create_activity(request: HttpRequest, payload: ActivityIn):
    access.check(request.auth, "agenda.add_activity")
    data = payload.dict()
    data["area"] = _area(data["area"])
    data["campaign"] = _campaign(data["campaign"])
    return Status(201, services.activity_create(user=request.auth, **data))


@router.get("/activities/{int:activity_id}", response=ActivityOut, summary="Una actividad")
def get_activity(request: HttpRequest, activity_id: Id):
    access.check(request.auth, "agenda.view_activity")
    return _visible(request, activity_id)


@router.patch("/activities/{int:activity_id}", response=ActivityOut, summary="Modificar actividad")
def patch_activity(request: HttpRequest, activity_id: Id, payload: ActivityPatch):
    access.check(request.auth, "agenda.change_activity")
    activity = _visible(request, activity_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    status = data.pop("status", None)
    if "area" in data:
        data["area"] = _area(data["area"])
    if "campaign" in data:
        data["campaign"] = _campaign(data["campaign"])
    if data:
        activity = services.activity_update(
            activity=activity, user=request.auth, reason=reason, **data
        )
    if status and status != activity.status:
        activity = services.change_status(activity, status, request.auth, reason)
    return activity


@router.post(
    "/activities/{int:activity_id}/priority", response=ActivityOut, summary="Ajustar nivel"
)
def override(request: HttpRequest, activity_id: Id, payload: OverrideIn):
    access.check(request.auth, "agenda.override_priority")
    activity = _visible(request, activity_id)
    return services.override_priority(activity=activity, user=request.auth, **payload.dict())


@router.post("/activities/import-ics", summary="Importar un archivo iCalendar")
def import_activities(
    request: HttpRequest,
    file: File[UploadedFile],
    area: Form[str] = "PRES",
    dry_run: Form[bool] = False,
    public: Form[bool] = False,
):
    access.check(request.auth, "agenda.import_ics")
    target = _area(area)
    if not access.can_act_for_area(request.auth, target.pk):
        raise PermissionDenied(services.AREA_DENIED)
    try:
        result = ics.import_ics(
            file.read(),
            target,
            request.auth,
            dry_run=dry_run,
            public_default=public,
            source=file.name or "",
        )
    except ics.IcsError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    return result.as_dict()


@router.get("/priority-queue", response=list[QueueOut], summary="Cola de publicación")
@paginate(Page)
def priority_queue(request: HttpRequest, days_back: Days = 7, days_ahead: Days = 30):
    access.check(request.auth, "agenda.view_priority_queue")
    rows = list(selectors.priority_queue(request.auth, days_back=days_back, days_ahead=days_ahead))
    ready = hasattr(Activity, "publications")
    for row in rows:
        row.coverage_state = selectors.coverage_label(row)
        row.published = bool(row.published_count) if ready else None
    return rows


@router.get(
    "/activities/{int:activity_id}/coverage", response=list[CoverageOut], summary="Cobertura"
)
@paginate(Page)
def list_coverage(request: HttpRequest, activity_id: Id):
    access.check(request.auth, "agenda.view_coverageassignment")
    return _visible(request, activity_id).coverage.select_related("assignee")


@router.post(
    "/activities/{int:activity_id}/coverage",
    response={201: CoverageResult, 409: CoverageConflict},
    summary="Asignar cobertura (un traslape necesita confirm=true)",
)
def assign_coverage(request: HttpRequest, activity_id: Id, payload: CoverageIn):
    access.check(request.auth, "agenda.change_coverageassignment")
    activity = _visible(request, activity_id)
    assignee = get_object_or_404(User, username=payload.assignee) if payload.assignee else None
    overlapping = services.conflicts_for(assignee, activity)
    if overlapping and not payload.confirm:
        detail = (
            f"{assignee.get_full_name() or assignee.username} ya cubre otra actividad a esa "
            "hora (incluido el margen de traslado). Envíe confirm=true para asignarla de todos "
            "modos."
        )
        return Status(409, {"detail": detail, "conflicts": overlapping})
    assignment, conflicts = services.coverage_assign(
        activity=activity,
        kind=payload.kind,
        assignee=assignee,
        user=request.auth,
        notes=payload.notes,
    )
    return Status(201, {"assignment": assignment, "conflicts": conflicts})


@router.post(
    "/coverage/{int:assignment_id}/covered", response=CoverageOut, summary="Marcar como cubierta"
)
def mark_covered(request: HttpRequest, assignment_id: Id):
    access.check(request.auth, "agenda.mark_covered")
    assignment = get_object_or_404(CoverageAssignment, pk=assignment_id)
    return services.coverage_mark_covered(assignment=assignment, user=request.auth)


# --- campaigns -----------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    description: str
    starts_on: date | None
    ends_on: date | None
    activity_count: int = 0


class CampaignIn(Schema):
    name: str
    description: str = ""
    starts_on: Day | None = None
    ends_on: Day | None = None


class CampaignPatch(Schema):
    """A field left out stays as it is; only the dates may be emptied with null."""

    name: str = None
    description: str = None
    starts_on: Day | None = None
    ends_on: Day | None = None


class CampaignDetail(CampaignOut):
    activities: list[ActivityOut]


@router.get("/campaigns", response=list[CampaignOut], summary="Campañas")
@paginate(Page)
def list_campaigns(request: HttpRequest):
    access.check(request.auth, "agenda.view_campaign")
    return selectors.campaigns_with_counts(request.auth)


@router.post("/campaigns", response={201: CampaignOut}, summary="Registrar campaña")
def create_campaign(request: HttpRequest, payload: CampaignIn):
    access.check(request.auth, "agenda.add_campaign")
    return Status(201, services.campaign_create(user=request.auth, **payload.dict()))


@router.get("/campaigns/{int:campaign_id}", response=CampaignDetail, summary="Una campaña")
def get_campaign(request: HttpRequest, campaign_id: Id):
    access.check(request.auth, "agenda.view_campaign")
    campaign = get_object_or_404(selectors.campaigns_with_counts(request.auth), pk=campaign_id)
    activities = selectors.visible_activities(request.auth).filter(campaign=campaign)
    return {**CampaignOut.from_orm(campaign).dict(), "activities": list(activities)}


@router.patch("/campaigns/{int:campaign_id}", response=CampaignOut, summary="Modificar campaña")
def patch_campaign(request: HttpRequest, campaign_id: Id, payload: CampaignPatch):
    access.check(request.auth, "agenda.change_campaign")
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    services.campaign_update(
        campaign=campaign, user=request.auth, **payload.dict(exclude_unset=True)
    )
    return selectors.campaigns_with_counts(request.auth).get(pk=campaign_id)
