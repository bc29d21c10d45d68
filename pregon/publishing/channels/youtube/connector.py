"""YouTube through the Data API v3: one video per post, sent with the resumable upload
protocol so that a sender killed halfway goes on where it stopped, never twice.

1. publish() opens an upload session: POST /upload/youtube/v3/videos?uploadType=
   resumable&part=snippet,status with the video's metadata; Google answers with the
   session's address in `Location` (nothing is on the channel yet). Before a single
   byte goes, publish() raises NotReady with that address (encrypted: whoever holds
   it can upload into the session) and the engine stores it in the delivery.
2. resume() asks the session how much it holds (PUT with `Content-Range: bytes
   */<size>`: 308 with `Range: bytes=0-N`, or 200/201 once complete) and sends the
   rest in chunks of a multiple of 256 KiB, each with its `Content-Range`. A lost
   answer or a dead sender only means asking again: the session never takes a byte
   twice. The last chunk's answer is the video resource.
3. YouTube processes the video: resume() waits for `status.uploadStatus` to be
   «processed» (NotReady with the video id meanwhile; «rejected» or «failed» fail
   the delivery with YouTube's reason), then adds the Spanish subtitles
   (captions.insert, unless a track «Español» is already there) and the thumbnail
   (thumbnails.set, when the publication carries an image beside the video).

The video's tags carry the delivery's reference (pregon-<id>): find_existing reads
the channel's uploads playlist back to the attempt's start and looks for it.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from pregon.core.crypto import decrypt, encrypt
from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.network import link_appended
from pregon.publishing.channels.youtube import limits
from pregon.publishing.channels.youtube.analytics import Figures
from pregon.publishing.channels.youtube.api import NAME
from pregon.publishing.channels.youtube.conf import conf
from pregon.publishing.channels.youtube.live import LiveBroadcasts

log = logging.getLogger(__name__)

UNIT = 256 * 1024  # Google takes chunks in multiples of 256 KiB (but the last)
CHUNK_BYTES = 8 * UNIT
SAVE_FIRST = 0.05  # seconds: the engine stores the session before any byte is sent
PROCESSING_WAIT = 20.0
PAGE = 50  # playlistItems.list and videos.list give at most 50 a page
SESSION, VIDEO = "s", "v"
CAPTION_NAME = "Español"
UPLOADS = "/upload/youtube/v3/videos"
GONE = (404, 410)
NEWS_AND_POLITICS = "25"

REFUSALS = {
    "duplicate": "YouTube ya tiene ese mismo video en el canal y rechazó la copia.",
    "copyright": "YouTube lo rechazó por derechos de autor; revise la música y las imágenes.",
    "inappropriate": "YouTube lo rechazó por sus normas de la comunidad; revise el contenido.",
    "length": "El video es más largo de lo que la cuenta permite: verifíquela en YouTube "
    "para subir videos de más de 15 minutos.",
    "legal": "YouTube lo rechazó por una reclamación legal.",
}


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _token(kind: str, started: int, value: str) -> str:
    return f"{kind}|{started}|{value}"


def _parse(token: str) -> tuple[str, int, str] | None:
    parts = token.split("|", 2)
    if len(parts) != 3 or parts[0] not in (SESSION, VIDEO) or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def _next_offset(response: httpx.Response) -> int:
    """308's `Range: bytes=0-N` says the session holds N+1 bytes (none: no header)."""
    match = re.fullmatch(r"bytes=0-(\d+)", response.headers.get("range", "").strip())
    return int(match.group(1)) + 1 if match else 0


class YouTubeChannel(LiveBroadcasts, Figures):
    kind = "youtube"
    chunk_bytes = CHUNK_BYTES
    poll_interval = 5.0  # outside the engine only: the longest sleep between looks
    poll_attempts = 120

    # Publishing ------------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> PostResult:
        video, _ = self._media(post)
        started = int(time.time())
        session = self._open_session(post, video)
        token = _token(SESSION, started, encrypt(session))
        if self.defer_waits:  # stored by the engine before any byte goes
            raise NotReady(token, SAVE_FIRST)
        return self._until_done(post, token)

    def _until_done(self, post: OutgoingPost, token: str) -> PostResult:
        """For callers outside the engine only: sleep through YouTube's processing."""
        for _ in range(self.poll_attempts):
            try:
                return self.resume(post, token)
            except NotReady as again:
                token = again.token
                time.sleep(min(again.retry_after, self.poll_interval))
        raise ChannelError(words.transient(NAME, "el video sigue en proceso"))

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        parsed = _parse(token)
        if parsed is None:  # not one of ours (another version): start again
            return self.publish(post)
        kind, started, value = parsed
        if kind == SESSION:
            try:
                session = decrypt(value)
            except ValueError:
                return self.publish(post)
            video_id = self._upload(post, session, started)
            if video_id is None:  # the session expired and no video came of it
                return self.publish(post)
            token = _token(VIDEO, started, video_id)
        else:
            video_id = value
        wait = self._processing(video_id)
        if wait is not None:
            raise NotReady(token, wait)
        self._extras(post, video_id)
        return PostResult(video_id, watch_url(video_id))

    def _media(self, post: OutgoingPost) -> tuple[OutgoingMedia, OutgoingMedia | None]:
        clips = [m for m in post.media if m.is_video]
        if not clips:
            raise ChannelError(
                f"{NAME}: la publicación no lleva video; YouTube solo publica videos.",
                permanent=True,
            )
        image = next((m for m in post.media if not m.is_video), None)
        return clips[0], image

    def metadata(self, post: OutgoingPost) -> dict:
        description = link_appended(post.text, post.link).replace("<", "‹").replace(">", "›")
        privacy = self.account.credentials.get("privacy") or conf.PREGON_YOUTUBE_PRIVACY
        return {
            "snippet": {
                "title": limits.title_of(post.title, post.text),
                "description": description,
                "tags": limits.tags_of(post.text, post.reference),
                "categoryId": NEWS_AND_POLITICS,
                "defaultLanguage": "es",
                "defaultAudioLanguage": "es",
            },
            "status": {
                "privacyStatus": privacy,
                "selfDeclaredMadeForKids": False,
                "embeddable": True,
            },
        }

    def _open_session(self, post: OutgoingPost, video: OutgoingMedia) -> str:
        headers = {
            "X-Upload-Content-Length": str(video.path.stat().st_size),
            "X-Upload-Content-Type": video.mime_type,
        }
        params = {"uploadType": "resumable", "part": "snippet,status"}
        try:
            response = self._call(
                "POST", UPLOADS, params=params, json=self.metadata(post), headers=headers
            )
        except ChannelError as exc:
            if exc.uncertain:  # a session without bytes publishes nothing
                raise ChannelError(words.nothing_sent(NAME, exc, "al abrir la carga")) from exc
            raise
        self._checked(response, "Carga del video")
        location = response.headers.get("location", "")
        if not location:
            raise ChannelError(words.transient(NAME, "la carga no trajo su dirección"))
        return location

    # The upload ------------------------------------------------------------------------
    def _upload(self, post: OutgoingPost, session: str, started: int) -> str | None:
        """The uploaded video's id; None if the session is gone and no video came of it."""
        video, _ = self._media(post)
        size = video.path.stat().st_size
        try:
            answer = self._put(session, b"", f"bytes */{size}", video.mime_type)
            if answer.status_code in GONE:
                return self._after_lost_session(post, started)
            with open(video.path, "rb") as handle:
                while answer.status_code == 308:
                    offset = _next_offset(answer)
                    handle.seek(offset)
                    chunk = handle.read(self.chunk_bytes)
                    if not chunk:  # the session holds every byte yet is not complete
                        raise ChannelError(words.transient(NAME, "la carga quedó sin cerrar"))
                    content_range = f"bytes {offset}-{offset + len(chunk) - 1}/{size}"
                    answer = self._put(session, chunk, content_range, video.mime_type)
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(
                    words.transient(
                        NAME,
                        "no respondió mientras se subía el video; Pregón retomará la misma "
                        "carga donde quedó, sin subirlo dos veces",
                    )
                ) from exc
            raise
        if answer.status_code in (200, 201):
            return str(self._checked(answer, "Carga del video")["id"])
        if answer.status_code in GONE:
            return self._after_lost_session(post, started)
        raise self._error(answer, "Carga del video")

    def _put(self, session: str, chunk: bytes, content_range: str, mime: str) -> httpx.Response:
        headers = {"Content-Range": content_range, "Content-Type": mime}
        return self._call("PUT", session, content=chunk, headers=headers)

    def _after_lost_session(self, post: OutgoingPost, started: int) -> str | None:
        """Sessions last about a week: one that expired may have finished first."""
        since = datetime.fromtimestamp(started, UTC) - timedelta(minutes=5)
        found = self.find_existing(post, since)
        return found.remote_id if found else None

    def _processing(self, video_id: str) -> float | None:
        """None once YouTube processed the video; else the seconds to wait."""
        params = {"part": "status,processingDetails", "id": video_id}
        items = self._get("/youtube/v3/videos", "Estado del video", **params).get("items") or []
        if not items:
            raise ChannelError(
                f"{NAME}: el video {video_id} ya no está en el canal (¿se borró en YouTube "
                "Studio?). Revise el canal y decida si enviarlo de nuevo.",
                permanent=True,
            )
        status = items[0].get("status") or {}
        upload = status.get("uploadStatus")
        if upload == "processed":
            return None
        if upload in ("failed", "rejected", "deleted"):
            reason = status.get("rejectionReason") or status.get("failureReason") or upload
            hint = REFUSALS.get(
                reason, "YouTube no pudo procesar el archivo; revíselo en el acervo."
            )
            raise ChannelError(words.refused(NAME, str(reason), hint), permanent=True)
        progress = (items[0].get("processingDetails") or {}).get("processingProgress") or {}
        try:
            left = float(progress.get("timeLeftMs", "")) / 1000
        except ValueError:
            left = PROCESSING_WAIT
        return min(max(left, 1.0), 300.0)

    # Subtitles and thumbnail -------------------------------------------------------------
    def _extras(self, post: OutgoingPost, video_id: str) -> None:
        """The video is public: a refusal here (a channel that may not set thumbnails)
        stays in the attempt log and does not undo it; a transient error is retried."""
        video, image = self._media(post)
        captions = video.captions_srt or video.captions_vtt
        steps = []
        if captions is not None:
            steps.append(lambda: self._captions(video_id, captions))
        if image is not None:
            steps.append(lambda: self._thumbnail(video_id, image))
        for step in steps:
            try:
                step()
            except ChannelError as exc:
                if not exc.permanent or exc.reconnect:
                    raise
                log.warning("YouTube %s: %s", video_id, exc.message)

    def _captions(self, video_id: str, path: Path) -> None:
        params = {"part": "snippet", "videoId": video_id}
        tracks = self._get("/youtube/v3/captions", "Subtítulos", **params).get("items") or []
        if any(
            (t.get("snippet") or {}).get("language") == "es"
            and (t.get("snippet") or {}).get("name") == CAPTION_NAME
            for t in tracks
        ):
            return  # added by an earlier attempt whose answer was lost
        snippet = {"videoId": video_id, "language": "es", "name": CAPTION_NAME, "isDraft": False}
        boundary = f"pregon-{uuid.uuid4().hex}"
        body = (
            (
                f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
                f"{json.dumps({'snippet': snippet})}\r\n"
                f"--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response = self._call(
            "POST",
            "/upload/youtube/v3/captions",
            params={"part": "snippet", "uploadType": "multipart"},
            content=body,
            headers={"Content-Type": f"multipart/related; boundary={boundary}"},
        )
        self._checked(response, "Subtítulos")

    def _thumbnail(self, video_id: str, image: OutgoingMedia) -> None:
        response = self._call(
            "POST",
            "/upload/youtube/v3/thumbnails/set",
            params={"videoId": video_id, "uploadType": "media"},
            content=image.path.read_bytes(),
            headers={"Content-Type": image.mime_type},
        )
        self._checked(response, "Miniatura")

    # Settling ----------------------------------------------------------------------------
    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our video among the channel's uploads since `since` (the uploads playlist,
        newest first, page by page), recognised by the reference in its tags (by its
        title when the post has no reference)."""
        details = self._channel("contentDetails")["contentDetails"]
        params = {
            "part": "snippet",
            "playlistId": details["relatedPlaylists"]["uploads"],
            "maxResults": str(PAGE),
        }
        for _ in range(MAX_PAGES):
            page = self._get("/youtube/v3/playlistItems", "Consulta", **params)
            items = page.get("items") or []
            recent = [item for item in items if _added(item) >= since]
            found = self._ours([_video_of(item) for item in recent], post)
            if found:
                self._complete(post, found.remote_id)
                return found
            if len(recent) < len(items) or not page.get("nextPageToken"):
                return None  # the whole window was read
            params["pageToken"] = page["nextPageToken"]
        raise window_not_read(NAME)

    def _complete(self, post: OutgoingPost, video_id: str) -> None:
        """Our video is there, but its sender may have died before the subtitles and
        the thumbnail: add what is missing (the subtitles only once) before calling it
        published; if that fails now, the outcome stays uncertain and is checked again."""
        if not post.media:
            return
        try:
            self._extras(post, video_id)
        except ChannelError as exc:
            raise ChannelError(
                f"{NAME}: el video {video_id} está en el canal, pero no se pudieron agregar "
                f"sus subtítulos o su miniatura todavía ({exc.message}).",
                uncertain=True,
            ) from exc

    def _ours(self, video_ids: list[str], post: OutgoingPost) -> PostResult | None:
        if not video_ids:
            return None
        params = {"part": "snippet", "id": ",".join(video_ids), "maxResults": str(PAGE)}
        title = limits.title_of(post.title, post.text)
        for video in self._get("/youtube/v3/videos", "Consulta", **params).get("items") or []:
            snippet = video.get("snippet") or {}
            if post.reference and post.reference in (snippet.get("tags") or []):
                return PostResult(video["id"], watch_url(video["id"]))
            if not post.reference and snippet.get("title") == title:
                return PostResult(video["id"], watch_url(video["id"]))
        return None


def _added(item: dict) -> datetime:
    stamp = (item.get("snippet") or {}).get("publishedAt", "")
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _video_of(item: dict) -> str:
    return item["snippet"]["resourceId"]["videoId"]
