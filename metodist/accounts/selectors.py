"""Reads for the account pages: users an administrator may manage, their roles and role history, tokens.

An administrator is a user with the `manage_roles` capability on some units (or a superuser). They see
the users who hold at least one role inside their `manage_roles` scope, and the users with no role at all
(so that a new account can be given its first one).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from metodist.accounts.models import ApiToken, Role
from metodist.core import scope
from metodist.network.models import OrgUnit, UnitKind

MANAGE_ROLES = "manage_roles"
UNIT_OPTIONS_LIMIT = 100
# Without a search, the unit select offers territories: roles are mostly granted on districts and cities.
_DEFAULT_OPTION_KINDS = (UnitKind.COUNTRY, UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY)

User = get_user_model()


def is_administrator(user) -> bool:
    return scope.prefixes(user, MANAGE_ROLES) != ()


def roles_in_scope(admin, queryset: QuerySet | None = None) -> QuerySet:
    """Roles on units inside the administrator's `manage_roles` scope."""
    queryset = queryset if queryset is not None else Role.objects.all()
    return scope.records(admin, queryset, MANAGE_ROLES)


def _manageable_users(admin) -> QuerySet:
    users = User.objects.all()
    if scope.prefixes(admin, MANAGE_ROLES) is None:
        return users
    if not is_administrator(admin):
        return users.none()
    in_scope = roles_in_scope(admin, Role.objects.filter(user=OuterRef("pk")))
    any_role = Role.objects.filter(user=OuterRef("pk"))
    # Superusers stay out of reach of administrators who are not superusers themselves.
    return users.filter(Exists(in_scope) | ~Exists(any_role)).exclude(is_superuser=True)


def user_list(
    admin, *, text: str = "", kind: str = "", unit: OrgUnit | None = None, active: bool | None = None
) -> QuerySet:
    """Users the administrator manages, with their roles in scope prefetched, by name."""
    users = _manageable_users(admin)
    text = text.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    if kind or unit is not None:
        roles = roles_in_scope(admin, Role.objects.filter(user=OuterRef("pk")))
        if kind:
            roles = roles.filter(kind=kind)
        if unit is not None:
            roles = roles.filter(unit__path__startswith=unit.path)
        users = users.filter(Exists(roles))
    if active is not None:
        users = users.filter(is_active=active)
    shown_roles = roles_in_scope(admin).select_related("unit").order_by("unit__path", "kind")
    return users.prefetch_related(Prefetch("roles", queryset=shown_roles, to_attr="roles_in_scope")).order_by(
        "last_name", "first_name", "username"
    )


def user_get_or_404(admin, pk) -> AbstractUser:
    try:
        return _manageable_users(admin).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage_account(admin, user) -> bool:
    """May the administrator (de)activate the account: every role of the user lies inside their scope."""
    if admin.is_superuser:
        return True
    if user.is_superuser or user.pk == admin.pk or not is_administrator(admin):
        return False
    all_roles = Role.objects.filter(user=user)
    return all_roles.count() == roles_in_scope(admin, all_roles).count()


def user_roles(admin, user) -> tuple[list[Role], int]:
    """The user's roles inside the administrator's scope, and how many others they hold elsewhere."""
    all_roles = Role.objects.filter(user=user)
    shown = list(
        roles_in_scope(admin, all_roles).select_related("unit", "granted_by").order_by("unit__path", "kind")
    )
    return shown, all_roles.count() - len(shown)


def role_get_or_404(admin, pk) -> Role:
    return scope.get_record_or_404(admin, Role.objects.select_related("user", "unit"), MANAGE_ROLES, pk=pk)


def role_history(admin, user, *, limit: int = 20) -> list:
    """Recent grants and revocations of the user's roles on units in scope, newest first."""
    records = scope.records(admin, Role.history.filter(user_id=user.pk), MANAGE_ROLES)
    records = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    units = OrgUnit.objects.in_bulk({r.unit_id for r in records})
    for record in records:
        # Historical rows keep the unit id only; load the units in one query rather than one per row.
        record.unit_shown = units.get(record.unit_id)
    return records


def grantable_units(admin) -> QuerySet:
    """Units the administrator may grant roles on (for validating the grant form)."""
    return scope.units(admin, MANAGE_ROLES).active()


def unit_options(admin, *, text: str = "", limit: int = UNIT_OPTIONS_LIMIT) -> tuple[list[OrgUnit], bool]:
    """Units to offer in the grant form: search results by name or code, or the territories by default.

    Answers the units (by tree path) and whether there were more than the limit.
    """
    units = grantable_units(admin)
    text = text.strip()
    units = units.search(text) if text else units.filter(kind__in=_DEFAULT_OPTION_KINDS)
    found = list(units.order_by("path")[: limit + 1])
    return found[:limit], len(found) > limit


def filter_units(admin) -> QuerySet:
    """Territories in the administrator's scope, to filter the user list by subtree."""
    return grantable_units(admin).filter(kind__in=_DEFAULT_OPTION_KINDS).order_by("path")


def own_roles(user) -> QuerySet:
    return Role.objects.filter(user=user).select_related("unit").order_by("unit__path", "kind")


def own_tokens(user) -> QuerySet:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def own_token_get_or_404(user, pk) -> ApiToken:
    """A token of the user; another user's token is answered as missing."""
    try:
        return own_tokens(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
