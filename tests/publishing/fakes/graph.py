"""A fake Meta Graph API: Facebook Pages and Instagram content publishing.

    graph = GraphFake().start()
    graph.url                                  # "http://127.0.0.1:PORT/v23.0"
    graph.add_page("111", "Gobierno de Chapultepec", token="page-token")
    graph.add_instagram("178", "chapultepec.gob", token="ig-token")
    graph.expire_token("page-token")           # next calls answer error 190
    graph.rate_limit(times=1, code=32, minutes=5)
    graph.server_error(times=1)                # HTTP 500, error code 2
    graph.container_polls = 2                  # IN_PROGRESS twice, then FINISHED
    graph.container_seconds = 2.0              # or: FINISHED 2 s after creation
    graph.container_error = True               # containers end in ERROR
    graph.quota_usage = 100                    # content_publishing_limit is used up
    graph.fetch_images = True                  # download each image_url, as Meta does
    graph.detect_duplicates = False            # accept the same message twice (benchmarks)
    graph.add_posts("111", 50)                 # 50 newer posts made by people on the page
    graph.swallow(path="/feed")                # post created, connection closed unanswered
    graph.posts / graph.photos / graph.media   # what was published
    graph.videos                               # page videos, with their captions
    graph.demographics[("178", "follower_demographics", "city")] = {"Toluca, México": 40}
    graph.page_insights[("111", "page_follows_city")] = {"Toluca, México": 120}
    graph.retired_metrics.add("page_follows_city")   # answers (#100) invalid metric
    graph.live_videos                          # scheduled live videos (see «Live videos»)
    graph.go_live(live_id)                     # the encoder connected: LIVE
    graph.interrupt(live_id)                   # the ingest stopped mid-way: still LIVE
    graph.end_live(live_id, mp4_bytes)         # ended: PROCESSING, then VOD with its video
    graph.expire(live_id)                      # never started: SCHEDULED_EXPIRED
    graph.cut_downloads = 1000                 # the next recording download stops there
    graph.stop()

Errors follow the documented shape {"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}; posting the same message twice within an hour
answers 506 "Duplicate status message", as Pages do.
"""

import json
import time
from datetime import UTC, datetime, timedelta

from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg, page

MAX_LIMIT = 100  # Graph caps `limit` on edges
# Page metrics Meta retired (invalid metric error on every version since 2024/2025).
RETIRED_PAGE_METRICS = {
    "page_fans",
    "page_fans_city",
    "page_fans_country",
    "page_fans_gender_age",
    "page_fans_locale",
    "page_impressions",
}
IG_DEMOGRAPHICS = {"follower_demographics", "engaged_audience_demographics"}
IG_BREAKDOWNS = {"age", "gender", "city", "country"}
IG_TIMEFRAMES = {"this_week", "this_month"}  # the only ones accepted since v20

RATE_LIMIT_MESSAGES = {
    4: "Application request limit reached",
    17: "User request limit reached",
    32: "Page request limit reached",
    613: "Calls to this api have exceeded the rate limit.",
}


def graph_error(status: int, code: int, message: str, subcode: int | None = None) -> Answer:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        error["error_subcode"] = subcode
    return Answer(status, {"error": error})


def _whole_image(data: bytes) -> bool:
    """Meta decodes what it receives: an empty or cut JPEG (or PNG) is refused."""
    if data[:2] == b"\xff\xd8":
        return complete_jpeg(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return data[-8:-4] == b"IEND"
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


class GraphFake(FakeServer):
    prefix = "/v23.0"

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.tokens: dict[str, str] = {}  # token -> page or Instagram user id
        self.pages: dict[str, dict] = {}
        self.instagram_users: dict[str, dict] = {}
        self.posts: dict[str, dict] = {}
        self.photos: dict[str, dict] = {}
        self.videos: dict[str, dict] = {}
        self.containers: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.container_polls = 1
        self.container_seconds = 0.0  # > 0: FINISHED that long after creation instead
        self.container_error = False
        self.quota_usage = 0
        self.quota_total = 100
        self.fetch_images = False
        self.detect_duplicates = True
        # Insights: (ig user, metric, breakdown) -> {value: people}; (page, metric) -> value
        self.demographics: dict[tuple[str, str, str], dict] = {}
        self.page_insights: dict[tuple[str, str], object] = {}
        self.retired_metrics: set[str] = set(RETIRED_PAGE_METRICS)
        self.live_videos: dict[str, dict] = {}
        self.processing_polls = 1  # reads of an ended live video still PROCESSING
        self.cdn_files: dict[str, bytes] = {}  # video id -> the recording's bytes
        self.cut_downloads = 0  # > 0: the next CDN answers stop after that many bytes

    # Set-up and knobs ------------------------------------------------------
    def add_page(self, page_id: str, name: str, token: str) -> None:
        self.pages[page_id] = {"id": page_id, "name": name}
        self.tokens[token] = page_id

    def add_instagram(self, user_id: str, username: str, token: str) -> None:
        self.instagram_users[user_id] = {"id": user_id, "username": username}
        self.tokens[token] = user_id

    def expire_token(self, token: str) -> None:
        self.tokens.pop(token, None)

    def rate_limit(self, *, times: int = 1, code: int = 32, minutes: int = 5) -> None:
        usage = {
            "1234567890": [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 20,
                    "total_time": 30,
                    "estimated_time_to_regain_access": minutes,
                }
            ]
        }
        answer = graph_error(400, code, RATE_LIMIT_MESSAGES.get(code, "Rate limit reached"))
        headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
        self.fail(answer.status, answer.body, headers, times=times)

    def server_error(self, *, times: int = 1) -> None:
        answer = graph_error(500, 2, "Service temporarily unavailable")
        self.fail(500, answer.body, times=times)

    # Routing -----------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        if request.path.startswith("/cdn/"):
            return self._cdn(request)  # a video's `source`: a CDN address, no token
        params = {**request.query, **request.form}
        owner = self.tokens.get(params.get("access_token", ""))
        if owner is None:
            return graph_error(
                400, 190, "Error validating access token: Session has expired.", subcode=463
            )
        parts = [p for p in request.path.split("/") if p]
        handler = self._handler(request.method, parts)
        if handler is None:
            return graph_error(400, 100, f"Unsupported {request.method} request.", subcode=33)
        return handler(parts, params, request)

    def _handler(self, method: str, parts: list[str]):
        if len(parts) == 1 and method in ("POST", "DELETE"):
            return self._update_live_video if method == "POST" else self._delete_live_video
        if len(parts) == 1:
            return self._get_node if method == "GET" else None
        edges = {
            ("POST", "feed"): self._create_post,
            ("GET", "feed"): self._list_posts,
            ("POST", "photos"): self._create_photo,
            ("POST", "videos"): self._create_video,
            ("POST", "captions"): self._add_captions,
            ("POST", "media"): self._create_container,
            ("GET", "media"): self._list_media,
            ("POST", "media_publish"): self._publish_container,
            ("GET", "content_publishing_limit"): self._publishing_limit,
            ("GET", "insights"): self._insights,
            ("POST", "live_videos"): self._create_live_video,
        }
        return edges.get((method, parts[1])) if len(parts) == 2 else None

    def _get_node(self, parts, params, request) -> Answer:
        node_id = parts[0]
        if node_id in self.live_videos:
            return self._live_video_node(node_id, params)
        for table in (self.pages, self.instagram_users, self.posts, self.media, self.videos):
            if node_id in table:
                return Answer(200, {"id": node_id, **table[node_id]})
        if node_id in self.containers:
            return self._container_status(node_id)
        return graph_error(400, 100, "Object does not exist or cannot be loaded", subcode=33)

    # Pages -------------------------------------------------------------------
    def _create_post(self, parts, params, request) -> Answer:
        page_id, message = parts[0], params.get("message", "")
        if page_id not in self.pages:
            return graph_error(400, 100, "Invalid page id", subcode=33)
        if not message and not params.get("link") and "attached_media[0]" not in params:
            return graph_error(400, 100, "(#100) Missing message or attachment")
        if self._is_duplicate(page_id, message):
            return graph_error(400, 506, "(#506) Duplicate status message", subcode=1455006)
        attached = self._attached_photos(params)
        if attached is None:
            return graph_error(400, 100, "(#100) attached_media must be unpublished photos")
        post_id = f"{page_id}_{self.next_id()}"
        self.posts[post_id] = {
            "message": message,
            "link": params.get("link", ""),
            "attached_media": attached,
            "created_time": _time(datetime.now(UTC)),
            "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post_id.split('_')[1]}",
        }
        return Answer(200, {"id": post_id})

    def _is_duplicate(self, page_id: str, message: str) -> bool:
        recent = _time(datetime.now(UTC) - timedelta(hours=1))
        return (
            self.detect_duplicates
            and bool(message)
            and any(
                post_id.startswith(f"{page_id}_")
                and post["message"] == message
                and post["created_time"] >= recent
                for post_id, post in self.posts.items()
            )
        )

    def _attached_photos(self, params: dict) -> list[str] | None:
        keys = sorted(k for k in params if k.startswith("attached_media["))
        ids = [json.loads(params[k])["media_fbid"] for k in keys]
        if any(i not in self.photos or self.photos[i]["published"] for i in ids):
            return None
        return ids

    def _list_posts(self, parts, params, request) -> Answer:
        """GET /{page-id}/feed: newest first, `since`/`until` (epoch seconds), `limit`
        (at most 100) and cursor paging with `after`, as Graph does."""
        since = _time(datetime.fromtimestamp(int(params.get("since", "0")), UTC))
        until = params.get("until")
        until = _time(datetime.fromtimestamp(int(until), UTC)) if until else "9999"
        items = [
            {"id": post_id, **post}
            for post_id, post in reversed(self.posts.items())
            if post_id.startswith(f"{parts[0]}_") and since <= post["created_time"] <= until
        ]
        return self._page(items, params, request)

    def _page(self, items: list, params: dict, request: Recorded) -> Answer:
        limit = min(int(params.get("limit", "25")), MAX_LIMIT)
        chunk, after = page(items, limit, params.get("after", ""))
        paging: dict = {}
        if chunk:
            paging["cursors"] = {"before": chunk[0]["id"], "after": chunk[-1]["id"]}
        if after:
            paging["next"] = f"{self.url}{request.path}?after={after}&limit={limit}"
        return Answer(200, {"data": chunk, "paging": paging})

    def add_posts(self, page_id: str, count: int, text: str = "Otra publicación") -> None:
        """Posts made by people on the page itself (newer than anything before)."""
        for n in range(count):
            post_id = f"{page_id}_{self.next_id()}"
            self.posts[post_id] = {
                "message": f"{text} {n}",
                "link": "",
                "attached_media": [],
                "created_time": _time(datetime.now(UTC)),
                "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post_id}",
            }

    def add_media(self, user_id: str, count: int, text: str = "Otra publicación") -> None:
        for n in range(count):
            media_id = self.next_id()
            self.media[media_id] = {
                "user": user_id,
                "caption": f"{text} {n}",
                "container": "",
                "timestamp": _time(datetime.now(UTC)),
                "permalink": f"https://www.instagram.com/p/FAKE{media_id}/",
            }

    def _create_photo(self, parts, params, request) -> Answer:
        if "source" not in request.files and not params.get("url"):
            return graph_error(400, 324, "(#324) Requires upload file")
        source = request.files.get("source", ("", b""))[1]
        if "source" in request.files and not _whole_image(source):
            return graph_error(400, 324, "(#324) Missing or invalid image file")
        photo_id = self.next_id()
        self.photos[photo_id] = {
            "published": params.get("published", "true") != "false",
            "alt_text_custom": params.get("alt_text_custom", ""),
            "bytes": len(request.files.get("source", ("", b""))[1]),
        }
        return Answer(200, {"id": photo_id})

    def _create_video(self, parts, params, request) -> Answer:
        """POST /{page-id}/videos: the file in `source`; the description is the
        post's text. The video also appears in the page's feed, as on Facebook."""
        page_id = parts[0]
        if page_id not in self.pages:
            return graph_error(400, 100, "Invalid page id", subcode=33)
        source = request.files.get("source", ("", b""))[1]
        if source[4:8] != b"ftyp":
            return graph_error(400, 352, "(#352) Sorry, the video file you selected is not valid")
        video_id = self.next_id()
        post_id = f"{page_id}_{self.next_id()}"
        self.videos[video_id] = {
            "description": params.get("description", ""),
            "title": params.get("title", ""),
            "bytes": len(source),
            "post": post_id,
            "captions": [],
            "permalink_url": f"/{page_id}/videos/{video_id}/",  # Meta answers a path here
        }
        self.posts[post_id] = {
            "message": params.get("description", ""),
            "link": "",
            "attached_media": [],
            "video": video_id,
            "created_time": _time(datetime.now(UTC)),
            "permalink_url": f"https://www.facebook.com/{page_id}/videos/{video_id}/",
        }
        return Answer(200, {"id": video_id})

    def _add_captions(self, parts, params, request) -> Answer:
        """POST /{video-id}/captions: an SRT named file.<locale>.srt."""
        video = self.videos.get(parts[0])
        if video is None:
            return graph_error(400, 100, "Object does not exist or cannot be loaded", subcode=33)
        name, body = request.files.get("captions_file", ("", b""))
        locale = name.rsplit(".", 2)[-2] if name.count(".") >= 2 else ""
        if not name.endswith(".srt") or len(locale) != 5 or b" --> " not in body:
            return graph_error(400, 100, "(#100) Invalid captions file: use name.locale.srt")
        video["captions"].append({"locale": locale, "srt": body.decode("utf-8")})
        return Answer(200, {"success": True})

    # Instagram ---------------------------------------------------------------
    def _create_container(self, parts, params, request) -> Answer:
        user_id = parts[0]
        if user_id not in self.instagram_users:
            return graph_error(400, 100, "Invalid Instagram user id", subcode=33)
        media_type = params.get("media_type", "")
        if media_type == "CAROUSEL":
            children = params.get("children", "").split(",")
            if not 2 <= len(children) <= 10 or any(c not in self.containers for c in children):
                return graph_error(400, 100, "(#100) The carousel children are invalid")
            if any(
                self.containers[c]["params"].get("media_type") == "VIDEO"
                and self.containers[c]["polls"] <= self.container_polls
                for c in children
            ):
                return graph_error(400, 9007, "The media is not ready for publishing.")
        elif media_type in ("REELS", "VIDEO"):
            if media_type == "VIDEO" and params.get("is_carousel_item") != "true":
                return graph_error(400, 100, "(#100) VIDEO is only for carousel items; use REELS")
            if not params.get("video_url", "").startswith(("http://", "https://")):
                return graph_error(400, 9004, "Only photo or video can be accepted as media type.")
            if self.fetch_images and not self._download(params["video_url"], video=True):
                return graph_error(400, 9004, "Media download has failed.", subcode=2207052)
        elif not params.get("image_url", "").startswith(("http://", "https://")):
            return graph_error(400, 9004, "Only photo or video can be accepted as media type.")
        elif self.fetch_images and not self._download(params["image_url"]):
            return graph_error(400, 9004, "Media download has failed.", subcode=2207052)
        if len(params.get("caption", "")) > 2200:
            return graph_error(400, 100, "(#100) The caption is too long")
        container_id = self.next_id()
        self.containers[container_id] = {
            "user": user_id,
            "params": params,
            "polls": 0,
            "created": time.monotonic(),
        }
        return Answer(200, {"id": container_id})

    def _download(self, url: str, video: bool = False) -> bool:
        """Meta fetches the media itself and accepts only a JPEG (or an MP4) it can read."""
        fetched = self.fetch(url)
        if fetched is None:
            return False
        kind, body = fetched
        if video:
            return kind.startswith("video/mp4") and body[4:8] == b"ftyp"
        return kind.startswith("image/jpeg") and complete_jpeg(body)

    def _container_status(self, container_id: str) -> Answer:
        container = self.containers[container_id]
        container["polls"] += 1
        if container.get("published"):
            code = "PUBLISHED"
        elif self.container_error:
            code = "ERROR"
        elif self.container_seconds:
            ready = time.monotonic() - container["created"] >= self.container_seconds
            code = "FINISHED" if ready else "IN_PROGRESS"
        else:
            code = "FINISHED" if container["polls"] > self.container_polls else "IN_PROGRESS"
        return Answer(200, {"id": container_id, "status_code": code, "status": code})

    def _ready(self, container: dict) -> bool:
        if self.container_seconds:
            return time.monotonic() - container["created"] >= self.container_seconds
        return container["polls"] > self.container_polls

    def _publishing_limit(self, parts, params, request) -> Answer:
        config = {"quota_total": self.quota_total, "quota_duration": 86400}
        return Answer(200, {"data": [{"quota_usage": self.quota_usage, "config": config}]})

    def _publish_container(self, parts, params, request) -> Answer:
        container = self.containers.get(params.get("creation_id", ""))
        if container is None or not self._ready(container) or container.get("published"):
            return graph_error(400, 9007, "The media is not ready for publishing.", subcode=2207027)
        if self.quota_usage >= self.quota_total:
            return graph_error(400, 9, "Application request limit reached", subcode=2207042)
        container["published"] = True
        self.quota_usage += 1
        media_id = self.next_id()
        self.media[media_id] = {
            "user": parts[0],
            "caption": container["params"].get("caption", ""),
            "container": params["creation_id"],
            "timestamp": _time(datetime.now(UTC)),
            "permalink": f"https://www.instagram.com/p/FAKE{media_id}/",
        }
        return Answer(200, {"id": media_id})

    def _list_media(self, parts, params, request) -> Answer:
        """GET /{ig-user-id}/media: newest first, `limit` and cursor paging; no time
        filter (Instagram's media edge has none)."""
        items = [
            {"id": media_id, **{k: v for k, v in media.items() if k != "user"}}
            for media_id, media in reversed(self.media.items())
            if media["user"] == parts[0]
        ]
        return self._page(items, params, request)

    # Insights -----------------------------------------------------------------
    def _insights(self, parts, params, request) -> Answer:
        """GET /{id}/insights: one metric; Instagram's demographics only as lifetime
        total_value with a timeframe and one breakdown, as Meta requires; a retired
        or unknown metric answers (#100)."""
        node, metric = parts[0], params.get("metric", "")
        owner = self.tokens.get(params.get("access_token", ""))
        if owner != node:
            return graph_error(400, 100, "(#100) Unsupported get request.", subcode=33)
        if "," in metric or not metric:
            return graph_error(400, 100, "(#100) This fake answers one metric per request")
        if metric in self.retired_metrics:
            return graph_error(
                400, 100, f"(#100) The value must be a valid insights metric: {metric}"
            )
        if node in self.instagram_users and metric in IG_DEMOGRAPHICS:
            return self._demographics(node, metric, params)
        if node in self.pages and (node, metric) in self.page_insights:
            return self._page_metric(node, metric, params, request)
        return graph_error(400, 100, f"(#100) The value must be a valid insights metric: {metric}")

    def _demographics(self, node: str, metric: str, params: dict) -> Answer:
        if params.get("period") != "lifetime" or params.get("metric_type") != "total_value":
            return graph_error(
                400, 100, "(#100) metric_type=total_value and period=lifetime are required"
            )
        if params.get("timeframe") not in IG_TIMEFRAMES:
            return graph_error(
                400, 100, "(#100) Param timeframe must be one of this_week, this_month"
            )
        breakdown = params.get("breakdown", "")
        if breakdown not in IG_BREAKDOWNS:
            return graph_error(400, 100, f"(#100) Invalid breakdown: {breakdown}")
        counts = self.demographics.get((node, metric, breakdown), {})
        results = [{"dimension_values": [k], "value": v} for k, v in counts.items()]
        item = {
            "name": metric,
            "period": "lifetime",
            "title": metric,
            "description": f"Demografía: {metric}",
            "total_value": {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]},
            "id": f"{node}/insights/{metric}/lifetime",
        }
        return Answer(200, {"data": [item]})

    def _page_metric(self, node: str, metric: str, params: dict, request) -> Answer:
        """A daily page metric: one value, and paging links to the previous and next
        periods (which a client must not follow to the end: they never stop)."""
        now = int(time.time())
        item = {
            "name": metric,
            "period": params.get("period", "day"),
            "values": [
                {"value": self.page_insights[(node, metric)], "end_time": _time(datetime.now(UTC))}
            ],
            "title": metric,
            "id": f"{node}/insights/{metric}/day",
        }
        base = f"{self.url}{request.path}?metric={metric}&period=day"
        paging = {
            "previous": f"{base}&since={now - 2 * 86400}&until={now - 86400}",
            "next": f"{base}&since={now + 86400}&until={now + 2 * 86400}",
        }
        return Answer(200, {"data": [item], "paging": paging})

    # Live videos ----------------------------------------------------------------
    # POST /{page-id}/live_videos (status=SCHEDULED_UNPUBLISHED needs event_params, the
    # start in unix seconds, in the future and at most seven days ahead; the node keeps it
    # as planned_start_time, which POST /{id} changes), GET /{id} with `fields`
    # (only those are answered; video{id} nested), POST /{id} to move a scheduled one,
    # DELETE /{id} (then the id answers error 100). The state only moves when the test
    # says what the encoder did: go_live, interrupt (Meta keeps it LIVE, waiting for the
    # encoder to come back), end_live (PROCESSING for `processing_polls` reads, then VOD
    # with its video, whose `source` this fake serves under /cdn/), expire.
    LIVE_STATUSES = {"SCHEDULED_UNPUBLISHED", "UNPUBLISHED", "LIVE_NOW"}
    SCHEDULED = {"SCHEDULED_UNPUBLISHED", "SCHEDULED_LIVE"}
    MAX_AHEAD = timedelta(days=7)

    def _create_live_video(self, parts, params, request) -> Answer:
        page_id = parts[0]
        if page_id not in self.pages or self.tokens.get(params.get("access_token")) != page_id:
            return graph_error(400, 100, "(#100) A Page access token is required", subcode=33)
        status = params.get("status", "UNPUBLISHED")
        if status not in self.LIVE_STATUSES:
            return graph_error(400, 100, f"(#100) Invalid status: {status}")
        if len(params.get("title", "")) > 254:
            return graph_error(400, 100, "(#100) The title is too long")
        planned = None
        if status == "SCHEDULED_UNPUBLISHED":
            planned, problem = self._planned(params, "event_params")
            if problem:
                return problem
        live_id = self.next_id()
        key = f"FB-{live_id}-0-Ab{live_id}SecretKey"
        self.live_videos[live_id] = {
            "page": page_id,
            "status": "LIVE" if status == "LIVE_NOW" else status,
            "title": params.get("title", ""),
            "description": params.get("description", ""),
            "planned_start_time": planned,
            "secure_stream_url": f"rtmps://live-api-s.facebook.com:443/rtmp/{key}",
            "permalink_url": f"/{page_id}/videos/{live_id}/",
            "video": "",
            "ingest": False,
            "reads_after_end": 0,
        }
        stream = self.live_videos[live_id]["secure_stream_url"]
        return Answer(200, {"id": live_id, "secure_stream_url": stream, "stream_url": stream})

    def _planned(
        self, params: dict, name: str = "planned_start_time"
    ) -> tuple[int | None, Answer | None]:
        raw = params.get(name, "")
        if not raw.isdigit():
            return None, graph_error(400, 100, f"(#100) {name} must be a unix time")
        moment = datetime.fromtimestamp(int(raw), UTC)
        now = datetime.now(UTC)
        if not now < moment <= now + self.MAX_AHEAD:
            return None, graph_error(400, 100, f"(#100) {name} must be in the next seven days")
        return int(raw), None

    def _live_video_node(self, live_id: str, params: dict) -> Answer:
        live = self.live_videos[live_id]
        if live["status"] == "PROCESSING":
            live["reads_after_end"] += 1
            if live["reads_after_end"] > self.processing_polls:
                live["status"] = "VOD"
        wanted = [f for f in params.get("fields", "id").split(",") if f]
        node: dict = {"id": live_id}
        for name in wanted:
            if name == "video{id}":
                if live["video"]:
                    node["video"] = {"id": live["video"]}
            elif name in live and live[name] not in (None, ""):
                node[name] = live[name]
        return Answer(200, node)

    def _update_live_video(self, parts, params, request) -> Answer:
        live = self.live_videos.get(parts[0])
        if live is None or self.tokens.get(params.get("access_token")) != live["page"]:
            return graph_error(400, 100, "Object does not exist or cannot be loaded", subcode=33)
        if "planned_start_time" in params:
            if live["status"] not in self.SCHEDULED:
                return graph_error(
                    400, 100, "(#100) Only a scheduled live video can change its start time"
                )
            planned, problem = self._planned(params)
            if problem:
                return problem
            live["planned_start_time"] = planned
        for name in ("title", "description"):
            if name in params:
                live[name] = params[name]
        return Answer(200, {"success": True})

    def _delete_live_video(self, parts, params, request) -> Answer:
        live = self.live_videos.get(parts[0])
        if live is None or self.tokens.get(params.get("access_token")) != live["page"]:
            return graph_error(400, 100, "Object does not exist or cannot be loaded", subcode=33)
        del self.live_videos[parts[0]]
        return Answer(200, {"success": True})

    def go_live(self, live_id: str) -> None:
        live = self.live_videos[live_id]
        assert live["status"] in self.SCHEDULED | {"UNPUBLISHED", "LIVE"}, live["status"]
        live["status"], live["ingest"] = "LIVE", True

    def interrupt(self, live_id: str) -> None:
        """The encoder dropped: Meta keeps the broadcast LIVE, waiting for it."""
        assert self.live_videos[live_id]["status"] == "LIVE"
        self.live_videos[live_id]["ingest"] = False

    def expire(self, live_id: str) -> None:
        """Nobody ever streamed to it: Meta expires the schedule."""
        assert self.live_videos[live_id]["status"] in self.SCHEDULED
        self.live_videos[live_id]["status"] = "SCHEDULED_EXPIRED"

    def end_live(self, live_id: str, recording: bytes, seconds: float = 2.0) -> str:
        """The broadcast ended; its recording becomes a page video (after PROCESSING)."""
        live = self.live_videos[live_id]
        assert live["status"] == "LIVE", live["status"]
        video_id = self.next_id()
        self.videos[video_id] = {
            "description": live["description"],
            "title": live["title"],
            "bytes": len(recording),
            "post": "",
            "captions": [],
            "permalink_url": f"/{live['page']}/videos/{video_id}/",
            "source": f"{self.url.removesuffix(self.prefix)}/cdn/{video_id}.mp4",
            "length": seconds,
        }
        self.cdn_files[video_id] = recording
        live.update(status="PROCESSING", video=video_id, ingest=False, reads_after_end=0)
        return video_id

    def _cdn(self, request: Recorded) -> Answer:
        video_id = request.path.rsplit("/", 1)[-1].removesuffix(".mp4")
        if request.method != "GET" or video_id not in self.cdn_files:
            return Answer(404, b"Not Found")
        answer = Answer(200, self.cdn_files[video_id], {"Content-Type": "video/mp4"})
        if self.cut_downloads:
            answer.cut, self.cut_downloads = self.cut_downloads, 0  # type: ignore[attr-defined]
        return answer

    def _write(self, handler, answer: Answer) -> None:
        """A download cut short: the whole Content-Length promised, part of it sent,
        the connection closed (a CDN hiccup)."""
        cut = getattr(answer, "cut", 0)
        if not cut:
            super()._write(handler, answer)
            return
        handler.send_response(answer.status)
        handler.send_header("Content-Type", "video/mp4")
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body[:cut])
        handler.wfile.flush()
        handler.close_connection = True
