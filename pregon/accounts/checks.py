"""`pregon check --deploy`: a production installation must not keep the demo personas,
whose passwords are printed in the README."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from pregon.accounts.demo import PEOPLE, demo_password
from pregon.accounts.models import User


def active_demo_accounts() -> list[str]:
    """Demo personas that can still log in with their published password."""
    users = User.objects.filter(username__in=[p[0] for p in PEOPLE], is_active=True)
    return [u.username for u in users if u.check_password(demo_password(u.username))]


@register(Tags.security, deploy=True)
def check_no_demo_accounts(app_configs=None, **kwargs) -> list[Error]:
    try:
        names = active_demo_accounts()
    except DatabaseError:  # no database yet: nothing to find
        return []
    if not names:
        return []
    return [
        Error(
            f"Cuentas de demostración activas con su contraseña pública: {', '.join(names)}.",
            hint="Desactívelas con «pregon demo --desactivar» (o cambie su contraseña) antes "
            "de abrir Pregón al público.",
            id="pregon.E001",
        )
    ]
