"""The contract every channel connector follows.

A channel knows its network's API, not our workflow: it gets what to send and returns
the remote id and URL, or raises `ChannelError` saying whether the failure is
permanent, transient or rate-limited, and whether the outcome is unknown.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pregon.publishing.channels.live import Broadcast, LiveRequest, Recording


class ChannelError(Exception):
    """One error type for every network.

    - permanent: retrying will not help (bad request, content refused).
    - reconnect: the credentials are invalid or expired; the account needs a person.
    - rate_limited: try again after `retry_after` seconds.
    - uncertain: the request may have reached the network (timeout after sending):
      never retry blindly; check with `find_existing` or ask a person.
    Anything else is transient and retried on the schedule.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        reconnect: bool = False,
        rate_limited: bool = False,
        retry_after: float | None = None,
        uncertain: bool = False,
        status: int | None = None,
        response_text: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent or reconnect
        self.reconnect = reconnect
        self.rate_limited = rate_limited
        self.retry_after = retry_after
        self.uncertain = uncertain
        self.status = status
        self.response_text = response_text[:2000]


# Reconciliation reads the account's posts page by page back to the moment the
# attempt started. A busy account may need many pages; past this many, the window was
# not read whole and the answer is «cannot tell», never «not there».
MAX_PAGES = 40
PAGE_SIZE = 100


def window_not_read(network: str) -> "ChannelError":
    return ChannelError(
        f"{network}: no se pudieron leer todas las publicaciones desde el intento "
        f"(más de {MAX_PAGES * PAGE_SIZE}); revise la cuenta y decida.",
        uncertain=True,
    )


class NotReady(Exception):
    """The network is still processing what we sent (an Instagram container, a
    video): nothing is public yet. Call `Channel.resume(post, token)` after
    `retry_after` seconds instead of keeping a thread asleep. `message`, if any, is
    what people read meanwhile (a TikTok draft waiting for someone to publish it)."""

    def __init__(self, token: str, retry_after: float, message: str = "") -> None:
        super().__init__(token)
        self.token = token
        self.retry_after = retry_after
        self.message = message


@dataclass
class OutgoingMedia:
    path: Path  # a local file with the bytes to upload (a derivative, never the original)
    mime_type: str
    alt_text: str = ""
    public_url: str = ""  # for networks that fetch the media themselves (Instagram)
    # Spanish subtitles of a video, in both formats networks take (or None).
    captions_vtt: Path | None = None
    captions_srt: Path | None = None

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


@dataclass
class OutgoingPost:
    text: str
    link: str = ""
    title: str = ""  # the portal's post title
    media: list[OutgoingMedia] = field(default_factory=list)
    reference: str = ""  # our delivery id, to recognise our own post when settling


@dataclass
class PostResult:
    remote_id: str
    remote_url: str = ""


@dataclass
class AccountConfig:
    """Plain values from a ChannelAccount, so connectors import no models."""

    kind: str
    external_id: str = ""
    base_url: str = ""
    credentials: dict = field(default_factory=dict)


@dataclass
class DailyFigures:
    """One account's day as the network's own statistics API tells it (networks whose
    insights are not Meta's Graph insights: `Network.figures`). Keys are the field
    names of analytics' AccountMetric (followers, follows_gained, follows_lost, reach,
    views, engagements) and PostMetric (views, reach, reactions, comments, shares,
    saves, clicks); a figure the network does not give is simply absent."""

    account: dict[str, int] = field(default_factory=dict)
    posts: dict[str, dict[str, int]] = field(default_factory=dict)  # remote id -> figures
    errors: dict[str, str] = field(default_factory=dict)  # figure -> why it is missing


@dataclass
class HttpAttempt:
    """One HTTP call to a network, for the delivery's attempt log (no secrets inside)."""

    started_at: datetime
    method: str
    url: str  # without the query string: tokens travel there
    status: int | None  # None when no answer came back
    duration_ms: int
    response_text: str = ""  # trimmed to 2000 characters; masked for token endpoints
    error: str = ""


class Channel:
    kind = ""
    # True for channels a person publishes by hand: the engine never calls publish().
    needs_person = False

    def __init__(self, account: AccountConfig) -> None:
        self.account = account
        # Optional hooks the engine may set after construction:
        # on_attempt(HttpAttempt) is called after every HTTP call, successful or not;
        # on_credentials_changed(dict) is called with the full new credentials when a
        # connector refreshed its tokens (X), so they can be stored encrypted at once.
        self.on_attempt: Callable[[HttpAttempt], None] | None = None
        self.on_credentials_changed: Callable[[dict], None] | None = None
        # credentials_guard() is a context manager that holds the account's lock (one
        # refresh at a time, across threads and processes) and yields the credentials
        # stored right now; on_credentials_changed inside it stores before release.
        self.credentials_guard: Callable[[], AbstractContextManager[dict]] | None = None

    # False for networks whose API cannot list what was posted (a Telegram bot cannot
    # read its channel): an uncertain send goes to a person at once, without the
    # automatic re-checks that could never answer.
    can_find_existing = True

    # True when the caller (the engine) prefers NotReady to a thread sleeping in a
    # status poll; connectors that never wait ignore it.
    defer_waits = False

    def publish(self, post: OutgoingPost) -> PostResult:
        raise NotImplementedError

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        """Continue a publish() that raised NotReady(token)."""
        raise ChannelError("Este canal no deja envíos en proceso.", permanent=True)

    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """After an uncertain outcome: the post if it exists on the network, None only
        if it certainly does not (every post since `since` was read, or an exact key
        Pregón put on the post is absent). Raise ChannelError(uncertain=True) if it
        cannot tell: a page that failed, or more pages than MAX_PAGES."""
        raise ChannelError("Este canal no permite comprobar publicaciones.", uncertain=True)

    def daily_figures(self, day: date, remote_ids: list[str]) -> DailyFigures:
        """The account's figures for `day` and those of its posts in `remote_ids`
        (the last four weeks' deliveries), for networks with `Network.figures`."""
        raise ChannelError("Esta red no ofrece estadísticas por API.", permanent=True)

    # Live broadcasts (networks with `Network.live`; the values are in live.py).
    def live_schedule(self, request: "LiveRequest") -> "Broadcast":
        """Create a scheduled broadcast; the answer carries the ingest URL and key."""
        raise ChannelError("Esta red no programa transmisiones.", permanent=True)

    def live_update(self, broadcast: "Broadcast", request: "LiveRequest") -> "Broadcast":
        """Move or retitle a scheduled broadcast (the activity changed)."""
        raise ChannelError("Esta red no programa transmisiones.", permanent=True)

    def live_cancel(self, broadcast: "Broadcast") -> None:
        """Delete a broadcast that has not started (the activity was cancelled)."""
        raise ChannelError("Esta red no programa transmisiones.", permanent=True)

    def live_status(self, broadcast: "Broadcast") -> "Broadcast":
        """The broadcast as the network has it now (state read back)."""
        raise ChannelError("Esta red no programa transmisiones.", permanent=True)

    def live_recording(self, broadcast: "Broadcast") -> "Recording | None":
        """What the network kept once the broadcast ended; None while not ready."""
        raise ChannelError("Esta red no programa transmisiones.", permanent=True)

    def test_connection(self) -> str:
        """A human description of the connected account, or ChannelError."""
        raise NotImplementedError
