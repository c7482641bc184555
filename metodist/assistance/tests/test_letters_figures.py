"""Counts of the correspondence by counterpart and by month equal the records; the list and the figures
export to XLSX files that open and hold the rows."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metodist.assistance import letters
from metodist.assistance.models import Letter, LetterDirection

TODAY = datetime.date(2025, 7, 2)
AKIMAT = "ГУ «Аппарат акима Мукурского сельского округа»"


@pytest.fixture
def traffic(net, admin_user):
    """Two months of letters with three units and an outside organisation, one of them overdue."""
    rows = [
        # (counterpart unit, outside name, direction, date, reply due)
        (net.mukur_oc, "", "incoming", datetime.date(2025, 5, 5), None),
        (net.mukur_oc, "оператор Жанар", "incoming", datetime.date(2025, 5, 12), datetime.date(2025, 5, 15)),
        (net.mukur_oc, "", "outgoing", datetime.date(2025, 6, 2), None),
        (net.beskaragay_oc, "", "incoming", datetime.date(2025, 5, 6), None),
        (net.beskaragay_oc, "", "incoming", datetime.date(2025, 6, 3), datetime.date(2025, 6, 6)),
        (net.kanonerka, "", "outgoing", datetime.date(2025, 6, 9), datetime.date(2025, 7, 20)),
        (None, AKIMAT, "incoming", datetime.date(2025, 6, 10), datetime.date(2025, 6, 20)),
        (None, AKIMAT, "outgoing", datetime.date(2025, 6, 19), None),
    ]
    return [
        Letter.objects.create(
            owner_unit=net.method_dept,
            handled_by=admin_user,
            counterpart_unit=unit,
            counterpart_name=name,
            direction=direction,
            date=day,
            subject=f"Письмо {n}",
            reply_due=due,
        )
        for n, (unit, name, direction, day, due) in enumerate(rows)
    ]


def test_counts_by_counterpart_equal_the_records(traffic, net, admin_user):
    figures = letters.letter_figures(letters.letters_visible(admin_user), today=TODAY)
    rows = {row["key"]: row for row in figures["by_counterpart"]}
    for unit in (net.mukur_oc, net.beskaragay_oc, net.kanonerka):
        records = Letter.objects.filter(counterpart_unit=unit)
        row = rows[f"unit:{unit.pk}"]
        assert row["label"] == unit.name
        assert row["total"] == records.count()
        assert row["incoming"] == records.filter(direction=LetterDirection.INCOMING).count()
        assert row["outgoing"] == records.filter(direction=LetterDirection.OUTGOING).count()
    # A unit counts once though a person of it is named on one letter.
    assert rows[f"unit:{net.mukur_oc.pk}"]["total"] == 3
    assert rows[f"name:{AKIMAT}"]["total"] == Letter.objects.filter(counterpart_name=AKIMAT).count() == 2
    assert sum(row["total"] for row in figures["by_counterpart"]) == Letter.objects.count()
    assert figures["totals"] == {"total": 8, "incoming": 5, "outgoing": 3, "waiting": 4, "overdue": 3}
    assert rows[f"unit:{net.kanonerka.pk}"]["waiting"] == 1
    assert rows[f"unit:{net.kanonerka.pk}"]["overdue"] == 0


def test_counts_by_month_equal_the_records(traffic, admin_user):
    figures = letters.letter_figures(letters.letters_visible(admin_user), today=TODAY)
    by_month = {row["label"].strftime("%Y-%m"): row for row in figures["by_month"]}
    assert set(by_month) == {"2025-05", "2025-06"}
    for key, row in by_month.items():
        year, month = map(int, key.split("-"))
        records = Letter.objects.filter(date__year=year, date__month=month)
        assert row["total"] == records.count()
        assert row["outgoing"] == records.filter(direction="outgoing").count()


def test_the_figures_follow_scope_and_filters(traffic, net, librarian, admin_user, client_for):
    mine = letters.letter_figures(letters.letters_visible(librarian), today=TODAY)
    assert [row["label"] for row in mine["by_counterpart"]] == [net.mukur_oc.name]
    page = client_for(admin_user).get(
        reverse("assistance:letter_figures"), {"under": net.beskaragay.pk, "date_from": "2025-06-01"}
    )
    assert page.status_code == 200
    assert page.context["figures"]["totals"]["total"] == 2  # Beskaragay OC and Kanonerka in June
    assert AKIMAT not in page.text


def test_the_list_exports_to_xlsx_with_its_rows(traffic, admin_user, client_for):
    answer = client_for(admin_user).get(reverse("assistance:letter_export"), {"direction": "incoming"})
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    subjects = {row[5] for row in rows[1:]}
    assert subjects == {f"Письмо {n}" for n in (0, 1, 3, 4, 6)}
    akimat = next(row for row in rows[1:] if row[5] == "Письмо 6")
    assert akimat[4] == AKIMAT
    assert akimat[0].date() == datetime.date(2025, 6, 10)


def test_the_figures_export_to_xlsx(traffic, admin_user, net, client_for):
    answer = client_for(admin_user).get(reverse("assistance:letter_figures_export"))
    book = load_workbook(io.BytesIO(answer.content))
    assert len(book.sheetnames) == 3
    by_counterpart = list(book.worksheets[0].iter_rows(values_only=True))
    mukur = next(row for row in by_counterpart if row[0] == net.mukur_oc.name)
    assert mukur[1:3] == (3, 2)
    assert by_counterpart[-1][1] == Letter.objects.count()
    by_month = list(book.worksheets[1].iter_rows(values_only=True))
    assert [row[1] for row in by_month[1:]] == [3, 5]


@pytest.mark.parametrize("name", ["letter_list", "letter_figures", "letter_day", "letter_create"])
def test_the_pages_open_for_the_keeper_of_the_log(name, traffic, admin_user, client_for):
    assert client_for(admin_user).get(reverse(f"assistance:{name}")).status_code == 200
