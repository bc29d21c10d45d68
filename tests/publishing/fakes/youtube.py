"""A fake Google for YouTube: the OAuth 2.0 screens and token endpoint, the Data API
v3 (resumable uploads, videos, channels, uploads playlist, captions, thumbnails,
live broadcasts and streams) and the YouTube Analytics API's reports.query.

    yt = YouTubeFake(client_id="yt-client", client_secret="yt-s3cret").start()
    yt.add_channel("UC1", "Gobierno de Chapultepec", access_token="at-1", refresh_token="rt-1")
    yt.expire_access_token("at-1")     # 401 until the client refreshes (rt-1 is single-use)
    yt.revoke_refresh_token("rt-1")    # the refresh answers invalid_grant: reconnect
    yt.quota_exceeded(times=1)         # 403 quotaExceeded, as when the day's units are gone
    yt.processing_polls = 2            # videos.list says «uploaded» (processing) twice
    yt.lose_answer_to_chunk = 2        # the 2nd data chunk is stored, its answer lost
    yt.reject = "duplicate"            # the upload ends «rejected» with that reason
    yt.thumbnails_allowed = False      # thumbnails.set: 403 (channel not verified)
    yt.add_videos("UC1", 120)          # older uploads people made on the channel
    yt.login_as("UC1")                 # who consents on the authorisation screen
    yt.sessions / yt.videos / yt.broadcasts / yt.streams

Strict like Google: a session's chunks must start where the session stands, say the
declared total, carry as many bytes as their Content-Range says and, but the last,
be multiples of 256 KiB; `bytes */N` asks where the session stands (308 with
`Range`, or the video once complete); list calls honour maxResults (0–50, else
400) and pageToken; a refresh token works once (the answer carries the next one).
"""

import email.parser
import email.policy
import json
import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta

from tests.publishing.fakes.authorization import HTML, RotatingTokens, oauth_error
from tests.publishing.fakes.server import Answer, FakeServer, Recorded

UNIT = 256 * 1024
G = "https://www.googleapis.com/auth/"
ALL_SCOPES = {f"{G}youtube.force-ssl", f"{G}youtube.readonly", f"{G}yt-analytics.readonly"}
UPLOAD_SCOPES = {f"{G}youtube.force-ssl", f"{G}youtube.upload", f"{G}youtube"}
FORCE_SSL = {f"{G}youtube.force-ssl"}
ANALYTICS = {f"{G}yt-analytics.readonly"}
METRICS = {"views", "likes", "comments", "shares", "subscribersGained", "subscribersLost"}


def google_error(status: int, reason: str, message: str, domain: str = "youtube") -> Answer:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return Answer(status, body)


LOST = Answer(0)  # route's answer for «carried out, connection closed, no answer»


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class YouTubeFake(RotatingTokens, FakeServer):
    code_prefix = "4/"

    def __init__(self, client_id: str = "yt-client", client_secret: str = "") -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret or "yt-s3cret"
        self.channels: dict[str, dict] = {}
        # access_tokens: -> {"channel", "scopes", "until"}; refresh_tokens: -> {"channel", "scopes"}
        self.sessions: dict[str, dict] = {}
        self.videos: dict[str, dict] = {}  # newest last
        self.broadcasts: dict[str, dict] = {}
        self.streams: dict[str, dict] = {}
        self.daily: dict[tuple[str, str], dict] = {}  # (channel, day) -> metrics
        self.video_totals: dict[str, dict] = {}  # video -> metrics
        self.processing_polls = 0
        self.reject = ""
        self.thumbnails_allowed = True
        self.lose_answer_to_chunk = 0  # that data chunk is stored, then never answered
        self.token_seconds = 3599
        self.login_channel = ""

    # Set-up and knobs --------------------------------------------------------------------
    def add_channel(
        self, channel_id: str, title: str, *, access_token: str = "", refresh_token: str = ""
    ) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "title": title,
            "customUrl": "@" + re.sub(r"\W", "", title.lower())[:20],
            "uploads": "UU" + channel_id[2:],
            "subscribers": 1500,
            "hidden": False,
        }
        if access_token:
            self._grant(access_token, channel_id, ALL_SCOPES)
        if refresh_token:
            self.refresh_tokens[refresh_token] = {"channel": channel_id, "scopes": ALL_SCOPES}

    def _grant(self, token: str, channel_id: str, scopes: set[str]) -> None:
        until = time.time() + self.token_seconds
        self.access_tokens[token] = {"channel": channel_id, "scopes": set(scopes), "until": until}

    def quota_exceeded(self, *, times: int = 1, path: str | None = None) -> None:
        answer = google_error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        )
        self.fail(403, answer.body, times=times, path=path)

    def login_as(self, channel_id: str) -> None:
        self.login_channel = channel_id

    def add_videos(self, channel_id: str, count: int, title: str = "Otro video") -> None:
        """Uploads people made on the channel themselves (newer than anything before)."""
        for n in range(count):
            self._new_video(channel_id, {"title": f"{title} {n}", "tags": []}, b"", "public")

    def uploaded(self, channel_id: str) -> list[dict]:
        """The channel's videos Pregón (or anyone) uploaded, oldest first."""
        return [v for v in self.videos.values() if v["channel"] == channel_id]

    # Routing ----------------------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        if request.path == "/token" and request.method == "POST":
            return self._token(request)
        if request.path == "/o/oauth2/v2/auth":
            return self._authorize(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        grant = self.access_tokens.get(token)
        if grant is None or grant["until"] < time.time():
            return google_error(
                401, "authError", "Request had invalid authentication credentials.", "global"
            )
        return self._routed(request, grant)

    def _routed(self, request: Recorded, grant: dict) -> Answer:
        path, method = request.path, request.method
        routes = {
            ("POST", "/upload/youtube/v3/videos"): self._upload,
            ("PUT", "/upload/youtube/v3/videos"): self._upload,
            ("GET", "/youtube/v3/videos"): self._videos_list,
            ("GET", "/youtube/v3/channels"): self._channels_list,
            ("GET", "/youtube/v3/playlistItems"): self._playlist_items,
            ("GET", "/youtube/v3/captions"): self._captions_list,
            ("POST", "/upload/youtube/v3/captions"): self._captions_insert,
            ("POST", "/upload/youtube/v3/thumbnails/set"): self._thumbnail,
            ("GET", "/v2/reports"): self._report,
            ("POST", "/youtube/v3/liveBroadcasts"): self._broadcast_insert,
            ("PUT", "/youtube/v3/liveBroadcasts"): self._broadcast_update,
            ("GET", "/youtube/v3/liveBroadcasts"): self._broadcast_list,
            ("DELETE", "/youtube/v3/liveBroadcasts"): self._broadcast_delete,
            ("POST", "/youtube/v3/liveBroadcasts/bind"): self._bind,
            ("POST", "/youtube/v3/liveStreams"): self._stream_insert,
            ("DELETE", "/youtube/v3/liveStreams"): self._stream_delete,
        }
        handler = routes.get((method, path))
        if handler is None:
            return google_error(404, "notFound", f"Not Found: {method} {path}", "global")
        needs = {
            self._report: ANALYTICS,
            self._captions_insert: FORCE_SSL,
            self._captions_list: FORCE_SSL,
            self._upload: UPLOAD_SCOPES,
        }.get(handler)
        if needs and not grant["scopes"] & needs:
            return google_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        return handler(request, grant["channel"])

    # OAuth ----------------------------------------------------------------------------
    def _authorize(self, request: Recorded) -> Answer:
        if request.method == "GET":
            q = request.query
            if q.get("client_id") != self.client_id or q.get("response_type") != "code":
                return Answer(400, "Error 401: invalid_client", HTML)
            if q.get("code_challenge_method") != "S256" or not q.get("state"):
                return Answer(400, "PKCE (S256) and state are required.", HTML)
            if q.get("access_type") != "offline":
                return Answer(400, "This test server wants access_type=offline.", HTML)
            # A refresh token only when asked offline with the consent shown again.
            offline = "1" if q.get("prompt") == "consent" else ""
            return self.consent_screen(q, f"{self.url}/o/oauth2/v2/auth", " ", offline=offline)
        return self.consent_answer(request, channel=self.login_channel)

    def _token(self, request: Recorded) -> Answer:
        form = request.form
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return oauth_error(401, "invalid_client", "Unauthorized")
        if form.get("grant_type") == "authorization_code":
            grant = self.take_code(form)
            if grant is None:
                return oauth_error(400, "invalid_grant", "Bad Request")
            if not self.verifier_matches(grant, form):
                return oauth_error(400, "invalid_grant", "Invalid code verifier.")
            scopes = set(grant["scopes"])
            return self._issue(grant["channel"], scopes, refresh=grant["offline"] == "1")
        if form.get("grant_type") == "refresh_token":
            grant = self.take_refresh_token(form.get("refresh_token", ""))
            if grant is None:
                return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            return self._issue(grant["channel"], grant["scopes"], refresh=True)
        return Answer(400, {"error": "unsupported_grant_type"})

    def _issue(self, channel_id: str, scopes: set[str], *, refresh: bool) -> Answer:
        access = f"ya29.{secrets.token_hex(8)}"
        self._grant(access, channel_id, scopes)
        body = {
            "access_token": access,
            "expires_in": self.token_seconds,
            "scope": " ".join(sorted(scopes)),
            "token_type": "Bearer",
        }
        if refresh:
            body["refresh_token"] = f"1//{secrets.token_hex(8)}"
            self.refresh_tokens[body["refresh_token"]] = {"channel": channel_id, "scopes": scopes}
        return Answer(200, body)

    # Resumable uploads ----------------------------------------------------------------
    def _upload(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        if q.get("uploadType") != "resumable":
            return google_error(400, "invalidParameter", "This fake takes resumable uploads.")
        if request.method == "POST":
            return self._open(request, channel_id)
        session = self.sessions.get(q.get("upload_id", ""))
        if session is None or session["channel"] != channel_id:
            return google_error(404, "notFound", "Upload session not found.", "global")
        return self._chunk(request, session)

    def _open(self, request: Recorded, channel_id: str) -> Answer:
        parts = set(request.query.get("part", "").split(","))
        if not {"snippet", "status"} <= parts:
            return google_error(400, "invalidPart", "part must name snippet and status.")
        try:
            total = int(request.headers.get("x-upload-content-length", ""))
        except ValueError:
            return google_error(400, "invalidValue", "X-Upload-Content-Length is required.")
        if not request.headers.get("x-upload-content-type", "").startswith("video/"):
            return google_error(400, "invalidValue", "X-Upload-Content-Type must be video/*.")
        body = request.json
        snippet, status = body.get("snippet") or {}, body.get("status") or {}
        title, description = snippet.get("title", ""), snippet.get("description", "")
        problem = ""
        if not title.strip():
            problem = "invalidTitle: the title is empty"
        elif len(title) > 100 or "<" in title or ">" in title:
            problem = "invalidTitle: too long or with < >"
        elif len(description.encode()) > 5000 or "<" in description or ">" in description:
            problem = "invalidDescription"
        elif sum(len(t) + 1 for t in snippet.get("tags") or []) > 500:
            problem = "invalidTags"
        elif status.get("privacyStatus") not in ("public", "unlisted", "private"):
            problem = "invalidVideoMetadata: privacyStatus"
        if problem:
            reason, _, message = problem.partition(": ")
            return google_error(400, reason, message or reason)
        upload_id = "ADPycd" + secrets.token_urlsafe(90)  # Google's are long
        self.sessions[upload_id] = {
            "channel": channel_id,
            "total": total,
            "type": request.headers["x-upload-content-type"],
            "metadata": body,
            "data": bytearray(),
            "video": None,
            "chunks": [],
        }
        location = (
            f"{self.url}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status"
            f"&upload_id={upload_id}"
        )
        return Answer(200, "", {"Location": location})

    def _chunk(self, request: Recorded, session: dict) -> Answer:
        answer = self._store_chunk(request, session)
        lose = self.lose_answer_to_chunk
        if lose and answer.status in (200, 201, 308) and len(session["chunks"]) == lose:
            self.lose_answer_to_chunk = 0
            return LOST
        return answer

    def _store_chunk(self, request: Recorded, session: dict) -> Answer:
        header = request.headers.get("content-range", "")
        received = len(session["data"])
        if session["video"]:
            return Answer(200, self._resource(session["video"], {"snippet", "status"}, False))
        asked = re.fullmatch(r"bytes \*/(\d+)", header)
        if asked:
            if int(asked.group(1)) != session["total"] or request.body:
                return google_error(400, "badContent", "Content-Range total does not match.")
            return self._incomplete(received)
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", header)
        if not match:
            return google_error(400, "badContent", f"Bad Content-Range «{header}».")
        first, last, total = (int(g) for g in match.groups())
        if total != session["total"]:
            return google_error(400, "badContent", "Content-Range total changed.")
        if first != received:
            return google_error(400, "badContent", f"Expected bytes from {received}, got {first}.")
        if len(request.body) != last - first + 1:
            return google_error(400, "badContent", "Body size and Content-Range differ.")
        final = last + 1 == total
        if not final and len(request.body) % UNIT:
            return google_error(400, "badContent", "Chunks must be multiples of 256 KiB.")
        session["data"] += request.body
        session["chunks"].append((first, last))
        if not final:
            return self._incomplete(len(session["data"]))
        data = bytes(session["data"])
        if session["type"] == "video/mp4" and data[4:8] != b"ftyp":
            return google_error(400, "invalidVideo", "The file is not a video.")
        metadata = session["metadata"]
        video_id = self._new_video(
            session["channel"],
            metadata.get("snippet") or {},
            data,
            (metadata.get("status") or {}).get("privacyStatus", "public"),
        )
        session["video"] = video_id
        return Answer(201, self._resource(video_id, {"snippet", "status"}, False))

    def _incomplete(self, received: int) -> Answer:
        headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
        return Answer(308, "", headers)

    def _new_video(self, channel_id: str, snippet: dict, data: bytes, privacy: str) -> str:
        video_id = secrets.token_urlsafe(8)[:11]
        self.videos[video_id] = {
            "channel": channel_id,
            "snippet": {**snippet, "publishedAt": _now(), "channelId": channel_id},
            "privacy": privacy,
            "bytes": data,
            "looks": 0,
            "captions": [],
            "thumbnail": None,
            "duration": "PT2S",
        }
        return video_id

    def _upload_status(self, video: dict, look: bool) -> str:
        """«uploaded» (processing) for the first `processing_polls` looks, then done."""
        if not video["bytes"]:
            return "processed"
        if look:
            video["looks"] += 1
        if not look or video["looks"] <= self.processing_polls:
            return "uploaded"
        return "rejected" if self.reject else "processed"

    def _resource(self, video_id: str, parts: set[str], look: bool = True) -> dict:
        video = self.videos[video_id]
        resource: dict = {"kind": "youtube#video", "id": video_id}
        if "snippet" in parts:
            resource["snippet"] = video["snippet"]
        if "status" in parts:
            upload = self._upload_status(video, look)
            status = {"uploadStatus": upload, "privacyStatus": video["privacy"]}
            if upload == "rejected":
                status["rejectionReason"] = self.reject
            resource["status"] = status
        if "processingDetails" in parts:
            done = resource.get("status", {}).get("uploadStatus") != "uploaded"
            resource["processingDetails"] = {
                "processingStatus": "succeeded" if done else "processing",
                "processingProgress": {
                    "partsTotal": "100",
                    "partsProcessed": "50",
                    "timeLeftMs": "3000",
                },
            }
        if "contentDetails" in parts:
            resource["contentDetails"] = {"duration": video["duration"]}
        return resource

    # Lists -----------------------------------------------------------------------------
    def _limit(self, query: dict, default: int = 5) -> int | None:
        try:
            limit = int(query.get("maxResults", str(default)))
        except ValueError:
            return None
        return limit if 0 <= limit <= 50 else None

    def _videos_list(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        ids = [i for i in q.get("id", "").split(",") if i]
        if not ids or len(ids) > 50:
            return google_error(400, "invalidParameter", "id takes 1 to 50 video ids.")
        parts = set(q.get("part", "").split(","))
        items = [self._resource(i, parts) for i in ids if i in self.videos]
        for broadcast_id in ids:  # a finished broadcast is a video
            broadcast = self.broadcasts.get(broadcast_id)
            if broadcast and broadcast["life"] == "complete" and broadcast_id not in self.videos:
                items.append(
                    {"id": broadcast_id, "contentDetails": {"duration": broadcast["duration"]}}
                )
        return Answer(200, {"kind": "youtube#videoListResponse", "items": items})

    def _channels_list(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        if q.get("mine") == "true":
            wanted = channel_id
        elif q.get("id"):
            wanted = q["id"] if q["id"] == channel_id else ""
        else:
            return google_error(400, "missingRequiredParameter", "mine or id is required.")
        channel = self.channels.get(wanted)
        items = []
        if channel:
            parts = set(q.get("part", "").split(","))
            item: dict = {"kind": "youtube#channel", "id": channel["id"]}
            if "snippet" in parts:
                item["snippet"] = {"title": channel["title"], "customUrl": channel["customUrl"]}
            if "contentDetails" in parts:
                item["contentDetails"] = {"relatedPlaylists": {"uploads": channel["uploads"]}}
            if "statistics" in parts:
                statistics = {"hiddenSubscriberCount": channel["hidden"], "viewCount": "99"}
                if not channel["hidden"]:
                    statistics["subscriberCount"] = str(channel["subscribers"])
                item["statistics"] = statistics
            items.append(item)
        return Answer(200, {"kind": "youtube#channelListResponse", "items": items})

    def _playlist_items(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        limit = self._limit(q)
        if limit is None:
            return google_error(400, "invalidParameter", "maxResults must be 0 to 50.")
        channel = self.channels[channel_id]
        if q.get("playlistId") != channel["uploads"]:
            return google_error(404, "playlistNotFound", "The playlist cannot be found.")
        newest = [
            (vid, v) for vid, v in reversed(self.videos.items()) if v["channel"] == channel_id
        ]
        start = int(q.get("pageToken") or 0) if (q.get("pageToken") or "0").isdigit() else -1
        if start < 0:
            return google_error(400, "invalidPageToken", "The page token is invalid.")
        chunk = newest[start : start + limit]
        items = [
            {
                "kind": "youtube#playlistItem",
                "snippet": {
                    "publishedAt": v["snippet"]["publishedAt"],
                    "title": v["snippet"].get("title", ""),
                    "resourceId": {"kind": "youtube#video", "videoId": vid},
                },
            }
            for vid, v in chunk
        ]
        body: dict = {"items": items, "pageInfo": {"totalResults": len(newest)}}
        if start + limit < len(newest):
            body["nextPageToken"] = str(start + limit)
        return Answer(200, body)

    # Captions and thumbnails -------------------------------------------------------------
    def _captions_list(self, request: Recorded, channel_id: str) -> Answer:
        video = self.videos.get(request.query.get("videoId", ""))
        if video is None or video["channel"] != channel_id:
            return google_error(404, "videoNotFound", "The video cannot be found.")
        items = [{"id": c["id"], "snippet": c["snippet"]} for c in video["captions"]]
        return Answer(200, {"items": items})

    def _captions_insert(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        content_type = request.headers.get("content-type", "")
        if q.get("uploadType") != "multipart" or not content_type.startswith("multipart/related"):
            return google_error(400, "invalidParameter", "captions.insert is multipart/related.")
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
        parts = list(message.iter_parts())
        if len(parts) != 2 or parts[0].get_content_type() != "application/json":
            return google_error(400, "invalidParameter", "metadata then media are required.")
        snippet = json.loads(parts[0].get_payload(decode=True) or b"{}").get("snippet") or {}
        content = parts[1].get_payload(decode=True) or b""
        video = self.videos.get(snippet.get("videoId", ""))
        if video is None or video["channel"] != channel_id:
            return google_error(404, "videoNotFound", "The video cannot be found.")
        if not snippet.get("language") or not snippet.get("name"):
            return google_error(400, "invalidMetadata", "language and name are required.")
        text = content.decode("utf-8", "replace")
        if "-->" not in text:
            return google_error(400, "contentRequired", "The caption track is not valid.")
        if any(
            c["snippet"]["language"] == snippet["language"]
            and c["snippet"]["name"] == snippet["name"]
            for c in video["captions"]
        ):
            return google_error(409, "captionExists", "The caption track already exists.")
        caption = {"id": secrets.token_urlsafe(12), "snippet": {**snippet}, "text": text}
        video["captions"].append(caption)
        return Answer(200, {"kind": "youtube#caption", "id": caption["id"], "snippet": snippet})

    def _thumbnail(self, request: Recorded, channel_id: str) -> Answer:
        video = self.videos.get(request.query.get("videoId", ""))
        if video is None or video["channel"] != channel_id:
            return google_error(404, "videoNotFound", "The video cannot be found.")
        if not self.thumbnails_allowed:
            return google_error(
                403,
                "forbidden",
                "The authenticated user doesnt have permissions to upload and set custom "
                "video thumbnails.",
            )
        if request.headers.get("content-type") not in ("image/jpeg", "image/png"):
            return google_error(400, "invalidImage", "The thumbnail must be JPEG or PNG.")
        if len(request.body) > 2 * 1024 * 1024:
            return google_error(400, "mediaBodyTooLarge", "The thumbnail is over 2 MB.")
        video["thumbnail"] = request.body
        return Answer(200, {"items": [{"default": {"url": "https://i.ytimg.com/x.jpg"}}]})

    # Analytics -------------------------------------------------------------------------
    def _report(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        if q.get("ids") not in ("channel==MINE", f"channel=={channel_id}"):
            return google_error(400, "invalid", "ids must be channel==MINE.", "global")
        try:
            start, end = date.fromisoformat(q["startDate"]), date.fromisoformat(q["endDate"])
        except (KeyError, ValueError):
            return google_error(400, "invalid", "startDate and endDate (YYYY-MM-DD) are required.")
        metrics = q.get("metrics", "").split(",")
        if not metrics or not set(metrics) <= METRICS or start > end:
            return google_error(400, "invalid", "Unknown metric or bad dates.", "global")
        dimension = q.get("dimensions", "")
        headers = [{"name": dimension, "columnType": "DIMENSION", "dataType": "STRING"}]
        headers += [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in metrics]
        if dimension == "day":
            rows = []
            day = start
            while day <= end:
                values = self.daily.get((channel_id, day.isoformat()))
                if values:
                    rows.append([day.isoformat(), *(values.get(m, 0) for m in metrics)])
                day += timedelta(days=1)
            return Answer(
                200,
                {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows},
            )
        if dimension == "video":
            try:
                limit = int(q.get("maxResults", ""))
            except ValueError:
                limit = 0
            if not 1 <= limit <= 200 or not q.get("sort", "").startswith("-"):
                return google_error(
                    400,
                    "invalid",
                    "The video dimension needs maxResults 1–200 and a descending sort.",
                    "global",
                )
            match = re.fullmatch(r"video==([\w,-]+)", q.get("filters", ""))
            wanted = match.group(1).split(",") if match else []
            rows = [
                [vid, *(self.video_totals[vid].get(m, 0) for m in metrics)]
                for vid in wanted
                if vid in self.video_totals
                and self.videos.get(vid, {}).get("channel") == channel_id
            ]
            return Answer(
                200,
                {
                    "kind": "youtubeAnalytics#resultTable",
                    "columnHeaders": headers,
                    "rows": rows[:limit],
                },
            )
        return google_error(400, "invalid", f"Unsupported dimensions «{dimension}».", "global")

    # Live ------------------------------------------------------------------------------
    def _broadcast_insert(self, request: Recorded, channel_id: str) -> Answer:
        body = request.json
        snippet, status = body.get("snippet") or {}, body.get("status") or {}
        if not snippet.get("title") or not snippet.get("scheduledStartTime"):
            return google_error(
                400, "invalidScheduledStartTime", "title and scheduledStartTime are required."
            )
        start = datetime.fromisoformat(snippet["scheduledStartTime"].replace("Z", "+00:00"))
        if start < datetime.now(UTC) - timedelta(minutes=1):
            return google_error(
                400, "invalidScheduledStartTime", "Scheduled start time is in the past."
            )
        if status.get("privacyStatus") not in ("public", "unlisted", "private"):
            return google_error(400, "invalidPrivacyStatus", "privacyStatus is required.")
        broadcast_id = secrets.token_urlsafe(8)[:11]
        self.broadcasts[broadcast_id] = {
            "channel": channel_id,
            "snippet": snippet,
            "status": status,
            "contentDetails": body.get("contentDetails") or {},
            "life": "created",
            "stream": "",
            "duration": "PT0S",
        }
        return Answer(200, self._broadcast(broadcast_id))

    def _broadcast(self, broadcast_id: str) -> dict:
        b = self.broadcasts[broadcast_id]
        return {
            "kind": "youtube#liveBroadcast",
            "id": broadcast_id,
            "snippet": b["snippet"],
            "status": {**b["status"], "lifeCycleStatus": b["life"]},
            "contentDetails": {**b["contentDetails"], "boundStreamId": b["stream"]},
        }

    def _owned_broadcast(self, broadcast_id: str, channel_id: str) -> dict | None:
        b = self.broadcasts.get(broadcast_id)
        return b if b and b["channel"] == channel_id else None

    def _broadcast_update(self, request: Recorded, channel_id: str) -> Answer:
        body = request.json
        b = self._owned_broadcast(body.get("id", ""), channel_id)
        if b is None:
            return google_error(404, "liveBroadcastNotFound", "Broadcast not found.")
        snippet = body.get("snippet") or {}
        if not snippet.get("title") or not snippet.get("scheduledStartTime"):
            return google_error(
                400, "invalidScheduledStartTime", "title and scheduledStartTime are required."
            )
        if b["life"] in ("live", "complete", "revoked"):
            return google_error(
                403, "invalidTransition", "The broadcast can no longer be rescheduled."
            )
        b["snippet"] = snippet
        if body.get("status"):
            b["status"] = body["status"]
        return Answer(200, self._broadcast(body["id"]))

    def _broadcast_list(self, request: Recorded, channel_id: str) -> Answer:
        ids = [i for i in request.query.get("id", "").split(",") if i]
        items = [self._broadcast(i) for i in ids if self._owned_broadcast(i, channel_id)]
        return Answer(200, {"items": items})

    def _broadcast_delete(self, request: Recorded, channel_id: str) -> Answer:
        broadcast_id = request.query.get("id", "")
        b = self._owned_broadcast(broadcast_id, channel_id)
        if b is None:
            return google_error(404, "liveBroadcastNotFound", "Broadcast not found.")
        if b["life"] == "live":
            return google_error(403, "liveBroadcastDeletionNotAllowed", "It is live.")
        del self.broadcasts[broadcast_id]
        return Answer(204, b"")

    def _bind(self, request: Recorded, channel_id: str) -> Answer:
        q = request.query
        b = self._owned_broadcast(q.get("id", ""), channel_id)
        stream = self.streams.get(q.get("streamId", ""))
        if b is None or stream is None or stream["channel"] != channel_id:
            return google_error(404, "liveBroadcastNotFound", "Broadcast or stream not found.")
        b["stream"] = q["streamId"]
        if b["life"] == "created":
            b["life"] = "ready"
        return Answer(200, self._broadcast(q["id"]))

    def _stream_insert(self, request: Recorded, channel_id: str) -> Answer:
        body = request.json
        cdn = body.get("cdn") or {}
        if cdn.get("ingestionType") not in ("rtmp", "dash", "webrtc", "hls"):
            return google_error(400, "invalidIngestionType", "cdn.ingestionType is required.")
        if not cdn.get("resolution") or not cdn.get("frameRate"):
            return google_error(400, "invalidFormat", "resolution and frameRate are required.")
        stream_id = "S" + secrets.token_hex(6)
        key = "-".join(secrets.token_hex(2) for _ in range(5))
        self.streams[stream_id] = {"channel": channel_id, "key": key, "body": body}
        info = {
            "streamName": key,
            "ingestionAddress": "rtmp://a.rtmp.youtube.com/live2",
            "rtmpsIngestionAddress": "rtmps://a.rtmps.youtube.com/live2",
        }
        return Answer(
            200,
            {
                "id": stream_id,
                "snippet": body.get("snippet"),
                "cdn": {**cdn, "ingestionInfo": info},
            },
        )

    def _stream_delete(self, request: Recorded, channel_id: str) -> Answer:
        stream = self.streams.get(request.query.get("id", ""))
        if stream is None or stream["channel"] != channel_id:
            return google_error(404, "liveStreamNotFound", "Stream not found.")
        if any(
            b["stream"] == request.query["id"] and b["life"] == "live"
            for b in self.broadcasts.values()
        ):
            return google_error(403, "liveStreamDeletionNotAllowed", "The stream is live.")
        del self.streams[request.query["id"]]
        return Answer(204, b"")

    def _write(self, handler, answer: Answer) -> None:
        if answer is LOST:
            handler.close_connection = True
            return
        super()._write(handler, answer)

    # What happens on YouTube meanwhile ---------------------------------------------------
    def go_live(self, broadcast_id: str) -> None:
        self.broadcasts[broadcast_id]["life"] = "live"

    def finish(self, broadcast_id: str, duration: str = "PT1H2M3S") -> None:
        self.broadcasts[broadcast_id].update(life="complete", duration=duration)

    def revoke(self, broadcast_id: str) -> None:
        self.broadcasts[broadcast_id]["life"] = "revoked"
