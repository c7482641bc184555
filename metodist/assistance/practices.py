"""The bank of best practices: reads through the user's scope, "what others do well" by direction of work,
what a library could adopt next, and the writes (the card with its figures and evidence files, the review
status, the adoptions by other libraries).

Who reads: a practice recommended for the network is read by every user who has some part of the network;
the others by whoever sees the library (`scope.records` on `unit`).

Who writes:
- proposes a practice of a library, and edits it while it is only proposed: `manage_assistance` or
  `edit_card` on the library. A librarian keeps her own library's card (`edit_card`), so she proposes its
  practices; she does not record assistance, so `manage_assistance` alone would shut her out.
- edits a practice under review: `manage_assistance` on the library (what the methodologists studied
  does not change behind their back).
- moves the review status (proposed → studied → generalised → recommended for the network):
  `manage_assistance` on an ancestor of the library, one step forward at a time, or back to any earlier
  status with a reason. Who and when are kept on the practice and, with the reason, in its history.
- records that a library adopted a practice (once per library), changes or removes that record:
  `edit_card` or `manage_assistance` on the adopting library.

The libraries that adopted a practice are named, with their results, to whoever sees the adopting library
or the practice's own library; everyone else reads only how many adopted it.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.assistance.models import (
    Direction,
    Practice,
    PracticeAdoption,
    PracticeFigure,
    PracticeFile,
    PracticeStatus,
    Recommendation,
)
from metodist.core import scope
from metodist.events.models import FormOfWork
from metodist.events.services import check_upload
from metodist.network.models import LIBRARY_KINDS, OrgUnit, UnitKind

MANAGE = "manage_assistance"
PROPOSE = "edit_card"  # the library's own people keep its card: they propose its practices
PRACTICE_FIELDS = (
    "unit",
    "title",
    "problem",
    "actions",
    "results",
    "period_start",
    "period_end",
    "evidence",
)
FIGURE_FIELDS = ("label", "before", "after", "measure")
STATUS_ORDER = (
    PracticeStatus.PROPOSED,
    PracticeStatus.STUDIED,
    PracticeStatus.GENERALISED,
    PracticeStatus.RECOMMENDED,
)
SHOWCASE_STATUSES = (PracticeStatus.RECOMMENDED, PracticeStatus.GENERALISED)
SHOWCASE_LIMIT = 2000
HISTORY_LIMIT = 200
PRACTICE_KINDS = (*LIBRARY_KINDS, UnitKind.DEPARTMENT)


# --- reads ----------------------------------------------------------------------------------------------


def practices_visible(user) -> QuerySet:
    """Practices the user may read: those of the libraries they see, and all recommended for the network."""
    qs = Practice.objects.select_related("unit")
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed is None:
        return qs
    if not allowed:
        return qs.none()
    condition = Q(status=PracticeStatus.RECOMMENDED)
    for prefix in allowed:
        condition |= Q(unit__path__startswith=prefix)
    return qs.filter(condition)


def get_practice_or_404(user, pk) -> Practice:
    try:
        return practices_visible(user).get(pk=pk)
    except (Practice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def with_adoption_counts(practices: QuerySet) -> QuerySet:
    return practices.annotate(adoption_count=Count("adoptions", distinct=True))


def filter_practices(
    practices: QuerySet,
    *,
    status: str = "",
    direction: Direction | None = None,
    form_of_work: FormOfWork | None = None,
    unit: OrgUnit | None = None,
    under: OrgUnit | None = None,
    text: str = "",
) -> QuerySet:
    """Narrow practices already limited to the user's scope: of one library, or of a unit's subtree."""
    if status:
        practices = practices.filter(status=status)
    if direction is not None:
        practices = practices.filter(pk__in=Practice.objects.filter(directions=direction).values("pk"))
    if form_of_work is not None:
        practices = practices.filter(pk__in=Practice.objects.filter(forms_of_work=form_of_work).values("pk"))
    if unit is not None:
        practices = practices.filter(unit=unit)
    if under is not None:
        practices = practices.filter(unit__path__startswith=under.path)
    text = text.strip()
    if text:
        # A regex, not icontains: SQLite's LIKE folds only ASCII case, and the texts are Cyrillic.
        pattern = re.escape(text)
        practices = practices.filter(
            Q(title__iregex=pattern)
            | Q(problem__iregex=pattern)
            | Q(actions__iregex=pattern)
            | Q(results__iregex=pattern)
        )
    return practices


def _status_rank() -> Case:
    whens = [When(status=status, then=Value(rank)) for rank, status in enumerate(reversed(STATUS_ORDER))]
    return Case(*whens, default=Value(len(STATUS_ORDER)), output_field=IntegerField())


def ordered_by_status(practices: QuerySet) -> QuerySet:
    """The furthest reviewed first, then the most adopted, then the newest."""
    return (
        with_adoption_counts(practices)
        .annotate(status_rank=_status_rank())
        .order_by("status_rank", "-adoption_count", "-created_at", "-id")
    )


@dataclass
class DirectionGroup:
    direction: Direction | None  # None: practices without a direction of work
    practices: list = field(default_factory=list)

    @property
    def adoptions(self) -> int:
        return sum(p.adoption_count for p in self.practices)

    @property
    def recommended(self) -> int:
        return sum(1 for p in self.practices if p.status == PracticeStatus.RECOMMENDED)


def showcase(user, *, direction: Direction | None = None) -> list[DirectionGroup]:
    """ "What others do well": generalised and recommended practices grouped by direction of work, each with
    the number of libraries that adopted it (counted in SQL). A practice of several directions is in each."""
    practices = practices_visible(user).filter(status__in=SHOWCASE_STATUSES)
    if direction is not None:
        practices = filter_practices(practices, direction=direction)
    rows = list(ordered_by_status(practices).prefetch_related("directions")[:SHOWCASE_LIMIT])
    groups: dict[int | None, DirectionGroup] = {}
    for practice in rows:
        directions = [d for d in practice.directions.all() if direction is None or d == direction]
        for item in directions or [None]:
            key = item.pk if item is not None else None
            groups.setdefault(key, DirectionGroup(item)).practices.append(practice)
    return sorted(
        groups.values(),
        key=lambda g: (g.direction is None, g.direction.order if g.direction else 0, str(g.direction or "")),
    )


def library_directions(unit: OrgUnit) -> QuerySet:
    """The directions of work a library is known to work in: those of its own practices, of the practices it
    adopted and of the recommendations it was given (where the methodologists want it to grow)."""
    through = Practice.directions.through
    own = through.objects.filter(practice__unit=unit).values("direction_id")
    adopted = through.objects.filter(practice__adoptions__unit=unit).values("direction_id")
    advised = Recommendation.objects.filter(unit=unit, direction__isnull=False).values("direction_id")
    return Direction.objects.filter(Q(pk__in=own) | Q(pk__in=adopted) | Q(pk__in=advised)).order_by(
        "order", "name_ru"
    )


def could_adopt_next(user, unit: OrgUnit, *, directions: Iterable[Direction] | None = None) -> QuerySet:
    """Practices recommended for the network that `unit` has not adopted, in its directions of work (all of
    them when none is known), most adopted first; the library's own practices (and those of the units
    below it) are left out."""
    practices = (
        practices_visible(user)
        .filter(status=PracticeStatus.RECOMMENDED)
        .exclude(unit__path__startswith=unit.path)
        .exclude(pk__in=PracticeAdoption.objects.filter(unit=unit).values("practice_id"))
    )
    directions = list(directions if directions is not None else library_directions(unit))
    if directions:
        practices = practices.filter(pk__in=Practice.objects.filter(directions__in=directions).values("pk"))
    return with_adoption_counts(practices).order_by("-adoption_count", "title", "id")


def own_library(user) -> OrgUnit | None:
    """The library of the user's own role (the deepest one), for the pages that default to it."""
    for role in user.roles.select_related("unit").order_by("-unit__depth", "unit__path"):
        if role.unit.kind in PRACTICE_KINDS and role.unit.archived_at is None:
            return role.unit
    return None


def next_units(user) -> QuerySet:
    """Libraries the user sees, for the picker of "could adopt next"."""
    return scope.units(user).filter(kind__in=PRACTICE_KINDS, archived_at__isnull=True).order_by("path")


def _covered(user, capability: str) -> Q | None:
    allowed = scope.prefixes(user, capability)
    if allowed is None:
        return None
    condition = Q(pk__in=[])
    for prefix in allowed:
        condition |= Q(path__startswith=prefix)
    return condition


def proposing_units(user) -> QuerySet:
    """Libraries whose practices the user may propose or adopt for: `manage_assistance` or `edit_card`."""
    units = OrgUnit.objects.filter(kind__in=PRACTICE_KINDS, archived_at__isnull=True)
    manage, propose = _covered(user, MANAGE), _covered(user, PROPOSE)
    if manage is None or propose is None:
        return units
    return units.filter(manage | propose)


def may_propose(user) -> bool:
    return scope.prefixes(user, MANAGE) != () or scope.prefixes(user, PROPOSE) != ()


def may_act_for(user, unit: OrgUnit) -> bool:
    """Whether the user proposes practices of `unit` or records its adoptions."""
    return scope.covers(user, unit, MANAGE) or scope.covers(user, unit, PROPOSE)


def can_edit(user, practice: Practice) -> bool:
    if scope.covers(user, practice.unit, MANAGE):
        return True
    return practice.status == PracticeStatus.PROPOSED and scope.covers(user, practice.unit, PROPOSE)


def can_review(user, practice: Practice) -> bool:
    """`manage_assistance` on an ancestor of the library: the methodologists above it, not the library."""
    allowed = scope.prefixes(user, MANAGE)
    if allowed is None:
        return True
    path = practice.unit.path
    return any(path.startswith(prefix) and path != prefix for prefix in allowed)


def status_targets(practice: Practice) -> tuple[PracticeStatus | None, list[PracticeStatus]]:
    """The next status (None at the end) and the earlier ones a practice can go back to."""
    index = STATUS_ORDER.index(practice.status)
    forward = STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None
    return forward, list(reversed(STATUS_ORDER[:index]))


def adoptions_shown(user, practice: Practice) -> QuerySet:
    """The adoptions named to the user: all of them to whoever sees the practice's library, otherwise those of
    the libraries the user sees."""
    adoptions = practice.adoptions.select_related("unit", "recorded_by").order_by("-adopted_on", "id")
    if scope.covers(user, practice.unit):
        return adoptions
    return scope.records(user, adoptions)


def adoptable_units(user, practice: Practice) -> QuerySet:
    """Libraries the user may record an adoption for that have not adopted the practice yet."""
    return (
        proposing_units(user)
        .exclude(pk=practice.unit_id)
        .exclude(pk__in=practice.adoptions.values("unit_id"))
        .order_by("path")
    )


def figure_change(figure: PracticeFigure) -> Decimal | None:
    """The change from before to after in per cent, or None when there is no base to compare with."""
    if figure.before is None or figure.before == 0:
        return None
    return ((figure.after - figure.before) / abs(figure.before) * 100).quantize(Decimal("0.1"))


def figures_with_change(practice: Practice) -> list[PracticeFigure]:
    figures = list(practice.figures.all())
    for figure in figures:
        figure.change = figure_change(figure)
    return figures


@dataclass
class StatusStep:
    status: str
    label: str
    at: datetime.datetime
    user: object
    reason: str
    back: bool


def status_history(practice: Practice) -> list[StatusStep]:
    """Every change of the review status, oldest first: who, when, and the reason given."""
    records = practice.history.select_related("history_user").order_by("history_date", "history_id")
    labels = dict(PracticeStatus.choices)
    steps: list[StatusStep] = []
    previous = None
    for record in records[:HISTORY_LIMIT]:
        if record.status == previous:
            continue
        back = previous is not None and STATUS_ORDER.index(record.status) < STATUS_ORDER.index(previous)
        steps.append(
            StatusStep(
                status=record.status,
                label=labels.get(record.status, record.status),
                at=record.history_date,
                user=record.history_user,
                reason=record.history_change_reason or "",
                back=back,
            )
        )
        previous = record.status
    return steps


# --- writes ---------------------------------------------------------------------------------------------


def _require_propose(user, unit: OrgUnit) -> None:
    if not may_act_for(user, unit):
        raise PermissionDenied(
            _("You have no right to propose practices of “%(unit)s”.") % {"unit": unit.name}
        )


def _require_library(unit: OrgUnit, field_name: str = "unit") -> None:
    if unit.kind not in PRACTICE_KINDS:
        raise ValidationError({field_name: _("Choose a library.")})


def _clean(obj, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _save_figures(practice: Practice, figures: Iterable[dict]) -> None:
    rows = []
    for data in figures:
        figure = PracticeFigure(practice=practice, **{n: data.get(n) for n in FIGURE_FIELDS})
        figure.measure = figure.measure or ""
        try:
            figure.full_clean(exclude=["practice"])
        except ValidationError as exc:
            messages = [f"{figure.label}: {m}" for m in exc.messages]
            raise ValidationError({"figures": messages}) from exc
        rows.append(figure)
    practice.figures.all().delete()
    PracticeFigure.objects.bulk_create(rows)


def _add_files(practice: Practice, files: Iterable) -> None:
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"files": [f"{upload.name}: {m}" for m in exc.messages]}) from exc
        caption = (upload.name or "").rsplit("/", 1)[-1][:300]
        PracticeFile.objects.create(practice=practice, file=upload, caption=caption)


def _remove_files(practice: Practice, file_ids: Iterable[int]) -> None:
    for attachment in practice.files.filter(pk__in=list(file_ids)):
        attachment.file.delete(save=False)
        attachment.delete()


@transaction.atomic
def practice_create(
    *,
    user,
    data: dict,
    directions: Iterable[Direction] = (),
    forms_of_work: Iterable[FormOfWork] = (),
    figures: Iterable[dict] = (),
    files: Iterable = (),
) -> Practice:
    """Propose a practice of `data["unit"]` (default: the user's own library); it starts as proposed."""
    fields = {name: value for name, value in data.items() if name in PRACTICE_FIELDS}
    unit = fields.get("unit") or own_library(user)
    if unit is None:
        raise ValidationError({"unit": _("Choose a library.")})
    fields["unit"] = unit
    _require_propose(user, unit)
    _require_library(unit)
    practice = Practice(**fields, created_by=user, status=PracticeStatus.PROPOSED)
    practice.status_changed_at = timezone.now()
    practice.status_changed_by = user
    _clean(practice, ["created_by", "status_changed_by"])
    practice._history_user = user
    practice.save()
    practice.directions.set(list(directions))
    practice.forms_of_work.set(list(forms_of_work))
    _save_figures(practice, figures)
    _add_files(practice, files)
    return practice


@transaction.atomic
def practice_update(
    *,
    user,
    practice: Practice,
    data: dict,
    directions: Iterable[Direction] | None = None,
    forms_of_work: Iterable[FormOfWork] | None = None,
    figures: Iterable[dict] | None = None,
    files: Iterable = (),
    remove_files: Iterable[int] = (),
) -> Practice:
    """Change the card; `directions`, `forms_of_work` and `figures`, when given, replace the stored ones.
    The review status is not changed here (see `practice_set_status`)."""
    # The stored library and status, not what a form may already have put on the object in memory.
    stored = Practice.objects.select_related("unit").get(pk=practice.pk)
    if not can_edit(user, stored):
        raise PermissionDenied(_("You have no right to change this practice."))
    fields = {name: value for name, value in data.items() if name in PRACTICE_FIELDS}
    new_unit = fields.get("unit")
    if new_unit is not None and new_unit != stored.unit:
        _require_propose(user, new_unit)
        _require_library(new_unit)
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.status = stored.status
    _clean(practice, ["created_by", "status_changed_by"])
    practice._history_user = user
    practice.save()
    if directions is not None:
        practice.directions.set(list(directions))
    if forms_of_work is not None:
        practice.forms_of_work.set(list(forms_of_work))
    if figures is not None:
        _save_figures(practice, figures)
    _remove_files(practice, remove_files)
    _add_files(practice, files)
    return practice


@transaction.atomic
def practice_set_status(*, user, practice: Practice, status: str, reason: str = "") -> Practice:
    """Move the review one step forward, or back to an earlier status with a reason."""
    stored = Practice.objects.select_related("unit").select_for_update().get(pk=practice.pk)
    if not can_review(user, stored):
        raise PermissionDenied(_("Only the methodologists above the library review its practices."))
    if status not in PracticeStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    current, target = STATUS_ORDER.index(stored.status), STATUS_ORDER.index(status)
    reason = reason.strip()
    if target == current:
        raise ValidationError({"status": _("The practice already has this status.")})
    if target > current + 1:
        raise ValidationError(
            {
                "status": _("The review goes one step at a time: next comes “%(status)s”.")
                % {"status": STATUS_ORDER[current + 1].label}
            }
        )
    if target < current and not reason:
        raise ValidationError({"reason": _("Say why the practice goes back.")})
    stored.status = status
    stored.status_changed_at = timezone.now()
    stored.status_changed_by = user
    stored._history_user = user
    stored._change_reason = reason
    stored.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return stored


def _check_adoption(adoption: PracticeAdoption) -> None:
    if adoption.adopted_on and adoption.adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The date of adoption is in the future.")})
    _clean(adoption, ["recorded_by"])


@transaction.atomic
def practice_adopt(
    *, user, practice: Practice, unit: OrgUnit, adopted_on: datetime.date, result: str = ""
) -> PracticeAdoption:
    """Record that `unit` took the practice over (once per library)."""
    if not may_act_for(user, unit):
        raise PermissionDenied(
            _("You have no right to record adoptions of “%(unit)s”.") % {"unit": unit.name}
        )
    _require_library(unit)
    if unit.pk == practice.unit_id:
        raise ValidationError({"unit": _("A library does not adopt its own practice.")})
    if PracticeAdoption.objects.filter(practice=practice, unit=unit).exists():
        raise ValidationError({"unit": _("This library has already adopted the practice.")})
    adoption = PracticeAdoption(
        practice=practice, unit=unit, adopted_on=adopted_on, result=result.strip(), recorded_by=user
    )
    _check_adoption(adoption)
    adoption._history_user = user
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError as exc:  # the same library recorded at the same moment by someone else
        raise ValidationError({"unit": _("This library has already adopted the practice.")}) from exc
    return adoption


@transaction.atomic
def adoption_update(
    *, user, adoption: PracticeAdoption, adopted_on: datetime.date, result: str
) -> PracticeAdoption:
    """Change when the library adopted the practice and with what result."""
    if not may_act_for(user, adoption.unit):
        raise PermissionDenied(
            _("You have no right to record adoptions of “%(unit)s”.") % {"unit": adoption.unit.name}
        )
    adoption.adopted_on = adopted_on
    adoption.result = result.strip()
    _check_adoption(adoption)
    adoption._history_user = user
    adoption.save()
    return adoption


@transaction.atomic
def practice_unadopt(*, user, adoption: PracticeAdoption) -> None:
    """Remove a wrongly recorded adoption."""
    if not may_act_for(user, adoption.unit):
        raise PermissionDenied(
            _("You have no right to record adoptions of “%(unit)s”.") % {"unit": adoption.unit.name}
        )
    adoption._history_user = user
    adoption.delete()
