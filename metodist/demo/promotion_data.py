"""Demo services and promotion, PR and image of the regional library and the district libraries: the
catalogue of services, three promotion campaigns, a year of media mentions in real outlets of East
Kazakhstan, and two press releases made from held events.

Dates are month offsets from the anchor (the first day of the current month, as in `events_load`), so the
demo reads "now" whenever it is loaded. Unit codes are those of `network_data`; a missing unit is skipped.
"""

from dataclasses import dataclass
from decimal import Decimal

# Libraries that offer most free services: the regional library and the libraries of the districts.
VILLAGES = ("MUK-LIB", "KAI-LIB", "BSK-LIB", "KAN-LIB", "SHU-LIB")
CITIES = ("SEM-CGB", "SEM-GDB", "SEM-GYB", "KUR-CGB", "KUR-GDB")
ONLINE_CENTRES = ("MUK-OC", "BSK-OC", "KAN-OC", "KAI-OC")


@dataclass(frozen=True)
class Service:
    name_ru: str
    name_kk: str
    description_ru: str
    channel: str
    groups: tuple[str, ...]
    offered_by: tuple[str, ...]
    price: Decimal | None = None
    price_note: str = ""
    indicator: str = ""  # the reporting indicator that counts its use


SERVICES = (
    Service(
        "Ксерокопирование",
        "Ксерокөшірме жасау",
        "Копирование страниц книг и документов формата А4 и А3 на месте, в читальном зале.",
        "in_library",
        ("adults", "youth"),
        ("VKOUB", "SEM-CGB", "KUR-CGB", "SHU-LIB"),
        Decimal("20"),
        "за страницу А4",
    ),
    Service(
        "Сканирование документов",
        "Құжаттарды сканерлеу",
        "Сканирование страниц и документов с сохранением в PDF на флешку или отправкой на электронную почту.",
        "in_library",
        ("adults", "youth"),
        ("VKOUB", "SEM-CGB"),
        Decimal("50"),
        "за страницу",
    ),
    Service(
        "Распечатка документов",
        "Құжаттарды басып шығару",
        "Печать документов с флешки или электронной почты, чёрно-белая и цветная.",
        "in_library",
        ("adults", "youth", "teenagers"),
        ("VKOUB", "SEM-CGB", "KUR-CGB", "MUK-LIB"),
        Decimal("30"),
        "за страницу",
    ),
    Service(
        "Ламинирование",
        "Ламинаттау",
        "Ламинирование документов и фотографий форматов А4 и А5.",
        "in_library",
        ("adults",),
        ("VKOUB",),
        Decimal("200"),
        "за лист А4",
    ),
    Service(
        "Доставка книг на дом «Книгоноша»",
        "«Кітап тасушы» — кітаптарды үйге жеткізу",
        "Книги, журналы и аудиокниги на дом для пожилых читателей и людей с инвалидностью; "
        "волонтёры приносят и забирают книги по графику.",
        "outreach",
        ("seniors", "disabled"),
        ("VKOUB", *VILLAGES),
    ),
    Service(
        "«Школа компьютерной грамотности»",
        "«Компьютерлік сауаттылық мектебі»",
        "Бесплатные занятия для людей старшего возраста: компьютер, смартфон, интернет, мессенджеры, "
        "безопасность в сети.",
        "in_library",
        ("seniors", "adults"),
        ("VKOUB", *ONLINE_CENTRES),
        indicator="oc_trained",
    ),
    Service(
        "Консультации по электронным госуслугам",
        "Электрондық мемлекеттік қызметтер бойынша кеңес",
        "Помощь в получении услуг портала eGov.kz: справки, запись к врачу, ЭЦП, пособия.",
        "in_library",
        ("adults", "seniors"),
        ONLINE_CENTRES,
        indicator="oc_egov_services",
    ),
    Service(
        "Библиотечные уроки",
        "Кітапханалық сабақтар",
        "Уроки информационной культуры для школьников: как устроена библиотека, каталог, поиск в "
        "электронных базах.",
        "in_library",
        ("children", "teenagers"),
        ("VKOUB", "SEM-GDB", "KUR-GDB", *VILLAGES),
    ),
    Service(
        "Виртуальная справочная служба",
        "Виртуалды анықтама қызметі",
        "Ответы на запросы читателей по электронной почте и через сайт библиотеки в течение суток.",
        "remote",
        ("adults", "youth", "professionals"),
        ("VKOUB",),
        indicator="lib_references",
    ),
    Service(
        "Электронная доставка документов",
        "Құжаттарды электронды жеткізу",
        "Копии статей и глав из фонда областной библиотеки по запросу, в электронном виде.",
        "remote",
        ("professionals", "youth"),
        ("VKOUB",),
        Decimal("100"),
        "за страницу",
    ),
    Service(
        "Библиотечный пункт выдачи на предприятии",
        "Кәсіпорындағы кітап беру пункті",
        "Выездной абонемент в трудовых коллективах и на полевых станах.",
        "outreach",
        ("adults",),
        ("SHU-LIB", "MUK-LIB", "BSK-LIB"),
    ),
    Service(
        "Клуб семейного чтения",
        "Отбасылық оқу клубы",
        "Встречи родителей с детьми: громкие чтения, обсуждение книг, творческие мастерские.",
        "in_library",
        ("families", "children"),
        ("VKOUB", "SEM-GDB", "KUR-GDB", "MUK-LIB"),
    ),
    Service(
        "Доступ к электронным базам данных",
        "Электрондық деректер қорларына қолжетімділік",
        "Доступ к «Параграф», «Юрист», электронной библиотеке «Руханият» в читальном зале и удалённо.",
        "remote",
        ("professionals", "youth", "adults"),
        ("VKOUB", "SEM-CGB", "KUR-CGB"),
        indicator="lib_remote_users",
    ),
    Service(
        "Тифлоуслуги: книги Брайля и говорящие книги",
        "Брайль кітаптары мен дыбыстық кітаптар",
        "Книги рельефно-точечного шрифта и аудиокниги для незрячих и слабовидящих читателей.",
        "in_library",
        ("disabled",),
        ("VKOUB",),
    ),
    Service(
        "Тематические выставки по заявкам",
        "Өтінім бойынша тақырыптық көрмелер",
        "Книжные выставки к мероприятиям школ, колледжей и учреждений по их заявке.",
        "outreach",
        ("professionals", "teenagers"),
        ("VKOUB", "SEM-CGB"),
        Decimal("3000"),
        "за выставку",
    ),
)


@dataclass(frozen=True)
class Campaign:
    title: str
    unit: str
    start_month: int  # months from the anchor (0: the current month)
    start_day: int
    days: int
    status: str
    target_group: str
    channels: tuple[str, ...]
    services: tuple[str, ...]
    materials: str
    reach_planned: int
    reach_actual: int | None = None
    result: str = ""


CAMPAIGNS = (
    Campaign(
        "«Серебряный возраст онлайн»: набор в Школу компьютерной грамотности",
        "VKOUB",
        -7,
        1,
        30,
        "finished",
        "seniors",
        ("print", "radio", "social", "outdoor"),
        ("«Школа компьютерной грамотности»", "Консультации по электронным госуслугам"),
        "Плакаты в поликлиниках и центрах обслуживания населения; эфир на радио «Шалқар»; "
        "листовки в советах ветеранов; посты в Facebook и Instagram.",
        3000,
        3650,
        "Записались 146 слушателей, сформировано 9 групп; обучение завершили 128 человек.",
    ),
    Campaign(
        "«Книгоноша» идёт к читателю",
        "VKOUB",
        -3,
        10,
        45,
        "finished",
        "disabled",
        ("tv", "print", "messengers"),
        ("Доставка книг на дом «Книгоноша»",),
        "Сюжет на телеканале «Ертіс»; заметка в газете «Рудный Алтай»; рассылка через WhatsApp-группы "
        "КСК и общества инвалидов.",
        5000,
        4200,
        "Новых заявок на доставку — 37, к проекту присоединились 12 волонтёров.",
    ),
    Campaign(
        "«Читаем всей семьёй»: клуб семейного чтения",
        "VKOUB",
        0,
        1,
        75,
        "running",
        "families",
        ("website", "social", "messengers", "outdoor"),
        ("Клуб семейного чтения", "Библиотечные уроки"),
        "Афиши в парках и торговых центрах; видеоролики в Instagram и TikTok; баннер на сайте "
        "библиотеки; рассылка в родительские чаты школ.",
        8000,
    ),
)


@dataclass(frozen=True)
class Mention:
    outlet: str
    kind: str
    title: str
    url: str = ""
    tone: str = "positive"
    reach: int | None = None
    unit: str = "VKOUB"
    service: str = ""
    campaign: int | None = None  # index into CAMPAIGNS
    event: bool = False  # about a held event of the regional library


# Each is dated in turn over the twelve months before the anchor (see the loader).
MENTIONS = (
    Mention(
        "Рудный Алтай",
        "print",
        "Библиотека, где учат пенсионеров пользоваться смартфоном",
        "https://rudnyi-altai.kz/",
        reach=12000,
        service="«Школа компьютерной грамотности»",
        campaign=0,
    ),
    Mention("Ертіс", "tv", "Кітапхана — зейнеткерлерге цифрлық сауаттылық мектебі", reach=45000, campaign=0),
    Mention(
        "Дидар",
        "print",
        "Облыстық кітапханада жаңа кітаптар таныстырылды",
        "https://didar.kz/",
        reach=9000,
        event=True,
    ),
    Mention("Семей таңы", "print", "Семейдің кітапханаларында «Библиотүн» өтті", reach=7000, unit="SEM-CGB"),
    Mention(
        "kz.kursiv.media",
        "web",
        "Как библиотеки Восточного Казахстана переходят в цифру",
        "https://kz.kursiv.media/",
        reach=20000,
        tone="neutral",
    ),
    Mention(
        "Instagram @vkoub_kz",
        "social",
        "Репортаж с библиотечного урока «Маркетинг и методическая помощь»",
        "https://www.instagram.com/",
        reach=3500,
        event=True,
    ),
    Mention(
        "Радио «Шалқар»",
        "radio",
        "Кітап тасушы еріктілері ауыл оқырмандарына барады",
        reach=15000,
        service="Доставка книг на дом «Книгоноша»",
        campaign=1,
    ),
    Mention(
        "Рудный Алтай",
        "print",
        "«Книгоноша» принесёт книги тем, кто не может прийти",
        "https://rudnyi-altai.kz/",
        reach=12000,
        service="Доставка книг на дом «Книгоноша»",
        campaign=1,
    ),
    Mention("Ертіс", "tv", "Волонтёры-книгоноши Усть-Каменогорска", reach=45000, campaign=1),
    Mention(
        "Vesti.kz",
        "web",
        "В библиотеке Усть-Каменогорска не хватает мест в читальном зале",
        "https://vesti.kz/",
        tone="negative",
        reach=25000,
    ),
    Mention(
        "Facebook: Акимат г. Усть-Каменогорска",
        "social",
        "Библионочь собрала более 600 гостей",
        "https://www.facebook.com/",
        reach=6000,
        event=True,
    ),
    Mention("Дидар", "print", "Мұқыр кітапханасы — ауылдың мәдени орталығы", reach=9000, unit="MUK-LIB"),
    Mention(
        "Семей таңы",
        "print",
        "Балалар кітапханасында отбасылық оқу клубы ашылды",
        reach=7000,
        unit="SEM-GDB",
        service="Клуб семейного чтения",
    ),
    Mention(
        "Казахстанская правда",
        "print",
        "Сельские онлайн-центры помогают получить госуслуги",
        "https://kazpravda.kz/",
        reach=30000,
        tone="neutral",
        service="Консультации по электронным госуслугам",
    ),
    Mention(
        "Ertis Info",
        "web",
        "Электронные базы данных областной библиотеки доступны из дома",
        "https://ertisinfo.kz/",
        reach=5000,
        service="Доступ к электронным базам данных",
    ),
    Mention("Ертіс", "tv", "Абай кітапханасында жас ақындар кеші", reach=45000, event=True),
    Mention(
        "Рудный Алтай",
        "print",
        "Читатели жалуются на очереди к ксероксу",
        tone="negative",
        reach=12000,
        service="Ксерокопирование",
    ),
    Mention(
        "Курчатов: городская газета «Курчатов-Инфо»",
        "print",
        "Городская библиотека провела неделю детской книги",
        reach=4000,
        unit="KUR-CGB",
    ),
    Mention(
        "Instagram @vkoub_kz",
        "social",
        "Семейные чтения по выходным: приходите всей семьёй",
        "https://www.instagram.com/",
        reach=4200,
        campaign=2,
        service="Клуб семейного чтения",
    ),
    Mention(
        "TikTok @vkoub_kz",
        "social",
        "Кітапханашылар челленджі: «Менің сүйікті кітабым»",
        "https://www.tiktok.com/",
        reach=18000,
        campaign=2,
    ),
)
# Besides these, held events of the network are told in the news on their day, in turn by these outlets
# (about EVENT_MENTIONS of them, spread over the year), in the outlet's language.
EVENT_MENTIONS = 20
EVENT_OUTLETS = (
    ("Рудный Алтай", "print", "ru", "https://rudnyi-altai.kz/", 12000, "positive"),
    ("Дидар", "print", "kk", "https://didar.kz/", 9000, "positive"),
    ("Instagram @vkoub_kz", "social", "ru", "https://www.instagram.com/", 3000, "positive"),
    ("Ertis Info", "web", "ru", "https://ertisinfo.kz/", 5000, "neutral"),
    ("Ертіс", "tv", "kk", "", 45000, "positive"),
)
EVENT_TITLE = {"ru": "В библиотеке прошло мероприятие: {title}", "kk": "Кітапханада іс-шара өтті: {title}"}


@dataclass(frozen=True)
class Release:
    language: str
    event_index: int  # the n-th latest held event of the regional library


RELEASES = (Release("ru", 0), Release("kk", 2))
