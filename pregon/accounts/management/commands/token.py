"""`pregon token <username> [--days N]` prints a new API token (valid N days, or
until revoked); `--revoke PREFIX` revokes one."""

from django.core.management.base import BaseCommand, CommandError

from pregon.accounts.models import ApiToken, User
from pregon.core.audit import log_action


class Command(BaseCommand):
    help = "Crea (e imprime una sola vez) un token de API para un usuario, o revoca uno."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="línea de comandos")
        parser.add_argument("--revoke", metavar="PREFIJO", help="Revoca el token con ese prefijo.")
        parser.add_argument(
            "--days", type=int, metavar="N", help="El token deja de servir en N días."
        )

    def handle(self, *args, username=None, name="", revoke=None, days=None, **options) -> None:
        if revoke:
            count = 0
            for token in ApiToken.objects.unrevoked().filter(prefix=revoke):
                token.revoke()
                log_action(token, "accounts.token_revoked")
                count += 1
            if not count:
                raise CommandError(f"No hay un token activo con el prefijo «{revoke}».")
            self.stdout.write(f"Token {revoke}… revocado.")
            return
        if days is not None and days < 1:
            raise CommandError("--days debe ser un número de días mayor que cero.")
        if not username:
            raise CommandError("Indique el nombre de usuario: pregon token <usuario>")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No existe un usuario activo «{username}».")
        token, raw = ApiToken.issue(user, name, days=days)
        log_action(token, "accounts.token_issued", data={"name": name, "days": days})
        self.stdout.write(raw)
