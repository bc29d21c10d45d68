"""Facebook Pages through the Graph API.

Text and link posts: POST /{page-id}/feed (message, link). Photos: each one
POST /{page-id}/photos with published=false, then one /feed post whose
attached_media lists them. A video goes alone: POST /{page-id}/videos with the
file in `source` and the text as `description`, then its Spanish subtitles with
POST /{video-id}/captions (an SRT named `<name>.es_LA.srt`). Meta answers error
506 when the same message was just posted: that means it is already out, so we
look it up instead of failing.
"""

import contextlib
import json
import mimetypes
from datetime import UTC, datetime, timedelta

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    PAGE_SIZE,
    ChannelError,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.facebook.live import FacebookLive
from pregon.publishing.channels.graph import DUPLICATE_CODE, GraphChannel, next_cursor

DUPLICATE_WINDOW = timedelta(days=1)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


class FacebookPageChannel(FacebookLive, GraphChannel):
    kind = "facebook_page"
    network = "Facebook"

    def publish(self, post: OutgoingPost) -> PostResult:
        started = datetime.now(UTC)
        try:
            if post.media and post.media[0].is_video:
                return self._publish_video(post, post.media[0])
            if post.media:
                photo_ids = [self._upload_photo(media) for media in post.media]
                result = self._post_with_photos(post, photo_ids)
            else:
                result = self.call("POST", self._feed(), **self._message(post, with_link=True))
        except ChannelError as exc:
            if getattr(exc, "graph_code", None) != DUPLICATE_CODE:
                raise
            return self._already_published(post, started, exc)
        return self._result(result["id"])

    def _feed(self) -> str:
        return f"/{self.account.external_id}/feed"

    def _message(self, post: OutgoingPost, *, with_link: bool) -> dict:
        fields = {"message": self._text(post, with_link)}
        if with_link and post.link:
            fields["link"] = post.link
        return fields

    def _text(self, post: OutgoingPost, with_link: bool) -> str:
        # A photo post cannot carry a link preview: the link goes into the text.
        if with_link or not post.link or post.link in post.text:
            return post.text
        return f"{post.text}\n\n{post.link}".strip()

    def _upload_photo(self, media) -> str:
        # An unpublished photo is invisible until attached: a lost answer here is harmless.
        mime = media.mime_type or mimetypes.guess_type(media.path.name)[0] or "image/jpeg"
        with open(media.path, "rb") as handle:
            files = {"source": (media.path.name, handle, mime)}
            params = {"published": "false", "alt_text_custom": media.alt_text}
            try:
                return self.call("POST", f"/{self.account.external_id}/photos", files, **params)[
                    "id"
                ]
            except ChannelError as exc:
                if exc.uncertain:
                    # Nothing visible went out: an unattached photo is invisible.
                    raise ChannelError(words.nothing_sent(self.network, exc)) from exc
                raise

    def _publish_video(self, post: OutgoingPost, media) -> PostResult:
        # The upload publishes: a lost answer here is uncertain (the engine settles it
        # through find_existing, which sees video posts in the page's feed).
        with open(media.path, "rb") as handle:
            files = {"source": (media.path.name, handle, "video/mp4")}
            fields = {"description": self._text(post, with_link=False)}
            if post.title:
                fields["title"] = post.title
            video_id = self.call("POST", f"/{self.account.external_id}/videos", files, **fields)[
                "id"
            ]
        if media.captions_srt:
            self._add_captions(video_id, media.captions_srt)
        return self._result(video_id)

    def _add_captions(self, video_id: str, srt) -> None:
        """The video is out already: a refused subtitle file must not make the
        delivery fail (nor be sent again); the attempt log keeps the answer."""
        with open(srt, "rb") as handle:
            files = {"captions_file": ("subtitulos.es_LA.srt", handle, "application/x-subrip")}
            with contextlib.suppress(ChannelError):
                self.call("POST", f"/{video_id}/captions", files, default_locale="es_LA")

    def _post_with_photos(self, post: OutgoingPost, photo_ids: list[str]) -> dict:
        fields = self._message(post, with_link=False)
        for index, photo_id in enumerate(photo_ids):
            fields[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return self.call("POST", self._feed(), **fields)

    def _result(self, post_id: str) -> PostResult:
        """The permalink is a courtesy: once the post exists, nothing here may raise."""
        try:
            url = self.call("GET", f"/{post_id}", fields="permalink_url").get("permalink_url")
        except ChannelError:
            url = ""
        if url and url.startswith("/"):  # videos answer a path
            url = f"https://www.facebook.com{url}"
        return PostResult(
            remote_id=post_id, remote_url=url or f"https://www.facebook.com/{post_id}"
        )

    def _already_published(self, post: OutgoingPost, started, exc: ChannelError) -> PostResult:
        found = self.find_existing(post, started - DUPLICATE_WINDOW)
        if found is None:
            raise ChannelError(
                "Facebook dice que la publicación ya existe (506) pero no aparece entre las "
                "recientes de la página; revísela a mano.",
                uncertain=True,
                status=exc.status,
                response_text=exc.response_text,
            )
        return found

    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post among every page post since `since` (Graph filters by time and
        pages with cursors, newest first), recognised by its text."""
        expected = self._text(post, with_link=not post.media)
        params = {
            "fields": "id,message,created_time,permalink_url",
            "since": str(int(since.timestamp())),
            "limit": str(PAGE_SIZE),
        }
        for _ in range(MAX_PAGES):
            answer = self.call("GET", self._feed(), **params)
            for item in answer.get("data", []):
                if _same_text(item.get("message", ""), expected):
                    url = item.get("permalink_url") or f"https://www.facebook.com/{item['id']}"
                    return PostResult(remote_id=item["id"], remote_url=url)
            after = next_cursor(answer)
            if not after:
                return None  # the whole window was read
            params["after"] = after
        raise window_not_read(self.network)

    def test_connection(self) -> str:
        page = self.call("GET", f"/{self.account.external_id}", fields="id,name")
        return f"Página de Facebook «{page.get('name', '')}» ({page.get('id', '')})"
