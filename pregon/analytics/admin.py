from django.contrib import admin

from pregon.analytics.models import AccountMetric, PostMetric, PurposeRule, WebLogImport


@admin.register(AccountMetric)
class AccountMetricAdmin(admin.ModelAdmin):
    list_display = ("account", "date", "followers", "reach", "views", "engagements", "source")
    list_filter = ("account", "source")
    date_hierarchy = "date"


@admin.register(PostMetric)
class PostMetricAdmin(admin.ModelAdmin):
    list_display = ("account", "remote_id", "published_at", "reactions", "comments", "shares")
    list_filter = ("account", "source")
    search_fields = ("remote_id", "text")


@admin.register(PurposeRule)
class PurposeRuleAdmin(admin.ModelAdmin):
    list_display = ("prefix", "purpose")


@admin.register(WebLogImport)
class WebLogImportAdmin(admin.ModelAdmin):
    list_display = ("name", "lines_done", "visits", "bots", "malformed", "updated_at")
