"""core/links.py: one reverse() for a list's many rows, the same links reverse() gives."""

import pytest
from django.urls import reverse

from pregon.core.links import EACH, for_each


@pytest.mark.parametrize(
    ("name", "args", "values"),
    [
        ("agenda:detail", (EACH,), [1, 42, 987654321]),
        ("agenda:calendar_view", (EACH,), ["mes", "semana", "dia"]),
        ("archive:derivative", (EACH, "miniatura"), [3, 30000]),
    ],
)
def test_each_link_is_the_one_reverse_gives(name, args, values):
    link = for_each(name, *args)
    for value in values:
        expected = reverse(name, args=[value if a is EACH else a for a in args])
        assert link(value) == expected
