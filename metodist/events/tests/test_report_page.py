"""The report page: generated ru/kk beside the published text; saving, regenerating, hand edits and scope."""

import pytest
from django.urls import reverse

from metodist.events.documents import report
from metodist.events.tests.test_report_generation import at, make_event


@pytest.fixture
def event(net):
    """A training of the Beskaragay village library (the methodologist's district), held there."""
    return make_event(
        net,
        title="Школа сельского библиотекаря",
        organiser_unit=net.beskaragay_lib,
        venue_unit=net.beskaragay_lib,
        starts_at=at(2024, 3, 14),
        participants_actual=12,
        goal="обмен опытом",
    )


def url(event):
    return reverse("events:report", args=[event.pk])


def test_the_page_shows_the_generated_russian_and_kazakh_reports(client_for, methodist, event):
    response = client_for(methodist).get(url(event))

    assert response.status_code == 200
    page = response.content.decode()
    assert "14 марта 2024 года в Бескарагайской сельской библиотеке было проведено мероприятие" in page
    assert "2024 жылғы 14 наурызда" in page
    assert "В мероприятии приняли участие 12 специалистов." in page
    assert 'name="action" value="save"' in page
    assert response.context["nav_active"] == "events"


def test_saving_publishes_the_text_and_remembers_what_was_generated(client_for, methodist, event):
    edited = report.generate(event, "ru") + "\n\nФотоотчёт — на сайте библиотеки."

    response = client_for(methodist).post(url(event), {"language": "ru", "action": "save", "text": edited})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.report_ru == edited
    assert event.report_ru_generated == report.generate(event, "ru")
    assert event.report_kk == ""
    assert report.report_is_hand_edited(event, "ru")


def test_saving_an_empty_text_is_refused_and_nothing_is_saved(client_for, methodist, event):
    response = client_for(methodist).post(url(event), {"language": "kk", "action": "save", "text": "  "})

    assert response.status_code == 200
    assert response.context["blocks"][1]["form"].errors["text"]
    event.refresh_from_db()
    assert event.report_kk == ""


def test_regenerating_an_unedited_report_replaces_it_at_once(client_for, methodist, event):
    client = client_for(methodist)
    client.post(url(event), {"language": "kk", "action": "regenerate"})
    event.refresh_from_db()
    assert event.report_kk == report.generate(event, "kk")

    event.participants_actual = 15
    event.save()
    response = client.post(url(event), {"language": "kk", "action": "regenerate"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert "Іс-шараға 15 маман қатысты." in event.report_kk
    assert event.report_kk == event.report_kk_generated


def test_regenerating_a_hand_edited_report_asks_first_and_shows_the_difference(client_for, methodist, event):
    client = client_for(methodist)
    edited = report.generate(event, "ru").replace("обмен опытом", "обмен опытом и новые идеи")
    client.post(url(event), {"language": "ru", "action": "save", "text": edited})

    response = client.post(url(event), {"language": "ru", "action": "regenerate"})

    assert response.status_code == 200
    block = response.context["blocks"][0]
    assert block["confirm"]
    assert ("del", "опытом и новые идеи.") in block["diff"]
    assert ("ins", "опытом.") in block["diff"]
    assert '<del class="text-danger"' in response.content.decode()
    assert 'name="confirm" value="1"' in response.content.decode()
    event.refresh_from_db()
    assert event.report_ru == edited


def test_regenerating_with_confirmation_replaces_the_hand_edit(client_for, methodist, event):
    client = client_for(methodist)
    client.post(url(event), {"language": "ru", "action": "save", "text": "Свой текст."})

    response = client.post(url(event), {"language": "ru", "action": "regenerate", "confirm": "1"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.report_ru == report.generate(event, "ru")
    assert not report.report_is_hand_edited(event, "ru")


def test_regenerating_asks_first_when_the_box_holds_unsaved_edits(client_for, methodist, event):
    client = client_for(methodist)
    typed = report.generate(event, "kk") + "\r\n\r\nҚосымша сөйлем."

    response = client.post(url(event), {"language": "kk", "action": "regenerate", "text": typed})

    assert response.status_code == 200
    block = response.context["blocks"][1]
    assert block["confirm"]
    assert any("Қосымша сөйлем." in text for op, text in block["diff"] if op == "del")
    event.refresh_from_db()
    assert event.report_kk == ""


def test_regenerating_with_the_box_unchanged_needs_no_confirmation(client_for, methodist, event):
    typed = report.generate(event, "kk").replace("\n", "\r\n")

    response = client_for(methodist).post(
        url(event), {"language": "kk", "action": "regenerate", "text": typed}
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.report_kk == report.generate(event, "kk")


def test_the_page_tells_when_the_card_changed_after_publishing(client_for, methodist, event):
    client = client_for(methodist)
    client.post(url(event), {"language": "ru", "action": "regenerate"})
    event.refresh_from_db()
    event.goal = "новая цель"
    event.save()

    response = client.get(url(event))

    assert response.context["blocks"][0]["card_changed"]
    assert not response.context["blocks"][1]["card_changed"]


def test_a_viewer_without_the_right_to_manage_reads_but_cannot_save(client_for, librarian, net):
    # Organised by the regional library, held in Mukur: the Mukur librarian sees it but does not manage it.
    event = make_event(net, organiser_unit=net.regional, venue_unit=net.mukur)
    client = client_for(librarian)

    page = client.get(url(event))
    posted = client.post(url(event), {"language": "ru", "action": "save", "text": "Чужой текст."})

    assert page.status_code == 200
    assert 'value="save"' not in page.content.decode()
    assert posted.status_code == 404
    event.refresh_from_db()
    assert event.report_ru == ""


def test_an_event_out_of_scope_is_not_found(client_for, methodist, outsider, net):
    event = make_event(net, organiser_unit=net.mukur, venue_unit=net.mukur)

    assert client_for(methodist).get(url(event)).status_code == 404
    assert client_for(outsider).get(url(event)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, event):
    response = client.get(url(event))

    assert response.status_code == 302
    assert "login" in response["Location"]
