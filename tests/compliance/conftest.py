"""The 2023 Estado de México veda and Chapultepec's public servants."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

MX = ZoneInfo("America/Mexico_City")


def mx(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=MX)


@pytest.fixture
def veda_2023(db):
    from pregon.compliance.models import ElectoralPeriod, ExemptCategory

    for slug, reason in [
        ("salud", "Servicios de salud (art. 41 constitucional)"),
        ("educacion", "Servicios educativos (art. 41 constitucional)"),
        ("proteccion_civil", "Protección civil en emergencias"),
    ]:
        ExemptCategory.objects.create(category=slug, reason=reason, authorization="INE/CG/2023")
    return ElectoralPeriod.objects.create(
        name="Proceso electoral local Estado de México 2023",
        scope="estatal",
        start=date(2023, 4, 3),
        end=date(2023, 6, 4),
        notes="Campañas 3 abr–31 may; jornada electoral 4 jun.",
    )


@pytest.fixture
def mayor(db):
    from pregon.compliance.models import PublicServant

    return PublicServant.objects.create(
        name="Laura Amalia González Martínez",
        title="Presidenta Municipal",
        aliases="Laura Amalia\nla presidenta municipal",
    )
