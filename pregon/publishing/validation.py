"""The network's part of the verdict (verdict.py) for saved variants, as the Spanish
lines approval refuses with and the review page lists."""

from django.utils import timezone

from pregon.publishing.models import Publication, Variant
from pregon.publishing.verdict import check_variant, effective_text, network_problems

__all__ = ["effective_text", "publication_problems", "variant_problems"]


def variant_problems(variant: Variant) -> list[str]:
    """What the variant's network refuses (empty = ready)."""
    return network_problems(check_variant(variant, timezone.now(), compliance=False))


def publication_problems(publication: Publication) -> list[str]:
    """Every problem, prefixed with the channel it belongs to."""
    problems = []
    variants = publication.variants.select_related("account", "publication")
    if not variants:
        problems.append("La publicación no tiene canales.")
    for variant in variants:
        problems += [f"{variant.account.name}: {p}" for p in variant_problems(variant)]
    return problems
