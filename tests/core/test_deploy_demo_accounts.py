"""`pregon check --deploy` refuses a production installation that keeps the demo
personas (their passwords are in the README)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from pregon.accounts import demo


def _deploy_check() -> None:
    # The security tag: the test process itself sets DJANGO_ALLOW_ASYNC_UNSAFE.
    call_command("check", "--tag", "security", deploy=True, fail_level="ERROR")


def test_deploy_check_fails_while_demo_accounts_are_active(db, capsys):
    demo.load(open("/dev/null", "w"))  # noqa: SIM115 - areas and personas only
    with pytest.raises(SystemCheckError) as raised:
        _deploy_check()
    message = str(raised.value)
    assert "pregon.E001" in message
    assert "coordinacion" in message and "consulta" in message
    call_command("demo", "--desactivar")
    assert "Personas de demostración desactivadas: 8." in capsys.readouterr().out
    _deploy_check()


def test_a_demo_persona_with_a_new_password_is_not_flagged(db):
    demo.load(open("/dev/null", "w"))  # noqa: SIM115
    from pregon.accounts.models import User

    for user in User.objects.all():
        user.set_password(f"{user.username}-nueva-clave-larga-7")
        user.save()
    _deploy_check()
