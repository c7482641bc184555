"""The places and people of the demo network: the East Kazakhstan library network of the seed report.

Pure data, no database. `plan.py` turns it into units, staff and passports (with the generated numbers),
`load.py` writes them. The seed names the districts Abay, Abralinsky, Beskaragay and Borodulikha, the
villages Mukur, Kainar, Kaskabulak, Beskaragay and Kanonerka, the settlement Shulbinsk, the cities
Kurchatov and Semey, the college libraries of the city and the regional library with its methodological
and marketing departments. Coordinates are approximate; codes are fixed because tests and the browser
test look units up by them.
"""

# The tables below keep a record on one or two lines, which reads better than one value a line.
# ruff: noqa: E501

from dataclasses import dataclass, field
from datetime import date

from metodist.network.models import Education, FoundingDepartment, LibraryType, TrainingKind

REGION = {
    "code": "VKO",
    "name_ru": "Восточно-Казахстанская область",
    "name_kk": "Шығыс Қазақстан облысы",
    "name_en": "East Kazakhstan Region",
    "latitude": 49.95,
    "longitude": 82.61,
    "population_served": 1_369_000,
    "description": (
        "Библиотечная сеть, которую курирует ВКО универсальная библиотека имени Абая как методический "
        "центр. С 2022 года Абайский, Бескарагайский и Бородулихинский районы, города Семей и Курчатов "
        "входят в состав Абайской области (Абай облысы)."
    ),
}


@dataclass(frozen=True)
class Village:
    """A village (or settlement) with its library; `online_centre` and `school` add units under it."""

    code: str
    ru: str
    kk: str
    en: str
    adjective_ru: str  # "Мукурская": the library is "Мукурская сельская библиотека"
    latitude: float
    longitude: float
    population: int
    street: str = "ул. Абая"
    online_centre: bool = False
    school: bool = False
    library_code: str = ""  # defaults to "<code>-LIB"
    online_centre_code: str = ""  # defaults to "<code>-OC"


@dataclass(frozen=True)
class District:
    code: str
    ru: str
    kk: str
    en: str
    genitive_ru: str  # "Абайского района"
    phone_code: str
    kazakh_share: float  # share of Kazakh names among staff
    villages: tuple[Village, ...]
    centre: str = ""  # code of the village with the central district library; none for a former district
    description: str = ""


# fmt: off
DISTRICTS: tuple[District, ...] = (
    District(
        code="ABY", ru="Абайский район", kk="Абай ауданы", en="Abay District", genitive_ru="Абайского района",
        phone_code="72252", kazakh_share=0.97, centre="KRL",
        description="Район у подножья Чингизтау к юго-западу от Семея; центр — село Караул.",
        villages=(
            Village("KRL", "Караул", "Қарауыл", "Karaul", "Караульская", 48.945, 79.255, 6100,
                    street="ул. Кунанбаева", school=True),
            Village("MUK", "Мукур", "Мұқыр", "Mukur", "Мукурская", 49.118, 79.032, 1380,
                    street="ул. Абая", online_centre=True, school=True),
            Village("KAS", "Каскабулак", "Қасқабұлақ", "Kaskabulak", "Каскабулакская", 48.652, 79.468, 1120,
                    street="ул. Ауэзова", school=True),
            Village("ARH", "Архат", "Архат", "Arkhat", "Архатская", 49.318, 79.542, 960, street="ул. Шакарима"),
            Village("MED", "Медеу", "Медеу", "Medeu", "Медеуская", 48.781, 79.087, 640, street="ул. Бейбітшілік"),
            Village("SAR", "Саржал", "Саржал", "Sarzhal", "Саржальская", 49.587, 78.742, 1210, street="ул. Жамбыла"),
            Village("KUN", "Кундызды", "Құндызды", "Kundyzdy", "Кундыздинская", 48.853, 79.614, 420,
                    street="ул. Мектеп"),
            Village("KEN", "Кенгирбай би", "Кеңгірбай би", "Kengirbay Bi", "Кенгирбайбийская", 49.042, 78.873,
                    730, street="ул. Абая"),
            Village("KOK", "Кокбай", "Көкбай", "Kokbay", "Кокбайская", 48.722, 79.816, 380, street="ул. Орталық"),
        ),
    ),
    District(
        code="ABR", ru="Абралинский район", kk="Абыралы ауданы", en="Abyraly (Abralinsky) District",
        genitive_ru="Абралинского района", phone_code="72252", kazakh_share=0.97,
        description=(
            "Бывший район с центром в селе Кайнар, упразднён в 1997 году; его сёла вошли в Абайский район. "
            "Методический отдел курирует библиотеки бывшего района отдельным кустом."
        ),
        villages=(
            Village("KAI", "Кайнар", "Қайнар", "Kainar", "Кайнарская", 49.201, 77.389, 2150,
                    street="ул. Абая", online_centre=True, school=True),
            Village("AKB", "Акбулак", "Ақбұлақ", "Akbulak", "Акбулакская", 49.347, 77.652, 690,
                    street="ул. Школьная"),
            Village("SRG", "Саргалдак", "Сарғалдақ", "Sargaldak", "Саргалдакская", 49.064, 77.811, 540,
                    street="ул. Ауэзова"),
            Village("AIN", "Айнабулак", "Айнабұлақ", "Ainabulak", "Айнабулакская", 49.415, 77.173, 470,
                    street="ул. Абая"),
            Village("TAN", "Танат", "Танат", "Tanat", "Танатская", 49.128, 77.045, 350, street="ул. Орталық"),
        ),
    ),
    District(
        code="BSK", ru="Бескарагайский район", kk="Бесқарағай ауданы", en="Beskaragay District",
        genitive_ru="Бескарагайского района", phone_code="72236", kazakh_share=0.55, centre="BES",
        description="Район в ленточном бору на левом берегу Иртыша; центр — село Бескарагай.",
        villages=(
            Village("BES", "Бескарагай", "Бесқарағай", "Beskaragay", "Бескарагайская", 50.893, 79.488, 4300,
                    street="ул. Трудовая", online_centre=True, school=True, online_centre_code="BSK-OC"),
            Village("KAN", "Канонерка", "Канонерка", "Kanonerka", "Канонерская", 50.702, 79.861, 1050,
                    street="ул. Садовая", online_centre=True, school=True),
            Village("GLU", "Глуховка", "Глуховка", "Glukhovka", "Глуховская", 50.977, 79.712, 880,
                    street="ул. Центральная"),
            Village("BEG", "Бегень", "Беген", "Begen", "Бегеньская", 51.081, 79.226, 1230,
                    street="ул. Школьная", school=True),
            Village("BVL", "Большая Владимировка", "Үлкен Владимировка", "Bolshaya Vladimirovka",
                    "Большевладимировская", 50.812, 79.402, 2560, street="ул. Ленина", school=True),
            Village("MVL", "Малая Владимировка", "Кіші Владимировка", "Malaya Vladimirovka",
                    "Маловладимировская", 50.936, 79.309, 610, street="ул. Мира"),
            Village("KRB", "Карабас", "Қарабас", "Karabas", "Карабасская", 50.744, 79.642, 470, street="ул. Абая"),
            Village("ERT", "Ертис", "Ертіс", "Ertis", "Ертисская", 51.012, 79.843, 540, street="ул. Береговая"),
            Village("STK", "Стеклянка", "Стеклянка", "Steklyanka", "Стеклянская", 50.614, 79.352, 290,
                    street="ул. Лесная"),
        ),
    ),
    District(
        code="BRD", ru="Бородулихинский район", kk="Бородулиха ауданы", en="Borodulikha District",
        genitive_ru="Бородулихинского района", phone_code="72351", kazakh_share=0.3, centre="BOR",
        description="Район на правобережье Иртыша к северо-востоку от Семея; центр — село Бородулиха.",
        villages=(
            Village("BOR", "Бородулиха", "Бородулиха", "Borodulikha", "Бородулихинская", 50.718, 80.934, 7800,
                    street="ул. Молодёжная", school=True),
            Village("NPK", "Новопокровка", "Новопокровка", "Novopokrovka", "Новопокровская", 50.861, 81.046,
                    1640, street="ул. Советская", school=True),
            Village("ZHE", "Жерновка", "Жерновка", "Zhernovka", "Жерновская", 50.624, 81.176, 1120,
                    street="ул. Школьная", school=True),
            Village("PER", "Переменовка", "Переменовка", "Peremenovka", "Переменовская", 50.552, 80.981, 690,
                    street="ул. Центральная"),
            Village("BEL", "Бель-Агач", "Бельағаш", "Bel-Agach", "Бельагачская", 50.482, 80.476, 2350,
                    street="ул. Абая", school=True),
            Village("AND", "Андроновка", "Андроновка", "Andronovka", "Андроновская", 50.781, 81.252, 530,
                    street="ул. Набережная"),
            Village("PET", "Петропавловка", "Петропавловка", "Petropavlovka", "Петропавловская", 50.948, 80.752,
                    760, street="ул. Гагарина"),
            Village("DMI", "Дмитриевка", "Дмитриевка", "Dmitriyevka", "Дмитриевская", 50.661, 80.618, 410,
                    street="ул. Мира"),
        ),
    ),
)
# fmt: on


@dataclass(frozen=True)
class Library:
    """A library of a city, given one by one (cities have no village pattern)."""

    code: str
    kind: str  # UnitKind value
    ru: str
    kk: str
    en: str
    library_type: str
    address: str
    latitude: float
    longitude: float
    opening_year: int
    population_served: int
    staff_rate: float
    positions: tuple[str, ...]
    founding_department: str = FoundingDepartment.CULTURE
    email: str = ""
    website: str = ""
    description: str = ""
    departments: tuple["Library", ...] = ()


@dataclass(frozen=True)
class City:
    code: str
    kind: str  # city or settlement
    ru: str
    kk: str
    en: str
    latitude: float
    longitude: float
    population: int
    phone_code: str
    libraries: tuple[Library, ...]
    settlements: tuple["City", ...] = ()
    description: str = ""


def _college(
    code: str, ru: str, kk: str, en: str, address: str, lat: float, lon: float, year: int
) -> Library:
    return Library(
        code=code,
        kind="college_library",
        ru=f"Библиотека {ru}",
        kk=f"{kk} кітапханасы",
        en=f"Library of {en}",
        library_type=LibraryType.COLLEGE,
        founding_department=FoundingDepartment.EDUCATION,
        address=f"г. Семей, {address}",
        latitude=lat,
        longitude=lon,
        opening_year=year,
        population_served=900,
        staff_rate=1.5,
        positions=("заведующая библиотекой", "библиотекарь"),
    )


def _department(code: str, ru: str, kk: str, en: str, positions: tuple[str, ...]) -> Library:
    return Library(
        code=code,
        kind="department",
        ru=ru,
        kk=kk,
        en=en,
        library_type="",
        address="",
        latitude=0,
        longitude=0,
        opening_year=0,
        population_served=0,
        staff_rate=float(len(positions)),
        positions=positions,
    )


REGIONAL_LIBRARY = Library(
    code="VKOUB",
    kind="library",
    ru="ВКО универсальная библиотека имени Абая",
    kk="Абай атындағы ШҚО әмбебап кітапханасы",
    en="Abai East Kazakhstan Regional Universal Library",
    library_type=LibraryType.REGIONAL,
    address="г. Семей, ул. Абая Кунанбаева, 88",
    latitude=50.4105,
    longitude=80.2453,
    opening_year=1883,
    population_served=350_000,
    staff_rate=64,
    positions=("директор", "заместитель директора"),
    email="vkoub@example.kz",
    description=(
        "Методический центр для библиотек Абайского, Абралинского, Бескарагайского, Бородулихинского "
        "районов, с. Мукур, п. Шульбинск, городов Курчатов и Семей; координирует работу с библиотеками "
        "колледжей города и сопровождает сельские онлайн-центры."
    ),
    departments=(
        _department(
            "VKOUB-MO",
            "Методический отдел",
            "Әдістемелік бөлім",
            "Methodological Department",
            ("заведующая методическим отделом", "методист", "главный методист"),
        ),
        _department(
            "VKOUB-MSKP",
            "Отдел маркетинга и социально-культурных проектов",
            "Маркетинг және әлеуметтік-мәдени жобалар бөлімі",
            "Department of Marketing and Socio-Cultural Projects",
            ("заведующая отделом маркетинга и социально-культурных проектов", "библиотекарь-маркетолог"),
        ),
        _department(
            "VKOUB-OO",
            "Отдел обслуживания",
            "Оқырмандарға қызмет көрсету бөлімі",
            "Reader Services Department",
            ("заведующая отделом обслуживания", "главный библиотекарь", "библиотекарь"),
        ),
        _department(
            "VKOUB-KR",
            "Отдел краеведения",
            "Өлкетану бөлімі",
            "Local History Department",
            ("заведующая отделом краеведения", "главный библиографист"),
        ),
        _department(
            "VKOUB-OKO",
            "Отдел комплектования и обработки литературы",
            "Әдебиетті жинақтау және өңдеу бөлімі",
            "Acquisitions and Cataloguing Department",
            ("заведующая отделом комплектования", "библиотекарь"),
        ),
    ),
)

# fmt: off
SHULBINSK = City(
    code="SHU", kind="settlement", ru="посёлок Шульбинск", kk="Шүлбі кенті", en="Shulbinsk settlement",
    latitude=50.412, longitude=81.079, population=3100, phone_code="7222",
    description="Посёлок у Шульбинской ГЭС в административном подчинении г. Семей.",
    libraries=(
        Library("SHU-LIB", "library", "Шульбинская поселковая библиотека", "Шүлбі кенттік кітапханасы",
                "Shulbinsk Settlement Library", LibraryType.VILLAGE, "п. Шульбинск, ул. Энергетиков, 7",
                50.4125, 81.0771, 1962, 3100, 1.0, ("заведующая библиотекой", "библиотекарь")),
        Library("SHU-SCH", "school_library", "Библиотека Шульбинской средней школы",
                "Шүлбі орта мектебінің кітапханасы", "Shulbinsk Secondary School Library", LibraryType.SCHOOL,
                "п. Шульбинск, ул. Школьная, 2", 50.4107, 81.0822, 1965, 420, 0.5, ("библиотекарь",),
                founding_department=FoundingDepartment.EDUCATION),
    ),
)

SEMEY = City(
    code="SEM", kind="city", ru="город Семей", kk="Семей қаласы", en="Semey City",
    latitude=50.411, longitude=80.227, population=350_000, phone_code="7222",
    description="Город на Иртыше, центр Абайской области с 2022 года; здесь работает областная библиотека.",
    settlements=(SHULBINSK,),
    libraries=(
        REGIONAL_LIBRARY,
        Library("SEM-CGB", "library", "Центральная городская библиотека г. Семей",
                "Семей қалалық орталық кітапханасы", "Semey Central City Library", LibraryType.CENTRAL_CITY,
                "г. Семей, ул. Кабанбай батыра, 41", 50.4162, 80.2384, 1937, 120_000, 12.0,
                ("директор", "методист", "главный библиотекарь")),
        Library("SEM-GDB", "library", "Городская детская библиотека г. Семей",
                "Семей қалалық балалар кітапханасы", "Semey City Children's Library", LibraryType.CHILDREN,
                "г. Семей, ул. Интернациональная, 25", 50.4058, 80.2497, 1946, 38_000, 6.0,
                ("заведующая библиотекой", "библиотекарь")),
        Library("SEM-GYB", "library", "Городская юношеская библиотека г. Семей",
                "Семей қалалық жасөспірімдер кітапханасы", "Semey City Youth Library", LibraryType.YOUTH,
                "г. Семей, ул. Шакарима, 76", 50.4231, 80.2619, 1978, 22_000, 4.0,
                ("заведующая библиотекой", "библиотекарь")),
        Library("SEM-F03", "library", "Библиотека-филиал № 3 г. Семей", "Семей қаласының № 3 филиал-кітапханасы",
                "Semey Branch Library No. 3", LibraryType.CITY_BRANCH, "г. Семей, ул. Глинки, 48",
                50.3978, 80.2102, 1956, 14_000, 2.0, ("заведующая филиалом", "библиотекарь")),
        Library("SEM-F05", "library", "Библиотека-филиал № 5 г. Семей", "Семей қаласының № 5 филиал-кітапханасы",
                "Semey Branch Library No. 5", LibraryType.CITY_BRANCH, "г. Семей, ул. Сеченова, 12",
                50.4395, 80.2713, 1961, 11_000, 2.0, ("заведующая филиалом", "библиотекарь")),
        Library("SEM-F08", "library", "Библиотека-филиал № 8 г. Семей", "Семей қаласының № 8 филиал-кітапханасы",
                "Semey Branch Library No. 8", LibraryType.CITY_BRANCH, "г. Семей, ул. Рыскулова, 5",
                50.3851, 80.3015, 1969, 9_500, 1.5, ("заведующая филиалом",)),
        _college("SEM-MED", "Семипалатинского медицинского колледжа", "Семей медициналық колледжінің",
                 "Semipalatinsk Medical College", "ул. Абая Кунанбаева, 103", 50.4089, 80.2468, 1931),
        _college("SEM-PED", "Семейского педагогического колледжа имени Мухтара Ауэзова",
                 "Мұхтар Әуезов атындағы Семей педагогикалық колледжінің",
                 "Mukhtar Auezov Semey Pedagogical College", "ул. Лессия, 1", 50.4133, 80.2521, 1903),
        _college("SEM-FEK", "Семейского финансово-экономического колледжа", "Семей қаржы-экономикалық колледжінің",
                 "Semey College of Finance and Economics", "ул. Уранхаева, 24", 50.4204, 80.2355, 1959),
        _college("SEM-ART", "Семипалатинского колледжа искусств", "Семей өнер колледжінің",
                 "Semipalatinsk College of Arts", "ул. Мухтара Ауэзова, 22", 50.4087, 80.2412, 1936),
        _college("SEM-AGR", "Семейского аграрно-технического колледжа", "Семей аграрлық-техникалық колледжінің",
                 "Semey Agrarian and Technical College", "ул. Танирбергенова, 4", 50.4441, 80.2209, 1949),
        _college("SEM-GEO", "Семипалатинского геологоразведочного колледжа",
                 "Семей геологиялық барлау колледжінің", "Semipalatinsk Geological Exploration College",
                 "ул. Достоевского, 108", 50.4012, 80.2297, 1952),
    ),
)

KURCHATOV = City(
    code="KUR", kind="city", ru="город Курчатов", kk="Курчатов қаласы", en="Kurchatov City",
    latitude=50.756, longitude=78.542, population=12_000, phone_code="72251",
    description="Город у бывшего Семипалатинского полигона, здесь работает Национальный ядерный центр.",
    libraries=(
        Library("KUR-CGB", "library", "Центральная городская библиотека г. Курчатов",
                "Курчатов қалалық орталық кітапханасы", "Kurchatov Central City Library", LibraryType.CENTRAL_CITY,
                "г. Курчатов, ул. Тәуелсіздік, 10", 50.7558, 78.5441, 1954, 9_000, 4.0,
                ("заведующая библиотекой", "методист", "библиотекарь")),
        Library("KUR-GDB", "library", "Городская детская библиотека г. Курчатов",
                "Курчатов қалалық балалар кітапханасы", "Kurchatov City Children's Library", LibraryType.CHILDREN,
                "г. Курчатов, ул. Курчатова, 18", 50.7531, 78.5389, 1962, 2_400, 2.0,
                ("заведующая библиотекой", "библиотекарь")),
        Library("KUR-NTB", "library", "Научно-техническая библиотека Национального ядерного центра",
                "Ұлттық ядролық орталықтың ғылыми-техникалық кітапханасы",
                "Scientific and Technical Library of the National Nuclear Centre", LibraryType.SPECIAL,
                "г. Курчатов, ул. Бейбіт атом, 2Б", 50.7594, 78.5502, 1993, 1_500, 2.0,
                ("заведующая библиотекой", "библиограф"), founding_department=FoundingDepartment.OTHER,
                description="Библиотека другого ведомства; работа координируется по соглашению."),
        Library("KUR-SCH", "school_library", "Библиотека школы-гимназии г. Курчатов",
                "Курчатов қаласы мектеп-гимназиясының кітапханасы", "Kurchatov School-Gymnasium Library",
                LibraryType.SCHOOL, "г. Курчатов, ул. Курчатова, 27", 50.7512, 78.5473, 1960, 700, 1.0,
                ("заведующая библиотекой",), founding_department=FoundingDepartment.EDUCATION),
    ),
)
# fmt: on

CITIES: tuple[City, ...] = (SEMEY, KURCHATOV)


@dataclass(frozen=True)
class Training:
    """A training from the qualification histories; `audience` says who attended it."""

    title: str
    kind: str
    provider: str
    started_on: date
    ended_on: date | None
    hours: int
    audience: str  # "regional" (staff of VKOUB), "online_centre" (librarians of online centres) or "all"
    certificate_prefix: str = ""


VKOUB = "ВКО универсальная библиотека имени Абая"
NAB = "Национальная академическая библиотека Республики Казахстан"

# fmt: off
TRAININGS: tuple[Training, ...] = (
    Training("Библиотечный урок «Маркетинг и методическая помощь»", TrainingKind.LIBRARY_LESSON, VKOUB,
             date(2013, 9, 20), None, 2, "regional"),
    Training("Школа сельского библиотекаря «Онлайн-центр на селе»", TrainingKind.RURAL_SCHOOL, VKOUB,
             date(2013, 4, 16), date(2013, 4, 17), 12, "online_centre"),
    Training("Групповая консультация «Отчёт о деятельности онлайн-центра»", TrainingKind.CONSULTATION, VKOUB,
             date(2013, 10, 8), None, 2, "online_centre"),
    Training("Семинар «Новые формы массовой работы в библиотеках»", TrainingKind.SEMINAR, VKOUB,
             date(2014, 3, 13), None, 6, "all"),
    Training("Стажировка в методическом отделе ВКО универсальной библиотеки имени Абая",
             TrainingKind.INTERNSHIP, VKOUB, date(2015, 10, 12), date(2015, 10, 16), 36, "all"),
    Training("Мастер-класс «Изучение потребностей пользователей сельской библиотеки»", TrainingKind.WORKSHOP,
             VKOUB, date(2016, 5, 25), None, 4, "all"),
    Training("Областная научно-практическая конференция «Библиотека и краеведение»", TrainingKind.CONFERENCE,
             VKOUB, date(2017, 11, 22), None, 8, "all"),
    Training("Курсы повышения квалификации «Современная библиотека в информационном обществе»",
             TrainingKind.COURSE, NAB, date(2018, 10, 8), date(2018, 10, 19), 72, "all", "НАБ-"),
    Training("Методический день «Годовой отчёт библиотеки: показатели и анализ»", TrainingKind.METHODOLOGICAL_DAY,
             VKOUB, date(2019, 12, 5), None, 6, "all"),
    Training("Вебинар «Продвижение чтения в социальных сетях»", TrainingKind.WEBINAR, NAB, date(2021, 2, 18), None,
             2, "all"),
    Training("Курсы «Автоматизированная библиотечная система: каталогизация»", TrainingKind.COURSE, VKOUB,
             date(2022, 9, 12), date(2022, 9, 16), 36, "all", "ВКОУБ-"),
    Training("Семинар-практикум «Онлайн-центр: услуги и отчётность»", TrainingKind.SEMINAR, VKOUB,
             date(2023, 3, 14), None, 6, "online_centre"),
)
# fmt: on

SEED_LESSON = TRAININGS[0]
ONLINE_CENTRE_SCHOOL = TRAININGS[1]


@dataclass(frozen=True)
class NamedPerson:
    """A person the seed (or the demo logins) names; placed at a fixed unit and position."""

    unit_code: str
    full_name: str
    position: str
    education: str
    started_on: date
    username: str = ""


# fmt: off
NAMED_PEOPLE: tuple[NamedPerson, ...] = (
    NamedPerson("VKOUB", "Каирбекова Ботагоз Ермековна", "директор", Education.HIGHER_LIBRARY, date(2004, 3, 1),
                username="admin"),
    NamedPerson("VKOUB-MO", "Мальцева Ольга Николаевна", "методист", Education.HIGHER_LIBRARY, date(1998, 9, 1),
                username="methodist"),
    NamedPerson("VKOUB-MSKP", "Адикаева Роза Мухтаровна",
                "заведующая отделом маркетинга и социально-культурных проектов", Education.HIGHER_LIBRARY,
                date(2001, 2, 12), username="marketer"),
    NamedPerson("MUK-LIB", "Жумабаева Айгуль Серикбаевна", "заведующая библиотекой",
                Education.VOCATIONAL_LIBRARY, date(2006, 8, 15), username="mukur"),
)
# fmt: on


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str  # RoleKind value
    unit_code: str
    is_staff: bool = False
    email: str = field(default="")


DEMO_PASSWORD = "metodist-demo"  # noqa: S105 - the published password of the demo logins

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Ботагоз", "Каирбекова", "administrator", "VKO", is_staff=True),
    DemoUser("methodist", "Ольга", "Мальцева", "methodologist", "VKO"),
    DemoUser("marketer", "Роза", "Адикаева", "marketer", "VKO"),
    DemoUser("mukur", "Айгуль", "Жумабаева", "librarian", "MUK-LIB"),
    DemoUser("volunteer", "Данияр", "Ахметов", "volunteer", "MUK-LIB"),
)

# Name pools for the generated staff: (surname, first name, patronymic), female, as librarians mostly are.
# fmt: off
KAZAKH_SURNAMES = (
    "Ахметова", "Бейсенова", "Жакупова", "Касымова", "Нурланова", "Сейткалиева", "Оспанова", "Темирбекова",
    "Мухаметжанова", "Кенжебаева", "Абдрахманова", "Ержанова", "Токтарова", "Исабекова", "Садыкова",
    "Габдуллина", "Смагулова", "Омарова", "Байжуманова", "Тулеубаева", "Калиева", "Кусаинова",
)
KAZAKH_FIRST_NAMES = (
    "Айгуль", "Гульнара", "Жанар", "Динара", "Айжан", "Салтанат", "Гульмира", "Асель", "Бахыт", "Сауле",
    "Алтынай", "Жанна", "Мадина", "Меруерт", "Назгуль", "Куляш", "Айнур", "Кымбат", "Раушан", "Толкын",
)
KAZAKH_PATRONYMICS = (
    "Ерлановна", "Серикбаевна", "Жумагалиевна", "Болатовна", "Кайратовна", "Мухтаровна", "Нурлановна",
    "Асхатовна", "Амангельдиевна", "Бериковна", "Жанатовна", "Маратовна", "Толеугазиевна", "Кабдулловна",
)
RUSSIAN_SURNAMES = (
    "Иванова", "Петренко", "Кузнецова", "Шевченко", "Попова", "Соколова", "Морозова", "Волкова", "Лебедева",
    "Михайлова", "Новикова", "Фёдорова", "Гребенщикова", "Бондаренко", "Зайцева", "Полякова", "Клименко",
)
RUSSIAN_FIRST_NAMES = (
    "Ольга", "Татьяна", "Наталья", "Светлана", "Елена", "Галина", "Людмила", "Ирина", "Валентина", "Надежда",
    "Любовь", "Марина", "Вера", "Оксана", "Лариса",
)
RUSSIAN_PATRONYMICS = (
    "Николаевна", "Викторовна", "Петровна", "Александровна", "Ивановна", "Сергеевна", "Владимировна",
    "Михайловна", "Геннадьевна", "Анатольевна", "Васильевна",
)
# fmt: on
