"""The small cast every test can use: a piece of the East Kazakhstan network and its people.

region (VKO)
├── Beskaragay district ── Beskaragay village library ── Beskaragay online centre
│                        └ Kanonerka village library
├── Abay district ── Mukur village library ── Mukur online centre
│                 └ Kainar village library
└── Abai regional library ── methodological department
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.network.models import UnitKind

PASSWORD = "correct-horse-42"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Login throttling counts in the cache: one test's failures must not refuse the next one's login."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    """One media folder per test module: the demo loaded for the module keeps its files there."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_and_language(settings, module_media):
    settings.MEDIA_ROOT = module_media
    settings.LANGUAGE_CODE = "ru"
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def loaded_for_the_module(django_db_blocker, media, load: Callable[[], object]) -> Iterator[object]:
    """Load data once for a whole test module, in a transaction rolled back after its last test.

    Each test of the module runs in a savepoint inside that transaction (pytest-django's `db`), so what one
    test changes is gone before the next one, while the slow load (the whole demo) happens once.
    """
    with override_settings(MEDIA_ROOT=media, LANGUAGE_CODE="ru", PASSWORD_HASHERS=FAST_HASHERS):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                loaded = load()
            except BaseException:
                atomic.__exit__(None, None, None)
                raise
        try:
            yield loaded
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker, module_media):
    """The whole demo (`metodist demo`), once per test module; a module may set DEMO_NOW to load it then."""
    now = getattr(request.module, "DEMO_NOW", None)

    def load() -> None:
        if now is None:
            call_command("demo", "--quiet")
        else:
            with time_machine.travel(now, tick=False):
                call_command("demo", "--quiet")

    with loaded_for_the_module(django_db_blocker, module_media, load):
        yield


@pytest.fixture
def demo(demo_data, db) -> None:
    """The demo network with every part's records and the demo logins (password metodist-demo)."""


@pytest.fixture
def net(db):
    region = add_unit(
        None,
        code="VKO",
        name_ru="Восточно-Казахстанская область",
        name_kk="Шығыс Қазақстан облысы",
        name_en="East Kazakhstan Region",
        kind=UnitKind.REGION,
    )
    beskaragay = add_unit(
        region,
        code="BSK",
        name_ru="Бескарагайский район",
        name_kk="Бесқарағай ауданы",
        kind=UnitKind.DISTRICT,
    )
    beskaragay_lib = add_unit(
        beskaragay, code="BSK-LIB", name_ru="Бескарагайская сельская библиотека", kind=UnitKind.LIBRARY
    )
    beskaragay_oc = add_unit(
        beskaragay_lib, code="BSK-OC", name_ru="Онлайн-центр села Бескарагай", kind=UnitKind.ONLINE_CENTRE
    )
    kanonerka = add_unit(
        beskaragay, code="KAN-LIB", name_ru="Канонерская сельская библиотека", kind=UnitKind.LIBRARY
    )
    abay = add_unit(
        region, code="ABY", name_ru="Абайский район", name_kk="Абай ауданы", kind=UnitKind.DISTRICT
    )
    mukur = add_unit(
        abay,
        code="MUK-LIB",
        name_ru="Мукурская сельская библиотека",
        name_kk="Мұқыр ауылдық кітапханасы",
        kind=UnitKind.LIBRARY,
    )
    mukur_oc = add_unit(mukur, code="MUK-OC", name_ru="Онлайн-центр села Мукур", kind=UnitKind.ONLINE_CENTRE)
    kainar = add_unit(abay, code="KAI-LIB", name_ru="Кайнарская сельская библиотека", kind=UnitKind.LIBRARY)
    regional = add_unit(
        region, code="VKOUB", name_ru="ВКО универсальная библиотека имени Абая", kind=UnitKind.LIBRARY
    )
    method_dept = add_unit(regional, code="VKOUB-MO", name_ru="Методический отдел", kind=UnitKind.DEPARTMENT)
    return SimpleNamespace(
        region=region,
        beskaragay=beskaragay,
        beskaragay_lib=beskaragay_lib,
        beskaragay_oc=beskaragay_oc,
        kanonerka=kanonerka,
        abay=abay,
        mukur=mukur,
        mukur_oc=mukur_oc,
        kainar=kainar,
        regional=regional,
        method_dept=method_dept,
    )


def _user(username, unit=None, kind=None):
    user = UserFactory(username=username)
    if unit is not None:
        RoleFactory(user=user, unit=unit, kind=kind)
    return user


@pytest.fixture
def admin_user(net):
    """Administrator of the region."""
    return _user("admin", net.region, RoleKind.ADMINISTRATOR)


@pytest.fixture
def methodist(net):
    """Methodologist of Beskaragay district."""
    return _user("methodist", net.beskaragay, RoleKind.METHODOLOGIST)


@pytest.fixture
def marketer(net):
    return _user("marketer", net.region, RoleKind.MARKETER)


@pytest.fixture
def librarian(net):
    """Librarian of the Mukur village library."""
    return _user("mukur", net.mukur, RoleKind.LIBRARIAN)


@pytest.fixture
def volunteer(net):
    return _user("volunteer", net.mukur, RoleKind.VOLUNTEER)


@pytest.fixture
def outsider(net):
    return _user("outsider")


@pytest.fixture
def client_for(client):
    """Log a test client in as the given user: `client_for(librarian).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
