"""Press directory pages: edit or delete one contact or list, export a list as CSV.
Thin: a ModelForm validates, a service in directory.py saves and audits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.bulletins import directory
from pregon.bulletins.forms import ContactForm, MediaListForm
from pregon.bulletins.models import MediaContact, MediaList


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@access.require("bulletins.add_mediacontact")
def contact_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    contact = get_object_or_404(MediaContact, pk=pk) if pk else MediaContact()
    if pk:
        access.check(request.user, "bulletins.change_mediacontact")
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        directory.contact_save(contact=form.save(commit=False), user=request.user)
        form.save_m2m()
        messages.success(request, f"Contacto guardado: {contact.person} ({contact.outlet}).")
        return redirect("bulletins:directory")
    context = {"form": form, "object": contact, "kind": "contacto"}
    return render(request, "bulletins/directory_form.html", context)


@access.require("bulletins.change_mediacontact")
def list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    media_list = get_object_or_404(MediaList, pk=pk) if pk else MediaList()
    form = MediaListForm(request.POST or None, instance=media_list)
    if request.method == "POST" and form.is_valid():
        directory.list_save(media_list=form.save(commit=False), user=request.user)
        messages.success(request, f"Lista guardada: {media_list.name}.")
        return redirect("bulletins:directory")
    context = {"form": form, "object": media_list, "kind": "lista"}
    return render(request, "bulletins/directory_form.html", context)


@require_POST
@access.require("bulletins.delete_mediacontact")
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(MediaContact, pk=pk)
    try:
        directory.contact_delete(contact=contact, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"Contacto eliminado: {contact.email}.")
    return redirect("bulletins:directory")


@require_POST
@access.require("bulletins.delete_mediacontact")
def list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(MediaList, pk=pk)
    directory.list_delete(media_list=media_list, user=request.user)
    messages.success(request, f"Lista eliminada: {media_list.name}. Sus contactos se conservan.")
    return redirect("bulletins:directory")


@access.require("bulletins.view_mediacontact")
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    media_list = get_object_or_404(MediaList, pk=pk)
    # A BOM so spreadsheet programs read the accents as UTF-8.
    response = HttpResponse(
        "\ufeff" + directory.export_list(media_list), content_type="text/csv; charset=utf-8"
    )
    name = slugify(media_list.name) or f"lista-{media_list.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
