"""Methodological assistance: the shared list of directions of work and the consultations given.

A consultation belongs to the unit of its consultant (`consultant_unit`, which decides who may change it)
and is visible as well to whoever sees the unit that was helped (`to_unit`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metodist.core.models import TimeStampedModel, translated
from metodist.network.models import OrgUnit

MAX_PEOPLE = 10_000


class Direction(models.Model):
    """A direction of work (cataloguing, local history, online centres…) that classifies assistance."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("direction of work")
        verbose_name_plural = _("directions of work")
        ordering = ["order", "name_ru"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class ConsultationKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group")


class ConsultationMode(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    PHONE = "phone", _("by phone")
    ONLINE = "online", _("online")
    WRITTEN = "written", _("in writing")


class Consultation(TimeStampedModel):
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_given",
        verbose_name=_("consultant"),
    )
    consultant_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="consultations_given",
        verbose_name=_("consultant's unit"),
    )
    to_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations_received",
        verbose_name=_("unit consulted"),
    )
    to_department = models.CharField(_("department"), max_length=300, blank=True)
    to_people = models.CharField(_("people consulted"), max_length=500, blank=True)
    form = models.CharField(
        _("individual or group"),
        max_length=20,
        choices=ConsultationKind.choices,
        default=ConsultationKind.INDIVIDUAL,
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=ConsultationMode.choices, default=ConsultationMode.PHONE
    )
    directions = models.ManyToManyField(
        Direction, blank=True, related_name="consultations", verbose_name=_("directions of work")
    )
    topic = models.CharField(_("topic"), max_length=500)
    people_count = models.PositiveIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)],
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration, minutes"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    result = models.TextField(_("result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords(m2m_fields=[directions])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["consultant_unit", "date"]), models.Index(fields=["to_unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} · {self.topic}"

    def clean(self) -> None:
        if self.form == ConsultationKind.INDIVIDUAL and self.people_count and self.people_count > 1:
            raise ValidationError(
                {"people_count": _("An individual consultation is given to one person; choose “group”.")}
            )
        if not self.to_unit_id and not self.to_department.strip() and not self.to_people.strip():
            raise ValidationError({"to_unit": _("Say whom the consultation was given to.")})


# --- field visits and recommendations -----------------------------------------------------------------
#
# A visit belongs to its organiser unit (who may change it) and is visible as well to whoever sees one of
# its destination units. A recommendation belongs to the unit that issued it (`issuer_unit`, the visit's
# organiser) and is visible as well to the unit that must act, which answers it.


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class FieldVisit(TimeStampedModel):
    start = models.DateField(_("start"), db_index=True)
    end = models.DateField(_("end"))
    organiser_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="visits_organised", verbose_name=_("organiser unit")
    )
    destinations = models.ManyToManyField(
        OrgUnit, related_name="visits_received", verbose_name=_("destination units")
    )
    purpose = models.TextField(_("purpose"))
    team = models.CharField(_("team"), max_length=500, blank=True)
    transport = models.CharField(_("transport"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    people_met = models.TextField(_("people met"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords(m2m_fields=[destinations])

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.start:%d.%m.%Y} · {self.purpose[:80]}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The visit ends before it starts.")})


class VisitFinding(models.Model):
    """What was checked and found in one direction of work at one destination unit."""

    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("field visit")
    )
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="+", verbose_name=_("direction of work")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    text = models.TextField(_("findings"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["direction__order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Recommendation(TimeStampedModel):
    visit = models.ForeignKey(
        FieldVisit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("field visit"),
    )
    issuer_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="recommendations_issued", verbose_name=_("issued by")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations_issued",
        verbose_name=_("author"),
    )
    text = models.TextField(_("recommendation"))
    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("direction of work"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("unit that must act"),
    )
    due = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    # When `metodist remind` told both sides it is overdue: they are told once.
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["issuer_unit", "status"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored: past its due date and not done."""
        return self.status != RecommendationStatus.DONE and self.due < timezone.localdate()
