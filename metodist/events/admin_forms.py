"""The catalogue of forms of work in the Django admin: superusers and administrators edit it there.

Imported by `metodist/events/admin.py` (Django's autodiscovery imports only `admin.py`). A form the
shipped catalogue also has is never overwritten by `catalogue_load()`, so edits made here survive upgrades;
withdraw a form from the catalogue with "in the catalogue" rather than deleting it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from metodist.events.catalogue import can_edit_catalogue
from metodist.events.models import FormOfWork, FormScenario


class FormScenarioInline(admin.StackedInline):
    model = FormScenario
    extra = 0
    fields = ("title", "language", "text", "file")

    def has_view_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)


def _language_fieldset(language: str, title) -> tuple:
    fields = [f"{name}_{language}" for name in ("name", "summary", "description", "audiences", "goals")]
    fields += [f"preparation_{language}", f"conduct_{language}"]
    return (title, {"fields": fields, "classes": [] if language == "ru" else ["collapse"]})


@admin.register(FormOfWork)
class FormOfWorkAdmin(admin.ModelAdmin):
    list_display = ("name_ru", "name_kk", "code", "family", "is_active", "updated_at")
    list_filter = ("family", "is_active")
    search_fields = ("name_ru", "name_kk", "name_en", "code")
    ordering = ("name_ru",)
    filter_horizontal = ("related",)
    inlines = [FormScenarioInline]
    fieldsets = (
        (None, {"fields": ("code", "family", "duration", "is_active", "related")}),
        _language_fieldset("ru", _("Russian")),
        _language_fieldset("kk", _("Kazakh")),
        _language_fieldset("en", _("English")),
    )

    def get_readonly_fields(self, request, obj=None):
        # The code links the form to the shipped catalogue and to the API: fixed once the form exists.
        return ("code",) if obj is not None else ()

    def has_module_permission(self, request) -> bool:
        return can_edit_catalogue(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)

    def has_add_permission(self, request) -> bool:
        return can_edit_catalogue(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_edit_catalogue(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Events keep their form (PROTECT); only a superuser removes a form nobody used.
        return request.user.is_superuser
