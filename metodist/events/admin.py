"""Django admin of the events part: for administrators fixing data by hand, not for daily work."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metodist.events import admin_forms  # noqa: F401  (registers FormOfWork with its language fieldsets)
from metodist.events.models import (
    CalendarFeed,
    Event,
    EventFile,
    EventSection,
    Handout,
    Participant,
)


class EventSectionInline(admin.TabularInline):
    model = EventSection
    extra = 0
    raw_id_fields = ("speaker_staff",)


class HandoutInline(admin.TabularInline):
    model = Handout
    extra = 0


class EventFileInline(admin.TabularInline):
    model = EventFile
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "starts_at", "family", "status", "organiser_unit")
    list_filter = ("family", "status")
    search_fields = ("title", "audience")
    date_hierarchy = "starts_at"
    raw_id_fields = ("organiser_unit", "venue_unit", "form")
    filter_horizontal = ("responsible",)
    readonly_fields = ("public_token", "copied_from", "created_by")
    inlines = [EventSectionInline, HandoutInline, EventFileInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("full_name", "event", "status", "attended", "certificate_number")
    list_filter = ("status", "attended")
    search_fields = ("full_name", "email", "certificate_number")
    raw_id_fields = ("event", "staff_member", "unit")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "created_at")
    raw_id_fields = ("user", "unit")
    readonly_fields = ("token",)
