"""API tokens can expire: `pregon token <user> --days N`, and the page offers a
lifetime. An expired token is refused with 401 and a Spanish message saying so."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from pregon.accounts.models import ApiToken


def me(raw: str):
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_command_with_days_makes_a_token_that_expires(mariana, capsys):
    call_command("token", "mariana", "--days", "7")
    raw = capsys.readouterr().out.strip()
    assert me(raw).status_code == 200
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_expired_token_refused_with_a_spanish_reason(mariana):
    token, raw = ApiToken.issue(mariana, "viejo", days=7)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = me(raw)
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert f"El token {token.prefix}… venció el" in detail and "pregon token" in detail
    token.refresh_from_db()
    assert token.last_used_at is None


def test_command_refuses_zero_days(mariana):
    with pytest.raises(CommandError, match="mayor que cero"):
        call_command("token", "mariana", "--days", "0")


def test_page_tokens_expire_by_default_and_can_be_forever(client, jorge):
    client.force_login(jorge)
    client.post("/cuenta/tokens/", {"name": "tablero"})
    client.post("/cuenta/tokens/", {"name": "servidor", "days": "0"})
    tablero = ApiToken.objects.get(name="tablero")
    assert tablero.expires_at.date() == (timezone.now() + timedelta(days=90)).date()
    assert ApiToken.objects.get(name="servidor").expires_at is None
    page = client.get("/cuenta/tokens/").content.decode()
    assert "Vence en" in page and "sin vencimiento" in page
