"""Channel accounts: saving one, and what its reconnection releases (split from
services.py)."""

import json

from django.core.exceptions import ValidationError

from pregon.accounts.models import User
from pregon.core.audit import log_action
from pregon.publishing.models import ChannelAccount, ChannelState, Delivery, DeliveryStatus


def account_save(
    *, account: ChannelAccount, user: User, credentials: str | None = None
) -> ChannelAccount:
    """Save an account; `credentials` (JSON text) replaces the stored ones only when
    given, so an empty field in the form keeps them."""
    if credentials:
        try:
            parsed = json.loads(credentials)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Las credenciales deben ser JSON válido (línea {exc.lineno}, columna {exc.colno})."
            ) from exc
        if not isinstance(parsed, dict):
            raise ValidationError("Las credenciales deben ser un objeto JSON ({…}).")
        account.credentials = json.dumps(parsed)
    previous = _stored_state(account)
    if credentials and previous == ChannelState.RECONNECT and account.state == previous:
        account.state = ChannelState.ACTIVE  # new credentials are the reconnection
    account.full_clean()
    account.save()
    log_action(
        account,
        "publishing.account_saved",
        user=user,
        data={"credentials_changed": bool(credentials)},
    )
    if previous == ChannelState.RECONNECT and account.state == ChannelState.ACTIVE:
        _reconnected(account, user)
    return account


# What a delivery says while its account waits for new credentials (engine writes it,
# reconnecting clears it).
WAITS_FOR_RECONNECTION = "Espera a que se vuelva a conectar la cuenta: "


def _stored_state(account: ChannelAccount) -> str | None:
    if not account.pk:
        return None
    return ChannelAccount.objects.filter(pk=account.pk).values_list("state", flat=True).first()


def _reconnected(account: ChannelAccount, user: User) -> None:
    """The deliveries that waited for the account are pending and due again: the next
    worker round sends each one once (the claim guarantees it)."""
    waiting = Delivery.objects.filter(account=account, status=DeliveryStatus.PENDIENTE)
    released = waiting.filter(last_error__startswith=WAITS_FOR_RECONNECTION).update(last_error="")
    log_action(account, "publishing.account_reconnected", user=user, data={"released": released})
