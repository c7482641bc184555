"""Translation catalogues: compile them with Babel (no system gettext needed) and check completeness.

python -m metodist.core.i18n compile   # locale/*/LC_MESSAGES/django.po -> django.mo
python -m metodist.core.i18n check     # fail when a kk or en message is empty or fuzzy
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
COMPLETE_LANGUAGES = ("ru", "kk", "en")
DOMAINS = ("django", "djangojs")


def catalogues():
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        if po_path.stem in DOMAINS:
            yield po_path


def compile_all() -> int:
    for po_path in catalogues():
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
    return 0


def untranslated(language: str) -> list[str]:
    """Message ids of the language's catalogues that have an empty or fuzzy translation."""
    missing: list[str] = []
    for po_path in catalogues():
        if po_path.parent.parent.name != language:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def tidy(languages: tuple[str, ...] = ()) -> int:
    """Give the catalogues a real header; English messages are their msgids (the sources are English).

    msgmerge fills a new message with a "fuzzy" guess from a similar old one, which can carry the wrong
    placeholders: such guesses are emptied, so the check reports them and a translator writes them anew.
    """
    from babel.messages.pofile import write_po

    for po_path in catalogues():
        language = po_path.parent.parent.name
        if languages and language not in languages:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        # makemessages leaves "Language:" empty and a placeholder plural rule: take both from the locale.
        catalog.locale = language
        catalog._num_plurals = catalog._plural_expr = None
        catalog.project, catalog.version = "Metodist", ""
        catalog.copyright_holder = "the Metodist authors"
        catalog.msgid_bugs_address = ""
        catalog.language_team = language
        catalog.last_translator = "the Metodist authors"
        catalog.fuzzy = False
        for message in catalog:
            if not message.id:
                continue
            if language == "en":
                message.string = tuple(message.id) if isinstance(message.id, tuple) else message.id
            elif message.fuzzy:
                message.string = ("",) * catalog.num_plurals if isinstance(message.id, tuple) else ""
            message.flags.discard("fuzzy")
            message.previous_id = ()
        with po_path.open("wb") as fh:
            write_po(fh, catalog, width=0)
    return 0


def check() -> int:
    failed = 0
    for language in COMPLETE_LANGUAGES:
        missing = untranslated(language)
        for msgid in missing:
            print(f"{language}: untranslated: {msgid!r}")
        failed += len(missing)
    return 1 if failed else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    arguments = tuple(sys.argv[2:])
    if command == "tidy":
        sys.exit(tidy(arguments))
    sys.exit({"compile": compile_all, "check": check}[command]())
