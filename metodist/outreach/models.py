"""Outreach projects and Knigonosha, the home delivery of books.

A project (Knigonosha, Orange windows, a city social project the library takes part in) belongs to its
organising library (`unit`, whose `manage_outreach` changes it) and is visible as well to whoever sees one of
its participating libraries. Its indicators hold a target and an actual figure; the actual of a Knigonosha
indicator is counted from the deliveries, never typed in.

Knigonosha: a home reader belongs to their library; a volunteer (книгоноша) to a library too, and may be a
user. A delivery brings items (one row per book: `DeliveryItem`) and takes back items brought earlier, so
what a reader has at home now is "brought in a delivery that took place, not yet returned in one", a
query. The personal data of readers is read only by the library's own staff and the reader's volunteer
(`metodist.outreach.selectors`), and every look at a reader's card is written to `ReaderViewLog`.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from metodist.core.models import TimeStampedModel
from metodist.network.models import OrgUnit, ServiceLanguage

# --- projects -------------------------------------------------------------------------------------------


class ProjectKind(models.TextChoices):
    LIBRARY = "library", _("project of the library")
    HOME_DELIVERY = "home_delivery", _("home delivery of books")
    CITY_SOCIAL = "city_social", _("city social project")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("outreach project", "planned")
    ACTIVE = "active", pgettext_lazy("outreach project", "under way")
    COMPLETED = "completed", pgettext_lazy("outreach project", "completed")
    SUSPENDED = "suspended", pgettext_lazy("outreach project", "suspended")


class Project(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="outreach_projects",
        verbose_name=_("organising library"),
    )
    name = models.CharField(_("name of the project"), max_length=300)
    kind = models.CharField(_("kind of project"), max_length=20, choices=ProjectKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    goal = models.TextField(_("goal"))
    description = models.TextField(_("what is done"), blank=True)
    initiator = models.CharField(
        _("initiator"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who runs the project when the library takes part in someone else's, e.g. the city akimat."
        ),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    participants = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="outreach_projects_joined",
        verbose_name=_("participating libraries"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outreach project")
        verbose_name_plural = _("outreach projects")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outreach:project_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The project ends before it starts.")})


class ProjectPartner(models.Model):
    """A partner of a project: an organisation named as text (the marketing partners are kept elsewhere)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("partner"), max_length=300)
    contribution = models.CharField(_("contribution"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    READERS = "readers", _("readers served at home (counted)")
    DELIVERIES = "deliveries", _("home deliveries made (counted)")
    ITEMS = "items", _("items delivered to readers' homes (counted)")


class ProjectIndicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    source = models.CharField(
        _("where the actual comes from"),
        max_length=20,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
    )

    class Meta:
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_counted(self) -> bool:
        return self.source != IndicatorSource.MANUAL


class ProjectFile(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="outreach/projects/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("project file")
        verbose_name_plural = _("project files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]


# --- Knigonosha -----------------------------------------------------------------------------------------


class Volunteer(TimeStampedModel):
    """A volunteer who carries books to readers' homes (книгоноша); may log in as `user`."""

    library = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="outreach_volunteers", verbose_name=_("library")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_volunteers",
        verbose_name=_("login"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "user"],
                condition=models.Q(user__isnull=False),
                name="outreach_volunteer_user_once_per_library",
                violation_error_message=_("This login is already a volunteer of the library."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class ReaderReason(models.TextChoices):
    DISABILITY = "disability", _("disability")
    OLD_AGE = "old_age", _("old age")
    ILLNESS = "illness", _("long illness")
    CARE = "care", _("cares for a family member")
    OTHER = "other", pgettext_lazy("reason", "other")


class HomeReader(TimeStampedModel):
    """A reader who cannot come to the library and is served at home. Personal data: see the module."""

    library = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="home_readers", verbose_name=_("library")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    reason = models.CharField(_("why they cannot come"), max_length=20, choices=ReaderReason.choices)
    reason_note = models.CharField(_("about the reason"), max_length=300, blank=True)
    interests = models.TextField(_("interests"), blank=True)
    genres = models.CharField(_("preferred genres"), max_length=300, blank=True)
    languages = models.JSONField(_("languages of reading"), default=list, blank=True)
    consent_given_on = models.DateField(
        _("consent to the processing of personal data given on"),
        help_text=_("No consent, no record: the reader signs the consent before their data is entered."),
    )
    consent_note = models.CharField(
        _("consent document"),
        max_length=200,
        blank=True,
        help_text=_("Where the signed consent is kept, e.g. its number in the register."),
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readers",
        verbose_name=_("volunteer"),
    )
    served_since = models.DateField(_("served at home since"), default=timezone.localdate)
    stopped_on = models.DateField(_("no longer served since"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("home reader")
        verbose_name_plural = _("home readers")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.initials

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outreach:reader_detail", args=[self.pk])

    @property
    def initials(self) -> str:
        """«Жакупова Гульнар Касымовна» → «Ж. Г. К.»: what is shown to whoever may not read the name."""
        return " ".join(f"{part[0]}." for part in self.full_name.split() if part[:1].isalpha())

    @property
    def is_served(self) -> bool:
        return self.stopped_on is None or self.stopped_on > timezone.localdate()

    def language_labels(self) -> list[str]:
        labels = dict(ServiceLanguage.choices)
        return [str(labels[code]) for code in self.languages if code in labels]

    def clean(self) -> None:
        errors = {}
        if self.consent_given_on and self.consent_given_on > timezone.localdate():
            errors["consent_given_on"] = _("The consent cannot be dated in the future.")
        if self.served_since and self.stopped_on and self.stopped_on < self.served_since:
            errors["stopped_on"] = _("The service cannot stop before it starts.")
        if self.volunteer_id and self.library_id and self.volunteer.library_id != self.library_id:
            errors["volunteer"] = _("Choose a volunteer of the reader's library.")
        self.languages = [code for code in self.languages or [] if code in ServiceLanguage.values]
        if errors:
            raise ValidationError(errors)


class ReaderViewLog(models.Model):
    """Somebody looked at a reader's card (the page or the API): who, when, which reader."""

    reader = models.ForeignKey(HomeReader, on_delete=models.CASCADE, related_name="view_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    viewed_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("where"), max_length=10, default="page")

    class Meta:
        verbose_name = _("view of a reader's card")
        verbose_name_plural = _("views of readers' cards")
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.viewed_at:%Y-%m-%d %H:%M} · {self.user_id} · {self.reader_id}"


class ScheduleRule(models.TextChoices):
    WEEKS = "weeks", _("every N weeks on the weekday")
    MONTH = "month", _("the N-th weekday of every month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


LAST_IN_MONTH = 5  # `every` of a monthly rule: the last such weekday of the month


def schedule_dates(
    *,
    rule: str,
    weekday: int,
    every: int,
    starts_on: datetime.date,
    first: datetime.date,
    last: datetime.date,
    ends_on: datetime.date | None = None,
) -> list[datetime.date]:
    """The days of a rule between `first` and `last` (inclusive), never before `starts_on` or after `ends_on`.

    WEEKS: the first `weekday` on or after `starts_on`, then every `every` weeks ("every second Tuesday" is
    every=2). MONTH: the `every`-th `weekday` of each month (5: the last one), e.g. the second Tuesday.
    """
    first = max(first, starts_on)
    if ends_on is not None:
        last = min(last, ends_on)
    if last < first or every < 1:
        return []
    if rule == ScheduleRule.WEEKS:
        day = starts_on + datetime.timedelta(days=(weekday - starts_on.weekday()) % 7)
        step = datetime.timedelta(weeks=every)
        if day < first:
            day += step * (-(-(first - day).days // step.days))
        dates = []
        while day <= last:
            dates.append(day)
            day += step
        return dates
    dates = []
    year, month = first.year, first.month
    while datetime.date(year, month, 1) <= last:
        weeks = [w[weekday] for w in calendar.monthcalendar(year, month) if w[weekday]]
        number = weeks[-1] if every >= LAST_IN_MONTH else (weeks[every - 1] if every <= len(weeks) else None)
        if number is not None:
            day = datetime.date(year, month, number)
            if first <= day <= last:
                dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


class DeliverySchedule(TimeStampedModel):
    """A round of a volunteer to one or several readers ("every second Tuesday"); plans the deliveries."""

    library = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="delivery_schedules", verbose_name=_("library")
    )
    name = models.CharField(_("name of the round"), max_length=200)
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("volunteer"),
        help_text=_("Empty: each reader's own volunteer."),
    )
    readers = models.ManyToManyField(HomeReader, related_name="schedules", verbose_name=_("readers"))
    rule = models.CharField(
        _("rule"), max_length=10, choices=ScheduleRule.choices, default=ScheduleRule.WEEKS
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY)
    every = models.PositiveSmallIntegerField(
        _("N"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("Every N weeks, or the N-th weekday of the month (5 means the last one)."),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delivery schedule")
        verbose_name_plural = _("delivery schedules")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The schedule ends before it starts.")
        if self.rule == ScheduleRule.MONTH and self.every and self.every > LAST_IN_MONTH:
            errors["every"] = _("A month has at most five such weekdays: use 1 to 4, or 5 for the last one.")
        if self.volunteer_id and self.library_id and self.volunteer.library_id != self.library_id:
            errors["volunteer"] = _("Choose a volunteer of the library.")
        if errors:
            raise ValidationError(errors)

    def rule_label(self) -> str:
        day = self.get_weekday_display()
        if self.rule == ScheduleRule.WEEKS:
            if self.every == 1:
                return gettext("every week on %(day)s") % {"day": day}
            return gettext("every %(n)s weeks on %(day)s") % {"n": self.every, "day": day}
        if self.every >= LAST_IN_MONTH:
            return gettext("every month: the last %(day)s") % {"day": day}
        return gettext("every month: %(day)s no. %(n)s of the month") % {"n": self.every, "day": day}

    def dates(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        return schedule_dates(
            rule=self.rule,
            weekday=self.weekday,
            every=self.every,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            first=first,
            last=last,
        )


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("delivery", "planned")
    DONE = "done", pgettext_lazy("delivery", "delivered")
    CANCELLED = "cancelled", pgettext_lazy("delivery", "did not take place")


class Delivery(TimeStampedModel):
    reader = models.ForeignKey(
        HomeReader, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("reader")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("volunteer"),
    )
    date = models.DateField(_("date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    schedule = models.ForeignKey(
        DeliverySchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("home delivery")
        verbose_name_plural = _("home deliveries")
        ordering = ["date", "id"]
        constraints = [
            # One visit a day per reader: a double submit or a schedule planned twice adds nothing.
            models.UniqueConstraint(fields=["reader", "date"], name="outreach_delivery_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} · {self.reader}"

    def clean(self) -> None:
        errors = {}
        if self.status == DeliveryStatus.DONE and self.date and self.date > timezone.localdate():
            errors["status"] = _("A delivery cannot be recorded as made before its day.")
        if self.volunteer_id and self.reader_id and self.volunteer.library_id != self.reader.library_id:
            errors["volunteer"] = _("Choose a volunteer of the reader's library.")
        if errors:
            raise ValidationError(errors)


class DeliveryItem(models.Model):
    """One book (or magazine, audiobook…) taken to a reader's home, and the delivery that took it back."""

    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    brought_in = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="items_brought", verbose_name=_("brought")
    )
    returned_in = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items_returned",
        verbose_name=_("returned"),
    )

    class Meta:
        verbose_name = _("delivered item")
        verbose_name_plural = _("delivered items")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.author}. {self.title}" if self.author else self.title
