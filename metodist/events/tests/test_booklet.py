"""The booklet "Новые формы массовой работы в библиотеках": PDF and DOCX read back, LibreOffice opens it."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from metodist.events.booklet import booklet_docx, booklet_pdf
from metodist.events.catalogue import catalogue_load
from metodist.events.catalogue_data import BOOKLET_2013
from metodist.events.models import FormOfWork
from metodist.network.models import LibraryType, OrgUnit

KAZAKH_LETTERS = set("әғқңөұүһі")
TITLE_RU = "Новые формы массовой работы в библиотеках"
TITLE_KK = "Кітапханалардағы көпшілік жұмыстың жаңа түрлері"
PUBLISHER = "ВКО универсальная библиотека имени Абая"


@pytest.fixture
def catalogue(db):
    catalogue_load()


@pytest.fixture
def seed_forms(catalogue):
    return list(FormOfWork.objects.filter(code__in=BOOKLET_2013))


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_a_cover_contents_with_page_numbers_and_a_page_per_form(seed_forms):
    pdf = booklet_pdf(forms=seed_forms, language="ru", publisher=PUBLISHER, city="Семей", year=2013)

    pages = pages_of(pdf)
    assert len(pages) == 1 + 1 + len(BOOKLET_2013)
    assert TITLE_RU in pages[0]
    assert PUBLISHER in pages[0]
    assert "Семей, 2013" in pages[0]
    assert "Содержание" in pages[1]
    for number, page in enumerate(pages[2:], start=3):
        name = next(f.name_ru for f in seed_forms if page.startswith(flat(f.name_ru)))
        # The contents give each form the page it starts on (target-counter), after a dotted leader.
        assert re.search(re.escape(flat(name)) + r"[ .]*" + str(number) + r"\b", pages[1]), name
    assert "Аукцион знаний" in pages[2]  # alphabetical: «А» first
    desant = next(p for p in pages if p.startswith("Библиодесант"))
    assert "Как подготовить" in desant
    assert "Как провести" in desant
    assert "Продолжительность: 1–2 часа" in desant


def test_the_kazakh_pdf_is_in_kazakh_letters(seed_forms):
    pdf = booklet_pdf(
        forms=seed_forms, language="kk", publisher="Абай атындағы ШҚО әмбебап кітапханасы", year=2013
    )

    pages = pages_of(pdf)
    assert len(pages) == 2 + len(BOOKLET_2013)
    assert TITLE_KK in pages[0]
    assert "Абай атындағы ШҚО әмбебап кітапханасы" in pages[0]
    assert "Мазмұны" in pages[1]
    for name in ("Білім аукционы", "Әдеби жаңалықтар бюросы", "Жазушы бенефисі", "Кітап биенналесі"):
        assert name in pages[1]
    for page in pages[2:]:
        assert KAZAKH_LETTERS & set(page)
        assert "Қалай өткізу керек" in page


def test_every_shipped_form_fits_on_one_page_in_both_languages(catalogue):
    forms = list(FormOfWork.objects.all())

    for language in ("ru", "kk"):
        pages = pages_of(booklet_pdf(forms=forms, language=language, city="Семей", year=2025))
        assert len(pages) == 2 + len(forms), language


def paragraphs_of(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs]


def page_breaks_in(docx: bytes) -> int:
    return Document(io.BytesIO(docx)).element.body.xml.count('w:type="page"')


def test_the_docx_has_a_cover_contents_and_a_section_per_form(seed_forms):
    docx = booklet_docx(forms=seed_forms, language="ru", publisher=PUBLISHER, city="Семей", year=2013)

    paragraphs = paragraphs_of(docx)
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert TITLE_RU in paragraphs
    assert PUBLISHER in paragraphs
    assert "Семей, 2013" in paragraphs
    assert headings[0] == "Содержание"
    assert sorted(headings[1:]) == sorted(f.name_ru for f in seed_forms)
    assert "1. Аукцион знаний" in paragraphs
    assert page_breaks_in(docx) == 1 + len(seed_forms)
    assert document.core_properties.title == TITLE_RU


def test_the_kazakh_docx_is_in_kazakh(seed_forms):
    paragraphs = paragraphs_of(booklet_docx(forms=seed_forms, language="kk", year=2013))

    assert TITLE_KK in paragraphs
    assert "Мазмұны" in paragraphs
    assert "Білім аукционы" in paragraphs
    assert "Кімге арналған" in paragraphs


def test_libreoffice_opens_the_docx(seed_forms, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    source = tmp_path / "booklet.docx"
    source.write_bytes(booklet_docx(forms=seed_forms, language="kk", publisher=PUBLISHER, year=2013))

    # A profile of its own, so a LibreOffice running elsewhere on the machine does not take the job.
    result = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )

    converted = tmp_path / "booklet.pdf"
    assert result.returncode == 0, result.stderr
    assert converted.exists(), result.stdout
    text = " ".join(pages_of(converted.read_bytes()))
    assert TITLE_KK in text
    assert "Білім аукционы" in text


# --- the booklet page and downloads --------------------------------------------------------------------


@pytest.fixture
def regional(net):
    OrgUnit.objects.filter(pk=net.regional.pk).update(
        library_type=LibraryType.REGIONAL,
        name_kk="Абай атындағы ШҚО әмбебап кітапханасы",
        address="г. Семей, ул. Абая Кунанбаева, 88",
    )
    net.regional.refresh_from_db()
    return net.regional


def test_the_booklet_page_offers_the_2013_forms_checked_and_the_regional_library(
    client_for, admin_user, regional, catalogue
):
    response = client_for(admin_user).get(reverse("events:booklet"))

    html = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.initial["forms"]) == set(BOOKLET_2013)
    assert form.initial["publisher"] == regional
    for code in BOOKLET_2013:
        assert re.search(rf'value="{code}"[^>]*checked', html), code
    assert 'value="quiz"' in html
    assert 'value="quiz" checked' not in html


def test_the_booklet_page_presets_all_or_none(client_for, admin_user, catalogue):
    everything = client_for(admin_user).get(reverse("events:booklet"), {"preset": "all"})
    nothing = client_for(admin_user).get(reverse("events:booklet"), {"preset": "none"})

    assert len(everything.context["form"].initial["forms"]) == FormOfWork.objects.count()
    assert nothing.context["form"].initial["forms"] == []


def test_the_pdf_download_follows_the_choice_and_takes_the_city_from_the_address(
    client_for, admin_user, regional, catalogue
):
    response = client_for(admin_user).get(
        reverse("events:booklet_pdf"),
        {"forms": ["quiz", "bibliodesant"], "language": "kk", "publisher": regional.pk, "year": 2013},
    )

    pages = pages_of(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="booklet-kk-2013.pdf"' in response["Content-Disposition"]
    assert len(pages) == 4
    assert TITLE_KK in pages[0]
    assert "Абай атындағы ШҚО әмбебап кітапханасы" in pages[0]
    assert "Семей, 2013" in pages[0]


def test_the_docx_download_is_a_word_document(client_for, methodist, catalogue):
    response = client_for(methodist).get(
        reverse("events:booklet_docx"),
        {"forms": BOOKLET_2013, "language": "ru", "city": "Бескарагай", "year": 2024},
    )

    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "Бескарагай, 2024" in paragraphs_of(response.content)


def test_a_booklet_without_forms_is_refused_with_a_message(client_for, methodist, catalogue):
    response = client_for(methodist).get(reverse("events:booklet_pdf"), {"language": "ru", "year": 2024})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["forms"]


def test_a_library_outside_the_users_scope_cannot_stand_on_the_cover(
    client_for, librarian, regional, catalogue
):
    response = client_for(librarian).get(
        reverse("events:booklet_pdf"),
        {"forms": ["quiz"], "language": "ru", "publisher": regional.pk, "year": 2024},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["publisher"]
