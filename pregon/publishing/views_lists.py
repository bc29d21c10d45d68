"""The publications and deliveries lists. Each row's cells are prepared here as plain
values (labels, dates, links), so the template draws a page of 50 without resolving
attributes, choices and filters cell by cell: that was ≈16,000 variable lookups and
250 model instances a render."""

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pregon.accounts import access
from pregon.core.links import EACH, for_each
from pregon.core.page_cache import staff_page
from pregon.core.pagination import paginate
from pregon.core.spanish import format_date
from pregon.publishing import selectors
from pregon.publishing.models import (
    ChannelAccount,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Publication,
    PublicationStatus,
)

ROW_DATE = "d/m/Y H:i"


@access.require("publishing.view_publication")
@staff_page
def publication_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    page = paginate(request, selectors.publication_rows(request.user, status))
    context = {
        "publications": _publication_rows(page.items),
        "page": page,
        "status": status,
        "statuses": PublicationStatus.choices,
    }
    return render(request, "publishing/list.html", context)


@access.require("publishing.view_delivery")
@staff_page
def delivery_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado", "")
    page = paginate(request, selectors.delivery_rows(request.user, status))
    can_settle = request.user.has_perm("publishing.settle_delivery")
    context = {
        "deliveries": _delivery_rows(page.items, can_settle),
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
    }
    return render(request, "publishing/deliveries.html", context)


def _publication_rows(items: list[dict]) -> list[tuple]:
    """(link, title, status, status label, date, author, category) per publication."""
    link = for_each("publishing:detail", EACH)
    statuses, categories = _labels(Publication, "status"), _labels(Publication, "category")
    return [
        (
            link(p["pk"]),
            p["title"],
            p["status"],
            statuses.get(p["status"], p["status"]),
            format_date(p["scheduled_at"], ROW_DATE) or "—",
            _full_name(p["author__first_name"], p["author__last_name"]) or p["author__username"],
            categories.get(p["category"], p["category"]),
        )
        for p in items
    ]


def _delivery_rows(items: list[dict], can_settle: bool) -> list[dict]:
    link = for_each("publishing:detail", EACH)
    statuses = _labels(Delivery, "status")
    attempts = selectors.attempt_lines([d["pk"] for d in items])
    actions: dict[tuple[str, str], tuple[str, ...]] = {}
    return [
        {
            "pk": d["pk"],
            "when": format_date(d["scheduled_at"], ROW_DATE),
            "link": link(d["variant__publication_id"]),
            "title": d["variant__publication__title"],
            "account": d["account__name"],
            "status": d["status"],
            "status_label": statuses.get(d["status"], d["status"]),
            "last_error": d["last_error"],
            "attempts": d["attempts"],
            "attempt_log": _attempt_lines(attempts.get(d["pk"], [])),
            "remote_url": d["remote_url"],
            "remote_id": d["remote_id"],
            "actions": _actions(d["account__kind"], d["status"], actions) if can_settle else (),
        }
        for d in items
    ]


def _attempt_lines(attempts: list[dict]) -> list[dict]:
    outcomes = _labels(DeliveryAttempt, "outcome")
    return [{**a, "outcome_label": outcomes.get(a["outcome"], a["outcome"])} for a in attempts]


def _actions(kind: str, status: str, known: dict) -> tuple[str, ...]:
    """Delivery.actions for an account kind and a status, worked out once a page."""
    if (kind, status) not in known:
        delivery = Delivery(account=ChannelAccount(kind=kind), status=status)
        known[kind, status] = delivery.actions
    return known[kind, status]


def _labels(model: type[models.Model], field: str) -> dict:
    """A choices field's labels by value, as get_FOO_display() shows them."""
    return dict(model._meta.get_field(field).flatchoices)


def _full_name(first: str, last: str) -> str:
    """As User.get_full_name(), from the two columns."""
    return f"{first} {last}".strip()
