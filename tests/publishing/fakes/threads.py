"""A fake Threads API (graph.threads.net) with its authorisation window (threads.net).

    threads = ThreadsFake(app_id="th-app", app_secret="th-s3cret").start()
    threads.host                                   # "http://127.0.0.1:PORT" (token endpoints)
    threads.url                                    # host + "/v1.0" (the API)
    threads.add_user("9001", "chapultepec.gob", token="th-token")   # a 60-day token
    threads.login_as("9001", "chapultepec.gob")    # who signs in on the consent page
    threads.container_polls = 2                    # IN_PROGRESS twice, then FINISHED
    threads.container_error = "FAILED_PROCESSING_VIDEO"   # containers end in ERROR
    threads.advance(hours=25)                      # the clock: containers expire after 24 h,
                                                   # tokens after their 60 days
    threads.rate_limit(times=1, minutes=7)         # 429, code 4, Meta's usage headers
    threads.add_posts("9001", 50)                  # newer posts made by people
    threads.insights_day[("9001", "views")] = 120  # the account's figures for the day
    threads.posts                                  # what was published

Strict as the real service: every image and video is downloaded from the URL given
(a complete JPEG or PNG, an MP4 or MOV, or the container fails); the text is at most
500 characters counted as Threads counts (emoji by UTF-8 bytes) with at most 5 links;
a carousel has 2 to 20 items, all FINISHED; only a FINISHED container is published,
once; an expired token answers error 190; `limit` is capped at 100 and pages follow
the `after` cursor (the answers carry cursors only, as in Meta's examples). Errors have
Graph's shape {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}.
"""

import json
import re
import secrets
import time
import unicodedata
from datetime import UTC, datetime

from tests.publishing.fakes.authorization import HTML, AuthorizationServer
from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg

DAY = 86_400
LONG_LIVED = 60 * DAY
MAX_LIMIT = 100
QUOTA = 250
URL = re.compile(r"https?://[^\s<>\"')\]}]+")
ACCOUNT_METRICS = {"views", "likes", "replies", "reposts", "quotes", "clicks", "followers_count"}
POST_METRICS = {"views", "likes", "replies", "reposts", "quotes", "shares"}
FIRST_INSIGHTS_DAY = 1712991600  # since/until before this do not work (Meta's docs)


def threads_error(status: int, code: int, message: str, subcode: int | None = None) -> Answer:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Th123"}
    if subcode:
        error["error_subcode"] = subcode
    return Answer(status, {"error": error})


def threads_length(text: str) -> int:
    """The fake's own count (not the connector's): a code point after NFC is one, a
    code point of an emoji block (or a joiner/selector inside one) its UTF-8 bytes."""
    total = 0
    for char in unicodedata.normalize("NFC", text):
        point = ord(char)
        emoji = point >= 0x1F000 or 0x2600 <= point <= 0x27BF or point in (0x200D, 0xFE0F)
        total += len(char.encode()) if emoji else 1
    return total


def _time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class ThreadsFake(AuthorizationServer, FakeServer):
    prefix = "/v1.0"

    def __init__(self, app_id: str, app_secret: str, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.app_id, self.app_secret = app_id, app_secret
        self.offset = 0.0  # seconds added to the clock (advance())
        self.users: dict[str, dict] = {}
        self.tokens: dict[
            str, dict
        ] = {}  # token -> {"user", "issued", "expires", "long", "scopes"}
        self.containers: dict[str, dict] = {}
        self.posts: dict[str, dict] = {}
        self.login_user = ""
        self.container_polls = 0  # status reads answered IN_PROGRESS before FINISHED
        self.container_error = ""  # an error_message: containers end in ERROR
        self.quota_usage = 0
        self.insights_day: dict[tuple[str, str], int] = {}  # (user, metric) -> value
        self.post_insights: dict[tuple[str, str], int] = {}  # (media, metric) -> value
        self.refreshes = 0

    # Clock, users, tokens ----------------------------------------------------
    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, *, hours: float = 0, days: float = 0) -> None:
        self.offset += hours * 3600 + days * DAY

    @property
    def host(self) -> str:
        return self.url.removesuffix(self.prefix)

    def add_user(self, user_id: str, username: str, token: str = "", age_days: float = 0) -> None:
        self.users[user_id] = {"id": user_id, "username": username}
        if token:
            issued = self.now() - age_days * DAY
            self.tokens[token] = {
                "user": user_id,
                "issued": issued,
                "expires": issued + LONG_LIVED,
                "long": True,
            }

    def login_as(self, user_id: str, username: str) -> None:
        self.users.setdefault(user_id, {"id": user_id, "username": username})
        self.login_user = user_id

    def rate_limit(self, *, times: int = 1, minutes: int = 5, method: str | None = None) -> None:
        usage = {"call_count": 100, "total_cputime": 40, "total_time": 60}
        business = {
            self.app_id: [
                {
                    "type": "threads",
                    "call_count": 100,
                    "total_cputime": 40,
                    "total_time": 60,
                    "estimated_time_to_regain_access": minutes,
                }
            ]
        }
        answer = threads_error(429, 4, "Application request limit reached")
        headers = {
            "X-App-Usage": json.dumps(usage),
            "X-Business-Use-Case-Usage": json.dumps(business),
        }
        self.fail(429, answer.body, headers, times=times, method=method)

    def server_error(self, *, times: int = 1, method: str | None = None) -> None:
        answer = threads_error(500, 2, "Service temporarily unavailable")
        self.fail(500, answer.body, times=times, method=method)

    def add_posts(self, user_id: str, count: int, text: str = "Otra publicación") -> None:
        for n in range(count):
            self._new_post(user_id, f"{text} {n}", "TEXT", [])

    # Routing -----------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        params = {**request.query, **request.form}
        if request.path == "/oauth/authorize":
            return self._authorize(request, params)
        if request.path == "/oauth/access_token" and request.method == "POST":
            return self._code_for_token(params)
        if request.path == "/access_token" and request.method == "GET":
            return self._exchange(params)
        if request.path == "/refresh_access_token" and request.method == "GET":
            return self._refresh(params)
        grant = self.tokens.get(params.get("access_token", ""))
        if grant is None or grant["expires"] <= self.now():
            return threads_error(
                400, 190, "Error validating access token: Session has expired.", subcode=463
            )
        parts = [p for p in request.path.split("/") if p]
        if parts == ["debug_token"] and request.method == "GET":
            return self._debug(params)
        if parts and parts[0] == "me":
            parts[0] = grant["user"]
        return self._api(request.method, parts, params, grant)

    def _api(self, method: str, parts: list[str], params: dict, grant: dict) -> Answer:
        if len(parts) == 1 and method == "GET":
            return self._node(parts[0], params, grant)
        if len(parts) != 2:
            return threads_error(400, 100, f"Unsupported {method} request.", subcode=33)
        node, edge = parts
        own = node == grant["user"]
        handlers = {
            ("POST", "threads"): self._create,
            ("GET", "threads"): self._list,
            ("POST", "threads_publish"): self._publish,
            ("GET", "threads_publishing_limit"): self._limit,
            ("GET", "threads_insights"): self._user_insights,
        }
        if (method, edge) == ("GET", "insights") and self.posts.get(node, {}).get("user") == (
            grant["user"]
        ):
            return self._media_insights(node, params)
        handler = handlers.get((method, edge))
        if handler is None or not own:
            return threads_error(400, 100, f"Unsupported {method} request.", subcode=33)
        return handler(node, params)

    def _node(self, node: str, params: dict, grant: dict) -> Answer:
        if node in self.users and node == grant["user"]:
            return Answer(200, dict(self.users[node]))
        if node in self.containers and self.containers[node]["user"] == grant["user"]:
            return self._status(node)
        post = self.posts.get(node)
        if post and post["user"] == grant["user"]:
            fields = params.get("fields", "id").split(",")
            return Answer(200, {f: post.get(f) for f in ["id", *fields] if f in post})
        return threads_error(400, 100, "Object does not exist or cannot be loaded", subcode=33)

    # Containers --------------------------------------------------------------
    def _create(self, user: str, p: dict) -> Answer:
        media_type = p.get("media_type", "")
        text = p.get("text", "")
        if media_type not in ("TEXT", "IMAGE", "VIDEO", "CAROUSEL"):
            return threads_error(400, 100, "(#100) Param media_type must be one of TEXT, IMAGE…")
        if threads_length(text) > 500:
            return threads_error(400, 100, "(#100) Param text must be at most 500 characters long")
        if len(set(URL.findall(text))) > 5:
            return threads_error(400, 100, "THREADS_API__LINK_LIMIT_EXCEEDED")
        carousel_item = p.get("is_carousel_item") == "true"
        if media_type == "TEXT" and (carousel_item or not text):
            return threads_error(400, 100, "(#100) text is required for media_type=TEXT")
        if media_type == "CAROUSEL":
            problem = self._children(user, p.get("children", ""))
            if problem:
                return problem
        error = ""
        if media_type == "IMAGE" and not self._download(p.get("image_url", ""), video=False):
            return threads_error(400, 100, "(#100) The image could not be downloaded.")
        if media_type == "VIDEO" and not self._download(p.get("video_url", ""), video=True):
            error = "FAILED_DOWNLOADING_VIDEO"  # videos are fetched while processing
        container_id = self.next_id()
        self.containers[container_id] = {
            "user": user,
            "params": p,
            "polls": 0,
            "created": self.now(),
            "error": error,
            "published": "",
        }
        return Answer(200, {"id": container_id})

    def _children(self, user: str, children: str) -> Answer | None:
        ids = [c for c in children.split(",") if c]
        if not 2 <= len(ids) <= 20:
            return threads_error(400, 100, "(#100) A carousel has 2 to 20 children")
        for child in ids:
            container = self.containers.get(child)
            if container is None or container["user"] != user:
                return threads_error(400, 100, f"(#100) Invalid child {child}")
            if container["params"].get("is_carousel_item") != "true":
                return threads_error(400, 100, f"(#100) {child} is not a carousel item")
            if self._state(container) != "FINISHED":
                return threads_error(400, 24, "The media is not ready to be used in a carousel")
        return None

    def _download(self, url: str, video: bool) -> bool:
        """Threads fetches the file itself and refuses what it cannot read whole."""
        if not url.startswith(("http://", "https://")):
            return False
        fetched = self.fetch(url)
        if fetched is None:
            return False
        kind, body = fetched
        if video:
            return kind.startswith(("video/mp4", "video/quicktime")) and body[4:8] == b"ftyp"
        if len(body) > 8 * 1024 * 1024:
            return False
        if kind.startswith("image/png"):
            return body[:8] == b"\x89PNG\r\n\x1a\n" and body[-8:-4] == b"IEND"
        return kind.startswith("image/jpeg") and complete_jpeg(body)

    def _state(self, container: dict) -> str:
        if container["published"]:
            return "PUBLISHED"
        if self.now() - container["created"] > DAY:
            return "EXPIRED"
        if container["error"] or self.container_error:
            return "ERROR"
        return "FINISHED" if container["polls"] >= self.container_polls else "IN_PROGRESS"

    def _status(self, container_id: str) -> Answer:
        container = self.containers[container_id]
        state = self._state(container)
        container["polls"] += 1
        body = {"id": container_id, "status": state}
        if state == "ERROR":
            body["error_message"] = container["error"] or self.container_error
        return Answer(200, body)

    def _publish(self, user: str, p: dict) -> Answer:
        container = self.containers.get(p.get("creation_id", ""))
        if container is None or container["user"] != user:
            return threads_error(400, 100, "(#100) Invalid creation_id")
        if container["params"].get("is_carousel_item") == "true":
            return threads_error(400, 100, "(#100) A carousel item cannot be published alone")
        state = self._state(container)
        if state != "FINISHED":
            return threads_error(400, 24, f"The media is not ready for publishing ({state})")
        if self.quota_usage >= QUOTA:
            return threads_error(400, 4, "Threads publishing limit reached", subcode=2207042)
        params = container["params"]
        children = [c for c in params.get("children", "").split(",") if c]
        media_id = self._new_post(user, params.get("text", ""), params["media_type"], children)
        container["published"] = media_id
        self.quota_usage += 1
        return Answer(200, {"id": media_id})

    def _new_post(self, user: str, text: str, media_type: str, children: list[str]) -> str:
        media_id = self.next_id()
        username = self.users[user]["username"]
        self.posts[media_id] = {
            "id": media_id,
            "user": user,
            "text": text,
            "media_type": "CAROUSEL_ALBUM" if media_type == "CAROUSEL" else media_type,
            "children": children,
            "timestamp": _time(self.now()),
            "epoch": self.now(),
            "permalink": f"https://www.threads.net/@{username}/post/F{media_id}",
        }
        return media_id

    def _limit(self, user: str, p: dict) -> Answer:
        config = {"quota_total": QUOTA, "quota_duration": DAY}
        return Answer(200, {"data": [{"quota_usage": self.quota_usage, "config": config}]})

    # Reading -----------------------------------------------------------------
    def _list(self, user: str, p: dict) -> Answer:
        """GET /{user}/threads: newest first; since/until (epoch seconds); limit (25 by
        default, at most 100); the `after` cursor; cursors only in `paging`."""
        since = float(p.get("since") or 0)
        until = float(p.get("until") or 1e12)
        fields = ["id", *[f for f in p.get("fields", "id").split(",") if f != "id"]]
        items = [
            post
            for post in reversed(self.posts.values())
            if post["user"] == user and since <= post["epoch"] <= until
        ]
        limit = min(int(p.get("limit") or 25), MAX_LIMIT)
        start = 0
        if p.get("after"):
            ids = [item["id"] for item in items]
            start = ids.index(p["after"]) + 1 if p["after"] in ids else len(items)
        chunk = items[start : start + limit]
        body: dict = {"data": [{f: item[f] for f in fields if f in item} for item in chunk]}
        if chunk:
            body["paging"] = {"cursors": {"before": chunk[0]["id"], "after": chunk[-1]["id"]}}
        return Answer(200, body)

    def _user_insights(self, user: str, p: dict) -> Answer:
        metrics = [m for m in p.get("metric", "").split(",") if m]
        if not metrics or any(m not in ACCOUNT_METRICS for m in metrics):
            return threads_error(
                400, 100, "(#100) metric must be one of " + ", ".join(sorted(ACCOUNT_METRICS))
            )
        since, until = int(p.get("since") or 0), int(p.get("until") or 0)
        if (since or until) and (since < FIRST_INSIGHTS_DAY or until <= since):
            return threads_error(400, 100, "(#100) since and until must be a valid range")
        data = []
        for metric in metrics:
            value = self.insights_day.get((user, metric), 0)
            item = {"name": metric, "period": "day", "title": metric, "id": f"{user}/{metric}"}
            if metric == "views":  # a daily series
                item["values"] = [{"value": value, "end_time": _time(until or self.now())}]
            else:
                item["total_value"] = {"value": value}
            data.append(item)
        return Answer(200, {"data": data})

    def _media_insights(self, media_id: str, p: dict) -> Answer:
        metrics = [m for m in p.get("metric", "").split(",") if m]
        if not metrics or any(m not in POST_METRICS for m in metrics):
            return threads_error(
                400, 100, "(#100) metric must be one of " + ", ".join(sorted(POST_METRICS))
            )
        data = [
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": self.post_insights.get((media_id, m), 0)}],
                "title": m,
                "id": f"{media_id}/insights/{m}/lifetime",
            }
            for m in metrics
        ]
        return Answer(200, {"data": data})

    # Authorisation -------------------------------------------------------------
    def _authorize(self, request: Recorded, p: dict) -> Answer:
        if request.method == "GET":
            if p.get("client_id") != self.app_id or p.get("response_type") != "code":
                return Answer(400, "Invalid app ID or response type", HTML)
            if not p.get("redirect_uri") or not p.get("state"):
                return Answer(400, "redirect_uri and state are required", HTML)
            return self.consent_screen(p, f"{self.host}/oauth/authorize", ",")
        return self.consent_answer(request, user=self.login_user)

    def _code_for_token(self, p: dict) -> Answer:
        if p.get("client_id") != self.app_id or p.get("client_secret") != self.app_secret:
            return threads_error(400, 1, "Invalid Client ID or secret")
        if p.get("grant_type") != "authorization_code":
            return threads_error(400, 100, "(#100) grant_type must be authorization_code")
        grant = self.take_code(p)
        if grant is None:
            return threads_error(400, 100, "Invalid verification code format.", subcode=36007)
        token = self._issue(grant["user"], 3600, long=False, scopes=grant["scopes"])
        return Answer(200, {"access_token": token, "user_id": int(grant["user"])})

    def _exchange(self, p: dict) -> Answer:
        if p.get("grant_type") != "th_exchange_token" or p.get("client_secret") != self.app_secret:
            return threads_error(400, 1, "Invalid grant_type or client_secret")
        short = self.tokens.get(p.get("access_token", ""))
        if short is None or short["long"] or short["expires"] <= self.now():
            return threads_error(400, 190, "Invalid OAuth access token.")
        token = self._issue(short["user"], LONG_LIVED, long=True, scopes=short.get("scopes"))
        return Answer(
            200, {"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED}
        )

    def _refresh(self, p: dict) -> Answer:
        """th_refresh_token: a long-lived token at least 24 hours old and not expired."""
        old = self.tokens.get(p.get("access_token", ""))
        if p.get("grant_type") != "th_refresh_token" or old is None or not old["long"]:
            return threads_error(400, 190, "Invalid OAuth access token.")
        if old["expires"] <= self.now():
            return threads_error(400, 190, "Error validating access token: Session has expired.")
        if self.now() - old["issued"] < DAY:
            return threads_error(400, 10, "The token must be at least 24 hours old to refresh")
        self.refreshes += 1
        token = self._issue(old["user"], LONG_LIVED, long=True, scopes=old.get("scopes"))
        return Answer(
            200, {"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED}
        )

    def _debug(self, p: dict) -> Answer:
        """GET /debug_token: what a token may do (its owner inspecting it)."""
        grant = self.tokens.get(p.get("input_token", ""))
        if grant is None:
            return threads_error(400, 190, "Invalid input_token")
        data = {
            "type": "USER",
            "is_valid": grant["expires"] > self.now(),
            "expires_at": int(grant["expires"] - self.offset),
            "issued_at": int(grant["issued"] - self.offset),
            "scopes": sorted(grant.get("scopes") or ()),
            "user_id": grant["user"],
        }
        return Answer(200, {"data": data})

    def _issue(self, user: str, seconds: int, *, long: bool, scopes) -> str:
        token = f"th-{secrets.token_hex(8)}"
        now = self.now()
        self.tokens[token] = {
            "user": user,
            "issued": now,
            "expires": now + seconds,
            "long": long,
            "scopes": set(scopes or ()),
        }
        return token
