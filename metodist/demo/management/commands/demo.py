"""`metodist demo`: load the demo East Kazakhstan network and its users (safe to run again)."""

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core.commands import TranslatedCommand
from metodist.demo import network_data as data
from metodist.demo.load import demo_totals, grant_demo_administrator, load_demo
from metodist.demo.synthetic import build_synthetic
from metodist.network.models import OrgUnit


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Load the demo network of the East Kazakhstan regional library and its demo users. "
        "Adds only what is missing, so it is safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Print nothing."))
        parser.add_argument(
            "--synthetic",
            type=int,
            metavar="N",
            default=0,
            help=gettext_lazy("Also generate a synthetic national network of N units (for example 4000)."),
        )

    def handle(self, *args, quiet: bool = False, synthetic: int = 0, **options) -> None:
        created = load_demo()
        root = None
        if synthetic:
            try:
                root = build_synthetic(synthetic)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            grant_demo_administrator(root)
        if quiet:
            return
        self._summary(created, root)

    def _summary(self, created, root) -> None:
        write = self.stdout.write
        if created:
            parts = ", ".join(f"{name}: {count}" for name, count in sorted(created.items()))
            write(self.style.SUCCESS(_("Demo network loaded (added %(parts)s).") % {"parts": parts}))
        else:
            write(self.style.SUCCESS(_("The demo network is already loaded; nothing was changed.")))
        for name, count in demo_totals().items():
            write(f"  {name:<15} {count:>6}")
        if root is not None:
            units = OrgUnit.objects.under(root).count()
            write(
                _("Synthetic network “%(name)s”: %(count)s units.") % {"name": root.name_ru, "count": units}
            )
        write("")
        write(_("Demo logins (password %(password)s):") % {"password": data.DEMO_PASSWORD})
        for user in data.DEMO_USERS:
            name = f"{user.first_name} {user.last_name}"
            write(f"  {user.username:<10} {user.role:<14} {user.unit_code:<8} {name}")
