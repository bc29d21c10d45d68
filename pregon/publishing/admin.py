from django.contrib import admin

from pregon.publishing.models import ChannelAccount, Delivery, DeliveryAttempt, Publication


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state", "is_institutional"]
    # Credentials are edited on the channels page, where they are write-only.
    exclude = ["credentials"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "scheduled_at", "author", "category"]
    list_filter = ["status", "category"]
    search_fields = ["title", "text"]
    raw_id_fields = ["activity", "author", "approved_by"]


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    readonly_fields = ["started_at", "duration_ms", "http_status", "outcome", "error"]
    exclude = ["response_text", "calls", "worker"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "account", "status", "scheduled_at", "attempts", "remote_id"]
    list_filter = ["status", "account"]
    inlines = [AttemptInline]
    raw_id_fields = ["variant", "settled_by"]
