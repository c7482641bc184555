"""Upload of reports from a spreadsheet: templates, the all-or-nothing check, the bulk write."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook, load_workbook

from metodist.core import scope
from metodist.core.testing.factories import add_unit
from metodist.network.models import UnitKind
from metodist.reporting import services, xlsx_io
from metodist.reporting.models import (
    FormField,
    FormSection,
    FormVersion,
    Report,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.selectors import ENTER, expected_units
from metodist.reporting.testing import age_groups, indicator, make_form

NOW = datetime.datetime(2025, 3, 20, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
PERIOD = Period.parse("2025-02")
KEYS = [
    "#unit",
    "#name",
    "up_users.children",  # C
    "up_users.youth",  # D
    "up_users.adults",  # E
    "up_visits",  # F
    "up_share",  # G
    "up_internet",  # H
    "up_website",  # I
    "up_note",  # J
    "up_balance",  # K
]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def form(net):
    ages = age_groups()
    fields = [
        indicator("up_users", "Пользователи", category_set=ages),
        indicator("up_visits", "Посещения", name_kk="Келушілер"),
        indicator("up_share", "Доля читателей", value_type=ValueType.DECIMAL),
        indicator("up_internet", "Есть интернет", value_type=ValueType.BOOLEAN),
        indicator("up_website", "Есть сайт", value_type=ValueType.BOOLEAN),
        indicator("up_note", "Примечание", value_type=ValueType.TEXT),
        indicator("up_balance", "Движение фонда", allow_negative=True),
    ]
    return make_form(
        "up_monthly",
        "Ежемесячный отчёт библиотеки",
        PeriodType.MONTH,
        [("Основные показатели", fields)],
        assign_to=net.region,
        kinds=[UnitKind.LIBRARY],
    )


def _xlsx(rows: list[list], *, form_code="up_monthly", period="2025-02", keys=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([form_code, period])
    sheet.append(keys or KEYS)
    sheet.append(["Код", "Единица"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _counts() -> tuple[int, int, int, int]:
    return (
        Report.objects.count(),
        Value.objects.count(),
        Report.history.count(),
        Value.history.count(),
    )


def _report(form, unit) -> Report:
    return Report.objects.get(form=form, unit=unit, period_start=PERIOD.start)


def _opened(user, form, unit, **values) -> Report:
    report = services.open_report(user=user, form=form, unit=unit, period=PERIOD)
    return services.save_values(user=user, report=report, values=values, version=report.version)


def _errors(plan) -> set[tuple]:
    return {(e.row, e.column) for e in plan.errors}


def _message(plan, row, column) -> str:
    return next(e.message for e in plan.errors if (e.row, e.column) == (row, column))


# --- a clean file ------------------------------------------------------------------------------------------


def test_a_clean_file_writes_the_values_into_new_draft_reports(net, methodist, form):
    rows = [
        ["BSK-LIB", "Бескарагайская", 5, 7, 20, 100, "0,25", "да", "нет", "Ремонт крыши", -3],
        ["KAN-LIB", "Канонерская", 1, 2, 3, 40, 0.5, "иә", "жоқ", None, 0],
    ]
    plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=methodist)
    assert plan.errors == []
    summary = xlsx_io.upload_apply(plan, user=methodist)

    assert (summary.reports_created, summary.values_created, summary.values_changed) == (2, 17, 0)
    report = _report(form, net.beskaragay_lib)
    assert services.values_of(report) == {
        "up_users.children": Decimal(5),
        "up_users.youth": Decimal(7),
        "up_users.adults": Decimal(20),
        "up_users": Decimal(32),
        "up_visits": Decimal(100),
        "up_share": Decimal("0.25"),
        "up_internet": Decimal(1),
        "up_website": Decimal(0),
        "up_note": "Ремонт крыши",
        "up_balance": Decimal(-3),
    }
    assert services.values_of(_report(form, net.kanonerka))["up_share"] == Decimal("0.5")
    # As open_report would open it: a draft of the current version, due five days after the month.
    assert report.status == ReportStatus.DRAFT
    assert report.form_version == form.current_version()
    assert (report.period_type, report.period_end, report.ref_date) == ("month", PERIOD.end, PERIOD.start)
    assert report.due == datetime.date(2025, 3, 5)
    assert report.created_by == methodist
    assert report.version == 2


def test_written_values_carry_the_report_s_unit_path_day_and_period_and_their_history(net, methodist, form):
    plan = xlsx_io.parse_upload(_xlsx([["BSK-LIB", "", 5, None, None, 100]]), form=form, user=methodist)
    xlsx_io.upload_apply(plan, user=methodist)

    report = _report(form, net.beskaragay_lib)
    for value in Value.objects.filter(report=report):
        assert (value.unit_id, value.unit_path) == (net.beskaragay_lib.pk, net.beskaragay_lib.path)
        assert (value.ref_date, value.period_type) == (PERIOD.start, "month")
        assert value.updated_by == methodist
    history = Value.history.filter(report_id=report.pk)
    assert {(h.history_type, h.history_user_id, h.number) for h in history} == {
        ("+", methodist.pk, Decimal(5)),
        ("+", methodist.pk, Decimal(100)),
    }
    assert {h.id for h in history} == set(Value.objects.filter(report=report).values_list("id", flat=True))
    created = Report.history.get(id=report.pk)
    assert (created.history_type, created.history_user_id) == ("+", methodist.pk)
    assert created.history_change_reason


def test_an_upload_changes_stored_values_in_place_and_bumps_the_report_version(net, methodist, form):
    report = _opened(methodist, form, net.beskaragay_lib, up_visits="10", up_share="0.5")
    value_ids = set(Value.objects.filter(report=report).values_list("id", flat=True))
    version = report.version

    # An empty cell (visits) changes nothing; the share changes; the youth is new.
    rows = [["BSK-LIB", "", None, 4, None, None, "0.75"]]
    plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=methodist)
    summary = xlsx_io.upload_apply(plan, user=methodist)

    assert (summary.reports_changed, summary.values_changed, summary.values_created) == (1, 1, 1)
    report.refresh_from_db()
    assert report.version == version + 1
    values = services.values_of(report)
    assert (values["up_visits"], values["up_share"], values["up_users.youth"]) == (
        Decimal(10),
        Decimal("0.75"),
        Decimal(4),
    )
    assert value_ids <= set(Value.objects.filter(report=report).values_list("id", flat=True))
    changed = Value.history.filter(report_id=report.pk, history_type="~").get()
    assert (changed.number, changed.history_user_id) == (Decimal("0.75"), methodist.pk)
    bumped = Report.history.filter(id=report.pk).order_by("-history_id").first()
    assert (bumped.version, bumped.history_type, bumped.history_user_id) == (
        report.version,
        "~",
        methodist.pk,
    )


def test_yes_and_no_are_read_in_russian_kazakh_and_english_and_as_one_and_zero(net, admin_user, form):
    words = [("да", "нет"), ("иә", "жоқ"), ("Yes", "NO"), (1, 0), (True, False)]
    units = ["BSK-LIB", "KAN-LIB", "MUK-LIB", "KAI-LIB", "VKOUB"]
    rows = [
        [code, "", None, None, None, None, None, yes, no]
        for code, (yes, no) in zip(units, words, strict=True)
    ]
    plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=admin_user)
    assert plan.errors == []
    xlsx_io.upload_apply(plan, user=admin_user)
    for unit in (net.beskaragay_lib, net.kanonerka, net.mukur, net.kainar, net.regional):
        values = services.values_of(_report(form, unit))
        assert (values["up_internet"], values["up_website"]) == (Decimal(1), Decimal(0))


# --- a file with errors ------------------------------------------------------------------------------------


def test_every_wrong_cell_and_row_is_listed_with_its_row_and_column_and_nothing_is_written(
    net, methodist, form
):
    keys = [*KEYS, "up_unknown"]
    rows = [
        ["BSK-LIB", "", 2.5, None, None, "много", "-1", "может быть", None, None, None, 1],
        ["NOPE-LIB", "", 1],
        ["MUK-LIB", "", 1],
        ["KAN-LIB", "", 1],
        ["KAN-LIB", "", 2],
        [None, "без кода", 3],
        ["BSK-OC", "", 1],
    ]
    before = _counts()
    plan = xlsx_io.parse_upload(_xlsx(rows, keys=keys), form=form, user=methodist)

    assert _errors(plan) == {
        (2, "L"),  # a column the form does not have
        (4, "C"),  # 2.5 people
        (4, "F"),  # a word where a number belongs
        (4, "G"),  # a negative share
        (4, "H"),  # neither yes nor no
        (5, "A"),  # unknown unit code
        (6, "A"),  # Mukur is not in Beskaragay district
        (8, "A"),  # Kanonerka twice
        (9, "A"),  # values without a unit
        (10, "A"),  # an online centre does not report on a library form
    }
    with translation.override("en"):
        plan = xlsx_io.parse_upload(_xlsx(rows, keys=keys), form=form, user=methodist)
    assert "no field “up_unknown”" in _message(plan, 2, "L")
    assert _message(plan, 4, "C") == "A whole number is expected."
    assert _message(plan, 4, "F") == "Not a number."
    assert _message(plan, 4, "G") == "The value cannot be negative."
    assert _message(plan, 4, "H") == "Answer yes or no."
    assert "NOPE-LIB" in _message(plan, 5, "A")
    assert "outside your part of the network" in _message(plan, 6, "A")
    assert "already in row 7" in _message(plan, 8, "A")
    assert "does not report" in _message(plan, 10, "A")
    # The reasons are translated: the same file checked in Russian.
    with translation.override("ru"):
        russian = xlsx_io.parse_upload(_xlsx(rows, keys=keys), form=form, user=methodist)
    assert _message(russian, 4, "F") != "Not a number."
    assert next(e for e in plan.errors if (e.row, e.column) == (4, "F")).title == "Посещения"

    with pytest.raises(xlsx_io.UploadRefused):
        xlsx_io.upload_apply(plan, user=methodist)
    assert _counts() == before


def test_a_closed_period_is_an_error_and_nothing_is_written(net, methodist, form):
    form.entry_closed_before = datetime.date(2025, 3, 1)
    form.save()
    before = _counts()
    plan = xlsx_io.parse_upload(_xlsx([["BSK-LIB", "", 5]]), form=form, user=methodist)
    assert _errors(plan) == {(1, "B")}
    with translation.override("en"):
        assert "is closed" in _message(
            xlsx_io.parse_upload(_xlsx([["BSK-LIB", "", 5]]), user=methodist), 1, "B"
        )
    with pytest.raises(xlsx_io.UploadRefused):
        xlsx_io.upload_apply(plan, user=methodist)
    assert _counts() == before


def test_submitted_and_accepted_reports_are_not_changed_by_an_upload(net, admin_user, form):
    submitted = _opened(admin_user, form, net.beskaragay_lib, up_visits="10")
    accepted = _opened(admin_user, form, net.kanonerka, up_visits="10")
    unchanged = _opened(admin_user, form, net.mukur, up_visits="10")
    Report.objects.filter(pk__in=[submitted.pk, unchanged.pk]).update(status=ReportStatus.SUBMITTED)
    Report.objects.filter(pk=accepted.pk).update(status=ReportStatus.ACCEPTED)
    before = _counts()
    rows = [["BSK-LIB", "", None, None, None, 11], ["KAN-LIB", "", None, None, None, 12]]
    rows.append(["MUK-LIB", "", None, None, None, 10])  # the same value as stored: nothing to change
    with translation.override("en"):
        plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=admin_user)

    assert _errors(plan) == {(4, "A"), (5, "A")}
    assert "submitted" in _message(plan, 4, "A")
    assert "accepted" in _message(plan, 5, "A")
    with pytest.raises(xlsx_io.UploadRefused):
        xlsx_io.upload_apply(plan, user=admin_user)
    assert _counts() == before
    assert services.values_of(submitted)["up_visits"] == Decimal(10)


def test_a_file_of_another_form_or_not_a_spreadsheet_is_refused_with_a_message(net, methodist, form):
    other = make_form("other_monthly", "Другая форма", PeriodType.MONTH, [("Раздел", [])])
    plan = xlsx_io.parse_upload(_xlsx([["BSK-LIB", "", 5]]), form=other, user=methodist)
    assert _errors(plan) == {(1, "A")}
    with translation.override("en"):
        assert (
            "not a spreadsheet" not in xlsx_io.parse_upload(b"\x00\x01\x02", user=methodist).errors[0].message
        )
        old_excel = xlsx_io.parse_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, user=methodist)
        assert ".xls" in old_excel.errors[0].message
        assert xlsx_io.parse_upload(b"PK\x03\x04broken", user=methodist).errors[0].row is None


def test_the_total_of_a_split_indicator_is_not_a_column_to_fill(net, methodist, form):
    keys = ["#unit", "#name", "up_users"]
    plan = xlsx_io.parse_upload(_xlsx([["BSK-LIB", "", 5]], keys=keys), form=form, user=methodist)
    assert _errors(plan) == {(2, "C")}


def test_a_librarian_cannot_upload_values_of_another_library(net, librarian, form):
    rows = [["MUK-LIB", "", 5], ["KAI-LIB", "", 6]]
    before = _counts()
    plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=librarian)
    assert _errors(plan) == {(5, "A")}
    assert _counts() == before


def test_a_report_of_an_older_form_version_takes_only_its_own_fields(net, methodist, form):
    old_report = _opened(methodist, form, net.beskaragay_lib, up_visits="10")
    version = FormVersion.objects.create(form=form, number=2, note="Добавлены кружки")
    section = FormSection.objects.create(version=version, name_ru="Основные показатели")
    FormField.objects.create(section=section, indicator=old_report.values.get().indicator, order=0)
    FormField.objects.create(section=section, indicator=indicator("up_clubs", "Кружки по интересам"), order=1)
    keys = ["#unit", "#name", "up_visits", "up_clubs"]
    rows = [["BSK-LIB", "", 11, 2], ["KAN-LIB", "", 12, 3]]
    plan = xlsx_io.parse_upload(_xlsx(rows, keys=keys), form=form, user=methodist)

    assert _errors(plan) == {(4, "D")}  # the report of Beskaragay was opened in version 1
    plan = xlsx_io.parse_upload(_xlsx(rows[1:], keys=keys), form=form, user=methodist)
    xlsx_io.upload_apply(plan, user=methodist)
    kanonerka = _report(form, net.kanonerka)
    assert kanonerka.form_version == version
    assert services.values_of(kanonerka) == {"up_visits": Decimal(12), "up_clubs": Decimal(3)}


# --- the dry run and changes since the check -------------------------------------------------------------


def test_the_dry_run_shows_what_would_change_and_writes_nothing(net, methodist, form):
    _opened(methodist, form, net.beskaragay_lib, up_visits="10", up_note="старое")
    before = _counts()
    rows = [["BSK-LIB", "", None, None, None, 12, None, None, None, "старое"], ["KAN-LIB", "", 1, 2]]
    plan = xlsx_io.parse_upload(_xlsx(rows), form=form, user=methodist)

    assert _counts() == before
    assert (plan.new_reports, plan.changed_reports, plan.value_count, plan.unchanged_rows) == (1, 1, 3, 0)
    changed = plan.to_write[0]
    assert [(c.key, c.old_shown, c.new_shown) for c in changed.changes] == [("up_visits", "10", "12")]
    assert [c.old for c in plan.to_write[1].changes] == [None, None]


def test_reports_saved_after_the_check_are_not_overwritten(net, methodist, form):
    report = _opened(methodist, form, net.beskaragay_lib, up_visits="10")
    plan = xlsx_io.parse_upload(
        _xlsx([["BSK-LIB", "", None, None, None, 12], ["KAN-LIB", "", 1]]), form=form, user=methodist
    )
    services.save_values(user=methodist, report=report, values={"up_visits": "11"}, version=report.version)
    before = _counts()

    with pytest.raises(xlsx_io.UploadRefused) as refused:
        xlsx_io.upload_apply(plan, user=methodist)
    assert [e.row for e in refused.value.errors] == [4]
    assert _counts() == before
    assert services.values_of(report)["up_visits"] == Decimal(11)


def test_a_report_opened_after_the_check_is_not_opened_twice(net, methodist, form):
    plan = xlsx_io.parse_upload(_xlsx([["KAN-LIB", "", 1]]), form=form, user=methodist)
    services.open_report(user=methodist, form=form, unit=net.kanonerka, period=PERIOD)
    with pytest.raises(xlsx_io.UploadRefused):
        xlsx_io.upload_apply(plan, user=methodist)
    assert Report.objects.filter(unit=net.kanonerka).count() == 1
    assert not Value.objects.exists()


# --- templates ---------------------------------------------------------------------------------------------


def test_the_xlsx_template_round_trip_writes_what_was_filled_in(net, methodist, form):
    _opened(methodist, form, net.beskaragay_lib, up_visits="10")
    units = expected_units(form, PERIOD, under=net.beskaragay).order_by("path")
    content = xlsx_io.template_xlsx(form, PERIOD, units)

    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["A1"].value, sheet["B1"].value) == ("up_monthly", "2025-02")
    assert sheet.row_dimensions[1].hidden and sheet.row_dimensions[2].hidden
    assert [c.value for c in sheet[2]][:6] == KEYS[:6]
    assert sheet["F3"].value == "Посещения"
    assert sheet["C3"].value == "Пользователи: дети до 14 лет"
    assert sheet.freeze_panes == "C4"
    assert [sheet.cell(row, 1).value for row in (4, 5)] == ["BSK-LIB", "KAN-LIB"]
    assert sheet.cell(6, 1).value is None  # the online centre does not report on this form
    assert sheet["B4"].value == "Бескарагайская сельская библиотека"
    assert sheet["F4"].value == 10  # what is stored already

    sheet["F4"] = 12
    sheet["F5"] = 40
    sheet["H5"] = "да"
    sheet["J5"] = "Новый абонемент"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    plan = xlsx_io.parse_upload(buffer.getvalue(), form=form, user=methodist)
    assert plan.errors == []
    xlsx_io.upload_apply(plan, user=methodist)
    assert services.values_of(_report(form, net.beskaragay_lib))["up_visits"] == Decimal(12)
    kanonerka = services.values_of(_report(form, net.kanonerka))
    assert kanonerka == {"up_visits": Decimal(40), "up_internet": Decimal(1), "up_note": "Новый абонемент"}


def test_the_template_speaks_kazakh_with_kazakh_names(net, admin_user, form):
    with translation.override("kk"):
        content = xlsx_io.template_xlsx(form, PERIOD, [net.mukur])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["B4"].value == "Мұқыр ауылдық кітапханасы"
    assert sheet["F3"].value == "Келушілер"


def test_the_csv_template_round_trip_reads_a_russian_excel_csv(net, methodist, form):
    units = expected_units(form, PERIOD, under=net.beskaragay).order_by("path")
    text = xlsx_io.template_csv(form, PERIOD, units).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:2] == ["up_monthly", "2025-02"]
    assert lines[1][:3] == ["#unit", "#name", "up_users.children"]
    assert [line[0] for line in lines[3:]] == ["BSK-LIB", "KAN-LIB"]

    # Excel in a Russian Windows: semicolons, decimal commas, the Windows Cyrillic code page.
    lines[3][5], lines[3][6], lines[3][9] = "120", "0,3", "Читальный зал"
    lines[4][7] = "нет"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(lines)
    plan = xlsx_io.parse_upload(buffer.getvalue().encode("cp1251"), form=form, user=methodist)
    assert plan.errors == []
    xlsx_io.upload_apply(plan, user=methodist)
    values = services.values_of(_report(form, net.beskaragay_lib))
    assert (values["up_visits"], values["up_share"], values["up_note"]) == (
        Decimal(120),
        Decimal("0.3"),
        "Читальный зал",
    )
    assert services.values_of(_report(form, net.kanonerka)) == {"up_internet": Decimal(0)}


def test_a_csv_with_errors_lists_them_by_row_and_column(net, methodist, form):
    content = "up_monthly,2025-02\n#unit,#name,up_users.children\nКод,Единица\nBSK-LIB,,-4\n".encode()
    plan = xlsx_io.parse_upload(content, form=form, user=methodist)
    assert _errors(plan) == {(4, "C")}


# --- the number of queries -----------------------------------------------------------------------------


def _district_with_libraries(region, count: int) -> list:
    district = add_unit(region, code="ULN", name_ru="Уланский район", kind=UnitKind.DISTRICT)
    return [
        add_unit(district, code=f"ULN-{n:02d}", name_ru=f"Библиотека села №{n}", kind=UnitKind.LIBRARY)
        for n in range(count)
    ]


def _rows(units, visits: int) -> list[list]:
    return [[unit.code, "", 1, 2, 3, visits, "0.5", "да", "нет", "запись", 1] for unit in units]


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_units(net, admin_user, form):
    libraries = _district_with_libraries(net.region, 50)
    scope.prefixes(admin_user, ENTER)  # the user's roles are read once, then kept on the user
    counts = {}
    for label, units in (("few", libraries[:5]), ("many", libraries[5:])):
        for visits in (10, 20):  # new reports, then changed ones
            content = _xlsx(_rows(units, visits))
            parsing = _queries(lambda c=content: xlsx_io.parse_upload(c, form=form, user=admin_user))
            plan = xlsx_io.parse_upload(content, form=form, user=admin_user)
            assert plan.errors == []
            counts[label, visits] = (
                parsing,
                _queries(lambda p=plan: xlsx_io.upload_apply(p, user=admin_user)),
            )
    assert counts["few", 10] == counts["many", 10]
    assert counts["few", 20] == counts["many", 20]
    assert (
        Value.objects.filter(unit__code__startswith="ULN-", indicator__code="up_visits", number=20).count()
        == 50
    )
