"""Daily token health: every connected account is asked whether its credentials still
work (Meta `debug_token` for expiry and permissions, then each connector's own
connection test: X `GET /2/users/me` with its refresh under the account lock,
WordPress `GET /wp/v2/users/me`). A revoked token marks the account for
reconnection, which holds its deliveries (they are not failed) until someone presses
«Reconectar»; Coordinación is told by e-mail and on the home page, also days before a
token expires."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings
from django.utils import timezone

from pregon.core.audit import log_action
from pregon.publishing import connect, connectors, notify
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.models import ChannelAccount, ChannelState


@dataclass
class Health:
    ok: bool
    message: str
    expires_at: datetime | None = None
    missing: list[str] = field(default_factory=list)
    revoked: bool = False


def _meta_debug(account: ChannelAccount) -> Health | None:
    """Expiry and permissions of a Page token, as Meta reports them (needs the app)."""
    if not (settings.PREGON_META_APP_ID and settings.PREGON_META_APP_SECRET):
        return None
    app_token = f"{settings.PREGON_META_APP_ID}|{settings.PREGON_META_APP_SECRET}"
    token = json.loads(account.credentials or "{}").get("access_token", "")
    try:
        data = httpx.get(
            f"{settings.PREGON_GRAPH_API_URL}/debug_token",
            timeout=connect.TIMEOUT,
            params={"input_token": token, "access_token": app_token},
        ).json()["data"]
    except (httpx.HTTPError, ValueError, KeyError):
        return None  # Meta did not answer: the connection test below still runs
    if not data.get("is_valid"):
        return Health(
            False, "Meta dice que el permiso ya no es válido (revocado o vencido).", revoked=True
        )
    expires = data.get("expires_at") or 0
    when = datetime.fromtimestamp(expires, tz=UTC) if expires else None
    needed = account.network.meta_permissions if account.network else ()
    missing = [p for p in needed if p not in data.get("scopes", [])]
    return Health(True, "", when, missing)


def check(account: ChannelAccount) -> Health:
    uses_meta = bool(account.network and account.network.meta_permissions)
    meta = _meta_debug(account) if uses_meta else None
    if meta is not None and meta.revoked:
        return meta
    try:
        # Wired like a delivery: a token X refreshes (and rotates) is stored at once,
        # under the account's lock.
        channel, _ = connectors.connect(account)
        message = channel.test_connection()
    except ChannelError as exc:
        return Health(False, exc.message, revoked=exc.reconnect)
    if meta is not None:
        return Health(True, message, meta.expires_at, meta.missing)
    return Health(True, message)


def record(account: ChannelAccount, health: Health) -> None:
    ChannelAccount.objects.filter(pk=account.pk).update(
        checked_at=timezone.now(),
        check_ok=health.ok,
        check_message=health.message[:500],
        token_expires_at=health.expires_at,
        missing_permissions=health.missing,
    )
    if health.revoked:
        marked = ChannelAccount.objects.filter(pk=account.pk, state=ChannelState.ACTIVE).update(
            state=ChannelState.RECONNECT
        )
        if marked:
            log_action(
                account,
                "publishing.account_needs_reconnection",
                data={"error": health.message, "source": "token_health"},
            )
            notify.account_needs_reconnection(account, health.message)


def expiring_soon(now: datetime | None = None) -> list[ChannelAccount]:
    now = now or timezone.now()
    limit = now + timedelta(days=settings.PREGON_TOKEN_WARN_DAYS)
    return list(
        ChannelAccount.objects.exclude(state=ChannelState.DISABLED).filter(
            token_expires_at__isnull=False, token_expires_at__lte=limit
        )
    )


def needing_people() -> list[ChannelAccount]:
    """Accounts to reconnect now, or whose permission ends soon or lacks something."""
    broken = ChannelAccount.objects.filter(state=ChannelState.RECONNECT)
    lacking = ChannelAccount.objects.filter(state=ChannelState.ACTIVE).exclude(
        missing_permissions=[]
    )
    found = {a.pk: a for a in [*broken, *lacking, *expiring_soon()]}
    return sorted(found.values(), key=lambda a: a.name)


def check_all() -> dict:
    counts = {"revisadas": 0, "con_problema": 0, "por_vencer": 0}
    for account in ChannelAccount.objects.filter(state=ChannelState.ACTIVE).exclude(
        kind__in=registry.kinds(needs_person=True)
    ):
        health = check(account)
        record(account, health)
        counts["revisadas"] += 1
        counts["con_problema"] += not health.ok or bool(health.missing)
    soon = expiring_soon()
    counts["por_vencer"] = len(soon)
    notify.accounts_expiring(soon)
    return counts
