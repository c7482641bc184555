"""A methodologist plans a training, invites, prints, marks attendance and writes it up — in the browser."""

import pytest
from playwright.sync_api import expect

from metodist.events.models import Event, Participant
from metodist.network.models import OrgUnit

pytestmark = pytest.mark.browser


def test_a_methodologist_runs_a_training_from_plan_to_certificates(
    demo, page, log_in, screenshot, failed_responses
):
    log_in("methodist")
    page.goto("/events/new/")
    page.wait_for_load_state("networkidle")  # htmx is ready before the programme buttons are used
    page.wait_for_function("window.htmx !== undefined")
    page.fill("#id_title", "Школа сельского библиотекаря: продвижение чтения")
    page.select_option("#id_family", "training")
    page.fill("#id_starts_at", "2026-11-20T10:00")
    page.fill("#id_ends_at", "2026-11-20T13:00")
    regional = OrgUnit.objects.get(code="VKOUB")
    page.select_option("#id_organiser_unit", str(regional.pk))
    page.select_option("#id_venue_unit", str(regional.pk))
    page.fill("#id_audience", "библиотекари сельских библиотек")
    page.fill("#id_participants_planned", "20")
    page.fill("#id_hours", "4")
    page.fill("#id_goal", "научить сельских библиотекарей новым формам продвижения чтения")
    page.fill("#id_expected_result", "каждая библиотека проведёт одно мероприятие новой формы")

    for number, (speaker, topic) in enumerate(
        [("Мальцева О.", "Новые формы массовой работы"), ("Адикаева Р.", "Продвижение услуг библиотеки")]
    ):
        if page.locator(".programme-row").count() <= number:  # a new card starts with one empty section
            with page.expect_response(lambda r: r.request.method == "POST" and "/events/new/" in r.url):
                page.locator("button[name=programme_action][value=add]").click()
        expect(page.locator(".programme-row")).to_have_count(number + 1)
        page.fill(f"#id_sections-{number}-speaker", speaker)
        page.fill(f"#id_sections-{number}-topic", topic)
    page.locator("#event-form [type=submit]:not([name])").last.click()
    page.wait_for_load_state()

    event = Event.objects.get(title="Школа сельского библиотекаря: продвижение чтения")
    assert event.sections.count() == 2
    expect(page.locator("h1")).to_contain_text("Школа сельского библиотекаря")
    expect(page.get_by_text("Продвижение услуг библиотеки")).to_be_visible()
    screenshot(page, "card")

    # Invite the staff of the methodological department, mark attendance.
    page.goto(f"/events/{event.pk}/participants/")
    page.locator("form[action$='invite/group/'] select").first.select_option(
        str(OrgUnit.objects.get(code="VKOUB-MO").pk)
    )
    page.locator("form[action$='invite/group/'] [type=submit]").click()
    page.wait_for_load_state()
    invited = Participant.objects.filter(event=event)
    assert invited.count() >= 1
    first = invited.order_by("id").first()
    page.locator(f"#attended-{first.pk}").check()
    page.wait_for_timeout(800)
    first.refresh_from_db()
    assert first.attended

    # Print invitations and certificates: PDFs come back.
    tickets = page.request.get(f"/events/{event.pk}/invitations.pdf")
    assert tickets.status == 200 and tickets.body().startswith(b"%PDF")
    response = page.request.get(f"/events/{event.pk}/certificates.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    first.refresh_from_db()
    assert first.certificate_number

    # The news report is generated from the card.
    page.goto(f"/events/{event.pk}/report/")
    expect(page.get_by_text("Новые формы массовой работы").first).to_be_visible()

    page.goto("/events/calendar/?month=2026-11")
    expect(page.get_by_text("Школа сельского библиотекаря").first).to_be_visible()
    screenshot(page, "calendar")
    assert failed_responses == []
