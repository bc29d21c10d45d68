"""TikTok through the Content Posting API (open.tiktokapis.com/v2) with a user token.

Before any post, POST /v2/post/publish/creator_info/query/ says what the creator
allows (privacy levels, comments/duets/stitches switched off, the longest video).
A video goes out as a direct post: POST /v2/post/publish/video/init/ (post_info and
source_info FILE_UPLOAD with TikTok's chunk plan), then PUT each chunk to the
upload_url with Content-Range; TikTok publishes once the last byte is in. Photos go
with POST /v2/post/publish/content/init/ (media_type PHOTO, PULL_FROM_URL: TikTok
downloads them from our public address). Then POST /v2/post/publish/status/fetch/
says how far it got: nobody sleeps through it, publish() raises NotReady and the
engine calls resume() later.

Apps TikTok has not audited may not post publicly: an account connected in «bandeja»
mode (or one that gets unaudited_client_can_only_post_to_private_accounts) uploads to
the creator's inbox instead (inbox/video/init/, or post_mode MEDIA_UPLOAD). Then a
person must open TikTok and publish it: the delivery waits, saying so, and becomes
published when TikTok says the creator posted it.

Access tokens last 24 hours; on access_token_invalid we refresh once under the
account's lock (credentials_guard): TikTok may rotate the refresh token, and the new
one is stored before anything uses it.
"""

import contextlib
import time
from datetime import UTC, date, datetime, timedelta

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    MAX_PAGES,
    ChannelError,
    DailyFigures,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
    window_not_read,
)
from pregon.publishing.channels.limits import utf16_cut
from pregon.publishing.channels.tiktok.api import NAME, SPAM, TikTokApi, error_code

MIB = 1024 * 1024
# TikTok's chunk rules (Media Transfer Guide): chunks of 5–64 MB, the last one may
# carry the trailing bytes (up to 128 MB), a file under 5 MB goes whole, 1–1000 chunks.
MIN_CHUNK = 5 * MIB
MAX_CHUNK = 64 * MIB
CHUNK_BYTES = 16 * MIB
PAGE_SIZE = 20  # video/list and video/query take at most 20 per call
PHOTO_TITLE = 90  # UTF-16 units of a photo post's title
# The token resume() gets: "<mode>:<publish_id>:<epoch of the upload>".
DIRECT, PHOTO, INBOX = "v", "p", "i"
INBOX_RECHECK = 15 * 60.0  # seconds between looks while a draft waits in the inbox
INBOX_DAYS = 7  # after this, nobody is going to publish it from the inbox
NO_ID_WAIT = 30.0  # published, but TikTok gives the id only after its moderation
NO_ID_HOURS = 6
# A video TikTok accepted may take minutes to show in video/list: «not there» only
# counts once the attempt is older than this.
SHOW_UP = timedelta(minutes=20)
INBOX_MESSAGE = (
    "TikTok: el video quedó en la bandeja de la cuenta; ábralo en la app para publicarlo "
    "(Bandeja de entrada › notificación de Pregón; pegue el texto de la publicación). "
    "La app de TikTok de esta instalación no está auditada para publicar directo. "
    "Pregón revisa cada 15 minutos y lo marcará publicado en cuanto aparezca; "
    "si lo publica con otra cuenta, márquelo a mano."
)
PHOTO_INBOX_MESSAGE = INBOX_MESSAGE.replace("el video quedó", "las fotos quedaron").replace(
    "; pegue el texto de la publicación", ""
)
FAIL_REASONS = {
    "file_format_check_failed": "TikTok no acepta el formato del archivo.",
    "duration_check_failed": "el video dura más de lo que la cuenta permite.",
    "frame_rate_check_failed": "la velocidad de cuadros del video no es válida (23–60).",
    "picture_size_check_failed": "el tamaño de la imagen no es válido.",
    "video_pull_failed": "TikTok no pudo descargar el video de la dirección pública.",
    "photo_pull_failed": "TikTok no pudo descargar la foto de la dirección pública "
    "(revise PREGON_PUBLIC_URL).",
    "publish_cancelled": "la publicación se canceló en TikTok.",
    "auth_removed": "la cuenta quitó el permiso a Pregón; vuelva a conectarla.",
    "spam_risk_too_many_posts": "la cuenta llegó al límite diario de publicaciones.",
    "spam_risk_user_banned_from_posting": "TikTok no deja publicar a esta cuenta.",
    "internal": "falla interna de TikTok.",
}


def chunk_plan(size: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) by TikTok's rules: whole if it fits one chunk,
    else CHUNK_BYTES chunks with the trailing bytes in the last one."""
    if size <= MAX_CHUNK:
        return size, 1
    return CHUNK_BYTES, size // CHUNK_BYTES


def video_seconds(media: OutgoingMedia) -> float | None:
    import av  # noqa: PLC0415 - PyAV is heavy; only a video post needs it

    try:
        with av.open(str(media.path)) as container:
            return container.duration / av.time_base if container.duration else None
    except (av.FFmpegError, OSError):
        return None


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


class TikTokChannel(TikTokApi):
    kind = "tiktok"
    poll_interval = 5.0  # seconds between status looks while TikTok processes
    poll_attempts = 120

    @property
    def inbox_only(self) -> bool:
        return bool(self.account.credentials.get("inbox_only"))

    # Publishing --------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> PostResult:
        if not post.media:
            raise ChannelError("TikTok necesita un video o fotos.", permanent=True)
        creator = self._creator_info()
        if post.media[0].is_video:
            token = self._send_video(post, creator)
        else:
            token = self._send_photos(post, creator)
        if self.defer_waits:
            return self.resume(post, token)
        return self._wait_and_resume(post, token)

    def _wait_and_resume(self, post: OutgoingPost, token: str) -> PostResult:
        """For callers outside the engine only: sleep through TikTok's processing."""
        for _ in range(self.poll_attempts):
            try:
                return self.resume(post, token)
            except NotReady as again:
                if token.startswith(INBOX) and again.retry_after >= INBOX_RECHECK:
                    raise  # a person must act: nobody waits for that here
                token = again.token
                time.sleep(min(again.retry_after, 5.0))
        raise ChannelError("TikTok sigue procesando el video; se reintentará.")

    def resume(self, post: OutgoingPost, token: str) -> PostResult:
        """One look at the publish status; NotReady while TikTok (or a person with the
        inbox draft) is not done."""
        mode, publish_id, started = _parse(token)
        if not publish_id:
            return self.publish(post)
        answer = self._status(publish_id)
        status = answer.get("status", "")
        if status == "FAILED":
            raise self._failed(answer.get("fail_reason", ""))
        if status == "PUBLISH_COMPLETE":
            return self._complete(answer, token, mode, publish_id, started)
        if status == "SEND_TO_USER_INBOX":
            return self._in_inbox(post, token, started)
        raise NotReady(token, self.poll_interval)

    def _status(self, publish_id: str) -> dict:
        """status/fetch only reads: a lost answer changes nothing and is retried."""
        body = {"publish_id": publish_id}
        try:
            return self._call_json("POST", "/v2/post/publish/status/fetch/", "Estado", json=body)
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.transient(NAME, "sin respuesta al consultar")) from exc
            raise

    def _complete(
        self, answer: dict, token: str, mode: str, publish_id: str, started: float
    ) -> PostResult:
        ids = [str(i) for i in answer.get("publicaly_available_post_id") or []]
        if ids:
            return PostResult(ids[0], self._post_url(ids[0], photo=mode == PHOTO))
        if time.time() - started < NO_ID_HOURS * 3600:  # still in TikTok's moderation
            raise NotReady(token, NO_ID_WAIT)
        # Published without a public id (the creator chose a private audience).
        return PostResult(publish_id, self._profile_url())

    def _in_inbox(self, post: OutgoingPost, token: str, started: float) -> PostResult:
        if time.time() - started > INBOX_DAYS * 86400:
            raise ChannelError(
                f"TikTok: lo enviado estuvo {INBOX_DAYS} días en la bandeja de la cuenta y "
                "nadie lo publicó. Si ya lo publicó a mano, márquelo publicado con su "
                "dirección; si no, vuelva a enviarlo.",
                permanent=True,
            )
        message = INBOX_MESSAGE if post.media[0].is_video else PHOTO_INBOX_MESSAGE
        raise NotReady(token, INBOX_RECHECK, message)

    def _failed(self, reason: str) -> ChannelError:
        detail = FAIL_REASONS.get(reason, reason or "sin motivo")
        if reason == "auth_removed":
            return ChannelError(words.reconnect(NAME, reason), reconnect=True)
        if reason.startswith("spam_risk"):
            return ChannelError(SPAM.format(code=reason), permanent=True)
        if reason == "internal":
            return ChannelError(words.transient(NAME, reason))
        return ChannelError(f"TikTok no publicó: {detail} ({reason})", permanent=True)

    # Creator -------------------------------------------------------------------
    def _creator_info(self) -> dict:
        return self._call_json("POST", "/v2/post/publish/creator_info/query/", "Cuenta")

    def _post_info(self, creator: dict, title: str, **extra: object) -> dict:
        if "PUBLIC_TO_EVERYONE" not in (creator.get("privacy_level_options") or []):
            raise ChannelError(
                "TikTok: la cuenta no permite publicar para todos (es privada o la "
                "app no está auditada). Hágala pública en la app de TikTok o reconéctela "
                "en modo «bandeja».",
                permanent=True,
            )
        return {
            "title": title,
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": bool(creator.get("comment_disabled")),
            **extra,
        }

    def _check_duration(self, media: OutgoingMedia, creator: dict) -> None:
        limit = creator.get("max_video_post_duration_sec")
        seconds = video_seconds(media)
        if limit and seconds is not None and seconds > limit:
            raise ChannelError(
                f"TikTok: el video dura {seconds:.0f} s y la cuenta permite hasta {limit} s. "
                "Recórtelo en el acervo y vuelva a enviarlo.",
                permanent=True,
            )

    # Video -----------------------------------------------------------------------
    def _send_video(self, post: OutgoingPost, creator: dict) -> str:
        media = post.media[0]
        self._check_duration(media, creator)
        size = media.path.stat().st_size
        chunk, count = chunk_plan(size)
        source = {
            "source": "FILE_UPLOAD",
            "video_size": size,
            "chunk_size": chunk,
            "total_chunk_count": count,
        }
        mode, started = DIRECT, time.time()
        body = None
        if not self.inbox_only:
            extra = {
                "disable_duet": bool(creator.get("duet_disabled")),
                "disable_stitch": bool(creator.get("stitch_disabled")),
            }
            body = {"post_info": self._post_info(creator, post.text, **extra)}
        answer = self._init(
            "/v2/post/publish/video/init/", {**(body or {}), "source_info": source}, direct=True
        )
        if answer is None:  # not audited for direct posting: to the creator's inbox
            mode = INBOX
            answer = self._init("/v2/post/publish/inbox/video/init/", {"source_info": source}) or {}
        self._upload(media, answer["upload_url"], chunk, count, final_is_post=mode == DIRECT)
        return f"{mode}:{answer['publish_id']}:{int(started)}"

    def _init(self, path: str, body: dict, direct: bool = False) -> dict | None:
        """The init answer; None when TikTok refuses a direct post from an unaudited app
        (the account is then remembered as inbox-only). An init publishes nothing
        until the bytes arrive: a lost answer here is harmless."""
        if direct and self.inbox_only:
            return None
        try:
            response = self._call("POST", path, json=body)
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(words.nothing_sent(NAME, exc, "al preparar la carga")) from exc
            raise
        if error_code(response) == "unaudited_client_can_only_post_to_private_accounts":
            self._remember_inbox_only()
            return None
        return self._checked(response, "Carga")

    def _upload(
        self, media: OutgoingMedia, url: str, chunk: int, count: int, final_is_post: bool
    ) -> None:
        size = media.path.stat().st_size
        with open(media.path, "rb") as handle:
            for index in range(count):
                first = index * chunk
                length = size - first if index == count - 1 else chunk
                data = handle.read(length)
                headers = {
                    "Content-Type": media.mime_type,
                    "Content-Range": f"bytes {first}-{first + length - 1}/{size}",
                }
                last = index == count - 1
                try:
                    response = self.http.request("PUT", url, content=data, headers=headers)
                except ChannelError as exc:
                    if exc.uncertain and not (last and final_is_post):
                        raise ChannelError(words.nothing_sent(NAME, exc)) from exc
                    raise
                self._checked(response, "Carga del video")

    # Photos ----------------------------------------------------------------------
    def _send_photos(self, post: OutgoingPost, creator: dict) -> str:
        for number, item in enumerate(post.media, start=1):
            if not item.public_url:
                raise ChannelError(
                    f"TikTok descarga las fotos desde una dirección pública y la foto {number} "
                    "no tiene una. Configure PREGON_PUBLIC_URL con la dirección pública de "
                    "Pregón.",
                    permanent=True,
                )
        title = utf16_cut(post.title or post.text.split("\n", 1)[0], PHOTO_TITLE)
        source = {
            "source": "PULL_FROM_URL",
            "photo_cover_index": 0,
            "photo_images": [item.public_url for item in post.media],
        }
        body = {"media_type": "PHOTO", "source_info": source}
        started = time.time()
        if not self.inbox_only:
            info = self._post_info(creator, title, description=post.text, auto_add_music=True)
            direct = {**body, "post_mode": "DIRECT_POST", "post_info": info}
            # TikTok downloads and publishes on this call: a lost answer is uncertain.
            response = self._call("POST", "/v2/post/publish/content/init/", json=direct)
            if error_code(response) != "unaudited_client_can_only_post_to_private_accounts":
                answer = self._checked(response, "Fotos")
                return f"{PHOTO}:{answer['publish_id']}:{int(started)}"
            self._remember_inbox_only()
        info = {"title": title, "description": post.text}
        drafted = {**body, "post_mode": "MEDIA_UPLOAD", "post_info": info}
        answer = self._init("/v2/post/publish/content/init/", drafted) or {}
        return f"{INBOX}:{answer['publish_id']}:{int(started)}"

    def _remember_inbox_only(self) -> None:
        """Stored under the account's lock with the credentials stored now, so a refresh
        token another worker just rotated is never overwritten."""
        guard = self.credentials_guard or contextlib.nullcontext
        with guard() as stored:
            new = {**self.account.credentials, **(stored or {}), "inbox_only": True}
            self.account.credentials = new
            if self.on_credentials_changed:
                self.on_credentials_changed(dict(new))

    # Settling, figures and checks ------------------------------------------------
    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """Our post among every video since `since` (video/list pages newest first with
        its cursor), recognised by its caption. A video TikTok is still processing does
        not show yet: «not there» only counts for attempts older than SHOW_UP."""
        fields = "id,title,video_description,create_time,share_url"
        body: dict = {"max_count": PAGE_SIZE}
        floor = since.timestamp()
        for _ in range(MAX_PAGES):
            answer = self._call_json(
                "POST", f"/v2/video/list/?fields={fields}", "Consulta", json=body
            )
            for video in answer.get("videos") or []:
                if video.get("create_time", 0) < floor:
                    return self._absent(post, since)  # older than the attempt: all was read
                if _ours(video, post):
                    return PostResult(str(video["id"]), video.get("share_url", ""))
            if not answer.get("has_more"):
                return self._absent(post, since)
            body["cursor"] = answer.get("cursor")
        raise window_not_read(NAME)

    def _absent(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        """None («certainly not there»), unless the attempt is too recent to tell or it
        was a photo post: video/list is documented for videos, and a photo post it does
        not list must not be sent twice."""
        if post.media and not post.media[0].is_video:
            raise ChannelError(
                "TikTok: la publicación de fotos no aparece entre los videos de la cuenta, "
                "y TikTok no garantiza listarlas. Revise la cuenta en la app y decida: "
                "márquela publicada con su dirección o vuelva a enviarla.",
                uncertain=True,
            )
        if datetime.now(UTC) - since < SHOW_UP:
            raise ChannelError(
                "TikTok: todavía no aparece en la cuenta, pero TikTok tarda unos minutos en "
                "mostrar un video recién enviado; se comprobará de nuevo.",
                uncertain=True,
            )
        return None

    def daily_figures(self, day: date, remote_ids: list[str]) -> DailyFigures:
        figures = DailyFigures()
        user = self._call_json("GET", "/v2/user/info/?fields=open_id,follower_count", "Cuenta")
        followers = (user.get("user") or {}).get("follower_count")
        if isinstance(followers, int):
            figures.account["followers"] = followers
        ids = [i for i in remote_ids if i.isdigit()]  # inbox drafts have no video id
        fields = "id,view_count,like_count,comment_count,share_count"
        for start in range(0, len(ids), PAGE_SIZE):
            batch = {"filters": {"video_ids": ids[start : start + PAGE_SIZE]}}
            try:
                answer = self._call_json(
                    "POST", f"/v2/video/query/?fields={fields}", "Videos", json=batch
                )
            except ChannelError as exc:
                figures.errors["posts"] = exc.message
                continue
            for video in answer.get("videos") or []:
                figures.posts[str(video["id"])] = {
                    "views": video.get("view_count", 0),
                    "reactions": video.get("like_count", 0),
                    "comments": video.get("comment_count", 0),
                    "shares": video.get("share_count", 0),
                }
        return figures

    def _me(self) -> dict:
        fields = "open_id,display_name,username"
        return self._call_json("GET", f"/v2/user/info/?fields={fields}", "Cuenta").get("user", {})

    def test_connection(self) -> str:
        me = self._me()
        return f"TikTok @{me.get('username', '')} ({me.get('display_name', '')})"

    def _username(self) -> str:
        return self.account.credentials.get("username", "")

    def _post_url(self, post_id: str, photo: bool) -> str:
        return (
            f"https://www.tiktok.com/@{self._username()}/{'photo' if photo else 'video'}/{post_id}"
        )

    def _profile_url(self) -> str:
        return f"https://www.tiktok.com/@{self._username()}"


def _parse(token: str) -> tuple[str, str, float]:
    """(mode, publish_id, started) of resume()'s token; empty if it is not one."""
    mode, _, rest = token.partition(":")
    publish_id, _, started = rest.rpartition(":")
    if mode not in (DIRECT, PHOTO, INBOX) or not publish_id:
        return "", "", 0.0
    try:
        return mode, publish_id, float(started)
    except ValueError:
        return "", "", 0.0


def _ours(video: dict, post: OutgoingPost) -> bool:
    return any(
        _same_text(video.get(field) or "", post.text) for field in ("title", "video_description")
    )
