"""Admin of the shared list of directions of work and of consultations (for corrections)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metodist.assistance.models import Consultation, Direction


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
