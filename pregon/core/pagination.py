"""One way to page a list: 50 rows, `?pagina=N`, every other filter kept in the links.

No COUNT(*): one row more than a page tells whether there is a next one, so a page
costs the same with 500 rows or 500,000."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50
PARAM = "pagina"


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    previous_url: str
    next_url: str

    @property
    def is_paginated(self) -> bool:
        return bool(self.previous_url or self.next_url)


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get(PARAM, "")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


def paginate(request: HttpRequest, rows: QuerySet, per_page: int = PER_PAGE) -> Page:
    number = page_number(request)
    start = (number - 1) * per_page
    items = list(rows[start : start + per_page + 1])
    has_next = len(items) > per_page
    return Page(
        items=items[:per_page],
        number=number,
        previous_url=_url(request, number - 1) if number > 1 else "",
        next_url=_url(request, number + 1) if has_next else "",
    )


def _url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query[PARAM] = str(number)
    return f"?{query.urlencode()}"
