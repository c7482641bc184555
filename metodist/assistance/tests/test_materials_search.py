"""Full-text search of methodological materials: word forms in Russian and Kazakh, in uploaded DOCX and
PDF files, ranked, with highlighted snippets — on whichever database the tests run (SQLite or PostgreSQL).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from metodist.assistance import materials
from metodist.assistance.materials_search import (
    FTS_TABLE,
    highlight,
    kazakh_stem,
    normalize,
    normalize_word,
    query_terms,
    search_materials,
    snippet_of,
)
from metodist.assistance.models import Material, MaterialLanguage, MaterialType
from metodist.network.models import LibraryType, OrgUnit

RUSSIAN_TEXT = (
    "Методические рекомендации адресованы сельским библиотекам района. "
    "Онлайн-центр открывается при библиотеке и работает по графику, согласованному с акиматом. "
    "Администратор онлайн-центра ведёт еженедельный отчёт о посетителях."
)
KAZAKH_TEXT = (
    "Ауылдық кітапханаларға әдістемелік ұсынымдар. Кітапхананың онлайн-орталығы тұрғындарға "
    "электрондық қызметтерді көрсетеді. Оқырмандар кітапханада жаңа кітаптармен танысады."
)


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(*paragraphs: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(string=f"<html><body style='font-family: DejaVu Sans'>{body}</body></html>").write_pdf()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def publish(
    user, unit, *, title, file, description="", language=MaterialLanguage.RUSSIAN, **data
) -> Material:
    return materials.material_create(
        user=user,
        data={
            "unit": unit,
            "type": data.pop("type", MaterialType.RECOMMENDATION),
            "title": title,
            "year": data.pop("year", 2024),
            "language": language,
            "description": description,
            **data,
        },
        file=file,
    )


# --- words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form", ["кітапхана", "кітапханалар", "кітапханаларға", "кітапхананың", "кітапханасына", "кітапханада"]
)
def test_kazakh_forms_of_library_meet(form):
    assert normalize_word(form) == "кітапхана"


@pytest.mark.parametrize(
    ("form", "stem"),
    [
        ("кітабы", "кітап"),
        ("кітаптар", "кітап"),
        ("орталығы", "орталық"),
        ("ауылдар", "ауыл"),
        ("ауылға", "ауыл"),
    ],
)
def test_kazakh_endings_come_off_and_the_consonant_is_restored(form, stem):
    assert normalize_word(form) == stem


def test_the_ending_na_of_a_stem_stays():
    # "-на" is a dative only after a possessive; кітапхана itself keeps it.
    assert kazakh_stem("кітапхана") == "кітапхана"


def test_russian_words_go_to_their_dictionary_form_and_yo_is_e():
    assert normalize("Библиотекам онлайн-центров, отчёт") == "библиотека онлайн центр отчет"


def test_a_query_drops_conjunctions_unless_it_has_nothing_else():
    assert query_terms("рекомендации для библиотек и онлайн-центров") == [
        "рекомендация",
        "библиотека",
        "онлайн",
        "центр",
    ]
    assert query_terms("и") == ["и"]


def test_snippet_marks_every_form_and_escapes_the_rest():
    score, html = snippet_of("Работа <b>с</b> библиотеками & библиотекарями: библиотека", ["библиотека"])
    assert score == (1, 2)
    assert "<mark>библиотеками</mark>" in html
    assert "<mark>библиотека</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html
    assert "<b>" not in html


def test_highlight_marks_kazakh_forms_in_a_title():
    html = highlight("Ауылдық кітапханаларға ұсынымдар", query_terms("кітапхана"))
    assert html == "Ауылдық <mark>кітапханаларға</mark> ұсынымдар"


# --- search over uploaded files -------------------------------------------------------------------------


@pytest.fixture
def centre(net):
    """The regional library is the methodological centre of the region: its materials reach everyone."""
    OrgUnit.objects.filter(pk=net.regional.pk).update(library_type=LibraryType.REGIONAL)


@pytest.fixture
def library(net, admin_user, centre):
    docx = publish(
        admin_user,
        net.method_dept,
        title="Организация работы сельского онлайн-центра",
        file=upload("recommendations.docx", docx_bytes(RUSSIAN_TEXT, table=[["Показатель", "Посетители"]])),
    )
    pdf = publish(
        admin_user,
        net.regional,
        title="Әдістемелік құрал",
        language=MaterialLanguage.KAZAKH,
        file=upload("kk.pdf", pdf_bytes(KAZAKH_TEXT)),
    )
    return {"docx": docx, "pdf": pdf}


def test_text_is_taken_from_docx_and_pdf(library):
    docx = Material.objects.get(pk=library["docx"].pk)
    pdf = Material.objects.get(pk=library["pdf"].pk)
    assert docx.file_type == "docx" and "еженедельный отчёт" in docx.text and "Посетители" in docx.text
    assert pdf.file_type == "pdf" and "кітапханаларға" in pdf.text
    assert docx.file_size == docx.file.size > 0
    assert "библиотека" in docx.search_text.split()


def _found(user, q):
    return list(search_materials(materials.materials_visible(user), q))


def test_russian_word_forms_find_the_docx(library, admin_user):
    found = _found(admin_user, "библиотекам")  # the file says "библиотекам" and "библиотеке"
    assert [m.pk for m in found] == [library["docx"].pk]
    assert [m.pk for m in _found(admin_user, "еженедельных отчётов")] == [library["docx"].pk]
    assert [m.pk for m in _found(admin_user, "посетитель")] == [library["docx"].pk]  # from the table


def test_kazakh_word_forms_find_the_pdf(library, admin_user):
    for q in ("кітапхана", "кітапханалар", "кітапхананың", "ауылдық кітапханада", "оқырман"):
        assert [m.pk for m in _found(admin_user, q)] == [library["pdf"].pk], q


def test_every_word_of_the_query_must_be_found(library, admin_user):
    assert _found(admin_user, "онлайн-центр кітапхана") == []
    assert _found(admin_user, "") == []


def test_results_are_ranked_the_title_weighs_more(net, admin_user):
    in_text = publish(
        admin_user,
        net.method_dept,
        title="Годовой отчёт методического отдела",
        file=upload("a.docx", docx_bytes("Раздел о работе с читателями. Упомянут и сценарий праздника.")),
    )
    in_title = publish(
        admin_user,
        net.method_dept,
        title="Сценарий праздника «Наурыз» в сельской библиотеке",
        description="Сценарий для библиотекарей.",
        type=MaterialType.SCENARIO,
        file=upload("b.docx", docx_bytes("Ведущий открывает праздник. Сценарии прошлых лет в приложении.")),
    )
    found = _found(admin_user, "сценарии")
    assert [m.pk for m in found] == [in_title.pk, in_text.pk]
    assert found[0].rank > found[1].rank


def test_the_index_follows_an_edit_and_a_delete(library, admin_user):
    material = library["docx"]
    materials.material_update(
        user=admin_user,
        material=material,
        data={"title": "Пригласительный билет"},
        file=upload("new.docx", docx_bytes("Шаблон пригласительного билета на открытие.")),
    )
    assert _found(admin_user, "библиотекам") == []
    assert [m.pk for m in _found(admin_user, "пригласительные билеты")] == [material.pk]
    materials.material_delete(user=admin_user, material=material)
    assert _found(admin_user, "пригласительные билеты") == []


def test_search_keeps_to_the_scope(library, methodist, librarian):
    # Materials of the regional library flow down to the Mukur librarian and the Beskaragay methodologist.
    assert [m.pk for m in _found(librarian, "кітапхана")] == [library["pdf"].pk]
    assert [m.pk for m in _found(methodist, "библиотекам")] == [library["docx"].pk]


def test_search_does_not_leak_a_sibling_districts_material(net, admin_user, methodist):
    publish(
        admin_user,
        net.abay,
        title="Опыт Абайского района",
        file=upload("abay.docx", docx_bytes("Библиотека Кайнара провела библионочь.")),
    )
    assert _found(admin_user, "библионочь")
    assert _found(methodist, "библионочь") == []


def test_the_database_holds_its_full_text_index(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            assert "fts5" in cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'assistance_material_search_gin'"
            )
            assert "to_tsvector('simple'::regconfig, search_text)" in cursor.fetchone()[0]


def test_postgresql_answers_the_search_from_the_gin_index(library, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    query = search_materials(Material.objects.all(), "кітапхана")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "assistance_material_search_gin" in plan


def test_both_languages_are_found_in_one_docx_and_one_pdf(net, admin_user):
    bilingual = [
        "Шақыру билеті. Онлайн-орталықтың салтанатты ашылуына шақырамыз.",
        "Пригласительный билет. Приглашаем на торжественное открытие онлайн-центра.",
    ]
    docx = publish(
        admin_user,
        net.method_dept,
        title="Билет",
        language=MaterialLanguage.BOTH,
        file=upload("ticket.docx", docx_bytes(*bilingual)),
    )
    pdf = publish(
        admin_user,
        net.method_dept,
        title="Афиша",
        language=MaterialLanguage.BOTH,
        file=upload("poster.pdf", pdf_bytes(*reversed(bilingual))),
    )
    both = {docx.pk, pdf.pk}
    assert {m.pk for m in _found(admin_user, "онлайн-орталықтар ашылуы")} == both
    assert {m.pk for m in _found(admin_user, "открытии онлайн-центров")} == both
    assert {m.pk for m in _found(admin_user, "пригласительных билетов")} == both
