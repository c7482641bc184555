"""The small cast every test can use: a piece of the East Kazakhstan network and its people.

region (VKO)
├── Beskaragay district ── Beskaragay village library ── Beskaragay online centre
│                        └ Kanonerka village library
├── Abay district ── Mukur village library ── Mukur online centre
│                 └ Kainar village library
└── Abai regional library ── methodological department
"""

from types import SimpleNamespace

import pytest

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory, add_unit
from metodist.network.models import UnitKind

PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Login throttling counts in the cache: one test's failures must not refuse the next one's login."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "ru"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
