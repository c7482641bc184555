from django.urls import reverse

from metodist.core.testing.factories import PassportFactory
from metodist.network.models import LibraryPassport


def _passport(**changes):
    data = {
        "floor_area": "86.5",
        "premises_condition": "satisfactory",
        "computers": "4",
        "computers_for_users": "3",
        "internet": "fibre",
        "internet_speed_mbps": "20",
        "access_mobility": "on",
        "note": "",
    }
    data.update(changes)
    return data


def test_the_librarian_fills_in_her_passport_for_a_year(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:passport_edit", args=[net.mukur.pk, 2025]), _passport()
    )
    assert response.status_code == 302
    passport = LibraryPassport.objects.get(unit=net.mukur, year=2025)
    assert passport.computers == 4
    assert passport.access_mobility is True
    assert passport.access_vision is False


def test_a_new_year_starts_from_last_years_figures(client_for, librarian, net):
    PassportFactory(unit=net.mukur, year=2024, computers=7, computers_for_users=5)
    html = (
        client_for(librarian)
        .get(reverse("network:passport_edit", args=[net.mukur.pk, 2025]))
        .content.decode()
    )
    assert 'name="computers" value="7"' in html


def test_impossible_figures_are_refused(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:passport_edit", args=[net.mukur.pk, 2025]),
        _passport(computers="2", computers_for_users="5"),
    )
    assert response.status_code == 200
    assert 'id="id_computers_for_users_error"' in response.content.decode()
    assert not LibraryPassport.objects.exists()


def test_a_double_submit_keeps_one_passport_per_year(client_for, librarian, net):
    client = client_for(librarian)
    url = reverse("network:passport_edit", args=[net.mukur.pk, 2025])
    client.post(url, _passport())
    client.post(url, _passport(computers="5"))
    assert LibraryPassport.objects.filter(unit=net.mukur, year=2025).count() == 1
    assert LibraryPassport.objects.get(unit=net.mukur, year=2025).computers == 5


def test_kainars_passport_is_out_of_reach(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:passport_edit", args=[net.kainar.pk, 2025]), _passport()
    )
    assert response.status_code == 404
