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
