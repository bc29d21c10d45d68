"""Outgoing mail and e-mail addresses, RFC 6531 included.

Django would encode a mailbox name with accents («josé@…») as «=?utf-8?…?=@…», an
address no server delivers. Such addresses are accepted at entry only when the
outgoing server offers SMTPUTF8 (setting PREGON_SMTPUTF8) and are then sent with UTF-8
headers; otherwise they are refused at entry with a message that says why. Domains
always travel as IDNA (xn--…)."""

import io
import re
import smtplib
import unicodedata
from email import policy
from email.generator import BytesGenerator
from email.message import Message

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email

NON_ASCII_REFUSED = (
    "«{address}» lleva acentos u otras letras fuera del alfabeto inglés antes de la @, y "
    "el servidor de correo de Pregón no está configurado para enviarlas (SMTPUTF8). "
    "Pida al medio una dirección sin acentos, o a quien administra Pregón que active "
    "el correo internacional."
)
INVALID = "«{address}» no es un correo válido."
# RFC 6531 local part: printable characters other than the specials, dot-separated.
LOCAL_PART = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+(\.[^\s@\"(),:;<>\[\\\]]+)*$")


def has_non_ascii_mailbox(address: str) -> bool:
    return not address.rpartition("@")[0].isascii()


def ascii_domain(address: str) -> str:
    """The address with its domain in IDNA form (what every server accepts)."""
    local, _, domain = address.rpartition("@")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as exc:
        raise ValidationError(INVALID.format(address=address)) from exc


def clean_address(raw: str) -> str:
    """The address as stored: NFC, trimmed, domain in lower case. Raises a Spanish
    ValidationError for an invalid address or a non-ASCII mailbox we cannot send."""
    address = unicodedata.normalize("NFC", (raw or "").strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(INVALID.format(address=address))
    address = f"{local}@{domain.lower()}"
    ascii_form = ascii_domain(address)
    if local.isascii():
        try:
            validate_email(ascii_form)
        except ValidationError as exc:
            raise ValidationError(INVALID.format(address=address)) from exc
        return address
    if not settings.PREGON_SMTPUTF8:
        raise ValidationError(NON_ASCII_REFUSED.format(address=address))
    if len(local.encode()) > 64 or not LOCAL_PART.match(local):
        raise ValidationError(INVALID.format(address=address))
    validate_email(f"x@{ascii_form.rpartition('@')[2]}")  # the domain part still checked
    return address


NO_SMTPUTF8 = (
    "El servidor de correo no acepta direcciones con acentos antes de la @ (SMTPUTF8); "
    "no se envió a {addresses}."
)


class InternationalEmailBackend(EmailBackend):
    def _send(self, email_message) -> bool:
        recipients = email_message.recipients()
        if not any(has_non_ascii_mailbox(a) for a in recipients):
            return super()._send(email_message)
        self.connection.ehlo_or_helo_if_needed()
        if not self.connection.has_extn("smtputf8"):
            wide = ", ".join(a for a in recipients if has_non_ascii_mailbox(a))
            raise smtplib.SMTPNotSupportedError(NO_SMTPUTF8.format(addresses=wide))
        encoding = email_message.encoding or "utf-8"
        message = email_message.message()
        for header in ("To", "Cc", "Reply-To"):
            values = getattr(email_message, header.lower().replace("-", "_"), None)
            if values:
                del message[header]
                # Bypass Django's header sanitising, which would encode the mailbox.
                Message.__setitem__(message, header, ", ".join(map(ascii_domain, values)))
        out = io.BytesIO()
        utf8 = policy.SMTPUTF8.clone(linesep="\r\n")
        BytesGenerator(out, mangle_from_=False, policy=utf8).flatten(message)
        data = out.getvalue()
        self.connection.sendmail(
            sanitize_address(email_message.from_email, encoding),
            [ascii_domain(a) for a in recipients],
            data,
            mail_options=["SMTPUTF8"],
        )
        return True
