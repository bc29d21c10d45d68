"""«Programar transmisión» and «Actualizar estado» on an activity's page (the panel
itself is the `broadcasts_panel` tag, templatetags/broadcasts.py). Thin: parse, call
one service, queue the network work, go back to the activity."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.agenda.selectors import visible_activities
from pregon.bulletins import broadcasts, tasks
from pregon.bulletins.forms import BroadcastForm


def _back(activity_pk: int) -> HttpResponse:
    return redirect(reverse("agenda:detail", args=[activity_pk]) + "#transmision")


@require_POST
@access.require(broadcasts.SCHEDULE)
def broadcast_schedule(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_object_or_404(visible_activities(request.user), pk=activity_pk)
    form = BroadcastForm(request.POST, accounts=broadcasts.live_accounts())
    if not form.is_valid():
        problems = [m for errors in form.errors.values() for m in errors]
        messages.error(request, "No se programó la transmisión: " + " ".join(problems))
        return _back(activity.pk)
    try:
        made = broadcasts.broadcast_schedule(
            activity=activity,
            accounts=list(form.cleaned_data["accounts"]),
            user=request.user,
            session_type=form.cleaned_data["session_type"],
            session_number=form.cleaned_data["session_number"],
        )
    except ValidationError as exc:
        messages.error(request, "No se programó la transmisión: " + " ".join(exc.messages))
        return _back(activity.pk)
    tasks.enqueue_broadcasts([b.pk for b in made])
    if made:
        messages.success(
            request,
            f"Transmisión solicitada en {len(made)} {'cuenta' if len(made) == 1 else 'cuentas'}; "
            "la red la crea en segundo "
            "plano. Pulse «Actualizar estado» si aún no aparece la clave.",
        )
    else:
        messages.info(request, "Esas cuentas ya tienen su transmisión programada.")
    return _back(activity.pk)


@require_POST
@access.require("bulletins.view_scheduledbroadcast")
def broadcast_refresh(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_object_or_404(visible_activities(request.user), pk=activity_pk)
    ids = broadcasts.refresh_request(activity=activity, user=request.user)
    tasks.enqueue_broadcasts(ids, refresh=True)
    messages.success(request, "Se pidió a las redes el estado de la transmisión.")
    return _back(activity.pk)
