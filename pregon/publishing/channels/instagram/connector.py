"""Instagram (professional accounts) through the Graph API content publishing flow.

Meta downloads every image itself from a public URL, so each media item must carry
`public_url` (a signed, expiring link under PREGON_PUBLIC_URL): without one we refuse
before any call. Steps: read content_publishing_limit; POST /{ig-user-id}/media
(image_url, caption, alt_text; a single video as media_type=REELS with
video_url; carousel items with is_carousel_item — videos as media_type=VIDEO,
each waited for until FINISHED — then a CAROUSEL container with children); poll
the container's status_code until FINISHED; POST /{ig-user-id}/media_publish
with creation_id. Instagram takes no subtitle file through the API (it captions
videos itself), so a video's subtitles stay on the portal and Facebook.
"""

import time
from datetime import datetime

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    PAGE_SIZE,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.graph import GraphChannel, next_cursor

NO_PUBLIC_URL = (
    "Instagram descarga las imágenes desde una dirección pública y la imagen {number} no "
    "tiene una. Configure PREGON_PUBLIC_URL con la dirección pública de Pregón."
)
QUOTA_RETRY = 3600.0  # the limit counts a rolling 24 hours: look again in an hour


def _timestamp(item: dict) -> datetime:
    try:
        return datetime.fromisoformat(item["timestamp"])
    except (KeyError, ValueError) as exc:
        raise ChannelError(
            "Instagram: una publicación llegó sin fecha; no se puede saber si la nuestra "
            "está entre ellas.",
            uncertain=True,
        ) from exc


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


class InstagramChannel(GraphChannel):
    kind = "instagram"
    network = "Instagram"
    poll_interval = 2.0  # seconds between container status checks
    poll_attempts = 30

    def publish(self, post: OutgoingPost) -> PostResult:
        self._check_media(post.media)
        self._check_quota()
        container = self._container(post)
        if self.defer_waits:
            return self.resume(post, container)
        self._wait_until_finished(container)
        return self._publish_container(container)

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        """One status check of the container; publish it once FINISHED, else NotReady
        (the engine checks again later without a thread asleep)."""
        if not self._finished(token):
            raise NotReady(token, self.poll_interval)
        return self._publish_container(token)

    def _publish_container(self, container: str) -> PostResult:
        media_id = self.call("POST", self._user("media_publish"), creation_id=container)["id"]
        return self._result(media_id)

    def _user(self, edge: str) -> str:
        return f"/{self.account.external_id}/{edge}"

    def _check_media(self, media: list[OutgoingMedia]) -> None:
        if not media:
            raise ChannelError("Instagram necesita al menos una imagen o un video.", permanent=True)
        for number, item in enumerate(media, start=1):
            if not item.public_url:
                raise ChannelError(NO_PUBLIC_URL.format(number=number), permanent=True)

    def _check_quota(self) -> None:
        answer = self.call(
            "GET", self._user("content_publishing_limit"), fields="quota_usage,config"
        )
        for usage in answer.get("data", []):
            total = (usage.get("config") or {}).get("quota_total")
            if total is not None and usage.get("quota_usage", 0) >= total:
                raise ChannelError(
                    f"Instagram: se alcanzó el límite de {total} publicaciones en 24 horas.",
                    rate_limited=True,
                    retry_after=QUOTA_RETRY,
                )

    def _container(self, post: OutgoingPost) -> str:
        # Containers are invisible until media_publish: a lost answer here is harmless.
        try:
            if len(post.media) == 1:
                return self._item(post.media[0], caption=post.text)
            children = [self._item(item, carousel_item=True) for item in post.media]
            for item, child in zip(post.media, children, strict=True):
                if item.is_video:  # Meta must have fetched and transcoded it first
                    self._wait_until_finished(child)
            return self.call(
                "POST",
                self._user("media"),
                media_type="CAROUSEL",
                children=",".join(children),
                caption=post.text,
            )["id"]
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.nothing_sent(self.network, exc)) from exc
            raise

    def _item(self, item: OutgoingMedia, caption: str = "", carousel_item: bool = False) -> str:
        if item.is_video:
            fields = {"video_url": item.public_url}
            fields["media_type"] = "VIDEO" if carousel_item else "REELS"
        else:
            fields = {"image_url": item.public_url, "alt_text": item.alt_text}
        if carousel_item:
            fields["is_carousel_item"] = "true"
        else:
            fields["caption"] = caption
        return self.call("POST", self._user("media"), **fields)["id"]

    def _wait_until_finished(self, container: str) -> None:
        for _ in range(self.poll_attempts):
            if self._finished(container):
                return
            time.sleep(self.poll_interval)
        raise ChannelError("Instagram sigue procesando las imágenes; se reintentará.")

    def _finished(self, container: str) -> bool:
        status = self.call("GET", f"/{container}", fields="status_code,status")
        code = status.get("status_code")
        if code in ("ERROR", "EXPIRED"):
            raise ChannelError(
                f"Instagram rechazó el contenido ({code}): {status.get('status', '')}",
                permanent=True,
            )
        return code == "FINISHED"

    def _result(self, media_id: str) -> PostResult:
        """The permalink is a courtesy: once published, nothing here may raise."""
        try:
            url = self.call("GET", f"/{media_id}", fields="permalink").get("permalink", "")
        except ChannelError:
            url = ""
        return PostResult(remote_id=media_id, remote_url=url)

    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post among the account's media since `since`, recognised by its caption.
        The media edge has no time filter: it pages newest first, so reading stops at
        the first item older than `since` (the whole window was read)."""
        params = {"fields": "id,caption,permalink,timestamp", "limit": str(PAGE_SIZE)}
        for _ in range(MAX_PAGES):
            answer = self.call("GET", self._user("media"), **params)
            for item in answer.get("data", []):
                published = _timestamp(item)
                if published < since:
                    return None
                if _same_text(item.get("caption", ""), post.text):
                    return PostResult(remote_id=item["id"], remote_url=item.get("permalink", ""))
            after = next_cursor(answer)
            if not after:
                return None
            params["after"] = after
        raise window_not_read(self.network)

    def test_connection(self) -> str:
        user = self.call("GET", f"/{self.account.external_id}", fields="id,username")
        return f"Instagram @{user.get('username', '')} ({user.get('id', '')})"
