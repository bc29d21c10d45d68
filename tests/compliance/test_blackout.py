"""The veda rule with the 2023 Estado de México dates from the issue."""

from datetime import date, datetime

import pytest

from pregon.compliance.models import ElectoralPeriod, ExemptCategory
from pregon.compliance.rules import (
    blackout_active,
    check_blackout,
    held_items,
    press_room_blackout,
    press_room_hides,
    press_room_notice,
)
from tests.compliance.conftest import mx

pytestmark = pytest.mark.django_db


def test_obra_publica_on_10_may_is_refused_naming_the_period(veda_2023):
    verdict = check_blackout("obra_publica", mx(2023, 5, 10))
    assert not verdict.allowed
    assert verdict.severity == "block"
    assert verdict.rules == ("veda",)
    assert verdict.until == date(2023, 6, 5)
    assert verdict.periods == ("Proceso electoral local Estado de México 2023",)
    assert verdict.message == (
        "Bloqueada por veda electoral «Proceso electoral local Estado de México 2023» "
        "(3 de abril al 4 de junio de 2023): la categoría obra pública no está exenta. "
        "Podrá publicarse a partir del 5 de junio de 2023."
    )


def test_salud_on_10_may_passes_with_its_reason(veda_2023):
    verdict = check_blackout("salud", mx(2023, 5, 10))
    assert verdict.allowed
    assert verdict.exemption_reason == "Servicios de salud (art. 41 constitucional)"
    assert verdict.rules == ("veda_exenta",)
    assert verdict.message == (
        "Permitida durante la veda «Proceso electoral local Estado de México 2023» "
        "(3 de abril al 4 de junio de 2023): la categoría salud está exenta — "
        "Servicios de salud (art. 41 constitucional) (autorización: INE/CG/2023)."
    )


def test_on_5_june_both_pass(veda_2023):
    assert check_blackout("obra_publica", mx(2023, 6, 5, 0)).allowed
    assert check_blackout("salud", mx(2023, 6, 5)).allowed
    assert check_blackout("obra_publica", mx(2023, 6, 5)).messages == ()


def test_vote_day_and_first_day_are_inside_the_veda(veda_2023):
    assert check_blackout("cultura", mx(2023, 6, 4, 23)).blocked
    assert check_blackout("cultura", mx(2023, 4, 3, 0)).blocked
    assert check_blackout("cultura", mx(2023, 4, 2, 23)).allowed


def test_days_are_counted_in_mexico_city_time(veda_2023):
    # 5 June 03:00 UTC is still 4 June 21:00 in Mexico City: inside the veda.
    from datetime import UTC

    assert check_blackout("deporte", datetime(2023, 6, 5, 3, tzinfo=UTC)).blocked
    assert check_blackout("deporte", datetime(2023, 6, 5, 7, tzinfo=UTC)).allowed


def test_category_matching_tolerates_accents_case_and_spaces(veda_2023):
    assert check_blackout("Protección Civil", mx(2023, 5, 1)).allowed
    assert check_blackout("SALUD", mx(2023, 5, 1)).allowed
    assert check_blackout("Obra pública", mx(2023, 5, 1)).blocked
    ExemptCategory.objects.create(category="Autoridades electorales", reason="Información INE")
    assert (
        ExemptCategory.objects.get(reason="Información INE").category == "autoridades_electorales"
    )
    assert check_blackout("autoridades electorales", mx(2023, 5, 1)).allowed


def test_inactive_exemption_does_not_apply(veda_2023):
    ExemptCategory.objects.filter(category="salud").update(is_active=False)
    assert check_blackout("salud", mx(2023, 5, 10)).blocked


def test_overlapping_periods_are_all_named_and_until_follows_the_chain(veda_2023):
    ElectoralPeriod.objects.create(
        name="Proceso federal 2023", scope="federal", start=date(2023, 5, 1), end=date(2023, 6, 20)
    )
    verdict = check_blackout("cultura", mx(2023, 5, 10))
    assert verdict.periods == (
        "Proceso electoral local Estado de México 2023",
        "Proceso federal 2023",
    )
    assert verdict.until == date(2023, 6, 21)
    assert verdict.message == (
        "Bloqueada por vedas electorales «Proceso electoral local Estado de México 2023» "
        "(3 de abril al 4 de junio de 2023); «Proceso federal 2023» (1 de mayo al 20 de "
        "junio de 2023): la categoría cultura no está exenta. "
        "Podrá publicarse a partir del 21 de junio de 2023."
    )
    # From 10 April only the state period applies, but it chains into the federal one.
    assert check_blackout("cultura", mx(2023, 4, 10)).until == date(2023, 6, 21)


def test_no_periods_means_everything_passes():
    assert check_blackout("obra_publica", mx(2023, 5, 10)).allowed
    assert blackout_active(mx(2023, 5, 10)) is None


def test_delivery_scheduled_on_1_april_for_15_april_is_held(veda_2023):
    # (delivery id, category, scheduled_at) — scheduled on 1 April, before the veda began.
    deliveries = [
        (41, "obra_publica", mx(2023, 4, 15, 9)),
        (42, "salud", mx(2023, 4, 15, 9)),
        (43, "obra_publica", mx(2023, 6, 6, 9)),
        (44, "cultura", mx(2023, 4, 1, 18)),
    ]
    held = held_items(deliveries)
    assert [h.id for h in held] == [41]
    assert held[0].verdict.until == date(2023, 6, 5)
    assert "Proceso electoral local Estado de México 2023" in held[0].verdict.message


def test_blackout_active_and_press_room_mode(veda_2023):
    from pregon.compliance.models import ComplianceSettings

    assert blackout_active(mx(2023, 5, 10)) == veda_2023
    assert blackout_active(mx(2023, 6, 5)) is None
    assert press_room_blackout(mx(2023, 5, 10)) == veda_2023
    assert press_room_hides("obra_publica", mx(2023, 5, 10))
    assert not press_room_hides("salud", mx(2023, 5, 10))
    assert not press_room_hides("obra_publica", mx(2023, 6, 5))
    assert "veda electoral" in press_room_notice(mx(2023, 5, 10))
    assert press_room_notice(mx(2023, 6, 5)) == ""
    ComplianceSettings.objects.filter(pk=ComplianceSettings.current().pk).update(
        press_room_blackout_mode=False
    )
    assert press_room_blackout(mx(2023, 5, 10)) is None
    assert not press_room_hides("obra_publica", mx(2023, 5, 10))
