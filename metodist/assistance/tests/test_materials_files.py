"""The files of materials are recognised by their content: the five document types are read, anything
else is refused whatever its name, and so is a file over 50 MB."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from metodist.assistance import materials
from metodist.assistance.materials_text import MAX_BYTES, detect_type, extract_text
from metodist.assistance.models import Material, MaterialType
from metodist.assistance.tests.test_materials_search import docx_bytes, pdf_bytes

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run"
)


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pptx_bytes(*slides: str) -> bytes:
    ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    members = {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"}
    for number, text in enumerate(slides, start=1):
        members[f"ppt/slides/slide{number}.xml"] = (
            f"<sld {ns}><a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
            f"<a:p><a:r><a:t>слайд {number}</a:t></a:r></a:p></sld>"
        )
    return zip_bytes(members)


def odt_bytes(text: str) -> bytes:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"<text:h>Заголовок</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>"
    )
    return zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Онлайн-центры"
    sheet.append(["Онлайн-центр", "Посещения"])
    sheet.append(["с. Мукур", 412])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "build", "file_type", "words"),
    [
        (
            "a.docx",
            lambda: docx_bytes("Сценарий открытия", table=[["Ведущий", "Чтец"]]),
            "docx",
            ["Сценарий", "Чтец"],
        ),
        ("a.pdf", lambda: pdf_bytes("Кітапханаларға арналған құрал"), "pdf", ["Кітапханаларға арналған"]),
        ("a.pptx", lambda: pptx_bytes("Библиодесант в селе"), "pptx", ["Библиодесант", "слайд 1"]),
        ("a.xlsx", xlsx_bytes, "xlsx", ["Онлайн-центры", "с. Мукур 412"]),
        ("a.odt", lambda: odt_bytes("Положение о конкурсе чтецов"), "odt", ["Заголовок", "конкурсе чтецов"]),
    ],
)
def test_each_document_type_is_recognised_and_read(name, build, file_type, words):
    upload = _upload(name, build())
    assert detect_type(upload) == file_type
    text = extract_text(upload, file_type)
    for word in words:
        assert word in text
    assert upload.tell() == 0  # left at the start, ready to be stored


def test_the_type_comes_from_the_content_not_the_name():
    assert detect_type(_upload("scan.pdf", docx_bytes("Текст"))) == "docx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("recommendations.docx", EXE),  # an executable renamed
        (
            "photos.docx",
            zip_bytes({"photo.jpg": b"\xff\xd8\xff" + b"0" * 50}),
        ),  # a zip that is no Office file
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),  # binary Word 97
        ("fake.odt", zip_bytes({"mimetype": "application/zip", "content.xml": "<x/>"})),
        ("notes.txt", "Просто текст".encode()),
    ],
)
def test_anything_else_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        detect_type(_upload(name, content))
    assert caught.value.code == "type"


def test_a_file_over_50_mb_is_refused():
    upload = _upload("big.pdf", pdf_bytes("Текст"))
    upload.size = MAX_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        detect_type(upload)
    assert caught.value.code == "too_big"


def test_a_damaged_document_is_refused_when_read():
    broken = zip_bytes({"word/document.xml": "<not-closed", "[Content_Types].xml": "<Types/>"})
    with pytest.raises(ValidationError) as caught:
        extract_text(_upload("broken.docx", broken), "docx")
    assert caught.value.code == "damaged"


def _publish(user, unit, file):
    return materials.material_create(
        user=user,
        data={"unit": unit, "type": MaterialType.GUIDE, "title": "Памятка", "year": 2024},
        file=file,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("recommendations.docx", EXE), ("setup.exe", EXE), ("archive.docx", zip_bytes({"a.txt": "текст"}))],
)
def test_the_service_refuses_the_file_and_saves_nothing(net, admin_user, name, content):
    with pytest.raises(ValidationError) as caught:
        _publish(admin_user, net.method_dept, _upload(name, content))
    assert "file" in caught.value.message_dict
    assert not Material.objects.exists()


def test_the_service_refuses_a_file_too_big(net, admin_user):
    upload = _upload("big.docx", docx_bytes("Текст"))
    upload.size = MAX_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        _publish(admin_user, net.method_dept, upload)
    assert "50" in caught.value.message_dict["file"][0]


def test_the_stored_file_is_named_by_the_title_and_its_real_type(net, admin_user):
    material = _publish(admin_user, net.method_dept, _upload("run-me.pdf.docx", docx_bytes("Текст памятки")))
    assert material.file.name.rsplit("/", 1)[-1].startswith("памятка")
    assert material.file.name.endswith(".docx")
    assert material.file_type == "docx"
