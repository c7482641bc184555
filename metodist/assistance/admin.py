"""Admin of the shared list of directions of work and of consultations (for corrections)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metodist.assistance.models import Consultation, Direction, FieldVisit, Recommendation, VisitFinding


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_kk", "name_en", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("code", "name_ru", "name_kk", "name_en")


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ("date", "topic", "mode", "form", "consultant", "consultant_unit", "to_unit")
    list_filter = ("mode", "form", "directions")
    search_fields = ("topic", "to_people", "to_department")
    raw_id_fields = ("consultant", "consultant_unit", "to_unit", "created_by")
    date_hierarchy = "date"


class VisitFindingInline(admin.TabularInline):
    model = VisitFinding
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(FieldVisit)
class FieldVisitAdmin(SimpleHistoryAdmin):
    list_display = ("start", "purpose", "status", "organiser_unit")
    list_filter = ("status",)
    raw_id_fields = ("organiser_unit", "destinations")
    inlines = [VisitFindingInline]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("text", "unit", "due", "status")
    list_filter = ("status",)
    raw_id_fields = ("visit", "unit", "issuer_unit", "issued_by", "answered_by")
