from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.accounts.forms import ThrottledAuthenticationForm
from pregon.accounts.models import ApiToken
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


# How long a token made on the page lasts (the command line takes any --days).
TOKEN_LIFETIMES = {"30": 30, "90": 90, "365": 365, "0": None}
DEFAULT_TOKEN_DAYS = 90


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """A person's own API tokens: create one (shown once) or revoke one."""
    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100] or "sin nombre"
        days = TOKEN_LIFETIMES.get(request.POST.get("days", ""), DEFAULT_TOKEN_DAYS)
        token, new_token = ApiToken.issue(request.user, name, days=days)
        log_action(
            token, "accounts.token_issued", user=request.user, data={"name": name, "days": days}
        )
    tokens = request.user.api_tokens.order_by("-created_at")
    context = {"tokens": tokens, "new_token": new_token, "lifetimes": TOKEN_LIFETIMES}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoke()
    log_action(token, "accounts.token_revoked", user=request.user)
    messages.success(request, f"Token {token.prefix}… revocado.")
    return redirect("accounts:tokens")
