"""The booklet "Новые формы массовой работы в библиотеках" generated from the catalogue, as PDF and DOCX.

    pdf = booklet_pdf(forms=forms, language="kk", publisher="…", city="Семей", year=2013)
    docx = booklet_docx(forms=forms, language="ru", publisher="…", city="Семей", year=2013)

A cover (title, the library, city and year), a contents list and one page per form with all its sections.
The booklet is a document in the language chosen for it (Russian or Kazakh), whatever the language of the
interface, so its own words (title, headings) are kept here per language like the catalogue's texts; the
forms' texts fall back to Russian where a Kazakh one is empty.
"""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from metodist.events.catalogue import form_texts, name_sort_key
from metodist.events.models import FormOfWork

LANGUAGES = ("ru", "kk")

# DejaVu has every Kazakh letter where LibreOffice runs (Liberation, its stand-in for Arial and Times New
# Roman, lacks қ ң ө ұ ү һ і); Word without DejaVu falls back to its default font, which has them too.
FONT = "DejaVu Sans"

# The booklet's own words in each of its languages (see the module docstring).
WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "Новые формы массовой работы в библиотеках",
        "subtitle": "Методическое пособие",
        "contents": "Содержание",
        "description": "Что это такое",
        "audiences": "Для кого",
        "goals": "Цели",
        "preparation": "Как подготовить",
        "conduct": "Как провести",
        "duration": "Продолжительность",
        "related": "Связанные формы",
        "training": "обучение библиотекарей",
        "public": "массовое мероприятие",
        "opening": "открытие",
        "page": "с.",
    },
    "kk": {
        "title": "Кітапханалардағы көпшілік жұмыстың жаңа түрлері",
        "subtitle": "Әдістемелік құрал",
        "contents": "Мазмұны",
        "description": "Бұл не",
        "audiences": "Кімге арналған",
        "goals": "Мақсаттары",
        "preparation": "Қалай дайындалу керек",
        "conduct": "Қалай өткізу керек",
        "duration": "Ұзақтығы",
        "related": "Байланысты түрлері",
        "training": "кітапханашыларды оқыту",
        "public": "көпшілік іс-шара",
        "opening": "ашылу",
        "page": "б.",
    },
}


def title(language: str) -> str:
    return WORDS[_language(language)]["title"]


def _language(language: str) -> str:
    return language if language in LANGUAGES else "ru"


@dataclass
class BookletForm:
    anchor: str
    family: str
    texts: dict
    related: list[str] = field(default_factory=list)


def _booklet_forms(forms, language: str) -> list[BookletForm]:
    chosen = list(forms)
    items = []
    for form in chosen:
        texts = form_texts(form, language)
        related = sorted(
            (other.text("name", language) for other in form.related.filter(is_active=True)),
            key=lambda name: name_sort_key(name, language),
        )
        items.append(
            BookletForm(anchor=f"form-{form.code}", family=form.family, texts=texts, related=related)
        )
    items.sort(key=lambda item: name_sort_key(item.texts["name"], language))
    return items


def _context(forms, language: str, publisher: str, city: str, year: int | None) -> dict:
    language = _language(language)
    words = WORDS[language]
    return {
        "language": language,
        "words": words,
        "forms": _booklet_forms(forms, language),
        "publisher": publisher.strip(),
        "place_and_year": ", ".join(str(part) for part in (city.strip(), year) if part),
    }


def booklet_pdf(
    *, forms: list[FormOfWork], language: str, publisher: str = "", city: str = "", year: int | None = None
) -> bytes:
    """The booklet as PDF (WeasyPrint): cover, contents with page numbers, one page per form."""
    from weasyprint import HTML

    html = render_to_string("events/booklet_pdf.html", _context(forms, language, publisher, city, year))
    return HTML(string=html).write_pdf()


def booklet_docx(
    *, forms: list[FormOfWork], language: str, publisher: str = "", city: str = "", year: int | None = None
) -> bytes:
    """The booklet as DOCX (python-docx): cover, contents list, one section per form, each on a new page."""
    context = _context(forms, language, publisher, city, year)
    words = context["words"]
    document = Document()
    _set_up(document, context["language"], words["title"])

    for _ in range(6):
        document.add_paragraph()
    _centred(document, words["title"], size=26, bold=True)
    _centred(document, words["subtitle"], size=14)
    for _ in range(10):
        document.add_paragraph()
    if context["publisher"]:
        _centred(document, context["publisher"], size=13)
    if context["place_and_year"]:
        _centred(document, context["place_and_year"], size=13)

    document.add_page_break()
    document.add_heading(words["contents"], level=1)
    for number, item in enumerate(context["forms"], start=1):
        document.add_paragraph(f"{number}. {item.texts['name']}")

    for item in context["forms"]:
        document.add_page_break()
        _form_section(document, item, words)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _set_up(document, language: str, title_text: str) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2)
    section.start_type = WD_SECTION.NEW_PAGE
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title"):
        style = document.styles[style_name]
        properties = style.element.get_or_add_rPr()
        fonts = properties.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        # Theme fonts (Calibri Light in the headings of the default template) would win over the name.
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        # The proofing language, so Word and LibreOffice check the spelling in the booklet's language.
        lang = properties.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            properties.append(lang)
        lang.set(qn("w:val"), "kk-KZ" if language == "kk" else "ru-RU")
    document.styles["Normal"].font.size = Pt(11)
    for style_name in ("Heading 1", "Heading 2"):
        document.styles[style_name].font.color.rgb = RGBColor(0x1D, 0x4E, 0x89)
    document.core_properties.title = title_text
    document.core_properties.language = "kk-KZ" if language == "kk" else "ru-RU"


def _centred(document, text: str, *, size: int, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold


def _form_section(document, item: BookletForm, words: dict) -> None:
    texts = item.texts
    document.add_heading(texts["name"], level=1)
    family = document.add_paragraph()
    family_run = family.add_run(words.get(item.family, item.family))
    family_run.italic = True
    if texts["summary"]:
        summary = document.add_paragraph()
        summary.add_run(texts["summary"]).bold = True
    for key in ("description", "audiences", "goals"):
        if texts[key]:
            document.add_heading(words[key], level=2)
            document.add_paragraph(texts[key])
    for key in ("preparation", "conduct"):
        steps = texts[f"{key}_steps"]
        if steps:
            document.add_heading(words[key], level=2)
            # Numbered by hand: Word's list numbering would run on from one form to the next.
            for number, step in enumerate(steps, start=1):
                paragraph = document.add_paragraph(f"{number}. {step}")
                paragraph.paragraph_format.left_indent = Cm(0.6)
                paragraph.paragraph_format.first_line_indent = Cm(-0.6)
                paragraph.paragraph_format.space_after = Pt(2)
    if texts["duration"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{words['duration']}: ").bold = True
        paragraph.add_run(texts["duration"])
    if item.related:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{words['related']}: ").bold = True
        paragraph.add_run(", ".join(item.related))
