"""The booklet "Новые формы массовой работы в библиотеках": PDF and DOCX read back, LibreOffice opens it."""

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from metodist.events.booklet import booklet_docx, booklet_pdf
from metodist.events.catalogue import catalogue_load
from metodist.events.catalogue_data import BOOKLET_2013
from metodist.events.models import FormOfWork

KAZAKH_LETTERS = set("әғқңөұүһі")


@pytest.fixture
def catalogue(db):
    catalogue_load()
    return FormOfWork.objects.all()


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_shipped_form_fits_on_one_page_in_both_languages(catalogue):
    forms = list(catalogue)
    for language in ("ru", "kk"):
        pages = pages_of(booklet_pdf(forms=forms, language=language, publisher="Б", city="Семей", year=2025))
        print(language, len(pages))
        print([p.splitlines()[0][:40] for p in pages[:3]])
