"""Partners of the libraries: organisations, their people, agreements with them and the work done together.

- A `Partner` is an organisation (a school, a university, an akimat, a museum, a newspaper…) kept by the
  org unit that works with it (`unit`, scope); `libraries` names the libraries of the network that work
  with it as well. `PartnerContact` rows are its people.
- An `Agreement` is signed by our `unit` with a partner; its stored `status` is what people decide
  (draft, active, expired, terminated); "expiring" is derived: an active agreement that ends within
  `EXPIRING_DAYS`. Its changes are kept (simple-history) and shown on the card.
- A `JointActivity` is something done with a partner (an event, a campaign), optionally linked to an event
  of the network, with what each side gave.
- An `AgreementReminder` records that `metodist remind` told about an agreement ending on `ends_on`, so
  the mail goes once per agreement and end date (a prolonged agreement is reminded of again).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from metodist.core.models import TimeStampedModel
from metodist.network.models import OrgUnit

EXPIRING_DAYS = 30


class PartnerKind(models.TextChoices):
    SCHOOL = "school", pgettext_lazy("kind of partner", "school")
    COLLEGE = "college", pgettext_lazy("kind of partner", "college")
    UNIVERSITY = "university", pgettext_lazy("kind of partner", "university")
    AKIMAT = "akimat", pgettext_lazy("kind of partner", "akimat (local government)")
    NGO = "ngo", pgettext_lazy("kind of partner", "non-governmental organisation")
    MUSEUM = "museum", pgettext_lazy("kind of partner", "museum")
    BUSINESS = "business", pgettext_lazy("kind of partner", "business")
    MEDIA = "media", pgettext_lazy("kind of partner", "mass media")
    CULTURAL_CENTRE = (
        "cultural_centre",
        pgettext_lazy("kind of partner", "religious or ethnic-cultural centre"),
    )
    LIBRARY = "library", pgettext_lazy("kind of partner", "another library")
    OTHER = "other", pgettext_lazy("kind of partner", "other")


class Partner(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="marketing_partners", verbose_name=_("kept by")
    )
    name = models.CharField(pgettext_lazy("partner", "name"), max_length=300)
    kind = models.CharField(pgettext_lazy("partner", "kind"), max_length=20, choices=PartnerKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("note"), blank=True)
    libraries = models.ManyToManyField(
        OrgUnit, blank=True, related_name="partners_worked_with", verbose_name=_("libraries working with it")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="partner_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person of the partner organisation we deal with."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "draft")
    ACTIVE = "active", pgettext_lazy("agreement", "active")
    EXPIRED = "expired", pgettext_lazy("agreement", "expired")
    TERMINATED = "terminated", pgettext_lazy("agreement", "terminated")


# The state shown to people: the stored status, with "expiring" and "expired" derived from the term.
EXPIRING = "expiring"
STATE_LABELS = {
    **dict(AgreementStatus.choices),
    EXPIRING: pgettext_lazy("agreement", "expiring"),
}


class Agreement(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="partner_agreements", verbose_name=_("our side")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    number = models.CharField(pgettext_lazy("agreement", "number"), max_length=60)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid to"), null=True, blank=True)
    subject = models.TextField(_("subject"))
    status = models.CharField(
        pgettext_lazy("agreement", "status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.ACTIVE,
        db_index=True,
    )
    file = models.FileField(_("file"), upload_to="marketing/agreements/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="partner_agreement_number_per_unit"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} · {self.partner}"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The agreement ends before it starts.")
        if self.signed_on and self.ends_on and self.ends_on < self.signed_on:
            errors["ends_on"] = _("The agreement ends before it was signed.")
        if errors:
            raise ValidationError(errors)

    def state(self, today: datetime.date) -> str:
        """The stored status, or for an active one: expired after its end, expiring within 30 days."""
        if self.status != AgreementStatus.ACTIVE or self.ends_on is None:
            return self.status
        if self.ends_on < today:
            return AgreementStatus.EXPIRED
        if self.ends_on <= today + datetime.timedelta(days=EXPIRING_DAYS):
            return EXPIRING
        return AgreementStatus.ACTIVE

    def days_left(self, today: datetime.date) -> int | None:
        return (self.ends_on - today).days if self.ends_on else None


class JointActivity(TimeStampedModel):
    """Something done together with a partner: an event, a campaign, a donation of books."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="partner_activities", verbose_name=_("our side")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="activities", verbose_name=_("partner")
    )
    date = models.DateField(_("date"))
    title = models.CharField(pgettext_lazy("joint activity", "title"), max_length=300)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_activities",
        verbose_name=_("event"),
    )
    our_contribution = models.TextField(_("what we gave"), blank=True)
    partner_contribution = models.TextField(_("what the partner gave"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class AgreementReminder(models.Model):
    """`metodist remind` told about this agreement ending on `ends_on` (once per agreement and end)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    ends_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "ends_on"], name="agreement_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.ends_on}"
