"""Outreach projects: created on the page with indicators and partners (a double submit saves once), seen by
the organiser's scope and by the participating libraries, changed only with `manage_outreach` on the
organising library, files checked on upload, and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metodist.outreach import services
from metodist.outreach.models import Project, ProjectFile
from metodist.outreach.tests.conftest import api_client

KEY = "p" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(net, **changes) -> dict:
    data = {
        "submit_key": KEY,
        "name": "Оранжевые окна",
        "kind": "city_social",
        "status": "active",
        "unit": net.regional.pk,
        "initiator": "Акимат города Семей",
        "goal": "Помощь пожилым жителям с электронными услугами",
        "starts_on": "2025-02-01",
        "ends_on": "",
        "participants": [net.mukur.pk],
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Консультаций по электронным госуслугам",
        "indicators-0-measure": "конс.",
        "indicators-0-target": "600",
        "indicators-0-actual": "412",
        "indicators-0-source": "manual",
        "indicators-1-name": "",
        "indicators-1-source": "manual",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Городской совет ветеранов",
        "partners-0-contribution": "клуб «Серебряный возраст»",
    }
    data.update(changes)
    return data


@pytest.fixture
def windows(net, admin_user):
    return services.project_create(
        user=admin_user,
        data={
            "unit": net.regional,
            "name": "Оранжевые окна",
            "kind": "city_social",
            "status": "active",
            "goal": "Помощь пожилым жителям",
            "starts_on": datetime.date(2025, 2, 1),
        },
        participants=[net.mukur],
        indicators=[{"name": "Консультаций", "target": 600, "actual": 412, "source": "manual"}],
        partners=[{"name": "Акимат города Семей", "contribution": "инициатор"}],
    )


def test_the_administrator_creates_a_project_with_indicators_and_partners_once(net, admin_user, client_for):
    client = client_for(admin_user)
    first = client.post(reverse("outreach:project_create"), _form(net))
    second = client.post(reverse("outreach:project_create"), _form(net))
    project = Project.objects.get()
    assert first["Location"] == second["Location"] == reverse("outreach:project_detail", args=[project.pk])
    assert [(i.name, i.target, i.actual) for i in project.indicators.all()] == [
        ("Консультаций по электронным госуслугам", 600, 412)
    ]
    assert [p.name for p in project.partners.all()] == ["Городской совет ветеранов"]
    assert list(project.participants.all()) == [net.mukur]
    page = client.get(first["Location"]).content.decode()
    assert "Городской совет ветеранов" in page and "69%" in page


def test_a_project_that_ends_before_it_starts_is_refused(net, admin_user, client_for):
    answer = client_for(admin_user).post(reverse("outreach:project_create"), _form(net, ends_on="2025-01-01"))
    assert answer.status_code == 200 and answer.context["form"].errors["ends_on"]
    assert not Project.objects.exists()


def test_a_participating_library_sees_the_project_but_cannot_change_it(windows, librarian, client_for):
    client = client_for(librarian)
    assert client.get(reverse("outreach:project_detail", args=[windows.pk])).status_code == 200
    assert client.get(reverse("outreach:project_edit", args=[windows.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.project_update(user=librarian, project=windows, data={"name": "Окна"})


def test_a_library_outside_the_project_does_not_see_it(windows, methodist, client_for):
    assert client_for(methodist).get(reverse("outreach:project_detail", args=[windows.pk])).status_code == 404
    assert api_client(methodist).get("/api/v1/outreach/projects").json()["count"] == 0


def test_the_marketer_of_the_region_edits_the_project(windows, net, marketer, client_for):
    data = _form(net, name="Оранжевые окна — 2025", participants=[])
    answer = client_for(marketer).post(reverse("outreach:project_edit", args=[windows.pk]), data)
    assert answer.status_code == 302
    windows.refresh_from_db()
    assert windows.name == "Оранжевые окна — 2025"
    assert windows.participants.count() == 0


def test_a_file_that_is_not_what_its_name_says_is_refused(windows, admin_user, client_for):
    client = client_for(admin_user)
    fake = SimpleUploadedFile("polozhenie.pdf", b"MZ not a pdf", content_type="application/pdf")
    client.post(reverse("outreach:project_file_add", args=[windows.pk]), {"file": fake})
    assert not ProjectFile.objects.exists()
    real = SimpleUploadedFile("polozhenie.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("outreach:project_file_add", args=[windows.pk]), {"file": real, "caption": "Положение"}
    )
    stored = ProjectFile.objects.get()
    download = client.get(reverse("outreach:project_file", args=[windows.pk, stored.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_the_api_answers_a_project_with_its_indicators(windows, librarian):
    answer = api_client(librarian).get(f"/api/v1/outreach/projects/{windows.pk}").json()
    assert answer["name"] == "Оранжевые окна" and answer["kind"] == "city_social"
    assert answer["participants"][0]["code"] == "MUK-LIB"
    assert answer["partners"] == ["Акимат города Семей"]
    assert answer["indicators"] == [
        {"name": "Консультаций", "measure": "", "target": 600.0, "actual": 412.0, "source": "manual"}
    ]
