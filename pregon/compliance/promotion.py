"""No personal promotion: find registered public servants named in a text."""

import re
from datetime import date, datetime

from django.utils import timezone

from pregon.compliance.models import PublicServant
from pregon.compliance.periods import blackout_active
from pregon.compliance.verdict import Match, Verdict, block, flag
from pregon.core.spanish import fold


def _pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in fold(term).split()]
    # Word boundaries that also work next to accented letters and punctuation.
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def find_public_servant_mentions(
    text: str, servants: list[PublicServant] | None = None
) -> list[Match]:
    """Every mention of an active public servant's name or alias, accent- and
    case-insensitive, whole words only; overlapping hits keep the longest."""
    folded = fold(text or "")
    if servants is None:
        servants = list(PublicServant.objects.filter(is_active=True))
    candidates = []
    for servant in servants:
        for term in [servant.name, *servant.alias_list]:
            if not term.strip():
                continue
            for hit in _pattern(term).finditer(folded):
                candidates.append((hit.start(), hit.end(), servant))
    return _longest_first(text, candidates)


def _longest_first(text: str, candidates: list) -> list[Match]:
    taken: list[Match] = []
    for start, end, servant in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(start < m.end and m.start < end for m in taken):
            continue
        taken.append(Match(servant.pk, servant.name, servant.title, text[start:end], start, end))
    return sorted(taken, key=lambda m: m.start)


def check_personal_promotion(
    text: str, institutional: bool, when: datetime | date | None = None
) -> Verdict:
    """Institutional channels naming a public servant: flagged for review, blocked
    during a veda. Personal accounts (e.g. the mayor's own page) are not checked."""
    if not institutional:
        return Verdict()
    matches = tuple(find_public_servant_mentions(text))
    if not matches:
        return Verdict()
    names = ", ".join(f"«{m.matched_text}» ({m.servant_name}, {m.servant_title})" for m in matches)
    period = blackout_active(when or timezone.now())
    if period:
        return block(
            f"Menciona a servidores públicos durante la veda «{period.name}» "
            f"({period.date_range}): {names}.",
            "promocion_personal",
            matches=matches,
            periods=(period.name,),
        )
    return flag(
        f"Menciona a servidores públicos; revise que no sea promoción personalizada: {names}.",
        "promocion_personal",
        matches=matches,
    )
