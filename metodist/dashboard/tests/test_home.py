from django.urls import reverse

from metodist.network import services


def test_the_home_page_shows_the_users_roles_and_units(client_for, librarian, net):
    html = client_for(librarian).get(reverse("dashboard:home")).content.decode()
    assert "Мукурская сельская библиотека" in html
    assert reverse("network:unit_detail", args=[net.mukur.pk]) in html


def test_recent_changes_are_those_of_the_users_scope(client_for, admin_user, librarian, net):
    services.unit_update(user=admin_user, unit=net.kainar, data={"phone": "+7 72239 3-11-20"})
    services.unit_update(user=admin_user, unit=net.mukur, data={"phone": "+7 72239 2-14-55"})
    html = client_for(librarian).get(reverse("dashboard:home")).content.decode()
    assert "Кайнарская" not in html
    assert html.count("Мукурская сельская библиотека") >= 2  # role and change


def test_the_network_figures_count_libraries_in_scope(client_for, methodist, net):
    response = client_for(methodist).get(reverse("dashboard:home"))
    assert response.context["figures"]["libraries"] == 3  # two libraries and one online centre


def test_a_user_without_roles_is_told_to_ask_for_one(client_for, outsider):
    response = client_for(outsider).get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert "figures" not in response.context


def test_the_navigation_shows_only_what_the_user_may_use(client_for, volunteer, admin_user):
    volunteer_html = client_for(volunteer).get(reverse("dashboard:home")).content.decode()
    assert reverse("network:tree") not in volunteer_html
    admin_html = client_for(admin_user).get(reverse("dashboard:home")).content.decode()
    assert reverse("network:tree") in admin_html
    assert reverse("accounts:user_list") in admin_html


def test_an_anonymous_visitor_is_asked_to_log_in(client, db):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302


def test_the_home_page_lists_upcoming_events_of_the_users_scope(client_for, librarian, net):
    import datetime

    from django.utils import timezone

    from metodist.events.models import Event

    soon = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(
        title="Час краеведения «Мұқыр — туған жерім»",
        starts_at=soon,
        organiser_unit=net.mukur,
        venue_unit=net.mukur,
    )
    Event.objects.create(
        title="Кайнарские чтения", starts_at=soon, organiser_unit=net.kainar, venue_unit=net.kainar
    )
    Event.objects.create(
        title="Прошедшее",
        starts_at=soon - datetime.timedelta(days=10),
        organiser_unit=net.mukur,
        venue_unit=net.mukur,
    )
    html = client_for(librarian).get(reverse("dashboard:home")).content.decode()
    assert "Мұқыр — туған жерім" in html
    assert "Кайнарские чтения" not in html
    assert "Прошедшее" not in html


def test_the_home_page_does_not_query_once_per_recent_change(client_for, admin_user, librarian, net):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(librarian)  # her scope has two units: two "created" records to begin with
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard:home"))
    for phone in ("+7 72239 2-14-55", "+7 72239 2-14-56", "+7 72239 2-14-57", "+7 72239 2-14-58"):
        services.unit_update(user=admin_user, unit=net.mukur, data={"phone": phone})
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("dashboard:home"))
    assert len(response.context["changes"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
