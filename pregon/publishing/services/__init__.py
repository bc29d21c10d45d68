"""Writes of the publishing app (HackSoft-style services), one module per subject:
`workflow` (a publication from borrador to programada, people settling deliveries),
`media` (the composer's save, photos and videos) and `accounts` (channel accounts).
Delivery statuses themselves change only in `pregon.publishing.deliveries`; callers
keep using `services.<name>`."""

from pregon.publishing.services.accounts import (
    WAITS_FOR_RECONNECTION,
    account_save,
)
from pregon.publishing.services.media import (
    IMAGE_EXTENSIONS,
    IMAGE_FORMATS,
    ComposedMedia,
    composer_upload,
    media_add,
    media_attach_asset,
    media_public_captions,
    media_public_path,
    media_shape,
    publication_compose,
)
from pregon.publishing.services.workflow import (
    SubmitRefused,
    approval_refusal,
    delivery_give_up,
    delivery_mark_published,
    delivery_recheck,
    delivery_require_action,
    delivery_retry,
    publication_approve,
    publication_cancel,
    publication_create,
    publication_delete,
    publication_move,
    publication_schedule,
    publication_submit,
    publication_update,
    publications_missed,
    variants_set,
)

__all__ = [
    "ComposedMedia",
    "IMAGE_EXTENSIONS",
    "IMAGE_FORMATS",
    "SubmitRefused",
    "WAITS_FOR_RECONNECTION",
    "account_save",
    "approval_refusal",
    "composer_upload",
    "delivery_give_up",
    "delivery_mark_published",
    "delivery_recheck",
    "delivery_require_action",
    "delivery_retry",
    "media_add",
    "media_attach_asset",
    "media_public_captions",
    "media_public_path",
    "media_shape",
    "publication_approve",
    "publication_cancel",
    "publication_compose",
    "publication_create",
    "publication_delete",
    "publication_move",
    "publication_schedule",
    "publication_submit",
    "publication_update",
    "publications_missed",
    "variants_set",
]
