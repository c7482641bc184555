"""Reads of the network registry, always through the user's scope.

The tree is shown a level at a time: each query is bounded by the number of children of one node, never
by the size of the network, so the page stays fast with a national network of thousands of units.
"""

from django.db.models import QuerySet

from metodist.core import scope
from metodist.network.models import OrgUnit, StaffMember, UnitKind

TREE_FIELDS = (
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name_ru",
    "name_kk",
    "name_en",
    "kind",
    "archived_at",
)


def _visible(qs: QuerySet, *, archived: bool) -> QuerySet:
    return qs if archived else qs.filter(archived_at__isnull=True)


def tree_roots(user, *, archived: bool = False) -> list[OrgUnit]:
    return list(_visible(scope.roots(user), archived=archived).only(*TREE_FIELDS))


def unit_children(user, unit: OrgUnit, *, archived: bool = False) -> list[OrgUnit]:
    """The direct children of a unit the user can see, territories first, then by name."""
    qs = scope.units(user).filter(path__startswith=unit.path, depth=unit.depth + 1).only(*TREE_FIELDS)
    return sorted(
        _visible(qs, archived=archived), key=lambda u: (u.kind not in _TERRITORY_ORDER, u.name.lower())
    )


_TERRITORY_ORDER = (UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY, UnitKind.SETTLEMENT)


def ancestors_map(units: list[OrgUnit]) -> dict[str, OrgUnit]:
    """All ancestors of the given units in one query, by path (for breadcrumbs without N+1)."""
    paths = {p for unit in units for p in unit.ancestor_paths()}
    if not paths:
        return {}
    return {u.path: u for u in OrgUnit.objects.filter(path__in=paths).only(*TREE_FIELDS)}


def unit_search(
    user,
    *,
    text: str = "",
    kind: str = "",
    district: OrgUnit | None = None,
    archived: bool = False,
    limit: int = 100,
) -> tuple[list[OrgUnit], int]:
    """Units matching name or code, filtered by kind and district: a page of results and the total."""
    qs = _visible(scope.units(user), archived=archived).search(text)
    if kind:
        qs = qs.filter(kind=kind)
    if district is not None:
        qs = qs.under(district)
    results = list(qs.order_by("path").only(*TREE_FIELDS)[: limit + 1])
    # Count the whole match only when there is more than a page of it: the regex search scans the table.
    total = len(results) if len(results) <= limit else qs.count()
    results = results[:limit]
    crumbs = ancestors_map(results)
    for unit in results:
        unit.breadcrumbs = [crumbs[p] for p in unit.ancestor_paths() if p in crumbs]
    return results, total


def districts(user) -> QuerySet:
    """Districts and cities the user can see, for the filter."""
    return (
        scope.units(user)
        .filter(kind__in=[UnitKind.DISTRICT, UnitKind.CITY], archived_at__isnull=True)
        .only(*TREE_FIELDS)
        .order_by("name_ru")
    )


def unit_breadcrumbs(user, unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors of a unit the user may open (those above their scope are shown but not linked)."""
    crumbs = ancestors_map([unit])
    result = [crumbs[p] for p in unit.ancestor_paths() if p in crumbs]
    for crumb in result:
        crumb.in_scope = scope.covers(user, crumb)
    return result


def unit_staff(unit: OrgUnit, *, former: bool = False) -> QuerySet:
    qs = StaffMember.objects.filter(unit=unit).prefetch_related("qualifications")
    return qs if former else qs.filter(left_on__isnull=True)


def unit_history(unit: OrgUnit, *, limit: int = 50) -> list[dict]:
    """Changes of the unit's card, newest first, with the fields that changed between versions."""
    records = list(
        unit.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    changes = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == limit:
            break
        diff = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = OrgUnit._meta.get_field(change.field)
                diff.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        changes.append({"record": newer, "diff": diff})
    return changes


def subtree_counts(unit: OrgUnit) -> dict[str, int]:
    """How many units of each kind lie under the unit (one grouped query)."""
    from django.db.models import Count

    rows = (
        OrgUnit.objects.under(unit, include_self=False)
        .filter(archived_at__isnull=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}
