from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from metodist.network.models import LibraryPassport, OrgUnit, QualificationRecord, StaffMember


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(OrgUnit, formfield_callback=_https_urls)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name_ru", "code", "kind", "archived_at")
    list_filter = ("kind",)
    search_fields = ("code", "name_ru", "name_kk")


@admin.register(LibraryPassport)
class LibraryPassportAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "computers", "internet")
    list_filter = ("year",)
    raw_id_fields = ("unit",)


class QualificationInline(admin.TabularInline):
    model = QualificationRecord
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "position", "unit")
    search_fields = ("full_name",)
    raw_id_fields = ("unit", "user")
    inlines = [QualificationInline]
