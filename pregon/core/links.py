"""Links to many rows at the cost of one reverse(): a list of 50, a month of 200
chips or a sitemap of hundreds would otherwise resolve the URL pattern once per row."""

from collections.abc import Callable

from django.urls import reverse

EACH = object()  # where each row's value goes among reverse()'s arguments
_MARK = "987654321987"  # a value every converter accepts (int, str, slug)


def for_each(name: str, *args: object) -> Callable[[object], str]:
    """`for_each("agenda:detail", EACH)(7) == reverse("agenda:detail", args=[7])`."""
    head, tail = reverse(name, args=[_MARK if a is EACH else a for a in args]).split(_MARK)
    return lambda value: f"{head}{value}{tail}"
