"""Live broadcasts a network schedules for a session (cabildo, audiencia pública):
created, moved and cancelled through the account's connector (`Channel.live_*`,
publishing/channels/live.py), their state read back, the recording kept.

A person asks («Programar transmisión»); the worker talks to the network (never a web
request nor an open transaction): each row says what is still `pending` there, and
`run_pending` does it once, claimed first, so running it twice is harmless. The stream
key is encrypted at rest (ScheduledBroadcast.stream_key) and never goes into the audit
log, an error text or a log line.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.agenda.models import Activity, ActivityStatus, ActivityType
from pregon.bulletins.live import LIVE_TYPES
from pregon.bulletins.models import (
    BroadcastAction,
    BroadcastState,
    ScheduledBroadcast,
    SessionType,
)
from pregon.core.audit import log_action
from pregon.publishing import connectors
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import Channel, ChannelError
from pregon.publishing.channels.live import Broadcast, LiveRequest, LiveState
from pregon.publishing.models import ChannelAccount, ChannelState

CLAIM_SECONDS = 600  # a worker that died mid-call: another one takes over after this
OPEN_STATES = (BroadcastState.PENDIENTE, BroadcastState.PROGRAMADA, BroadcastState.EN_VIVO)
# A broadcast in these may be asked for again on the same account (a new one replaces it).
RETRYABLE = (BroadcastState.CANCELADA, BroadcastState.FALLIDA)
FROM_NETWORK = {
    LiveState.SCHEDULED: BroadcastState.PROGRAMADA,
    LiveState.LIVE: BroadcastState.EN_VIVO,
    LiveState.ENDED: BroadcastState.TERMINADA,
    LiveState.CANCELLED: BroadcastState.CANCELADA,
}
SESSION_OF_TYPE = {
    ActivityType.CABILDO_ORDINARIA: SessionType.ORDINARIA,
    ActivityType.CABILDO_EXTRAORDINARIA: SessionType.EXTRAORDINARIA,
    ActivityType.CABILDO_SOLEMNE: SessionType.SOLEMNE,
    ActivityType.AUDIENCIA_PUBLICA: SessionType.AUDIENCIA,
}
SCHEDULE = "bulletins.add_scheduledbroadcast"
RUN = "bulletins.run_broadcast"


def live_accounts() -> list[ChannelAccount]:
    """Active accounts whose network schedules live broadcasts (`Network.live`)."""
    kinds = [kind for kind, network in registry.networks().items() if network.live]
    return list(ChannelAccount.objects.filter(state=ChannelState.ACTIVE, kind__in=kinds))


def sees_stream_key(user: User) -> bool:
    """Only who runs the stream (Coordinación, Fotografía y video) sees the key."""
    return access.can(user, RUN)


def default_session_type(activity: Activity) -> str:
    return SESSION_OF_TYPE.get(ActivityType(activity.type), "")


@transaction.atomic
def broadcast_schedule(
    *,
    activity: Activity,
    accounts: list[ChannelAccount],
    user: User,
    session_type: str = "",
    session_number: int | None = None,
) -> list[ScheduledBroadcast]:
    """Ask for a broadcast of `activity` on each account; the worker creates them
    (`run_pending`). An account that already has one (on, or ended) is left as it is."""
    access.check(user, SCHEDULE)
    _check_schedulable(activity, accounts, session_type)
    made = []
    for account in accounts:
        broadcast, created = ScheduledBroadcast.objects.select_for_update().get_or_create(
            activity=activity, account=account, defaults=_fresh(activity, user)
        )
        if not created and broadcast.state not in RETRYABLE:
            continue  # on the network already (or done: its recording stays)
        if not created:  # cancelled or refused before: ask again
            for name, value in _fresh(activity, user).items():
                setattr(broadcast, name, value)
        broadcast.session_type = session_type or default_session_type(activity)
        broadcast.session_number = session_number
        broadcast.title = broadcast_title(activity, broadcast.session_label)
        broadcast.save()
        log_action(
            broadcast,
            "bulletins.broadcast_requested",
            user=user,
            data={"account": account.name, "starts_at": activity.starts_at.isoformat()},
        )
        made.append(broadcast)
    return made


def _check_schedulable(activity: Activity, accounts: list[ChannelAccount], kind: str) -> None:
    if activity.type not in LIVE_TYPES:
        raise ValidationError(
            "Solo se transmiten sesiones de cabildo, audiencias públicas y reuniones de trabajo."
        )
    if activity.status == ActivityStatus.CANCELADA:
        raise ValidationError("La actividad está cancelada: no se programa su transmisión.")
    if activity.starts_at <= timezone.now():
        raise ValidationError(
            "La actividad ya empezó: las redes programan transmisiones solo hacia adelante."
        )
    if not accounts:
        raise ValidationError("Elija al menos una cuenta donde transmitir.")
    live = {a.pk for a in live_accounts()}
    refused = [a.name for a in accounts if a.pk not in live]
    if refused:
        raise ValidationError(
            f"Estas cuentas no pueden transmitir en vivo (o no están activas): "
            f"{', '.join(refused)}. Elija otra en Canales."
        )
    if kind and kind not in SessionType.values:
        raise ValidationError({"session_type": "Elija un tipo de sesión de la lista."})


def _fresh(activity: Activity, user: User) -> dict:
    return {
        "state": BroadcastState.PENDIENTE,
        "pending": BroadcastAction.PROGRAMAR,
        "planned_start": activity.starts_at,
        "remote_id": "",
        "watch_url": "",
        "ingest_url": "",
        "stream_key": "",
        "extra": {},
        "error": "",
        "claimed_at": None,
        "created_by": user,
        "title": activity.title[:254],
    }


def broadcast_title(activity: Activity, session_label: str) -> str:
    title = activity.title
    if session_label.split(" núm.")[0].lower() not in title.lower():
        title = f"{session_label} · {title}"
    return title[:254]


def live_request(broadcast: ScheduledBroadcast) -> LiveRequest:
    activity = broadcast.activity
    when = timezone.localtime(broadcast.planned_start).strftime("%d/%m/%Y %H:%M")
    place = f", {activity.place}" if activity.place else ""
    description = (
        f"{broadcast.session_label}. {activity.area.name}. {when} h{place}. "
        "Transmisión en vivo del H. Ayuntamiento."
    )
    return LiveRequest(
        title=broadcast.title,
        description=description,
        planned_start=broadcast.planned_start,
        reference=str(broadcast.pk),
    )


# Following the activity ------------------------------------------------------------


def follow_activity(activity: Activity) -> list[int]:
    """The activity changed (post_save): a new start moves its broadcasts, a
    cancellation cancels them. Returns the ids the worker must take to the network."""
    due = []
    cancelled = activity.status == ActivityStatus.CANCELADA
    for broadcast in ScheduledBroadcast.objects.filter(
        activity=activity, state__in=(BroadcastState.PENDIENTE, BroadcastState.PROGRAMADA)
    ):
        action = _follow(broadcast, activity, cancelled)
        if action:
            due.append(broadcast.pk)
    return due


def _follow(broadcast: ScheduledBroadcast, activity: Activity, cancelled: bool) -> str:
    if cancelled:
        unsent = not broadcast.remote_id and broadcast.claimed_at is None
        if unsent and broadcast.pending == BroadcastAction.PROGRAMAR:
            broadcast.state, broadcast.pending = BroadcastState.CANCELADA, BroadcastAction.NINGUNA
            broadcast.save(update_fields=["state", "pending"])
            return ""  # never reached the network: nothing to tell it
        broadcast.pending = BroadcastAction.CANCELAR
    elif broadcast.planned_start != activity.starts_at:
        broadcast.planned_start = activity.starts_at
        if broadcast.pending != BroadcastAction.PROGRAMAR:
            broadcast.pending = BroadcastAction.ACTUALIZAR
    else:
        return ""
    broadcast.save(update_fields=["planned_start", "pending"])
    log_action(
        broadcast,
        "bulletins.broadcast_followed_activity",
        data={"pending": broadcast.pending, "starts_at": activity.starts_at.isoformat()},
    )
    return str(broadcast.pending)


# The worker's side -----------------------------------------------------------------


def _claim(broadcast_id: int) -> ScheduledBroadcast | None:
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_SECONDS))
    taken = (
        ScheduledBroadcast.objects.filter(free, pk=broadcast_id)
        .exclude(pending=BroadcastAction.NINGUNA)
        .update(claimed_at=now)
    )
    if not taken:
        return None
    return ScheduledBroadcast.objects.select_related("activity__area", "account").get(
        pk=broadcast_id
    )


def run_pending(broadcast_id: int) -> str:
    """Tell the network what is pending for this broadcast (schedule, move, cancel),
    until nothing is. Returns the state. Safe to run twice, and from several workers."""
    for _ in range(3):  # the activity may move again while we talk to the network
        broadcast = _claim(broadcast_id)
        if broadcast is None or not _carry_out(broadcast):
            break  # nothing pending, another worker has it, or the network failed
    return ScheduledBroadcast.objects.values_list("state", flat=True).get(pk=broadcast_id)


def _carry_out(broadcast: ScheduledBroadcast) -> bool:
    """One action taken to the network; False if it failed (retried later)."""
    action, sent_start = broadcast.pending, broadcast.planned_start
    channel = _channel(broadcast.account)
    try:
        result = _call(channel, broadcast, action)
    except ChannelError as exc:
        _failed(broadcast, action, exc)
        return False
    with transaction.atomic():
        current = ScheduledBroadcast.objects.select_for_update().get(pk=broadcast.pk)
        _take(current, result)
        if action == BroadcastAction.CANCELAR:
            current.state = BroadcastState.CANCELADA
        current.pending = _still_pending(current, action, sent_start)
        current.claimed_at, current.error = None, ""
        current.save()
    log_action(
        current,
        "bulletins.broadcast_sent",
        data={"action": action, "state": current.state, "remote_id": current.remote_id},
    )
    return True


def _call(channel: Channel, broadcast: ScheduledBroadcast, action: str) -> Broadcast | None:
    if action == BroadcastAction.PROGRAMAR:
        return channel.live_schedule(live_request(broadcast))
    if action == BroadcastAction.ACTUALIZAR:
        return channel.live_update(as_broadcast(broadcast), live_request(broadcast))
    if broadcast.remote_id:  # never created there (its creation failed): nothing to delete
        channel.live_cancel(as_broadcast(broadcast))
    return None


def _still_pending(current: ScheduledBroadcast, action: str, sent_start: datetime) -> str:
    """What is left after `action` went out: whatever changed meanwhile."""
    if current.pending == BroadcastAction.CANCELAR and action != BroadcastAction.CANCELAR:
        return BroadcastAction.CANCELAR
    if action != BroadcastAction.CANCELAR and current.planned_start != sent_start:
        return BroadcastAction.ACTUALIZAR
    return BroadcastAction.NINGUNA


def _failed(broadcast: ScheduledBroadcast, action: str, exc: ChannelError) -> None:
    """A refusal ends the attempt (the person sees why); anything else is retried by
    the periodic job. The message is the network's, never the request we sent."""
    fields = {"claimed_at": None, "error": exc.message[:1000]}
    if exc.permanent:
        fields["pending"] = BroadcastAction.NINGUNA
        if action == BroadcastAction.PROGRAMAR:
            fields["state"] = BroadcastState.FALLIDA
    ScheduledBroadcast.objects.filter(pk=broadcast.pk).update(**fields)
    log_action(
        broadcast,
        "bulletins.broadcast_failed",
        data={"action": action, "permanent": exc.permanent, "error": exc.message[:300]},
    )


def _channel(account: ChannelAccount) -> Channel:
    # The attempt log `connect` collects is dropped: a live answer carries the key.
    channel, _ = connectors.connect(account)
    return channel


def as_broadcast(broadcast: ScheduledBroadcast) -> Broadcast:
    state = next((s for s, ours in FROM_NETWORK.items() if ours == broadcast.state), None)
    return Broadcast(
        remote_id=broadcast.remote_id,
        state=state or LiveState.SCHEDULED,
        watch_url=broadcast.watch_url,
        ingest_url=broadcast.ingest_url,
        stream_key=broadcast.stream_key,
        extra=dict(broadcast.extra),
    )


def _take(row: ScheduledBroadcast, result: Broadcast | None) -> None:
    if result is None:
        return
    row.remote_id = result.remote_id or row.remote_id
    row.state = FROM_NETWORK[result.state]
    row.watch_url = result.watch_url[:500] or row.watch_url
    row.ingest_url = result.ingest_url[:500] or row.ingest_url
    row.stream_key = result.stream_key or row.stream_key
    row.extra = result.extra
    row.checked_at = timezone.now()


# Reading the state back --------------------------------------------------------------


def refresh(broadcast_id: int) -> str:
    """Read the broadcast's state from the network (`live_status`); a pending action
    goes first. Returns the state."""
    broadcast = ScheduledBroadcast.objects.select_related("account").get(pk=broadcast_id)
    if broadcast.pending:
        return run_pending(broadcast_id)
    if not broadcast.remote_id or broadcast.state not in (*OPEN_STATES, BroadcastState.TERMINADA):
        return str(broadcast.state)
    try:
        result = _channel(broadcast.account).live_status(as_broadcast(broadcast))
    except ChannelError as exc:
        ScheduledBroadcast.objects.filter(pk=broadcast.pk).update(
            error=exc.message[:1000], checked_at=timezone.now()
        )
        return str(broadcast.state)
    before = broadcast.state
    with transaction.atomic():
        current = ScheduledBroadcast.objects.select_for_update().get(pk=broadcast.pk)
        if current.pending:  # a person moved the session meanwhile: that goes first
            return str(current.state)
        _take(current, result)
        current.error = ""
        current.save()
    if current.state != before:
        log_action(current, "bulletins.broadcast_state", data={"from": before, "to": current.state})
    return str(current.state)


def refresh_request(*, activity: Activity, user: User) -> list[int]:
    """«Actualizar estado»: the broadcasts of `activity` the worker should read back."""
    access.check(user, "bulletins.view_scheduledbroadcast")
    return list(
        ScheduledBroadcast.objects.filter(activity=activity)
        .exclude(state__in=(BroadcastState.CANCELADA, BroadcastState.FALLIDA))
        .values_list("pk", flat=True)
    )


def due_for_refresh(now: datetime | None = None) -> dict[str, list[int]]:
    """The periodic job's work: actions still pending (a network that was down),
    scheduled broadcasts around their session (from an hour before to twelve after)
    and every live one to read back, and ended ones (up to 30 days) still without
    their recording."""
    now = now or timezone.now()
    pending = ScheduledBroadcast.objects.exclude(pending=BroadcastAction.NINGUNA).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_SECONDS))
    )
    near = Q(
        state=BroadcastState.PROGRAMADA,
        activity__starts_at__lte=now + timedelta(hours=1),
        activity__ends_at__gte=now - timedelta(hours=12),
    )
    around = ScheduledBroadcast.objects.filter(
        near | Q(state=BroadcastState.EN_VIVO), pending=BroadcastAction.NINGUNA
    )
    unrecorded = ScheduledBroadcast.objects.filter(
        state=BroadcastState.TERMINADA,
        recorded_at__isnull=True,
        activity__ends_at__gte=now - timedelta(days=30),
    )
    return {
        "pending": list(pending.values_list("pk", flat=True)),
        "refresh": list(around.values_list("pk", flat=True)),
        "record": list(unrecorded.values_list("pk", flat=True)),
    }
