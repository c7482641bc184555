"""The library of methodological materials: reads through the user's scope, and writes.

A material belongs to the unit that published it. It is read by whoever sees that unit, by everyone with a
unit under it, and — when a methodological centre published it — by the whole territory the centre serves:
materials flow down the network, so the Mukur librarian reads what the regional library published. It is
changed by whoever has `manage_assistance` on its unit.

Every write goes through the services below: they check the file by its content (`materials_text`),
take its text out, store its type and size, and write the words into the full-text index
(`materials_search`), all in one transaction.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from metodist.assistance import materials_search, materials_text
from metodist.assistance.models import Direction, FieldVisit, Material, MaterialType
from metodist.assistance.services import default_unit
from metodist.core import scope
from metodist.events.models import Event, FormOfWork
from metodist.events.services import check_upload
from metodist.network.models import LibraryType, OrgUnit, UnitKind

MANAGE = "manage_assistance"
FIELDS = ("unit", "type", "title", "authors", "year", "language", "audience", "description")
NEW_LIMIT = 5


# --- reads ----------------------------------------------------------------------------------------------


# The methodological centres and the territory each serves: what they publish is meant for all of it.
CENTRE_OF = {
    UnitKind.REGION: LibraryType.REGIONAL,
    UnitKind.DISTRICT: LibraryType.CENTRAL_DISTRICT,
    UnitKind.CITY: LibraryType.CENTRAL_CITY,
}


def _paths_above(prefixes: Iterable[str]) -> set[str]:
    step = OrgUnit.steplen
    return {p[:i] for p in prefixes for i in range(step, len(p), step)}


def _centres_over(prefixes: Iterable[str]) -> list[str]:
    """Paths of the methodological centres serving a territory that holds (or is) one of the prefixes.

    A centre sits anywhere in its territory (the regional library in the region's main city, a central
    district library in the district's centre), so it is found by its type under the territory.
    """
    territories = OrgUnit.objects.filter(
        path__in=_paths_above(prefixes) | set(prefixes), kind__in=CENTRE_OF
    ).values_list("path", "kind")
    condition = Q()
    for path, kind in territories:
        condition |= Q(path__startswith=path, library_type=CENTRE_OF[kind])
    if not condition:
        return []
    return list(OrgUnit.objects.filter(condition, kind=UnitKind.LIBRARY).values_list("path", flat=True))


def materials_visible(user, capability: str = scope.VIEW) -> QuerySet:
    """Materials the user may read (`view`) or change (`manage_assistance`).

    Read: published in the user's part of the network; or above it (by a unit whose subtree holds it);
    or by a methodological centre (the regional library, a central district or city library, or one of
    their departments) of a territory the user's part lies in — the regional library publishes for the
    whole region, a district's central library for the district.
    """
    qs = Material.objects.select_related("unit")
    if capability != scope.VIEW:
        return scope.records(user, qs, capability)
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q(unit__path__in=_paths_above(allowed))
    for prefix in (*allowed, *_centres_over(allowed)):
        condition |= Q(unit__path__startswith=prefix)
    return qs.filter(condition)


def get_material_or_404(user, pk, capability: str = scope.VIEW) -> Material:
    try:
        return materials_visible(user, capability).get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage_material(user, material: Material) -> bool:
    return scope.covers(user, material.unit, MANAGE)


def may_publish(user) -> bool:
    return scope.prefixes(user, MANAGE) != ()


def filter_materials(
    materials: QuerySet,
    *,
    type: str = "",
    direction: Direction | None = None,
    form_of_work: FormOfWork | None = None,
    language: str = "",
    year: int | None = None,
    unit: OrgUnit | None = None,
) -> QuerySet:
    """Narrow materials already limited to the user's scope; `unit`: published by it or a unit below it."""
    if type:
        materials = materials.filter(type=type)
    if direction is not None:
        materials = materials.filter(directions=direction)
    if form_of_work is not None:
        materials = materials.filter(forms_of_work=form_of_work)
    if language:
        materials = materials.filter(language=language)
    if year:
        materials = materials.filter(year=year)
    if unit is not None:
        materials = materials.filter(unit__path__startswith=unit.path)
    return materials


def publishers(materials: QuerySet) -> QuerySet:
    """The units that published any of the materials, for the filter."""
    return OrgUnit.objects.filter(pk__in=materials.order_by().values("unit")).order_by("path")


def type_counts(materials: QuerySet) -> list[dict]:
    """How many of the materials are of each type (only the types present), in the order of the types."""
    rows = dict(materials.order_by().values_list("type").annotate(n=Count("id")))
    return [
        {"key": value, "label": label, "count": rows[value]}
        for value, label in MaterialType.choices
        if rows.get(value)
    ]


def new_materials(user, limit: int = NEW_LIMIT) -> list[Material]:
    return list(materials_visible(user).defer("text", "search_text").order_by("-created_at", "-id")[:limit])


def materials_linked(user, *, event: Event | None = None, visit: FieldVisit | None = None) -> QuerySet:
    """The materials used at an event or on a visit that the user may read."""
    materials = materials_visible(user).defer("text", "search_text")
    if event is not None:
        materials = materials.filter(events=event)
    if visit is not None:
        materials = materials.filter(visits=visit)
    return materials.order_by("title", "id")


# --- writes ---------------------------------------------------------------------------------------------


def _require_manage(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE):
        raise PermissionDenied(
            _("You have no right to publish materials of “%(unit)s”.") % {"unit": unit.name}
        )


def _read_file(file) -> tuple[str, str]:
    """The real type and the text of an uploaded file; ValidationError on `file` when it is refused."""
    try:
        check_upload(file)
        file_type = materials_text.detect_type(file)
        text = materials_text.extract_text(file, file_type)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return file_type, text


def _store_file(material: Material, file, file_type: str) -> None:
    old_name = material.file.name if material.file else ""
    # Stored under a name made from the title and the real type: the browser's name is not trusted.
    stem = slugify(material.title, allow_unicode=True)[:50].strip("-_") or "material"
    file.seek(0)
    material.file.save(f"{stem}.{file_type}", file, save=False)
    material.file_type = file_type
    material.file_size = material.file.size
    if old_name and old_name != material.file.name:
        storage = material.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def _require_visible_links(user, events: Iterable[Event], visits: Iterable[FieldVisit]) -> None:
    from metodist.assistance.visits import visits_visible
    from metodist.events.selectors import events_visible

    event_ids = {e.pk for e in events}
    if event_ids and events_visible(user).filter(pk__in=event_ids).count() != len(event_ids):
        raise ValidationError({"events": _("Choose events of your part of the network.")})
    visit_ids = {v.pk for v in visits}
    if visit_ids and visits_visible(user).filter(pk__in=visit_ids).count() != len(visit_ids):
        raise ValidationError({"visits": _("Choose visits of your part of the network.")})


def _set_search_text(material: Material) -> None:
    material.search_text = materials_search.search_text_for(
        title=material.title,
        description=material.description,
        audience=material.audience,
        authors=material.authors,
        text=material.text,
    )


def _clean(material: Material) -> None:
    try:
        material.full_clean(exclude=["created_by", "file"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def material_create(
    *,
    user,
    data: dict,
    file,
    directions: Iterable[Direction] = (),
    forms_of_work: Iterable[FormOfWork] = (),
    events: Iterable[Event] = (),
    visits: Iterable[FieldVisit] = (),
) -> Material:
    """Publish a material of `data["unit"]` (default: the user's unit) with its file."""
    fields = {name: value for name, value in data.items() if name in FIELDS}
    unit = fields.get("unit") or default_unit(user)
    if unit is None:
        raise PermissionDenied(_("You have no right to publish materials."))
    fields["unit"] = unit
    _require_manage(user, unit)
    if file is None:
        raise ValidationError({"file": _("Attach the file of the material.")})
    events, visits = list(events), list(visits)
    _require_visible_links(user, events, visits)
    file_type, text = _read_file(file)
    material = Material(**fields, text=text, created_by=user)
    _clean(material)
    _store_file(material, file, file_type)
    _set_search_text(material)
    material.save()
    material.directions.set(directions)
    material.forms_of_work.set(forms_of_work)
    material.events.set(events)
    material.visits.set(visits)
    materials_search.index_material(material)
    return material


@transaction.atomic
def material_update(
    *,
    user,
    material: Material,
    data: dict,
    file=None,
    directions: Iterable[Direction] | None = None,
    forms_of_work: Iterable[FormOfWork] | None = None,
    events: Iterable[Event] | None = None,
    visits: Iterable[FieldVisit] | None = None,
) -> Material:
    """Change the fields in `data`; a new `file` replaces the old one; lists, when given, replace theirs."""
    stored = Material.objects.select_related("unit").get(pk=material.pk)
    _require_manage(user, stored.unit)
    fields = {name: value for name, value in data.items() if name in FIELDS}
    if fields.get("unit") is not None:
        _require_manage(user, fields["unit"])
    # Links kept from before stay even if the editor does not see them; new ones must be visible.
    new_events = [e for e in events or () if not stored.events.filter(pk=e.pk).exists()]
    new_visits = [v for v in visits or () if not stored.visits.filter(pk=v.pk).exists()]
    _require_visible_links(user, new_events, new_visits)
    for name, value in fields.items():
        setattr(material, name, value)
    file_type = None
    if file is not None:
        file_type, material.text = _read_file(file)
    _clean(material)
    if file is not None:
        _store_file(material, file, file_type)
    _set_search_text(material)
    material.save()
    for relation, values in (
        (material.directions, directions),
        (material.forms_of_work, forms_of_work),
        (material.events, events),
        (material.visits, visits),
    ):
        if values is not None:
            relation.set(values)
    materials_search.index_material(material)
    return material


@transaction.atomic
def material_delete(*, user, material: Material) -> None:
    stored = Material.objects.select_related("unit").get(pk=material.pk)
    _require_manage(user, stored.unit)
    name, storage, pk = stored.file.name, stored.file.storage, stored.pk
    stored.delete()
    materials_search.unindex_material(pk)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def material_count_download(material: Material) -> None:
    """One more download, counted in SQL so that two at once are both counted."""
    Material.objects.filter(pk=material.pk).update(downloads=F("downloads") + 1)
