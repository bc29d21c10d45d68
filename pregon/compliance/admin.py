from django.contrib import admin

from pregon.compliance import models as m

admin.site.register(m.ElectoralPeriod, list_display=("name", "scope", "start", "end"))
admin.site.register(m.ExemptCategory, list_display=("category", "reason", "is_active"))
admin.site.register(m.GovernmentReport, list_display=("title", "date"))
admin.site.register(m.PublicServant, list_display=("name", "title", "is_active"))
admin.site.register(m.CommunicationProgramme, list_display=("year", "name", "approved_on"))
admin.site.register(
    m.CommunicationExpense, list_display=("campaign", "supplier", "amount", "start_date")
)
admin.site.register(m.ComplianceSettings)
admin.site.register(
    m.ComplianceEvent,
    list_display=("created_at", "kind", "app_label", "object_label", "rule"),
    list_filter=("kind", "rule"),
)
