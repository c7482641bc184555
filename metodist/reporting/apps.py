from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "metodist.reporting"
    verbose_name = _("Periodic reporting")

    def ready(self) -> None:
        from metodist.reporting import signals  # noqa: F401
