"""Every try at a network recorded as a DeliveryAttempt: outcome, HTTP status,
duration, trimmed response and each HTTP call (split from engine.py)."""

import time
from dataclasses import dataclass, field
from datetime import datetime

from pregon.publishing.channels.base import ChannelError
from pregon.publishing.models import AttemptOutcome, DeliveryAttempt


@dataclass
class Call:
    started_at: datetime
    t0: float
    calls: list = field(default_factory=list)  # HttpAttempt from the connector


def record(delivery, worker, call: Call, *, exc=None, outcome=None) -> None:
    if outcome is None:
        outcome = AttemptOutcome.OK if exc is None else outcome_of(exc)
    last = call.calls[-1] if call.calls else None
    status = getattr(exc, "status", None) or getattr(last, "status", None)
    text = getattr(exc, "response_text", "") or getattr(last, "response_text", "") or ""
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=call.started_at,
        duration_ms=int((time.monotonic() - call.t0) * 1000),
        http_status=status,
        outcome=outcome,
        response_text=text[:2000],
        error=exc.message if exc else "",
        worker=worker,
        calls=[_call_json(c) for c in call.calls],
    )


def _call_json(attempt) -> dict:
    return {
        "at": attempt.started_at.isoformat(),
        "method": attempt.method,
        "url": attempt.url.split("?", 1)[0],
        "status": attempt.status,
        "ms": attempt.duration_ms,
        "error": attempt.error[:300],
    }


def outcome_of(exc: ChannelError) -> str:
    if exc.uncertain:
        return AttemptOutcome.UNCERTAIN
    if exc.reconnect:
        return AttemptOutcome.RECONNECT
    if exc.permanent:
        return AttemptOutcome.PERMANENT
    if exc.rate_limited:
        return AttemptOutcome.RATE_LIMITED
    return AttemptOutcome.TRANSIENT
