"""What the calendar views' toolbar (_toolbar.html) shows, written once per page: its
links and its filter options. In the template, nine `fecha` filters, four `url` tags
and thirty options with their conditions cost ≈ 0.8 ms on every calendar page. Values
from the request or the database are escaped here (html.escape, as Django's escape)."""

from collections.abc import Iterable
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from pregon.accounts.models import Area
from pregon.agenda.forms import option_tags
from pregon.agenda.models import ActivityStatus, ActivityType
from pregon.agenda.selectors import VIEWS, Period
from pregon.core.links import EACH, for_each


def toolbar(period: Period, today: date, query: str, filters: dict, areas: Iterable[Area]) -> dict:
    anchor = period.anchor.isoformat()
    view_link = for_each("agenda:calendar_view", EACH)  # one reverse() for the four views
    area_choices = ((a.short_name, f"{a.short_name} · {a.name}") for a in areas)
    query = escape(query)
    links = {view: f"{view_link(view)}?fecha={anchor}&{query}" for view in VIEWS}
    return {
        "views": {view: mark_safe(link) for view, link in links.items()},  # noqa: S308 - escaped
        "anchor": anchor,
        "previous": period.previous.isoformat(),
        "today": today.isoformat(),
        "next": period.next.isoformat(),
        "areas": _options(area_choices, filters["area"]),
        "types": _options(ActivityType.choices, filters["tipo"]),
        "statuses": _options(ActivityStatus.choices, filters["estado"]),
    }


def _options(choices: Iterable[tuple[str, str]], selected: str) -> SafeString:
    return option_tags((value, label, value == selected) for value, label in choices)
