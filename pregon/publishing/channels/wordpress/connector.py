"""The municipal web portal through the WordPress REST API.

Authentication with an Application Password (HTTP Basic: user name and the
generated password). Images go first to POST /wp-json/wp/v2/media (raw bytes with
Content-Disposition), the first one becomes the post's featured_media and the
others are placed in the content; a video and its WebVTT subtitles are uploaded
the same way and placed in the content as <video> with a captions <track>; then
POST /wp-json/wp/v2/posts with status=publish. Errors come as {"code", "message",
"data": {"status"}}.
"""

import html
from datetime import datetime

import httpx
from django.utils.text import slugify

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    Channel,
    ChannelError,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
)
from pregon.publishing.channels.http import HttpClient, generic_error, json_or_empty
from pregon.publishing.channels.wordpress.limits import portal_title

API = "/wp-json/wp/v2"
NETWORK = "El portal"
UPLOAD_PIECE = 1 << 20


def post_slug(post: OutgoingPost) -> str:
    """Readable and unique to the delivery (its reference), set before sending so the
    post can be looked up exactly after an uncertain outcome."""
    title = slugify(portal_title(post.text, post.title or None))[:80].strip("-")
    return f"{title}-{post.reference}" if title else post.reference


class WordPressChannel(Channel):
    kind = "wordpress"

    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            if not self.account.base_url:
                raise ChannelError("El portal no tiene dirección configurada.", permanent=True)
            self._http = HttpClient(
                self.account.base_url, on_attempt=lambda a: self.on_attempt and self.on_attempt(a)
            )
        return self._http

    def _auth(self) -> tuple[str, str]:
        credentials = self.account.credentials
        if not credentials.get("username") or not credentials.get("application_password"):
            raise ChannelError(
                "El portal no tiene usuario y contraseña de aplicación.", reconnect=True
            )
        return credentials["username"], credentials["application_password"]

    def _call(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, f"{API}{path}", auth=self._auth(), **kwargs)
        if response.status_code >= 400:
            raise _error(response)
        return json_or_empty(response)

    def publish(self, post: OutgoingPost) -> PostResult:
        images = [self._upload(item) for item in post.media if not item.is_video]
        videos = [self._upload_video(item) for item in post.media if item.is_video]
        body = {
            "title": portal_title(post.text, post.title or None),
            "content": _content(post, images[1:], videos),
            "status": "publish",
        }
        if post.reference:
            body["slug"] = post_slug(post)
        if images:
            body["featured_media"] = images[0]["id"]
        created = self._call("POST", "/posts", json=body)
        return PostResult(remote_id=str(created["id"]), remote_url=created.get("link", ""))

    def _upload_video(self, media: OutgoingMedia) -> tuple[dict, dict | None]:
        video = self._upload(media)
        track = None
        if media.captions_vtt:
            track = self._upload(OutgoingMedia(media.captions_vtt, "text/vtt"))
        return video, track

    def _upload(self, media: OutgoingMedia) -> dict:
        # An orphan file in the media library is harmless; a second post is not.
        headers = {
            "Content-Type": media.mime_type,
            "Content-Disposition": f'attachment; filename="{media.path.name}"',
            # Streamed in pieces (a video may be hundreds of MB), with its length
            # declared, so the request is not chunk-encoded.
            "Content-Length": str(media.path.stat().st_size),
        }
        params = {"alt_text": media.alt_text} if media.mime_type.startswith("image/") else {}
        try:
            with open(media.path, "rb") as handle:
                pieces = iter(lambda: handle.read(UPLOAD_PIECE), b"")
                return self._call("POST", "/media", content=pieces, headers=headers, params=params)
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.nothing_sent(NETWORK, exc)) from exc
            raise

    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post by the slug Pregón gave it before sending: exact, however many
        posts the portal has published since. WordPress answers only published posts
        here, so a post left as draft or in the trash counts as not there."""
        if not post.reference:
            raise ChannelError(
                "Portal: el envío no tiene referencia para buscarlo.", uncertain=True
            )
        params = {"slug": post_slug(post), "_fields": "id,link,slug"}
        for item in self._call("GET", "/posts", params=params).get("data", []):
            if item.get("slug") == params["slug"]:
                return PostResult(remote_id=str(item["id"]), remote_url=item.get("link", ""))
        return None

    def test_connection(self) -> str:
        me = self._call("GET", "/users/me")
        return f"Portal {self.account.base_url}: usuario «{me.get('name', '')}»"


def _content(post: OutgoingPost, more_images: list[dict], videos: list) -> str:
    paragraphs = [f"<p>{html.escape(p.strip())}</p>" for p in post.text.split("\n\n") if p.strip()]
    if post.link:
        link = html.escape(post.link, quote=True)
        paragraphs.append(f'<p><a href="{link}">{link}</a></p>')
    for image in more_images:
        src = html.escape(image.get("source_url", ""), quote=True)
        alt = html.escape(image.get("alt_text", ""), quote=True)
        paragraphs.append(f'<figure><img src="{src}" alt="{alt}"></figure>')
    for video, track in videos:
        src = html.escape(video.get("source_url", ""), quote=True)
        captions = ""
        if track is not None:
            vtt = html.escape(track.get("source_url", ""), quote=True)
            captions = f'<track kind="captions" src="{vtt}" srclang="es" label="Español" default>'
        paragraphs.append(
            f'<figure class="wp-block-video"><video controls preload="metadata" src="{src}">'
            f"{captions}</video></figure>"
        )
    return "\n".join(paragraphs)


def _error(response: httpx.Response) -> ChannelError:
    body = json_or_empty(response)
    detail = f"{body.get('code', '')}: {body.get('message') or response.reason_phrase}"
    common = {"status": response.status_code, "response_text": response.text}
    if response.status_code == 401:
        return ChannelError(
            words.reconnect(NETWORK, detail)
            + " Revise el usuario y la contraseña de aplicación del portal.",
            reconnect=True,
            **common,
        )
    if response.status_code == 429:
        wait = float(response.headers.get("retry-after", "60") or 60)
        return ChannelError(
            words.rate_limited(NETWORK, detail), rate_limited=True, retry_after=wait, **common
        )
    return generic_error(response, NETWORK, detail)
