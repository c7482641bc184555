"""Reads of outreach projects and Knigonosha, always through the user's scope.

Who sees what:

- a project: whoever sees its organising library or one of its participating libraries;
- a home reader: whoever sees the reader's library (`view`), and the volunteer assigned to the reader;
- the personal data of a reader (name, address, phone, reason, interests, notes): only the library's own
  staff (a role other than volunteer on the library or on a unit under it: the library, its departments,
  its online centre), administrators whose role covers the library, and the reader's volunteer. Anybody
  else who sees the reader (a district methodologist, the region's marketer) gets initials and figures:
  `conceal()` blanks the personal fields of the loaded rows, so no template can show them by mistake;
- a delivery: whoever sees the reader's library, and the volunteer of the delivery.
"""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from metodist.accounts.models import RoleKind
from metodist.core import scope
from metodist.network.models import LIBRARY_KINDS, OrgUnit
from metodist.outreach.models import (
    Delivery,
    DeliveryItem,
    DeliverySchedule,
    DeliveryStatus,
    HomeReader,
    IndicatorSource,
    Project,
    ProjectIndicator,
    ReaderViewLog,
    Volunteer,
)

MANAGE = "manage_outreach"
NEVER = Q(pk__in=[])
# Everything, as a condition that survives `|` (an empty Q() would vanish from `Q() | other`).
ALWAYS = Q(pk__isnull=False)
_STAFF_CACHE = "_metodist_outreach_staff"
# The fields of a reader that only the library's staff and the reader's volunteer read.
PERSONAL_FIELDS = ("address", "phone", "reason_note", "interests", "genres", "consent_note", "note")


# --- who is the staff of a library ----------------------------------------------------------------------


def _staff(user) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """(paths of the libraries whose own staff the user is, paths under which they administer); None: all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset(), ()
    if user.is_superuser:
        return None
    cached = getattr(user, _STAFF_CACHE, None)
    if cached is None:
        own: set[str] = set()
        administered: list[str] = []
        for kind, path in user.roles.values_list("kind", "unit__path"):
            if kind == RoleKind.VOLUNTEER:
                continue
            if kind == RoleKind.ADMINISTRATOR:
                administered.append(path)
            # A role on the library itself or on a unit under it (a department, the online centre).
            own.update(path[:i] for i in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen))
        cached = (frozenset(own), tuple(administered))
        setattr(user, _STAFF_CACHE, cached)
    return cached


def staff_q(user, *, path_field: str = "library__path") -> Q:
    """Rows whose library (its tree path in `path_field`) the user is the staff of, own or administrator."""
    staff = _staff(user)
    if staff is None:
        return ALWAYS
    own, administered = staff
    condition = NEVER
    if own:
        condition |= Q(**{f"{path_field}__in": sorted(own)})
    for prefix in administered:
        condition |= Q(**{f"{path_field}__startswith": prefix})
    return condition


def _scope_q(user, path_field: str, capability: str = scope.VIEW) -> Q:
    """`scope.filter_by_path` as a condition, to combine with the volunteer's own rows."""
    allowed = scope.prefixes(user, capability)
    if allowed is None:
        return ALWAYS
    condition = NEVER
    for prefix in allowed:
        condition |= Q(**{f"{path_field}__startswith": prefix})
    return condition


def is_library_staff(user, library: OrgUnit) -> bool:
    staff = _staff(user)
    if staff is None:
        return True
    own, administered = staff
    return library.path in own or any(library.path.startswith(p) for p in administered)


def is_staff_anywhere(user) -> bool:
    """Whether the user is the staff of a library that serves home readers (for the home page)."""
    return HomeReader.objects.filter(staff_q(user)).exists()


def personal_q(user, *, reader: str = "") -> Q:
    """Readers (or rows with a `reader`, `reader="reader__"`) whose personal data the user may read."""
    if not user.is_authenticated:
        return NEVER
    return staff_q(user, path_field=f"{reader}library__path") | Q(**{f"{reader}volunteer__user": user})


def may_see_personal(user, reader: HomeReader) -> bool:
    if is_library_staff(user, reader.library):
        return True
    return reader.volunteer_id is not None and reader.volunteer.user_id == user.pk


def may_manage_library(user, library: OrgUnit) -> bool:
    """Keep the readers, volunteers, rounds and deliveries of a library: its staff with `manage_outreach`."""
    return scope.covers(user, library, MANAGE) and is_library_staff(user, library)


def managed_libraries(user) -> QuerySet:
    """Libraries whose Knigonosha the user may keep."""
    return (
        scope.units(user, MANAGE)
        .filter(staff_q(user, path_field="path"), kind__in=LIBRARY_KINDS, archived_at__isnull=True)
        .order_by("path")
    )


def conceal(reader: HomeReader) -> HomeReader:
    """Blank the personal data of a loaded reader for a viewer who may not read it (never saved)."""
    reader.full_name = reader.initials
    for name in PERSONAL_FIELDS:
        setattr(reader, name, "")
    reader.reason = ""
    reader.concealed = True
    return reader


def shown(user, readers) -> list[HomeReader]:
    """The readers with `concealed` set and their personal data blanked where the user may not read it."""
    result = []
    for reader in readers:
        personal = getattr(reader, "personal", None)
        if personal is None:
            personal = may_see_personal(user, reader)
        if personal:
            reader.concealed = False
        else:
            conceal(reader)
        result.append(reader)
    return result


# --- readers --------------------------------------------------------------------------------------------


def _with_personal(user, queryset: QuerySet, *, reader: str = "") -> QuerySet:
    return queryset.annotate(
        personal=Case(When(personal_q(user, reader=reader), then=Value(True)), default=Value(False)),
    )


def readers_visible(user) -> QuerySet:
    """Readers the user may list (personal data or initials); each annotated with `personal`."""
    if not user.is_authenticated:
        return HomeReader.objects.none()
    condition = _scope_q(user, "library__path") | Q(volunteer__user=user)
    return _with_personal(user, HomeReader.objects.select_related("library", "volunteer").filter(condition))


def schedules_with_readers(user, queryset: QuerySet) -> QuerySet:
    """Rounds with their readers prefetched, each annotated with `personal` for `shown()`."""
    readers = _with_personal(
        user, HomeReader.objects.select_related("library", "volunteer").order_by("full_name")
    )
    return queryset.prefetch_related(Prefetch("readers", queryset=readers))


def readers_personal(user) -> QuerySet:
    """Readers whose card the user may open."""
    return HomeReader.objects.select_related("library", "volunteer").filter(personal_q(user))


def get_reader_or_404(user, pk) -> HomeReader:
    """A reader's card: 404 to whoever may not read the reader's personal data."""
    try:
        return readers_personal(user).get(pk=pk)
    except (HomeReader.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_managed_reader_or_404(user, pk) -> HomeReader:
    reader = get_reader_or_404(user, pk)
    if not may_manage_library(user, reader.library):
        raise Http404
    return reader


def filter_readers(
    queryset: QuerySet,
    *,
    library: OrgUnit | None = None,
    under: OrgUnit | None = None,
    volunteer: Volunteer | None = None,
    served: bool | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    if library is not None:
        queryset = queryset.filter(library=library)
    if under is not None:
        queryset = queryset.filter(library__path__startswith=under.path)
    if volunteer is not None:
        queryset = queryset.filter(volunteer=volunteer)
    if served is not None:
        today = today or datetime.date.today()
        current = Q(stopped_on__isnull=True) | Q(stopped_on__gt=today)
        queryset = queryset.filter(current) if served else queryset.exclude(current)
    return queryset


def with_delivery_counts(queryset: QuerySet) -> QuerySet:
    """Readers annotated with `deliveries_done`, `at_home` (items at home now) and `last_delivery`."""
    done = Delivery.objects.filter(reader=OuterRef("pk"), status=DeliveryStatus.DONE)
    at_home = at_home_items().filter(brought_in__reader=OuterRef("pk"))
    return queryset.annotate(
        deliveries_done=_count(done),
        at_home=_count(at_home),
        last_delivery=Subquery(done.order_by("-date").values("date")[:1]),
    )


class _CountDistinct(Func):
    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(queryset: QuerySet, field: str = "pk") -> Coalesce:
    """The number of distinct `field` values of a correlated queryset, as one SQL expression."""
    counted = queryset.order_by().annotate(n=_CountDistinct(F(field))).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def reader_views(reader: HomeReader, *, limit: int = 20) -> QuerySet:
    return ReaderViewLog.objects.filter(reader=reader).select_related("user")[:limit]


# --- what a reader has at home --------------------------------------------------------------------------


def at_home_items() -> QuerySet:
    """Items brought in a delivery that took place and not taken back in one that took place."""
    returned = Q(returned_in__isnull=False, returned_in__status=DeliveryStatus.DONE)
    return DeliveryItem.objects.filter(brought_in__status=DeliveryStatus.DONE).exclude(returned)


def at_home(reader: HomeReader) -> QuerySet:
    """What the reader has at home now, oldest first."""
    items = at_home_items().filter(brought_in__reader=reader)
    return items.select_related("brought_in").order_by("brought_in__date", "id")


def return_candidates(delivery: Delivery) -> QuerySet:
    """What a delivery may take back: what the reader had at home before it, and what it already took."""
    before = at_home_items().filter(brought_in__reader=delivery.reader_id).exclude(brought_in=delivery)
    return (
        DeliveryItem.objects.filter(Q(pk__in=before.values("pk")) | Q(returned_in=delivery))
        .select_related("brought_in")
        .order_by("brought_in__date", "id")
    )


# --- volunteers -----------------------------------------------------------------------------------------


def volunteers_visible(user) -> QuerySet:
    return scope.records(user, Volunteer.objects.select_related("library", "user"), unit_field="library")


def volunteer_of(user) -> QuerySet:
    """The volunteer records of a user (one per library they carry books for)."""
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(user=user, is_active=True).select_related("library")


def is_volunteer(user) -> bool:
    return volunteer_of(user).exists()


def with_volunteer_counts(queryset: QuerySet) -> QuerySet:
    """Volunteers with `readers_count` (readers assigned and served) and `deliveries_done`."""
    return queryset.annotate(
        readers_count=_count(HomeReader.objects.filter(volunteer=OuterRef("pk"), stopped_on__isnull=True)),
        deliveries_done=_count(Delivery.objects.filter(volunteer=OuterRef("pk"), status=DeliveryStatus.DONE)),
    )


def get_managed_volunteer_or_404(user, pk) -> Volunteer:
    try:
        volunteer = volunteers_visible(user).get(pk=pk)
    except (Volunteer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not may_manage_library(user, volunteer.library):
        raise Http404
    return volunteer


# --- schedules ------------------------------------------------------------------------------------------


def schedules_visible(user) -> QuerySet:
    qs = DeliverySchedule.objects.select_related("library", "volunteer")
    return scope.records(user, qs, unit_field="library")


def get_managed_schedule_or_404(user, pk) -> DeliverySchedule:
    try:
        schedule = schedules_visible(user).get(pk=pk)
    except (DeliverySchedule.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not may_manage_library(user, schedule.library):
        raise Http404
    return schedule


# --- deliveries -----------------------------------------------------------------------------------------


def deliveries_visible(user) -> QuerySet:
    """Deliveries of the libraries the user sees and those the user carries as a volunteer.

    Annotated with `personal` (may the user read the reader's personal data), `brought` and `returned`.
    """
    if not user.is_authenticated:
        return Delivery.objects.none()
    qs = Delivery.objects.select_related("reader", "reader__library", "reader__volunteer", "volunteer")
    visible = qs.filter(_scope_q(user, "reader__library__path") | Q(volunteer__user=user))
    return _with_personal(user, visible, reader="reader__").annotate(
        brought=_count(DeliveryItem.objects.filter(brought_in=OuterRef("pk"))),
        returned=_count(DeliveryItem.objects.filter(returned_in=OuterRef("pk"))),
    )


def get_delivery_or_404(user, pk) -> Delivery:
    try:
        return deliveries_visible(user).get(pk=pk)
    except (Delivery.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_record_delivery(user, delivery: Delivery) -> bool:
    """The volunteer of the delivery or the staff of the reader's library may record how it went."""
    if delivery.volunteer_id is not None and delivery.volunteer.user_id == user.pk:
        return True
    return may_manage_library(user, delivery.reader.library)


def filter_deliveries(
    queryset: QuerySet,
    *,
    under: OrgUnit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
    volunteer: Volunteer | None = None,
    reader: HomeReader | None = None,
) -> QuerySet:
    if under is not None:
        queryset = queryset.filter(reader__library__path__startswith=under.path)
    if date_from is not None:
        queryset = queryset.filter(date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(date__lte=date_to)
    if status:
        queryset = queryset.filter(status=status)
    if volunteer is not None:
        queryset = queryset.filter(volunteer=volunteer)
    if reader is not None:
        queryset = queryset.filter(reader=reader)
    return queryset


def shown_deliveries(user, deliveries) -> list[Delivery]:
    """Deliveries with their readers concealed (and the notes blanked) where the user may not read them."""
    rows = list(deliveries)
    for delivery in rows:
        if delivery.personal:
            delivery.reader.concealed = False
        else:
            conceal(delivery.reader)
            delivery.notes = ""
    return rows


def my_deliveries(user, *, today: datetime.date, past_days: int = 14) -> QuerySet:
    """The volunteer's own deliveries: those still planned, and those of the last `past_days` days."""
    since = today - datetime.timedelta(days=past_days)
    return (
        deliveries_visible(user)
        .filter(volunteer__user=user)
        .filter(Q(status=DeliveryStatus.PLANNED) | Q(date__gte=since))
        .order_by("date", "id")
    )


def upcoming_for_staff(user, *, today: datetime.date, days: int = 14) -> QuerySet:
    """Planned deliveries of the next `days` days in the libraries the user is the own staff of."""
    return (
        deliveries_visible(user)
        .filter(staff_q(user, path_field="reader__library__path"), status=DeliveryStatus.PLANNED)
        .filter(date__gte=today, date__lte=today + datetime.timedelta(days=days))
        .order_by("date", "id")
    )


# --- figures --------------------------------------------------------------------------------------------


def _paths_q(paths, field: str) -> Q:
    condition = NEVER
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def figures_for_paths(paths, first: datetime.date, last: datetime.date) -> dict[str, int]:
    """Home delivery in the subtrees of `paths` between `first` and `last` (inclusive), in two queries:
    `readers` served (at least one delivery made), `deliveries` made, `items` brought, `returned` items,
    `volunteers` who made them, and `registered`: readers on the list at some time in the period."""
    made = Delivery.objects.filter(
        _paths_q(paths, "reader__library__path"), status=DeliveryStatus.DONE, date__gte=first, date__lte=last
    )
    figures = made.aggregate(
        readers=Count("reader", distinct=True),
        deliveries=Count("pk", distinct=True),
        items=Count("items_brought", distinct=True),
        returned=Count("items_returned", distinct=True),
        volunteers=Count("volunteer", distinct=True),
    )
    figures["registered"] = registered_readers(
        HomeReader.objects.filter(_paths_q(paths, "library__path")), first, last
    ).count()
    return {name: value or 0 for name, value in figures.items()}


def registered_readers(queryset: QuerySet, first: datetime.date, last: datetime.date) -> QuerySet:
    """Readers on the list of home service at some time between `first` and `last`."""
    return queryset.filter(served_since__lte=last).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=first)
    )


def scope_figures(user, first: datetime.date, last: datetime.date, *, under: OrgUnit | None = None) -> dict:
    """The figures of the whole scope of the user (or of `under`, a unit the caller checked is in it)."""
    if under is not None:
        paths = [under.path]
    else:
        allowed = scope.prefixes(user)
        paths = list(allowed) if allowed is not None else [u.path for u in OrgUnit.get_root_nodes()]
    return figures_for_paths(paths, first, last)


def knigonosha_figures(unit: OrgUnit, first: datetime.date, last: datetime.date) -> dict[str, int]:
    """Figures of home delivery under `unit` for reporting: readers, deliveries, items (and returned,
    volunteers). Counts only: the caller decides who may read them."""
    return figures_for_paths([unit.path], first, last)


def figures_by_library(user, first: datetime.date, last: datetime.date, *, under: OrgUnit | None = None):
    """The libraries in the user's scope that serve home readers, each with the period's figures (SQL)."""
    libraries = scope.units(user).filter(
        Exists(HomeReader.objects.filter(library=OuterRef("pk")))
        | Exists(Volunteer.objects.filter(library=OuterRef("pk")))
    )
    if under is not None:
        libraries = libraries.filter(path__startswith=under.path)
    here = OuterRef("pk")
    made = Delivery.objects.filter(
        reader__library=here, status=DeliveryStatus.DONE, date__gte=first, date__lte=last
    )
    registered = registered_readers(HomeReader.objects.filter(library=here), first, last)
    in_made = {
        "reader__library": here,
        "status": DeliveryStatus.DONE,
        "date__gte": first,
        "date__lte": last,
    }
    items = DeliveryItem.objects.filter(**{f"brought_in__{k}": v for k, v in in_made.items()})
    returned = DeliveryItem.objects.filter(**{f"returned_in__{k}": v for k, v in in_made.items()})
    return libraries.annotate(
        registered=_count(registered),
        readers=_count(made, "reader"),
        deliveries=_count(made),
        items=_count(items),
        returned=_count(returned),
        volunteers=_count(made, "volunteer"),
    ).order_by("path")


# --- projects -------------------------------------------------------------------------------------------


def projects_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Projects of a library the user sees, or in which such a library takes part; to change: `MANAGE`."""
    qs = Project.objects.select_related("unit")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability)
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    joined = Project.participants.through.objects.filter(_paths_q(allowed, "orgunit__path"))
    return qs.filter(_paths_q(allowed, "unit__path") | Q(pk__in=joined.values("project")))


def get_project_or_404(user, pk, capability: str = scope.VIEW) -> Project:
    try:
        return projects_visible(user, capability).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_manage_project(user, project: Project) -> bool:
    return scope.covers(user, project.unit, MANAGE)


def project_paths(project: Project) -> list[str]:
    return [project.unit.path, *(u.path for u in project.participants.all())]


def indicators_with_actuals(project: Project, *, today: datetime.date) -> list[ProjectIndicator]:
    """The project's indicators; a counted one gets its actual from the deliveries of the project's
    libraries during the project (up to today), and each gets `percent` of its target."""
    indicators = list(project.indicators.all())
    counted = {i.source for i in indicators if i.is_counted}
    figures = {}
    if counted:
        last = min(project.ends_on, today) if project.ends_on else today
        figures = figures_for_paths(project_paths(project), project.starts_on, last)
    for indicator in indicators:
        if indicator.source == IndicatorSource.READERS:
            indicator.actual = figures["readers"]
        elif indicator.source == IndicatorSource.DELIVERIES:
            indicator.actual = figures["deliveries"]
        elif indicator.source == IndicatorSource.ITEMS:
            indicator.actual = figures["items"]
        indicator.percent = (
            round(float(indicator.actual) * 100 / float(indicator.target))
            if indicator.actual is not None and indicator.target
            else None
        )
    return indicators


def filter_projects(queryset: QuerySet, *, kind: str = "", status: str = "", year: int | None = None):
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(starts_on__year__lte=year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
    return queryset
