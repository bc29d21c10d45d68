"""A Telegram channel through the Bot API (https://api.telegram.org/bot<token>/<method>).

The bot is an administrator of the channel with «Publicar mensajes». Text alone goes
with sendMessage (parse_mode=HTML, a preview of the post's link); one photo with
sendPhoto and one video with sendVideo (multipart uploads of our derivative, the text
as caption); 2–10 photos and videos with sendMediaGroup (the caption on the first).
Each is one call: nothing is uploaded beforehand, so there is one moment of doubt.

Answers are {"ok", "result"} or {"ok": false, "error_code", "description",
"parameters": {"retry_after"}}: 429 waits `retry_after`; 401/403 and «not enough
rights» / «chat not found» mean the bot lost the channel (reconnect: the deliveries
wait); other 4xx are permanent, 5xx transient.

Exactly once: a bot cannot read a channel's history, so after a lost answer Pregón
cannot look for the message. find_existing always says «cannot tell» and the delivery
stays «incierta» until a person looks at the channel; it is never resent blindly.

The token is part of every URL's path: the attempt log gets the URL with it masked,
and no error message carries it.

The result keeps every message id (an album is several messages, «101,102,103»). Pregón
has no flow that edits a delivery once sent; the ids are what editMessageText /
editMessageCaption would need.
"""

import json
import re
from contextlib import ExitStack
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import av
import httpx
from django.utils import timezone

from pregon.publishing.channels import words
from pregon.publishing.channels.base import (
    Channel,
    ChannelError,
    DailyFigures,
    HttpAttempt,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
)
from pregon.publishing.channels.http import HttpClient, json_or_empty
from pregon.publishing.channels.telegram.conf import conf
from pregon.publishing.channels.telegram.text import to_html, with_link

NETWORK = "Telegram"
TOKEN = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,80}")
TOKEN_IN_PATH = re.compile(r"/bot[^/]*")
MASK = "/bot[oculto]"
# The bot lost the channel: removed, demoted, or the permission to post taken away.
LOST_CHANNEL = re.compile(
    r"not enough rights|need administrator rights|chat not found|bot was kicked|"
    r"not a member",
    re.IGNORECASE,
)
HINTS = {
    "too long": "El texto pasa del límite de Telegram (4,096 caracteres, o 1,024 como pie "
    "de foto); acórtelo y vuelva a enviarlo.",
    "can't parse entities": "Telegram no entendió el formato del texto; revise los signos "
    "< > & del texto y vuelva a enviarlo.",
    "photo_invalid_dimensions": "La foto es demasiado grande o alargada para Telegram; use otra.",
    "wrong file": "Telegram no aceptó la foto o el video; revíselo en el Archivo.",
}
UNCERTAIN = (
    "Telegram no respondió a tiempo después de recibir el mensaje: no se sabe si se "
    "publicó. Un bot no puede leer el historial del canal, así que Pregón no lo "
    "comprobará ni lo reenviará solo. Abra el canal en Telegram: si el mensaje está, "
    "«Marcar como publicada» con su enlace (https://t.me/…); si no está, «No está "
    "publicada: enviar de nuevo»."
)
FOLLOWERS_LAG = timedelta(days=1)


def bot_token(credentials: dict) -> str:
    """The stored token, checked for BotFather's shape (it goes into the URL's path)."""
    token = str(credentials.get("bot_token", "")).strip()
    if not TOKEN.fullmatch(token):
        raise ChannelError(
            "Telegram: la cuenta no tiene un token de bot válido. Vuelva a conectarla en "
            "Publicaciones › Canales con el token que da @BotFather.",
            reconnect=True,
        )
    return token


def rights_problem(member: dict, chat: str) -> str:
    """Why the bot cannot post in the channel ("" when it can)."""
    status = member.get("status", "")
    if status in ("left", "kicked") or not status:
        return (
            f"El bot no está en el canal {chat}. En Telegram, agréguelo como administrador "
            "del canal con el permiso «Publicar mensajes» y vuelva a intentarlo."
        )
    if status != "administrator":
        return (
            f"El bot está en el canal {chat} pero no es administrador. Hágalo administrador "
            "con el permiso «Publicar mensajes» y vuelva a intentarlo."
        )
    if not member.get("can_post_messages"):
        return (
            f"El bot es administrador del canal {chat} pero sin el permiso «Publicar "
            "mensajes». Actívelo en la configuración del canal y vuelva a intentarlo."
        )
    return ""


def message_url(message: dict) -> str:
    """t.me/<channel>/<id> for a public channel; t.me/c/<id>/<id> (members only) else."""
    chat = message.get("chat") or {}
    if chat.get("username"):
        return f"https://t.me/{chat['username']}/{message['message_id']}"
    chat_id = str(chat.get("id", ""))
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message['message_id']}"
    return ""


def video_facts(path: Path) -> dict[str, int]:
    """Duration (whole seconds), width and height, so Telegram shows the player at once."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            facts = {"width": stream.codec_context.width, "height": stream.codec_context.height}
            if container.duration:
                facts["duration"] = max(round(container.duration / av.time_base), 1)
            return facts
    except (av.FFmpegError, IndexError, OSError):
        return {}


class TelegramChannel(Channel):
    kind = "telegram"
    can_find_existing = False  # a bot cannot read its channel: a person decides at once

    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            base = self.account.base_url or conf.PREGON_TELEGRAM_API_URL
            self._http = HttpClient(base, on_attempt=self._recorded)
        return self._http

    def _recorded(self, attempt: HttpAttempt) -> None:
        """The attempt without the token (it travels in the URL's path)."""
        if self.on_attempt:
            self.on_attempt(
                replace(
                    attempt,
                    url=TOKEN_IN_PATH.sub(MASK, attempt.url),
                    error=self._scrub(attempt.error),
                    response_text=self._scrub(attempt.response_text),
                )
            )

    def _scrub(self, text: str) -> str:
        token = str(self.account.credentials.get("bot_token", ""))
        return text.replace(token, "[oculto]") if token and text else text

    @property
    def chat_id(self) -> str:
        chat = self.account.external_id or self.account.credentials.get("chat_id", "")
        if not chat:
            raise ChannelError(
                "Telegram: la cuenta no dice en qué canal publicar. Vuelva a conectarla en "
                "Publicaciones › Canales.",
                reconnect=True,
            )
        return str(chat)

    # Sending ---------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> PostResult:
        text = to_html(with_link(post.text, post.link))
        try:
            messages = self._send(post, text)
        except ChannelError as exc:
            if exc.uncertain:
                raise ChannelError(UNCERTAIN, uncertain=True) from exc
            raise
        ids = ",".join(str(message["message_id"]) for message in messages)
        return PostResult(remote_id=ids, remote_url=message_url(messages[0]))

    def _send(self, post: OutgoingPost, text: str) -> list[dict]:
        if not post.media:
            return [self._send_message(text, post.link)]
        if len(post.media) == 1:
            return [self._send_one(post.media[0], text)]
        return self._send_album(post.media, text)

    def _send_message(self, text: str, link: str) -> dict:
        body: dict[str, Any] = {"chat_id": self.chat_id, "text": text, "parse_mode": "HTML"}
        if link:  # the preview shows the post's link, large, under the text
            body["link_preview_options"] = {"url": link, "prefer_large_media": True}
        return self._call("POST", "sendMessage", json=body)

    def _send_one(self, media: OutgoingMedia, caption: str) -> dict:
        field = "video" if media.is_video else "photo"
        form: dict[str, str] = {"chat_id": self.chat_id, "parse_mode": "HTML"}
        if caption:
            form["caption"] = caption
        if media.is_video:
            form.update({k: str(v) for k, v in video_facts(media.path).items()})
            form["supports_streaming"] = "true"
        method = "sendVideo" if media.is_video else "sendPhoto"
        with open(media.path, "rb") as handle:
            files = {field: (media.path.name, handle, media.mime_type)}
            return self._call("POST", method, data=form, files=files)

    def _send_album(self, media: list[OutgoingMedia], caption: str) -> list[dict]:
        items = []
        for number, item in enumerate(media):
            entry: dict[str, Any] = {
                "type": "video" if item.is_video else "photo",
                "media": f"attach://file{number}",
            }
            if item.is_video:
                entry.update(video_facts(item.path), supports_streaming=True)
            if number == 0 and caption:
                entry.update(caption=caption, parse_mode="HTML")
            items.append(entry)
        form = {"chat_id": self.chat_id, "media": json.dumps(items)}
        with ExitStack() as stack:
            files = {
                f"file{n}": (
                    item.path.name,
                    stack.enter_context(open(item.path, "rb")),
                    item.mime_type,
                )
                for n, item in enumerate(media)
            }
            return self._call("POST", "sendMediaGroup", data=form, files=files)

    # Calls and errors ------------------------------------------------------------
    def _call(self, method: str, name: str, **kwargs: Any) -> Any:
        path = f"/bot{bot_token(self.account.credentials)}/{name}"
        try:
            response = self.http.request(method, path, **kwargs)
        except ChannelError as exc:
            exc.message = self._scrub(exc.message)
            exc.args = (exc.message,)
            raise
        body = json_or_empty(response)
        if response.status_code == 200 and body.get("ok"):
            return body.get("result")
        raise self._error(response, body)

    def _error(self, response: httpx.Response, body: dict) -> ChannelError:
        status = response.status_code
        description = str(body.get("description") or response.reason_phrase)
        detail = f"{body.get('error_code', status)}: {description}"
        common: dict[str, Any] = {"status": status, "response_text": self._scrub(response.text)}
        if status == 429:
            wait = (body.get("parameters") or {}).get("retry_after") or 30
            return ChannelError(
                words.rate_limited(NETWORK, detail),
                rate_limited=True,
                retry_after=float(wait),
                **common,
            )
        if status in (401, 403) or LOST_CHANNEL.search(description):
            return ChannelError(_lost(detail), reconnect=True, **common)
        if status >= 500:
            return ChannelError(words.transient(NETWORK, detail), **common)
        hint = next((h for key, h in HINTS.items() if key in description.lower()), "")
        return ChannelError(words.refused(NETWORK, detail, hint), permanent=True, **common)

    # Settling, checks and figures ------------------------------------------------
    def find_existing(self, post: OutgoingPost, since: datetime) -> PostResult | None:
        raise ChannelError(
            "Telegram: un bot no puede leer los mensajes del canal, así que Pregón no puede "
            "comprobar si este envío salió. Abra el canal en Telegram y decida: «Marcar como "
            "publicada» con su enlace si el mensaje está, o «No está publicada: enviar de "
            "nuevo» si no está.",
            uncertain=True,
        )

    def inspect(self) -> tuple[dict, dict, dict]:
        """(the bot, the channel, the bot's membership in it), as Telegram has them."""
        bot = self._call("GET", "getMe")
        chat = self._call("GET", "getChat", params={"chat_id": self.chat_id})
        member = self._call(
            "GET", "getChatMember", params={"chat_id": chat["id"], "user_id": bot["id"]}
        )
        return bot, chat, member

    def test_connection(self) -> str:
        bot, chat, member = self.inspect()
        name = f"@{chat['username']}" if chat.get("username") else chat.get("title", "")
        problem = rights_problem(member, name)
        if problem:
            raise ChannelError(f"Telegram: {problem}", reconnect=True)
        return f"Telegram: el bot @{bot.get('username', '')} publica en «{chat.get('title', '')}»"

    def daily_figures(self, day: date, remote_ids: list[str]) -> DailyFigures:
        """Subscribers (getChatMemberCount). Telegram gives only today's number, read the
        next morning for the day before; bots cannot read views or reactions."""
        if day < timezone.localdate() - FOLLOWERS_LAG:
            return DailyFigures(
                errors={"followers": "Telegram solo da el número de suscriptores de hoy."}
            )
        count = self._call("GET", "getChatMemberCount", params={"chat_id": self.chat_id})
        return DailyFigures(account={"followers": int(count)})


def _part(media: OutgoingMedia, stack: ExitStack) -> tuple[str, BinaryIO, str]:
    return media.path.name, stack.enter_context(open(media.path, "rb")), media.mime_type


def _lost(detail: str) -> str:
    return (
        "Telegram: el bot ya no puede publicar en el canal (lo quitaron, le retiraron el "
        "permiso «Publicar mensajes» o revocaron su token en @BotFather). Vuelva a "
        "agregarlo como administrador con ese permiso y reconecte el canal en "
        f"Publicaciones › Canales; los envíos esperan y saldrán solos. ({detail})"
    )
