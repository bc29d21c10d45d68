"""E-mails the workflow sends: to the author when a publication missed its time, to
Coordinación when a delivery fails for good or needs a person."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from pregon.accounts.models import User
from pregon.accounts.roles import Role


def _absolute(path: str) -> str:
    return f"{settings.PREGON_PUBLIC_URL}{path}" if settings.PREGON_PUBLIC_URL else path


def coordinacion_emails() -> list[str]:
    users = User.objects.filter(groups__name=Role.COORDINACION.label, is_active=True).exclude(
        email=""
    )
    return sorted(set(users.values_list("email", flat=True)))


def author_missed(publication) -> None:
    if not publication.author.email:
        return
    url = _absolute(reverse("publishing:detail", args=[publication.pk]))
    send_mail(
        f"No se publicó «{publication.title}»: no se aprobó a tiempo",
        (
            f"La publicación «{publication.title}» estaba prevista para "
            f"{publication.scheduled_at:%d/%m/%Y %H:%M} y no se aprobó antes de esa hora, "
            f"así que no salió en ningún canal.\n\nPuede revisarla y volver a programarla: {url}"
        ),
        None,
        [publication.author.email],
    )


def delivery_needs_attention(delivery, reason: str) -> None:
    recipients = coordinacion_emails()
    if not recipients:
        return
    publication = delivery.variant.publication
    url = _absolute(reverse("publishing:detail", args=[publication.pk]))
    send_mail(
        f"Envío a {delivery.account.name}: {delivery.get_status_display().lower()}",
        f"«{publication.title}» en {delivery.account.name}:\n{reason}\n\nDetalle: {url}",
        None,
        recipients,
    )


def account_needs_reconnection(account, error: str) -> None:
    """Once per account: its deliveries wait (they are not failed) until someone
    connects it again."""
    recipients = coordinacion_emails()
    if not recipients:
        return
    url = _absolute(reverse("publishing:account_edit", args=[account.pk]))
    waiting = account.deliveries.filter(status="pendiente").count()
    send_mail(
        f"La cuenta {account.name} necesita volver a conectarse",
        (
            f"La red rechazó las credenciales de «{account.name}»:\n{error}\n\n"
            f"{waiting} envíos esperan (no se marcaron como fallidos). Cuando vuelva a "
            f"conectar la cuenta saldrán solos, cada uno una sola vez.\n\nConectar: {url}"
        ),
        None,
        recipients,
    )


def accounts_expiring(accounts) -> None:
    """Daily token health: these accounts' permissions end within the warning days."""
    recipients = coordinacion_emails()
    if not accounts or not recipients:
        return
    lines = [
        f"- {a.name}: vence el {timezone.localtime(a.token_expires_at):%d/%m/%Y}" for a in accounts
    ]
    send_mail(
        "Cuentas de redes por vencer",
        "El permiso de estas cuentas vence pronto; reconéctelas antes para que nada "
        "se detenga:\n" + "\n".join(lines) + f"\n\nReconectar: "
        f"{_absolute(reverse('publishing:accounts'))}",
        None,
        recipients,
    )
