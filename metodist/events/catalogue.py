"""The catalogue of forms of work: loading the shipped content, searching it, and its use across the network.

    catalogue_load()                                  # add the shipped forms that are missing (idempotent)
    forms_search(text="квест", family="public")       # the catalogue page and the API
    form_usage(user, form)                            # "where it was used" on a form's card
    forms_usage(user, under=district)                 # the usage page: every form in the user's scope
    forms_never_tried(user, unit=district)            # forms no event in that subtree has used

A form "was used" by an event that was held (status `held`) with that form. Where it was used is the
event's venue, or its organiser when the venue is not a unit of the network. Events come only through
`selectors.events_visible`, so every figure is limited to the user's scope; all figures are SQL
aggregations grouped by form, year or the tree-path prefix of an area.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from metodist.core import scope
from metodist.events import catalogue_data
from metodist.events.catalogue_data import FormSpec
from metodist.events.models import Event, EventStatus, FormOfWork, FormScenario
from metodist.events.selectors import events_visible
from metodist.network.models import LIBRARY_KINDS, LibraryType, OrgUnit, UnitKind

TEXT_FIELDS = ("name", "summary", "description", "audiences", "goals", "preparation", "conduct")
LANGUAGE_FIELDS = tuple(f"{field}_{lang}" for field in TEXT_FIELDS for lang in ("ru", "kk", "en"))

# Audience filters of the catalogue: stems looked for in the Russian or the Kazakh "for whom" text, so a
# form an administrator writes or edits is found without tagging it anywhere else.
AUDIENCES: dict[str, tuple[str, str, str]] = {
    "children": (_("children"), r"дет|дошкол|первоклассн", r"бала|бастауыш|мектепке дейін"),
    "teens": (_("pupils and teenagers"), r"школьник|подрост|старшекласс|учащ", r"оқушы|жасөспір"),
    "youth": (_("young people and students"), r"молод|студент", r"жастар|студент"),
    "adults": (_("adults"), r"взросл|жител", r"ересек|тұрғын"),
    "seniors": (_("older people"), r"пожил|пенсион|старожил", r"егде|зейнеткер|көнекөз"),
    "families": (_("families"), r"сем[ьеи]|родител", r"отбасы|ата-ана"),
    "librarians": (_("librarians"), r"библиотекар|методист", r"кітапханашы|әдіскер"),
}


def audience_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _ru, _kk) in AUDIENCES.items()]


# --- loading the shipped catalogue -------------------------------------------------------------------


def _form_fields(spec: FormSpec) -> dict:
    fields = {"code": spec.code, "family": spec.family, "duration": spec.duration}
    for language in ("ru", "kk", "en"):
        text = getattr(spec, language)
        for field in TEXT_FIELDS:
            fields[f"{field}_{language}"] = getattr(text, field)
    return fields


@transaction.atomic
def catalogue_load(*, specs: tuple[FormSpec, ...] = catalogue_data.FORMS) -> dict[str, int]:
    """Create the shipped forms that are missing, by `code`; a form that exists is never changed.

    Relations and scenarios are added only together with a newly created form, so an administrator who
    edited, unlinked or trimmed a form finds it as they left it after the next upgrade.
    """
    existing = set(FormOfWork.objects.filter(code__in=[s.code for s in specs]).values_list("code", flat=True))
    new_specs = [spec for spec in specs if spec.code not in existing]
    for spec in new_specs:
        form = FormOfWork(**_form_fields(spec))
        form.full_clean()
        form.save()
    created = {spec.code for spec in new_specs}
    forms = {f.code: f for f in FormOfWork.objects.filter(code__in=[s.code for s in specs])}
    # Also every form that names a new one: the relation is symmetrical.
    links = 0
    for spec in specs:
        targets = [
            forms[code]
            for code in spec.related
            if code in forms and (spec.code in created or code in created) and code != spec.code
        ]
        if targets:
            forms[spec.code].related.add(*targets)
            links += len(targets)
    scenarios = [
        FormScenario(form=forms[spec.code], title=s.title, language=s.language, text=s.text)
        for spec in new_specs
        for s in spec.scenarios
    ]
    for scenario in scenarios:
        scenario.full_clean()
    FormScenario.objects.bulk_create(scenarios)
    return {"forms": len(new_specs), "relations": links, "scenarios": len(scenarios)}


# --- reading the catalogue ---------------------------------------------------------------------------


def forms_search(*, text: str = "", family: str = "", audience: str = "", active: bool = True) -> QuerySet:
    """Forms by part of the name in any language (or the code), family and audience."""
    qs = FormOfWork.objects.all()
    if active:
        qs = qs.filter(is_active=True)
    text = text.strip()
    if text:
        # A regex, not icontains: SQLite's LIKE folds only ASCII case, and names are Cyrillic.
        pattern = re.escape(text)
        qs = qs.filter(
            Q(name_ru__iregex=pattern)
            | Q(name_kk__iregex=pattern)
            | Q(name_en__iregex=pattern)
            | Q(code__icontains=text)
        )
    if family:
        qs = qs.filter(family=family)
    if audience in AUDIENCES:
        _label, ru, kk = AUDIENCES[audience]
        qs = qs.filter(Q(audiences_ru__iregex=ru) | Q(audiences_kk__iregex=kk))
    return qs.order_by("name_ru", "id")


# Alphabetical order of Russian and Kazakh (Python's code-point order puts ё, ә, ғ, қ… after я).
_ALPHABETS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
}


def name_sort_key(text: str, language: str) -> tuple:
    """A key that sorts names in the alphabetical order of the language (Latin letters come after)."""
    alphabet = _ALPHABETS.get((language or "ru")[:2], _ALPHABETS["ru"])
    letters = text.lower().lstrip("«“\"'")
    return tuple(alphabet.find(ch) if ch in alphabet else 100 + ord(ch) for ch in letters)


def get_form_or_404(code: str) -> FormOfWork:
    return get_object_or_404(FormOfWork, code=code)


def split_steps(text: str) -> list[str]:
    """Steps of preparation or conduct, one a line; a leading "1." typed by hand is dropped."""
    lines = (re.sub(r"^\s*(\d+[.)]|[-•–])\s*", "", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


_NUMBER = r"\d+(?:[.,]\d+)?"
_UNITS = (
    (r"мин", "minute", "минут", ("minute", "minutes")),
    (r"час", "hour", "сағат", ("hour", "hours")),
    (r"д(?:ень|ня|ней)", "day", "күн", ("day", "days")),
    (r"недел", "week", "апта", ("week", "weeks")),
    (r"месяц", "month", "ай", ("month", "months")),
)


def _unit(word: str) -> tuple | None:
    for stem, *names in _UNITS:
        if re.match(stem, word.lower()):
            return tuple(names)
    return None


def duration_text(duration: str, language: str) -> str:
    """The duration written in Russian ("1–1,5 часа", "45 минут – 1 час") in another language.

    Anything that is not "<number> [unit] – <number> <unit>" is shown as it was typed.
    """
    language = (language or "ru")[:2]
    if language == "ru" or not duration:
        return duration
    parts = re.split(r"\s*[–—-]\s*", duration.strip())
    parsed = []
    for part in parts:
        match = re.fullmatch(rf"({_NUMBER})(?:\s+(\w+))?", part)
        if not match:
            return duration
        unit = _unit(match.group(2)) if match.group(2) else None
        if match.group(2) and unit is None:
            return duration
        parsed.append((match.group(1), unit))
    if parsed[-1][1] is None or len(parsed) > 2:
        return duration
    rendered = []
    for number, unit in parsed:
        if language == "en":
            number = number.replace(",", ".")
        if unit is None:
            rendered.append(number)
        elif language == "kk":
            rendered.append(f"{number} {unit[1]}")
        else:
            singular, plural = unit[2]
            rendered.append(f"{number} {singular if number == '1' else plural}")
    joiner = " – " if parsed[0][1] is not None and len(parsed) > 1 else "–"
    return joiner.join(rendered)


def form_texts(form: FormOfWork, language: str) -> dict:
    """Every section of a form in one language, falling back to Russian where it is empty."""
    texts = {field: form.text(field, language) for field in TEXT_FIELDS}
    texts["preparation_steps"] = split_steps(texts["preparation"])
    texts["conduct_steps"] = split_steps(texts["conduct"])
    texts["duration"] = duration_text(form.duration, language)
    return texts


def can_edit_catalogue(user) -> bool:
    """Superusers and administrators edit the catalogue (in the Django admin)."""
    from metodist.accounts.models import RoleKind

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.roles.filter(kind=RoleKind.ADMINISTRATOR).exists()


# --- usage across the network ------------------------------------------------------------------------

# Where an event took place: its venue when that is a unit of the network, otherwise its organiser.
PLACE_PATH = Coalesce(F("venue_unit__path"), F("organiser_unit__path"))


def held_events(user, *, under: OrgUnit | None = None) -> QuerySet:
    """Held events with a form of work that the user may see; with `under`, those that took place there."""
    qs = (
        events_visible(user)
        .filter(form__isnull=False, status=EventStatus.HELD)
        .annotate(place_path=PLACE_PATH)
    )
    if under is not None:
        qs = qs.filter(place_path__startswith=under.path)
    return qs


def usage_counts(user) -> dict[int, int]:
    """How many held events used each form (by form id), in the user's scope."""
    rows = held_events(user).values("form").annotate(times=Count("id")).values_list("form", "times")
    return dict(rows)


def area_depth(user) -> int:
    """The tree depth at which usage is broken down by area: districts, or the user's own units if deeper."""
    district = OrgUnit.objects.filter(kind=UnitKind.DISTRICT).aggregate(depth=Min("depth"))["depth"] or 2
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed:
        return max(district, min(len(path) for path in allowed) // OrgUnit.steplen)
    return district


def _by_area(user, events: QuerySet) -> list[dict]:
    depth = area_depth(user)
    rows = list(
        events.annotate(area=Substr("place_path", 1, depth * OrgUnit.steplen))
        .values("area")
        .annotate(times=Count("id"), attendance=Avg("participants_actual"), last=Max("starts_at"))
        .order_by("-times", "area")
    )
    units = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=[row["area"] for row in rows])}
    return [{**row, "unit": units.get(row["area"])} for row in rows]


@dataclass
class FormUsage:
    times: int
    places: int
    attendance: float | None
    last: datetime | None
    by_year: list[dict]
    by_area: list[dict]
    recent: list[Event]

    @property
    def busiest_year(self) -> int:
        """The most events in one year: the scale of the bars by year."""
        return max((row["times"] for row in self.by_year), default=0)


def form_usage(user, form: FormOfWork, *, recent: int = 10) -> FormUsage:
    """Where and how often the form was used in the user's scope: totals, by year, by area, latest events."""
    events = held_events(user).filter(form=form)
    totals = events.aggregate(
        times=Count("id"),
        places=Count("place_path", distinct=True),
        attendance=Avg("participants_actual"),
        last=Max("starts_at"),
    )
    by_year = list(
        events.annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(times=Count("id"), attendance=Avg("participants_actual"))
        .order_by("year")
    )
    return FormUsage(
        times=totals["times"],
        places=totals["places"],
        attendance=totals["attendance"],
        last=totals["last"],
        by_year=by_year,
        by_area=_by_area(user, events) if totals["times"] else [],
        recent=list(events.order_by("-starts_at", "-id")[:recent]),
    )


@dataclass
class UsageTable:
    rows: list[dict]
    years: list[int]


def forms_usage(user, *, under: OrgUnit | None = None, family: str = "", years: int = 6) -> UsageTable:
    """One row per form of the catalogue with its use in the user's scope (under a unit), most used first.

    Each row: form, times, places (distinct units where it took place), attendance (average actual
    number), last, and per_year for the last `years` years that have events.
    """
    events = held_events(user, under=under)
    forms = FormOfWork.objects.filter(Q(is_active=True) | Q(pk__in=events.values("form")))
    if family:
        forms = forms.filter(family=family)
        events = events.filter(form__family=family)
    stats = {
        row["form"]: row
        for row in events.values("form").annotate(
            times=Count("id"),
            places=Count("place_path", distinct=True),
            attendance=Avg("participants_actual"),
            last=Max("starts_at"),
        )
    }
    per_year: dict[int, dict[int, int]] = {}
    for row in (
        events.annotate(year=ExtractYear("starts_at")).values("form", "year").annotate(times=Count("id"))
    ):
        per_year.setdefault(row["form"], {})[row["year"]] = row["times"]
    shown_years = sorted({year for counts in per_year.values() for year in counts})[-years:]
    rows = []
    for form in forms:
        row = stats.get(form.pk, {"times": 0, "places": 0, "attendance": None, "last": None})
        counts = per_year.get(form.pk, {})
        rows.append(
            {
                "form": form,
                "times": row["times"],
                "places": row["places"],
                "attendance": row["attendance"],
                "last": row["last"],
                "per_year": [counts.get(year, 0) for year in shown_years],
            }
        )
    language = get_language()
    rows.sort(key=lambda r: (-r["times"], name_sort_key(r["form"].name, language)))
    return UsageTable(rows=rows, years=shown_years)


def forms_never_tried(user, *, unit: OrgUnit, family: str = "") -> QuerySet:
    """Forms of the catalogue that no held event under `unit` has used (as far as the user can see)."""
    tried = held_events(user, under=unit).values("form")
    qs = FormOfWork.objects.filter(is_active=True).exclude(pk__in=tried)
    if family:
        qs = qs.filter(family=family)
    return qs.order_by("name_ru", "id")


def usage_units(user) -> QuerySet:
    """Units offered as "where": territories (region, districts, cities) in scope and the user's own units."""
    condition = Q(kind__in=[UnitKind.COUNTRY, UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY])
    allowed = scope.prefixes(user, scope.VIEW)
    if allowed:
        condition |= Q(path__in=allowed)
    return scope.units(user).filter(condition).order_by("path")


def booklet_publishers(user) -> QuerySet:
    """Libraries that may stand on the booklet's cover: the main libraries in scope, else any in scope."""
    libraries = scope.units(user).filter(kind__in=LIBRARY_KINDS, archived_at__isnull=True)
    main = libraries.filter(
        library_type__in=[LibraryType.REGIONAL, LibraryType.CENTRAL_DISTRICT, LibraryType.CENTRAL_CITY]
    )
    return main if main.exists() else libraries


def default_publisher(publishers: QuerySet) -> OrgUnit | None:
    return publishers.filter(library_type=LibraryType.REGIONAL).first() or publishers.first()
