from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pregon.accounts import access
from pregon.accounts.forms import ThrottledAuthenticationForm
from pregon.core.audit import log_action
from pregon.core.models import AuditEntry


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(form.get_user(), "accounts.login", user=form.get_user())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/cuenta/contrasena/lista/"

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(self.request.user, "accounts.password_changed", user=self.request.user)
        return response


@access.require("core.browse_audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor")
    verb = request.GET.get("accion", "").strip()
    who = request.GET.get("usuario", "").strip()
    if verb:
        entries = entries.filter(verb__icontains=verb)
    if who:
        entries = entries.filter(actor__username__icontains=who)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "accounts/audit.html", {"page": page, "verb": verb, "who": who})
