"""Building blocks shared by the models of every app."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def translated(obj, field: str, language: str | None = None) -> str:
    """The value of `<field>_<language>` for the active language, falling back to Russian.

    User content (names of units, indicators…) is stored once per interface language.
    """
    language = (language or get_language() or "ru")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_ru", "")
