"""The one table of what may be done to a publication in each status
(publishing/publications.py), walked: every step from every status either is allowed
(status written, audit entry recorded) or refused in words, with nothing written."""

import pytest
from django.core.exceptions import ValidationError

from pregon.core.models import AuditEntry
from pregon.publishing import publications, services
from pregon.publishing.models import Publication, PublicationStatus

S = PublicationStatus


def _audit(publication: Publication) -> list[str]:
    entries = AuditEntry.objects.filter(
        object_type="publishing.publication", object_id=publication.pk
    ).exclude(verb="publishing.created")
    return list(entries.values_list("verb", flat=True))


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("name", sorted(publications.STEPS))
def test_every_step_from_every_status(db, jorge, name, status):
    step = publications.STEPS[name]
    publication = services.publication_create(author=jorge, title="Pozo", text="Hoy.")
    Publication.objects.filter(pk=publication.pk).update(status=status)
    publication.refresh_from_db()
    if status not in step.sources:
        with pytest.raises(ValidationError, match=f"No se puede {step.verb} una publicación"):
            publications.require(publication, name)
        assert not publications.allows(publication, name)
        return
    assert publications.require(publication, name) is step
    if not step.target:  # an edit or a new date: the status stays
        return
    publications.move(publication, name, user=jorge)
    publication.refresh_from_db()
    assert publication.status == step.target
    assert _audit(publication) == ([step.audit] if step.audit else [])


def test_the_table_says_what_the_model_and_the_deliveries_use():
    editable = publications.STEPS["edit"].sources
    assert all(Publication(status=s).is_editable == (s in editable) for s in S.values)
    # A cancelled publication never follows its deliveries back to life by settling.
    for name in ("published", "failed"):
        assert S.CANCELADA not in publications.STEPS[name].sources


def test_a_refused_step_writes_nothing(db, jorge):
    publication = services.publication_create(author=jorge, title="Pozo", text="Hoy.")
    with pytest.raises(ValidationError, match="No se puede aprobar .* «Borrador»"):
        publications.move(publication, "approve", user=jorge)
    publication.refresh_from_db()
    assert publication.status == S.BORRADOR and _audit(publication) == []
