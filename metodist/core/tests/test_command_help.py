"""Our management commands print their translated help (argparse needs plain strings)."""

import pytest
from django.core.management import load_command_class
from django.utils import translation


@pytest.mark.parametrize(
    ("app", "name"),
    [("metodist.demo", "demo"), ("metodist.events", "remind"), ("metodist.reporting", "synth")],
)
def test_the_command_prints_its_help_in_russian(app, name):
    command = load_command_class(app, name)
    with translation.override("ru"):
        text = command.create_parser("metodist", name).format_help()
    assert f"usage: metodist {name}" in text
    assert any("а" <= letter <= "я" for letter in text.lower())  # the description, in Russian
