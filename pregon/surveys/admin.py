from django.contrib import admin

from pregon.surveys.models import Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    fk_name = "survey"
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "opens_on", "closes_on", "anonymous", "access_mode")
    search_fields = ("title",)
    inlines = [QuestionInline]
