"""The files of methodological materials: what they really are, and the text inside them.

A file is recognised by its content, never by its name: a PDF by its first bytes, the Office and
OpenDocument files (all zip archives) by the members they must contain. Anything else — an executable
renamed `.docx`, a zip of photos, an old binary `.doc` — is refused. The text is taken out for the
full-text search, capped, so a huge document cannot swell the index.

    file_type = detect_type(upload)      # "docx", "pdf", "pptx", "xlsx" or "odt"; ValidationError if not
    text = extract_text(upload, file_type)
"""

import re
import zipfile
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metodist.events.models import MAX_UPLOAD_BYTES

MAX_BYTES = MAX_UPLOAD_BYTES  # 50 MB, as for every other upload
MAX_TEXT = 1_000_000  # characters of text kept from one file
# A zip that unpacks to more than this (a "zip bomb") is refused before anything is read from it.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_MEMBERS = 20_000

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
}
FILE_TYPES = tuple(CONTENT_TYPES)

# The member that tells the Office files apart (each is a zip archive).
_OFFICE_MEMBERS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_ODF_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _refuse() -> ValidationError:
    return ValidationError(
        _("Only DOCX, PDF, PPTX, XLSX and ODT files are accepted; the content of this file is none of them."),
        code="type",
    )


def _unreadable(file_type: str) -> ValidationError:
    return ValidationError(
        _("The file cannot be read: it is damaged or not a real %(type)s file.")
        % {"type": file_type.upper()},
        code="damaged",
    )


def _rewind(file) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def check_size(file) -> None:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}, code="too_big"
        )


def _open_zip(file) -> zipfile.ZipFile:
    _rewind(file)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse() from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise _refuse()
    return archive


def detect_type(file) -> str:
    """The real type of the file by its content (one of FILE_TYPES); ValidationError for anything else."""
    check_size(file)
    _rewind(file)
    head = file.read(8) or b""
    _rewind(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        raise _refuse()
    with _open_zip(file) as archive:
        names = set(archive.namelist())
        for member, file_type in _OFFICE_MEMBERS:
            if member in names:
                return file_type
        is_odt = "mimetype" in names and "content.xml" in names
        if is_odt and archive.read("mimetype").strip() == _ODT_MIMETYPE:
            return "odt"
    raise _refuse()


# --- text -----------------------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()[:MAX_TEXT]


class _Collector:
    """Pieces of text, stopping once there are enough."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= MAX_TEXT

    def add(self, text: str | None) -> None:
        if text and not self.full:
            self.parts.append(text)
            self.length += len(text) + 1

    def text(self) -> str:
        return _tidy("\n".join(self.parts))


def _docx_text(file) -> str:
    from docx import Document

    document = Document(file)
    out = _Collector()
    for paragraph in document.paragraphs:
        out.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            # A merged cell appears once per column it spans: keep it once.
            cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
            out.add(" | ".join(c for c in cells if c))
        if out.full:
            break
    return out.text()


def _pdf_text(file) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted and not reader.decrypt(""):
        return ""  # protected with a password: kept, but nothing to search in
    out = _Collector()
    for page in reader.pages:
        out.add(page.extract_text())
        if out.full:
            break
    return out.text()


def _xlsx_text(file) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    out = _Collector()
    try:
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                out.add(" ".join(str(v) for v in row if v is not None and str(v).strip()))
                if out.full:
                    return out.text()
    finally:
        workbook.close()
    return out.text()


def _xml_paragraphs(data: bytes, paragraph_tags: tuple[str, ...], out: _Collector) -> None:
    root = ElementTree.fromstring(data)  # noqa: S314 - expat refuses entity expansion bombs
    for element in root.iter():
        if element.tag in paragraph_tags:
            out.add("".join(element.itertext()))


def _pptx_text(file) -> str:
    out = _Collector()
    with _open_zip(file) as archive:
        slides = sorted((int(m.group(1)), name) for name in archive.namelist() if (m := _SLIDE.match(name)))
        for _number, name in slides:
            _xml_paragraphs(archive.read(name), (f"{_DRAWING_NS}p",), out)
            if out.full:
                break
    return out.text()


def _odt_text(file) -> str:
    out = _Collector()
    with _open_zip(file) as archive:
        _xml_paragraphs(archive.read("content.xml"), (f"{_ODF_TEXT_NS}p", f"{_ODF_TEXT_NS}h"), out)
    return out.text()


_EXTRACTORS = {
    "docx": _docx_text,
    "pdf": _pdf_text,
    "xlsx": _xlsx_text,
    "pptx": _pptx_text,
    "odt": _odt_text,
}


def extract_text(file, file_type: str) -> str:
    """The text of the file (at most MAX_TEXT characters); ValidationError when it cannot be read."""
    _rewind(file)
    try:
        return _EXTRACTORS[file_type](file)
    except ValidationError:
        raise
    except Exception as exc:  # any parser failure means the same to the user: damaged
        raise _unreadable(file_type) from exc
    finally:
        _rewind(file)
