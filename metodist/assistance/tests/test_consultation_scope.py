"""Who sees and who changes which consultations: the helped library sees those given to it."""

import pytest
from django.http import Http404
from django.urls import reverse

from metodist.assistance.models import Consultation
from metodist.assistance.selectors import consultations_visible, get_consultation_or_404
from metodist.core import scope


def test_the_mukur_librarian_sees_consultations_given_to_mukur_and_not_kainars(given, librarian):
    visible = set(consultations_visible(librarian))
    assert given["mukur"] in visible
    assert given["mukur_oc"] in visible
    assert given["kainar"] not in visible


def test_a_district_methodologist_sees_none_given_to_another_district(given, methodist):
    assert list(consultations_visible(methodist)) == []


def test_the_administrator_sees_all_and_can_change_all(given, admin_user):
    assert consultations_visible(admin_user).count() == 3
    assert consultations_visible(admin_user, "manage_assistance").count() == 3


def test_the_librarian_may_not_change_a_consultation_given_to_her(given, librarian):
    with pytest.raises(Http404):
        get_consultation_or_404(librarian, given["mukur"].pk, "manage_assistance")
    assert not consultations_visible(librarian, "manage_assistance").exists()


def test_the_list_shows_the_librarian_only_her_consultations(given, librarian, client_for):
    page = client_for(librarian).get(reverse("assistance:consultation_list"))
    assert page.status_code == 200
    assert "Еженедельный отчёт онлайн-центра" in page.text
    assert "Работа онлайн-центра: учёт посетителей" not in page.text
    assert reverse("assistance:consultation_create") not in page.text


def test_editing_another_libraries_consultation_is_404(given, librarian, client_for):
    client = client_for(librarian)
    assert client.get(reverse("assistance:consultation_edit", args=[given["kainar"].pk])).status_code == 404
    assert client.get(reverse("assistance:consultation_edit", args=[given["mukur"].pk])).status_code == 404


def test_the_librarian_may_not_open_the_new_consultation_page(librarian, client_for):
    assert client_for(librarian).get(reverse("assistance:consultation_create")).status_code == 403


def test_an_outsider_sees_no_list(given, outsider, client_for):
    assert client_for(outsider).get(reverse("assistance:consultation_list")).status_code == 403


def test_a_methodologist_records_a_consultation_with_the_full_form(net, methodist, client_for):
    client = client_for(methodist)
    form = client.get(reverse("assistance:consultation_create"))
    assert form.status_code == 200
    answer = client.post(
        reverse("assistance:consultation_create"),
        {
            "submit_key": "k" * 32,
            "date": "2025-05-06",
            "consultant_unit": net.beskaragay.pk,
            "to_unit": net.kanonerka.pk,
            "form": "individual",
            "mode": "on_site",
            "topic": "Списание ветхой литературы",
            "people_count": 1,
        },
    )
    assert answer.status_code == 302
    saved = Consultation.objects.get()
    assert (saved.consultant, saved.to_unit, saved.mode) == (methodist, net.kanonerka, "on_site")
    assert scope.covers(methodist, saved.consultant_unit, "manage_assistance")


def test_the_full_form_refuses_a_unit_outside_the_methodologists_scope(net, methodist, client_for):
    answer = client_for(methodist).post(
        reverse("assistance:consultation_create"),
        {
            "date": "2025-05-06",
            "consultant_unit": net.beskaragay.pk,
            "to_unit": net.mukur.pk,
            "form": "individual",
            "mode": "phone",
            "topic": "Чужая библиотека",
            "people_count": 1,
        },
    )
    assert answer.status_code == 200
    assert not Consultation.objects.exists()


def test_an_individual_consultation_of_several_people_is_refused(net, methodist, client_for):
    answer = client_for(methodist).post(
        reverse("assistance:consultation_create"),
        {
            "date": "2025-05-06",
            "consultant_unit": net.beskaragay.pk,
            "to_unit": net.kanonerka.pk,
            "form": "individual",
            "mode": "phone",
            "topic": "Тема",
            "people_count": 5,
        },
    )
    assert answer.status_code == 200
    assert "people_count" in answer.context["form"].errors
    assert not Consultation.objects.exists()
