"""Pages of the permanent campaign: the cadence board, the themes Coordinación keeps,
and the composer's suggestion of the theme most behind."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.publishing import cadence, selectors, themes
from pregon.publishing.forms import ThemeForm, ThemeTargetFormSet
from pregon.publishing.models import Theme


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@access.require("publishing.view_theme")
def board(request: HttpRequest) -> HttpResponse:
    """Per theme and network: last post, count against target, behind or paused."""
    found = cadence.board(_day(request.GET.get("al", "")))
    context = {
        "board": found,
        "most_behind": found.most_behind(),
        "can_edit": access.can(request.user, "publishing.change_theme"),
    }
    return render(request, "publishing/cadence_board.html", context)


@access.require("publishing.change_theme")
def theme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.check(request.user, "publishing.add_theme")
    theme = get_object_or_404(Theme, pk=pk) if pk else Theme()
    form = ThemeForm(request.POST or None, instance=theme)
    targets = ThemeTargetFormSet(request.POST or None, instance=theme, prefix="metas")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        try:
            themes.theme_write(
                theme=theme if pk else None,
                fields=form.cleaned_data,
                targets=_targets(targets),
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Tema guardado.")
            return redirect("publishing:themes")
    context = {"form": form, "targets": targets, "theme": theme if pk else None}
    return render(request, "publishing/theme_edit.html", context)


def _targets(formset) -> list[themes.Target]:
    """The formset's rows still wanted (filled in and not marked for deletion)."""
    return [
        themes.Target(row["channel"], row["count"], row["period"])
        for row in formset.cleaned_data
        if row and not row.get("DELETE")
    ]


@require_POST
@access.require("publishing.delete_theme")
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    themes.theme_delete(theme=get_object_or_404(Theme, pk=pk), user=request.user)
    messages.success(request, "Tema eliminado; sus publicaciones quedan sin tema.")
    return redirect("publishing:themes")


@access.require("publishing.add_publication")
def theme_suggestion(request: HttpRequest) -> HttpResponse:
    """htmx (composer): the theme most behind on the networks of the ticked channels."""
    ticked = {
        int(key.removeprefix("channel_"))
        for key in request.GET
        if key.startswith("channel_") and key.removeprefix("channel_").isdigit()
    }
    kinds = set(selectors.active_accounts().filter(pk__in=ticked).values_list("kind", flat=True))
    behind = cadence.board().most_behind(kinds, limit=1) if kinds else []
    context = {"cell": behind[0] if behind else None, "ticked": bool(kinds)}
    return render(request, "publishing/_theme_suggestion.html", context)
