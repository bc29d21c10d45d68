"""«Conectar un canal de Telegram»: no OAuth. The person creates a bot with @BotFather,
makes it an administrator of the channel with «Publicar mensajes» and pastes the
bot's token and the channel's @name here. Pregón asks Telegram (getMe, getChat,
getChatMember) before storing anything and refuses unless the bot may post; the token
is stored encrypted with the account and never shown or logged again.

Like the other flows' callbacks, the check runs inside the request: the person waits
for its answer to know whether the bot is set up right."""

import re
from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.debug import sensitive_post_parameters

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.publishing.channels.base import AccountConfig, ChannelError
from pregon.publishing.channels.telegram.connector import (
    TOKEN,
    TelegramChannel,
    rights_problem,
)
from pregon.publishing.connect import ConnectError, NetworkSetup, save_account
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import PERMISSION

KEY = "telegram"
KIND = "telegram"
CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,20}")
LINK = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/", re.IGNORECASE)


def setup(base_url: str) -> NetworkSetup:
    # Nothing to register: each channel brings its own bot.
    return NetworkSetup(KEY, "Telegram", True, [], "", f"networks/{KIND}/connect_setup.html")


class TelegramConnectForm(forms.Form):
    token = forms.CharField(
        label="Token del bot",
        max_length=120,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="El que le dio @BotFather, como 123456789:AAE…; no se volverá a mostrar.",
    )
    channel = forms.CharField(
        label="Canal",
        max_length=100,
        help_text="Su nombre público con @ (por ejemplo @gobchapultepec) o su enlace t.me.",
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not TOKEN.fullmatch(token):
            raise forms.ValidationError(
                "Ese no parece un token de bot: son números, dos puntos y unas 35 letras "
                "(como 123456789:AAE…). Cópielo completo del mensaje de @BotFather."
            )
        return token

    def clean_channel(self) -> str:
        channel = LINK.sub("", self.cleaned_data["channel"].strip()).strip("/")
        if channel and not channel.startswith(("@", "-")):
            channel = f"@{channel}"
        if not CHANNEL.fullmatch(channel):
            raise forms.ValidationError(
                "Escriba el nombre público del canal con @ (por ejemplo @gobchapultepec); "
                "está en la información del canal, en Telegram."
            )
        return channel


def telegram_connect(user: User, token: str, channel: str) -> ChannelAccount:
    """Ask Telegram whether the bot may post in the channel; store the account if so."""
    connector = TelegramChannel(AccountConfig(KIND, channel, "", {"bot_token": token}))
    try:
        bot, chat, member = connector.inspect()
    except ChannelError as exc:
        raise ConnectError(_refused(exc, channel)) from exc
    if chat.get("type") != "channel":
        raise ConnectError(f"{channel} no es un canal de Telegram (es un chat o un grupo).")
    problem = rights_problem(member, channel)
    if problem:
        raise ConnectError(problem)
    handle = f"@{chat['username']}" if chat.get("username") else channel
    name = f"Telegram · {chat.get('title') or handle}"
    credentials = {"bot_token": token, "bot_username": bot.get("username", "")}
    return save_account(user, KIND, str(chat["id"]), name, handle, credentials)


def _refused(exc: ChannelError, channel: str) -> str:
    if exc.status == 401:
        return (
            "Telegram no reconoce ese token: cópielo otra vez del mensaje de @BotFather "
            "(o pida uno nuevo con /token) y vuelva a intentarlo."
        )
    if exc.status in (400, 403):
        return (
            f"Telegram no encuentra el canal {channel} o el bot no puede verlo. Revise el "
            "nombre y que el bot sea administrador del canal."
        )
    return "Telegram no respondió. Intente de nuevo en unos minutos."


# --- pages ------------------------------------------------------------------------------

TEMPLATE = f"networks/{KIND}/connect.html"


@sensitive_post_parameters("token")
@access.require(PERMISSION)
def start(request: HttpRequest) -> HttpResponse:
    form = TelegramConnectForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, TEMPLATE, {"form": form}, status=status)
    try:
        user = cast(User, request.user)  # access.require let only a signed-in user in
        account = telegram_connect(user, form.cleaned_data["token"], form.cleaned_data["channel"])
    except ConnectError as exc:
        return render(request, TEMPLATE, {"form": form, "error": str(exc)}, status=422)
    messages.success(request, f"Conectado: {account.name}.")
    return redirect("publishing:accounts")


urlpatterns = [path(f"{KEY}/", start, name="connect_telegram")]
