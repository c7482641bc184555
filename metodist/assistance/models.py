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
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("consultation"),
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
    follow_up = models.TextField(_("follow-up"), blank=True)
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


class RecommendationFile(TimeStampedModel):
    """Evidence the unit attached to its answer (a photo, a scan, a document)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="files", verbose_name=_("recommendation")
    )
    file = models.FileField(_("file"), upload_to="assistance/recommendations/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class VisitPhoto(TimeStampedModel):
    """A photo (or another file) from a field visit."""

    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("field visit")
    )
    file = models.FileField(_("file"), upload_to="assistance/visits/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("photo of a visit")
        verbose_name_plural = _("photos of a visit")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


# --- correspondence log ---------------------------------------------------------------------------------
#
# An entry belongs to the unit that keeps the log (`owner_unit`, usually the methodological department),
# which may change it, and is visible as well to whoever sees the counterpart unit.


class LetterDirection(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")


class LetterChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    MESSENGER = "messenger", _("messenger")
    LETTER = "letter", _("letter")
    SYSTEM = "system", _("system message")


class Letter(TimeStampedModel):
    owner_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="letters_kept", verbose_name=_("log of")
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters_handled",
        verbose_name=_("handled by"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=LetterDirection.choices)
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    counterpart_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters_exchanged",
        verbose_name=_("counterpart unit"),
    )
    counterpart_name = models.CharField(_("outside organisation or person"), max_length=300, blank=True)
    channel = models.CharField(
        _("channel"), max_length=12, choices=LetterChannel.choices, default=LetterChannel.EMAIL
    )
    subject = models.CharField(_("subject"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True, db_index=True)
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # Set when a reply is recorded (or a person marks that none is needed): the entry no longer waits.
    closed_at = models.DateTimeField(_("reply given"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("correspondence")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["owner_unit", "date"]),
            models.Index(fields=["counterpart_unit", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} · {self.subject[:80]}"

    def clean(self) -> None:
        if not self.counterpart_unit_id and not self.counterpart_name.strip():
            raise ValidationError({"counterpart_unit": _("Say who wrote or was written to.")})
        if self.reply_due and self.date and self.reply_due < self.date:
            raise ValidationError({"reply_due": _("The reply cannot be due before the letter's date.")})

    @property
    def is_overdue(self) -> bool:
        return bool(self.reply_due and not self.closed_at and self.reply_due < timezone.localdate())


class LetterFile(TimeStampedModel):
    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="files", verbose_name=_("letter")
    )
    file = models.FileField(_("file"), upload_to="assistance/letters/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


# --- methodological materials ---------------------------------------------------------------------------
#
# A material belongs to the unit that published it and is read by the whole part of the network below
# that unit (materials flow down the tree) as well as by whoever sees the unit itself.


class MaterialType(models.TextChoices):
    RECOMMENDATION = "recommendation", _("methodological recommendation")
    SCENARIO = "scenario", _("scenario")
    GUIDE = "guide", _("guide")
    REGULATION = "regulation", _("regulation")
    PROGRAMME = "programme", _("programme")
    INVITATION = "invitation", _("invitation template")
    BOOKLET = "booklet", _("booklet")
    PRESENTATION = "presentation", _("presentation")
    REPORT = "report", _("report")


class MaterialLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    KAZAKH = "kk", _("Kazakh")
    BOTH = "kk_ru", _("Kazakh and Russian")
    ENGLISH = "en", _("English")


class Material(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="materials", verbose_name=_("published by")
    )
    type = models.CharField(_("type"), max_length=20, choices=MaterialType.choices)
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=MaterialLanguage.choices, default=MaterialLanguage.RUSSIAN
    )
    directions = models.ManyToManyField(
        Direction, blank=True, related_name="materials", verbose_name=_("directions of work")
    )
    forms_of_work = models.ManyToManyField(
        "events.FormOfWork", blank=True, related_name="materials", verbose_name=_("forms of work")
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to="assistance/materials/%Y/", blank=True)
    file_type = models.CharField(_("file type"), max_length=8, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True, editable=False)
    # The text taken from the file, and the words of title, description and text reduced to their
    # dictionary forms: the full-text index (FTS5 on SQLite, tsvector on PostgreSQL) is built over it.
    text = models.TextField(_("text of the file"), blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    downloads = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="materials", verbose_name=_("used at events")
    )
    visits = models.ManyToManyField(
        FieldVisit, blank=True, related_name="materials", verbose_name=_("used on field visits")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["text", "search_text", "downloads"])

    class Meta:
        verbose_name = _("methodological material")
        verbose_name_plural = _("methodological materials")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self) -> str:
        return self.title


# --- best practices -------------------------------------------------------------------------------------
#
# A practice belongs to the library that does it. Practices recommended for the network are read by
# everyone who has a part of the network; the others by whoever sees the library.


class PracticeStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    STUDIED = "studied", _("studied")
    GENERALISED = "generalised", _("generalised")
    RECOMMENDED = "recommended", _("recommended for the network")


class Practice(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="practices", verbose_name=_("library")
    )
    title = models.CharField(_("title"), max_length=500)
    problem = models.TextField(_("problem"))
    actions = models.TextField(_("what was done"))
    results = models.TextField(_("results"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    directions = models.ManyToManyField(
        Direction, blank=True, related_name="practices", verbose_name=_("directions of work")
    )
    forms_of_work = models.ManyToManyField(
        "events.FormOfWork", blank=True, related_name="practices", verbose_name=_("forms of work")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PracticeStatus.choices, default=PracticeStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[directions])

    class Meta:
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class PracticeFigure(models.Model):
    """A measured result of a practice: what a figure was before and after."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("figure"), max_length=300)
    before = models.DecimalField(_("before"), max_digits=14, decimal_places=2, null=True, blank=True)
    after = models.DecimalField(_("after"), max_digits=14, decimal_places=2)
    measure = models.CharField(_("unit of measure"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("result figure")
        verbose_name_plural = _("result figures")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class PracticeFile(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="assistance/practices/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class PracticeAdoption(TimeStampedModel):
    """A library took a practice over: when, and with what result."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("practice")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="practices_adopted", verbose_name=_("library")
    )
    adopted_on = models.DateField(_("adopted on"))
    result = models.TextField(_("result"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-adopted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "unit"], name="practice_adopted_once")]

    def __str__(self) -> str:
        return f"{self.practice} · {self.unit}"


# --- coordination with libraries of other departments ---------------------------------------------------


class CoordinationAgreement(TimeStampedModel):
    """An agreement of the regional library with a library of another department (a college, a school)."""

    owner_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="coordination_agreements", verbose_name=_("our side")
    )
    partner_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="coordination_agreements_as_partner",
        verbose_name=_("partner library"),
    )
    number = models.CharField(_("number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    subject = models.TextField(_("subject"))
    joint_plan = models.TextField(_("joint plan"), blank=True)
    file = models.FileField(_("file"), upload_to="assistance/agreements/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coordination agreement")
        verbose_name_plural = _("coordination agreements")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"№ {self.number} · {self.partner_unit}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The agreement ends before it starts.")})

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# --- the annual plan ------------------------------------------------------------------------------------
#
# One plan per unit and year. An item plans a number of records of one kind (events of a form, trainings,
# field visits, consultations, materials) in a month, a quarter or the whole year, under a direction of
# work; the fact is counted from the records themselves, never typed in.


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class PlanItemKind(models.TextChoices):
    EVENT = "event", _("public events")
    TRAINING = "training", _("trainings for librarians")
    VISIT = "visit", _("field visits")
    CONSULTATION = "consultation", _("consultations")
    MATERIAL = "material", _("materials to publish")


class Plan(TimeStampedModel):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_and_year")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("direction of work"),
    )
    kind = models.CharField(_("what"), max_length=14, choices=PlanItemKind.choices)
    form_of_work = models.ForeignKey(
        "events.FormOfWork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form of work"),
    )
    title = models.CharField(_("named item"), max_length=500, blank=True)
    # When: a month (1–12), else a quarter (1–4), else the whole year.
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due = models.DateField(_("date"), null=True, blank=True)
    target = models.PositiveIntegerField(_("target"), default=1, validators=[MinValueValidator(1)])
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def clean(self) -> None:
        if self.month and self.quarter and (self.month - 1) // 3 + 1 != self.quarter:
            raise ValidationError({"quarter": _("The month is not in this quarter.")})
        if self.form_of_work_id and self.kind not in (PlanItemKind.EVENT, PlanItemKind.TRAINING):
            raise ValidationError(
                {"form_of_work": _("A form of work is planned only for events and trainings.")}
            )
