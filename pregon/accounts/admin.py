from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from pregon.accounts.forms import ThrottledAdminAuthenticationForm
from pregon.accounts.models import ApiToken, Area, User

# The admin's login page counts failures with the app's throttle (one door, one rule).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class PregonUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Área", {"fields": ("area",)}))
    list_display = ["username", "first_name", "last_name", "area", "is_active"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
