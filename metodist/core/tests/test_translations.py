"""Every message of the interface has a Russian, Kazakh and English translation."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.utils import translation

from metodist.core import i18n

PACKAGE_DIR = Path(__file__).resolve().parents[2]


def test_no_catalogue_has_an_empty_or_fuzzy_translation():
    for language in i18n.COMPLETE_LANGUAGES:
        assert i18n.untranslated(language) == [], f"untranslated {language} messages"


def test_every_message_in_the_code_is_in_the_catalogues(tmp_path, settings, monkeypatch):
    assert shutil.which("xgettext"), (
        "GNU gettext is needed: `apt-get install gettext` (make test does it as root)"
    )
    # makemessages writes into the locale folder nearest each source file, so extract from a copy.
    package = tmp_path / "metodist"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [package / "locale"]
    monkeypatch.chdir(package)
    call_command("makemessages", locale=list(i18n.COMPLETE_LANGUAGES), verbosity=0, no_obsolete=True)
    for language in i18n.COMPLETE_LANGUAGES:
        with (package / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as fh:
            catalog = read_po(fh, locale=language)
        missing = [
            m.id
            for m in catalog
            if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
        ]
        assert missing == [], f"{language}: messages without a translation (run `make messages-update`)"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "Реестр сети"), ("kk", "Желі тізілімі"), ("en", "Network registry")],
)
def test_the_interface_speaks_each_language(language, expected):
    i18n.compile_all()
    translation.trans_real._translations = {}
    translation.trans_real._default = None
    with translation.override(language):
        assert translation.gettext("Network registry") == expected
