"""Figures of consultations for a period and a subtree match the records; the XLSX reads back."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from metodist.assistance.models import Consultation
from metodist.assistance.selectors import consultation_figures, consultations_visible, filter_consultations


def _rows(figures, key):
    return {row["key"]: (row["count"], row["people"]) for row in figures[key]}


def test_figures_by_mode_form_and_direction_match_the_records(given, admin_user):
    figures = consultation_figures(consultations_visible(admin_user))
    assert figures["total"] == Consultation.objects.count() == 3
    assert figures["people"] == 1 + 4 + 1
    assert _rows(figures, "by_mode") == {"phone": (1, 1), "on_site": (1, 4), "online": (1, 1)}
    assert _rows(figures, "by_form") == {"individual": (2, 2), "group": (1, 4)}
    assert _rows(figures, "by_direction") == {"reporting": (2, 5), "online_centres": (2, 5)}


def test_figures_group_by_district_of_the_unit_helped(given, admin_user, net):
    figures = consultation_figures(consultations_visible(admin_user))
    assert _rows(figures, "by_district") == {net.abay.path: (3, 6)}
    assert figures["by_district"][0]["label"] == "Абайский район"
    assert [row["count"] for row in figures["by_consultant"]] == [3]


def test_figures_follow_the_period_and_the_subtree(given, admin_user, net):
    april = filter_consultations(consultations_visible(admin_user), date_from=datetime.date(2025, 4, 1))
    assert consultation_figures(april)["total"] == 1
    mukur = filter_consultations(consultations_visible(admin_user), under=net.mukur)
    assert _rows(consultation_figures(mukur), "by_mode") == {"phone": (1, 1), "online": (1, 1)}


def test_the_librarian_figures_count_only_what_she_sees(given, librarian):
    assert consultation_figures(consultations_visible(librarian))["total"] == 2


def test_the_figures_page_and_its_xlsx_show_the_counts(given, admin_user, client_for):
    client = client_for(admin_user)
    page = client.get(reverse("assistance:consultation_figures"), {"mode": "on_site"})
    assert page.status_code == 200
    assert 'id="figure-total">1<' in page.text
    export = client.get(reverse("assistance:consultation_figures_export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][1:] == (3, 6)
    labels = {r[0]: r[1:] for r in rows if r and r[0]}
    assert labels["Абайский район"] == (3, 6)


def test_the_list_exports_the_filtered_consultations_to_xlsx(given, admin_user, client_for):
    export = client_for(admin_user).get(reverse("assistance:consultation_export"), {"mode": "phone"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == datetime.datetime(2025, 3, 10)
    assert rows[1][7] == "Заполнение паспорта библиотеки"
    assert "Мукурская сельская библиотека" in rows[1][3]
