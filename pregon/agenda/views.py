import base64
import binascii

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda import forms, ics, selectors, services
from pregon.agenda.models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Campaign,
    CoverageAssignment,
    PriorityRuleSet,
)
from pregon.agenda.selectors import coverage_label


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(selectors.visible_activities(request.user), pk=pk)


def _filters(request: HttpRequest) -> dict:
    found = {key: request.GET.get(key, "") for key in selectors.FILTERS}
    return {**found, "presidenta": request.GET.get("presidenta", "")}


@access.require("agenda.view_activity")
def calendar(request: HttpRequest, view: str = "semana") -> HttpResponse:
    period = selectors.period_for(view, selectors.parse_day(request.GET.get("fecha")))
    qs = selectors.apply_filters(selectors.visible_activities(request.user), request.GET)
    activities = list(qs.between(*period.bounds))
    query = request.GET.copy()
    query.pop("fecha", None)
    context = {
        "period": period,
        "activities": activities,
        "days": selectors.by_day(activities, period),
        "filters": _filters(request),
        "query": query.urlencode(),
        "areas": forms.areas_for(request.user),
        "types": ActivityType.choices,
        "statuses": ActivityStatus.choices,
        "today": timezone.localdate(),
        "quick_form": forms.QuickActivityForm(
            user=request.user, initial=forms.default_quick_initial(period.anchor)
        ),
        "can_add": access.can(request.user, "agenda.add_activity"),
    }
    return render(request, f"agenda/calendar_{period.view}.html", context)


@require_POST
@access.require("agenda.add_activity")
def quick_create(request: HttpRequest) -> HttpResponse:
    form = forms.QuickActivityForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "agenda/_quick_form.html", {"quick_form": form}, status=200)
    activity = services.activity_create(user=request.user, **form.activity_fields())
    day = timezone.localtime(activity.starts_at).date().isoformat()
    url = f"{reverse('agenda:calendar_view', args=['semana'])}?fecha={day}"
    messages.success(request, f"Actividad registrada: {activity.title}.")
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@access.require("agenda.add_activity")
def activity_new(request: HttpRequest) -> HttpResponse:
    form = forms.ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        activity = services.activity_create(user=request.user, **fields)
        messages.success(request, "Actividad registrada.")
        return redirect("agenda:detail", pk=activity.pk)
    return render(request, "agenda/activity_form.html", {"form": form, "activity": None})


@access.require("agenda.change_activity")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = forms.ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        activity = Activity.objects.get(pk=pk)  # the form mutated its instance
        services.activity_update(
            activity=activity, user=request.user, reason=form.cleaned_data["reason"], **fields
        )
        messages.success(request, "Actividad actualizada.")
        return redirect("agenda:detail", pk=pk)
    return render(request, "agenda/activity_form.html", {"form": form, "activity": activity})


@access.require("agenda.view_activity")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    coverage = list(activity.coverage.select_related("assignee"))
    for item in coverage:
        item.conflicts = services.conflicts_for(item.assignee, activity, exclude_pk=item.pk)
    context = {
        "activity": activity,
        "changes": activity.changes.select_related("changed_by"),
        "coverage": coverage,
        "suggested": services.default_kinds(activity),
        "override_form": forms.OverrideForm(
            initial={
                "tier": activity.priority_override,
                "reason": activity.priority_override_reason,
            }
        ),
        "assign_form": forms.AssignForm(),
        "statuses": ActivityStatus.choices,
        "can_edit": access.can(request.user, "agenda.change_activity")
        and access.can_act_for_area(request.user, activity.area_id),
        "can_override": access.can(request.user, "agenda.override_priority"),
        "can_assign": access.can(request.user, "agenda.change_coverageassignment"),
        "can_request": access.can(request.user, "agenda.request_coverage"),
        "can_cover": access.can(request.user, "agenda.mark_covered"),
    }
    return render(request, "agenda/activity_detail.html", context)


@require_POST
@access.require("agenda.change_activity")
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not access.can_act_for_area(request.user, activity.area_id):
        raise PermissionDenied(services.AREA_DENIED)
    try:
        services.change_status(
            activity, request.POST.get("status", ""), request.user, request.POST.get("reason", "")
        )
        messages.success(request, f"Estado: {activity.get_status_display()}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("agenda:detail", pk=pk)


@require_POST
@access.require("agenda.override_priority")
def activity_override(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = forms.OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indique el motivo del ajuste de prioridad.")
        return redirect("agenda:detail", pk=pk)
    services.override_priority(activity=activity, user=request.user, **form.cleaned_data)
    messages.success(request, f"Nivel ajustado a {activity.tier}.")
    return redirect("agenda:detail", pk=pk)


@require_POST
@access.require("agenda.request_coverage")
def coverage_request(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    created = services.coverage_request(activity=activity, user=request.user)
    messages.success(request, f"Cobertura solicitada: {len(created)} tarea(s).")
    return redirect("agenda:detail", pk=pk)


@require_POST
@access.require("agenda.change_coverageassignment")
def coverage_assign(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Revise el tipo de cobertura y la persona.")
        return redirect("agenda:detail", pk=pk)
    existing = None
    if request.POST.get("assignment"):
        existing = get_object_or_404(activity.coverage, pk=request.POST["assignment"])
    _, conflicts = services.coverage_assign(
        activity=activity, user=request.user, assignment=existing, **form.cleaned_data
    )
    for other in conflicts:
        messages.warning(request, _conflict_text(other))
    messages.success(request, "Cobertura asignada.")
    return redirect("agenda:detail", pk=pk)


def _conflict_text(other: CoverageAssignment) -> str:
    start = timezone.localtime(other.activity.starts_at).strftime("%d/%m/%Y %H:%M")
    who = other.assignee.get_full_name() or other.assignee.username
    return (
        f"Atención: {who} ya cubre «{other.activity.title}» ({start}); "
        f"se traslapa considerando el margen de traslado."
    )


@access.require("agenda.mark_covered")
def coverage_covered(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        CoverageAssignment.objects.select_related("activity", "assignee"), pk=pk
    )
    form = forms.CoveredForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.coverage_mark_covered(
            assignment=assignment, user=request.user, **form.cleaned_data
        )
        messages.success(request, "Cobertura marcada como cubierta. Suba el material al archivo.")
        return redirect("agenda:detail", pk=assignment.activity_id)
    archive_url = f"/archivo/?activity={assignment.activity_id}"
    return render(
        request,
        "agenda/coverage_covered.html",
        {"assignment": assignment, "form": form, "archive_url": archive_url},
    )


@access.require("agenda.view_coverageassignment")
def person_week(request: HttpRequest) -> HttpResponse:
    day = selectors.parse_day(request.GET.get("fecha"))
    first = forms.week_start(day)
    people = forms.coverage_people()
    person = request.user
    if request.GET.get("persona"):
        person = get_object_or_404(User, pk=request.GET["persona"])
    period = selectors.period_for("semana", day)
    items = list(selectors.person_assignments(person, period.first, period.last))
    for item in items:
        item.conflicts = services.conflicts_for(person, item.activity, exclude_pk=item.pk)
    days = {
        d: [i for i in items if timezone.localtime(i.activity.starts_at).date() == d]
        for d in period.days
    }
    context = {"person": person, "people": people, "period": period, "days": days, "first": first}
    return render(request, "agenda/person_week.html", context)


@access.require("agenda.view_priority_queue")
def queue(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.priority_queue(request.user))
    for row in rows:
        row.coverage_text = coverage_label(row)
    context = {"rows": rows, "publishing_ready": hasattr(Activity, "publications")}
    return render(request, "agenda/queue.html", context)


@access.require("agenda.view_priorityruleset")
def rules(request: HttpRequest) -> HttpResponse:
    rule_set = services.active_rule_set() or PriorityRuleSet.objects.create(name="Criterios")
    editable = access.can(request.user, "agenda.change_priorityruleset")
    data = request.POST if request.method == "POST" and editable else None
    form = forms.RuleSetForm(data, instance=rule_set)
    formset = forms.RuleFormSet(data, instance=rule_set)
    if data is not None and form.is_valid() and formset.is_valid():
        form.save()
        formset.save()
        count = services.rules_saved(rule_set, request.user)
        messages.success(request, f"Reglas guardadas; se recalcularon {count} actividades.")
        return redirect("agenda:rules")
    context = {"form": form, "formset": formset, "editable": editable}
    return render(request, "agenda/rules.html", context)


@access.require("agenda.import_ics")
def import_view(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "agenda/import.html", context)
    area = form.cleaned_data["area"]
    confirm = request.POST.get("confirm") == "1"
    try:
        data = _payload(request, form)
        result = ics.import_ics(data, area, request.user, dry_run=not confirm)
    except ics.IcsError as exc:
        context["error"] = str(exc)
        return render(request, "agenda/import.html", context, status=422)
    if confirm:
        summary = result.summary()
        messages.success(
            request,
            f"Importación terminada: {summary['creadas']} nuevas, "
            f"{summary['actualizadas']} actualizadas, {summary['sin_cambios']} sin cambios.",
        )
        return redirect("agenda:calendar_view", view="lista")
    context.update(result=result, area=area, content=base64.b64encode(data).decode())
    return render(request, "agenda/import.html", context)


def _payload(request: HttpRequest, form: forms.ImportForm) -> bytes:
    """The uploaded file, or on confirmation the previewed content sent back."""
    if not request.POST.get("content"):
        return form.cleaned_data["file"].read()
    try:
        return base64.b64decode(request.POST["content"], validate=True)
    except binascii.Error as exc:
        raise ics.IcsError(
            "El contenido de la vista previa está dañado; suba el archivo de nuevo."
        ) from exc


@access.require("agenda.view_activity")
def export_ics(request: HttpRequest) -> HttpResponse:
    qs = selectors.apply_filters(selectors.visible_activities(request.user), request.GET)
    if request.GET.get("desde") or request.GET.get("fecha"):
        view = request.GET.get("vista", "mes")
        period = selectors.period_for(view, selectors.parse_day(request.GET.get("fecha")))
        qs = qs.between(*period.bounds)
    body = ics.export_ics(qs, "Agenda Chapultepec (exportación)")
    return _ics_response(body, "agenda-chapultepec.ics")


def public_feed(request: HttpRequest) -> HttpResponse:
    """Stable public URL; only public, non-cancelled activities; no login."""
    qs = Activity.objects.public().select_related("area")
    body = ics.export_ics(qs, "Agenda pública del H. Ayuntamiento de Chapultepec")
    return _ics_response(body, "agenda-publica-chapultepec.ics", inline=True)


def _ics_response(body: bytes, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- campaigns -----------------------------------------------------------------------


@access.require("agenda.view_campaign")
def campaign_list(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": selectors.campaigns_with_counts(request.user),
        "can_add": access.can(request.user, "agenda.add_campaign"),
    }
    return render(request, "agenda/campaign_list.html", context)


@access.require("agenda.view_campaign")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    activities = selectors.visible_activities(request.user).filter(campaign=campaign)
    context = {
        "campaign": campaign,
        "activities": activities,
        "can_edit": access.can(request.user, "agenda.change_campaign"),
    }
    return render(request, "agenda/campaign_detail.html", context)


@access.require("agenda.add_campaign")
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Campaña registrada: {campaign.name}.")
        return redirect("agenda:campaign", pk=campaign.pk)
    return render(request, "agenda/campaign_form.html", {"form": form, "campaign": None})


@access.require("agenda.change_campaign")
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    form = forms.CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fresh = Campaign.objects.get(pk=pk)  # the form mutated its instance
        services.campaign_update(campaign=fresh, user=request.user, **form.cleaned_data)
        messages.success(request, "Campaña actualizada.")
        return redirect("agenda:campaign", pk=pk)
    return render(request, "agenda/campaign_form.html", {"form": form, "campaign": campaign})
