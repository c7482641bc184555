"""The plan of the demo network: `network_data` with every generated number drawn, before any write.

All numbers (staff names, dates, floor areas, computers…) come from one `random.Random(2013)` drawn in a
fixed order, independent of what the database already holds, so every run plans the same network and the
loader only has to add what is missing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from metodist.demo import network_data as data
from metodist.network.models import (
    Education,
    FoundingDepartment,
    InternetConnection,
    LibraryType,
    PremisesCondition,
    UnitKind,
)

SEED = 2013
PASSPORT_YEARS = (2024, 2025)
LANGUAGES = ["kk", "ru"]


@dataclass
class QualificationPlan:
    title: str
    kind: str
    provider: str
    started_on: date
    ended_on: date | None
    hours: int
    certificate_number: str = ""


@dataclass
class StaffPlan:
    full_name: str
    position: str
    education: str
    started_on: date
    username: str = ""
    qualifications: list[QualificationPlan] = field(default_factory=list)


@dataclass
class PassportPlan:
    year: int
    floor_area: Decimal
    premises_condition: str
    access_vision: bool
    access_hearing: bool
    access_mobility: bool
    computers: int
    computers_for_users: int
    internet: str
    internet_speed_mbps: Decimal | None


@dataclass
class UnitPlan:
    """One org unit: its card fields (code, kind, names…), children, staff and passports."""

    fields: dict
    children: list["UnitPlan"] = field(default_factory=list)
    staff: list[StaffPlan] = field(default_factory=list)
    passports: list[PassportPlan] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.fields["code"]

    def walk(self):
        """This unit and everything under it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


def _coordinate(value: float, rng: random.Random, spread: float = 0.004) -> Decimal:
    return Decimal(str(round(value + rng.uniform(-spread, spread), 6)))


def _phone(code: str, rng: random.Random) -> str:
    # Local numbers have 10 digits with the area code: 4-digit codes take 6-digit numbers, 5-digit take 5.
    if len(code) == 4:
        return f"+7 ({code}) {rng.randint(40, 79)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    return f"+7 ({code}) {rng.randint(2, 4)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def _genitive(adjective: str) -> str:
    """The genitive of a feminine adjective: Мукурская → Мукурской (all in the data end in -ая)."""
    return adjective[:-2] + "ой"


class Planner:
    """Draws the generated parts of the plan from one seeded random generator, in a fixed order."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.named = {person.unit_code: [] for person in data.NAMED_PEOPLE}
        for person in data.NAMED_PEOPLE:
            self.named[person.unit_code].append(person)
            self.used_names.add(person.full_name)

    # People

    def _name(self, kazakh_share: float) -> str:
        rng = self.rng
        while True:
            if rng.random() < kazakh_share:
                pools = (data.KAZAKH_SURNAMES, data.KAZAKH_FIRST_NAMES, data.KAZAKH_PATRONYMICS)
            else:
                pools = (data.RUSSIAN_SURNAMES, data.RUSSIAN_FIRST_NAMES, data.RUSSIAN_PATRONYMICS)
            name = " ".join(rng.choice(pool) for pool in pools)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _education(self, position: str) -> str:
        senior = position.startswith(("директор", "заместитель", "заведующая отделом", "методист", "главный"))
        weights = (
            {Education.HIGHER_LIBRARY: 7, Education.HIGHER_OTHER: 3}
            if senior
            else {
                Education.HIGHER_LIBRARY: 3,
                Education.VOCATIONAL_LIBRARY: 5,
                Education.VOCATIONAL_OTHER: 2,
                Education.HIGHER_OTHER: 1,
                Education.SECONDARY: 1,
            }
        )
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _started_on(self) -> date:
        start = date(1986, 1, 1)
        return start + timedelta(days=self.rng.randint(0, (date(2021, 12, 31) - start).days))

    def _qualifications(
        self, started_on: date, *, regional: bool, online_centre: bool
    ) -> list[QualificationPlan]:
        rng = self.rng
        mandatory = []
        optional = []
        for training in data.TRAININGS:
            if training.started_on < started_on:
                continue
            if training is data.SEED_LESSON:
                if regional:
                    mandatory.append(training)  # the specialists of the regional library attended the lesson
            elif training is data.ONLINE_CENTRE_SCHOOL and online_centre:
                mandatory.append(training)  # every online centre started with this school
            elif training.audience == "all" or (training.audience == "online_centre" and online_centre):
                optional.append(training)
        wanted = max(0, rng.randint(1, 3) - len(mandatory))
        chosen = mandatory + rng.sample(optional, min(wanted, len(optional)))
        records = []
        for training in sorted(chosen, key=lambda t: t.started_on):
            number = ""
            if training.certificate_prefix:
                number = f"{training.certificate_prefix}{rng.randint(100, 999)}/{training.started_on.year}"
            records.append(
                QualificationPlan(
                    title=training.title,
                    kind=training.kind,
                    provider=training.provider,
                    started_on=training.started_on,
                    ended_on=training.ended_on,
                    hours=training.hours,
                    certificate_number=number,
                )
            )
        return records

    def staff(
        self,
        code: str,
        positions: tuple[str, ...],
        *,
        kazakh_share: float,
        regional=False,
        online_centre=False,
    ) -> list[StaffPlan]:
        """The people of a unit: the named ones first, then generated people for the remaining positions."""
        open_positions = list(positions)
        people = []
        for person in self.named.get(code, []):
            if person.position in open_positions:
                open_positions.remove(person.position)
            people.append(
                StaffPlan(
                    full_name=person.full_name,
                    position=person.position,
                    education=person.education,
                    started_on=person.started_on,
                    username=person.username,
                    qualifications=self._qualifications(
                        person.started_on, regional=regional, online_centre=online_centre
                    ),
                )
            )
        for position in open_positions:
            started_on = self._started_on()
            people.append(
                StaffPlan(
                    full_name=self._name(kazakh_share),
                    position=position,
                    education=self._education(position),
                    started_on=started_on,
                    qualifications=self._qualifications(
                        started_on, regional=regional, online_centre=online_centre
                    ),
                )
            )
        return people

    # Passports

    _PROFILES = {
        # library type: (floor area range, computers range, internet choices)
        LibraryType.REGIONAL: ((4000, 4600), (60, 80), (InternetConnection.FIBRE,)),
        LibraryType.CENTRAL_CITY: ((900, 1500), (15, 25), (InternetConnection.FIBRE,)),
        LibraryType.CENTRAL_DISTRICT: (
            (350, 700),
            (8, 15),
            (InternetConnection.FIBRE, InternetConnection.DSL),
        ),
        LibraryType.CHILDREN: ((180, 420), (4, 10), (InternetConnection.FIBRE, InternetConnection.DSL)),
        LibraryType.YOUTH: ((150, 300), (4, 8), (InternetConnection.FIBRE,)),
        LibraryType.CITY_BRANCH: ((120, 260), (3, 6), (InternetConnection.FIBRE, InternetConnection.DSL)),
        LibraryType.VILLAGE: (
            (50, 140),
            (1, 4),
            (InternetConnection.DSL, InternetConnection.MOBILE, InternetConnection.SATELLITE),
        ),
        LibraryType.VILLAGE_BRANCH: ((30, 70), (0, 2), (InternetConnection.MOBILE, InternetConnection.NONE)),
        LibraryType.ONLINE_CENTRE: ((20, 45), (3, 6), (InternetConnection.DSL, InternetConnection.SATELLITE)),
        LibraryType.COLLEGE: ((120, 350), (5, 15), (InternetConnection.FIBRE,)),
        LibraryType.SCHOOL: ((40, 120), (1, 5), (InternetConnection.DSL, InternetConnection.MOBILE)),
        LibraryType.SPECIAL: ((200, 400), (6, 10), (InternetConnection.FIBRE,)),
    }
    _SPEEDS = {
        InternetConnection.FIBRE: (50, 200),
        InternetConnection.DSL: (4, 20),
        InternetConnection.MOBILE: (2, 15),
        InternetConnection.SATELLITE: (2, 10),
    }

    def _speed(self, internet: str) -> Decimal | None:
        if internet not in self._SPEEDS:
            return None
        lo, hi = self._SPEEDS[internet]
        return Decimal(str(round(self.rng.uniform(lo, hi), 1)))

    def passports(self, library_type: str, *, urban: bool) -> list[PassportPlan]:
        rng = self.rng
        (area_lo, area_hi), (pc_lo, pc_hi), internets = self._PROFILES[library_type]
        floor_area = Decimal(str(round(rng.uniform(area_lo, area_hi), 1)))
        condition = rng.choices(
            [
                PremisesCondition.GOOD,
                PremisesCondition.SATISFACTORY,
                PremisesCondition.NEEDS_REPAIR,
                PremisesCondition.EMERGENCY,
            ],
            weights=[35, 45, 17, 3],
        )[0]
        access_mobility = rng.random() < (0.7 if urban else 0.3)
        access_vision = rng.random() < (0.3 if urban else 0.05)
        access_hearing = rng.random() < (0.2 if urban else 0.05)
        computers = rng.randint(pc_lo, pc_hi)
        for_users = max(0, computers - rng.randint(1, max(1, computers // 3))) if computers else 0
        internet = rng.choice(internets) if computers else InternetConnection.NONE
        speed = self._speed(internet)
        plans = []
        for year in PASSPORT_YEARS:
            if year != PASSPORT_YEARS[0]:
                # A year later: sometimes one more computer for readers, a better line, a repair done.
                added = rng.choice((0, 0, 1))
                computers, for_users = computers + added, for_users + added
                if (
                    internet in (InternetConnection.NONE, InternetConnection.MOBILE)
                    and computers
                    and rng.random() < 0.3
                ):
                    internet = InternetConnection.DSL
                    speed = self._speed(internet)
                elif speed is not None:
                    speed = Decimal(str(round(float(speed) * rng.uniform(1.0, 1.4), 1)))
                if condition == PremisesCondition.NEEDS_REPAIR and rng.random() < 0.3:
                    condition = PremisesCondition.SATISFACTORY
            plans.append(
                PassportPlan(
                    year=year,
                    floor_area=floor_area,
                    premises_condition=condition,
                    access_vision=access_vision,
                    access_hearing=access_hearing,
                    access_mobility=access_mobility,
                    computers=computers,
                    computers_for_users=for_users,
                    internet=internet,
                    internet_speed_mbps=speed,
                )
            )
        return plans


def _library_fields(
    *,
    code: str,
    kind: str,
    ru: str,
    kk: str,
    en: str,
    library_type: str,
    address: str,
    latitude: Decimal,
    longitude: Decimal,
    phone: str,
    opening_year: int,
    population_served: int,
    staff_rate: float | None,
    founding_department: str = FoundingDepartment.CULTURE,
    **extra,
) -> dict:
    return {
        "code": code,
        "kind": kind,
        "name_ru": ru,
        "name_kk": kk,
        "name_en": en,
        "library_type": library_type,
        "founding_department": founding_department,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "phone": phone,
        "languages": list(LANGUAGES),
        "opening_year": opening_year,
        "population_served": population_served,
        "staff_rate": None if staff_rate is None else Decimal(str(staff_rate)),
        **extra,
    }


def _village(planner: Planner, district: data.District, village: data.Village) -> UnitPlan:
    rng = planner.rng
    share = district.kazakh_share
    settlement = UnitPlan(
        fields={
            "code": f"{district.code}-{village.code}",
            "kind": UnitKind.SETTLEMENT,
            "name_ru": f"село {village.ru}",
            "name_kk": f"{village.kk} ауылы",
            "name_en": f"{village.en} village",
            "latitude": Decimal(str(village.latitude)),
            "longitude": Decimal(str(village.longitude)),
            "population_served": village.population,
        }
    )
    place = f"с. {village.ru}, {village.street}"
    district_stem = district.kk.removesuffix(" ауданы")
    is_centre = village.code == district.centre
    if is_centre:
        district_population = sum(v.population for v in district.villages)
        library = UnitPlan(
            fields=_library_fields(
                code=f"{district.code}-CRB",
                kind=UnitKind.LIBRARY,
                ru=f"Центральная районная библиотека {district.genitive_ru}",
                kk=f"{district_stem} аудандық орталық кітапханасы",
                en=f"{district.en} Central Library",
                library_type=LibraryType.CENTRAL_DISTRICT,
                address=f"{place}, {rng.randint(10, 60)}",
                latitude=_coordinate(village.latitude, rng),
                longitude=_coordinate(village.longitude, rng),
                phone=_phone(district.phone_code, rng),
                opening_year=rng.randint(1932, 1940),
                population_served=district_population,
                staff_rate=rng.choice((8.5, 9.0, 10.5, 12.0)),
            )
        )
        library.staff = planner.staff(
            library.code,
            ("директор", "методист", "главный библиотекарь"),
            kazakh_share=share,
            online_centre=village.online_centre,
        )
        library.passports = planner.passports(LibraryType.CENTRAL_DISTRICT, urban=False)
        children = UnitPlan(
            fields=_library_fields(
                code=f"{district.code}-CDB",
                kind=UnitKind.LIBRARY,
                ru=f"Районная детская библиотека {district.genitive_ru}",
                kk=f"{district_stem} аудандық балалар кітапханасы",
                en=f"{district.en} Children's Library",
                library_type=LibraryType.CHILDREN,
                address=f"{place}, {rng.randint(10, 60)}",
                latitude=_coordinate(village.latitude, rng),
                longitude=_coordinate(village.longitude, rng),
                phone=_phone(district.phone_code, rng),
                opening_year=rng.randint(1950, 1970),
                population_served=district_population // 4,
                staff_rate=3.0,
            )
        )
        children.staff = planner.staff(
            children.code, ("заведующая библиотекой", "библиотекарь"), kazakh_share=share
        )
        children.passports = planner.passports(LibraryType.CHILDREN, urban=False)
        settlement.children.extend([library, children])
    else:
        large = village.population >= 1000 or village.online_centre
        library_type = LibraryType.VILLAGE if large else LibraryType.VILLAGE_BRANCH
        rate = (
            (1.5 if village.online_centre else 1.0) if large else (0.5 if village.population >= 500 else 0.25)
        )
        library = UnitPlan(
            fields=_library_fields(
                code=village.library_code or f"{village.code}-LIB",
                kind=UnitKind.LIBRARY,
                ru=f"{village.adjective_ru} сельская библиотека",
                kk=f"{village.kk} ауылдық кітапханасы",
                en=f"{village.en} Village Library",
                library_type=library_type,
                address=f"{place}, {rng.randint(1, 40)}",
                latitude=_coordinate(village.latitude, rng),
                longitude=_coordinate(village.longitude, rng),
                phone=_phone(district.phone_code, rng),
                opening_year=rng.randint(1936, 1978),
                population_served=village.population,
                staff_rate=rate,
            )
        )
        positions = ("заведующая библиотекой",) if large else ("библиотекарь",)
        if village.online_centre or village.population >= 1500:
            positions += ("библиотекарь",)
        library.staff = planner.staff(
            library.code, positions, kazakh_share=share, online_centre=village.online_centre
        )
        library.passports = planner.passports(library_type, urban=False)
        settlement.children.append(library)
    if village.online_centre:
        centre = UnitPlan(
            fields=_library_fields(
                code=village.online_centre_code or f"{village.code}-OC",
                kind=UnitKind.ONLINE_CENTRE,
                ru=f"Онлайн-центр села {village.ru}",
                kk=f"{village.kk} ауылының онлайн-орталығы",
                en=f"{village.en} Village Online Centre",
                library_type=LibraryType.ONLINE_CENTRE,
                address=library.fields["address"],
                latitude=library.fields["latitude"],
                longitude=library.fields["longitude"],
                phone=library.fields["phone"],
                opening_year=2013,
                population_served=village.population,
                staff_rate=None,
                opened_on=date(2013, rng.randint(3, 8), rng.randint(1, 28)),
                description="Открытие подготовил методический отдел ВКО универсальной библиотеки имени Абая.",
            )
        )
        centre.passports = planner.passports(LibraryType.ONLINE_CENTRE, urban=False)
        library.children.append(centre)
    if village.school:
        school = UnitPlan(
            fields=_library_fields(
                code=f"{village.code}-SCH",
                kind=UnitKind.SCHOOL_LIBRARY,
                ru=f"Библиотека {_genitive(village.adjective_ru)} средней школы",
                kk=f"{village.kk} орта мектебінің кітапханасы",
                en=f"{village.en} Secondary School Library",
                library_type=LibraryType.SCHOOL,
                founding_department=FoundingDepartment.EDUCATION,
                address=f"с. {village.ru}, ул. Школьная, {rng.randint(1, 20)}",
                latitude=_coordinate(village.latitude, rng),
                longitude=_coordinate(village.longitude, rng),
                phone=_phone(district.phone_code, rng),
                opening_year=rng.randint(1950, 1985),
                population_served=max(60, village.population // 7),
                staff_rate=1.0 if village.population >= 2000 else 0.5,
            )
        )
        school.staff = planner.staff(school.code, ("библиотекарь",), kazakh_share=share)
        school.passports = planner.passports(LibraryType.SCHOOL, urban=False)
        settlement.children.append(school)
    return settlement


def _district(planner: Planner, district: data.District) -> UnitPlan:
    centre = next((v for v in district.villages if v.code == district.centre), district.villages[0])
    unit = UnitPlan(
        fields={
            "code": district.code,
            "kind": UnitKind.DISTRICT,
            "name_ru": district.ru,
            "name_kk": district.kk,
            "name_en": district.en,
            "latitude": Decimal(str(centre.latitude)),
            "longitude": Decimal(str(centre.longitude)),
            "population_served": sum(v.population for v in district.villages),
            "description": district.description,
        }
    )
    unit.children = [_village(planner, district, village) for village in district.villages]
    return unit


_URBAN_SHARE = {"SEM": 0.6, "SHU": 0.4, "KUR": 0.5}


def _city_library(planner: Planner, city: data.City, library: data.Library, *, regional: bool) -> UnitPlan:
    rng = planner.rng
    share = _URBAN_SHARE.get(city.code, 0.5)
    if library.kind == UnitKind.DEPARTMENT:
        unit = UnitPlan(
            fields={
                "code": library.code,
                "kind": library.kind,
                "name_ru": library.ru,
                "name_kk": library.kk,
                "name_en": library.en,
                "staff_rate": Decimal(str(library.staff_rate)),
            }
        )
        unit.staff = planner.staff(library.code, library.positions, kazakh_share=share, regional=regional)
        return unit
    unit = UnitPlan(
        fields=_library_fields(
            code=library.code,
            kind=library.kind,
            ru=library.ru,
            kk=library.kk,
            en=library.en,
            library_type=library.library_type,
            founding_department=library.founding_department,
            address=library.address,
            latitude=Decimal(str(library.latitude)),
            longitude=Decimal(str(library.longitude)),
            phone=_phone(city.phone_code, rng),
            opening_year=library.opening_year,
            population_served=library.population_served,
            staff_rate=library.staff_rate,
            email=library.email,
            description=library.description,
        )
    )
    unit.staff = planner.staff(library.code, library.positions, kazakh_share=share, regional=regional)
    unit.passports = planner.passports(library.library_type, urban=True)
    unit.children = [
        _city_library(planner, city, department, regional=regional) for department in library.departments
    ]
    return unit


def _city(planner: Planner, city: data.City) -> UnitPlan:
    unit = UnitPlan(
        fields={
            "code": city.code,
            "kind": city.kind,
            "name_ru": city.ru,
            "name_kk": city.kk,
            "name_en": city.en,
            "latitude": Decimal(str(city.latitude)),
            "longitude": Decimal(str(city.longitude)),
            "population_served": city.population,
            "description": city.description,
        }
    )
    unit.children = [
        _city_library(planner, city, library, regional=library is data.REGIONAL_LIBRARY)
        for library in city.libraries
    ]
    unit.children += [_city(planner, settlement) for settlement in city.settlements]
    return unit


def build_plan(seed: int = SEED) -> UnitPlan:
    """The whole demo network under the region, with staff and passports."""
    planner = Planner(seed)
    region = UnitPlan(
        fields={
            "code": data.REGION["code"],
            "kind": UnitKind.REGION,
            "name_ru": data.REGION["name_ru"],
            "name_kk": data.REGION["name_kk"],
            "name_en": data.REGION["name_en"],
            "latitude": Decimal(str(data.REGION["latitude"])),
            "longitude": Decimal(str(data.REGION["longitude"])),
            "population_served": data.REGION["population_served"],
            "description": data.REGION["description"],
        }
    )
    region.children = [_city(planner, city) for city in data.CITIES]
    region.children += [_district(planner, district) for district in data.DISTRICTS]
    return region
