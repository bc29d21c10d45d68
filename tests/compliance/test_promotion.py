"""No personal promotion: public servants named in institutional texts."""

import pytest

from pregon.compliance.models import PublicServant
from pregon.compliance.promotion import check_personal_promotion, find_public_servant_mentions
from tests.compliance.conftest import mx

pytestmark = pytest.mark.django_db


def test_text_naming_the_mayor_is_flagged_with_the_match(mayor):
    text = "Hoy LAURA AMALIA inauguró la biblioteca."
    verdict = check_personal_promotion(text, institutional=True, when=mx(2023, 8, 1))
    assert verdict.flagged and verdict.allowed
    assert verdict.rules == ("promocion_personal",)
    [match] = verdict.matches
    assert match.matched_text == "LAURA AMALIA"
    assert text[match.start : match.end] == "LAURA AMALIA"
    assert match.servant_name == "Laura Amalia González Martínez"
    assert "«LAURA AMALIA» (Laura Amalia González Martínez, Presidenta Municipal)" in (
        verdict.message
    )


def test_during_a_veda_the_mention_is_blocked(mayor, veda_2023):
    verdict = check_personal_promotion(
        "La presidenta municipal entregó apoyos.", institutional=True, when=mx(2023, 5, 10)
    )
    assert verdict.blocked
    assert "Proceso electoral local Estado de México 2023" in verdict.message
    assert verdict.matches[0].matched_text == "La presidenta municipal"


def test_personal_accounts_are_not_checked(mayor, veda_2023):
    verdict = check_personal_promotion(
        "Laura Amalia González Martínez saluda a los vecinos.", False, mx(2023, 5, 10)
    )
    assert verdict.severity == "ok" and not verdict.messages


def test_full_name_without_accents_is_one_match_not_two(mayor):
    matches = find_public_servant_mentions("Mensaje de laura amalia gonzalez martinez.")
    assert [m.matched_text for m in matches] == ["laura amalia gonzalez martinez"]


def test_word_boundaries_are_respected(mayor):
    PublicServant.objects.create(name="Ana Ruiz", title="Regidora", aliases="Ana")
    assert find_public_servant_mentions("La campaña de Mariana y Anaya.") == []
    hits = find_public_servant_mentions("Ana, regidora; y también «Ana Ruiz».")
    assert [h.matched_text for h in hits] == ["Ana", "Ana Ruiz"]


def test_names_across_line_breaks_and_several_servants(mayor):
    PublicServant.objects.create(name="Héctor Ramírez Ocampo", title="Secretario")
    text = "Laura\nAmalia y hector ramirez ocampo firmaron."
    hits = find_public_servant_mentions(text)
    assert [h.servant_name for h in hits] == [
        "Laura Amalia González Martínez",
        "Héctor Ramírez Ocampo",
    ]
    assert hits[0].matched_text == "Laura\nAmalia"


def test_inactive_servants_and_clean_texts_pass(mayor):
    PublicServant.objects.filter(pk=mayor.pk).update(is_active=False)
    assert check_personal_promotion("Laura Amalia inauguró.", True, mx(2023, 8, 1)).messages == ()
    assert check_personal_promotion("", True, mx(2023, 8, 1)).severity == "ok"
