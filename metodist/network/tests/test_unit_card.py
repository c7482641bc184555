import pytest
from django.urls import reverse

from metodist.core.testing.factories import PassportFactory, StaffMemberFactory


def test_the_card_shows_staff_passport_and_history(client_for, admin_user, net):
    StaffMemberFactory(unit=net.mukur, full_name="Жанар Токтарова", position="заведующая библиотекой")
    PassportFactory(unit=net.mukur, year=2024, computers=5, computers_for_users=3)
    html = client_for(admin_user).get(reverse("network:unit_detail", args=[net.mukur.pk])).content.decode()
    assert "<h1" in html and "Мукурская сельская библиотека" in html
    assert "Мұқыр ауылдық кітапханасы" in html
    assert "Жанар Токтарова" in html
    assert "заведующая библиотекой" in html
    assert 'id="passport"' in html
    assert "Онлайн-центр села Мукур" in html  # child unit


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("librarian", "mukur", 200),
        ("librarian", "mukur_oc", 200),  # the online centre works inside her library
        ("librarian", "kainar", 404),
        ("librarian", "abay", 404),
        ("methodist", "kanonerka", 200),
        ("methodist", "mukur", 404),
        ("marketer", "kainar", 200),
        ("admin_user", "method_dept", 200),
        ("volunteer", "mukur", 404),
        ("outsider", "mukur", 404),
    ],
)
def test_each_role_sees_only_its_subtree(request, client_for, net, who, unit, status):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("network:unit_detail", args=[getattr(net, unit).pk]))
    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_login(client, net):
    response = client.get(reverse("network:unit_detail", args=[net.mukur.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_librarian_sees_her_own_staff_but_not_others(client_for, librarian, net):
    theirs = StaffMemberFactory(unit=net.kainar, full_name="Гульнар Ахметова")
    mine = StaffMemberFactory(unit=net.mukur, full_name="Жанар Токтарова")
    client = client_for(librarian)
    assert client.get(reverse("network:staff_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("network:staff_detail", args=[theirs.pk])).status_code == 404
