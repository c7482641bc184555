"""Environment analysis of a unit for a year: SWOT (strengths, weaknesses, opportunities, threats) and PEST
(political, economic, social, technological factors).

An `EnvironmentAnalysis` is unique per unit, year and kind; its `AnalysisItem`s sit in the quadrants of
the kind, each with a weight (1–5), a text of evidence and optionally a linked figure: a reporting
indicator of a year (its roll-up over the unit's subtree) or a survey (its NPS and satisfaction index).
An item copied from last year's analysis remembers its source, so the comparison of the years follows it
even after its text was edited.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core.models import TimeStampedModel
from metodist.network.models import OrgUnit

MIN_YEAR = 2000
MAX_YEAR = 2100
MIN_WEIGHT = 1
MAX_WEIGHT = 5


class AnalysisKind(models.TextChoices):
    SWOT = "swot", pgettext_lazy("analysis", "SWOT")
    PEST = "pest", pgettext_lazy("analysis", "PEST")


# The quadrants of each kind in the order of the 2×2 grid: (code, name, what goes there).
QUADRANTS: dict[str, tuple[tuple[str, object, object], ...]] = {
    AnalysisKind.SWOT: (
        ("S", pgettext_lazy("SWOT", "Strengths"), _("What the library does better than others")),
        ("W", pgettext_lazy("SWOT", "Weaknesses"), _("What holds the library back")),
        ("O", pgettext_lazy("SWOT", "Opportunities"), _("Outside chances the library can use")),
        ("T", pgettext_lazy("SWOT", "Threats"), _("Outside risks the library must meet")),
    ),
    AnalysisKind.PEST: (
        ("P", pgettext_lazy("PEST", "Political factors"), _("Laws, state programmes, local authorities")),
        ("E", pgettext_lazy("PEST", "Economic factors"), _("Funding, prices, incomes, employment")),
        ("S", pgettext_lazy("PEST", "Social factors"), _("Population, migration, reading habits, languages")),
        ("T", pgettext_lazy("PEST", "Technological factors"), _("Internet, devices, digital services")),
    ),
}


def quadrant_codes(kind: str) -> list[str]:
    return [code for code, _name, _hint in QUADRANTS.get(kind, ())]


def quadrant_name(kind: str, code: str) -> str:
    for quadrant, name, _hint in QUADRANTS.get(kind, ()):
        if quadrant == code:
            return str(name)
    return code


class EnvironmentAnalysis(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="environment_analyses", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    kind = models.CharField(pgettext_lazy("analysis", "kind"), max_length=4, choices=AnalysisKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("conclusions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("environment analysis")
        verbose_name_plural = _("environment analyses")
        ordering = ["-year", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="environment_analysis_unique")
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"{self.get_kind_display()} · {self.year}"

    @property
    def quadrants(self) -> tuple[tuple[str, object, object], ...]:
        return QUADRANTS.get(self.kind, ())


class AnalysisItem(models.Model):
    analysis = models.ForeignKey(
        EnvironmentAnalysis, on_delete=models.CASCADE, related_name="items", verbose_name=_("analysis")
    )
    quadrant = models.CharField(_("quadrant"), max_length=1)
    text = models.CharField(pgettext_lazy("analysis item", "factor"), max_length=500)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=3,
        validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT)],
        help_text=_("How much it matters, from 1 (little) to 5 (a great deal)."),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    indicator_code = models.CharField(
        _("reporting indicator"),
        max_length=40,
        blank=True,
        help_text=_("A figure of the reports that supports the item: its roll-up over the unit's subtree."),
    )
    indicator_year = models.PositiveSmallIntegerField(
        _("year of the figure"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    survey = models.ForeignKey(
        "marketing.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("item of an analysis")
        verbose_name_plural = _("items of an analysis")
        ordering = ["quadrant", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        errors = {}
        if self.analysis_id and self.quadrant not in quadrant_codes(self.analysis.kind):
            errors["quadrant"] = _("Choose one of the quadrants of the analysis.")
        if self.indicator_code and self.indicator_year is None:
            errors["indicator_year"] = _("Name the year of the figure.")
        if self.indicator_year is not None and not self.indicator_code:
            errors["indicator_code"] = _("Choose the indicator of the figure.")
        if errors:
            raise ValidationError(errors)
