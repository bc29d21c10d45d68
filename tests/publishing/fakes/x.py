"""A fake X API v2: posts, chunked media upload and OAuth 2.0 token refresh.

    x = XFake().start()
    x.url                                   # "http://127.0.0.1:PORT"
    x.add_user("42", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
    x.expire_access_token("at-1")           # 401 until the client refreshes
    x.revoke_refresh_token("rt-1")          # the refresh fails: reconnect
    x.rate_limit(times=1, reset_in=2)       # 429 with x-rate-limit-reset
    x.media_polls = 1                       # finalize answers "pending" once
    x.media_seconds = 3.0                   # or: every upload is ready 3 s after finalize,
                                            # check_after_secs says how long is left
    x.finish_processing()                   # every upload is ready now
    x.media_expires_after = 2.0             # X forgets an upload after this (86400 s by
                                            # default, as X says); using it later is a 400
    x.expired_uses                          # calls that used a forgotten upload id
    x.media_error = True                    # processing ends in state "failed"
    x.early_status_checks                   # STATUS calls before check_after_secs passed
    x.detect_duplicates = False             # accept the same text twice (benchmarks)
    x.add_tweets("42", 50)                  # 50 newer posts made by people on the account
    x.swallow(path="/2/tweets")             # post created, connection closed unanswered
    x.tweets / x.uploads                    # what was posted and uploaded
                                            # (a video's "subtitles" too)
    x.stop()

Bodies follow the v2 problem shape {"title", "detail", "type", "status"}; the same
text twice answers 403 "duplicate content"; /2/oauth2/token rotates the refresh token.
"""

import re
import secrets
import time
from datetime import UTC, datetime

from tests.publishing.fakes.authorization import RotatingTokens, oauth_error
from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg, page


def problem(status: int, title: str, detail: str) -> Answer:
    return Answer(
        status, {"title": title, "detail": detail, "type": "about:blank", "status": status}
    )


def _tco(text: str) -> str:
    return re.sub(r"https?://\S+", lambda _: f"https://t.co/{secrets.token_hex(5)}", text)


SCOPES = "tweet.read tweet.write users.read media.write offline.access"


class XFake(RotatingTokens, FakeServer):
    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.users: dict[str, dict] = {}  # access_tokens and refresh_tokens: -> user id
        self.tweets: dict[str, dict] = {}
        self.uploads: dict[str, dict] = {}
        self.media_polls = 0
        self.media_seconds = 0.0
        self.early_status_checks = 0
        self.media_error = False
        self.detect_duplicates = True
        self.media_expires_after = 86400.0  # expires_after_secs, as X documents it
        self.expired_uses = 0
        self._next_tweet = 1_860_000_000_000_000_000

    # Set-up and knobs --------------------------------------------------------
    def add_user(self, user_id: str, username: str, *, access_token: str, refresh_token: str):
        self.users[user_id] = {"id": user_id, "name": username, "username": username}
        self.access_tokens[access_token] = user_id
        self.refresh_tokens[refresh_token] = user_id

    def finish_processing(self) -> None:
        """What happens on X while Pregón waits: every upload is processed."""
        with self.lock:
            for upload in self.uploads.values():
                if upload.get("ready_at"):
                    upload["ready_at"] = upload["look_after"] = time.monotonic()

    def rate_limit(self, *, times: int = 1, reset_in: int = 2) -> None:
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(time.time()) + reset_in),
        }
        answer = problem(429, "Too Many Requests", "Too Many Requests")
        self.fail(429, answer.body, headers, times=times)

    # Routing -----------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        if request.path == "/2/oauth2/token":
            return self._token(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        user_id = self.access_tokens.get(token)
        if user_id is None:
            return problem(401, "Unauthorized", "Unauthorized")
        return self._routed(request, user_id)

    def _routed(self, request: Recorded, user_id: str) -> Answer:
        path, method = request.path, request.method
        if method == "POST" and path == "/2/tweets":
            return self._create_tweet(request, user_id)
        if method == "GET" and path == "/2/users/me":
            return Answer(200, {"data": self.users[user_id]})
        match = re.fullmatch(r"/2/users/(\w+)/tweets", path)
        if method == "GET" and match:
            return self._timeline(match.group(1), request.query)
        return self._media(request)

    def _token(self, request: Recorded) -> Answer:
        form = request.form
        user_id = self.take_refresh_token(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or user_id is None:
            return oauth_error(400, "invalid_request", "Value passed for the token was invalid.")
        return self.token_answer(user_id, SCOPES)

    def token_answer(self, user_id: str, scope: str) -> Answer:
        access, refresh = self.new_tokens(("at-", "rt-"), user_id, user_id)
        body = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": access,
            "scope": scope,
            "refresh_token": refresh,
        }
        return Answer(200, body)

    # Posts -------------------------------------------------------------------
    def _create_tweet(self, request: Recorded, user_id: str) -> Answer:
        body = request.json
        text = body.get("text", "")
        media_ids = body.get("media", {}).get("media_ids", [])
        if not text and not media_ids:
            return problem(
                400, "Invalid Request", "One or more parameters to your request was invalid."
            )
        if self._forgotten(*media_ids) or any(
            self.uploads.get(m, {}).get("state") != "succeeded" for m in media_ids
        ):
            return problem(400, "Invalid Request", "Your media IDs are invalid.")
        if self.detect_duplicates and any(
            t["text"] == text and t["author_id"] == user_id for t in self.tweets.values()
        ):
            detail = "You are not allowed to create a Tweet with duplicate content."
            return problem(403, "Forbidden", detail)
        self._next_tweet += 1
        tweet_id = str(self._next_tweet)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.tweets[tweet_id] = {
            "text": text,
            "author_id": user_id,
            "media_ids": media_ids,
            "created_at": created,
        }
        return Answer(
            201,
            {"data": {"id": tweet_id, "text": _tco(text), "edit_history_tweet_ids": [tweet_id]}},
        )

    def _timeline(self, user_id: str, query: dict) -> Answer:
        """GET /2/users/:id/tweets: newest first, `start_time`, `max_results` (5–100,
        else 400) and `pagination_token` → meta.next_token, as X does."""
        try:
            limit = int(query.get("max_results", "10"))
        except ValueError:
            limit = 0
        if not 5 <= limit <= 100:
            return problem(400, "Invalid Request", "max_results must be between 5 and 100.")
        start = query.get("start_time", "")
        items = [
            {"id": tid, "text": _tco(t["text"]), "created_at": t["created_at"]}
            for tid, t in reversed(self.tweets.items())
            if t["author_id"] == user_id and t["created_at"] >= start
        ]
        items, next_token = page(items, limit, query.get("pagination_token", ""))
        meta: dict = {"result_count": len(items)}
        if next_token:
            meta["next_token"] = next_token
        return Answer(200, {"data": items, "meta": meta} if items else {"meta": meta})

    def add_tweets(self, user_id: str, count: int, text: str = "Otra publicación") -> None:
        """Posts made by people on the account itself (newer than anything before)."""
        for n in range(count):
            self._next_tweet += 1
            self.tweets[str(self._next_tweet)] = {
                "text": f"{text} {n}",
                "author_id": user_id,
                "media_ids": [],
                "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            }

    # Media -------------------------------------------------------------------
    def _forgotten(self, *media_ids: str) -> bool:
        """X keeps an upload expires_after_secs: «any attempt to use mediaId after this
        time period in other API calls will result in a Bad Request»."""
        now = time.time()
        gone = [m for m in media_ids if m in self.uploads and now >= self.uploads[m]["expires"]]
        self.expired_uses += bool(gone)
        return bool(gone)

    def _left(self, upload: dict) -> int:
        return max(int(upload["expires"] - time.time()), 0)

    def _media(self, request: Recorded) -> Answer:
        path = request.path
        if self._forgotten(*self._ids_in(request)):
            return problem(400, "Invalid Request", "Your media IDs are invalid.")
        if path == "/2/media/upload/initialize":
            return self._initialize(request.json)
        if path == "/2/media/metadata":
            return self._metadata(request.json)
        if path == "/2/media/subtitles" and request.method == "POST":
            return self._subtitles(request.json)
        if path == "/2/media/upload" and request.method == "GET":
            return self._status(request.query.get("media_id", ""))
        match = re.fullmatch(r"/2/media/upload/(\d+)/(append|finalize)", path)
        if request.method == "POST" and match and match.group(1) in self.uploads:
            upload = self.uploads[match.group(1)]
            if match.group(2) == "append":
                return self._append(upload, request)
            return self._finalize(match.group(1), upload)
        return problem(404, "Not Found Error", f"Could not find {path}.")

    def _ids_in(self, request: Recorded) -> list[str]:
        """The upload ids a media call names (path, STATUS query, metadata, subtitles)."""
        ids = re.findall(r"/2/media/upload/(\d+)/", request.path + "/")
        ids.append(request.query.get("media_id", ""))
        if request.method == "POST" and request.path in ("/2/media/metadata", "/2/media/subtitles"):
            body = request.json
            ids += [body.get("id", ""), (body.get("subtitles") or {}).get("id", "")]
        return [i for i in ids if i]

    CATEGORIES = {
        "image/jpeg": "tweet_image",
        "image/png": "tweet_image",
        "image/webp": "tweet_image",
        "image/gif": "tweet_gif",
        "video/mp4": "tweet_video",
        "text/srt": "subtitles",
    }

    def _initialize(self, body: dict) -> Answer:
        media_type = body.get("media_type")
        if media_type not in self.CATEGORIES:
            return problem(400, "Invalid Request", "media_type is not supported.")
        if body.get("media_category") not in (self.CATEGORIES[media_type], "amplify_video"):
            return problem(400, "Invalid Request", "media_category does not match media_type.")
        media_id = self.next_id() + "000"
        self.uploads[media_id] = {
            "total": int(body.get("total_bytes", 0)),
            "segments": {},
            "state": "new",
            "media_type": media_type,
            "media_category": body["media_category"],
            "expires": time.time() + self.media_expires_after,
        }
        left = self._left(self.uploads[media_id])
        return Answer(
            200,
            {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": left}},
        )

    def _append(self, upload: dict, request: Recorded) -> Answer:
        if "media" not in request.files or "segment_index" not in request.form:
            return problem(400, "Invalid Request", "media and segment_index are required.")
        upload["segments"][int(request.form["segment_index"])] = request.files["media"][1]
        return Answer(200, {"data": {"expires_at": int(upload["expires"])}})

    def _finalize(self, media_id: str, upload: dict) -> Answer:
        size = sum(len(s) for s in upload["segments"].values())
        if size != upload["total"]:
            return problem(
                400, "Invalid Request", f"File size {size} != total_bytes {upload['total']}."
            )
        data = b"".join(upload["segments"][i] for i in sorted(upload["segments"]))
        if upload["media_type"] == "image/jpeg" and not complete_jpeg(data):
            return problem(400, "Invalid Request", "InvalidMedia: the image cannot be decoded.")
        # Videos are always transcoded before they can be posted.
        video = upload["media_type"] == "video/mp4"
        polls = max(self.media_polls, 1) if video else self.media_polls
        timed = self.media_seconds > 0
        processing = bool(polls) or timed
        upload.update(
            state="in_progress" if processing else "succeeded",
            polls=0,
            needs=polls,
            ready_at=time.monotonic() + self.media_seconds if timed else None,
        )
        data = {
            "id": media_id,
            "media_key": f"3_{media_id}",
            "size": size,
            "expires_after_secs": self._left(upload),
        }
        if processing:
            data["processing_info"] = self._info(upload, "pending")
        return Answer(200, {"data": data})

    def _info(self, upload: dict, state: str) -> dict:
        """processing_info as X sends it; remembers when it said to look again."""
        left = max((upload["ready_at"] or 0) - time.monotonic(), 0.0)
        wait = int(left + 0.999) if state != "succeeded" and upload["ready_at"] else 0
        upload["look_after"] = time.monotonic() + wait
        percent = 100 if state == "succeeded" else 100 - int(100 * left / (self.media_seconds or 1))
        return {"state": state, "check_after_secs": wait, "progress_percent": max(percent, 0)}

    def _status(self, media_id: str) -> Answer:
        upload = self.uploads.get(media_id)
        if upload is None:
            return problem(404, "Not Found Error", "Media not found.")
        if time.monotonic() < upload.get("look_after", 0.0) - 0.05:
            self.early_status_checks += 1
        upload["polls"] = upload.get("polls", 0) + 1
        if upload.get("ready_at"):
            if time.monotonic() >= upload["ready_at"]:
                upload["state"] = "succeeded"
        elif upload["polls"] >= upload.get("needs", self.media_polls):
            upload["state"] = "succeeded"
        if self.media_error:
            upload["state"] = "failed"
        info = self._info(upload, upload["state"])
        if upload["state"] == "failed":
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported media."}
        return Answer(
            200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "processing_info": info}}
        )

    def _subtitles(self, body: dict) -> Answer:
        """POST /2/media/subtitles: {"id": video, "media_category": "TweetVideo",
        "subtitles": {"id", "language_code", "display_name"}}."""
        video = self.uploads.get(body.get("id", ""))
        info = body.get("subtitles") or {}
        subtitle = self.uploads.get(info.get("id", ""))
        if video is None or video["media_type"] != "video/mp4":
            return problem(400, "Invalid Request", "The media id is not a video.")
        if body.get("media_category") != "TweetVideo" or not info.get("language_code"):
            return problem(400, "Invalid Request", "media_category and language_code required.")
        if subtitle is None or subtitle["media_category"] != "subtitles":
            return problem(400, "Invalid Request", "The subtitles id is not a subtitles upload.")
        if subtitle["state"] != "succeeded" or b" --> " not in b"".join(
            subtitle["segments"].values()
        ):
            return problem(400, "Invalid Request", "The subtitle file is invalid.")
        video["subtitles"] = info
        return Answer(
            200,
            {
                "data": {
                    "id": body["id"],
                    "media_category": "TweetVideo",
                    "associated_subtitles": [info],
                }
            },
        )

    def _metadata(self, body: dict) -> Answer:
        upload = self.uploads.get(body.get("id", ""))
        if upload is None:
            return problem(400, "Invalid Request", "Media not found.")
        upload["alt_text"] = body.get("metadata", {}).get("alt_text", {}).get("text", "")
        return Answer(200, {"data": {"id": body["id"], "associated_metadata": True}})
