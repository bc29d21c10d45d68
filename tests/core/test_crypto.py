from django.db import connection

from pregon.publishing.models import ChannelAccount, ChannelKind


def test_credentials_are_encrypted_at_rest(db):
    account = ChannelAccount.objects.create(
        kind=ChannelKind.X, name="X prueba", credentials='{"access_token": "tok-123"}'
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM publishing_channelaccount WHERE id = %s", [account.pk]
        )
        raw = cursor.fetchone()[0]
    assert "tok-123" not in raw
    assert ChannelAccount.objects.get(pk=account.pk).credentials == '{"access_token": "tok-123"}'
