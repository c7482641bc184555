"""Small report forms for tests (the shipped definitions are in `definitions.py`)."""

from metodist.reporting.models import (
    Aggregation,
    Category,
    CategorySet,
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


def indicator(code, name_ru, *, category_set=None, **fields) -> Indicator:
    return Indicator.objects.create(code=code, name_ru=name_ru, category_set=category_set, **fields)


def age_groups() -> CategorySet:
    ages, _ = CategorySet.objects.get_or_create(code="age", defaults={"name_ru": "Возрастные группы"})
    for order, (code, name) in enumerate(
        [("children", "дети до 14 лет"), ("youth", "молодёжь 15–30 лет"), ("adults", "взрослые")]
    ):
        Category.objects.get_or_create(
            category_set=ages, code=code, defaults={"name_ru": name, "order": order}
        )
    return ages


def make_form(
    code, name_ru, period_type, sections, *, assign_to=None, kinds=(), rules=(), **fields
) -> ReportForm:
    """sections: [(title, [indicator, …]), …]; rules: [(expression, severity, message), …]."""
    form = ReportForm.objects.create(code=code, name_ru=name_ru, period_type=period_type, **fields)
    version = FormVersion.objects.create(form=form, number=1)
    for order, (title, indicators) in enumerate(sections):
        section = FormSection.objects.create(version=version, name_ru=title, order=order)
        for position, item in enumerate(indicators):
            FormField.objects.create(section=section, indicator=item, order=position)
    if assign_to is not None:
        FormAssignment.objects.create(form=form, unit=assign_to, kinds=list(kinds))
    for expression, severity, message in rules:
        ValidationRule.objects.create(form=form, expression=expression, severity=severity, message_ru=message)
    return form


def online_centre_weekly(region) -> ReportForm:
    """A weekly form of online centres: visitors, sessions, people trained by age group, events."""
    ages = age_groups()
    visitors = indicator("oc_visitors", "Посетители")
    sessions = indicator("oc_sessions", "Интернет-сеансы")
    trained = indicator("oc_trained", "Обучено компьютерной грамотности", category_set=ages)
    events = indicator("oc_events", "Мероприятия")
    participants = indicator("oc_event_participants", "Участники мероприятий")
    return make_form(
        "oc_weekly",
        "Еженедельный отчёт онлайн-центра",
        PeriodType.WEEK,
        [("Посещения", [visitors, sessions]), ("Обучение и мероприятия", [trained, events, participants])],
        assign_to=region,
        kinds=["online_centre"],
        deadline_days=3,
        rules=[
            ("oc_event_participants <= oc_visitors", Severity.ERROR, "Участников больше, чем посетителей"),
            ("oc_sessions <= oc_visitors * 5", Severity.WARNING, "Очень много сеансов на посетителя"),
        ],
    )


def library_monthly(region) -> ReportForm:
    ages = age_groups()
    users = indicator("lib_users", "Зарегистрированные пользователи", category_set=ages)
    visits = indicator("lib_visits", "Посещения")
    loans = indicator("lib_loans", "Книговыдача")
    stock = indicator("lib_stock", "Фонд на конец периода", aggregation=Aggregation.LAST)
    share = indicator("lib_share", "Доля", value_type=ValueType.DECIMAL, aggregation=Aggregation.AVERAGE)
    return make_form(
        "lib_monthly",
        "Ежемесячная статистика библиотеки",
        PeriodType.MONTH,
        [("Основные показатели", [users, visits, loans, stock, share])],
        assign_to=region,
        kinds=["library"],
        rules=[("lib_visits >= lib_users", Severity.ERROR, "Посещений меньше, чем пользователей")],
    )
