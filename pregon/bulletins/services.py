"""Writes of the bulletin workflow: borrador → en revisión → aprobado (numbered).
Every transition is audited; a non-exempt bulletin cannot be approved during a veda."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.archive.models import Asset
from pregon.bulletins.models import (
    Bulletin,
    BulletinCounter,
    BulletinPhoto,
    BulletinStatus,
)
from pregon.bulletins.text import clean_balazos, clean_body, dateline, plain_text, search_text
from pregon.compliance.rules import check_blackout
from pregon.compliance.services import record_verdict
from pregon.core.audit import log_action
from pregon.publishing import services as publishing
from pregon.publishing.channels import registry
from pregon.publishing.models import ChannelAccount, ChannelState, Publication

S = BulletinStatus
FIELDS = (
    "kind",
    "dated",
    "title",
    "balazos",
    "body",
    "press_contact",
    "category",
    "area",
    "activity",
)
HEADLINE_LIMIT = 240  # a short network's headline, leaving room for the link


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute address for e-mail, feeds and social links: PREGON_PUBLIC_URL, else
    the address the page was asked at (never a made-up one on a public page)."""
    if settings.PREGON_PUBLIC_URL:
        return f"{settings.PREGON_PUBLIC_URL}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return f"http://localhost:8000{path}"  # e-mail sent by a worker on a bare install


def press_url(bulletin: Bulletin) -> str:
    return public_url(reverse("bulletins:press_detail", args=[bulletin.pk]))


def _require_status(bulletin: Bulletin, *allowed: str, action: str) -> None:
    if bulletin.status not in allowed:
        raise ValidationError(
            f"No se puede {action} un boletín en estado «{bulletin.get_status_display()}»."
        )


def _only_fields(fields: dict) -> dict:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Campos desconocidos: {', '.join(sorted(unknown))}.")
    if "body" in fields:
        fields["body"] = clean_body(fields["body"])
    if "balazos" in fields:
        fields["balazos"] = clean_balazos(fields["balazos"] or [])
    return fields


def _validate(bulletin: Bulletin) -> None:
    errors = {}
    if not 1 <= len(bulletin.balazos) <= 3:
        errors["balazos"] = "Escriba entre 1 y 3 balazos."
    if not plain_text(bulletin.body):
        errors["body"] = "El cuerpo está vacío (o solo tenía contenido no permitido)."
    try:
        bulletin.full_clean(exclude=["balazos", "body"])
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    bulletin.search_text = search_text(bulletin.title, bulletin.balazos, bulletin.body)


# --- writing ----------------------------------------------------------------------


@transaction.atomic
def bulletin_create(*, author: User, **fields: Any) -> Bulletin:
    access.check(author, "bulletins.add_bulletin")
    bulletin = Bulletin(author=author, last_edited_by=author, **_only_fields(fields))
    _validate(bulletin)
    bulletin.save()
    log_action(bulletin, "bulletins.created", user=author)
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin: Bulletin, user: User, **fields: Any) -> Bulletin:
    access.check(user, "bulletins.change_bulletin")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_status(bulletin, S.BORRADOR, S.EN_REVISION, action="editar")
    for name, value in _only_fields(fields).items():
        setattr(bulletin, name, value)
    _validate(bulletin)
    bulletin.last_edited_by = user
    bulletin.save()
    log_action(bulletin, "bulletins.edited", user=user, data={"fields": sorted(fields)})
    return bulletin


@transaction.atomic
def bulletin_delete(*, bulletin: Bulletin, user: User) -> None:
    access.check(user, "bulletins.delete_bulletin")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_status(bulletin, S.BORRADOR, S.EN_REVISION, action="eliminar")
    log_action(bulletin, "bulletins.deleted", user=user, data={"title": bulletin.title})
    bulletin.delete()


@transaction.atomic
def photo_add(
    *, bulletin: Bulletin, asset: Asset, user: User, caption: str = "", credit: str = ""
) -> BulletinPhoto:
    access.check(user, "bulletins.change_bulletin")
    _require_status(bulletin, S.BORRADOR, S.EN_REVISION, action="editar")
    if asset.kind not in ("foto", "diseno"):
        raise ValidationError("Solo se pueden agregar fotos del archivo.")
    if asset.public_use_blocked:
        raise ValidationError("La foto muestra menores sin consentimiento registrado.")
    photo = BulletinPhoto.objects.create(
        bulletin=bulletin,
        asset=asset,
        caption=(caption or asset.caption or asset.title)[:500],
        credit=(credit or asset.credit)[:200],
        position=bulletin.photos.count(),
    )
    _content_changed(bulletin, user)
    log_action(bulletin, "bulletins.photo_added", user=user, data={"asset": asset.pk})
    return photo


@transaction.atomic
def photo_remove(*, photo: BulletinPhoto, user: User) -> None:
    access.check(user, "bulletins.change_bulletin")
    _require_status(photo.bulletin, S.BORRADOR, S.EN_REVISION, action="editar")
    log_action(photo.bulletin, "bulletins.photo_removed", user=user, data={"asset": photo.asset_id})
    _content_changed(photo.bulletin, user)
    photo.delete()


def _content_changed(bulletin: Bulletin, user: User) -> None:
    """Remember who last changed the text or photos: they cannot approve this version."""
    bulletin.last_edited_by = user
    Bulletin.objects.filter(pk=bulletin.pk).update(last_edited_by=user)


def approval_refusal(bulletin: Bulletin, user: User) -> str:
    """Why `user` may not approve this version ("" when they may)."""
    return access.approval_refusal(
        user, kind="boletin", author_id=bulletin.author_id, editor_id=bulletin.last_edited_by_id
    )


# --- workflow ---------------------------------------------------------------------


@transaction.atomic
def bulletin_submit(*, bulletin: Bulletin, user: User) -> Bulletin:
    access.check(user, "bulletins.change_bulletin")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_status(bulletin, S.BORRADOR, action="enviar a revisión")
    bulletin.status = S.EN_REVISION
    bulletin.submitted_at = timezone.now()
    bulletin.save(update_fields=["status", "submitted_at", "updated_at"])
    log_action(bulletin, "bulletins.submitted", user=user)
    return bulletin


@transaction.atomic
def bulletin_return(*, bulletin: Bulletin, user: User, reason: str = "") -> Bulletin:
    """Coordinación sends it back to the author."""
    access.check(user, "bulletins.approve_bulletin")
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_status(bulletin, S.EN_REVISION, action="devolver")
    bulletin.status = S.BORRADOR
    bulletin.save(update_fields=["status", "updated_at"])
    log_action(bulletin, "bulletins.returned", user=user, data={"reason": reason})
    return bulletin


def bulletin_approve(*, bulletin: Bulletin, user: User) -> Bulletin:
    """Coordinación approves and the bulletin takes the next number of its year and
    kind. A veda block is recorded (outside the transaction, so the record stays)."""
    access.check(user, "bulletins.approve_bulletin")
    _check_blackout(bulletin, user)
    return _approve_numbered(bulletin, user)


@transaction.atomic
def _approve_numbered(bulletin: Bulletin, user: User) -> Bulletin:
    """The number is taken in this transaction: a rollback gives it back, so there
    are no gaps; the counter row lock (and the unique constraint) prevent duplicates."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_status(bulletin, S.EN_REVISION, action="aprobar")
    refusal = approval_refusal(bulletin, user)
    if refusal:
        raise access.ApprovalRefused(refusal)
    bulletin.year = bulletin.dated.year
    bulletin.number = next_number(bulletin.year, bulletin.kind)
    bulletin.status = S.APROBADO
    bulletin.approved_by = user
    bulletin.approved_at = timezone.now()
    bulletin.save()
    log_action(bulletin, "bulletins.approved", user=user, data={"number": bulletin.label})
    return bulletin


def _check_blackout(bulletin: Bulletin, user: User) -> None:
    now = timezone.now()
    verdict = check_blackout(bulletin.category, now)
    record_verdict(
        verdict,
        app_label="bulletins",
        object_id=bulletin.pk,
        object_label=str(bulletin),
        user=user,
        item_date=now,
    )
    if not verdict.allowed:
        raise ValidationError(list(verdict.messages))


def next_number(year: int, kind: str) -> int:
    """Must run inside the approving transaction (see bulletin_approve)."""
    BulletinCounter.objects.get_or_create(year=year, kind=kind)
    counter = BulletinCounter.objects.select_for_update().filter(year=year, kind=kind)
    counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


# --- one step to the portal and the networks --------------------------------------


def bulletin_publish(*, bulletin: Bulletin, user: User) -> tuple[Publication, list[str]]:
    """Create the portal publication and the social variants of an approved bulletin
    and take them through publishing's own workflow. Returns the publication and the
    problems that kept it from being approved (it then waits in review)."""
    access.check(user, "publishing.add_publication")
    _require_status(bulletin, S.APROBADO, action="publicar")
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.publication is not None:
            return bulletin.publication, []
        accounts = _publication_accounts()
        if not accounts:
            raise ValidationError("No hay cuentas de canal activas para publicar.")
        publication = publishing.publication_create(
            author=bulletin.author,
            title=f"{bulletin.label}: {bulletin.title}"[:200],
            text=_portal_text(bulletin),
            link=press_url(bulletin),
            category=bulletin.category,
            activity=bulletin.activity,
            area=bulletin.area,
            variants={a.pk: {"text": _variant_text(bulletin, a.kind)} for a in accounts},
        )
        try:
            publishing.publication_submit(publication=publication, user=user)
        except publishing.SubmitRefused as refused:
            # What a network refuses (a text too long for X, …) is fixed in the
            # publication, not in the bulletin: it stays a draft with the reasons.
            refusal = [str(problem) for problem in refused.problems]
        else:
            refusal = []
        bulletin.publication = publication
        bulletin.save(update_fields=["publication", "updated_at"])
        log_action(bulletin, "bulletins.published", user=user, data={"publication": publication.pk})
    if refusal:
        return publication, ["La publicación quedó como borrador:", *refusal]
    problems = _try_approve(publication, user)
    publication.refresh_from_db()
    return publication, problems


def _try_approve(publication: Publication, user: User) -> list[str]:
    if not access.can(user, "publishing.approve_publication"):
        return ["La publicación quedó en revisión: la aprueba Coordinación."]
    try:
        publishing.publication_approve(publication=publication, user=user)
    except (ValidationError, PermissionDenied) as exc:
        return list(getattr(exc, "messages", [str(exc)]))
    return []


def _publication_accounts() -> list[ChannelAccount]:
    return list(
        ChannelAccount.objects.filter(
            state=ChannelState.ACTIVE,
            is_institutional=True,
            # A bulletin is text: networks that refuse a post without an image are left out.
            kind__in=registry.kinds(needs_media=False),
        )
    )


def _portal_text(bulletin: Bulletin) -> str:
    balazos = "\n".join(f"• {b}" for b in bulletin.balazos)
    return (
        f"{bulletin.title}\n\n{balazos}\n\n{dateline(bulletin.dated)} {plain_text(bulletin.body)}"
    )


def _variant_text(bulletin: Bulletin, kind: str) -> str:
    network = registry.get(kind)
    shape = network.shape if network else "post"
    if shape == "article":
        return _portal_text(bulletin)
    if shape == "short":
        # The link is appended by publishing and counts 23 characters.
        return bulletin.title[:HEADLINE_LIMIT]
    balazos = "\n".join(f"• {b}" for b in bulletin.balazos)
    return f"{bulletin.title}\n\n{balazos}\n\n{press_url(bulletin)}"
