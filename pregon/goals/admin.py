from django.contrib import admin

from pregon.goals.models import Indicator, Plan


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "formula_kind",
        "numerator",
        "denominator",
        "frequency",
        "target",
    ]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "year"]
    inlines = [IndicatorInline]
