"""A base for our management commands, whose help texts are translated."""

from django.core.management.base import BaseCommand, CommandParser


class TranslatedCommand(BaseCommand):
    """A command whose `help` may be a lazy translation: argparse needs a plain string to format it."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
