"""A fake Telegram Bot API: /bot<token>/<method>, as strict as Telegram.

    tg = TelegramFake().start()
    tg.url                                        # "http://127.0.0.1:PORT"
    tg.add_bot("123456:" + "A" * 35, "pregon_bot")  # returns the bot's user id
    tg.add_channel("gobchapultepec", "Gobierno de Chapultepec", subscribers=6900)
    tg.set_member("gobchapultepec", bot_id, "administrator", can_post_messages=True)
    tg.revoke(token)                              # 401 Unauthorized from now on
    tg.rate_limit(retry_after=7)                  # 429 with parameters.retry_after
    tg.swallow(path="/sendMessage")               # message posted, no answer ever comes
    tg.messages                                   # everything posted, per channel
    tg.stop()

What it checks: the token in the path (unknown → 401, malformed → 404); the bot is an
administrator with can_post_messages (else 403 «bot is not a member» or 400 «not
enough rights»); parse_mode=HTML parsed as Telegram does (only its tags, entities
&lt; &gt; &amp; &quot; and numeric ones, tags closed in order; anything else → 400
«can't parse entities»); lengths counted on the visible text in UTF-16 units (text
4,096, caption 1,024 → 400 «message is too long» / «message caption is too long»);
multipart uploads complete (a JPEG or PNG with its end marker, an MP4 whose boxes add up to
its size; photo ≤ 10 MB, other files ≤ 50 MB); albums of 2–10 attach:// items.
"""

import html
import json
import re
import struct
import time

from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg

MB = 1000 * 1000
TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
TAG = re.compile(r"<(/?)([a-z-]+)((?:\s+[a-z-]+(?:=\"[^\"<>]*\"|='[^'<>]*')?)*)\s*>")


def error(code: int, description: str, **parameters) -> Answer:
    body: dict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Answer(code, body)


def ok(result) -> Answer:
    return Answer(200, {"ok": True, "result": result})


def utf16(text: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def parse_html(markup: str) -> str:
    """The visible text of Telegram HTML; ValueError («can't parse entities») else."""
    visible, stack, index = [], [], 0
    while index < len(markup):
        char = markup[index]
        if char == "<":
            match = TAG.match(markup, index)
            if not match or match.group(2) not in TAGS:
                raise ValueError(f"Unsupported start tag at byte offset {index}")
            closing, name = match.group(1), match.group(2)
            if closing:
                if not stack or stack.pop() != name:
                    raise ValueError(f"Unmatched end tag at byte offset {index}, expected")
            else:
                stack.append(name)
            index = match.end()
        elif char == "&":
            match = ENTITY.match(markup, index)
            if not match:
                raise ValueError(f"Unsupported entity at byte offset {index}")
            visible.append(html.unescape(match.group()))
            index = match.end()
        elif char == ">":
            raise ValueError(f"Unexpected end tag at byte offset {index}")
        else:
            visible.append(char)
            index += 1
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(visible)


def complete_png(data: bytes) -> bool:
    """PNG's signature first and its IEND chunk (with that chunk's fixed CRC) last."""
    return data[:8] == b"\x89PNG\r\n\x1a\n" and data[-12:] == bytes.fromhex(
        "0000000049454e44ae426082"
    )


def complete_mp4(data: bytes) -> bool:
    """An ISO media file whose top-level boxes (size + type) add up to exactly its
    length, starting with ftyp and holding moov and mdat: a cut upload fails."""
    offset, kinds = 0, []
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1 and offset + 16 <= len(data):
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        if size < 8:
            return False
        kinds.append(kind)
        offset += size
    return offset == len(data) and kinds[:1] == [b"ftyp"] and {b"moov", b"mdat"} <= set(kinds)


class TelegramFake(FakeServer):
    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.bots: dict[str, dict] = {}  # token -> user
        self.channels: dict[int, dict] = {}
        self.messages: dict[int, list[dict]] = {}  # chat id -> messages, oldest first
        self._next_chat = -1001500000000
        self._next_bot = 700000000

    # Set-up and knobs ------------------------------------------------------------
    def add_bot(self, token: str, username: str) -> int:
        self._next_bot += 1
        self.bots[token] = {
            "id": self._next_bot,
            "is_bot": True,
            "first_name": username,
            "username": username,
        }
        return self._next_bot

    def add_channel(self, username: str, title: str, *, subscribers: int = 0) -> int:
        self._next_chat -= 1
        self.channels[self._next_chat] = {
            "id": self._next_chat,
            "type": "channel",
            "title": title,
            "username": username,
            "subscribers": subscribers,
            "members": {},
        }
        self.messages[self._next_chat] = []
        return self._next_chat

    def set_member(self, username: str, user_id: int, status: str, **rights) -> None:
        chat = self._chat(f"@{username}")
        assert chat is not None
        chat["members"][user_id] = {"status": status, **rights}

    def revoke(self, token: str) -> None:
        self.bots.pop(token, None)

    def rate_limit(self, *, retry_after: int = 5, times: int = 1) -> None:
        body = error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        self.fail(429, body.body, times=times)

    def posted(self, chat_id: int) -> list[dict]:
        return self.messages[chat_id]

    # Routing ---------------------------------------------------------------------
    def route(self, request: Recorded) -> Answer:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path)
        if not match or not re.fullmatch(r"\d+:[\w-]+", match.group(1)):
            return error(404, "Not Found")
        bot = self.bots.get(match.group(1))
        if bot is None:
            return error(401, "Unauthorized")
        params = self._params(request)
        method = match.group(2).lower()
        if method == "getme":
            return ok(bot)
        handler = {
            "getchat": self._get_chat,
            "getchatmember": self._get_member,
            "getchatmembercount": self._member_count,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendvideo": self._send_video,
            "sendmediagroup": self._send_album,
        }.get(method)
        if handler is None:
            return error(404, "Not Found: method not found")
        return handler(bot, params, request)

    def _params(self, request: Recorded) -> dict:
        """Query string, JSON, urlencoded or multipart: Telegram takes all four."""
        params = dict(request.query)
        if request.headers.get("content-type", "").startswith("application/json"):
            params.update(request.json)
        params.update(request.form)
        return params

    def _chat(self, chat_id) -> dict | None:
        text = str(chat_id)
        if text.startswith("@"):
            return next(
                (c for c in self.channels.values() if c["username"].lower() == text[1:].lower()),
                None,
            )
        try:
            return self.channels.get(int(text))
        except ValueError:
            return None

    def _public(self, chat: dict) -> dict:
        return {k: chat[k] for k in ("id", "type", "title", "username")}

    def _get_chat(self, bot: dict, params: dict, request: Recorded) -> Answer:
        chat = self._chat(params.get("chat_id", ""))
        if chat is None:
            return error(400, "Bad Request: chat not found")
        return ok(self._public(chat))

    def _get_member(self, bot: dict, params: dict, request: Recorded) -> Answer:
        chat = self._chat(params.get("chat_id", ""))
        if chat is None:
            return error(400, "Bad Request: chat not found")
        try:
            user_id = int(params.get("user_id", ""))
        except ValueError:
            return error(400, "Bad Request: invalid user_id specified")
        member = chat["members"].get(user_id, {"status": "left"})
        user = bot if user_id == bot["id"] else {"id": user_id, "is_bot": False}
        return ok({"user": user, **member})

    def _member_count(self, bot: dict, params: dict, request: Recorded) -> Answer:
        chat, refused = self._postable(bot, params, need_post=False)
        return refused or ok(chat["subscribers"])

    # Posting -------------------------------------------------------------------
    def _postable(self, bot: dict, params: dict, need_post: bool = True):
        chat = self._chat(params.get("chat_id", ""))
        if chat is None:
            return None, error(400, "Bad Request: chat not found")
        member = chat["members"].get(bot["id"], {"status": "left"})
        if member["status"] in ("left", "kicked"):
            return None, error(403, "Forbidden: bot is not a member of the channel chat")
        if need_post and not (
            member["status"] == "administrator" and member.get("can_post_messages")
        ):
            return None, error(400, "Bad Request: not enough rights to send text messages")
        return chat, None

    def _visible(self, params: dict, field: str, limit: int) -> tuple[str, Answer | None]:
        markup = params.get(field, "")
        if params.get("parse_mode") and params["parse_mode"].lower() != "html":
            return "", error(400, "Bad Request: unsupported parse_mode")
        try:
            visible = parse_html(markup) if params.get("parse_mode") else markup
        except ValueError as exc:
            return "", error(400, f"Bad Request: can't parse entities: {exc}")
        visible = visible.strip()
        if utf16(visible) > limit:
            what = "message caption is too long" if field == "caption" else "message is too long"
            return "", error(400, f"Bad Request: {what}")
        return visible, None

    def _message(self, chat: dict, **content) -> dict:
        message = {
            "message_id": len(self.messages[chat["id"]]) + 1,
            "sender_chat": self._public(chat),
            "chat": self._public(chat),
            "date": int(time.time()),
            **content,
        }
        self.messages[chat["id"]].append(message)
        return message

    def _send_message(self, bot: dict, params: dict, request: Recorded) -> Answer:
        chat, refused = self._postable(bot, params)
        if refused:
            return refused
        if not params.get("text", "").strip():
            return error(400, "Bad Request: message text is empty")
        text, refused = self._visible(params, "text", 4096)
        if refused:
            return refused
        preview = params.get("link_preview_options") or {}
        if isinstance(preview, str):
            preview = json.loads(preview)
        return ok(self._message(chat, text=text, markup=params["text"], link_preview=preview))

    def _file(self, request: Recorded, name: str, kind: str) -> tuple[dict | None, Answer | None]:
        """An uploaded file checked whole, as Telegram's upload would."""
        if name not in request.files:
            return None, error(400, f"Bad Request: there is no {kind} in the request")
        filename, data = request.files[name]
        if kind == "photo":
            if len(data) > 10 * MB:
                return None, error(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
            if not (complete_jpeg(data) or complete_png(data)):
                return None, error(400, "Bad Request: IMAGE_PROCESS_FAILED")
            photo = {"file_id": f"photo-{self.next_id()}", "file_size": len(data)}
            return {"photo": [photo]}, None
        if len(data) > 50 * MB:
            return None, error(413, "Request Entity Too Large")
        if not complete_mp4(data):
            return None, error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return {"video": {"file_id": f"video-{self.next_id()}", "file_size": len(data)}}, None

    def _send_photo(self, bot: dict, params: dict, request: Recorded) -> Answer:
        return self._send_file(bot, params, request, "photo")

    def _send_video(self, bot: dict, params: dict, request: Recorded) -> Answer:
        return self._send_file(bot, params, request, "video")

    def _send_file(self, bot: dict, params: dict, request: Recorded, kind: str) -> Answer:
        chat, refused = self._postable(bot, params)
        if refused:
            return refused
        caption, refused = self._visible(params, "caption", 1024)
        if refused:
            return refused
        media, refused = self._file(request, kind, kind)
        if refused:
            return refused
        if kind == "video":
            media["video"].update(
                {k: int(params[k]) for k in ("duration", "width", "height") if k in params}
            )
            media["supports_streaming"] = params.get("supports_streaming") == "true"
        return ok(self._message(chat, caption=caption, **media))

    def _send_album(self, bot: dict, params: dict, request: Recorded) -> Answer:
        chat, refused = self._postable(bot, params)
        if refused:
            return refused
        try:
            items = json.loads(params.get("media", ""))
        except ValueError:
            return error(400, "Bad Request: can't parse media JSON object")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            return error(400, "Bad Request: wrong number of messages to send")
        contents = []
        for item in items:
            if item.get("type") not in ("photo", "video"):
                return error(400, "Bad Request: unsupported media type in the album")
            attach = str(item.get("media", ""))
            if not attach.startswith("attach://"):
                return error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            media, refused = self._file(request, attach.removeprefix("attach://"), item["type"])
            if refused:
                return refused
            caption, refused = self._visible(item, "caption", 1024)
            if refused:
                return refused
            contents.append({**media, "caption": caption, "facts": item})
        group = self.next_id()
        return ok([self._message(chat, media_group_id=group, **content) for content in contents])
