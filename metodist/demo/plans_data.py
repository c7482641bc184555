"""What the demo's annual plans are made of: the methodological department's plan for the year and the plans
of the Beskaragay central district library and the Mukur village library.

Pure data, no database. The targets are set against the demo's records (`events_data.py`,
`visits_data.py`, `assistance_data.py`) so that plan against fact shows some items done, some on track and
some behind: the department held its monthly trainings but not the July seminar, went on fewer visits in
the second half of the year than planned, and kept up with the online centres' consultations in spring
and summer only. Directions are codes of `assistance/migrations/0002_directions.py`, forms of work codes
of the catalogue (`events_data.FORMS`).
"""

# The tables below keep an item on a line or two, which reads better than one value a line.
# ruff: noqa: E501

from dataclasses import dataclass

TRAINING = "training"
EVENT = "event"
VISIT = "visit"
CONSULTATION = "consultation"
MATERIAL = "material"


@dataclass(frozen=True)
class Item:
    kind: str
    direction: str = ""  # code of a direction of work; "" for the general work
    title: str = ""
    form: str = ""  # code of a form of work, for events and trainings
    month: int | None = None
    quarter: int | None = None  # without month and quarter: the whole year
    target: int = 1
    responsible: str = ""


@dataclass(frozen=True)
class PlanSpec:
    unit: str  # code of the unit
    approved: bool
    note: str
    items: tuple[Item, ...]


HEAD_MO = "Заведующая методическим отделом"
MALTSEVA = "Мальцева О.Н., методист"
CHIEF_MO = "Главный методист"
ADIKAEVA = "Адикаева Р.М., отдел маркетинга"

# fmt: off
METHODOLOGICAL_DEPARTMENT = PlanSpec(
    unit="VKOUB-MO",
    approved=True,
    note=(
        "Утверждён директором ВКО универсальной библиотеки имени Абая. Основные задачи года: методическое "
        "сопровождение сельских библиотек и онлайн-центров Абайского, Абралинского, Бескарагайского и "
        "Бородулихинского районов, повышение квалификации библиотекарей, изучение и распространение "
        "лучшего опыта."
    ),
    items=(
        # Trainings for librarians, by month.
        Item(TRAINING, "management", "Планирование работы библиотек на год: приоритеты и показатели", "seminar", month=1, responsible=HEAD_MO),
        Item(TRAINING, "automation", "Электронный каталог сельской библиотеки: работа в АБИС", "workshop", month=2, responsible=CHIEF_MO),
        Item(TRAINING, "mass_work", "Новые формы массовой работы в сельской библиотеке", "rural_school", month=3, responsible=MALTSEVA),
        Item(TRAINING, "mass_work", "Библионочь: как подготовить и провести", "methodological_day", month=4, responsible=CHIEF_MO),
        Item(TRAINING, "children", "Летнее чтение детей: программы и формы работы", "seminar", month=5, responsible=MALTSEVA),
        Item(TRAINING, "marketing", "Буктрейлер своими руками", "master_class", month=6, responsible=ADIKAEVA),
        Item(TRAINING, "online_centres", "Информационная безопасность посетителей онлайн-центров", "seminar", month=7, responsible=MALTSEVA),
        Item(TRAINING, "online_centres", "Онлайн-центр: новые электронные услуги для сельчан", "webinar", month=8, responsible=MALTSEVA),
        Item(TRAINING, "marketing", "Маркетинг и продвижение библиотечных услуг", "library_lesson", month=9, responsible=HEAD_MO),
        Item(TRAINING, "local_history", "Краеведение в сельской библиотеке", "rural_school", month=10, responsible=MALTSEVA),
        Item(TRAINING, "marketing", "Изучение потребностей пользователей: анкетирование", "workshop", month=11, responsible=ADIKAEVA),
        Item(TRAINING, "reporting", "Годовой отчёт библиотеки: показатели и анализ", "methodological_day", month=12, responsible=CHIEF_MO),
        # Field visits: twelve in the year, more in the second half when the roads are open.
        Item(VISIT, "", "Выезды в сельские библиотеки и онлайн-центры: изучение работы, методическая помощь", quarter=1, target=2, responsible=MALTSEVA),
        Item(VISIT, "", "Выезды в сельские библиотеки и онлайн-центры: изучение работы, методическая помощь", quarter=2, target=2, responsible=MALTSEVA),
        Item(VISIT, "", "Выезды в сельские библиотеки и онлайн-центры: изучение работы, методическая помощь", quarter=3, target=4, responsible=MALTSEVA),
        Item(VISIT, "", "Выезды в сельские библиотеки и онлайн-центры: изучение работы, методическая помощь", quarter=4, target=4, responsible=MALTSEVA),
        # Consultations: all of them per quarter, and in particular those of some directions.
        Item(CONSULTATION, "", "Индивидуальные и групповые консультации библиотекарям области", quarter=1, target=30, responsible=MALTSEVA),
        Item(CONSULTATION, "", "Индивидуальные и групповые консультации библиотекарям области", quarter=2, target=30, responsible=MALTSEVA),
        Item(CONSULTATION, "", "Индивидуальные и групповые консультации библиотекарям области", quarter=3, target=30, responsible=MALTSEVA),
        Item(CONSULTATION, "", "Индивидуальные и групповые консультации библиотекарям области", quarter=4, target=30, responsible=MALTSEVA),
        Item(CONSULTATION, "online_centres", "Консультации библиотекарям онлайн-центров: учёт посетителей, еженедельные отчёты, электронные услуги", quarter=1, target=12, responsible=MALTSEVA),
        Item(CONSULTATION, "online_centres", "Консультации библиотекарям онлайн-центров: учёт посетителей, еженедельные отчёты, электронные услуги", quarter=2, target=12, responsible=MALTSEVA),
        Item(CONSULTATION, "online_centres", "Консультации библиотекарям онлайн-центров: учёт посетителей, еженедельные отчёты, электронные услуги", quarter=3, target=12, responsible=MALTSEVA),
        Item(CONSULTATION, "online_centres", "Консультации библиотекарям онлайн-центров: учёт посетителей, еженедельные отчёты, электронные услуги", quarter=4, target=12, responsible=MALTSEVA),
        Item(CONSULTATION, "automation", "Консультации по электронному каталогу и подключению к КНЭБ", target=24, responsible=CHIEF_MO),
        Item(CONSULTATION, "reporting", "Консультации по годовому отчёту, дневнику работы и паспорту библиотеки", target=12, responsible=CHIEF_MO),
        Item(CONSULTATION, "local_history", "Консультации по краеведческой работе: картотека, летопись села", target=6, responsible=MALTSEVA),
        # Materials to publish, named.
        Item(MATERIAL, "management", "Методические рекомендации «Планирование работы сельской библиотеки на год»", quarter=1, responsible=HEAD_MO),
        Item(MATERIAL, "children", "Рекомендательный список «Что читать летом: 1–4 классы»", quarter=2, responsible=MALTSEVA),
        Item(MATERIAL, "mass_work", "Сценарий литературного квеста «По следам героев „Абай жолы“»", quarter=2, responsible=MALTSEVA),
        Item(MATERIAL, "local_history", "Методические рекомендации «Краеведческая папка-досье»", quarter=3, responsible=MALTSEVA),
        Item(MATERIAL, "mass_work", "Буклет «Новые формы массовой работы в библиотеках»", quarter=3, responsible=CHIEF_MO),
        Item(MATERIAL, "reporting", "Памятка «Контрольные соотношения показателей годового отчёта»", quarter=4, responsible=CHIEF_MO),
    ),
)

BESKARAGAY_CENTRAL_LIBRARY = PlanSpec(
    unit="BSK-CRB",
    approved=True,
    note="Согласован с методическим отделом ВКО универсальной библиотеки имени Абая.",
    items=(
        Item(EVENT, "mass_work", "Библиодесант «Вместе с книгой открываем мир»", "bibliodesant", quarter=1, responsible="Отдел обслуживания ЦРБ"),
        Item(EVENT, "mass_work", "Литературный квест «По следам героев „Абай жолы“»", "literary_quest", quarter=1, responsible="Отдел обслуживания ЦРБ"),
        Item(EVENT, "mass_work", "Библиодесант в сёла района", "bibliodesant", quarter=2, target=2, responsible="Отдел обслуживания ЦРБ"),
        Item(EVENT, "online_centres", "Час цифровой грамотности «Электронное правительство — это просто»", "digital_literacy_hour", quarter=2, responsible="Администратор онлайн-центра"),
        Item(EVENT, "local_history", "Час краеведения «Туған өлкем — алтын бесігім»", "local_history_hour", quarter=3, responsible="Библиограф ЦРБ"),
        Item(EVENT, "mass_work", "Литературно-музыкальный вечер «Абай — ұлы ақын»", "literary_musical_evening", quarter=4, responsible="Отдел обслуживания ЦРБ"),
        Item(TRAINING, "reporting", "Групповая консультация «Паспорт библиотеки: как заполнить»", "consultation", quarter=2, responsible="Методист ЦРБ"),
        Item(TRAINING, "management", "Семинар сельских библиотекарей района «Итоги года и планирование»", "seminar", quarter=4, responsible="Методист ЦРБ"),
        Item(CONSULTATION, "", "Консультации сельским библиотекарям района", target=12, responsible="Методист ЦРБ"),
    ),
)

MUKUR_LIBRARY = PlanSpec(
    unit="MUK-LIB",
    approved=False,
    note="Проект плана; направлен в методический отдел на согласование.",
    items=(
        Item(EVENT, "mass_work", "Книжная выставка «Наурыз — көктем мерекесі»", "book_exhibition", month=3, responsible="Жумабаева А.С."),
        Item(EVENT, "online_centres", "Час цифровой грамотности «Электронное правительство — это просто»", "digital_literacy_hour", quarter=2, responsible="Администратор онлайн-центра"),
        Item(EVENT, "children", "Литературная викторина «Пушкинский день: у Лукоморья»", "literary_quiz", month=6, responsible="Жумабаева А.С."),
        Item(EVENT, "local_history", "Час краеведения «Туған өлкем — алтын бесігім»", "local_history_hour", quarter=3, responsible="Жумабаева А.С."),
        Item(EVENT, "mass_work", "Громкие чтения «Абай оқулары»", "reading_aloud", quarter=4, responsible="Жумабаева А.С."),
    ),
)
# fmt: on

PLANS: tuple[PlanSpec, ...] = (METHODOLOGICAL_DEPARTMENT, BESKARAGAY_CENTRAL_LIBRARY, MUKUR_LIBRARY)
