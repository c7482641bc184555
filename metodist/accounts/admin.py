"""Roles and API tokens in the Django admin, for superusers fixing things by hand."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metodist.accounts.models import ApiToken, Role


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "unit", "granted_by", "granted_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__last_name", "unit__code", "unit__name_ru"]
    raw_id_fields = ["user", "unit", "granted_by"]
    list_select_related = ["user", "unit", "granted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    raw_id_fields = ["user"]
    # Tokens are issued on the profile page, where the key is shown once; here they can only be revoked.
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
