from django.contrib import admin

from pregon.reports.models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Read-only: an issued evaluation's figures must not change."""

    list_display = ["label", "issued_at", "issued_by"]
    readonly_fields = [
        "period",
        "label",
        "plan",
        "figures",
        "conclusions",
        "issued_by",
        "issued_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
