"""Services and promotion, PR and image: the catalogue of library services, promotion campaigns, media
mentions and press releases.

- A `LibraryService` belongs to the unit that keeps its card (scope) and names the libraries that offer
  it (`offered_by`); free or paid (a price in tenge); its usage may be read from a reporting indicator.
- A `PromotionCampaign` promotes services to a target group through channels over a period, with its
  materials (`CampaignMaterial` files), planned and actual reach and the result.
- A `MediaMention` is one publication about the library network in an outlet (TV, radio, print, web, a
  social network), with its tone and estimated reach, optionally about an event or a service.
- A `PressRelease` is an editable text made from an event's news report.

Several choices at once (target groups, channels) are kept as ",code,code," in a short text column, so
"has this code" is one `contains` lookup on every database (SQLite has no JSON `contains`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from metodist.core.models import TimeStampedModel, translated
from metodist.network.models import OrgUnit

MAX_REACH = 100_000_000
PRICE_LIMIT = 10_000_000


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("children")
    TEENAGERS = "teenagers", _("teenagers")
    YOUTH = "youth", _("young people")
    ADULTS = "adults", _("adults")
    SENIORS = "seniors", _("senior citizens")
    DISABLED = "disabled", _("people with disabilities")
    FAMILIES = "families", _("families")
    PROFESSIONALS = "professionals", _("teachers and specialists")


class ServiceChannel(models.TextChoices):
    IN_LIBRARY = "in_library", _("in the library")
    REMOTE = "remote", _("remote")
    OUTREACH = "outreach", _("outreach (outside the library)")


class PromotionChannel(models.TextChoices):
    PRINT = "print", pgettext_lazy("promotion channel", "print")
    RADIO = "radio", pgettext_lazy("promotion channel", "radio")
    TV = "tv", pgettext_lazy("promotion channel", "TV")
    WEBSITE = "website", pgettext_lazy("promotion channel", "website")
    SOCIAL = "social", pgettext_lazy("promotion channel", "social networks")
    MESSENGERS = "messengers", pgettext_lazy("promotion channel", "messengers")
    OUTDOOR = "outdoor", pgettext_lazy("promotion channel", "outdoor advertising")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("campaign", "planned")
    RUNNING = "running", pgettext_lazy("campaign", "running")
    FINISHED = "finished", pgettext_lazy("campaign", "finished")
    CANCELLED = "cancelled", pgettext_lazy("campaign", "cancelled")


class MentionKind(models.TextChoices):
    TV = "tv", pgettext_lazy("media kind", "TV")
    RADIO = "radio", pgettext_lazy("media kind", "radio")
    PRINT = "print", pgettext_lazy("media kind", "print")
    WEB = "web", pgettext_lazy("media kind", "web")
    SOCIAL = "social", pgettext_lazy("media kind", "social network")


class Tone(models.TextChoices):
    POSITIVE = "positive", pgettext_lazy("tone", "positive")
    NEUTRAL = "neutral", pgettext_lazy("tone", "neutral")
    NEGATIVE = "negative", pgettext_lazy("tone", "negative")


def codes_to_text(codes) -> str:
    """[a, b] → ",a,b," (empty list → "")."""
    codes = [c for c in dict.fromkeys(codes) if c]
    return f",{','.join(codes)}," if codes else ""


def text_to_codes(text: str) -> list[str]:
    return [c for c in (text or "").split(",") if c]


def has_code(field: str, code: str) -> models.Q:
    return models.Q(**{f"{field}__contains": f",{code},"})


def _check_codes(text: str, choices, field: str) -> None:
    unknown = [c for c in text_to_codes(text) if c not in choices.values]
    if unknown:
        raise ValidationError({field: _("Unknown choice: %(value)s.") % {"value": ", ".join(unknown)}})


def _labels(text: str, choices) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels[c]) for c in text_to_codes(text) if c in labels]


http_url = URLValidator(
    schemes=["http", "https"], message=_("Enter an address starting with http:// or https://.")
)


class LibraryService(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="library_services", verbose_name=_("card kept by")
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    is_paid = models.BooleanField(_("paid"), default=False)
    price = models.DecimalField(
        _("price, tenge"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(PRICE_LIMIT)],
    )
    price_note = models.CharField(
        _("price per"), max_length=100, blank=True, help_text=_("For example: per page; per hour.")
    )
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    channel = models.CharField(
        _("how it is delivered"),
        max_length=12,
        choices=ServiceChannel.choices,
        default=ServiceChannel.IN_LIBRARY,
    )
    offered_by = models.ManyToManyField(
        OrgUnit, blank=True, related_name="offered_services", verbose_name=_("offered by")
    )
    indicator = models.ForeignKey(
        "reporting.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usage indicator"),
        help_text=_("The reporting indicator that counts the use of this service, if there is one."),
    )
    is_active = models.BooleanField(_("offered now"), default=True)

    class Meta:
        verbose_name = _("library service")
        verbose_name_plural = _("library services")
        ordering = ["name_ru", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def target_group_list(self) -> list[str]:
        return text_to_codes(self.target_groups)

    @property
    def target_group_labels(self) -> list[str]:
        return _labels(self.target_groups, TargetGroup)

    def clean(self) -> None:
        _check_codes(self.target_groups, TargetGroup, "target_groups")
        if self.is_paid and not self.price:
            raise ValidationError({"price": _("A paid service needs its price.")})
        if not self.is_paid and self.price:
            raise ValidationError({"price": _("A free service has no price.")})


class PromotionCampaign(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="promotion_campaigns", verbose_name=_("run by")
    )
    title = models.CharField(_("title"), max_length=300)
    services = models.ManyToManyField(
        LibraryService, blank=True, related_name="campaigns", verbose_name=_("services promoted")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices, blank=True)
    channels = models.CharField(_("channels"), max_length=300, blank=True)
    materials_text = models.TextField(
        _("materials"), blank=True, help_text=_("Posters, leaflets, videos, posts: what was prepared.")
    )
    reach_planned = models.PositiveIntegerField(
        _("planned reach"), null=True, blank=True, validators=[MaxValueValidator(MAX_REACH)]
    )
    reach_actual = models.PositiveIntegerField(
        _("actual reach"), null=True, blank=True, validators=[MaxValueValidator(MAX_REACH)]
    )
    result = models.TextField(_("result"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.PLANNED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("promotion campaign")
        verbose_name_plural = _("promotion campaigns")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def channel_list(self) -> list[str]:
        return text_to_codes(self.channels)

    @property
    def channel_labels(self) -> list[str]:
        return _labels(self.channels, PromotionChannel)

    def clean(self) -> None:
        _check_codes(self.channels, PromotionChannel, "channels")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})


def material_path(instance: "CampaignMaterial", filename: str) -> str:
    return f"marketing/campaigns/{instance.campaign_id}/{filename}"


class CampaignMaterial(TimeStampedModel):
    campaign = models.ForeignKey(
        PromotionCampaign, on_delete=models.CASCADE, related_name="materials", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)

    class Meta:
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]


class MediaMention(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="media_mentions", verbose_name=_("about the library")
    )
    date = models.DateField(_("date"), db_index=True)
    outlet = models.CharField(_("media outlet"), max_length=200)
    kind = models.CharField(_("kind of media"), max_length=10, choices=MentionKind.choices)
    title = models.CharField(_("title"), max_length=500)
    url = models.CharField(_("link"), max_length=1000, blank=True, validators=[http_url])
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, default=Tone.POSITIVE)
    reach = models.PositiveIntegerField(
        _("estimated reach"), null=True, blank=True, validators=[MaxValueValidator(MAX_REACH)]
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_mentions",
        verbose_name=_("event"),
    )
    service = models.ForeignKey(
        LibraryService,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("service"),
    )
    campaign = models.ForeignKey(
        PromotionCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("campaign"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("media mention")
        verbose_name_plural = _("media mentions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return self.title


class PressRelease(TimeStampedModel):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="press_releases", verbose_name=_("issued by")
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="press_releases",
        verbose_name=_("event"),
    )
    campaign = models.ForeignKey(
        PromotionCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="press_releases",
        verbose_name=_("campaign"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[("ru", "Русский"), ("kk", "Қазақша")], default="ru"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
