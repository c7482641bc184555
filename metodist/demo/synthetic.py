"""A generated national-size network, to see how pages and reports behave with thousands of units.

`build_synthetic(4000)` adds a separate root "Республика Казахстан (синтетическая)" (codes `SYN-…`) with
17 regions, their districts, villages and libraries (a few with online centres). It is deterministic for
a given size and seed and fast: the tree columns treebeard keeps (`path`, `depth`, `numchild`) are
computed here and the rows are written with `bulk_create` in batches instead of one `add_child` per node.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from metodist.network.models import FoundingDepartment, LibraryType, OrgUnit, UnitKind

ROOT_CODE = "SYN-KZ"
SEED = 2013
REGION_COUNT = 17
# The smallest network with every level present: the root, and per region a district, a village, a library.
MIN_TOTAL = 1 + REGION_COUNT * 4

# The 17 regions of Kazakhstan (2022) with the approximate coordinates of their centres.
REGIONS = (
    ("Абайская область", "Абай облысы", "Abai Region", 50.41, 80.23),
    ("Акмолинская область", "Ақмола облысы", "Akmola Region", 53.28, 69.39),
    ("Актюбинская область", "Ақтөбе облысы", "Aktobe Region", 50.28, 57.17),
    ("Алматинская область", "Алматы облысы", "Almaty Region", 43.87, 77.07),
    ("Атырауская область", "Атырау облысы", "Atyrau Region", 47.11, 51.92),
    ("Западно-Казахстанская область", "Батыс Қазақстан облысы", "West Kazakhstan Region", 51.23, 51.37),
    ("Жамбылская область", "Жамбыл облысы", "Jambyl Region", 42.90, 71.37),
    ("Жетысуская область", "Жетісу облысы", "Jetisu Region", 45.02, 78.37),
    ("Карагандинская область", "Қарағанды облысы", "Karaganda Region", 49.80, 73.10),
    ("Костанайская область", "Қостанай облысы", "Kostanay Region", 53.21, 63.63),
    ("Кызылординская область", "Қызылорда облысы", "Kyzylorda Region", 44.85, 65.51),
    ("Мангистауская область", "Маңғыстау облысы", "Mangystau Region", 43.65, 51.16),
    ("Павлодарская область", "Павлодар облысы", "Pavlodar Region", 52.29, 76.97),
    ("Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "North Kazakhstan Region", 54.87, 69.15),
    ("Туркестанская область", "Түркістан облысы", "Turkistan Region", 43.30, 68.25),
    ("Улытауская область", "Ұлытау облысы", "Ulytau Region", 47.78, 67.71),
    ("Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "East Kazakhstan Region", 49.95, 82.61),
)

# Place names are put together from two parts, as many Kazakh ones are: Ақ + су, Қара + бұлақ…
_FIRST = (
    ("Ак", "Ақ", "Ak"),
    ("Кара", "Қара", "Kara"),
    ("Сары", "Сары", "Sary"),
    ("Кок", "Көк", "Kok"),
    ("Жана", "Жаңа", "Zhana"),
    ("Кызыл", "Қызыл", "Kyzyl"),
    ("Бес", "Бес", "Bes"),
    ("Талды", "Талды", "Taldy"),
    ("Шубар", "Шұбар", "Shubar"),
    ("Алтын", "Алтын", "Altyn"),
    ("Кос", "Қос", "Kos"),
    ("Уш", "Үш", "Ush"),
    ("Жел", "Жел", "Zhel"),
)
_SECOND = (
    ("су", "су", "su"),
    ("булак", "бұлақ", "bulak"),
    ("тау", "тау", "tau"),
    ("коль", "көл", "kol"),
    ("озек", "өзек", "ozek"),
    ("жар", "жар", "zhar"),
    ("агаш", "ағаш", "agash"),
    ("тобе", "төбе", "tobe"),
    ("кудук", "құдық", "kuduk"),
    ("кум", "құм", "kum"),
    ("адыр", "адыр", "adyr"),
    ("сай", "сай", "sai"),
)


@dataclass
class _Node:
    fields: dict
    children: list["_Node"] = field(default_factory=list)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive whole numbers of uneven size."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    extra = total - parts
    shares = [int(extra * w / sum(weights)) for w in weights]
    for i in range(extra - sum(shares)):
        shares[i % parts] += 1
    return [1 + share for share in shares]


def _place(rng: random.Random) -> tuple[str, str, str]:
    (ru1, kk1, en1), (ru2, kk2, en2) = rng.choice(_FIRST), rng.choice(_SECOND)
    return ru1 + ru2, kk1 + kk2, en1 + en2.lower()


def _district_adjective(name: str) -> str:
    # Жанатобе → Жанатобинский, Аксу → Аксуский, Сарыколь → Сарыкольский
    return name[:-1] + "инский" if name.endswith("е") else name + "ский"


def _near(value: float, spread: float, rng: random.Random) -> Decimal:
    return Decimal(str(round(value + rng.uniform(-spread, spread), 6)))


def _sizes(total: int) -> tuple[int, int, int, int]:
    """How many districts, villages, libraries and online centres make `total` units with the rest."""
    rest = total - 1 - REGION_COUNT
    districts = max(REGION_COUNT, round(rest * 0.05))
    villages = max(districts, round((rest - districts) * 0.36))
    library_units = rest - districts - villages
    online_centres = min(round(library_units * 0.06), library_units - villages)
    return districts, villages, library_units - online_centres, online_centres


@dataclass
class _Counts:
    """How many children each district, village and library gets, drawn up front so the total is exact."""

    villages: Iterator[int]
    libraries: Iterator[int]
    online_centre: Iterator[bool]


def _plan(total: int, rng: random.Random) -> _Node:
    n_districts, n_villages, n_libraries, n_centres = _sizes(total)
    districts_per_region = _split(n_districts, REGION_COUNT, rng)
    with_centre = set(rng.sample(range(n_libraries), n_centres))
    counts = _Counts(
        villages=iter(_split(n_villages, n_districts, rng)),
        libraries=iter(_split(n_libraries, n_villages, rng)),
        online_centre=iter(i in with_centre for i in range(n_libraries)),
    )
    root = _Node(
        {
            "code": ROOT_CODE,
            "kind": UnitKind.COUNTRY,
            "name_ru": "Республика Казахстан (синтетическая)",
            "name_kk": "Қазақстан Республикасы (синтетикалық)",
            "name_en": "Republic of Kazakhstan (synthetic)",
            "description": "Сгенерированная сеть для проверки производительности; не реальные данные.",
        }
    )
    for number, (region, districts) in enumerate(zip(REGIONS, districts_per_region, strict=True), start=1):
        root.children.append(_region(number, region, districts, counts, rng))
    return root


def _region(number: int, region: tuple, districts: int, counts: _Counts, rng: random.Random) -> _Node:
    ru, kk, en, lat, lon = region
    code = f"SYN-R{number:02d}"
    node = _Node(
        {
            "code": code,
            "kind": UnitKind.REGION,
            "name_ru": ru,
            "name_kk": kk,
            "name_en": en,
            "latitude": Decimal(str(lat)),
            "longitude": Decimal(str(lon)),
        }
    )
    for d in range(1, districts + 1):
        d_ru, d_kk, d_en = _place(rng)
        district = _Node(
            {
                "code": f"{code}-D{d:03d}",
                "kind": UnitKind.DISTRICT,
                "name_ru": f"{_district_adjective(d_ru)} район",
                "name_kk": f"{d_kk} ауданы",
                "name_en": f"{d_en} District",
                "latitude": _near(lat, 1.2, rng),
                "longitude": _near(lon, 1.2, rng),
            }
        )
        district.children = [_village(district, s, counts, rng) for s in range(1, next(counts.villages) + 1)]
        node.children.append(district)
    return node


def _village(district: _Node, number: int, counts: _Counts, rng: random.Random) -> _Node:
    ru, kk, en = _place(rng)
    node = _Node(
        {
            "code": f"{district.fields['code']}-S{number:04d}",
            "kind": UnitKind.SETTLEMENT,
            "name_ru": f"село {ru}",
            "name_kk": f"{kk} ауылы",
            "name_en": f"{en} village",
            "latitude": _near(float(district.fields["latitude"]), 0.4, rng),
            "longitude": _near(float(district.fields["longitude"]), 0.4, rng),
            "population_served": rng.randint(150, 6000),
        }
    )
    names = (ru, kk, en)
    node.children = [
        _library(node, n, names, next(counts.online_centre), rng)
        for n in range(1, next(counts.libraries) + 1)
    ]
    return node


def _library(village: _Node, n: int, names: tuple[str, str, str], has_centre: bool, rng) -> _Node:
    v_ru, v_kk, v_en = names
    population = village.fields["population_served"]
    common = {
        "code": f"{village.fields['code']}-L{n}",
        "latitude": village.fields["latitude"],
        "longitude": village.fields["longitude"],
        "address": f"с. {v_ru}, ул. Абая, {rng.randint(1, 60)}",
        "languages": ["kk", "ru"],
        "opening_year": rng.randint(1930, 2015),
    }
    if n == 1 or has_centre or rng.random() < 0.8:
        large = population >= 1000
        fields = {
            "kind": UnitKind.LIBRARY,
            "name_ru": f"Сельская библиотека села {v_ru}"
            if n == 1
            else f"Библиотека-филиал № {n} села {v_ru}",
            "name_kk": f"{v_kk} ауылдық кітапханасы"
            if n == 1
            else f"{v_kk} ауылының № {n} филиал-кітапханасы",
            "name_en": f"{v_en} Village Library" if n == 1 else f"{v_en} Branch Library No. {n}",
            "library_type": LibraryType.VILLAGE if large else LibraryType.VILLAGE_BRANCH,
            "founding_department": FoundingDepartment.CULTURE,
            "population_served": population,
            "staff_rate": Decimal("1.00") if large else rng.choice((Decimal("0.50"), Decimal("0.25"))),
        }
    else:
        fields = {
            "kind": UnitKind.SCHOOL_LIBRARY,
            "name_ru": f"Библиотека средней школы № {n} села {v_ru}",
            "name_kk": f"{v_kk} ауылы № {n} орта мектебінің кітапханасы",
            "name_en": f"{v_en} Secondary School No. {n} Library",
            "library_type": LibraryType.SCHOOL,
            "founding_department": FoundingDepartment.EDUCATION,
            "population_served": max(60, population // 7),
            "staff_rate": Decimal("0.50"),
        }
    library = _Node(common | fields)
    if has_centre:
        library.children.append(
            _Node(
                {
                    "code": f"{common['code']}-OC",
                    "kind": UnitKind.ONLINE_CENTRE,
                    "name_ru": f"Онлайн-центр села {v_ru}",
                    "name_kk": f"{v_kk} ауылының онлайн-орталығы",
                    "name_en": f"{v_en} Village Online Centre",
                    "library_type": LibraryType.ONLINE_CENTRE,
                    "founding_department": FoundingDepartment.CULTURE,
                    "latitude": common["latitude"],
                    "longitude": common["longitude"],
                    "languages": ["kk", "ru"],
                    "opening_year": rng.randint(2012, 2020),
                    "population_served": population,
                }
            )
        )
    return library


def _step(position: int) -> str:
    """The path segment of the `position`-th child (1-based), as treebeard writes it."""
    key = OrgUnit._int2str(position)
    if len(key) > OrgUnit.steplen:
        raise ValueError("Too many children under one node for the tree's step length.")
    return key.rjust(OrgUnit.steplen, OrgUnit.alphabet[0])


def _next_root_path() -> str:
    last_root = OrgUnit.objects.filter(depth=1).order_by("-path").first()
    if last_root is None:
        return _step(1)
    return _step(OrgUnit._str2int(last_root.path) + 1)


def _flatten(root: _Node, root_path: str) -> list[OrgUnit]:
    """Units in depth-first order with their path, depth and number of children filled in."""
    units = []
    stack = [(root, root_path)]
    while stack:
        node, path = stack.pop()
        units.append(
            OrgUnit(path=path, depth=len(path) // OrgUnit.steplen, numchild=len(node.children), **node.fields)
        )
        for position in range(len(node.children), 0, -1):
            stack.append((node.children[position - 1], path + _step(position)))
    return units


@transaction.atomic
def build_synthetic(total: int = 4000, *, seed: int = SEED, batch_size: int = 500) -> OrgUnit:
    """Add a synthetic national network of `total` units, or answer the one already there."""
    existing = OrgUnit.objects.filter(code=ROOT_CODE).first()
    if existing is not None:
        return existing
    if total < MIN_TOTAL:
        raise ValueError(f"A synthetic network needs at least {MIN_TOTAL} units.")
    units = _flatten(_plan(total, random.Random(seed)), _next_root_path())
    bulk_create_with_history(units, OrgUnit, batch_size=batch_size)
    return OrgUnit.objects.get(code=ROOT_CODE)
