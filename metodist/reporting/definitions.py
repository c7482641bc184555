"""The shipped definitions of reporting: category sets, indicators, derived indicators and four forms.

    install_definitions()   # creates what is missing, by code; answers a Counter of the rows created

- `oc_weekly`: the weekly report of a village online centre (visitors, internet sessions, e-government
  services, people trained in computer literacy by age group, consultations, events and participants);
- `lib_monthly`: the monthly statistics of a library of culture (registered users by age group, visits,
  loans by language, events and their attendance, new acquisitions, remote users, website visits,
  references answered);
- `lib_annual`: the annual report of a library after the state statistical form «1-библиотека»
  (the collection at the start and end of the year, received, withdrawn, by language; staff; premises
  and equipment; funding; the yearly totals), with the carry-over of the stock from year to year;
- `outreach_monthly`: the monthly figures of «Книгоноша», the home delivery of books (readers served at
  home, deliveries made, items delivered), fed from the delivery log by `metodist.outreach.reporting_feed`;
  it is assigned unit by unit to the libraries that run Knigonosha (by the outreach side), never under
  the region, so completeness expects it only from them;
- derived indicators on the annual figures: читаемость, посещаемость, обращаемость, охват.

Monthly "registered users" are the readers (re-)registered in the month, so a year's users are the sum
of its months, as in a library's work diary. The annual totals are separate indicators (`year_…`): a
roll-up selects values by indicator and day, so a year of monthly visits and the annual visits must not
share an indicator or they would be counted twice.

Idempotent and respectful of edits: a row is looked up by its code and created only when missing;
nothing that exists is changed (a renamed indicator keeps its new name, a form's sections, rules and
assignments are written only when the form itself is created).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting.models import (
    Aggregation,
    Category,
    CategorySet,
    DerivedIndicator,
    FormAssignment,
    FormField,
    FormSection,
    FormVersion,
    Indicator,
    ReportForm,
    Severity,
    ValidationRule,
    ValueType,
)
from metodist.reporting.periods import PeriodType

# The region the shipped forms are assigned under (the demo network's root).
REGION_CODE = "VKO"


@dataclass(frozen=True)
class Names:
    ru: str
    kk: str
    en: str

    def fields(self, prefix: str = "name") -> dict[str, str]:
        return {f"{prefix}_ru": self.ru, f"{prefix}_kk": self.kk, f"{prefix}_en": self.en}


@dataclass(frozen=True)
class CategorySetDef:
    code: str
    names: Names
    categories: tuple[tuple[str, Names], ...]


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    names: Names
    value_type: str = ValueType.INTEGER
    aggregation: str = Aggregation.SUM
    category_set: str = ""
    measure: str = ""
    description: str = ""


@dataclass(frozen=True)
class FieldDef:
    indicator: str
    required: bool = True
    carry_from: str = ""


@dataclass(frozen=True)
class SectionDef:
    names: Names
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class RuleDef:
    expression: str
    severity: str
    message: Names


@dataclass(frozen=True)
class FormDef:
    code: str
    names: Names
    period_type: str
    deadline_days: int
    kinds: tuple[str, ...]
    sections: tuple[SectionDef, ...]
    rules: tuple[RuleDef, ...] = ()
    description: str = ""
    order: int = 0


@dataclass(frozen=True)
class DerivedDef:
    code: str
    names: Names
    numerator: str
    denominator: str = ""
    per_population: bool = False
    factor: Decimal = Decimal(1)
    decimals: int = 1
    order: int = 0
    description: str = ""


def _fields(*codes: str, optional: tuple[str, ...] = ()) -> tuple[FieldDef, ...]:
    return tuple(FieldDef(code, required=code not in optional) for code in codes)


# --- category sets ---------------------------------------------------------------------------------------

AGE = CategorySetDef(
    "age",
    Names("Возрастные группы", "Жас топтары", "Age groups"),
    (
        ("children", Names("дети до 14 лет", "14 жасқа дейінгі балалар", "children up to 14")),
        ("youth", Names("молодёжь 15–30 лет", "15–30 жас аралығындағы жастар", "youth 15–30")),
        ("adults", Names("взрослые старше 30 лет", "30 жастан асқан ересектер", "adults over 30")),
    ),
)
LANGUAGE = CategorySetDef(
    "language",
    Names("Язык", "Тіл", "Language"),
    (
        ("kk", Names("на казахском языке", "қазақ тілінде", "in Kazakh")),
        ("ru", Names("на русском языке", "орыс тілінде", "in Russian")),
        ("other", Names("на других языках", "басқа тілдерде", "in other languages")),
    ),
)
CATEGORY_SETS = (AGE, LANGUAGE)

# --- indicators ------------------------------------------------------------------------------------------

TENGE = "₸"

INDICATORS: tuple[IndicatorDef, ...] = (
    # The weekly report of an online centre.
    IndicatorDef(
        "oc_visitors",
        Names("Посетители онлайн-центра", "Онлайн-орталыққа келушілер", "Visitors of the online centre"),
        description="Все посещения за неделю, включая участников мероприятий и обучающихся.",
    ),
    IndicatorDef("oc_sessions", Names("Интернет-сеансы", "Интернет-сеанстар", "Internet sessions")),
    IndicatorDef(
        "oc_egov_services",
        Names(
            "Оказано электронных госуслуг (eGov)",
            "Көрсетілген электрондық мемлекеттік қызметтер (eGov)",
            "E-government services provided (eGov)",
        ),
        description="Справки, записи и заявления через портал eGov.kz, оформленные с помощью сотрудника.",
    ),
    IndicatorDef(
        "oc_trained",
        Names(
            "Обучено компьютерной грамотности",
            "Компьютерлік сауаттылыққа оқытылғандар",
            "People trained in computer literacy",
        ),
        category_set="age",
    ),
    IndicatorDef("oc_consultations", Names("Консультации", "Кеңес берілді", "Consultations")),
    IndicatorDef("oc_events", Names("Мероприятия", "Іс-шаралар", "Events")),
    IndicatorDef(
        "oc_event_participants",
        Names("Участники мероприятий", "Іс-шараларға қатысушылар", "Event participants"),
    ),
    # The monthly statistics of a library.
    IndicatorDef(
        "lib_users",
        Names("Зарегистрировано пользователей", "Тіркелген пайдаланушылар", "Registered users"),
        category_set="age",
        description="Записано и перерегистрировано за месяц; сумма за год — число пользователей за год.",
    ),
    IndicatorDef(
        "lib_new_users",
        Names("Впервые записавшиеся", "Алғаш рет жазылғандар", "New users"),
        description="Записались в библиотеку впервые; входят в число зарегистрированных за месяц.",
    ),
    IndicatorDef("lib_visits", Names("Посещения", "Келу саны", "Visits")),
    IndicatorDef("lib_loans", Names("Книговыдача", "Кітап берілімі", "Loans"), category_set="language"),
    IndicatorDef("lib_events", Names("Массовые мероприятия", "Көпшілік іс-шаралар", "Public events")),
    IndicatorDef(
        "lib_event_attendance",
        Names("Посещения мероприятий", "Іс-шараларға келу саны", "Event attendance"),
        description="Входят в общее число посещений.",
    ),
    IndicatorDef(
        "lib_acquisitions",
        Names("Новые поступления в фонд", "Қорға жаңа түсімдер", "New acquisitions"),
        description="Экземпляры документов, поступившие за месяц (книги, периодика, электронные издания).",
    ),
    IndicatorDef(
        "lib_remote_users", Names("Удалённые пользователи", "Қашықтағы пайдаланушылар", "Remote users")
    ),
    IndicatorDef(
        "lib_website_visits",
        Names(
            "Обращения к сайту и страницам в соцсетях",
            "Сайт пен әлеуметтік желідегі парақшаларға кіру",
            "Visits to the website and social media pages",
        ),
    ),
    IndicatorDef(
        "lib_references", Names("Выполнено справок", "Орындалған анықтамалар", "References answered")
    ),
    # The annual report after «1-библиотека».
    IndicatorDef(
        "stock_start",
        Names("Фонд на начало года", "Жыл басындағы қор", "Collection at the start of the year"),
        aggregation=Aggregation.LAST,
        description="Экземпляров; равен фонду на конец прошлого года.",
    ),
    IndicatorDef(
        "stock_received",
        Names("Поступило в фонд за год", "Жыл ішінде қорға түскені", "Received in the year"),
    ),
    IndicatorDef(
        "stock_withdrawn",
        Names("Выбыло из фонда за год", "Жыл ішінде қордан шығарылғаны", "Withdrawn in the year"),
    ),
    IndicatorDef(
        "stock_end",
        Names("Фонд на конец года", "Жыл соңындағы қор", "Collection at the end of the year"),
        aggregation=Aggregation.LAST,
    ),
    IndicatorDef(
        "stock_by_language",
        Names(
            "Фонд на конец года по языкам",
            "Жыл соңындағы қор тілдер бойынша",
            "Collection at the end of the year by language",
        ),
        aggregation=Aggregation.LAST,
        category_set="language",
    ),
    IndicatorDef(
        "year_users",
        Names("Пользователи за год", "Жыл ішіндегі пайдаланушылар", "Users in the year"),
        category_set="age",
    ),
    IndicatorDef("year_visits", Names("Посещения за год", "Жыл ішіндегі келу саны", "Visits in the year")),
    IndicatorDef(
        "year_loans", Names("Книговыдача за год", "Жыл ішіндегі кітап берілімі", "Loans in the year")
    ),
    IndicatorDef(
        "year_events",
        Names("Массовые мероприятия за год", "Жыл ішіндегі көпшілік іс-шаралар", "Public events in the year"),
    ),
    IndicatorDef(
        "staff_total",
        Names("Библиотечные работники, всего", "Кітапхана қызметкерлері, барлығы", "Library staff, total"),
        aggregation=Aggregation.LAST,
    ),
    IndicatorDef(
        "staff_higher_library",
        Names(
            "из них с высшим библиотечным образованием",
            "оның ішінде жоғары кітапханалық білімі барлар",
            "of them with higher library education",
        ),
        aggregation=Aggregation.LAST,
    ),
    IndicatorDef(
        "floor_area",
        Names("Площадь помещений", "Үй-жайлардың ауданы", "Floor area"),
        value_type=ValueType.DECIMAL,
        aggregation=Aggregation.LAST,
        measure="m²",
    ),
    IndicatorDef("computers", Names("Компьютеры", "Компьютерлер", "Computers"), aggregation=Aggregation.LAST),
    IndicatorDef(
        "internet_access",
        Names("Доступ в интернет", "Интернетке қолжетімділік", "Internet access"),
        value_type=ValueType.BOOLEAN,
        aggregation=Aggregation.LAST,
        description="Да — есть подключение; в сводке — число библиотек с доступом в интернет.",
    ),
    IndicatorDef(
        "budget_total",
        Names("Финансирование, всего", "Қаржыландыру, барлығы", "Funding, total"),
        value_type=ValueType.DECIMAL,
        measure=TENGE,
    ),
    # The monthly figures of Knigonosha (home delivery of books).
    IndicatorDef(
        "home_readers",
        Names(
            "Обслужено читателей на дому",
            "Үйде қызмет көрсетілген оқырмандар",
            "Readers served at home",
        ),
        description="Читатели, которым за месяц была хотя бы одна состоявшаяся доставка.",
    ),
    IndicatorDef(
        "home_deliveries",
        Names("Доставок на дом", "Үйге жеткізу саны", "Home deliveries made"),
        description="Состоявшиеся доставки за месяц (отменённые и запланированные не считаются).",
    ),
    IndicatorDef(
        "home_items",
        Names("Доставлено документов на дом", "Үйге жеткізілген құжаттар", "Items delivered home"),
        description="Экземпляры книг и журналов, принесённые читателям за месяц.",
    ),
    IndicatorDef(
        "budget_acquisitions",
        Names(
            "в том числе на комплектование фонда",
            "оның ішінде қорды толықтыруға",
            "of it for acquisitions",
        ),
        value_type=ValueType.DECIMAL,
        measure=TENGE,
    ),
)

# --- forms -----------------------------------------------------------------------------------------------

OC_WEEKLY = FormDef(
    code="oc_weekly",
    names=Names(
        "Еженедельный отчёт онлайн-центра",
        "Онлайн-орталықтың апталық есебі",
        "Weekly report of an online centre",
    ),
    period_type=PeriodType.WEEK,
    deadline_days=3,
    kinds=(UnitKind.ONLINE_CENTRE,),
    order=1,
    description="Сдаётся до четверга следующей недели.",
    sections=(
        SectionDef(Names("Посещения", "Келушілер", "Visits"), _fields("oc_visitors", "oc_sessions")),
        SectionDef(Names("Услуги", "Қызметтер", "Services"), _fields("oc_egov_services", "oc_consultations")),
        SectionDef(
            Names("Обучение и мероприятия", "Оқыту және іс-шаралар", "Training and events"),
            _fields("oc_trained", "oc_events", "oc_event_participants"),
        ),
    ),
    rules=(
        RuleDef(
            "oc_event_participants <= oc_visitors",
            Severity.ERROR,
            Names(
                "Участников мероприятий не может быть больше, чем посетителей за неделю",
                "Іс-шараларға қатысушылар апта ішіндегі келушілерден көп бола алмайды",
                "Event participants cannot outnumber the visitors of the week",
            ),
        ),
        RuleDef(
            "oc_trained <= oc_visitors",
            Severity.ERROR,
            Names(
                "Обученных не может быть больше, чем посетителей за неделю",
                "Оқытылғандар апта ішіндегі келушілерден көп бола алмайды",
                "People trained cannot outnumber the visitors of the week",
            ),
        ),
        RuleDef(
            "oc_sessions <= oc_visitors * 10",
            Severity.WARNING,
            Names(
                "Больше 10 интернет-сеансов на одного посетителя — проверьте данные",
                "Бір келушіге 10-нан астам интернет-сеанс келеді — деректерді тексеріңіз",
                "More than 10 internet sessions per visitor — check the figures",
            ),
        ),
        RuleDef(
            "oc_egov_services <= oc_visitors * 3",
            Severity.WARNING,
            Names(
                "Больше трёх госуслуг на одного посетителя — проверьте данные",
                "Бір келушіге үштен астам мемлекеттік қызмет келеді — деректерді тексеріңіз",
                "More than three e-government services per visitor — check the figures",
            ),
        ),
    ),
)

LIB_MONTHLY = FormDef(
    code="lib_monthly",
    names=Names(
        "Ежемесячная статистика библиотеки",
        "Кітапхананың ай сайынғы статистикасы",
        "Monthly statistics of a library",
    ),
    period_type=PeriodType.MONTH,
    deadline_days=5,
    kinds=(UnitKind.LIBRARY,),
    order=2,
    description="По дневнику работы библиотеки; сдаётся до 5-го числа следующего месяца.",
    sections=(
        SectionDef(
            Names("Пользователи и посещения", "Пайдаланушылар және келу", "Users and visits"),
            _fields(
                "lib_users",
                "lib_new_users",
                "lib_visits",
                "lib_remote_users",
                "lib_website_visits",
                optional=("lib_new_users", "lib_remote_users", "lib_website_visits"),
            ),
        ),
        SectionDef(
            Names("Книговыдача и фонд", "Кітап берілімі және қор", "Loans and collection"),
            _fields("lib_loans", "lib_acquisitions", "lib_references"),
        ),
        SectionDef(
            Names("Мероприятия", "Іс-шаралар", "Events"), _fields("lib_events", "lib_event_attendance")
        ),
    ),
    rules=(
        RuleDef(
            "lib_visits >= lib_users",
            Severity.ERROR,
            Names(
                "Посещений не может быть меньше, чем записанных за месяц пользователей",
                "Келу саны ай ішінде тіркелген пайдаланушылардан аз бола алмайды",
                "Visits cannot be fewer than the users registered in the month",
            ),
        ),
        RuleDef(
            "lib_new_users <= lib_users",
            Severity.ERROR,
            Names(
                "Впервые записавшихся не может быть больше, чем всех зарегистрированных за месяц",
                "Алғаш рет жазылғандар ай ішінде тіркелгендердің барлығынан көп бола алмайды",
                "New users cannot outnumber all the users registered in the month",
            ),
        ),
        RuleDef(
            "lib_event_attendance <= lib_visits",
            Severity.ERROR,
            Names(
                "Посещения мероприятий входят в общее число посещений и не могут его превышать",
                "Іс-шараларға келу жалпы келу санына кіреді және одан аспауы керек",
                "Event attendance is part of all visits and cannot exceed it",
            ),
        ),
        RuleDef(
            "lib_loans <= lib_visits * 10",
            Severity.WARNING,
            Names(
                "Больше 10 документов на одно посещение — проверьте книговыдачу",
                "Бір келуге 10-нан астам құжат келеді — кітап берілімін тексеріңіз",
                "More than 10 loans per visit — check the loans",
            ),
        ),
        RuleDef(
            "lib_event_attendance <= lib_events * 300",
            Severity.WARNING,
            Names(
                "В среднем больше 300 человек на мероприятие — проверьте данные",
                "Бір іс-шараға орта есеппен 300-ден астам адам келеді — деректерді тексеріңіз",
                "More than 300 people per event on average — check the figures",
            ),
        ),
    ),
)

LIB_ANNUAL = FormDef(
    code="lib_annual",
    names=Names(
        "Годовой отчёт библиотеки (по форме «1-библиотека»)",
        "Кітапхананың жылдық есебі («1-кітапхана» нысаны бойынша)",
        "Annual report of a library (after the form “1-library”)",
    ),
    period_type=PeriodType.YEAR,
    deadline_days=20,
    kinds=(UnitKind.LIBRARY,),
    order=3,
    description=(
        "Составлен по образцу государственной статистической формы «1-библиотека»; сдаётся до 20 января."
    ),
    sections=(
        SectionDef(
            Names("Библиотечный фонд", "Кітапхана қоры", "Library collection"),
            (
                FieldDef("stock_start", carry_from="stock_end"),
                FieldDef("stock_received"),
                FieldDef("stock_withdrawn"),
                FieldDef("stock_end"),
                FieldDef("stock_by_language"),
            ),
        ),
        SectionDef(
            Names("Пользователи и обслуживание", "Пайдаланушылар және қызмет көрсету", "Users and services"),
            _fields("year_users", "year_visits", "year_loans", "year_events"),
        ),
        SectionDef(Names("Кадры", "Кадрлар", "Staff"), _fields("staff_total", "staff_higher_library")),
        SectionDef(
            Names("Материально-техническая база", "Материалдық-техникалық база", "Premises and equipment"),
            _fields("floor_area", "computers", "internet_access"),
        ),
        SectionDef(
            Names("Финансирование", "Қаржыландыру", "Funding"), _fields("budget_total", "budget_acquisitions")
        ),
    ),
    rules=(
        RuleDef(
            "stock_start + stock_received - stock_withdrawn == stock_end",
            Severity.ERROR,
            Names(
                "Фонд на конец года должен равняться фонду на начало года плюс поступления минус выбытие",
                "Жыл соңындағы қор жыл басындағы қор мен түсімдердің қосындысынан "
                "шығарылғанын алғанға тең болуы керек",
                "The collection at the end of the year must equal the start plus received minus withdrawn",
            ),
        ),
        RuleDef(
            "stock_by_language == stock_end",
            Severity.ERROR,
            Names(
                "Фонд по языкам в сумме должен равняться фонду на конец года",
                "Тілдер бойынша қордың қосындысы жыл соңындағы қорға тең болуы керек",
                "The collection by language must add up to the collection at the end of the year",
            ),
        ),
        RuleDef(
            "staff_higher_library <= staff_total",
            Severity.ERROR,
            Names(
                "Работников с высшим библиотечным образованием не может быть больше, чем всех работников",
                "Жоғары кітапханалық білімі барлар барлық қызметкерлерден көп бола алмайды",
                "Staff with higher library education cannot outnumber all staff",
            ),
        ),
        RuleDef(
            "budget_acquisitions <= budget_total",
            Severity.ERROR,
            Names(
                "Расходы на комплектование входят в общее финансирование и не могут его превышать",
                "Қорды толықтыруға жұмсалған қаржы жалпы қаржыландыруға кіреді және одан аспауы керек",
                "Funding for acquisitions is part of the total and cannot exceed it",
            ),
        ),
        RuleDef(
            "year_visits >= year_users",
            Severity.ERROR,
            Names(
                "Посещений за год не может быть меньше, чем пользователей",
                "Жыл ішіндегі келу саны пайдаланушылардан аз бола алмайды",
                "Visits in the year cannot be fewer than the users",
            ),
        ),
        RuleDef(
            "year_loans >= year_users",
            Severity.WARNING,
            Names(
                "Книговыдача меньше одного документа на пользователя — проверьте данные",
                "Бір пайдаланушыға бір құжаттан аз кітап берілген — деректерді тексеріңіз",
                "Fewer loans than users — check the figures",
            ),
        ),
    ),
)

OUTREACH_MONTHLY = FormDef(
    code="outreach_monthly",
    names=Names(
        "Книгоноша: обслуживание читателей на дому",
        "Кітап тасушы: оқырмандарға үйде қызмет көрсету",
        "Knigonosha: home service of readers",
    ),
    period_type=PeriodType.MONTH,
    deadline_days=5,
    kinds=(),  # assigned to each library that runs Knigonosha, by `metodist.outreach.reporting_feed`
    order=4,
    description="Заполняется из журнала доставок «Книгоноши»; сдаётся до 5-го числа следующего месяца.",
    sections=(
        SectionDef(
            Names("Обслуживание на дому", "Үйде қызмет көрсету", "Home service"),
            _fields("home_readers", "home_deliveries", "home_items"),
        ),
    ),
    rules=(
        RuleDef(
            "home_items <= home_deliveries * 20",
            Severity.WARNING,
            Names(
                "Больше 20 документов за одну доставку — проверьте данные",
                "Бір жеткізуге 20-дан астам құжат келеді — деректерді тексеріңіз",
                "More than 20 items per delivery — check the figures",
            ),
        ),
    ),
)

# The forms assigned under the region to every unit of their kinds (the demo loads their reports) …
FORMS = (OC_WEEKLY, LIB_MONTHLY, LIB_ANNUAL)
# … and the forms fed by another part of the system, assigned unit by unit where that part is used.
FEED_FORMS = (OUTREACH_MONTHLY,)

# --- derived indicators ----------------------------------------------------------------------------------

DERIVED: tuple[DerivedDef, ...] = (
    DerivedDef(
        "reading_rate",
        Names("Читаемость", "Оқу белсенділігі", "Loans per user"),
        numerator="year_loans",
        denominator="year_users",
        order=1,
        description="Книговыдача / число пользователей.",
    ),
    DerivedDef(
        "visit_rate",
        Names("Посещаемость", "Келу белсенділігі", "Visits per user"),
        numerator="year_visits",
        denominator="year_users",
        order=2,
        description="Посещения / число пользователей.",
    ),
    DerivedDef(
        "turnover_rate",
        Names("Обращаемость фонда", "Қордың айналымдылығы", "Collection turnover"),
        numerator="year_loans",
        denominator="stock_end",
        decimals=2,
        order=3,
        description="Книговыдача / фонд на конец года.",
    ),
    DerivedDef(
        "coverage",
        Names("Охват населения, %", "Халықты қамту, %", "Population reached, %"),
        numerator="year_users",
        per_population=True,
        factor=Decimal(100),
        order=4,
        description="Пользователи / население зоны обслуживания × 100.",
    ),
)


# --- installing ------------------------------------------------------------------------------------------


@dataclass
class _Installer:
    created: Counter = field(default_factory=Counter)
    sets: dict[str, CategorySet] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def category_sets(self) -> None:
        existing = {s.code: s for s in CategorySet.objects.filter(code__in=[d.code for d in CATEGORY_SETS])}
        for definition in CATEGORY_SETS:
            category_set = existing.get(definition.code)
            if category_set is None:
                category_set = CategorySet(code=definition.code, **definition.names.fields())
                category_set.full_clean()
                category_set.save()
                self.created["category_sets"] += 1
            self.sets[definition.code] = category_set
            have = set(category_set.categories.values_list("code", flat=True))
            for order, (code, names) in enumerate(definition.categories):
                if code in have:
                    continue
                Category.objects.create(category_set=category_set, code=code, order=order, **names.fields())
                self.created["categories"] += 1

    def indicators_(self) -> None:
        codes = [d.code for d in INDICATORS]
        self.indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        for definition in INDICATORS:
            if definition.code in self.indicators:
                continue
            indicator = Indicator(
                code=definition.code,
                value_type=definition.value_type,
                aggregation=definition.aggregation,
                category_set=self.sets[definition.category_set] if definition.category_set else None,
                measure=definition.measure,
                description=definition.description,
                **definition.names.fields(),
            )
            indicator.full_clean()
            indicator.save()
            self.indicators[definition.code] = indicator
            self.created["indicators"] += 1

    def derived(self) -> None:
        have = set(
            DerivedIndicator.objects.filter(code__in=[d.code for d in DERIVED]).values_list("code", flat=True)
        )
        for definition in DERIVED:
            if definition.code in have:
                continue
            derived = DerivedIndicator(
                code=definition.code,
                numerator=self.indicators[definition.numerator],
                denominator=self.indicators[definition.denominator] if definition.denominator else None,
                per_population=definition.per_population,
                factor=definition.factor,
                decimals=definition.decimals,
                order=definition.order,
                description=definition.description,
                **definition.names.fields(),
            )
            derived.full_clean()
            derived.save()
            self.created["derived_indicators"] += 1

    def forms(self, region: OrgUnit | None) -> None:
        definitions = FORMS + FEED_FORMS
        have = set(
            ReportForm.objects.filter(code__in=[d.code for d in definitions]).values_list("code", flat=True)
        )
        for definition in definitions:
            if definition.code not in have:
                self.form(definition, region)

    def form(self, definition: FormDef, region: OrgUnit | None) -> None:
        form = ReportForm(
            code=definition.code,
            period_type=definition.period_type,
            deadline_days=definition.deadline_days,
            description=definition.description,
            order=definition.order,
            **definition.names.fields(),
        )
        form.full_clean()
        form.save()
        self.created["report_forms"] += 1
        version = FormVersion.objects.create(form=form, number=1, note="Исходная версия формы")
        for section_order, section_def in enumerate(definition.sections):
            section = FormSection.objects.create(
                version=version, order=section_order, **section_def.names.fields()
            )
            FormField.objects.bulk_create(
                [
                    FormField(
                        section=section,
                        indicator=self.indicators[field_def.indicator],
                        order=order,
                        required=field_def.required,
                        carry_from=self.indicators[field_def.carry_from] if field_def.carry_from else None,
                    )
                    for order, field_def in enumerate(section_def.fields)
                ]
            )
            self.created["form_fields"] += len(section_def.fields)
        for rule_def in definition.rules:
            rule = ValidationRule(
                form=form,
                expression=rule_def.expression,
                severity=rule_def.severity,
                **rule_def.message.fields("message"),
            )
            rule.full_clean()
            rule.save()
            self.created["validation_rules"] += 1
        if region is not None and definition.kinds:
            FormAssignment.objects.create(form=form, unit=region, kinds=list(definition.kinds))
            self.created["form_assignments"] += 1


@transaction.atomic
def install_definitions(region: OrgUnit | None = None) -> Counter:
    """Create the shipped definitions that are missing; answers how many rows of each sort were created.

    The forms of FORMS are assigned under `region` (by default the unit coded REGION_CODE, when it exists)
    on creation only (FEED_FORMS are assigned unit by unit by the part that feeds them): a person's later
    changes to assignments, sections or rules are never undone.
    """
    if region is None:
        region = OrgUnit.objects.filter(code=REGION_CODE).first()
    installer = _Installer()
    installer.category_sets()
    installer.indicators_()
    installer.derived()
    installer.forms(region)
    return +installer.created
