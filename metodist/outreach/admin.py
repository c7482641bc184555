"""Admin of outreach projects and volunteers (for corrections). Home readers are deliberately absent: their
cards are read only through the pages and the API, where every view is logged."""

from django.contrib import admin

from metodist.outreach.models import Project, ProjectIndicator, ProjectPartner, Volunteer


class ProjectIndicatorInline(admin.TabularInline):
    model = ProjectIndicator
    extra = 0


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "unit", "starts_on", "ends_on")
    list_filter = ("kind", "status")
    search_fields = ("name", "goal")
    raw_id_fields = ("unit", "participants", "created_by")
    inlines = [ProjectIndicatorInline, ProjectPartnerInline]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("full_name", "library", "user", "is_active")
    list_filter = ("is_active",)
    search_fields = ("full_name",)
    raw_id_fields = ("library", "user")
