"""Photos of a visit: several at once on the form or the card, served within scope, in the DOCX report."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image

from metodist.assistance.models import FieldVisit, VisitPhoto
from metodist.assistance.tests.test_visit_form import _data


def _image(name: str, size=(64, 48), fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 110, 170)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def mukur_visit(net, admin_user):
    visit = FieldVisit.objects.create(
        start=datetime.date(2025, 5, 14),
        end=datetime.date(2025, 5, 14),
        organiser_unit=net.method_dept,
        purpose="Изучение работы с читателями",
        status="done",
    )
    visit.destinations.set([net.mukur])
    return visit


def _add(client, visit, *files, caption=""):
    return client.post(
        reverse("assistance:visit_photos_add", args=[visit.pk]), {"photos": list(files), "caption": caption}
    )


def test_photos_chosen_together_on_the_visit_form_are_saved_with_the_visit(net, methodist, client_for):
    data = _data(net, photos=[_image("vystavka.png"), _image("chitalnyi-zal.jpg", fmt="JPEG")])
    data["photo_caption"] = "Канонерская библиотека"
    answer = client_for(methodist).post(reverse("assistance:visit_create"), data)
    assert answer.status_code == 302
    visit = FieldVisit.objects.get()
    assert visit.photos.count() == 2
    assert set(visit.photos.values_list("caption", flat=True)) == {"Канонерская библиотека"}


def test_a_file_that_is_not_an_image_refuses_the_visit(net, methodist, client_for):
    data = _data(net, photos=[_image("vystavka.png"), SimpleUploadedFile("fake.png", b"not an image at all")])
    answer = client_for(methodist).post(reverse("assistance:visit_create"), data)
    assert answer.status_code == 200
    assert "fake.png" in answer.text
    assert not FieldVisit.objects.exists()
    assert not VisitPhoto.objects.exists()


def test_the_organiser_adds_photos_on_the_card_and_both_sides_see_the_gallery(
    mukur_visit, admin_user, librarian, client_for
):
    client = client_for(admin_user)
    answer = _add(client, mukur_visit, _image("a.png"), _image("b.png"), caption="Книжная выставка")
    assert answer.status_code == 302
    photos = list(mukur_visit.photos.order_by("id"))
    assert len(photos) == 2
    url = reverse("assistance:visit_photo", args=[mukur_visit.pk, photos[0].pk])
    for user in (admin_user, librarian):
        viewer = client_for(user)
        page = viewer.get(reverse("assistance:visit_detail", args=[mukur_visit.pk]))
        assert url in page.text
        assert "Книжная выставка" in page.text
        served = viewer.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
        assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert (
        'action="{}"'.format(reverse("assistance:visit_photos_add", args=[mukur_visit.pk]))
        not in client_for(librarian).get(reverse("assistance:visit_detail", args=[mukur_visit.pk])).text
    )


def test_photos_are_404_out_of_scope_and_the_library_cannot_add_or_remove(
    mukur_visit, admin_user, librarian, outsider, methodist, client_for
):
    _add(client_for(admin_user), mukur_visit, _image("a.png"))
    photo = mukur_visit.photos.get()
    url = reverse("assistance:visit_photo", args=[mukur_visit.pk, photo.pk])
    for user in (outsider, methodist):
        assert client_for(user).get(url).status_code == 404
    library = client_for(librarian)
    assert _add(library, mukur_visit, _image("c.png")).status_code == 404
    delete = reverse("assistance:visit_photo_delete", args=[mukur_visit.pk, photo.pk])
    assert library.post(delete).status_code == 404
    assert mukur_visit.photos.count() == 1


def test_the_organiser_removes_a_photo(mukur_visit, admin_user, client_for):
    client = client_for(admin_user)
    _add(client, mukur_visit, _image("a.png"))
    photo = mukur_visit.photos.get()
    stored = photo.file.path
    answer = client.post(reverse("assistance:visit_photo_delete", args=[mukur_visit.pk, photo.pk]))
    assert answer.status_code == 302
    assert not mukur_visit.photos.exists()
    import os

    assert not os.path.exists(stored)


def test_a_document_is_not_a_photo(mukur_visit, admin_user, client_for):
    pdf = SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n%%EOF\n")
    answer = _add(client_for(admin_user), mukur_visit, pdf)
    assert answer.status_code == 302
    assert not mukur_visit.photos.exists()


def test_the_docx_report_holds_the_photos_with_their_captions(mukur_visit, admin_user, client_for):
    client = client_for(admin_user)
    _add(client, mukur_visit, _image("wide.png", size=(800, 400)), caption="Читальный зал")
    _add(client, mukur_visit, _image("tall.jpg", size=(300, 900), fmt="JPEG"), caption="Стенд краеведения")
    _add(client, mukur_visit, _image("web.webp", size=(120, 90), fmt="WEBP"))
    report = client.get(reverse("assistance:visit_report", args=[mukur_visit.pk]), {"lang": "kk"})
    document = Document(io.BytesIO(report.content))
    shapes = document.inline_shapes
    assert len(shapes) == 3
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Читальный зал" in text and "Стенд краеведения" in text
    assert "Іссапар туралы анықтама" in text
    assert text.index("Читальный зал") < text.index("Стенд краеведения")
    from docx.shared import Cm

    for shape in shapes:
        assert shape.width <= Cm(12) + 1
        assert shape.height <= Cm(16) + 1
