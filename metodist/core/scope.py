"""The scoping helper: every list and every object lookup of every app goes through here.

A user holds roles on org units; a role covers its unit's whole subtree and grants capabilities
(`metodist.accounts.models.ROLE_CAPABILITIES`). Scope is expressed as materialised-path prefixes, so
"everything under Beskaragay district" is one `path LIKE 'prefix%'` query (exact in any collation; an
index with `varchar_pattern_ops` serves it on PostgreSQL). Roll-ups over big tables use `subtree_q`,
a range of paths, instead.

    units = scope.units(request.user)                              # org units the user may see
    unit = scope.get_unit_or_404(request.user, pk, "edit_card")    # one unit, or 404
    visits = scope.records(request.user, FieldVisit.objects.all())  # records owned by units in scope
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

VIEW = "view"
_CACHE_ATTR = "_metodist_scope_prefixes"
# The characters of tree paths (django-treebeard's `MP_Node.alphabet`), in the order every collation
# sorts them: digits, then capital letters.
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def subtree_bounds(prefix: str) -> tuple[str, str | None]:
    """The paths of a subtree as a range [low, high): high is the path that follows the prefix at its
    length (`00010002` → `00010003`, `000Z` → `001`), None when none does.

    A range uses the ordinary index of the column (the roll-up index of `reporting_value` begins with
    the indicator and then the path, which a LIKE could not use). The bound is made of path characters,
    so every collation agrees: `prefix + "~"` would do in the C collation only (ru_RU and en_US skip
    the "~", ICU sorts it before the digits, and both put part of the subtree above it).
    """
    for index in range(len(prefix) - 1, -1, -1):
        position = PATH_ALPHABET.find(prefix[index])
        if 0 <= position < len(PATH_ALPHABET) - 1:
            return prefix, prefix[:index] + PATH_ALPHABET[position + 1]
    return prefix, None


def subtree_q(field: str, prefix: str) -> Q:
    """`field` (a tree path) lies in the subtree of `prefix`, the prefix itself included."""
    low, high = subtree_bounds(prefix)
    condition = Q(**{f"{field}__gte": low})
    return condition if high is None else condition & Q(**{f"{field}__lt": high})


def _minimal(paths: list[str]) -> tuple[str, ...]:
    """Drop paths that lie under another path of the list."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def prefixes(user, capability: str = VIEW) -> tuple[str, ...] | None:
    """Tree paths whose subtrees the user covers with `capability`; None means everything (superuser)."""
    from metodist.accounts.models import ROLE_CAPABILITIES

    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    if user.is_superuser:
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        for kind, path in user.roles.values_list("kind", "unit__path"):
            for cap in ROLE_CAPABILITIES.get(kind, ()):
                cache.setdefault(cap, []).append(path)
        cache = {cap: _minimal(paths) for cap, paths in cache.items()}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(capability, ())


def forget(user) -> None:
    """Drop the cached scope after the user's roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _path_q(paths: tuple[str, ...], field: str) -> Q:
    # LIKE, not `subtree_q`: SQLite cannot use an index for it and so starts from the records' own
    # filters (the 25 submitted reports of a queue), where a range would make it walk every unit of the
    # country first (measured: 310 ms against 8 ms for the acceptance queue of 4,000 libraries).
    lookup = f"{field}__startswith"
    return reduce(or_, (Q(**{lookup: p}) for p in paths))


def filter_by_path(user, queryset: QuerySet, *, path_field: str, capability: str = VIEW) -> QuerySet:
    allowed = prefixes(user, capability)
    if allowed is None:
        return queryset
    if not allowed:
        return queryset.none()
    return queryset.filter(_path_q(allowed, path_field))


def units(user, capability: str = VIEW, queryset: QuerySet | None = None) -> QuerySet:
    """Org units the user covers with `capability`."""
    from metodist.network.models import OrgUnit

    return filter_by_path(
        user,
        queryset if queryset is not None else OrgUnit.objects.all(),
        path_field="path",
        capability=capability,
    )


def records(user, queryset: QuerySet, capability: str = VIEW, *, unit_field: str = "unit") -> QuerySet:
    """Records of any app that belong to an org unit through `unit_field`, limited to the user's scope."""
    return filter_by_path(user, queryset, path_field=f"{unit_field}__path", capability=capability)


def covers(user, unit, capability: str = VIEW) -> bool:
    allowed = prefixes(user, capability)
    if allowed is None:
        return True
    return any(unit.path.startswith(p) for p in allowed)


def get_unit_or_404(user, pk, capability: str = VIEW):
    from metodist.network.models import OrgUnit

    try:
        return units(user, capability).get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_record_or_404(
    user, queryset: QuerySet, capability: str = VIEW, *, unit_field: str = "unit", **lookup
):
    try:
        return records(user, queryset, capability, unit_field=unit_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def roots(user, capability: str = VIEW) -> QuerySet:
    """The top units of the user's scope: where their tree starts."""
    from metodist.network.models import OrgUnit

    allowed = prefixes(user, capability)
    if allowed is None:
        return OrgUnit.get_root_nodes()
    return OrgUnit.objects.filter(path__in=allowed).order_by("path")
