import pytest

from tests.goals.factories import build_year


@pytest.fixture
def year2023(db):
    return build_year()


@pytest.fixture
def laura(person):
    """Laura's office (Presidencia) reads the dashboard."""
    return person("presidencia", "presidencia", area="PRES")
