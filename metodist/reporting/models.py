"""Periodic reporting: indicators, report forms (versioned), reports and their values.

The data model follows DHIS2's aggregate reporting, made small:

- an `Indicator` is a data element: a value type, how it rolls up (`Aggregation`), and optionally a
  `CategorySet` that splits it into parts (age groups, languages). A split indicator stores only its
  parts; its total is always their sum, so it cannot disagree with them;
- a `DerivedIndicator` is a ratio of two roll-ups (loans / users …), computed after rolling up, never
  stored;
- a `ReportForm` is a data set: `FormVersion`s of ordered `FormSection`s of `FormField`s, a period type,
  a deadline, `FormAssignment`s to parts of the network, and `ValidationRule`s. A report keeps the
  version it was filled in, so changing a form never breaks past reports;
- a `Report` is one (form, unit, period) with a status workflow; its `Value`s carry copies of the
  report's unit path and reference day, so a roll-up is one indexed scan of `Value` grouped by a prefix
  of the path — SQL over the tree, no joins and no Python loops.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from metodist.core.models import TimeStampedModel, translated
from metodist.network.models import OrgUnit
from metodist.reporting.periods import Period, PeriodType

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use small Latin letters, digits and underscores, starting with a letter."),
)


class Named(models.Model):
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class CategorySet(Named):
    """A way to split an indicator into parts: age groups, languages…"""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])

    class Meta:
        verbose_name = _("category set")
        verbose_name_plural = _("category sets")
        ordering = ["code"]


class Category(Named):
    category_set = models.ForeignKey(CategorySet, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["category_set", "code"], name="category_code_in_set")]


class ValueType(models.TextChoices):
    INTEGER = "integer", _("whole number")
    DECIMAL = "decimal", _("decimal number")
    BOOLEAN = "boolean", _("yes/no")
    TEXT = "text", _("text")


NUMERIC_TYPES = (ValueType.INTEGER, ValueType.DECIMAL, ValueType.BOOLEAN)


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    AVERAGE = "avg", _("average")
    MIN = "min", _("minimum")
    MAX = "max", _("maximum")
    LAST = "last", _("last value in the period")


class Indicator(Named, TimeStampedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    description = models.TextField(_("description"), blank=True)
    value_type = models.CharField(
        _("value type"), max_length=10, choices=ValueType.choices, default=ValueType.INTEGER
    )
    measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    aggregation = models.CharField(
        _("roll-up rule"), max_length=6, choices=Aggregation.choices, default=Aggregation.SUM
    )
    category_set = models.ForeignKey(
        CategorySet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("split by"),
    )
    allow_negative = models.BooleanField(_("negative values allowed"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES


class DerivedIndicator(Named, TimeStampedModel):
    """numerator / denominator × factor, computed on roll-ups (a ratio of sums, never a sum of ratios).

    The denominator is another indicator or, with `per_population`, the population served by the units
    (`OrgUnit.population_served`).
    """

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    description = models.TextField(_("description"), blank=True)
    numerator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("numerator")
    )
    denominator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    per_population = models.BooleanField(_("divide by the population served"), default=False)
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=4, default=Decimal(1))
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("derived indicator")
        verbose_name_plural = _("derived indicators")
        ordering = ["order", "code"]

    def clean(self) -> None:
        if bool(self.denominator_id) == bool(self.per_population):
            raise ValidationError(_("Choose either a denominator indicator or the population served."))


class ReportForm(Named, TimeStampedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    description = models.TextField(_("description"), blank=True)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline, days after the period ends"), default=5, validators=[MaxValueValidator(365)]
    )
    is_open = models.BooleanField(_("open for entry"), default=True)
    # Outlier warning: a value more than `outlier_factor` times the median of the unit's last
    # `outlier_window` periods (0 switches it off).
    outlier_factor = models.DecimalField(
        _("outlier factor"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(0)],
    )
    outlier_window = models.PositiveSmallIntegerField(_("outlier window, periods"), default=12)
    # Periods that end before this day are closed: nothing in them can be entered or changed.
    entry_closed_before = models.DateField(_("periods closed before"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["order", "code"]

    def current_version(self) -> "FormVersion | None":
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_number")]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    def fields_in_order(self):
        return (
            FormField.objects.filter(section__version=self)
            .select_related("indicator__category_set", "section")
            .order_by("section__order", "section_id", "order", "id")
        )


class FormSection(Named):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "id"]


class FormField(models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="form_fields")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=True)
    # A carried-over field must equal the value of `carry_from` in the previous period's report
    # (stock at the start of a year = stock at the end of the last one).
    carry_from = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("equals last period's"),
    )

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.indicator.code


class FormAssignment(models.Model):
    """Which units report on a form: units of the listed kinds under `unit` (or `unit` itself)."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    kinds = models.JSONField(_("kinds of units"), default=list, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.form.code} → {self.unit}"


class Severity(models.TextChoices):
    ERROR = "error", _("error")
    WARNING = "warning", _("warning")


class ValidationRule(models.Model):
    """An expression over the form's indicators, e.g. `visits >= registered_users` or
    `event_attendance <= visits`; `loans.kk` names a part. Skipped when a value it uses is missing."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    expression = models.CharField(_("expression"), max_length=500)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR)
    message_ru = models.CharField(_("message (Russian)"), max_length=500)
    message_kk = models.CharField(_("message (Kazakh)"), max_length=500, blank=True)
    message_en = models.CharField(_("message (English)"), max_length=500, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.expression

    @property
    def message(self) -> str:
        return translated(self, "message")

    def clean(self) -> None:
        from metodist.reporting.rules import RuleError, parse_rule

        try:
            parse_rule(self.expression)
        except RuleError as exc:
            raise ValidationError({"expression": str(exc)}) from exc


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "submitted")
    ACCEPTED = "accepted", pgettext_lazy("report status", "accepted")
    RETURNED = "returned", pgettext_lazy("report status", "returned")


class Report(TimeStampedModel):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    ref_date = models.DateField(db_index=True)
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    # Optimistic concurrency: every save of values must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment of the reviewer"), blank=True)
    submit_comment = models.TextField(_("explanation of the warnings"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period_start"], name="one_report_per_period"),
        ]
        indexes = [
            models.Index(fields=["form", "period_start", "status"]),
            models.Index(fields=["unit", "form", "period_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} · {self.unit} · {self.period.code}"

    @property
    def period(self) -> Period:
        return Period.from_start(self.period_type, self.period_start)

    @property
    def is_locked(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class Value(models.Model):
    """One number (or text) of a report: an indicator, or one part of a split indicator.

    `unit_path`, `ref_date` and `period_type` copy the report's, so roll-ups read this table alone;
    a unit's move rewrites the paths of its values (`metodist.reporting.signals`).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    # No index of its own: the two indexes below begin with it.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values", db_index=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    ref_date = models.DateField()
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The history is read by report (a report's changes) and by row; every other index of it would only
    # slow down the writes of an upload, which add a history row per value.
    history = HistoricalRecords(no_db_index=["indicator", "category", "unit", "updated_by"])

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "category"],
                condition=models.Q(category__isnull=False),
                name="one_value_per_part",
            ),
            models.UniqueConstraint(
                fields=["report", "indicator"],
                condition=models.Q(category__isnull=True),
                name="one_value_per_indicator",
            ),
        ]
        indexes = [
            # The roll-up index: one indicator, a subtree (a range of paths, see `selectors.path_range`),
            # a range of days; the number is in the index, so the scan never visits the table.
            models.Index(fields=["indicator", "unit_path", "ref_date", "number"], name="value_rollup_idx"),
            models.Index(fields=["indicator", "unit", "ref_date"], name="value_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.number if self.number is not None else self.text}"


class Reminder(models.Model):
    """`metodist remind` told a unit (and its methodologists) that a report is overdue: once per period."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period_start"], name="one_reminder_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.form_id} · {self.unit_id} · {self.period_start}"
