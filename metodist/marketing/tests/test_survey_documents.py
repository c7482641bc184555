"""Documents of surveys read back: the XLSX of the results (every response, and the summary), the public
links with their QR codes and the printable A4 poster in Kazakh and Russian."""

import io

from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from metodist.marketing.tests.conftest import ru


def test_the_workbook_holds_every_response_and_the_summary(satisfaction, marketer, client_for):
    survey = satisfaction.survey
    export = client_for(marketer).get(reverse("marketing:survey_export", args=[survey.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(export.content))
    responses, summary = workbook.worksheets
    header = [cell.value for cell in responses[1]]
    assert responses.max_row == 7  # the header and six responses
    assert "aspects: Оцените — выбор книг" in header
    column = {name.split(":")[0]: index for index, name in enumerate(header) if name}
    rows = list(responses.iter_rows(min_row=2, values_only=True))
    assert sorted(row[column["overall"]] for row in rows) == [2, 3, 4, 4, 5, 5]
    assert "за книгами; на мероприятия" in [row[column["visits"]] for row in rows]
    assert f"{ru('Other')}: читать газеты" in [row[column["visits"]] for row in rows]
    assert {row[2] for row in rows} == {
        "ВКО универсальная библиотека имени Абая",
        "Мукурская сельская библиотека",
    }
    assert "Роман «Көшпенділер»" in [row[column["missing"]] for row in rows]

    values = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert ["Оценка услуг библиотеки", None, None, None, None] in values
    books = next(row for row in values if row[1] == "за книгами")
    assert books[2:4] == [4, 66.7]
    nps = next(row for row in values if row[1] == ru("NPS"))
    assert nps[4] == 16.7


def test_a_librarian_exports_only_her_librarys_responses(satisfaction, librarian, client_for):
    export = client_for(librarian).get(reverse("marketing:survey_export", args=[satisfaction.survey.pk]))
    responses = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert responses.max_row == 3
    assert {row[2] for row in responses.iter_rows(min_row=2, values_only=True)} == {
        "Мукурская сельская библиотека"
    }


def test_each_library_gets_a_link_with_a_qr_code(satisfaction, marketer, client_for, net):
    survey = satisfaction.survey
    client = client_for(marketer)
    sent = client.post(
        reverse("marketing:survey_links", args=[survey.pk]), {"units": [net.kainar.pk, net.kanonerka.pk]}
    )
    assert sent.status_code == 302
    assert survey.links.count() == 4
    page = client.get(reverse("marketing:survey_links", args=[survey.pk])).content.decode()
    assert f"/marketing/s/{satisfaction.mukur.token}/" in page
    link = satisfaction.mukur
    png = client.get(reverse("marketing:link_qr_png", args=[survey.pk, link.pk]))
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size[0] > 200
    svg = client.get(reverse("marketing:link_qr_svg", args=[survey.pk, link.pk]))
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content


def test_the_poster_prints_the_title_in_kazakh_and_russian(satisfaction, marketer, client_for):
    survey = satisfaction.survey
    link = satisfaction.mukur
    client = client_for(marketer)
    html = client.get(reverse("marketing:link_poster", args=[survey.pk, link.pk])).content.decode()
    assert "Кітапхана қызметін бағалау" in html and "Оценка услуг библиотеки" in html
    assert 'src="data:image/svg+xml' in html
    pdf = client.get(reverse("marketing:link_poster_pdf", args=[survey.pk, link.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Кітапхана қызметін бағалау" in text
    assert "Мұқыр ауылдық кітапханасы" in text
    assert link.token in text.replace("\n", "")
