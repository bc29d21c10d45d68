"""Live broadcasts a network schedules for Pregón (Facebook Pages' live videos,
YouTube's live broadcasts): the values a connector's live_* methods take and return.

A network with `Network.live` implements, on its connector (base.Channel):
`live_schedule(LiveRequest) -> Broadcast`, `live_update(Broadcast, LiveRequest) ->
Broadcast`, `live_cancel(Broadcast)`, `live_status(Broadcast) -> Broadcast` and
`live_recording(Broadcast) -> Recording | None`. Errors are `ChannelError`s, as for
posts. The stream key is a secret: whoever stores a Broadcast stores it encrypted.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class LiveState(StrEnum):
    SCHEDULED = "programada"
    LIVE = "en_vivo"
    ENDED = "terminada"
    CANCELLED = "cancelada"


@dataclass
class LiveRequest:
    title: str
    description: str
    planned_start: datetime  # aware
    privacy: str = "public"  # public | unlisted | private (networks map their own)
    reference: str = ""  # Pregón's id for it, where the network keeps one


@dataclass
class Broadcast:
    remote_id: str
    state: LiveState = LiveState.SCHEDULED
    watch_url: str = ""  # the public page people watch
    ingest_url: str = ""  # rtmps://… for OBS
    stream_key: str = ""  # secret
    # Whatever else the network needs to find it again (YouTube's stream id, …).
    extra: dict = field(default_factory=dict)


@dataclass
class Recording:
    watch_url: str = ""
    duration_seconds: float | None = None
    # A file Pregón may download into the archive (Facebook's video source); empty
    # where the network keeps the recording itself (YouTube).
    download_url: str = ""
