"""A fake TikTok: Login Kit v2, the Content Posting API and the Display API, as strict
as TikTok's docs say it is.

    tt = TikTokFake("tt-key", "tt-s3cret").start()
    tt.add_user("open-1", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
    tt.login_as("open-1")                    # who approves on the authorisation screen
    tt.audited = False                       # direct posts: 403 unaudited_client_...
    tt.processing_polls = 1                  # status says PROCESSING_UPLOAD once first
    tt.min_chunk, tt.max_chunk, tt.max_last_chunk   # chunk rules (5/64/128 MB by default)
    tt.expire_access_token("at-1")           # 401 access_token_invalid until refreshed
    tt.rate_limit(times=1)                   # 429 rate_limit_exceeded
    tt.creator_posts(publish_id)             # the person publishes an inbox draft in the app
    tt.add_videos("open-1", 50)              # newer videos made by people on the account
    tt.videos / tt.publishes                 # what is on the account / every publish job

Every answer has TikTok's envelope {"data": …, "error": {"code", "message", "log_id"}}.
Chunks must arrive in order with Content-Range matching the declared plan; photos
(PULL_FROM_URL) are really downloaded from the given URLs and must be complete
JPEGs; refresh tokens are single-use (the old one answers invalid_grant);
video/list pages with max_count ≤ 20 and a cursor (create time in ms).
"""

import re
import time

import httpx

from tests.publishing.fakes.authorization import HTML, RotatingTokens, hex256, oauth_error
from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg

MB = 1024 * 1024
PRIVACY = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
AUTHORIZE = "/v2/auth/authorize/"


def ok(data: dict) -> Answer:
    return Answer(200, {"data": data, "error": {"code": "ok", "message": "", "log_id": "log"}})


def tt_error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"data": {}, "error": {"code": code, "message": message, "log_id": "l"}})


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TikTokFake(RotatingTokens, FakeServer):
    def __init__(self, client_key: str, client_secret: str, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.client_key, self.client_secret = client_key, client_secret
        self.users: dict[str, dict] = {}  # access_tokens and refresh_tokens: -> open_id
        self.login_user = ""
        self.audited = True
        self.processing_polls = 0
        self.creator: dict = {
            "privacy_level_options": list(PRIVACY),
            "comment_disabled": False,
            "duet_disabled": True,
            "stitch_disabled": False,
            "max_video_post_duration_sec": 600,
        }
        self.min_chunk, self.max_chunk, self.max_last_chunk = 5 * MB, 64 * MB, 128 * MB
        self.publishes: dict[str, dict] = {}
        self.videos: list[dict] = []  # oldest first
        self.figures: dict[str, dict] = {}  # video id -> view/like/comment/share counts
        self._clock_ms = int(time.time() * 1000)

    # Set-up and knobs --------------------------------------------------------
    def add_user(self, open_id: str, username: str, *, access_token: str, refresh_token: str):
        self.users[open_id] = {
            "open_id": open_id,
            "display_name": "Gobierno de Chapultepec",
            "username": username,
            "follower_count": 6900,
        }
        self.access_tokens[access_token] = open_id
        self.refresh_tokens[refresh_token] = open_id

    def login_as(self, open_id: str) -> None:
        self.login_user = open_id

    def rate_limit(self, *, times: int = 1, retry_after: int | None = None) -> None:
        answer = tt_error(429, "rate_limit_exceeded", "API rate limit was exceeded.")
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        self.fail(429, answer.body, headers, times=times)

    def creator_posts(self, publish_id: str, caption: str = "") -> dict:
        """The person opens the inbox draft in the app and posts it (pasting the caption)."""
        with self.lock:
            job = self.publishes[publish_id]
            assert job["status"] == "SEND_TO_USER_INBOX", job["status"]
            return self._published(job, caption or job.get("title") or "Desde la app")

    def add_videos(self, open_id: str, count: int, text: str = "Otro video") -> None:
        for n in range(count):
            self._add_video(open_id, f"{text} {n}", "")

    def _now_ms(self) -> int:
        self._clock_ms = max(self._clock_ms + 1, int(time.time() * 1000))
        return self._clock_ms

    def _add_video(self, open_id: str, title: str, description: str, photo=False) -> dict:
        video_id = str(7_400_000_000_000_000_000 + len(self.videos) + 1)
        created = self._now_ms()
        kind = "photo" if photo else "video"
        video = {
            "id": video_id,
            "title": title,
            "video_description": description or title,
            "create_ms": created,
            "open_id": open_id,
            "share_url": f"https://www.tiktok.com/@{self.users[open_id]['username']}/{kind}/{video_id}",
        }
        self.videos.append(video)
        self.figures[video_id] = {
            "view_count": 100 + len(self.videos),
            "like_count": 50,
            "comment_count": 7,
            "share_count": 3,
        }
        return video

    # Routing -----------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        path = request.path
        if path == AUTHORIZE:
            return (
                self._authorize(request.query)
                if request.method == "GET"
                else self.consent_answer(request, open_id=self.login_user)
            )
        if path == "/v2/oauth/token/":
            return self._token(request.form)
        if path.startswith("/upload/") and request.method == "PUT":
            return self._chunk(path.split("/")[2], request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        open_id = self.access_tokens.get(token)
        if open_id is None:
            return tt_error(
                401, "access_token_invalid", "The access token is invalid or not found."
            )
        return self._api(request, open_id)

    def _api(self, request: Recorded, open_id: str) -> Answer:
        routes = {
            ("GET", "/v2/user/info/"): self._user_info,
            ("POST", "/v2/post/publish/creator_info/query/"): self._creator_info,
            ("POST", "/v2/post/publish/video/init/"): self._video_init,
            ("POST", "/v2/post/publish/inbox/video/init/"): self._inbox_init,
            ("POST", "/v2/post/publish/content/init/"): self._content_init,
            ("POST", "/v2/post/publish/status/fetch/"): self._status,
            ("POST", "/v2/video/list/"): self._list,
            ("POST", "/v2/video/query/"): self._query,
        }
        handler = routes.get((request.method, request.path))
        if handler is None:
            return tt_error(404, "invalid_params", f"Unknown endpoint {request.path}")
        return handler(request, open_id)

    # OAuth -------------------------------------------------------------------
    def _authorize(self, q: dict) -> Answer:
        if q.get("client_key") != self.client_key or q.get("response_type") != "code":
            return Answer(400, "client_key: invalid", HTML)
        if q.get("code_challenge_method") != "S256" or not q.get("state"):
            return Answer(400, "PKCE and state are required.", HTML)
        return self.consent_screen(q, f"{self.url}{AUTHORIZE}", ",")

    def code_answer(self, grant: dict) -> dict:
        return {"scopes": ",".join(grant["scopes"])}

    def _token(self, form: dict) -> Answer:
        if (
            form.get("client_key") != self.client_key
            or form.get("client_secret") != self.client_secret
        ):
            return oauth_error(
                401, "invalid_client", "Client key or secret is incorrect.", log_id="l"
            )
        if form.get("grant_type") == "refresh_token":
            open_id = self.take_refresh_token(form.get("refresh_token", ""))
            if open_id is None:
                return oauth_error(
                    400, "invalid_grant", "Refresh token is invalid or expired.", log_id="l"
                )
            return self._tokens(open_id, "user.info.basic,video.publish,video.upload,video.list")
        grant = self.take_code(form)
        if grant is None:
            return oauth_error(400, "invalid_grant", "Authorization code is expired.", log_id="l")
        if not self.verifier_matches(grant, form, hex256):
            return oauth_error(
                400, "invalid_request", "Code verifier or code challenge is invalid.", log_id="l"
            )
        return self._tokens(grant["open_id"], ",".join(grant["scopes"]))

    def _tokens(self, open_id: str, scope: str) -> Answer:
        access, refresh = self.new_tokens(("act.", "rft."), open_id, open_id)
        return Answer(
            200,
            {
                "access_token": access,
                "expires_in": 86400,
                "open_id": open_id,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": scope,
                "token_type": "Bearer",
            },
        )

    # Display API -------------------------------------------------------------
    def _user_info(self, request: Recorded, open_id: str) -> Answer:
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        if not fields:
            return tt_error(400, "invalid_params", "fields is required")
        user = self.users[open_id]
        return ok({"user": {f: user[f] for f in fields if f in user}})

    def _list(self, request: Recorded, open_id: str) -> Answer:
        if not request.query.get("fields"):
            return tt_error(400, "invalid_params", "fields is required")
        self._finish_uploaded()  # TikTok goes on processing whether or not anyone polls
        body = request.json
        count = body.get("max_count", 10)
        if not isinstance(count, int) or not 1 <= count <= 20:
            return tt_error(400, "invalid_params", "max_count must be between 1 and 20")
        cursor = body.get("cursor") or 10**15
        mine = [
            v for v in reversed(self.videos) if v["open_id"] == open_id and v["create_ms"] < cursor
        ]
        page = mine[:count]
        videos = [self._shown(v) for v in page]
        next_cursor = page[-1]["create_ms"] if page else cursor
        return ok({"videos": videos, "cursor": next_cursor, "has_more": len(mine) > count})

    def _shown(self, video: dict) -> dict:
        shown = {k: v for k, v in video.items() if k not in ("create_ms", "open_id")}
        return {**shown, "create_time": video["create_ms"] // 1000}

    def _query(self, request: Recorded, open_id: str) -> Answer:
        ids = (request.json.get("filters") or {}).get("video_ids") or []
        if not ids or len(ids) > 20:
            return tt_error(400, "invalid_params", "video_ids must hold 1 to 20 ids")
        mine = {v["id"] for v in self.videos if v["open_id"] == open_id}
        return ok({"videos": [{"id": i, **self.figures[i]} for i in ids if i in mine]})

    # Content Posting API -----------------------------------------------------
    def _creator_info(self, request: Recorded, open_id: str) -> Answer:
        user = self.users[open_id]
        return ok(
            {
                "creator_avatar_url": "https://p16.tiktokcdn.com/avatar.jpeg",
                "creator_username": user["username"],
                "creator_nickname": user["display_name"],
                **self.creator,
            }
        )

    def _post_info(self, info: dict | None, title_limit: int = 2200) -> Answer | None:
        if not info:
            return tt_error(400, "invalid_params", "post_info is required")
        if info.get("privacy_level") not in self.creator["privacy_level_options"]:
            return tt_error(
                400,
                "privacy_level_option_mismatch",
                "privacy_level is not among the creator's options",
            )
        if utf16(info.get("title", "")) > title_limit:
            return tt_error(400, "invalid_params", "title is too long")
        if self.creator["comment_disabled"] and not info.get("disable_comment"):
            return tt_error(400, "invalid_params", "comments are disabled by the creator")
        if not self.audited:
            return tt_error(
                403,
                "unaudited_client_can_only_post_to_private_accounts",
                "Please review our integration guidelines",
            )
        return None

    def _plan(self, source: dict) -> str:
        """What is wrong with a FILE_UPLOAD plan by TikTok's chunk rules ("" if nothing)."""
        if source.get("source") != "FILE_UPLOAD":
            return "only FILE_UPLOAD here"
        size, chunk, count = (
            source.get(k) for k in ("video_size", "chunk_size", "total_chunk_count")
        )
        if not all(isinstance(v, int) and v > 0 for v in (size, chunk, count)):
            return "video_size, chunk_size and total_chunk_count are required"
        if size < self.min_chunk and (chunk != size or count != 1):
            return "a file under the minimum chunk size goes whole"
        if size >= self.min_chunk and not self.min_chunk <= chunk <= self.max_chunk:
            return "chunk_size out of range"
        if count != size // chunk or not 1 <= count <= 1000:
            return "total_chunk_count must be video_size // chunk_size"
        if size - chunk * (count - 1) > self.max_last_chunk:
            return "the last chunk is too big"
        return ""

    def _video_init(self, request: Recorded, open_id: str) -> Answer:
        body = request.json
        refused = self._post_info(body.get("post_info"))
        if refused:
            return refused
        return self._file_job(body.get("source_info") or {}, open_id, "direct", body["post_info"])

    def _inbox_init(self, request: Recorded, open_id: str) -> Answer:
        return self._file_job(request.json.get("source_info") or {}, open_id, "inbox", {})

    def _file_job(self, source: dict, open_id: str, mode: str, info: dict) -> Answer:
        wrong = self._plan(source)
        if wrong:
            return tt_error(400, "invalid_params", wrong)
        publish_id = f"v_pub_file~v2-1.{self.next_id()}"
        self.publishes[publish_id] = {
            "publish_id": publish_id,
            "mode": mode,
            "open_id": open_id,
            "status": "PROCESSING_UPLOAD",
            "size": source["video_size"],
            "chunk": source["chunk_size"],
            "count": source["total_chunk_count"],
            "received": bytearray(),
            "chunks": 0,
            "title": info.get("title", ""),
            "polls": self.processing_polls,
            "photo": False,
        }
        upload_url = f"http://127.0.0.1:{self._server.server_address[1]}/upload/{publish_id}/"
        return ok({"publish_id": publish_id, "upload_url": upload_url})

    def _chunk(self, publish_id: str, request: Recorded) -> Answer:
        job = self.publishes.get(publish_id)
        if job is None or job["chunks"] >= job["count"]:
            return tt_error(404, "invalid_params", "upload_url is not valid")
        match = RANGE.fullmatch(request.headers.get("content-range", ""))
        if not match:
            return tt_error(400, "invalid_params", "Content-Range is required")
        first, last, total = (int(g) for g in match.groups())
        final = job["chunks"] == job["count"] - 1
        expected = job["size"] - len(job["received"]) if final else job["chunk"]
        if total != job["size"] or first != len(job["received"]) or last - first + 1 != expected:
            return tt_error(416, "invalid_params", "Content-Range does not follow the upload plan")
        if len(request.body) != expected:
            return tt_error(400, "invalid_params", "the body does not match Content-Range")
        job["received"] += request.body
        job["chunks"] += 1
        if not final:
            return Answer(206, b"")
        job["uploaded_at"] = time.time()
        if job["mode"] == "inbox" and not job["polls"]:
            job["status"] = "SEND_TO_USER_INBOX"
        return Answer(201, b"")

    def _content_init(self, request: Recorded, open_id: str) -> Answer:
        body = request.json
        mode = body.get("post_mode")
        source = body.get("source_info") or {}
        images = source.get("photo_images") or []
        if body.get("media_type") != "PHOTO" or mode not in ("DIRECT_POST", "MEDIA_UPLOAD"):
            return tt_error(400, "invalid_params", "media_type PHOTO and a post_mode are required")
        if source.get("source") != "PULL_FROM_URL" or not 1 <= len(images) <= 35:
            return tt_error(400, "invalid_params", "PULL_FROM_URL with 1 to 35 photo_images")
        if not 0 <= source.get("photo_cover_index", -1) < len(images):
            return tt_error(400, "invalid_params", "photo_cover_index is out of range")
        info = body.get("post_info") or {}
        if utf16(info.get("title", "")) > 90 or utf16(info.get("description", "")) > 4000:
            return tt_error(400, "invalid_params", "title or description too long")
        if mode == "DIRECT_POST":
            refused = self._post_info(info, title_limit=90)
            if refused:
                return refused
        publish_id = f"p_pub_url~v2-1.{self.next_id()}"
        pulled = all(self._pull(url) for url in images)
        self.publishes[publish_id] = {
            "publish_id": publish_id,
            "mode": "direct" if mode == "DIRECT_POST" else "inbox",
            "open_id": open_id,
            "status": "PROCESSING_DOWNLOAD" if pulled else "FAILED",
            "fail_reason": "" if pulled else "photo_pull_failed",
            "title": info.get("title", ""),
            "description": info.get("description", ""),
            "polls": self.processing_polls,
            "photo": True,
            "images": images,
            "uploaded_at": time.time(),
        }
        return ok({"publish_id": publish_id})

    def _pull(self, url: str) -> bool:
        """TikTok downloads each photo itself: it must answer 200 with a whole JPEG."""
        try:
            answer = httpx.get(url, timeout=5.0)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and complete_jpeg(answer.content)

    def _status(self, request: Recorded, open_id: str) -> Answer:
        job = self.publishes.get(request.json.get("publish_id", ""))
        if job is None or job["open_id"] != open_id:
            return tt_error(400, "invalid_publish_id", "publish_id does not exist")
        self._advance(job)
        data = {"status": job["status"], "uploaded_bytes": len(job.get("received", b""))}
        if job["status"] == "FAILED":
            data["fail_reason"] = job["fail_reason"]
        if job["status"] == "PUBLISH_COMPLETE":
            data["publicaly_available_post_id"] = [int(job["video_id"])]
        return ok(data)

    def _finish_uploaded(self) -> None:
        for job in self.publishes.values():
            job["polls"] = 0
            self._advance(job)

    def _advance(self, job: dict) -> None:
        if job["status"] not in ("PROCESSING_UPLOAD", "PROCESSING_DOWNLOAD"):
            return
        if not job.get("uploaded_at"):  # bytes still missing
            return
        if job["polls"] > 0:
            job["polls"] -= 1
            return
        if job["mode"] == "inbox":
            job["status"] = "SEND_TO_USER_INBOX"
        else:
            self._published(job, job["title"])

    def _published(self, job: dict, title: str) -> dict:
        description = job.get("description", "") if job["photo"] else title
        video = self._add_video(job["open_id"], title, description, photo=job["photo"])
        job["status"], job["video_id"] = "PUBLISH_COMPLETE", video["id"]
        return video
