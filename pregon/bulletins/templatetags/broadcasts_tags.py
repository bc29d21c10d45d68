"""`{% broadcasts_panel activity %}`: the live-broadcast section of an activity's page.

The agenda does not import bulletins (the layers in pyproject.toml); its template loads
this tag, which renders nothing for people without access or activities never streamed.
"""

from django import template
from django.utils import timezone

from pregon.accounts import access
from pregon.agenda.models import ActivityStatus
from pregon.bulletins import broadcasts
from pregon.bulletins.forms import BroadcastForm
from pregon.bulletins.live import LIVE_TYPES
from pregon.bulletins.models import ScheduledBroadcast

register = template.Library()


@register.inclusion_tag("bulletins/_broadcasts.html", takes_context=True)
def broadcasts_panel(context: template.Context, activity) -> dict:
    request = context["request"]
    user = request.user
    if activity.type not in LIVE_TYPES or not access.can(user, "bulletins.view_scheduledbroadcast"):
        return {"show": False}
    rows = list(
        ScheduledBroadcast.objects.filter(activity=activity).select_related(
            "account", "recording_asset"
        )
    )
    may_schedule = (
        access.can(user, broadcasts.SCHEDULE)
        and activity.status != ActivityStatus.CANCELADA
        and activity.starts_at > timezone.now()
    )
    accounts = broadcasts.live_accounts() if may_schedule else []
    taken = {row.account_id for row in rows if row.state not in broadcasts.RETRYABLE}
    form = BroadcastForm(
        accounts=[a for a in accounts if a.pk not in taken],
        initial={"session_type": broadcasts.default_session_type(activity)},
        auto_id="bc_%s",
    )
    return {
        "show": True,
        "activity": activity,
        "broadcasts": rows,
        "sees_key": broadcasts.sees_stream_key(user),
        "may_schedule": may_schedule,
        "form": form,
        "free_accounts": form.fields["accounts"].queryset.exists() if may_schedule else False,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
