"""The pages and the API of the materials library: who reads, who publishes, downloads, search results."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from metodist.assistance.models import Material, MaterialLanguage, MaterialType
from metodist.assistance.tests.test_materials_search import (
    KAZAKH_TEXT,
    RUSSIAN_TEXT,
    docx_bytes,
    pdf_bytes,
    publish,
    upload,
)
from metodist.events.models import Event, EventFamily
from metodist.network.models import LibraryType, OrgUnit


@pytest.fixture
def shelf(net, admin_user):
    """A Russian DOCX of the regional library (the centre), a Kazakh PDF of Abay district."""
    OrgUnit.objects.filter(pk=net.regional.pk).update(library_type=LibraryType.REGIONAL)
    region_doc = publish(
        admin_user,
        net.method_dept,
        title="Методические рекомендации по организации работы сельских онлайн-центров",
        description="Для библиотекарей сельских библиотек и администраторов онлайн-центров.",
        file=upload("rec.docx", docx_bytes(RUSSIAN_TEXT)),
    )
    abay_doc = publish(
        admin_user,
        net.abay,
        title="Ауылдық кітапханаларға әдістемелік ұсынымдар",
        language=MaterialLanguage.KAZAKH,
        file=upload("kk.pdf", pdf_bytes(KAZAKH_TEXT)),
    )
    return {"region": region_doc, "abay": abay_doc}


def _url(name, material=None):
    return reverse(f"assistance:{name}", args=[material.pk] if material else [])


# --- reading --------------------------------------------------------------------------------------------


def test_the_mukur_librarian_reads_the_regions_and_her_districts_materials(client_for, librarian, shelf):
    client = client_for(librarian)
    page = client.get(_url("material_list")).content.decode()
    assert shelf["region"].title in page and shelf["abay"].title in page
    assert client.get(_url("material_detail", shelf["region"])).status_code == 200


def test_the_beskaragay_methodologist_does_not_see_abay_districts_material(client_for, methodist, shelf):
    client = client_for(methodist)
    page = client.get(_url("material_list")).content.decode()
    assert shelf["region"].title in page
    assert shelf["abay"].title not in page
    assert client.get(_url("material_detail", shelf["abay"])).status_code == 404
    assert client.get(_url("material_download", shelf["abay"])).status_code == 404


def test_a_village_librarys_material_stays_with_its_part_of_the_network(
    client_for, admin_user, net, librarian
):
    kainar = publish(
        admin_user, net.kainar, title="План Кайнарской библиотеки", file=upload("p.docx", docx_bytes("План"))
    )
    assert client_for(librarian).get(_url("material_detail", kainar)).status_code == 404


def test_an_outsider_sees_nothing(client_for, outsider, shelf):
    client = client_for(outsider)
    assert client.get(_url("material_list")).status_code == 403
    for name in ("material_detail", "material_download", "material_edit"):
        assert client.get(_url(name, shelf["region"])).status_code == 404
    assert client.get(_url("material_new")).content == b""


def test_the_librarian_reads_but_cannot_edit_or_publish(client_for, librarian, shelf):
    client = client_for(librarian)
    assert client.get(_url("material_edit", shelf["region"])).status_code == 404
    assert client.post(_url("material_delete", shelf["region"])).status_code == 404
    assert client.get(_url("material_create")).status_code == 403
    assert Material.objects.filter(pk=shelf["region"].pk).exists()
    assert (
        "Edit"
        not in client.get(
            _url("material_detail", shelf["region"]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    )


def test_search_on_the_page_ranks_and_marks_the_words(client_for, librarian, shelf):
    page = client_for(librarian).get(_url("material_list"), {"q": "кітапханалар"}).content.decode()
    assert "Ауылдық <mark>кітапханаларға</mark> әдістемелік ұсынымдар</a>" in page  # the title, marked
    assert shelf["region"].title not in page

    page = client_for(librarian).get(_url("material_list"), {"q": "онлайн-центрами"}).content.decode()
    assert "<mark>онлайн</mark>-<mark>центров</mark>" in page  # in the title


def test_search_results_come_as_an_htmx_piece(client_for, librarian, shelf):
    response = client_for(librarian).get(
        _url("material_list"), {"q": "библиотекам"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="material-rows"
    )
    html = response.content.decode()
    assert "<html" not in html and "<mark>библиотекам</mark>" in html


def test_filters_narrow_the_list(client_for, admin_user, shelf):
    client = client_for(admin_user)
    page = client.get(_url("material_list"), {"language": "kk"}).content.decode()
    assert shelf["abay"].title in page and shelf["region"].title not in page
    page = client.get(_url("material_list"), {"type": MaterialType.SCENARIO}).content.decode()
    assert shelf["abay"].title not in page and shelf["region"].title not in page


# --- downloading ----------------------------------------------------------------------------------------


def test_download_serves_the_file_with_its_type_and_counts(client_for, librarian, shelf):
    material = shelf["region"]
    response = client_for(librarian).get(_url("material_download", material))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".docx" in disposition
    assert b"".join(response.streaming_content)[:2] == b"PK"
    material.refresh_from_db()
    assert material.downloads == 1


def test_the_download_name_loses_what_file_systems_refuse(net, admin_user):
    from metodist.assistance.materials_views import download_filename

    material = Material(title='Сценарий: "Открытие" / Мукур?', file_type="pdf")
    assert download_filename(material) == "Сценарий Открытие Мукур.pdf"


# --- publishing -----------------------------------------------------------------------------------------


def test_the_methodologist_publishes_a_material_with_a_file(client_for, methodist, net):
    client = client_for(methodist)
    form = client.get(_url("material_create")).content.decode()
    key = form.split('name="submit_key" value="')[1].split('"')[0]
    data = {
        "submit_key": key,
        "unit": net.beskaragay.pk,
        "type": MaterialType.SCENARIO,
        "title": "Сценарий открытия онлайн-центра в с. Канонерка",
        "year": 2024,
        "language": MaterialLanguage.RUSSIAN,
        "file": upload("scenario.docx", docx_bytes("Ведущий приветствует жителей села.")),
    }
    response = client.post(_url("material_create"), data)
    material = Material.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("material_detail", material)
    assert material.created_by == methodist and material.file_type == "docx"
    assert "Ведущий" in material.text


def test_the_form_refuses_a_renamed_executable(client_for, methodist, net):
    response = client_for(methodist).post(
        _url("material_create"),
        {
            "unit": net.beskaragay.pk,
            "type": MaterialType.GUIDE,
            "title": "Памятка",
            "year": 2024,
            "language": MaterialLanguage.RUSSIAN,
            "file": upload("guide.docx", b"MZ\x90\x00" + b"\x00" * 300),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "not a DOCX file" in response.content.decode()
    assert not Material.objects.exists()


def test_a_methodologist_cannot_publish_for_a_district_not_hers(client_for, methodist, net):
    response = client_for(methodist).post(
        _url("material_create"),
        {
            "unit": net.abay.pk,
            "type": MaterialType.GUIDE,
            "title": "Памятка",
            "year": 2024,
            "language": MaterialLanguage.RUSSIAN,
            "file": upload("guide.docx", docx_bytes("Текст")),
        },
    )
    assert response.status_code == 200  # the choice is not offered
    assert not Material.objects.exists()


def test_edit_keeps_the_file_when_none_is_sent(client_for, admin_user, shelf):
    material = shelf["region"]
    response = client_for(admin_user).post(
        _url("material_edit", material),
        {
            "unit": material.unit_id,
            "type": MaterialType.GUIDE,
            "title": "Руководство для онлайн-центров",
            "year": 2023,
            "language": MaterialLanguage.RUSSIAN,
        },
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.title == "Руководство для онлайн-центров" and material.file_type == "docx"
    assert "еженедельный" in material.text


# --- pieces of other pages ------------------------------------------------------------------------------


def test_the_home_card_lists_new_materials(client_for, librarian, shelf):
    html = client_for(librarian).get(_url("material_new")).content.decode()
    assert shelf["region"].title in html and _url("material_download", shelf["region"]) in html


def test_an_event_links_the_materials_its_viewer_may_read(
    client_for, admin_user, librarian, methodist, net, shelf
):
    event = Event.objects.create(
        title="Открытие онлайн-центра села Мукур",
        family=EventFamily.PUBLIC,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        organiser_unit=net.mukur,
    )
    kainar = publish(
        admin_user, net.kainar, title="План Кайнарской библиотеки", file=upload("p.docx", docx_bytes("План"))
    )
    for material in (shelf["region"], shelf["abay"], kainar):
        material.events.add(event)
    html = client_for(librarian).get(_url("material_linked"), {"event": event.pk}).content.decode()
    assert shelf["region"].title in html and shelf["abay"].title in html
    assert kainar.title not in html  # linked, but not hers to read
    page = client_for(librarian).get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert f"{_url('material_linked')}?event={event.pk}" in page
    # Mukur's event is not the Beskaragay methodologist's: the piece answers 404.
    assert client_for(methodist).get(_url("material_linked"), {"event": event.pk}).status_code == 404


# --- API ------------------------------------------------------------------------------------------------


def test_api_searches_with_rank_and_snippet(client_for, librarian, shelf):
    response = client_for(librarian).get("/api/v1/materials", {"q": "кітапхананың"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == shelf["abay"].pk and item["unit"] == {
        "id": shelf["abay"].unit_id,
        "name": "Абайский район",
    }
    assert item["rank"] > 0 and "<mark>" in item["snippet"]
    assert item["file_type"] == "pdf" and item["download_url"].endswith(
        f"/api/v1/materials/{item['id']}/file"
    )


def test_api_lists_only_what_the_caller_reads(client_for, methodist, outsider, shelf):
    ids = [i["id"] for i in client_for(methodist).get("/api/v1/materials").json()["items"]]
    assert ids == [shelf["region"].pk]
    assert client_for(methodist).get(f"/api/v1/materials/{shelf['abay'].pk}").status_code == 404
    assert client_for(methodist).get(f"/api/v1/materials/{shelf['abay'].pk}/file").status_code == 404
    assert client_for(outsider).get("/api/v1/materials").json()["count"] == 0


def test_api_detail_and_file(client_for, librarian, shelf):
    client = client_for(librarian)
    detail = client.get(f"/api/v1/materials/{shelf['region'].pk}").json()
    assert detail["description"].startswith("Для библиотекарей") and detail["rank"] is None
    response = client.get(f"/api/v1/materials/{shelf['region'].pk}/file")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"


def test_api_publishes_multipart_and_refuses_an_executable(client_for, admin_user, librarian, net):
    client = client_for(admin_user)
    fields = {
        "unit": net.method_dept.pk,
        "type": "invitation",
        "title": "Пригласительный билет: шаблон",
        "year": 2024,
    }
    refused = client.post(
        "/api/v1/materials", {**fields, "file": upload("ticket.docx", b"MZ" + b"\x00" * 100)}
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "file"
    created = client.post(
        "/api/v1/materials",
        {**fields, "directions": ["online_centres"], "file": upload("t.docx", docx_bytes("Приглашаем"))},
    )
    assert created.status_code == 201, created.content
    assert created.json()["directions"] == ["online_centres"]
    forbidden = client_for(librarian).post(
        "/api/v1/materials",
        {**fields, "unit": net.mukur.pk, "file": upload("t.docx", docx_bytes("Приглашаем"))},
    )
    assert forbidden.status_code == 403


# --- demo -----------------------------------------------------------------------------------------------


def test_the_demo_materials_are_real_files_found_by_search_and_loaded_once(net, admin_user):
    from metodist.demo.materials_load import load_materials

    first = load_materials(author=admin_user)
    assert first["materials"] >= 10  # those of the regional library's methodological department
    assert load_materials(author=admin_user) == {}
    recommendations = Material.objects.get(
        title__startswith="Методические рекомендации по организации работы"
    )
    assert recommendations.file_type == "docx" and "по пятницам" in recommendations.text
    kazakh = Material.objects.get(title="Ауылдық кітапханаларға әдістемелік ұсынымдар")
    assert kazakh.file_type == "pdf" and "Кітапхана" in kazakh.text
    from metodist.assistance.materials_search import search_materials

    found = search_materials(Material.objects.all(), "сценарии открытия онлайн-центров")
    assert found[0].title == "Сценарий торжественного открытия онлайн-центра в с. Мукур"
