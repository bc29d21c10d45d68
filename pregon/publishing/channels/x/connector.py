"""X through API v2 with an OAuth 2.0 user token.

Media first, through the chunked upload (POST /2/media/upload/initialize,
/{id}/append, /{id}/finalize). X may go on processing an upload (videos always): the
finalize answer then carries processing_info, and GET /2/media/upload?command=STATUS
says when it is done, asking us to look again after check_after_secs. Nobody waits
for it: publish() raises NotReady with the upload ids and the engine calls resume()
once that time has passed. When every upload has succeeded, alt text goes with
/2/media/metadata, a video's Spanish subtitles (SRT, media_category subtitles,
uploaded with it) are joined with POST /2/media/subtitles, and POST /2/tweets posts.
X forgets an upload expires_after_secs after it was made (24 h, «any attempt to use
mediaId after this time period … will result in a Bad Request»): the token keeps
when its first upload stops being usable, and a delivery parked longer than that
(retries, an account held for reconnection) uploads its media again, once, instead
of reusing dead ids. User tokens expire after two hours: on 401 we refresh once
(POST /2/oauth2/token with the refresh token, which X rotates) and hand the new pair
to on_credentials_changed so the engine stores it before anything else can lose it.
429 carries x-rate-limit-reset (epoch seconds): we become rate-limited until then.
"""

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings

from pregon.publishing import twitter_text
from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    PAGE_SIZE,
    Channel,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.http import HttpClient, generic_error, json_or_empty
from pregon.publishing.channels.network import link_appended

CHUNK_BYTES = 1024 * 1024
DUPLICATE = re.compile(r"duplicate", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(days=1)
# What resume() gets back from publish(): until when its uploads may be used (epoch
# seconds) and ";", then each media item's upload id, with "+" and its subtitles' id for
# a video that has them, items joined by ","; "~" marks an upload X was still processing
# at the last look ("1733702400;~1860+1861,1862").
PROCESSING = "~"
USABLE = ";"
EXPIRY_MARGIN = 300.0  # stop using an upload this long before X forgets it (at most)


def token_of(usable_until: float, items: list[str]) -> str:
    return f"{int(usable_until)}{USABLE}{','.join(items)}" if items else ""


def uploads_in(token: str) -> tuple[float | None, list[list[str]]]:
    """Until when the uploads may be used (None: not said, a token from before) and
    each item's upload ids."""
    usable, _, ids = token.rpartition(USABLE)
    try:
        until = float(usable) if usable else None
    except ValueError:
        until = None
    return until, [item.split("+") for item in ids.split(",")] if ids else []


def usable_until(expires_after_secs: object) -> float:
    """When an upload X keeps `expires_after_secs` stops being safe to use: before it
    expires by the margin (a tenth of its life for short-lived ones)."""
    try:
        life = float(str(expires_after_secs))
    except (TypeError, ValueError):
        life = 86400.0  # X's documented default: 24 hours
    return time.time() + life - min(EXPIRY_MARGIN, life / 10)


def _without_urls(text: str) -> str:
    """X rewrites links to t.co in what it returns: compare texts without them."""
    for url in twitter_text.extract_urls(text):
        text = text.replace(url, " ")
    return " ".join(re.sub(r"https://t\.co/\w+", " ", text).split())


def _category(media: OutgoingMedia) -> str:
    if media.is_video:
        return "tweet_video"
    return "tweet_gif" if media.mime_type == "image/gif" else "tweet_image"


class XChannel(Channel):
    kind = "x"
    poll_interval = 1.0
    poll_attempts = 60

    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            base = self.account.base_url or settings.PREGON_X_API_URL
            self._http = HttpClient(
                base, on_attempt=lambda a: self.on_attempt and self.on_attempt(a)
            )
        return self._http

    def publish(self, post: OutgoingPost) -> PostResult:
        uploads = [self._upload(item) for item in post.media]
        until = min((usable for _, _, usable in uploads), default=0.0)
        token = token_of(until, [item for item, _, _ in uploads])
        waits = [wait for _, wait, _ in uploads if wait is not None]
        if not waits:
            return self.resume(post, token)
        if self.defer_waits:  # the engine looks again after X's wait; no thread sleeps
            raise NotReady(token, min(waits))
        return self._wait_and_resume(post, token, min(waits))

    def _wait_and_resume(self, post: OutgoingPost, token: str, wait: float) -> PostResult:
        """For callers outside the engine only: sleep through X's processing."""
        for _ in range(self.poll_attempts):
            time.sleep(min(wait, 5.0))
            try:
                return self.resume(post, token)
            except NotReady as again:
                token, wait = again.token, again.retry_after
        raise ChannelError("X sigue procesando la imagen o el video; se reintentará.")

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        """One look at the uploads X was still processing; once all are done, their
        alt text and subtitles, then the post. NotReady while any is processing.
        Uploads X has forgotten by now (or may forget before the post) are made again,
        once: publish() starts from the files and its fresh ids are not looked at here."""
        until, items = uploads_in(token)
        if len(items) != len(post.media):  # not this post's uploads: start again
            return self.publish(post)
        if items and (until is None or time.time() >= until):
            return self.publish(post)
        try:
            items, wait = self._look_again(items)
            if wait is not None:
                raise NotReady(token_of(until or 0.0, ["+".join(item) for item in items]), wait)
            media_ids = [self._describe(m, item) for m, item in zip(post.media, items, strict=True)]
        except ChannelError as exc:
            if exc.uncertain:  # uploads and their details are invisible until posted
                raise ChannelError(words.nothing_sent("X", exc)) from exc
            raise
        return self._post(post, media_ids)

    def _post(self, post: OutgoingPost, media_ids: list[str]) -> PostResult:
        started = datetime.now(UTC)
        body: dict = {"text": self._text(post)}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        response = self._call("POST", "/2/tweets", json=body)
        if response.status_code == 403 and DUPLICATE.search(response.text):
            return self._already_published(post, started, response)
        tweet_id = self._checked(response, "X no aceptó la publicación")["data"]["id"]
        return PostResult(remote_id=tweet_id, remote_url=f"https://x.com/i/web/status/{tweet_id}")

    def _text(self, post: OutgoingPost) -> str:
        return link_appended(post.text, post.link)

    # Media -------------------------------------------------------------------
    def _upload(self, media: OutgoingMedia) -> tuple[str, float | None, float]:
        """The item's part of resume()'s token (its upload, and its subtitles' one), the
        shortest wait X asked for if it is processing any of them, and until when both
        may be used."""
        # Uploaded media is invisible until a post uses it: a lost answer is harmless.
        try:
            parts = [self._chunked(media.path, media.mime_type, _category(media))]
            if media.is_video and media.captions_srt:
                parts.append(self._chunked(media.captions_srt, "text/srt", "subtitles"))
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.nothing_sent("X", exc)) from exc
            raise
        waits = [wait for _, wait, _ in parts if wait is not None]
        until = min(usable for _, _, usable in parts)
        return "+".join(upload for upload, _, _ in parts), min(waits, default=None), until

    def _chunked(self, path, mime_type: str, category: str) -> tuple[str, float | None, float]:
        """The upload's id, marked PROCESSING with X's wait if it is not done yet, and
        until when it may be used (X's expires_after_secs, counted from now)."""
        media_id = self._initialize(path, mime_type, category)
        self._append(media_id, path)
        response = self._call("POST", f"/2/media/upload/{media_id}/finalize")
        data = self._checked(response, "Carga").get("data", {})
        wait = self._processing(data.get("processing_info"))
        until = usable_until(data.get("expires_after_secs"))
        return (media_id if wait is None else PROCESSING + media_id), wait, until

    def _processing(self, info: dict | None) -> float | None:
        """None when X is done with an upload; else the seconds it asks us to wait."""
        if not info or info.get("state") == "succeeded":
            return None
        if info.get("state") == "failed":
            error = info.get("error") or {}
            raise ChannelError(
                f"X no pudo procesar la imagen o el video: {error.get('message') or info}",
                permanent=True,
            )
        return max(float(info.get("check_after_secs", self.poll_interval)), 0.0)

    def _look_again(self, items: list[list[str]]) -> tuple[list[list[str]], float | None]:
        """Every upload X was still processing looked at once; the shortest wait left."""
        looked = [[self._look(upload) for upload in item] for item in items]
        waits = [wait for item in looked for _, wait in item if wait is not None]
        return [[upload for upload, _ in item] for item in looked], min(waits, default=None)

    def _look(self, upload: str) -> tuple[str, float | None]:
        if not upload.startswith(PROCESSING):
            return upload, None
        params = {"command": "STATUS", "media_id": upload[1:]}
        answer = self._checked(self._call("GET", "/2/media/upload", params=params), "Estado")
        wait = self._processing(answer.get("data", {}).get("processing_info"))
        return (upload if wait is not None else upload[1:]), wait

    def _describe(self, media: OutgoingMedia, item: list[str]) -> str:
        """A processed upload's alt text or subtitles; its id for the post."""
        media_id = item[0]
        if len(item) > 1:
            self._subtitles(media_id, item[1])
        elif media.alt_text and not media.is_video:
            body = {"id": media_id, "metadata": {"alt_text": {"text": media.alt_text[:1000]}}}
            self._checked(self._call("POST", "/2/media/metadata", json=body), "Texto alternativo")
        return media_id

    def _subtitles(self, video_id: str, subtitle_id: str) -> None:
        body = {
            "id": video_id,
            "media_category": "TweetVideo",
            "subtitles": {"id": subtitle_id, "language_code": "ES", "display_name": "Español"},
        }
        self._checked(self._call("POST", "/2/media/subtitles", json=body), "Subtítulos")

    def _initialize(self, path, mime_type: str, category: str) -> str:
        body = {
            "media_type": mime_type,
            "total_bytes": path.stat().st_size,
            "media_category": category,
        }
        answer = self._checked(self._call("POST", "/2/media/upload/initialize", json=body), "Carga")
        return answer["data"]["id"]

    def _append(self, media_id: str, path) -> None:
        with open(path, "rb") as handle:
            for index, chunk in enumerate(iter(lambda: handle.read(CHUNK_BYTES), b"")):
                files = {"media": ("blob", chunk, "application/octet-stream")}
                response = self._call(
                    "POST",
                    f"/2/media/upload/{media_id}/append",
                    data={"segment_index": str(index)},
                    files=files,
                )
                self._checked(response, "Carga de imagen")

    # Calls, errors and tokens ---------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = self._auth()
        response = self.http.request(method, path, headers=headers, **kwargs)
        if response.status_code == 401 and self.account.credentials.get("refresh_token"):
            self._refresh_once(headers)  # a 401 means nothing happened: repeating is safe
            response = self.http.request(method, path, headers=self._auth(), **kwargs)
        return response

    def _refresh_once(self, refused: dict) -> None:
        """X's refresh tokens are single-use: of several deliveries that find the
        access token expired, one refreshes while holding the account's lock and
        stores the new pair before releasing it; the others then find a newer token
        stored and use it instead of spending the dead refresh token."""
        guard = self.credentials_guard or contextlib.nullcontext
        with guard() as stored:
            if stored and stored.get("access_token") and self._auth_for(stored) != refused:
                self.account.credentials = {**self.account.credentials, **stored}
                return
            if stored:
                self.account.credentials = {**self.account.credentials, **stored}
            self._refresh()

    def _auth_for(self, credentials: dict) -> dict:
        return {"Authorization": f"Bearer {credentials.get('access_token', '')}"}

    def _auth(self) -> dict:
        token = self.account.credentials.get("access_token", "")
        if not token:
            raise ChannelError("X: la cuenta no tiene token de acceso.", reconnect=True)
        return {"Authorization": f"Bearer {token}"}

    def _refresh(self) -> None:
        credentials = self.account.credentials
        form = {
            "grant_type": "refresh_token",
            "refresh_token": credentials["refresh_token"],
            "client_id": credentials.get("client_id", ""),
        }
        secret = credentials.get("client_secret")
        auth = (credentials.get("client_id", ""), secret) if secret else None
        try:
            response = self.http.request(
                "POST", "/2/oauth2/token", data=form, auth=auth, secret=True
            )
        except ChannelError as exc:
            # Nothing was posted yet: a lost token answer is not an uncertain post.
            raise ChannelError(words.nothing_sent("X", exc, "al renovar el token")) from exc
        if response.status_code != 200:
            body = json_or_empty(response)
            detail = f"renovación del token: {body.get('error_description') or response.text[:200]}"
            raise ChannelError(
                words.reconnect("X", detail), reconnect=True, status=response.status_code
            )
        self._store_tokens(json_or_empty(response))

    def _store_tokens(self, answer: dict) -> None:
        new = {**self.account.credentials, "access_token": answer["access_token"]}
        if answer.get("refresh_token"):
            new["refresh_token"] = answer["refresh_token"]  # X rotates it: the old one is dead
        if answer.get("expires_in"):
            expires = datetime.now(UTC) + timedelta(seconds=int(answer["expires_in"]))
            new["expires_at"] = expires.isoformat()
        self.account.credentials = new
        if self.on_credentials_changed:
            self.on_credentials_changed(dict(new))

    def _checked(self, response: httpx.Response, what: str) -> dict:
        if response.status_code < 400:
            return json_or_empty(response)
        body = json_or_empty(response)
        detail = f"{what}: {body.get('title') or ''} {body.get('detail') or response.reason_phrase}"
        common = {"status": response.status_code, "response_text": response.text}
        if response.status_code == 401:
            raise ChannelError(words.reconnect("X", detail), reconnect=True, **common)
        if response.status_code == 429:
            raise ChannelError(
                words.rate_limited("X", detail),
                rate_limited=True,
                retry_after=self._until_reset(response),
                **common,
            )
        raise generic_error(response, "X", detail)

    def _until_reset(self, response: httpx.Response) -> float:
        try:
            reset = float(response.headers.get("x-rate-limit-reset", ""))
        except ValueError:
            return 900.0  # X's windows are 15 minutes
        return max(reset - time.time(), 1.0)

    # Settling and checks ------------------------------------------------------
    def _already_published(self, post: OutgoingPost, started, response) -> PostResult:
        found = self.find_existing(post, started - DUPLICATE_WINDOW)
        if found is None:
            raise ChannelError(
                "X dice que el texto está duplicado pero no aparece entre las publicaciones "
                "recientes de la cuenta; revísela a mano.",
                uncertain=True,
                status=response.status_code,
                response_text=response.text,
            )
        return found

    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post among every one the account made since `since` (start_time, then
        pagination_token until no next_token), recognised by its text."""
        params = {
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "max_results": str(PAGE_SIZE),
            "tweet.fields": "created_at",
        }
        path = f"/2/users/{self._user_id()}/tweets"
        expected = _without_urls(self._text(post))
        for _ in range(MAX_PAGES):
            answer = self._checked(self._call("GET", path, params=params), "Consulta")
            for item in answer.get("data", []):
                if _without_urls(item.get("text", "")) == expected:
                    return PostResult(item["id"], f"https://x.com/i/web/status/{item['id']}")
            token = (answer.get("meta") or {}).get("next_token")
            if not token:
                return None  # the whole window was read
            params["pagination_token"] = token
        raise window_not_read("X")

    def _user_id(self) -> str:
        if self.account.external_id:
            return self.account.external_id
        return self._me()["id"]

    def _me(self) -> dict:
        return self._checked(self._call("GET", "/2/users/me"), "Cuenta")["data"]

    def test_connection(self) -> str:
        me = self._me()
        return f"X @{me.get('username', '')} ({me.get('id', '')})"
