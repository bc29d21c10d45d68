"""YouTube live broadcasts (channels/live.py's contract): a broadcast
(liveBroadcasts.insert, with its scheduled start) bound to a stream
(liveStreams.insert, RTMP with variable resolution and frame rate) whose ingestion
address and stream name OBS needs. The stream name is a secret: the calls that carry
it keep their answers out of the attempt log.

YouTube's lifeCycleStatus: created / ready / testStarting / testing → programada,
liveStarting / live → en_vivo, complete → terminada, revoked (or gone) → cancelada.
Once complete, the broadcast's id is the recording's video id (videos.list gives its
ISO 8601 duration).
"""

import re
from datetime import UTC

from pregon.publishing.channels.base import ChannelError
from pregon.publishing.channels.live import Broadcast, LiveRequest, LiveState, Recording
from pregon.publishing.channels.youtube import limits
from pregon.publishing.channels.youtube.api import NAME, YouTubeApi

BROADCASTS = "/youtube/v3/liveBroadcasts"
STREAMS = "/youtube/v3/liveStreams"
STATES = {
    "created": LiveState.SCHEDULED,
    "ready": LiveState.SCHEDULED,
    "testStarting": LiveState.SCHEDULED,
    "testing": LiveState.SCHEDULED,
    "liveStarting": LiveState.LIVE,
    "live": LiveState.LIVE,
    "complete": LiveState.ENDED,
    "revoked": LiveState.CANCELLED,
}
PRIVACY = {"public", "unlisted", "private"}
DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")


def iso_duration(value: str) -> float | None:
    """Seconds in an ISO 8601 duration as YouTube writes it («PT1H2M3S», «P1DT2H»)."""
    match = DURATION.fullmatch(value or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (float(g or 0) for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def _rfc3339(request: LiveRequest) -> str:
    return request.planned_start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _watch(broadcast_id: str) -> str:
    return f"https://www.youtube.com/watch?v={broadcast_id}"


class LiveBroadcasts(YouTubeApi):
    def _snippet(self, request: LiveRequest) -> dict:
        return {
            "title": limits.title_of(request.title, request.description),
            "description": request.description.replace("<", "‹").replace(">", "›"),
            "scheduledStartTime": _rfc3339(request),
        }

    def _status(self, request: LiveRequest) -> dict:
        privacy = request.privacy if request.privacy in PRIVACY else "public"
        return {"privacyStatus": privacy, "selfDeclaredMadeForKids": False}

    def live_schedule(self, request: LiveRequest) -> Broadcast:
        body = {
            "snippet": self._snippet(request),
            "status": self._status(request),
            "contentDetails": {
                "enableAutoStart": True,  # live as soon as OBS sends
                "enableAutoStop": True,
                "enableDvr": True,
                "recordFromStart": True,
                "monitorStream": {"enableMonitorStream": False},
            },
        }
        params = {"part": "snippet,status,contentDetails"}
        broadcast = self._checked(
            self._call("POST", BROADCASTS, params=params, json=body), "Transmisión"
        )
        try:
            return self._with_stream(broadcast, body["snippet"]["title"])
        except ChannelError:
            # No half-made event left on the channel: the caller may simply try again.
            self._call("DELETE", BROADCASTS, params={"id": broadcast["id"]})
            raise

    def _with_stream(self, broadcast: dict, title: str) -> Broadcast:
        stream_body = {
            "snippet": {"title": f"Pregón · {title}"[:128]},
            "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"},
            "contentDetails": {"isReusable": False},
        }
        stream = self._checked(
            self._call(
                "POST",
                STREAMS,
                params={"part": "snippet,cdn,contentDetails,status"},
                json=stream_body,
                secret=True,
            ),
            "Señal de la transmisión",
        )
        bind = {"id": broadcast["id"], "streamId": stream["id"], "part": "id,contentDetails"}
        self._checked(self._call("POST", f"{BROADCASTS}/bind", params=bind), "Transmisión")
        info = (stream.get("cdn") or {}).get("ingestionInfo") or {}
        return Broadcast(
            remote_id=broadcast["id"],
            state=STATES.get(
                (broadcast.get("status") or {}).get("lifeCycleStatus", ""), LiveState.SCHEDULED
            ),
            watch_url=_watch(broadcast["id"]),
            ingest_url=info.get("rtmpsIngestionAddress") or info.get("ingestionAddress", ""),
            stream_key=info.get("streamName", ""),
            extra={"stream_id": stream["id"]},
        )

    def live_update(self, broadcast: Broadcast, request: LiveRequest) -> Broadcast:
        body = {
            "id": broadcast.remote_id,
            "snippet": self._snippet(request),
            "status": self._status(request),
        }
        answer = self._checked(
            self._call("PUT", BROADCASTS, params={"part": "snippet,status"}, json=body),
            "Transmisión",
        )
        state = STATES.get((answer.get("status") or {}).get("lifeCycleStatus", ""), broadcast.state)
        return Broadcast(
            broadcast.remote_id,
            state,
            broadcast.watch_url or _watch(broadcast.remote_id),
            broadcast.ingest_url,
            broadcast.stream_key,
            dict(broadcast.extra),
        )

    def live_cancel(self, broadcast: Broadcast) -> None:
        current = self.live_status(broadcast)
        if current.state == LiveState.LIVE:
            raise ChannelError(
                f"{NAME}: la transmisión ya está en vivo; termínela desde OBS o YouTube Studio.",
                permanent=True,
            )
        if current.state != LiveState.CANCELLED:
            answer = self._call("DELETE", BROADCASTS, params={"id": broadcast.remote_id})
            if answer.status_code != 404:  # already gone is what we wanted
                self._checked(answer, "Transmisión")
        stream_id = broadcast.extra.get("stream_id")
        if stream_id:
            answer = self._call("DELETE", STREAMS, params={"id": stream_id})
            if answer.status_code != 404:
                self._checked(answer, "Señal de la transmisión")

    def live_status(self, broadcast: Broadcast) -> Broadcast:
        params = {"part": "id,snippet,status", "id": broadcast.remote_id}
        items = self._get(BROADCASTS, "Transmisión", **params).get("items") or []
        state = LiveState.CANCELLED  # deleted on YouTube Studio
        if items:
            life = (items[0].get("status") or {}).get("lifeCycleStatus", "")
            state = STATES.get(life, broadcast.state)
        return Broadcast(
            broadcast.remote_id,
            state,
            broadcast.watch_url or _watch(broadcast.remote_id),
            broadcast.ingest_url,
            broadcast.stream_key,
            dict(broadcast.extra),
        )

    def live_recording(self, broadcast: Broadcast) -> Recording | None:
        if self.live_status(broadcast).state != LiveState.ENDED:
            return None
        params = {"part": "contentDetails,status", "id": broadcast.remote_id}
        items = self._get("/youtube/v3/videos", "Grabación", **params).get("items") or []
        if not items:
            return None
        seconds = iso_duration((items[0].get("contentDetails") or {}).get("duration", ""))
        return Recording(watch_url=_watch(broadcast.remote_id), duration_seconds=seconds)
