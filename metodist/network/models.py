"""The supervised library network: org units in a tree, library cards, passports and staff."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from metodist.core.models import TimeStampedModel, translated


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    CITY = "city", _("city")
    SETTLEMENT = "settlement", _("settlement")
    LIBRARY = "library", _("library")
    ONLINE_CENTRE = "online_centre", _("online centre")
    COLLEGE_LIBRARY = "college_library", _("college library")
    SCHOOL_LIBRARY = "school_library", _("school library")
    DEPARTMENT = "department", _("department of a library")


TERRITORY_KINDS = {UnitKind.COUNTRY, UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY, UnitKind.SETTLEMENT}
LIBRARY_KINDS = {
    UnitKind.LIBRARY,
    UnitKind.ONLINE_CENTRE,
    UnitKind.COLLEGE_LIBRARY,
    UnitKind.SCHOOL_LIBRARY,
}
_LIBRARY_PARENTS = {UnitKind.REGION, UnitKind.DISTRICT, UnitKind.CITY, UnitKind.SETTLEMENT, UnitKind.LIBRARY}

# Which kinds of unit may stand directly under which: keeps imports and moves from making nonsense.
ALLOWED_PARENT_KINDS: dict[str, set[str] | None] = {
    UnitKind.COUNTRY: None,  # only a root
    UnitKind.REGION: {UnitKind.COUNTRY},
    UnitKind.DISTRICT: {UnitKind.REGION},
    UnitKind.CITY: {UnitKind.REGION, UnitKind.DISTRICT},
    UnitKind.SETTLEMENT: {UnitKind.DISTRICT, UnitKind.CITY, UnitKind.REGION},
    UnitKind.LIBRARY: _LIBRARY_PARENTS,
    UnitKind.ONLINE_CENTRE: _LIBRARY_PARENTS,
    UnitKind.COLLEGE_LIBRARY: _LIBRARY_PARENTS,
    UnitKind.SCHOOL_LIBRARY: _LIBRARY_PARENTS,
    UnitKind.DEPARTMENT: LIBRARY_KINDS,
}


class LibraryType(models.TextChoices):
    REGIONAL = "regional", _("regional universal library")
    CENTRAL_DISTRICT = "central_district", _("central district library")
    CENTRAL_CITY = "central_city", _("central city library")
    CITY_BRANCH = "city_branch", _("city branch library")
    VILLAGE = "village", _("village library")
    VILLAGE_BRANCH = "village_branch", _("village branch library")
    CHILDREN = "children", _("children's library")
    YOUTH = "youth", _("youth library")
    COLLEGE = "college", _("college library")
    SCHOOL = "school", _("school library")
    ONLINE_CENTRE = "online_centre", _("village online centre")
    SPECIAL = "special", _("special library")


class FoundingDepartment(models.TextChoices):
    CULTURE = "culture", _("culture")
    EDUCATION = "education", pgettext_lazy("founding department", "education")
    OTHER = "other", _("other department")


class ServiceLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("other languages")


code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use Latin letters, digits, dots, dashes and underscores; start with a letter or digit."),
)


class OrgUnitQuerySet(MP_NodeQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def under(self, unit: "OrgUnit", *, include_self: bool = True):
        """The subtree of `unit`: one indexed prefix query on the materialised path."""
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        # A regex, not icontains: SQLite's LIKE folds only ASCII case, and names are Cyrillic.
        pattern = re.escape(text)
        return self.filter(
            Q(name_ru__iregex=pattern)
            | Q(name_kk__iregex=pattern)
            | Q(name_en__iregex=pattern)
            | Q(code__istartswith=text)
        )


class OrgUnitManager(MP_NodeManager.from_queryset(OrgUnitQuerySet)):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")


class OrgUnit(MP_Node, TimeStampedModel):
    """A node of the network: a territory, a library or online centre, or a department of a library."""

    steplen = 4

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[code_validator],
        help_text=_("A short stable code, used by imports and the API."),
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, db_index=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, db_index=True)

    # The library card; territories use only the address, population and description.
    library_type = models.CharField(
        _("type of library"), max_length=20, choices=LibraryType.choices, blank=True
    )
    founding_department = models.CharField(
        _("founding department"), max_length=12, choices=FoundingDepartment.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(_("languages of service"), default=list, blank=True)
    opening_year = models.PositiveSmallIntegerField(
        _("opening year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1700), MaxValueValidator(2100)],
    )
    population_served = models.PositiveIntegerField(_("population served"), null=True, blank=True)
    staff_rate = models.DecimalField(
        _("staff rate"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Full-time equivalents; rural branches often work at 0.5 or 0.25."),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])
    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        indexes = [
            # A LIKE 'prefix%' on PostgreSQL uses only an index with pattern ops (or the C collation).
            models.Index(fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["depth", "path"], name="orgunit_depth_path"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_library(self) -> bool:
        return self.kind in LIBRARY_KINDS or self.kind == UnitKind.DEPARTMENT

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:unit_detail", args=[self.pk])

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(self.steplen, len(self.path), self.steplen)]

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    def check_parent_kind(self, parent: "OrgUnit | None") -> None:
        allowed = ALLOWED_PARENT_KINDS.get(self.kind)
        if parent is None:
            if allowed is not None and self.kind != UnitKind.REGION:
                raise ValidationError(
                    {"parent": _("A unit of this kind must have a parent.")}, code="parent_required"
                )
            return
        if allowed is None or parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": _(
                        "A unit of kind “%(kind)s” cannot stand under a unit of kind “%(parent_kind)s”."
                    )
                    % {"kind": self.get_kind_display(), "parent_kind": parent.get_kind_display()}
                },
                code="parent_kind",
            )

    def clean(self) -> None:
        super().clean()
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("A unit cannot close before it opens.")})
        self.languages = [code for code in self.languages or [] if code in ServiceLanguage.values]


class PremisesCondition(models.TextChoices):
    GOOD = "good", _("good")
    SATISFACTORY = "satisfactory", _("satisfactory")
    NEEDS_REPAIR = "needs_repair", _("needs major repair")
    EMERGENCY = "emergency", _("emergency")


class InternetConnection(models.TextChoices):
    NONE = "none", _("no connection")
    MOBILE = "mobile", _("mobile (3G/4G)")
    DSL = "dsl", _("ADSL")
    FIBRE = "fibre", _("fibre optic")
    SATELLITE = "satellite", _("satellite")


class LibraryPassport(TimeStampedModel):
    """The passport of a library (паспорт библиотеки): its key figures for one year."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="passports", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    floor_area = models.DecimalField(
        _("floor area, m²"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    premises_condition = models.CharField(
        _("condition of the premises"), max_length=16, choices=PremisesCondition.choices, blank=True
    )
    access_vision = models.BooleanField(_("accessible for people with impaired vision"), default=False)
    access_hearing = models.BooleanField(_("accessible for people with impaired hearing"), default=False)
    access_mobility = models.BooleanField(_("accessible for people with impaired mobility"), default=False)
    computers = models.PositiveSmallIntegerField(_("computers"), default=0)
    computers_for_users = models.PositiveSmallIntegerField(_("computers for users"), default=0)
    internet = models.CharField(
        _("internet connection"),
        max_length=12,
        choices=InternetConnection.choices,
        default=InternetConnection.NONE,
    )
    internet_speed_mbps = models.DecimalField(
        _("internet speed, Mbit/s"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("library passport")
        verbose_name_plural = _("library passports")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="passport_one_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"

    def clean(self) -> None:
        if self.computers_for_users > self.computers:
            raise ValidationError(
                {"computers_for_users": _("There cannot be more computers for users than computers in all.")}
            )


class Education(models.TextChoices):
    HIGHER_LIBRARY = "higher_library", _("higher, library science")
    HIGHER_OTHER = "higher_other", _("higher, other")
    VOCATIONAL_LIBRARY = "vocational_library", _("vocational, library science")
    VOCATIONAL_OTHER = "vocational_other", _("vocational, other")
    SECONDARY = "secondary", _("secondary")


class StaffMember(TimeStampedModel):
    """A person working in a unit of the network."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("unit"))
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    started_on = models.DateField(_("works since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_positions",
        verbose_name=_("user account"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()

    def clean(self) -> None:
        if self.left_on and self.started_on and self.left_on < self.started_on:
            raise ValidationError({"left_on": _("A person cannot leave before starting.")})


class TrainingKind(models.TextChoices):
    COURSE = "course", _("course of advanced training")
    SEMINAR = "seminar", _("seminar")
    WORKSHOP = "workshop", _("workshop")
    LIBRARY_LESSON = "library_lesson", _("library lesson")
    RURAL_SCHOOL = "rural_school", _("school of the rural librarian")
    METHODOLOGICAL_DAY = "methodological_day", _("methodological day")
    CONSULTATION = "consultation", _("group consultation")
    INTERNSHIP = "internship", _("internship")
    CONFERENCE = "conference", _("conference")
    WEBINAR = "webinar", _("webinar")


class QualificationRecord(TimeStampedModel):
    """One training in a person's qualification history; events will add these on attendance."""

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("staff member")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of training"), max_length=20, choices=TrainingKind.choices)
    provider = models.CharField(_("held by"), max_length=300, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("qualification record")
        verbose_name_plural = _("qualification records")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A training cannot end before it starts.")})
