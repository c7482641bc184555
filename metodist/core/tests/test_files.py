"""Stored files are served by views that checked the scope: missing ones are a 404, inline ones keep
their own type."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from metodist.assistance.models import Material
from metodist.core.files import stored_file_response


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def _field_file(name: str):
    return Material._meta.get_field("file").attr_class(Material(), Material._meta.get_field("file"), name)


def test_a_stored_file_is_a_download_under_its_own_or_a_given_name(media):
    name = default_storage.save("materials/pamyatka.pdf", ContentFile(b"%PDF-1.4 \xd3\x98"))
    response = stored_file_response(_field_file(name))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 \xd3\x98"
    assert response["Content-Disposition"] == 'attachment; filename="pamyatka.pdf"'
    renamed = stored_file_response(_field_file(name), filename="Памятка читателю.pdf")
    assert "filename*=utf-8''%D0%9F%D0%B0%D0%BC" in renamed["Content-Disposition"]


def test_shown_inline_it_keeps_the_type_of_its_name_and_forbids_guessing(media):
    name = default_storage.save("photos/vystavka.jpg", ContentFile(b"<html>not a photo</html>"))
    response = stored_file_response(_field_file(name), as_attachment=False)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_no_file_or_a_file_gone_from_the_storage_is_a_404(media):
    with pytest.raises(Http404):
        stored_file_response(_field_file(""))
    with pytest.raises(Http404):
        stored_file_response(_field_file("materials/deleted-by-hand.pdf"))
