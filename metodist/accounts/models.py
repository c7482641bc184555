"""Roles that users hold on org units, and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from metodist.network.models import OrgUnit


class RoleKind(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    METHODOLOGIST = "methodologist", _("methodologist")
    MARKETER = "marketer", _("marketing specialist")
    LIBRARIAN = "librarian", _("librarian")
    VOLUNTEER = "volunteer", _("volunteer")


class Capability(models.TextChoices):
    """What a role allows on the subtree of its unit. Later parts add their own."""

    VIEW = "view", _("see the records of the subtree")
    EDIT_CARD = "edit_card", _("edit the cards of units")
    MANAGE_UNITS = "manage_units", _("create, move and archive units")
    MANAGE_ROLES = "manage_roles", _("grant and revoke roles")
    MANAGE_EVENTS = "manage_events", _("plan and record events")
    MANAGE_ASSISTANCE = "manage_assistance", _("record consultations and methodological assistance")
    ENTER_REPORTS = "enter_reports", _("fill in and submit periodic reports")
    REVIEW_REPORTS = "review_reports", _("accept, return and reopen periodic reports")
    MANAGE_FORMS = "manage_forms", _("define indicators, report forms and validation rules")
    MANAGE_MARKETING = "manage_marketing", _("run surveys, keep partners, services, campaigns and PR")
    ENTER_RESPONSES = "enter_responses", _("enter paper questionnaires into surveys")
    MANAGE_OUTREACH = "manage_outreach", _("run outreach projects and home delivery of books")


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    RoleKind.ADMINISTRATOR: frozenset(Capability.values),
    RoleKind.METHODOLOGIST: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_CARD,
            Capability.MANAGE_UNITS,
            Capability.MANAGE_EVENTS,
            Capability.MANAGE_ASSISTANCE,
            Capability.ENTER_REPORTS,
            Capability.REVIEW_REPORTS,
            Capability.MANAGE_FORMS,
        }
    ),
    RoleKind.MARKETER: frozenset(
        {
            Capability.VIEW,
            Capability.MANAGE_EVENTS,
            Capability.MANAGE_MARKETING,
            Capability.ENTER_RESPONSES,
            Capability.MANAGE_OUTREACH,
        }
    ),
    RoleKind.LIBRARIAN: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_CARD,
            Capability.MANAGE_EVENTS,
            Capability.ENTER_REPORTS,
            Capability.ENTER_RESPONSES,
            Capability.MANAGE_OUTREACH,
        }
    ),
    # A volunteer sees only the deliveries assigned to them (outreach), not the registry.
    RoleKind.VOLUNTEER: frozenset(),
}


class Role(models.Model):
    """A user's role on an org unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="roles", verbose_name=_("unit"))
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "kind"], name="role_unique_per_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.unit}"

    @property
    def capabilities(self) -> frozenset[str]:
        return ROLE_CAPABILITIES[self.kind]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @classmethod
    def issue(cls, user, *, name: str = "") -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], digest=_digest(key))
        return token, key

    @classmethod
    def find_active(cls, key: str) -> "ApiToken | None":
        return (
            cls.objects.active()
            .select_related("user")
            .filter(digest=_digest(key), user__is_active=True)
            .first()
        )
