"""Events of the network (trainings for librarians and public mass events) and the catalogue of forms of work.

The card follows the seed: what, form of work, when, where, organiser, audience, planned and actual number of
participants, goal, expected result, outcome, the programme of sections (speaker and topic), handouts.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metodist.core.models import TimeStampedModel, translated
from metodist.network.models import OrgUnit, StaffMember

MAX_PARTICIPANTS = 100_000
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def new_token() -> str:
    return secrets.token_urlsafe(24)


class EventFamily(models.TextChoices):
    TRAINING = "training", _("training for librarians")
    PUBLIC = "public", _("public event")
    OPENING = "opening", _("opening")


class FormOfWork(TimeStampedModel):
    """A form of work from the catalogue "New forms of mass work in libraries" (bibliodesant, quest…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    family = models.CharField(
        _("usual family"), max_length=12, choices=EventFamily.choices, default=EventFamily.PUBLIC
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_ru = models.TextField(_("short description (Russian)"), blank=True)
    summary_kk = models.TextField(_("short description (Kazakh)"), blank=True)
    summary_en = models.TextField(_("short description (English)"), blank=True)
    description_ru = models.TextField(_("full description (Russian)"), blank=True)
    description_kk = models.TextField(_("full description (Kazakh)"), blank=True)
    description_en = models.TextField(_("full description (English)"), blank=True)
    audiences_ru = models.TextField(_("for whom (Russian)"), blank=True)
    audiences_kk = models.TextField(_("for whom (Kazakh)"), blank=True)
    audiences_en = models.TextField(_("for whom (English)"), blank=True)
    goals_ru = models.TextField(_("goals (Russian)"), blank=True)
    goals_kk = models.TextField(_("goals (Kazakh)"), blank=True)
    goals_en = models.TextField(_("goals (English)"), blank=True)
    preparation_ru = models.TextField(_("how to prepare (Russian)"), blank=True)
    preparation_kk = models.TextField(_("how to prepare (Kazakh)"), blank=True)
    preparation_en = models.TextField(_("how to prepare (English)"), blank=True)
    conduct_ru = models.TextField(_("how to run it (Russian)"), blank=True)
    conduct_kk = models.TextField(_("how to run it (Kazakh)"), blank=True)
    conduct_en = models.TextField(_("how to run it (English)"), blank=True)
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related forms"))
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        verbose_name = _("form of work")
        verbose_name_plural = _("forms of work")
        ordering = ["name_ru"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    def text(self, field: str, language: str | None = None) -> str:
        return translated(self, field, language)


class FormScenario(TimeStampedModel):
    """An example scenario or material for a form of work."""

    form = models.ForeignKey(FormOfWork, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ru")
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="forms/scenarios/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "doc", "odt", "pptx", "txt"])],
    )

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Event(TimeStampedModel):
    """An event of the network; it belongs to its organiser's unit, and scope follows that unit."""

    title = models.CharField(_("title"), max_length=300)
    form = models.ForeignKey(
        FormOfWork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("form of work"),
    )
    family = models.CharField(
        _("family"), max_length=12, choices=EventFamily.choices, default=EventFamily.TRAINING
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    organiser_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="organised_events", verbose_name=_("organiser")
    )
    venue_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("venue (a unit of the network)"),
    )
    venue_text = models.CharField(_("venue (other place)"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    responsible = models.ManyToManyField(
        StaffMember, blank=True, related_name="responsible_for_events", verbose_name=_("responsible people")
    )
    audience = models.CharField(
        _("audience"), max_length=300, blank=True, help_text=_("For example: rural librarians; pupils 10-14.")
    )
    participants_planned = models.PositiveIntegerField(
        _("planned participants"), null=True, blank=True, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    participants_actual = models.PositiveIntegerField(
        _("actual participants"), null=True, blank=True, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    participants_actual_manual = models.BooleanField(
        _("actual number entered by hand"),
        default=False,
        help_text=_("Otherwise the actual number follows the attendance list."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)],
        help_text=_("Places for public registration; beyond it people go to the waiting list."),
    )
    registration_open = models.BooleanField(_("public registration open"), default=False)
    hours = models.DecimalField(
        _("academic hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("Hours of a training counted in the participants' qualification records."),
    )
    goal = models.TextField(_("goal"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    assessment = models.TextField(_("assessment against the goal"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    report_ru = models.TextField(_("published report (Russian)"), blank=True)
    report_kk = models.TextField(_("published report (Kazakh)"), blank=True)
    # The generated text the published report was last made from: a differing report means a hand edit.
    report_ru_generated = models.TextField(blank=True, editable=False)
    report_kk_generated = models.TextField(blank=True, editable=False)
    public_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["report_ru_generated", "report_kk_generated"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["organiser_unit", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:event_detail", args=[self.pk])

    @property
    def venue(self) -> str:
        return self.venue_unit.name if self.venue_unit_id else self.venue_text

    def clean(self) -> None:
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        if not self.venue_unit_id and not self.venue_text.strip():
            errors["venue_text"] = _("Choose a unit of the network as the venue or name the place.")
        if errors:
            raise ValidationError(errors)

    def capacity_warning(self) -> str:
        """A warning (not an error) when the actual number is far above capacity or plan."""
        limit = self.capacity or self.participants_planned
        if not (limit and self.participants_actual and self.participants_actual > 2 * limit):
            return ""
        if self.capacity:
            return _("The actual number of participants is more than twice the capacity.")
        return _("The actual number of participants is more than twice the planned number.")


class EventSection(models.Model):
    """A section of the programme: a speaker and a topic."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speaker_staff = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("speaker (staff member)"),
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker_position = models.CharField(_("speaker's position"), max_length=300, blank=True)
    speaker_unit = models.CharField(_("speaker's unit"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("section of the programme")
        verbose_name_plural = _("programme")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def speaker_name(self) -> str:
        return self.speaker or (self.speaker_staff.full_name if self.speaker_staff_id else "")


class Handout(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="handouts")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="events/handouts/%Y/", blank=True)

    class Meta:
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class EventFileKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    FILE = "file", _("file")


class EventFile(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(
        _("kind"), max_length=8, choices=EventFileKind.choices, default=EventFileKind.PHOTO
    )
    file = models.FileField(_("file"), upload_to="events/files/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("photo or file")
        verbose_name_plural = _("photos and files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    REGISTERED = "registered", _("registered")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


# Statuses that hold a place at the event.
HOLDS_PLACE = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED, ParticipantStatus.REGISTERED)


class Participant(TimeStampedModel):
    """An invitee or a registered person; `attended` is the attendance mark."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    staff_member = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("staff member"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    # Lower-cased e-mail or digits of the phone: one registration per contact and event.
    contact_key = models.CharField(max_length=200, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ParticipantStatus.choices)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=~models.Q(contact_key=""),
                name="participant_one_per_contact",
            ),
            models.UniqueConstraint(
                fields=["event", "staff_member"],
                condition=models.Q(staff_member__isnull=False),
                name="participant_one_per_staff_member",
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="certificate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class CalendarFeed(models.Model):
    """A private iCal link of a user for the events of a unit's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="calendar_feed_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit}"
