import base64
import binascii
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda import chips, forms, ics, selectors, services
from pregon.agenda.models import (
    Activity,
    ActivityStatus,
    Campaign,
    CoverageAssignment,
    PriorityRuleSet,
)
from pregon.agenda.selectors import coverage_label
from pregon.agenda.toolbar import toolbar
from pregon.core import redirects
from pregon.core.api_types import parse_id
from pregon.core.page_cache import staff_page
from pregon.core.public_cache import public_page


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(selectors.visible_activities(request.user), pk=pk)


def _filters(request: HttpRequest) -> dict:
    found = {key: request.GET.get(key, "") for key in selectors.FILTERS}
    return {**found, "presidenta": request.GET.get("presidenta", "")}


@access.require("agenda.view_activity")
@staff_page
def calendar(request: HttpRequest, view: str = "semana") -> HttpResponse:
    period = selectors.period_for(view, selectors.parse_day(request.GET.get("fecha")))
    qs = selectors.apply_filters(selectors.visible_activities(request.user), request.GET)
    params = request.GET.copy()
    params.pop("fecha", None)
    query = params.urlencode()
    areas = forms.areas_for(request.user)
    filters, today = _filters(request), timezone.localdate()
    context = {
        "period": period,
        "filters": filters,
        "query": query,
        "toolbar": toolbar(period, today, query, filters, areas),
        "today": today,
        "quick_form": forms.QuickActivityForm(
            user=request.user, areas=areas, initial=forms.default_quick_initial(period.anchor)
        ),
        "can_add": access.can(request.user, "agenda.add_activity"),
    }
    if period.view in chips.CHIP_VIEWS:
        days = chips.by_day(chips.rows(qs, period), period)
        if period.view == "mes":
            context["grid"] = chips.month_grid(days, period, query, context["can_add"])
        else:
            context["days"] = chips.week_days(days)
    else:
        context["activities"] = list(qs.between(*period.bounds))
    return render(request, f"agenda/calendar_{period.view}.html", context)


@access.require("agenda.add_activity")
def quick_create(request: HttpRequest) -> HttpResponse:
    """GET (htmx, from a day of the month view): the form prefilled with that day."""
    if request.method == "GET":
        day = selectors.parse_day(request.GET.get("fecha"))
        form = forms.QuickActivityForm(user=request.user, initial=forms.default_quick_initial(day))
        form.fields["title"].widget.attrs["autofocus"] = True  # htmx focuses it on swap
        return render(request, "agenda/_quick_form.html", {"quick_form": form, "focus": True})
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
        "assign": assign_form_for(request, activity=activity),
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
    text = ", ".join(c.get_kind_display() for c in created) or "ya estaba completa"
    if request.headers.get("HX-Request"):
        html = '<p class="msg msg-success" role="status">Cobertura creada: {}.</p>'
        return HttpResponse(format_html(html, text))
    messages.success(request, f"Cobertura solicitada: {len(created)} tarea(s).")
    return redirect("agenda:detail", pk=pk)


@require_POST
@access.require("agenda.change_coverageassignment")
def coverage_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity page's form: same flow as everywhere else, activity fixed."""
    _activity(request, pk)
    return _assign(request, default_next=reverse("agenda:detail", args=[pk]))


def _assignable(request: HttpRequest):
    return selectors.visible_activities(request.user).active()


def _assign_context(request: HttpRequest, form, form_id: str, **extra) -> dict:
    return {
        "form": form,
        "form_id": form_id,
        "next": request.POST.get("next") or request.GET.get("next") or request.path,
        **extra,
    }


def assign_form_for(request: HttpRequest, *, activity=None, person=None, activities=None):
    """An unbound assignment form with the page's fixed activity or person."""
    initial = {"activity": activity, "assignee": person}
    if activity is not None:
        suggested = services.default_kinds(activity)
        initial["kind"] = suggested[0] if suggested else None
    form_id = f"assign-a{activity.pk}" if activity else f"assign-p{person.pk if person else 0}"
    form = forms.AssignmentForm(
        initial=initial,
        activities=activities if activities is not None else _assignable(request),
        auto_id=f"{form_id}-%s",
    )
    if activity is not None:
        form.fix("activity")
    if person is not None:
        form.fix("assignee")
    return _assign_context(request, form, form_id, next=request.get_full_path())


@require_POST
@access.require("agenda.change_coverageassignment")
def assign(request: HttpRequest) -> HttpResponse:
    return _assign(request, default_next=reverse("agenda:person_week"))


def _assign(request: HttpRequest, default_next: str) -> HttpResponse:
    """Check for overlaps before saving; with overlaps, save only once confirmed."""
    form_id = re.sub(r"[^\w-]", "", request.POST.get("form_id", "")) or "assign"
    form = forms.AssignmentForm(
        request.POST, activities=_assignable(request), auto_id=f"{form_id}-%s"
    )
    for name in ("activity", "assignee"):
        if request.POST.get(f"fixed_{name}"):
            form.fix(name)
    context = _assign_context(request, form, form_id)
    if not request.POST.get("next"):
        context["next"] = default_next
    if not form.is_valid():
        return _assign_response(request, context, status=422)
    data = form.cleaned_data
    conflicts = services.conflicts_for(data["assignee"], data["activity"])
    if conflicts and not data["confirm"]:
        form.data = form.data.copy()
        form.data["confirm"] = "1"
        context.update(conflicts=conflicts, needs_confirm=True)
        return _assign_response(request, context)
    assignment, kept = services.coverage_assign(
        activity=data["activity"],
        kind=data["kind"],
        assignee=data["assignee"],
        notes=data["notes"],
        user=request.user,
    )
    who = assignment.assignee.get_full_name() or assignment.assignee.username
    messages.success(
        request,
        f"{who} asignado a «{assignment.activity.title}» ({assignment.get_kind_display()}).",
    )
    for other in kept:
        messages.warning(request, _conflict_text(other))
    target = context["next"] if redirects.is_safe(request, context["next"]) else default_next
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


def _assign_response(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = (
        "agenda/_assign_form.html"
        if request.headers.get("HX-Request")
        else "agenda/assign_page.html"
    )
    return render(request, template, context, status=status)


@access.require("agenda.change_coverageassignment")
def assign_check(request: HttpRequest) -> HttpResponse:
    """Live overlap check while choosing (htmx): warns before anything is saved."""
    activity = _assignable(request).filter(pk=request.GET.get("activity") or 0).first()
    person = forms.coverage_people().filter(pk=request.GET.get("assignee") or 0).first()
    conflicts = services.conflicts_for(person, activity) if activity and person else []
    return render(request, "agenda/_overlap_warning.html", {"conflicts": conflicts, "live": True})


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
        person = get_object_or_404(User, pk=parse_id(request.GET["persona"]))
    period = selectors.period_for("semana", day)
    items = list(selectors.person_assignments(person, period.first, period.last))
    for item in items:
        item.conflicts = services.conflicts_for(person, item.activity, exclude_pk=item.pk)
        # Another area's activity shows as busy time only: no title, no link.
        for assignment in (item, *item.conflicts):
            assignment.seen = access.can_act_for_area(request.user, assignment.activity.area_id)
    days = {
        d: [i for i in items if timezone.localtime(i.activity.starts_at).date() == d]
        for d in period.days
    }
    context = {"person": person, "people": people, "period": period, "days": days, "first": first}
    if access.can(request.user, "agenda.change_coverageassignment"):
        week = _assignable(request).between(*period.bounds).order_by("starts_at")
        context["assign"] = assign_form_for(request, person=person, activities=week)
    return render(request, "agenda/person_week.html", context)


@access.require("agenda.view_priority_queue")
def queue(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.priority_queue(request.user))
    can_assign = access.can(request.user, "agenda.change_coverageassignment")
    can_request = access.can(request.user, "agenda.request_coverage")
    for row in rows:
        row.coverage_text = coverage_label(row)
        row.suggested = services.default_kinds(row)
        row.can_request = can_request and access.can_act_for_area(request.user, row.area_id)
        if can_assign:
            row.assign = assign_form_for(request, activity=row)
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
        upload = form.cleaned_data.get("file")
        result = ics.import_ics(
            data,
            area,
            request.user,
            dry_run=not confirm,
            public_default=form.cleaned_data["public"],
            source=request.POST.get("source") or (upload.name if upload else ""),
        )
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
    upload = form.cleaned_data.get("file")
    context.update(
        result=result,
        area=area,
        content=base64.b64encode(data).decode(),
        public=form.cleaned_data["public"],
        source=upload.name if upload else request.POST.get("source", ""),
    )
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


@public_page()
def public_feed(request: HttpRequest) -> HttpResponse:
    """Stable public URL; only public, non-cancelled activities, upcoming or of the last
    six months (selectors.PUBLIC_FEED_PAST); no login. Calendar apps poll it all day:
    it is served from the public page cache, with 304s."""
    name = "Agenda pública del H. Ayuntamiento de Chapultepec"
    activities = selectors.public_feed_activities()
    body = ics.export_ics(activities, name, stamp_with_revision=True)
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
