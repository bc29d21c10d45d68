"""The connector for an account, wired to the delivery this thread works on: its
HTTP calls are collected for the attempt log and refreshed tokens are stored at once
(split from engine.py)."""

import contextlib
import functools
import json
import threading
from collections.abc import Iterator

from django.db import transaction

from pregon.core.audit import log_action
from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import AccountConfig, Channel, ChannelError
from pregon.publishing.models import ChannelAccount


def account_config(account: ChannelAccount) -> AccountConfig:
    credentials = json.loads(account.credentials) if account.credentials else {}
    return AccountConfig(
        kind=account.kind,
        external_id=account.external_id,
        base_url=account.base_url,
        credentials=credentials,
    )


def channel_for(account: ChannelAccount) -> Channel:
    """The connector for an account (the registry lives in channels/__init__.py)."""
    return get_channel(account_config(account))


# Connectors are reused across deliveries (and threads) of one process: building an
# HTTP client loads the CA bundle, which costs more than the post itself. A change of
# credentials or address makes a new one.
_channels: dict[tuple, Channel] = {}
_channels_lock = threading.Lock()
_current = threading.local()  # the delivery this thread is working on


def _cached_channel(account: ChannelAccount) -> Channel:
    key = (account.pk, account.kind, account.external_id, account.base_url, account.credentials)
    with _channels_lock:
        if key not in _channels:
            if len(_channels) > 100:
                _channels.clear()
            channel = channel_for(account)
            channel.on_attempt = _on_attempt
            channel.on_credentials_changed = _on_credentials_changed
            channel.credentials_guard = functools.partial(credentials_guard, account.pk)
            channel.defer_waits = True
            # Its HTTP client too, once and now: built lazily, every sender thread
            # arriving at once would build its own (the CA bundle each time).
            with contextlib.suppress(ChannelError):
                getattr(channel, "http", None)
            _channels[key] = channel
        return _channels[key]


def _on_attempt(attempt) -> None:
    calls = getattr(_current, "calls", None)
    if calls is not None:
        calls.append(attempt)


def _on_credentials_changed(credentials: dict) -> None:
    _store_credentials(_current.account_id, credentials)


def connect(account: ChannelAccount) -> tuple[Channel, list]:
    """A connector wired to this thread's delivery: its HTTP calls are collected for
    the attempt log and refreshed tokens are stored (encrypted) at once."""
    channel = _cached_channel(account)
    _current.calls = []
    _current.account_id = account.pk
    return channel, _current.calls


@contextlib.contextmanager
def credentials_guard(account_id: int) -> Iterator[dict]:
    """The account's row, locked until the block ends (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: the IMMEDIATE transaction's write lock), with the credentials
    stored now. Whatever is stored inside commits before anyone else gets in."""
    with transaction.atomic():
        account = ChannelAccount.objects.select_for_update().get(pk=account_id)
        yield json.loads(account.credentials) if account.credentials else {}


def _store_credentials(account_id: int, credentials: dict) -> None:
    account = ChannelAccount.objects.get(pk=account_id)
    account.credentials = json.dumps(credentials)
    account.save(update_fields=["credentials"])
    log_action(account, "publishing.credentials_refreshed", data={"credentials": "renovadas"})
