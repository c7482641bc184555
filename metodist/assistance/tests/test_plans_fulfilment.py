"""Plan against fact: the fact is counted from the records, per kind, direction, form of work and period,
and the page and both exports show the percentages."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from metodist.assistance import plans
from metodist.assistance.models import (
    Consultation,
    Direction,
    FieldVisit,
    Material,
    Plan,
    PlanItem,
    VisitFinding,
)
from metodist.events.models import Event, EventFamily, EventStatus, FormOfWork

AFTER_Q2 = "2026-08-03 10:00 +06:00"


def consult(user, unit, day, *, directions=(), to_unit=None):
    consultation = Consultation.objects.create(
        consultant=user, consultant_unit=unit, to_unit=to_unit or unit, topic="Отчёт по форме 6-НК", date=day
    )
    consultation.directions.set(Direction.objects.filter(code__in=directions))
    return consultation


def visit(unit, day, *, status="done", findings=(), to=None):
    field_visit = FieldVisit.objects.create(
        start=day, end=day, organiser_unit=unit, purpose="Изучение работы сельской библиотеки", status=status
    )
    field_visit.destinations.set([to or unit])
    for code in findings:
        VisitFinding.objects.create(
            visit=field_visit, direction=Direction.objects.get(code=code), text="Проверено"
        )
    return field_visit


def event(unit, when, *, form=None, family=EventFamily.TRAINING, status=EventStatus.HELD):
    return Event.objects.create(
        title="Семинар сельских библиотекарей",
        form=form,
        family=family,
        status=status,
        starts_at=when,
        organiser_unit=unit,
        venue_text="Бескарагай",
    )


def local(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


def docx_rows(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def xlsx_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def row_with(rows, text: str):
    found = [row for row in rows if any(isinstance(v, str) and text in v for v in row)]
    assert len(found) == 1, found
    return found[0]


# --- the done-when test ---------------------------------------------------------------------------------


@pytest.fixture
def quarter_plan(net, methodist):
    """4 visits and 10 consultations planned for the 2nd quarter; 3 visits done and 12 consultations given."""
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    PlanItem.objects.create(
        plan=plan, kind="visit", quarter=2, target=4, title="Выезды в сельские библиотеки района"
    )
    PlanItem.objects.create(
        plan=plan, kind="consultation", quarter=2, target=10, title="Консультации сельским библиотекарям"
    )
    for month in (4, 5, 6):
        visit(net.beskaragay, datetime.date(2026, month, 14), to=net.kanonerka)
    # Not facts of the quarter: a visit still planned, one of July, one by another district's unit.
    visit(net.beskaragay, datetime.date(2026, 5, 20), status="planned", to=net.kanonerka)
    visit(net.beskaragay, datetime.date(2026, 7, 2), to=net.kanonerka)
    visit(net.abay, datetime.date(2026, 5, 20), to=net.mukur)
    for index in range(12):
        unit = (net.beskaragay, net.beskaragay_lib, net.kanonerka)[index % 3]
        consult(methodist, unit, datetime.date(2026, 4 + index % 3, 3 + index))
    consult(methodist, net.beskaragay, datetime.date(2026, 3, 31))
    consult(methodist, net.method_dept, datetime.date(2026, 5, 5))
    return plan


def test_the_page_shows_75_and_120_percent_of_the_quarter(quarter_plan, methodist, client_for):
    with time_machine.travel(AFTER_Q2, tick=False):
        answer = client_for(methodist).get(reverse("assistance:plan_detail", args=[quarter_plan.pk]))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "75 %" in html
    assert "120 %" in html
    visits_item, consultations_item = quarter_plan.items.order_by("-kind")
    assert visits_item.kind == "visit"
    visits_row = html.split(f'id="item-{visits_item.pk}"')[1].split("</tr>")[0]
    assert "75 %" in visits_row and "table-danger" in visits_row
    consultations_row = html.split(f'id="item-{consultations_item.pk}"')[1].split("</tr>")[0]
    assert "120 %" in consultations_row and "table-success" in consultations_row


def test_the_xlsx_export_holds_the_fact_and_the_percentages(quarter_plan, methodist, client_for):
    with time_machine.travel(AFTER_Q2, tick=False):
        answer = client_for(methodist).get(reverse("assistance:plan_export_xlsx", args=[quarter_plan.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = xlsx_rows(answer.content)
    header = next(row for row in rows if row and "%" in row)
    visits_row = row_with(rows, "Выезды в сельские библиотеки района")
    consultations_row = row_with(rows, "Консультации сельским библиотекарям")
    percent, fact, target = header.index("%"), header.index("%") - 1, 3
    assert (visits_row[target], visits_row[fact], visits_row[percent]) == (4, 3, 75)
    assert (consultations_row[target], consultations_row[fact], consultations_row[percent]) == (10, 12, 120)


@pytest.mark.parametrize("variant", ["plan", "fulfilment"])
def test_both_docx_variants_show_75_and_120_percent(quarter_plan, methodist, client_for, variant):
    with time_machine.travel(AFTER_Q2, tick=False):
        answer = client_for(methodist).get(
            reverse("assistance:plan_export_docx", args=[quarter_plan.pk]), {"variant": variant}
        )
    assert answer.status_code == 200
    rows = docx_rows(answer.content)
    visits_row = row_with(rows, "Выезды в сельские библиотеки района")
    consultations_row = row_with(rows, "Консультации сельским библиотекарям")
    assert "75 %" in visits_row and "3" in visits_row and "4" in visits_row
    assert "120 %" in consultations_row and "12" in consultations_row
    heading = docx_text(answer.content)
    if variant == "plan":
        assert "План работы Бескарагайского района на 2026 год" in heading
    else:
        assert "Исполнение плана работы Бескарагайского района на 2026 год" in heading
        # What is behind is listed after the tables.
        assert "3 of 4" in heading or "3 из 4" in heading


def test_the_kazakh_document_has_the_kazakh_title(quarter_plan, methodist, client_for):
    client = client_for(methodist)
    client.cookies["metodist_language"] = "kk"
    with time_machine.travel(AFTER_Q2, tick=False):
        answer = client.get(reverse("assistance:plan_export_docx", args=[quarter_plan.pk]))
    assert "Бесқарағай ауданының 2026 жылға арналған жұмыс жоспары" in docx_text(answer.content)
    assert Document(io.BytesIO(answer.content)).styles["Normal"].font.name == "DejaVu Sans"


# --- what is counted ------------------------------------------------------------------------------------


def _fulfilment(plan, today=datetime.date(2026, 12, 31)):
    result = plans.plan_fulfilment(plan, today=today)
    return {row.item.title: row for row in result.rows}


def test_an_item_with_a_direction_counts_only_records_of_that_direction(net, methodist):
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    reporting = Direction.objects.get(code="reporting")
    collections = Direction.objects.get(code="collections")
    PlanItem.objects.create(
        plan=plan, kind="consultation", direction=reporting, quarter=1, target=2, title="C"
    )
    PlanItem.objects.create(plan=plan, kind="consultation", quarter=1, target=5, title="C-all")
    PlanItem.objects.create(plan=plan, kind="visit", direction=collections, target=2, title="V")
    PlanItem.objects.create(plan=plan, kind="material", direction=reporting, quarter=2, title="M")
    day = datetime.date(2026, 2, 10)
    consult(methodist, net.beskaragay, day, directions=["reporting"])
    consult(methodist, net.beskaragay_lib, day, directions=["reporting", "online_centres"])
    consult(methodist, net.kanonerka, day, directions=["online_centres"])
    consult(methodist, net.kanonerka, day)
    consult(methodist, net.mukur, day, directions=["reporting"])  # another district
    visit(net.beskaragay, day, findings=["collections", "collections", "reporting"])
    visit(net.beskaragay, day, findings=["reporting"])
    visit(net.beskaragay, datetime.date(2026, 9, 1), findings=["collections"])
    material = Material.objects.create(unit=net.beskaragay_lib, type="guide", title="Памятка", year=2026)
    material.directions.set([reporting])
    other = Material.objects.create(unit=net.beskaragay_lib, type="guide", title="Сценарий", year=2026)
    other.directions.set([collections])
    Material.objects.filter(pk__in=[material.pk, other.pk]).update(
        created_at=local(datetime.date(2026, 5, 5))
    )

    rows = _fulfilment(plan)
    assert rows["C"].fact == 2
    assert rows["C-all"].fact == 4
    assert rows["V"].fact == 2  # each visit once, however many findings of the direction
    assert rows["V"].by_quarter == [1, 0, 1, 0]
    assert rows["M"].fact == 1


def test_events_count_by_family_and_form_once_started_and_not_cancelled(net):
    seminar, _created = FormOfWork.objects.get_or_create(
        code="seminar", defaults={"name_ru": "Семинар", "family": "training"}
    )
    workshop, _created = FormOfWork.objects.get_or_create(
        code="workshop", defaults={"name_ru": "Семинар-практикум", "family": "training"}
    )
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    children = Direction.objects.get(code="children")
    PlanItem.objects.create(plan=plan, kind="training", form_of_work=seminar, month=3, target=2, title="S")
    PlanItem.objects.create(plan=plan, kind="training", month=3, target=4, title="T")
    PlanItem.objects.create(plan=plan, kind="event", direction=children, month=3, target=1, title="E")
    march = datetime.date(2026, 3, 10)
    event(net.beskaragay_lib, local(march), form=seminar)
    event(net.kanonerka, local(march), form=seminar, status=EventStatus.PLANNED)  # held, not yet marked
    event(net.beskaragay, local(march), form=seminar, status=EventStatus.CANCELLED)
    event(net.beskaragay, local(march), form=workshop)
    event(net.beskaragay, local(march), form=seminar, family=EventFamily.PUBLIC)
    event(net.method_dept, local(march), form=seminar)  # not under the district
    event(net.beskaragay, local(datetime.date(2026, 3, 25)), form=seminar)  # later in March

    rows = _fulfilment(plan, today=datetime.date(2026, 3, 20))
    assert rows["S"].fact == 2
    assert rows["T"].fact == 3
    assert rows["E"].fact == 1  # events have no direction: the item's direction does not narrow them
    rows = _fulfilment(plan, today=datetime.date(2026, 3, 31))
    assert rows["S"].fact == 3
    assert rows["S"].status == plans.DONE


def test_items_of_the_same_key_share_the_fact_against_their_summed_targets(net, methodist):
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    first = PlanItem.objects.create(plan=plan, kind="consultation", quarter=1, target=3, title="A")
    second = PlanItem.objects.create(plan=plan, kind="consultation", quarter=1, target=2, title="B")
    PlanItem.objects.create(plan=plan, kind="consultation", month=2, target=1, title="February")
    for day in (5, 6, 7, 8):
        consult(methodist, net.beskaragay, datetime.date(2026, 2, day))
    result = plans.plan_fulfilment(plan, today=datetime.date(2026, 6, 1))
    rows = {row.item.title: row for row in result.rows}
    assert (rows["A"].fact, rows["A"].key_target, rows["A"].percent) == (4, 5, 80)
    assert rows["B"].percent == 80
    assert rows["A"].shared_with == [rows["B"].number]
    assert rows["February"].percent == 400
    assert rows["February"].shared_with == []
    assert {row.item.pk for row in result.behind} == {first.pk, second.pk}
    # The kind's total counts the quarter's fact once.
    (total,) = result.totals()
    assert (total.target, total.fact) == (6, 8)


def test_percent_rounds_half_up_and_behind_is_measured_pro_rata():
    assert plans.percent(3, 4) == 75
    assert plans.percent(12, 10) == 120
    assert plans.percent(2, 3) == 67
    assert plans.percent(1, 8) == 13
    assert plans.percent(0, 5) == 0
    q3 = plans.Period(2026, quarter=3)
    # 46 of 92 days gone: half of 10 is due.
    middle = datetime.date(2026, 8, 15)
    assert plans.assess(5, 10, q3, middle) == plans.ON_TRACK
    assert plans.assess(4, 10, q3, middle) == plans.BEHIND
    assert plans.assess(0, 1, q3, datetime.date(2026, 7, 1)) == plans.ON_TRACK
    assert plans.assess(0, 1, q3, datetime.date(2026, 6, 30)) == plans.LATER
    assert plans.assess(9, 10, q3, datetime.date(2026, 10, 1)) == plans.BEHIND
    assert plans.assess(10, 10, q3, datetime.date(2026, 7, 1)) == plans.DONE
