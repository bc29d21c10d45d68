from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pregon.goals import periods

ZONE = ZoneInfo("America/Mexico_City")


@pytest.mark.parametrize(
    "key,start,end,label",
    [
        ("2023", date(2023, 1, 1), date(2024, 1, 1), "Año 2023"),
        ("2023-H1", date(2023, 1, 1), date(2023, 7, 1), "Primer semestre de 2023"),
        ("2023-h2", date(2023, 7, 1), date(2024, 1, 1), "Segundo semestre de 2023"),
        ("2023-Q4", date(2023, 10, 1), date(2024, 1, 1), "Cuarto trimestre de 2023"),
        ("2023-02", date(2023, 2, 1), date(2023, 3, 1), "Febrero de 2023"),
    ],
)
def test_parse(key, start, end, label):
    period = periods.parse(key)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("key", ["2023-H3", "2023-Q5", "2023-13", "23-H1", "", "semestre"])
def test_bad_periods_say_what_is_expected(key):
    with pytest.raises(periods.PeriodError, match="2023-H1"):
        periods.parse(key)


def test_bounds_are_local_midnights():
    start, end = periods.parse("2023-H1").bounds()
    assert start == datetime(2023, 1, 1, tzinfo=ZONE)
    assert end == datetime(2023, 7, 1, tzinfo=ZONE)
    assert end.utcoffset().total_seconds() == -6 * 3600


def test_containing_each_frequency():
    day = date(2023, 8, 15)
    assert periods.containing(day, "monthly").key == "2023-08"
    assert periods.containing(day, "quarterly").key == "2023-Q3"
    assert periods.containing(day, "semiannual").key == "2023-H2"
    assert periods.containing(day, "annual").key == "2023"
    assert periods.parse("2023-H2").month_starts()[-1] == date(2023, 12, 1)
