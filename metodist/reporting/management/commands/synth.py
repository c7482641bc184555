"""`metodist synth --libraries N --years Y [--seed S]`: a synthetic national network with its reports."""

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core.commands import TranslatedCommand
from metodist.demo.load import grant_demo_administrator
from metodist.demo.synthetic import SEED
from metodist.reporting.synth import synth_build


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Build a synthetic national network with N libraries and Y years of monthly and weekly reports, "
        "for benchmarks. Adds only what is missing, so it is safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--libraries", type=int, default=4000, metavar="N", help=gettext_lazy("Number of libraries.")
        )
        parser.add_argument(
            "--years", type=int, default=5, metavar="Y", help=gettext_lazy("Years of reports.")
        )
        parser.add_argument(
            "--seed", type=int, default=SEED, metavar="S", help=gettext_lazy("Seed of the generator.")
        )

    def handle(self, *args, libraries: int, years: int, seed: int, verbosity: int = 1, **options) -> None:
        if libraries < 1 or years < 1:
            raise CommandError(_("Give at least one library and one year."))
        say = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        try:
            summary = synth_build(libraries=libraries, years=years, seed=seed, report=say)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        grant_demo_administrator(summary.root)
        if verbosity < 1:
            return
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                _(
                    "Synthetic network “%(name)s”: %(units)s units, %(libraries)s libraries, "
                    "%(centres)s online centres; periods %(first)s to %(last)s."
                )
                % {
                    "name": summary.root.name_ru,
                    "units": summary.units,
                    "libraries": summary.libraries,
                    "centres": summary.online_centres,
                    "first": summary.first.code,
                    "last": summary.last.code,
                }
            )
        )
        if summary.libraries != libraries:
            write(
                _("The network holds %(count)s libraries (it existed already or cannot be cut exactly).")
                % {"count": summary.libraries}
            )
        write(
            _("Added %(reports)s reports and %(values)s values in %(seconds)s s.")
            % {
                "reports": summary.reports,
                "values": summary.values,
                "seconds": f"{summary.total_seconds:.1f}",
            }
        )
        for step, seconds in summary.seconds.items():
            write(f"  {step:<12} {seconds:8.1f} s")
