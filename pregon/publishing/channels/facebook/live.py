"""Facebook Pages' live videos (Graph API LiveVideo), for sessions Pregón schedules.

Schedule: POST /{page-id}/live_videos with status=SCHEDULED_UNPUBLISHED,
event_params (the start, unix seconds, as Meta's scheduling guide names it; up to seven
days ahead; the LiveVideo node reads it back as planned_start_time), title and
description; the answer carries the id and secure_stream_url, the RTMPS address with
the stream key as its last segment (OBS wants them apart: server and key). Read back:
GET /{live-video-id}?fields=status,permalink_url,secure_stream_url,video{id}. Move:
POST /{live-video-id} with planned_start_time. Cancel: DELETE /{live-video-id}. The
recording is the live video's `video`: GET /{video-id}?fields=source,length,permalink_url,
whose `source` is a file Pregón may download into the archive.
"""

from collections.abc import Callable
from typing import Any

from pregon.publishing.channels.base import AccountConfig, ChannelError
from pregon.publishing.channels.live import Broadcast, LiveRequest, LiveState, Recording

# LiveVideo.status as Meta answers it -> our state. A deleted live video answers
# error 100 (the object does not exist): cancelled as well.
STATES = {
    "SCHEDULED_UNPUBLISHED": LiveState.SCHEDULED,
    "SCHEDULED_LIVE": LiveState.SCHEDULED,
    "UNPUBLISHED": LiveState.SCHEDULED,
    "LIVE": LiveState.LIVE,
    "LIVE_STOPPED": LiveState.ENDED,
    "PROCESSING": LiveState.ENDED,
    "VOD": LiveState.ENDED,
    "SCHEDULED_CANCELED": LiveState.CANCELLED,
    "SCHEDULED_EXPIRED": LiveState.CANCELLED,
}
FIELDS = "status,permalink_url,secure_stream_url,video{id}"
MISSING_CODE = 100  # "Object does not exist or cannot be loaded"
SITE = "https://www.facebook.com"


def split_stream_url(url: str) -> tuple[str, str]:
    """rtmps://host:443/rtmp/FB-123-0-Ab… -> ("rtmps://host:443/rtmp/", "FB-123-0-Ab…")."""
    server, _, key = url.rpartition("/")
    return (f"{server}/", key) if server else (url, "")


def _absolute(url: str) -> str:
    return f"{SITE}{url}" if url.startswith("/") else url  # Meta answers a path for videos


def _gone(exc: ChannelError) -> bool:
    return getattr(exc, "graph_code", None) == MISSING_CODE and exc.permanent


class FacebookLive:
    """The live_* methods of base.Channel for a Graph API page connector."""

    account: AccountConfig
    call: Callable[..., dict]

    def live_schedule(self, request: LiveRequest) -> Broadcast:
        answer = self.call(
            "POST", f"/{self.account.external_id}/live_videos", **self._live_fields(request)
        )
        broadcast = Broadcast(remote_id=answer["id"])
        self._take_stream(broadcast, answer.get("secure_stream_url", ""))
        return self.live_status(broadcast)

    def live_update(self, broadcast: Broadcast, request: LiveRequest) -> Broadcast:
        self.call("POST", f"/{broadcast.remote_id}", **self._live_fields(request, status=False))
        return self.live_status(broadcast)

    def live_cancel(self, broadcast: Broadcast) -> None:
        try:
            self.call("DELETE", f"/{broadcast.remote_id}")
        except ChannelError as exc:
            if not _gone(exc):  # already deleted on Facebook: what we wanted
                raise

    def live_status(self, broadcast: Broadcast) -> Broadcast:
        try:
            node = self.call("GET", f"/{broadcast.remote_id}", fields=FIELDS)
        except ChannelError as exc:
            if not _gone(exc):
                raise
            broadcast.state = LiveState.CANCELLED
            return broadcast
        broadcast.state = STATES.get(node.get("status", ""), broadcast.state)
        if node.get("permalink_url"):
            broadcast.watch_url = _absolute(node["permalink_url"])
        self._take_stream(broadcast, node.get("secure_stream_url", ""))
        video = (node.get("video") or {}).get("id", "")
        broadcast.extra = {**broadcast.extra, "status": node.get("status", "")}
        if video:
            broadcast.extra["video_id"] = video
        return broadcast

    def live_recording(self, broadcast: Broadcast) -> Recording | None:
        current = self.live_status(broadcast)
        video = current.extra.get("video_id", "")
        if current.extra.get("status") != "VOD" or not video:
            return None  # still live, or Meta is still processing the recording
        node = self.call("GET", f"/{video}", fields="source,length,permalink_url")
        length = node.get("length")
        return Recording(
            watch_url=_absolute(node.get("permalink_url", "")) or current.watch_url,
            duration_seconds=float(length) if length is not None else None,
            download_url=node.get("source", ""),
        )

    def _live_fields(self, request: LiveRequest, *, status: bool = True) -> dict[str, Any]:
        start = str(int(request.planned_start.timestamp()))
        fields: dict[str, Any] = {"title": request.title[:254], "description": request.description}
        if status:  # creating: the scheduling guide's event_params
            fields.update(status="SCHEDULED_UNPUBLISHED", event_params=start)
        else:  # moving: the node's own field
            fields["planned_start_time"] = start
        return fields

    @staticmethod
    def _take_stream(broadcast: Broadcast, secure_stream_url: str) -> None:
        if secure_stream_url:
            broadcast.ingest_url, broadcast.stream_key = split_stream_url(secure_stream_url)
