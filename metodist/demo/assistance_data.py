"""What the demo's consultations are made of: who was helped, on which topics, by which directions.

The seed: the methodological department helps the libraries of the region in every direction of their
work, answers the online centres daily and travels to villages (Mukur, Kainar, Kaskabulak).
"""

from dataclasses import dataclass

CONSULTANT_USERNAME = "methodist"
CONSULTANT_UNIT = "VKOUB-MO"
HISTORY_MONTHS = 12
PER_MONTH = (8, 14)  # consultations a month, drawn between these


@dataclass(frozen=True)
class Topic:
    text: str
    direction: str  # code of a direction of work (see assistance/migrations/0002_directions.py)
    result: str = ""


# Units helped, with a weight: the online centres call most often.
RECIPIENTS: tuple[tuple[str, int], ...] = (
    ("MUK-LIB", 4),
    ("MUK-OC", 5),
    ("KAI-LIB", 3),
    ("KAI-OC", 5),
    ("KAS-LIB", 3),
    ("BSK-OC", 4),
    ("KAN-OC", 4),
    ("BSK-CRB", 2),
    ("ABY-CRB", 2),
    ("SEM-MED", 1),
    ("SEM-PED", 1),
    ("SEM-AGR", 1),
)

# fmt: off
TOPICS: tuple[Topic, ...] = (
    Topic("Заполнение паспорта библиотеки", "reporting", "Паспорт заполнен и отправлен"),
    Topic("Работа онлайн-центра: учёт посетителей", "online_centres", "Дан образец журнала учёта"),
    Topic("Еженедельный отчёт онлайн-центра", "online_centres", "Отчёт принят без замечаний"),
    Topic("Оказание государственных услуг через портал eGov в онлайн-центре", "online_centres"),
    Topic("Составление годового плана работы библиотеки", "management", "Рекомендованы разделы плана"),
    Topic("Годовой статистический отчёт по форме 6-НК", "reporting", "Исправлены ошибки в разделе 2"),
    Topic("Дневник работы библиотеки: ведение и подсчёт показателей", "reporting"),
    Topic("Списание ветхой и устаревшей литературы", "collections", "Разъяснён порядок оформления актов"),
    Topic("Комплектование фонда казахстанской литературой", "collections"),
    Topic("Систематизация по ББК: краеведческие издания", "cataloguing"),
    Topic("Ввод записей в электронный каталог", "automation", "Показан порядок ввода"),
    Topic("Подключение к Казахстанской национальной электронной библиотеке", "automation"),
    Topic("Выполнение тематических справок для читателей", "bibliography"),
    Topic("Подготовка рекомендательного списка литературы", "bibliography"),
    Topic("Сценарий литературного вечера к юбилею Абая", "mass_work", "Направлен сценарий"),
    Topic("Новые формы массовой работы: библиодесант", "mass_work"),
    Topic("Организация летнего чтения детей", "children", "Передан план мероприятий"),
    Topic("Краеведческая картотека села", "local_history", "Даны рекомендации по рубрикам"),
    Topic("Летопись села: сбор материалов", "local_history"),
    Topic("Продвижение услуг библиотеки в социальных сетях", "marketing"),
    Topic("Изучение читательских потребностей: анкета", "marketing", "Передан образец анкеты"),
    Topic("Обслуживание студентов: справочный аппарат библиотеки колледжа", "bibliography"),
)
# fmt: on

# Colleges ask about their own concerns; villages and online centres about everything else.
COLLEGE_TOPICS = (
    "Обслуживание студентов: справочный аппарат библиотеки колледжа",
    "Подготовка рекомендательного списка литературы",
    "Ввод записей в электронный каталог",
    "Списание ветхой и устаревшей литературы",
)
ONLINE_CENTRE_TOPICS = (
    "Работа онлайн-центра: учёт посетителей",
    "Еженедельный отчёт онлайн-центра",
    "Оказание государственных услуг через портал eGov в онлайн-центре",
    "Подключение к Казахстанской национальной электронной библиотеке",
)
