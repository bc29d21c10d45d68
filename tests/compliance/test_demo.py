"""The demo seeds the 2023 veda, the exemptions and Chapultepec's public servants."""

import io

import pytest

from pregon.compliance import demo
from pregon.compliance.models import ExemptCategory, PublicServant
from pregon.compliance.promotion import find_public_servant_mentions
from pregon.compliance.rules import check_blackout
from tests.compliance.conftest import mx

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_seeds_the_rules():
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert set(ExemptCategory.objects.values_list("category", flat=True)) == {
        "educacion",
        "salud",
        "proteccion_civil",
        "autoridades_electorales",
    }
    assert PublicServant.objects.count() == len(demo.SERVANTS)
    assert check_blackout("obra_publica", mx(2023, 5, 10)).blocked
    assert check_blackout("educacion", mx(2023, 5, 10)).allowed
    [hit] = find_public_servant_mentions("Mensaje de la alcaldesa.")
    assert hit.servant_name == "Laura Amalia González Martínez"
