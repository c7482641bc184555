"""What the demo's coordination is made of: the agreements of the regional library with the libraries of the
colleges of Semey and a school library of Kurchatov, and the joint work recorded with the colleges.

The seed: the regional library coordinates the work of the college libraries of the city. Dates hang from
the anchor (the first day of the current month, see `events_load.anchor_month`) as whole months back, so
the agreement of the pedagogical college is «№ 14 от 12.02.2025» when the demo is loaded in November 2026,
and the agreement of the medical college always ends within 60 days of loading.
"""

# ruff: noqa: E501

from dataclasses import dataclass

OWNER_UNIT = "VKOUB"
AUTHOR_USERNAME = "methodist"
CONSULTANT_UNIT = "VKOUB-MO"
DIRECTOR = "Б. Е. Каирбекова"


@dataclass(frozen=True)
class Agreement:
    partner: str  # code of the partner library
    number: str
    months_back: int  # signed this many whole months before the anchor month…
    day: int  # …on this day of that month; the term starts the same day
    years: int | None  # length of the term; None: without an end date
    subject: str
    joint_plan: str
    partner_head: str  # the position that signs for the partner (nominative and genitive)
    partner_head_genitive: str
    # The term ends this many days after the anchor instead (an agreement that expires soon).
    ends_days_after_anchor: int | None = None


@dataclass(frozen=True)
class JointConsultation:
    partner: str
    months_back: int
    day: int
    topic: str
    mode: str
    form: str
    people: int
    result: str


@dataclass(frozen=True)
class JointVisit:
    partner: str
    months_back: int
    day: int
    purpose: str
    people_met: str


E_RESOURCES = (
    "доступ студентов и преподавателей к электронным ресурсам Областной библиотеки (электронный каталог, "
    "полнотекстовые базы данных, Казахстанская национальная электронная библиотека) по единому читательскому билету"
)

# fmt: off
AGREEMENTS: tuple[Agreement, ...] = (
    Agreement(
        "SEM-PED", "5", months_back=57, day=12, years=3,
        subject=(
            "Сотрудничество в проведении библиотечных уроков для студентов педагогического колледжа и "
            "методическая помощь библиотеке колледжа в организации справочно-библиографического обслуживания."
        ),
        joint_plan=(
            "Библиотечные уроки для студентов 1 курса «Знакомство с областной библиотекой»\n"
            "Консультации библиотекаря колледжа по систематизации фонда учебной литературы"
        ),
        partner_head="заведующая библиотекой", partner_head_genitive="заведующей библиотекой",
    ),
    Agreement(
        "SEM-PED", "14", months_back=21, day=12, years=3,
        subject=(
            "Координация деятельности в области информационного обслуживания студентов и преподавателей: "
            "совместные библиотечные уроки и уроки информационной грамотности для будущих учителей, "
            f"{E_RESOURCES}, обмен опытом в работе с детской литературой."
        ),
        joint_plan=(
            "Цикл библиотечных уроков «Информационная грамотность будущего учителя» (сентябрь – ноябрь)\n"
            "Урок-практикум «Поиск в электронном каталоге и базах данных Областной библиотеки»\n"
            "Совместный литературный вечер к юбилею Мухтара Ауэзова\n"
            "Педагогическая практика студентов в детском отделе Областной библиотеки\n"
            "Методический день для библиотекаря колледжа «Справочно-библиографический аппарат»"
        ),
        partner_head="заведующая библиотекой", partner_head_genitive="заведующей библиотекой",
    ),
    Agreement(
        "SEM-MED", "9", months_back=23, day=3, years=None, ends_days_after_anchor=45,
        subject=(
            "Сотрудничество в информационном обеспечении учебного процесса медицинского колледжа: уроки "
            f"информационной грамотности для студентов, {E_RESOURCES}, совместные книжные выставки и "
            "дни информации по здоровому образу жизни."
        ),
        joint_plan=(
            "Уроки информационной грамотности «Медицинские ресурсы в интернете: как отличить достоверное»\n"
            "День информации «Здоровый образ жизни – выбор молодых»\n"
            "Книжная выставка новых поступлений медицинской литературы\n"
            "Консультации по комплектованию фонда учебной литературы на казахском языке"
        ),
        partner_head="заведующая библиотекой", partner_head_genitive="заведующей библиотекой",
    ),
    Agreement(
        "SEM-FEK", "21", months_back=8, day=5, years=2,
        subject=(
            "Координация работы по повышению финансовой и информационной грамотности студентов: "
            f"совместные мероприятия, библиотечные уроки, {E_RESOURCES}."
        ),
        joint_plan=(
            "Деловая игра «Финансовая грамотность: личный бюджет студента»\n"
            "Библиотечный урок «Правовые и экономические базы данных»\n"
            "Неделя экономической книги в библиотеке колледжа"
        ),
        partner_head="заведующая библиотекой", partner_head_genitive="заведующей библиотекой",
    ),
    Agreement(
        "KUR-SCH", "3", months_back=14, day=20, years=None,
        subject=(
            "Сотрудничество в продвижении детского чтения и краеведения: методическая помощь библиотеке "
            "школы-гимназии, совместные библиотечные уроки для учащихся, участие школьной библиотеки в "
            "областных конкурсах и акциях чтения."
        ),
        joint_plan=(
            "Библиотечные уроки для учащихся 5–7 классов «Как устроена библиотека»\n"
            "Областная акция «Читающая школа»\n"
            "Краеведческие чтения «Курчатов: город и люди»"
        ),
        partner_head="заведующая библиотекой", partner_head_genitive="заведующей библиотекой",
    ),
)

JOINT_CONSULTATIONS: tuple[JointConsultation, ...] = (
    JointConsultation("SEM-PED", 3, 9, "Подготовка библиотечного урока «Информационная грамотность будущего учителя»",
                      "on_site", "group", 3, "Согласованы план урока и список электронных ресурсов"),
    JointConsultation("SEM-MED", 5, 16, "Доступ студентов к базам данных Областной библиотеки по единому билету",
                      "phone", "individual", 1, "Разъяснён порядок записи студентов"),
    JointConsultation("SEM-FEK", 2, 4, "Подготовка деловой игры «Финансовая грамотность: личный бюджет студента»",
                      "online", "individual", 1, "Передан сценарий игры и список литературы"),
)

JOINT_VISITS: tuple[JointVisit, ...] = (
    JointVisit("SEM-PED", 2, 18,
               "Совместный библиотечный урок «Поиск в электронном каталоге и базах данных» для студентов 2 курса "
               "педагогического колледжа; методическая помощь библиотеке колледжа.",
               "Заведующая библиотекой колледжа, преподаватель казахской литературы, 24 студента"),
    JointVisit("SEM-MED", 4, 22,
               "День информации «Здоровый образ жизни – выбор молодых» в библиотеке медицинского колледжа; "
               "обсуждение продления договора о сотрудничестве.",
               "Заведующая библиотекой колледжа, заместитель директора по учебной работе"),
)
# fmt: on
