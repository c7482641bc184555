"""What the demo's field visits are made of: where the methodological department went, what it found,
what it recommended and how the libraries answered.

The seed: the department travels to villages (Mukur, Kainar, Kaskabulak), to the online centres and to
the district libraries. Each visit is tied to a calendar month (1–12), not to a date, so the loader can
place it in the right year relative to the anchor (see `visits_load.py`). Mukur is visited in two months
seven apart, so whatever the anchor one of its visits is old enough for its open recommendation to be
overdue.
"""

from dataclasses import dataclass, field

ORGANISER_UNIT = "VKOUB-MO"
AUTHOR_USERNAME = "methodist"
TEAM = "Мальцева О.Н., Адикаева Р.М."
TRANSPORT = "служебный автомобиль"

# Outcomes of a recommendation: the library's answer decides the stored status.
OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"


@dataclass(frozen=True)
class Finding:
    unit: str  # code of the destination unit
    direction: str  # code of a direction of work
    text: str


@dataclass(frozen=True)
class Advice:
    unit: str  # code of the unit that must act
    direction: str
    text: str
    due_days: int  # after the end of the visit
    outcome: str = OPEN
    answer: str = ""


@dataclass(frozen=True)
class Trip:
    month: int  # calendar month of the visit
    day: int
    days: int  # how long the trip lasts
    destinations: tuple[str, ...]  # the first one identifies the visit together with the start
    purpose: str
    people_met: str = ""
    findings: tuple[Finding, ...] = ()
    advice: tuple[Advice, ...] = field(default=())


# fmt: off
TRIPS: tuple[Trip, ...] = (
    Trip(1, 21, 1, ("BSK-CRB", "BSK-OC"),
         "Изучение работы Бескарагайской ЦРБ и онлайн-центра по итогам года, помощь в годовом отчёте",
         "Директор ЦРБ, методист ЦРБ, администратор онлайн-центра",
         (
             Finding("BSK-CRB", "reporting", "Годовой отчёт по форме 6-НК составлен, показатели "
                     "дневников сельских библиотек сведены не полностью: расхождение по посещениям "
                     "в трёх библиотеках."),
             Finding("BSK-OC", "online_centres", "Журнал учёта посетителей ведётся, за год оказано 412 "
                     "консультаций по порталу eGov; еженедельные отчёты сдаются в срок."),
         ),
         (
             Advice("BSK-CRB", "reporting", "Сверить показатели дневников сельских библиотек с годовым "
                    "отчётом и направить исправленный свод.", 20, DONE,
                    "Показатели сверены, исправленный свод направлен в методический отдел 3 февраля."),
         )),
    Trip(3, 12, 2, ("MUK-LIB", "MUK-OC", "KAS-LIB"),
         "Комплексное изучение работы Мукурской и Каскабулакской сельских библиотек и онлайн-центра с. Мукур",
         "Заведующая Мукурской библиотекой Жумабаева А.С., аким сельского округа, библиотекарь Каскабулака",
         (
             Finding("MUK-LIB", "collections", "Фонд 9 840 экз., из них 38 % изданы до 1991 года; акты "
                     "списания ветхой литературы за два года не оформлены."),
             Finding("MUK-LIB", "local_history", "Краеведческая картотека ведётся с 2015 года, рубрики "
                     "«Знатные люди села» и «История аула» не пополняются."),
             Finding("MUK-OC", "online_centres", "Оборудование исправно, расписание работы на входе не "
                     "вывешено; посетители записываются в тетрадь без указания услуги."),
             Finding("KAS-LIB", "mass_work", "Проведено 46 мероприятий за квартал, преобладают выставки; "
                     "массовых мероприятий для молодёжи нет."),
         ),
         (
             Advice("MUK-LIB", "collections", "Провести списание ветхой и устаревшей литературы, оформить "
                    "акты и внести изменения в книгу суммарного учёта.", 45),
             Advice("MUK-OC", "online_centres", "Вывесить режим работы онлайн-центра и вести журнал учёта "
                    "по форме с указанием оказанной услуги.", 14, DONE,
                    "Режим работы вывешен, журнал ведётся по новой форме с 1 апреля."),
             Advice("KAS-LIB", "mass_work", "Включить в план мероприятия для молодёжи: диспут, "
                    "библиодесант, встречу с земляками.", 60, IN_PROGRESS,
                    "Проведён диспут «Читающая молодёжь», готовим библиодесант к Дню села."),
         )),
    Trip(4, 16, 1, ("KAI-LIB", "KAI-OC"),
         "Методическая помощь Кайнарской сельской библиотеке и онлайн-центру в подготовке летнего чтения",
         "Библиотекарь Кайнарской библиотеки, администратор онлайн-центра, директор школы",
         (
             Finding("KAI-LIB", "children", "План летнего чтения не составлен; с пришкольным лагерем "
                     "договорённости нет."),
             Finding("KAI-OC", "online_centres", "Подключение к Казахстанской национальной электронной "
                     "библиотеке не оформлено, читатели не знают о доступе к ресурсам."),
         ),
         (
             Advice("KAI-LIB", "children", "Составить план летнего чтения совместно со школой и "
                    "пришкольным лагерем.", 30, DONE, "План составлен и согласован с директором школы."),
             Advice("KAI-OC", "automation", "Оформить подключение к КазНЭБ и провести для читателей "
                    "презентацию электронных ресурсов.", 45),
         )),
    Trip(6, 10, 1, ("KAN-OC", "BSK-OC"),
         "Мониторинг работы онлайн-центров сёл Канонерка и Бескарагай",
         "Администраторы онлайн-центров",
         (
             Finding("KAN-OC", "online_centres", "Онлайн-центр работает 3 дня в неделю вместо 5 из-за "
                     "совмещения должности; очередь на оказание госуслуг."),
             Finding("BSK-OC", "marketing", "Информация об услугах онлайн-центра в социальных сетях "
                     "не размещается."),
         ),
         (
             Advice("KAN-OC", "management", "Согласовать с акиматом график работы онлайн-центра не менее "
                    "5 дней в неделю.", 30, IN_PROGRESS, "Письмо в акимат направлено, ждём ответа."),
             Advice("BSK-OC", "marketing", "Вести страницу онлайн-центра в социальных сетях, публиковать "
                    "не реже раза в неделю.", 30, DONE, "Страница в Instagram создана, 12 публикаций."),
         )),
    Trip(9, 23, 1, ("ABY-CRB", "KAS-LIB"),
         "Семинар-практикум для библиотекарей Абайского района и изучение работы Каскабулакской библиотеки",
         "Директор Абайской ЦРБ, библиотекари сельских библиотек района",
         (
             Finding("ABY-CRB", "cataloguing", "Электронный каталог ЦРБ содержит 61 % фонда; сельские "
                     "библиотеки в сводный каталог не вносят записи."),
             Finding("KAS-LIB", "local_history", "Собраны материалы к летописи села, не систематизированы."),
         ),
         (
             Advice("ABY-CRB", "automation", "Организовать ввод записей сельских библиотек в сводный "
                    "электронный каталог района, не менее 200 записей в месяц.", 90),
             Advice("KAS-LIB", "local_history", "Оформить летопись села по годам, завести папки-досье.", 60),
         )),
    Trip(10, 14, 1, ("MUK-LIB", "MUK-OC"),
         "Проверка выполнения рекомендаций весеннего выезда в Мукурскую сельскую библиотеку",
         "Заведующая Мукурской библиотекой Жумабаева А.С., администратор онлайн-центра",
         (
             Finding("MUK-LIB", "collections", "Списание ветхой литературы начато, акты не утверждены."),
             Finding("MUK-LIB", "reporting", "Дневник работы библиотеки ведётся с пропусками; число "
                     "посещений за сентябрь не подсчитано."),
             Finding("MUK-OC", "online_centres", "Журнал учёта ведётся по форме, отчёты сдаются в срок."),
         ),
         (
             Advice("MUK-LIB", "reporting", "Вести дневник работы ежедневно и подсчитывать итоги месяца "
                    "до 3 числа следующего месяца.", 30),
             Advice("MUK-LIB", "local_history", "Пополнить краеведческую картотеку рубрикой «Знатные люди "
                    "села», не менее 20 карточек.", 60, IN_PROGRESS,
                    "Подготовлено 9 карточек, собираем сведения у старейшин."),
         )),
    Trip(11, 18, 1, ("KAI-LIB",),
         "Изучение работы Кайнарской сельской библиотеки по краеведению и работе с детьми",
         "Библиотекарь Кайнарской библиотеки",
         (
             Finding("KAI-LIB", "children", "Летнее чтение проведено: 64 участника, 18 мероприятий."),
             Finding("KAI-LIB", "bibliography", "Тематические справки не регистрируются в журнале."),
         ),
         (
             Advice("KAI-LIB", "bibliography", "Завести журнал учёта справок и вести его постоянно.", 21,
                    DONE, "Журнал заведён, за месяц выполнено 27 справок."),
         )),
)
# fmt: on
