"""The press directory: CSV import, all or nothing, with Spanish errors that name the
line and the field."""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from pregon.accounts import access
from pregon.bulletins.models import MediaContact, MediaList, OutletType
from pregon.core.audit import log_action
from pregon.core.mail import clean_address

COLUMNS = ("medio", "nombre", "cargo", "correo", "telefono", "tipo", "cobertura", "listas")
REQUIRED = ("medio", "nombre", "correo")
MAX_BYTES = 5 * 1024 * 1024


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


OUTLET_TYPES = {_fold(v): v for v in OutletType.values} | {
    _fold(label): value for value, label in OutletType.choices
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    lists_created: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); Excel in Spanish often saves Windows-1252."""
    if len(data) > MAX_BYTES:
        raise ValidationError("El archivo pasa de 5 MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def parse(text: str) -> list[dict]:
    """Rows as dicts (with their line number), or ValidationError listing every problem."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or too little to guess: plain commas
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [_fold(h) for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            f"Línea 1: faltan las columnas {', '.join(missing)} "
            f"(columnas esperadas: {', '.join(COLUMNS)})."
        )
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        errors += _row_errors(values, line, seen)
        rows.append({**values, "_line": line})
    if not rows:
        raise ValidationError("El archivo no tiene contactos.")
    if errors:
        raise ValidationError(errors)
    return rows


def _row_errors(values: dict, line: int, seen: dict) -> list[str]:
    errors = [
        f"Línea {line}, campo «{name}»: es obligatorio."
        for name in REQUIRED
        if not values.get(name)
    ]
    email = values.get("correo", "").lower()
    if email:
        try:
            email = values["correo"] = clean_address(email)
        except ValidationError as exc:
            errors.append(f"Línea {line}, campo «correo»: {exc.messages[0]}")
        if email in seen:
            errors.append(
                f"Línea {line}, campo «correo»: repetido (ya está en la línea {seen[email]})."
            )
        seen.setdefault(email, line)
    kind = values.get("tipo", "")
    if kind and _fold(kind) not in OUTLET_TYPES:
        allowed = ", ".join(label.lower() for _, label in OutletType.choices)
        errors.append(f"Línea {line}, campo «tipo»: «{kind}» no es válido (use: {allowed}).")
    return errors


@transaction.atomic
def import_contacts(*, data: bytes, user) -> ImportResult:
    """Create or update contacts by e-mail and put them in the named lists
    (separated by «;» or «|»). Nothing is saved if any line has a problem."""
    access.check(user, "bulletins.add_mediacontact")
    rows = parse(decode(data))
    result = ImportResult()
    lists: dict[str, MediaList] = {}
    for row in rows:
        contact, created = MediaContact.objects.update_or_create(
            email=row["correo"].lower(), defaults=_contact_fields(row)
        )
        result.created += created
        result.updated += not created
        for name in _list_names(row.get("listas", "")):
            if name not in lists:
                lists[name], made = MediaList.objects.get_or_create(name=name)
                if made:
                    result.lists_created.append(name)
            contact.lists.add(lists[name])
    log_action(None, "bulletins.contacts_imported", user=user, data=result.__dict__)
    return result


def _contact_fields(row: dict) -> dict:
    return {
        "outlet": row["medio"][:200],
        "person": row["nombre"][:200],
        "role": row.get("cargo", "")[:200],
        "phone": row.get("telefono", "")[:40],
        "media_type": OUTLET_TYPES.get(_fold(row.get("tipo", "")), OutletType.DIGITAL),
        "coverage_area": row.get("cobertura", "")[:200],
    }


def _list_names(value: str) -> list[str]:
    return [n.strip()[:200] for n in value.replace("|", ";").split(";") if n.strip()]


# --- editing the directory by hand ------------------------------------------------

MEDIA_TYPE_LABELS = dict(OutletType.choices)


def contact_save(*, contact: MediaContact, user) -> MediaContact:
    """Save a contact edited or created in the form (validated by its ModelForm)."""
    access.check(
        user, "bulletins.change_mediacontact" if contact.pk else "bulletins.add_mediacontact"
    )
    created = contact.pk is None
    contact.email = contact.email.lower()
    contact.save()
    verb = "bulletins.contact_created" if created else "bulletins.contact_changed"
    log_action(contact, verb, user=user, data={"email": contact.email})
    return contact


def contact_delete(*, contact: MediaContact, user) -> None:
    """A contact with a delivery log is kept (the log is the record of who got what)."""
    access.check(user, "bulletins.delete_mediacontact")
    if contact.receipts.exists():
        raise ValidationError(
            f"{contact.email} ya recibió boletines: no se borra para conservar la bitácora "
            "de envíos. Quítelo de sus listas o márquelo como dado de baja."
        )
    log_action(contact, "bulletins.contact_deleted", user=user, data={"email": contact.email})
    contact.delete()


def list_save(*, media_list: MediaList, user) -> MediaList:
    access.check(user, "bulletins.change_mediacontact")
    created = media_list.pk is None
    media_list.save()
    verb = "bulletins.list_created" if created else "bulletins.list_changed"
    log_action(media_list, verb, user=user, data={"name": media_list.name})
    return media_list


def list_delete(*, media_list: MediaList, user) -> None:
    """The contacts stay in the directory; only the list goes."""
    access.check(user, "bulletins.delete_mediacontact")
    log_action(media_list, "bulletins.list_deleted", user=user, data={"name": media_list.name})
    media_list.delete()


def export_list(media_list: MediaList) -> str:
    """The list as CSV, in the same columns the import reads (so it round-trips)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in media_list.contacts.prefetch_related("lists").order_by("outlet", "person"):
        values = [
            c.outlet,
            c.person,
            c.role,
            c.email,
            c.phone,
            MEDIA_TYPE_LABELS.get(c.media_type, c.media_type),
            c.coverage_area,
            "; ".join(m.name for m in c.lists.all()),
        ]
        writer.writerow([_safe_cell(v) for v in values])
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
