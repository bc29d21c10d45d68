"""Threads through Meta's Threads API (graph.threads.net/v1.0).

Threads downloads every image and video itself from a public URL (OutgoingMedia.
public_url, under PREGON_PUBLIC_URL). Steps: read threads_publishing_limit (250 posts
in 24 hours); POST /{user}/threads creates a container (media_type TEXT, IMAGE or
VIDEO; carousel items with is_carousel_item, then a CAROUSEL container with
children once every item is FINISHED); GET /{container}?fields=status,error_message
until FINISHED; POST /{user}/threads_publish with creation_id; GET /{media}?fields=
permalink. Nobody sleeps through processing: publish() raises NotReady and the engine
calls resume() later (Meta suggests looking about once a minute for videos). A
container not published within 24 hours EXPIRES: it is made again.

The link travels inside the text (network.link_appended; Threads previews the first
URL of a text post). Errors are Graph-shaped and mapped by channels/graph.py.

Tokens: long-lived user tokens last 60 days and may be refreshed once a day old
(GET /refresh_access_token, grant_type=th_refresh_token). Every operation first
renews a token with less than REFRESH_BEFORE left, under the account's lock, and
hands the new one to on_credentials_changed; the daily token check does the same, so
an account that publishes nothing for a month still stays connected.
"""

import contextlib
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    PAGE_SIZE,
    ChannelError,
    DailyFigures,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.graph import GraphChannel, graph_error
from pregon.publishing.channels.http import HttpClient, json_or_empty
from pregon.publishing.channels.network import link_appended
from pregon.publishing.channels.threads.conf import conf

API_VERSION = "/v1.0"
NAME = "Threads"
QUOTA_RETRY = 3600.0  # the publishing limit counts a rolling 24 hours: look again in an hour
REFRESH_BEFORE = timedelta(days=30)  # tokens last 60 days and may be refreshed after one
# What resume() gets: the container to publish, or "~" and the carousel items Threads
# was still processing ("~1801,1802,1803").
ITEMS = "~"
# The engine keeps this much of it (Delivery.network_ref). Twenty 18-digit item ids do
# not fit: such a carousel's items are waited for here, briefly, instead.
TOKEN_ROOM = 200
ITEM_LOOKS = 15  # looks at a long carousel's items, ITEM_WAIT seconds apart
ITEM_WAIT = 2.0
NO_PUBLIC_URL = (
    "Threads descarga las imágenes y los videos desde una dirección pública y el archivo "
    "{number} no tiene una. Configure PREGON_PUBLIC_URL con la dirección pública de Pregón."
)
CONTAINER_ERRORS = {
    "FAILED_DOWNLOADING_VIDEO": "Threads no pudo descargar el video: revise que "
    "PREGON_PUBLIC_URL sea accesible desde internet.",
    "FAILED_PROCESSING_VIDEO": "Threads no pudo procesar el video; pruebe con un MP4 (H.264).",
    "FAILED_PROCESSING_AUDIO": "Threads no pudo procesar el audio del video (AAC, mono o estéreo).",
    "INVALID_DURATION": "El video dura más de lo que Threads admite (5 minutos).",
}
ACCOUNT_METRICS = ("views", "likes", "replies", "reposts", "quotes", "followers_count")
POST_METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _timestamp(item: dict) -> datetime:
    try:
        return datetime.fromisoformat(item["timestamp"])
    except (KeyError, ValueError) as exc:
        raise ChannelError(
            "Threads: una publicación llegó sin fecha; no se puede saber si la nuestra "
            "está entre ellas.",
            uncertain=True,
        ) from exc


def _day_bounds(day: date) -> tuple[int, int]:
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(settings.TIME_ZONE))
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


def _metric(body: dict, name: str) -> int | None:
    """A Threads insights value: `total_value` (totals for the range) or the sum of
    the daily `values` (views come as a daily series)."""
    for item in body.get("data", []):
        if item.get("name") != name:
            continue
        if isinstance(item.get("total_value"), dict):
            return int(item["total_value"].get("value") or 0)
        values = [v.get("value") for v in item.get("values", [])]
        return sum(int(v) for v in values if isinstance(v, int | float))
    return None


class ThreadsChannel(GraphChannel):
    kind = "threads"
    network = NAME
    poll_interval = 30.0  # seconds before looking at a container again
    poll_attempts = 20

    @property
    def host(self) -> str:
        return (self.account.base_url or conf.PREGON_THREADS_API_URL).rstrip("/")

    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            self._http = HttpClient(self.host + API_VERSION, on_attempt=self._attempt)
        return self._http

    # Publishing ------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> PostResult:
        self._check_media(post.media)
        self._fresh_token()
        self._check_quota()
        token = self._containers(post)
        if self.defer_waits:
            return self.resume(post, token)
        return self._wait_and_resume(post, token)

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        """One look at what Threads is processing; the post once it is ready, else
        NotReady (the engine looks again later, no thread asleep)."""
        self._fresh_token()
        if token.startswith(ITEMS):
            items = token[len(ITEMS) :].split(",")
            states = [self._status(item) for item in items]
            if "EXPIRED" in states:
                return self.publish(post)  # nothing was public: make them again
            if any(state != "FINISHED" for state in states):
                raise NotReady(token, self.poll_interval)
            token = self._create(self._fields(post, items))
        state = self._status(token)
        if state == "EXPIRED":
            return self.publish(post)
        if state == "PUBLISHED":  # a publish whose answer was lost: settle, never repeat
            raise ChannelError(
                "Threads dice que este contenido ya se publicó; se comprobará en la cuenta.",
                uncertain=True,
            )
        if state != "FINISHED":
            raise NotReady(token, self.poll_interval)
        return self._publish_container(token)

    def _wait_and_resume(self, post: OutgoingPost, token: str) -> PostResult:
        """For callers outside the engine only: sleep through Threads' processing."""
        for _ in range(self.poll_attempts):
            try:
                return self.resume(post, token)
            except NotReady as again:
                token = again.token
                time.sleep(self.poll_interval)
        raise ChannelError("Threads sigue procesando las imágenes o el video; se reintentará.")

    def _text(self, post: OutgoingPost) -> str:
        return link_appended(post.text, post.link)

    def _user(self, edge: str) -> str:
        return f"/{self.account.external_id}/{edge}"

    def _check_media(self, media: list[OutgoingMedia]) -> None:
        for number, item in enumerate(media, start=1):
            if not item.public_url:
                raise ChannelError(NO_PUBLIC_URL.format(number=number), permanent=True)

    def _check_quota(self) -> None:
        answer = self.call(
            "GET", self._user("threads_publishing_limit"), fields="quota_usage,config"
        )
        for usage in answer.get("data", []):
            total = (usage.get("config") or {}).get("quota_total")
            if total is not None and usage.get("quota_usage", 0) >= total:
                raise ChannelError(
                    f"Threads: se alcanzó el límite de {total} publicaciones en 24 horas. "
                    f"{words.AUTOMATIC}",
                    rate_limited=True,
                    retry_after=QUOTA_RETRY,
                )

    def _containers(self, post: OutgoingPost) -> str:
        """resume()'s token: the post's container, or the carousel's items."""
        if len(post.media) <= 1:
            return self._create(self._fields(post))
        items = [self._create(self._media_fields(item, carousel=True)) for item in post.media]
        token = ITEMS + ",".join(items)
        if len(token) <= TOKEN_ROOM:
            return token
        waiting = list(items)
        for _ in range(ITEM_LOOKS):
            waiting = [item for item in waiting if self._status(item) != "FINISHED"]
            if not waiting:
                return self._create(self._fields(post, items))
            time.sleep(ITEM_WAIT)
        raise ChannelError(
            f"Threads sigue procesando las {len(items)} imágenes o videos del carrusel; "
            f"{words.AUTOMATIC}"
        )

    def _fields(self, post: OutgoingPost, children: list[str] | None = None) -> dict:
        fields = {"text": self._text(post)}
        if children:
            return {**fields, "media_type": "CAROUSEL", "children": ",".join(children)}
        if not post.media:
            return {**fields, "media_type": "TEXT"}
        return {**fields, **self._media_fields(post.media[0])}

    def _media_fields(self, item: OutgoingMedia, carousel: bool = False) -> dict:
        if item.is_video:
            fields = {"media_type": "VIDEO", "video_url": item.public_url}
        else:
            fields = {"media_type": "IMAGE", "image_url": item.public_url}
        if item.alt_text:
            fields["alt_text"] = item.alt_text[:1000]
        if carousel:
            fields["is_carousel_item"] = "true"
        return fields

    def _create(self, fields: dict) -> str:
        # Containers are invisible until threads_publish: a lost answer is harmless.
        try:
            return self.call("POST", self._user("threads"), **fields)["id"]
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.nothing_sent(self.network, exc)) from exc
            raise

    def _status(self, container: str) -> str:
        answer = self.call("GET", f"/{container}", fields="status,error_message")
        status = answer.get("status", "")
        if status == "ERROR":
            reason = answer.get("error_message", "")
            what = CONTAINER_ERRORS.get(reason, "Revise la imagen o el video en el acervo.")
            raise ChannelError(
                f"Threads rechazó el contenido: {what} (Respuesta de Threads: ERROR {reason})",
                permanent=True,
            )
        return status

    def _publish_container(self, container: str) -> PostResult:
        media_id = self.call("POST", self._user("threads_publish"), creation_id=container)["id"]
        try:  # the permalink is a courtesy: once published, nothing here may raise
            url = self.call("GET", f"/{media_id}", fields="permalink").get("permalink", "")
        except ChannelError:
            url = ""
        return PostResult(remote_id=media_id, remote_url=url)

    # Settling ---------------------------------------------------------------------
    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post among every one the account made since `since` (the `since`
        filter, `limit` and the `after` cursor until an empty page), by its text."""
        self._fresh_token()
        params = {
            "fields": "id,text,timestamp,permalink",
            "since": str(int(since.timestamp())),
            "limit": str(PAGE_SIZE),
        }
        expected = self._text(post)
        for number in range(1, MAX_PAGES + 1):
            answer = self._page(number, params)
            for item in answer.get("data", []):
                if _timestamp(item) >= since and _same_text(item.get("text", ""), expected):
                    return PostResult(item["id"], item.get("permalink", ""))
            after = ((answer.get("paging") or {}).get("cursors") or {}).get("after", "")
            if not answer.get("data") or not after:
                return None  # the whole window was read
            params["after"] = after
        raise window_not_read(self.network)

    def _page(self, number: int, params: dict) -> dict:
        try:
            return self.call("GET", self._user("threads"), **params)
        except ChannelError as exc:
            raise ChannelError(
                f"Threads: no se pudo leer la página {number} de las publicaciones desde el "
                f"intento, así que no se sabe si la nuestra está ({exc.message})",
                uncertain=True,
                status=exc.status,
            ) from exc

    # Figures ------------------------------------------------------------------------
    def daily_figures(self, day: date, remote_ids: list[str]) -> DailyFigures:
        """The account's day (views of the profile, likes, replies, reposts and quotes
        of its posts, followers) and each recent post's lifetime figures."""
        self._fresh_token()
        since, until = _day_bounds(day)
        figures = DailyFigures()
        body = self.call(
            "GET",
            self._user("threads_insights"),
            metric=",".join(ACCOUNT_METRICS),
            since=str(since),
            until=str(until),
        )
        found = {name: _metric(body, name) for name in ACCOUNT_METRICS}
        if found["followers_count"] is not None:
            figures.account["followers"] = found["followers_count"]
        if found["views"] is not None:
            figures.account["views"] = found["views"]
        engaged = [found[n] for n in ("likes", "replies", "reposts", "quotes")]
        if any(value is not None for value in engaged):
            figures.account["engagements"] = sum(value or 0 for value in engaged)
        for remote_id in remote_ids:
            self._post_figures(remote_id, figures)
        return figures

    def _post_figures(self, remote_id: str, figures: DailyFigures) -> None:
        try:
            body = self.call("GET", f"/{remote_id}/insights", metric=",".join(POST_METRICS))
        except ChannelError as exc:
            if exc.reconnect or exc.rate_limited:
                raise  # the rest would fail the same way
            figures.errors[f"publicación {remote_id}"] = exc.message
            return
        got = {name: _metric(body, name) or 0 for name in POST_METRICS}
        figures.posts[remote_id] = {
            "views": got["views"],
            "reactions": got["likes"],
            "comments": got["replies"],
            # Every way of passing it on: reposts, quotes and shares (sent or copied).
            "shares": got["reposts"] + got["quotes"] + got["shares"],
        }

    # Tokens -------------------------------------------------------------------------
    def _fresh_token(self) -> None:
        """Renew a long-lived token with less than REFRESH_BEFORE left, once, under the
        account's lock: a token another delivery renewed meanwhile is used instead."""
        if not self._expiring(self.account.credentials):
            return
        guard = self.credentials_guard or contextlib.nullcontext
        with guard() as stored:
            if stored:
                self.account.credentials = {**self.account.credentials, **stored}
            if self._expiring(self.account.credentials):
                self._refresh()

    def _expiring(self, credentials: dict) -> bool:
        expires = credentials.get("expires_at")
        if not isinstance(expires, int | float) or not credentials.get("access_token"):
            return False  # a token typed in by hand: used until Threads refuses it
        left = datetime.fromtimestamp(expires, UTC) - datetime.now(UTC)
        return left < REFRESH_BEFORE

    def _refresh(self) -> None:
        params = {"grant_type": "th_refresh_token", "access_token": self._token()}
        try:
            response = self.http.request(
                "GET", f"{self.host}/refresh_access_token", params=params, secret=True
            )
        except ChannelError as exc:
            raise ChannelError(words.nothing_sent(NAME, exc, "al renovar el token")) from exc
        body = json_or_empty(response)
        if response.status_code >= 400 or "access_token" not in body:
            error = graph_error(response, NAME)
            if error.rate_limited or not error.permanent:
                raise error
            raise ChannelError(
                words.reconnect(NAME, "renovación del token"), reconnect=True, status=error.status
            )
        new = {
            **self.account.credentials,
            "access_token": body["access_token"],
            "expires_at": int(time.time()) + int(body.get("expires_in") or 5_184_000),
        }
        self.account.credentials = new
        if self.on_credentials_changed:
            self.on_credentials_changed(dict(new))

    def test_connection(self) -> str:
        self._fresh_token()
        user = self.call("GET", f"/{self.account.external_id or 'me'}", fields="id,username")
        return f"Threads @{user.get('username', '')} ({user.get('id', '')})"
