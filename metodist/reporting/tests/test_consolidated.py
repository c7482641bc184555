"""The consolidated report (свод): every cell against sums computed here from hand-built reports, last year's
change, the derived indicators, the DOCX and XLSX read back, the page, scope and the number of queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from metodist.core.testing.factories import add_unit
from metodist.network.models import UnitKind
from metodist.reporting import services
from metodist.reporting.consolidated import (
    ConsolidationError,
    consolidated,
    consolidated_docx,
    consolidated_xlsx,
)
from metodist.reporting.models import (
    Aggregation,
    Category,
    CategorySet,
    DerivedIndicator,
    FormField,
    Report,
    ReportStatus,
    Value,
    ValueType,
)
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.services import field_specs
from metodist.reporting.testing import indicator, make_form

URL = "/reporting/consolidated/"
KAZAKH_LETTERS = "әғқңөұүһі"


def file_report(form, unit, code, values, status=ReportStatus.ACCEPTED) -> Report:
    """A report of `unit` for the period `code` with `values` ({key: number or text}), stored as the
    services store them (the values carry the report's unit path and reference day)."""
    period = Period.parse(code)
    report = Report.objects.create(
        form=form,
        form_version=form.current_version(),
        unit=unit,
        period_type=period.type,
        period_start=period.start,
        period_end=period.end,
        ref_date=period.ref_date,
        due=period.deadline(form.deadline_days),
        status=status,
    )
    specs = field_specs(report)
    Value.objects.bulk_create(
        [
            Value(
                report=report,
                indicator=specs[key].indicator,
                category_id=specs[key].category_id,
                unit=unit,
                unit_path=unit.path,
                ref_date=period.ref_date,
                period_type=period.type,
                number=None if isinstance(raw, str) else Decimal(str(raw)),
                text=raw if isinstance(raw, str) else "",
            )
            for key, raw in values.items()
        ]
    )
    return report


@pytest.fixture
def form(net):
    """A monthly form with every roll-up rule: a sum, an average, a split sum, a split average, a last
    value, a yes/no and a text; names in Russian and Kazakh."""
    ages, _created = CategorySet.objects.get_or_create(code="age", defaults={"name_ru": "Возраст"})
    for order, (code, ru, kk) in enumerate(
        [
            ("children", "дети", "балалар"),
            ("youth", "молодёжь", "жастар"),
            ("adults", "взрослые", "ересектер"),
        ]
    ):
        Category.objects.create(category_set=ages, code=code, name_ru=ru, name_kk=kk, order=order)
    visits = indicator("visits", "Посещения", name_kk="Келушілер саны")
    share = indicator(
        "kazakh_share",
        "Доля выдачи на казахском языке",
        name_kk="Қазақ тіліндегі үлесі",
        value_type=ValueType.DECIMAL,
        aggregation=Aggregation.AVERAGE,
        measure="%",
    )
    users = indicator(
        "users", "Зарегистрировано пользователей", name_kk="Тіркелген оқырмандар", category_set=ages
    )
    club = indicator(
        "club_size",
        "Средняя наполняемость кружков",
        name_kk="Үйірмелердің орташа толымдылығы",
        category_set=ages,
        aggregation=Aggregation.AVERAGE,
    )
    stock = indicator("stock", "Фонд", name_kk="Жыл соңындағы қор", aggregation=Aggregation.LAST)
    furniture = indicator("furniture", "Мебель", name_kk="Жиһаз бірліктері", aggregation=Aggregation.LAST)
    wifi = indicator(
        "wifi",
        "Подключение к сети",
        name_kk="Өңірлік желіге қосылу",
        value_type=ValueType.BOOLEAN,
        aggregation=Aggregation.LAST,
    )
    note = indicator("note", "Примечание", name_kk="Ескертпе", value_type=ValueType.TEXT)
    form = make_form(
        "lib_svod",
        "Месячная статистика",
        PeriodType.MONTH,
        [
            ("Пользователи и посещения", [visits, users, share]),
            ("Фонд и оснащение", [stock, furniture, wifi, club, note]),
        ],
        assign_to=net.region,
        kinds=["library"],
        name_kk="Айлық статистика",
    )
    form.current_version().sections.filter(name_ru="Пользователи и посещения").update(
        name_kk="Оқырмандар және келушілер"
    )
    FormField.objects.filter(indicator=note).update(required=False)
    DerivedIndicator.objects.create(
        code="visits_per_user", name_ru="Посещаемость", numerator=visits, denominator=users, decimals=2
    )
    DerivedIndicator.objects.create(
        code="reach", name_ru="Охват, %", numerator=users, per_population=True, factor=Decimal(100)
    )
    # Not the form's: its numerator is not on the form.
    DerivedIndicator.objects.create(
        code="other", name_ru="Чужой показатель", numerator=indicator("x", "Икс"), denominator=users
    )
    return form


def _values(visits, share, users, club, stock, furniture, wifi, note="") -> dict:
    values = {
        "visits": visits,
        "kazakh_share": share,
        "users.children": users[0],
        "users.youth": users[1],
        "users.adults": users[2],
        "club_size.children": club[0],
        "club_size.youth": club[1],
        "club_size.adults": club[2],
        "stock": stock,
        "furniture": furniture,
        "wifi": wifi,
    }
    if note:
        values["note"] = note
    return values


@pytest.fixture
def district(net):
    """Beskaragay district with a third library whose report stays a draft."""
    net.karagay = add_unit(
        net.beskaragay,
        code="KAR-LIB",
        name_ru="Карагайская сельская библиотека",
        name_kk="Қарағай ауылдық кітапханасы",
        kind=UnitKind.LIBRARY,
        population_served=500,
    )
    net.beskaragay_lib.population_served = 1200
    net.beskaragay_lib.save()
    net.kanonerka.population_served = 800
    net.kanonerka.save()
    return net


A = _values(410, Decimal("61.5"), (30, 12, 25), (8, 10, 6), 5200, 40, 1, "Ремонт читального зала")
B = _values(275, Decimal("48.25"), (14, 9, 20), (5, 7, 9), 3900, 25, 0)
DRAFT = _values(999, Decimal("10"), (100, 100, 100), (50, 50, 50), 9999, 99, 1)
ABAY = _values(700, Decimal("90"), (60, 60, 60), (20, 20, 20), 8000, 80, 1)
LAST_YEAR_A = _values(380, Decimal("60"), (28, 10, 22), (7, 9, 5), 5100, 38, 1)
LAST_YEAR_B = _values(300, Decimal("50"), (16, 11, 18), (6, 6, 8), 3800, 25, 1)


@pytest.fixture
def reports(form, district):
    net = district
    file_report(form, net.beskaragay_lib, "2025-03", A, ReportStatus.ACCEPTED)
    file_report(form, net.kanonerka, "2025-03", B, ReportStatus.SUBMITTED)
    file_report(form, net.karagay, "2025-03", DRAFT, ReportStatus.DRAFT)  # not counted
    file_report(form, net.mukur, "2025-03", ABAY, ReportStatus.ACCEPTED)  # another district
    file_report(form, net.beskaragay_lib, "2024-03", LAST_YEAR_A)
    file_report(form, net.kanonerka, "2024-03", LAST_YEAR_B)
    file_report(form, net.karagay, "2024-03", DRAFT, ReportStatus.RETURNED)  # not counted either
    return net


def _rows(svod) -> dict:
    return {row.indicator.code: row for row in svod.rows}


def _users(values) -> int:
    return values["users.children"] + values["users.youth"] + values["users.adults"]


def _club(values) -> int:
    return values["club_size.children"] + values["club_size.youth"] + values["club_size.adults"]


# --- the figures ----------------------------------------------------------------------------------------


def test_every_cell_of_the_svod_is_the_roll_up_of_the_accepted_and_submitted_reports_below(form, reports):
    svod = consolidated(form, Period.parse("2025-03"), reports.beskaragay)
    rows = _rows(svod)
    assert [section.name for section in svod.sections] == ["Пользователи и посещения", "Фонд и оснащение"]
    assert [row.indicator.code for row in svod.rows] == [
        "visits",
        "users",
        "kazakh_share",
        "stock",
        "furniture",
        "wifi",
        "club_size",
        "note",
    ]
    # Sums: the two counted reports, not the draft, not Abay's.
    assert rows["visits"].figure.value == 410 + 275
    assert rows["stock"].figure.value == 5200 + 3900  # one report per unit: each unit's last, summed
    assert rows["furniture"].figure.value == 40 + 25
    assert rows["wifi"].figure.value == 1  # the libraries answering yes
    # An average of the values.
    assert rows["kazakh_share"].figure.value == (Decimal("61.5") + Decimal("48.25")) / 2
    # A split sum: each part and the total.
    parts = {part.label: part.figure.value for part in rows["users"].parts}
    assert parts == {"дети": 30 + 14, "молодёжь": 12 + 9, "взрослые": 25 + 20}
    assert rows["users"].figure.value == _users(A) + _users(B)
    assert [part.number for part in rows["users"].parts] == ["2.1", "2.2", "2.3"]
    # A split average: parts averaged, the total is the average of the report totals.
    parts = {part.label: part.figure.value for part in rows["club_size"].parts}
    assert parts == {"дети": Decimal("6.5"), "молодёжь": Decimal("8.5"), "взрослые": Decimal("7.5")}
    assert rows["club_size"].figure.value == Decimal(_club(A) + _club(B)) / 2
    assert rows["note"].is_text and rows["note"].figure.value is None


def test_the_counts_say_how_many_reports_were_expected_and_which_are_included(form, reports):
    counts = consolidated(form, Period.parse("2025-03"), reports.beskaragay).counts
    assert counts.expected == 3  # three libraries in the district
    assert (counts.accepted, counts.submitted, counts.included) == (1, 1, 2)
    assert counts.left_out == 1  # the draft
    assert counts.not_begun == 0
    region = consolidated(form, Period.parse("2025-03"), reports.region).counts
    assert region.expected == 6  # four libraries of the cast, Karagay and the regional library
    assert (region.included, region.left_out, region.not_begun) == (3, 1, 2)


def test_beside_each_figure_stand_last_years_figure_and_the_change(form, reports):
    svod = consolidated(form, Period.parse("2025-03"), reports.beskaragay)
    assert svod.last_year_period == Period.parse("2024-03")
    visits = _rows(svod)["visits"].figure
    assert visits.last_year == 380 + 300
    assert visits.change == (410 + 275) - (380 + 300)
    assert visits.change_percent == (Decimal(5) / Decimal(680) * 100).quantize(Decimal("0.1"))
    users = _rows(svod)["users"]
    assert users.figure.last_year == _users(LAST_YEAR_A) + _users(LAST_YEAR_B)
    children = users.parts[0].figure
    assert (children.value, children.last_year, children.change) == (44, 44, 0)
    assert children.change_percent == 0
    wifi = _rows(svod)["wifi"].figure
    assert (wifi.value, wifi.last_year, wifi.change) == (1, 2, -1)
    assert wifi.change_percent == Decimal("-50.0")
    assert svod.last_year_counts.included == 2


def test_the_derived_indicators_of_the_form_are_ratios_of_the_rolled_up_figures(form, reports):
    svod = consolidated(form, Period.parse("2025-03"), reports.beskaragay)
    derived = {row.derived.code: row for row in svod.derived}
    assert set(derived) == {"visits_per_user", "reach"}  # "other" needs an indicator the form lacks
    users_now, users_before = _users(A) + _users(B), _users(LAST_YEAR_A) + _users(LAST_YEAR_B)
    rate = derived["visits_per_user"].figure
    assert rate.value == (Decimal(685) / users_now).quantize(Decimal("0.01"))
    assert rate.last_year == (Decimal(680) / users_before).quantize(Decimal("0.01"))
    # The population served by the district's libraries: 1,200 + 800 + 500.
    reach = derived["reach"].figure
    assert reach.value == (Decimal(users_now) / 2500 * 100).quantize(Decimal("0.1"))
    assert reach.last_year == (Decimal(users_before) / 2500 * 100).quantize(Decimal("0.1"))


def test_a_quarter_of_monthly_reports_rolls_up_with_each_rule(form, district):
    net = district
    january = _values(100, Decimal("40"), (1, 2, 3), (4, 4, 4), 1000, 10, 0)
    february = _values(120, Decimal("50"), (2, 2, 2), (6, 6, 6), 1010, 11, 1)
    march = _values(90, Decimal("70"), (3, 1, 1), (2, 2, 2), 1020, 12, 1)
    kanonerka_jan = _values(60, Decimal("30"), (5, 5, 5), (3, 3, 3), 700, 7, 1)
    kanonerka_feb = _values(65, Decimal("35"), (1, 1, 1), (9, 9, 9), 705, 8, 0)  # nothing for March
    for code, values in [("2025-01", january), ("2025-02", february), ("2025-03", march)]:
        file_report(form, net.beskaragay_lib, code, values)
    file_report(form, net.kanonerka, "2025-01", kanonerka_jan)
    file_report(form, net.kanonerka, "2025-02", kanonerka_feb)
    everything = [january, february, march, kanonerka_jan, kanonerka_feb]
    svod = consolidated(form, Period.parse("2025-Q1"), net.beskaragay)
    rows = _rows(svod)
    assert rows["visits"].figure.value == sum(v["visits"] for v in everything)
    assert rows["kazakh_share"].figure.value == sum(v["kazakh_share"] for v in everything) / 5
    assert rows["users"].figure.value == sum(_users(v) for v in everything)
    # "Last": each library's latest month in the quarter (Kanonerka's is February), then summed.
    assert rows["stock"].figure.value == 1020 + 705
    assert rows["wifi"].figure.value == 1 + 0
    assert rows["club_size"].figure.value == Decimal(sum(_club(v) for v in everything)) / 5
    assert svod.counts.expected == 3 * 3  # three libraries, three months
    assert svod.counts.included == 5


def test_a_period_shorter_than_the_form_is_refused(form, reports):
    with pytest.raises(ConsolidationError):
        consolidated(form, Period.parse("2025-W10"), reports.beskaragay)


def test_a_report_counts_the_moment_it_is_submitted(form, district, methodist):
    net = district
    file_report(form, net.beskaragay_lib, "2025-03", A)
    draft = file_report(form, net.kanonerka, "2025-03", B, ReportStatus.DRAFT)
    period = Period.parse("2025-03")
    assert _rows(consolidated(form, period, net.beskaragay))["visits"].figure.value == 410
    services.submit(user=methodist, report=draft)
    assert _rows(consolidated(form, period, net.beskaragay))["visits"].figure.value == 410 + 275


# --- the documents --------------------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _ulan(net):
    return add_unit(
        net.region,
        code="ULN",
        name_ru="Уланский район",
        name_kk="Ұлан ауданы",
        kind=UnitKind.DISTRICT,
    )


def test_the_docx_has_the_title_unit_period_figures_and_signature_lines_in_kazakh(form, reports):
    ulan = _ulan(reports)
    library = add_unit(ulan, code="ULN-LIB", name_ru="Библиотека", kind=UnitKind.LIBRARY)
    file_report(form, library, "2025-03", A)
    file_report(form, library, "2024-03", LAST_YEAR_A)
    with translation.override("kk"):
        svod = consolidated(form, Period.parse("2025-03"), ulan)
    text = _docx_text(consolidated_docx(svod, language="kk"))
    for letter in KAZAKH_LETTERS:
        assert letter in text.lower(), letter
    assert "Ұлан ауданы" in text
    assert "Айлық статистика" in text
    assert "Оқырмандар және келушілер" in text
    assert "Жиһаз бірліктері" in text
    document = Document(io.BytesIO(consolidated_docx(svod, language="kk")))
    table = document.tables[0]
    cells = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows}
    visits = cells["Келушілер саны"]
    assert visits[3] == "410" and visits[4] == "380" and visits[5] == "+30"
    assert cells["Тіркелген оқырмандар"][3] == str(_users(A))
    assert any(line.count("_") > 10 for line in text.splitlines())  # signature lines


def test_the_docx_in_russian_shows_the_figures_with_russian_grouping(form, reports):
    svod = consolidated(form, Period.parse("2025-03"), reports.beskaragay)
    text = _docx_text(consolidated_docx(svod, language="ru"))
    assert "Бескарагайский район" in text
    assert "Месячная статистика" in text
    assert "9\xa0100" in text  # the collection 5,200 + 3,900 in the Russian way
    assert "54,88" in text  # the average share (61.5 + 48.25) / 2, a decimal comma


def test_the_xlsx_holds_the_figures_as_numbers_in_the_forms_layout(form, reports):
    ulan = _ulan(reports)
    library = add_unit(ulan, code="ULN-LIB", name_ru="Библиотека", kind=UnitKind.LIBRARY)
    file_report(form, library, "2025-03", A)
    with translation.override("kk"):
        svod = consolidated(form, Period.parse("2025-03"), ulan)
    sheet = load_workbook(io.BytesIO(consolidated_xlsx(svod, language="kk"))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    everything = " ".join(str(v) for row in rows for v in row if v is not None)
    for letter in KAZAKH_LETTERS:
        assert letter in everything.lower(), letter
    by_label = {row[1]: row for row in rows if len(row) > 3 and row[1]}
    assert by_label["Келушілер саны"][3] == 410
    assert by_label["Тіркелген оқырмандар"][3] == _users(A)
    assert by_label["Жыл соңындағы қор"][3] == 5200
    labels = [row[1] for row in rows if len(row) > 1 and row[1]]
    # The form's layout: sections in order, each field after its section, parts after their field.
    assert labels.index("Оқырмандар және келушілер") < labels.index("Келушілер саны")
    assert labels.index("Келушілер саны") < labels.index("Тіркелген оқырмандар")
    assert labels.index("Тіркелген оқырмандар") < labels.index("Фонд и оснащение")


# --- the page -------------------------------------------------------------------------------------------


def test_the_page_shows_the_svod_and_downloads_it(form, reports, client_for, methodist):
    client = client_for(methodist)
    query = {"form": "lib_svod", "period": "2025-03", "unit": reports.beskaragay.pk}
    page = client.get(URL, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Бескарагайский район" in html
    assert "685" in html and "Пользователи и посещения" in html
    docx = client.get(URL, {**query, "format": "docx"})
    assert docx.status_code == 200
    assert "svod-lib_svod-BSK-2025-03" in docx["Content-Disposition"]
    assert "Бескарагайский район" in _docx_text(docx.content)
    xlsx = client.get(URL, {**query, "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active["A1"].value


def test_the_page_opens_on_the_first_form_and_its_latest_period(form, reports, client_for, methodist):
    page = client_for(methodist).get(URL)
    assert page.status_code == 200
    assert page.context["svod"].unit == reports.beskaragay  # the top of her scope
    assert page.context["svod"].form == form


def test_a_week_for_a_monthly_form_is_explained_not_computed(form, reports, client_for, methodist):
    page = client_for(methodist).get(
        URL, {"form": "lib_svod", "period": "2025-W10", "unit": reports.beskaragay.pk}
    )
    assert page.status_code == 200
    assert page.context["svod"] is None
    assert page.context["filters"].errors["period"]


def test_units_out_of_scope_answer_404(form, reports, client_for, outsider, librarian):
    query = {"form": "lib_svod", "period": "2025-03", "unit": reports.beskaragay.pk}
    assert client_for(outsider).get(URL, query).status_code == 404
    assert client_for(librarian).get(URL, query).status_code == 404
    assert client_for(librarian).get(URL, {**query, "format": "xlsx"}).status_code == 404
    own = client_for(librarian).get(URL, {**query, "unit": reports.mukur.pk})
    assert own.status_code == 200
    assert _rows(own.context["svod"])["visits"].figure.value == 700


def _queries_for_page(client, district) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL, {"form": "lib_svod", "period": "2025-03", "unit": district.pk})
    assert page.status_code == 200
    return len(queries.captured_queries)


def test_the_svod_page_takes_as_many_queries_for_30_units_as_for_3(form, net, client_for, admin_user):
    client = client_for(admin_user)
    district = add_unit(net.region, code="ULN", name_ru="Уланский район", kind=UnitKind.DISTRICT)

    def add_libraries(first, last):
        for number in range(first, last):
            library = add_unit(
                district, code=f"ULN-{number}", name_ru=f"Библиотека {number}", kind=UnitKind.LIBRARY
            )
            file_report(form, library, "2025-03", A)
            file_report(form, library, "2024-03", B)

    add_libraries(0, 3)
    few = _queries_for_page(client, district)
    add_libraries(3, 30)
    many = _queries_for_page(client, district)
    assert many == few
    svod = consolidated(form, Period.parse("2025-03"), district)
    assert _rows(svod)["visits"].figure.value == 30 * 410
