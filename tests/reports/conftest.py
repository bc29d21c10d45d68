import pytest

from tests.goals.factories import build_year


@pytest.fixture
def year2023(db):
    return build_year()
