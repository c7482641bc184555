from django.urls import reverse

from metodist.core.testing.factories import StaffMemberFactory
from metodist.network.models import QualificationRecord, StaffMember


def test_the_librarian_adds_a_colleague(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:staff_create", args=[net.mukur.pk]),
        {
            "full_name": "Айгерим Нурланова",
            "position": "библиотекарь",
            "education": "vocational_library",
            "started_on": "2021-09-01",
        },
    )
    assert response.status_code == 302
    assert StaffMember.objects.get(full_name="Айгерим Нурланова").unit == net.mukur


def test_a_training_adds_its_hours_to_the_record(client_for, librarian, net):
    person = StaffMemberFactory(unit=net.mukur, full_name="Жанар Токтарова")
    client = client_for(librarian)
    client.post(
        reverse("network:qualification_create", args=[person.pk]),
        {
            "title": "Библиотечный урок «Маркетинг и методическая помощь»",
            "kind": "library_lesson",
            "provider": "ВКО универсальная библиотека имени Абая",
            "started_on": "2013-09-20",
            "hours": "6",
        },
    )
    record = QualificationRecord.objects.get(staff_member=person)
    assert record.hours == 6
    html = client.get(reverse("network:staff_detail", args=[person.pk])).content.decode()
    assert "Маркетинг и методическая помощь" in html


def test_a_person_cannot_leave_before_starting(client_for, librarian, net):
    response = client_for(librarian).post(
        reverse("network:staff_create", args=[net.mukur.pk]),
        {
            "full_name": "Тест",
            "position": "библиотекарь",
            "started_on": "2021-09-01",
            "left_on": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert not StaffMember.objects.filter(full_name="Тест").exists()


def test_the_marketer_cannot_add_staff(client_for, marketer, net):
    response = client_for(marketer).post(
        reverse("network:staff_create", args=[net.mukur.pk]), {"full_name": "X", "position": "Y"}
    )
    assert response.status_code == 404
