"""The bank of best practices: who reads a practice, who proposes and edits it, the review one step at a time,
adoptions once per library, "what others do well" by direction and what a library could adopt next."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metodist.accounts.models import RoleKind
from metodist.assistance import practices
from metodist.assistance.models import (
    Direction,
    Practice,
    PracticeAdoption,
    PracticeFile,
    PracticeStatus,
    Recommendation,
)
from metodist.core.testing.factories import RoleFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make(
    unit, title="Клуб семейного чтения", *, status=PracticeStatus.PROPOSED, directions=(), adopted_by=()
):
    practice = Practice.objects.create(
        unit=unit,
        title=title,
        problem="Дети мало читают",
        actions="Встречи семей по субботам",
        results="Книговыдача выросла вдвое",
        status=status,
    )
    practice.directions.set(Direction.objects.filter(code__in=directions))
    for adopter in adopted_by:
        PracticeAdoption.objects.create(
            practice=practice,
            unit=adopter,
            adopted_on=datetime.date(2025, 3, 1),
            result=f"Результат библиотеки {adopter.code}",
        )
    return practice


def _detail(practice):
    return reverse("assistance:practice_detail", args=[practice.pk])


def _form_data(unit, key="p" * 32, **extra):
    local_history = Direction.objects.get(code="local_history").pk
    return {
        "submit_key": key,
        "unit": unit.pk,
        "title": "Краеведческий уголок «Мұқыр – менің туған жерім»",
        "problem": "Краеведческая картотека не пополнялась",
        "actions": "Собраны воспоминания старожилов, оформлен уголок",
        "results": "Краеведческий фонд вырос вчетверо",
        "period_start": "2024-09-01",
        "period_end": "2025-05-31",
        "evidence": "Публикации в районной газете",
        "directions": [local_history],
        "figures-TOTAL_FORMS": "3",
        "figures-INITIAL_FORMS": "0",
        "figures-0-label": "Краеведческих документов в фонде",
        "figures-0-before": "56",
        "figures-0-after": "212",
        "figures-0-measure": "экз.",
        "figures-1-label": "Записанных воспоминаний",
        "figures-1-after": "27",
        **extra,
    }


# --- who reads ------------------------------------------------------------------------------------------


def test_an_outsider_gets_404_even_for_a_recommended_practice(net, outsider, client_for):
    practice = make(net.kanonerka, status=PracticeStatus.RECOMMENDED)
    client = client_for(outsider)
    assert client.get(_detail(practice)).status_code == 404
    assert client.get(reverse("assistance:practice_list")).status_code == 403
    assert client.get(reverse("assistance:practice_showcase")).status_code == 403


def test_a_recommended_practice_is_read_by_a_librarian_of_another_district(net, librarian, client_for):
    practice = make(net.kanonerka, "Электронный дневник библиотеки", status=PracticeStatus.RECOMMENDED)
    client = client_for(librarian)
    assert client.get(_detail(practice)).status_code == 200
    listed = client.get(reverse("assistance:practice_list"))
    assert "Электронный дневник библиотеки" in listed.content.decode()


def test_a_proposed_practice_is_read_only_by_whoever_sees_the_library(net, librarian, methodist, client_for):
    practice = make(net.kanonerka, "Электронный дневник библиотеки", status=PracticeStatus.GENERALISED)
    assert client_for(librarian).get(_detail(practice)).status_code == 404
    assert (
        "Электронный дневник"
        not in client_for(librarian).get(reverse("assistance:practice_list")).content.decode()
    )
    assert client_for(methodist).get(_detail(practice)).status_code == 200


def test_adoptions_are_named_only_to_whoever_sees_the_adopting_or_the_practice_library(
    net, librarian, methodist, client_for
):
    practice = make(
        net.kanonerka, status=PracticeStatus.RECOMMENDED, adopted_by=[net.beskaragay_lib, net.kainar]
    )
    as_librarian = client_for(librarian).get(_detail(practice))
    assert as_librarian.context["adoption_count"] == 2
    assert as_librarian.context["adoptions"] == []
    assert "Результат библиотеки KAI-LIB" not in as_librarian.content.decode()
    as_methodist = client_for(methodist).get(_detail(practice)).content.decode()
    assert "Результат библиотеки KAI-LIB" in as_methodist
    assert "Результат библиотеки BSK-LIB" in as_methodist


# --- proposing and editing ------------------------------------------------------------------------------


def test_a_librarian_proposes_a_practice_of_her_library_with_figures(net, librarian, client_for):
    client = client_for(librarian)
    page = client.get(reverse("assistance:practice_create"))
    assert page.context["form"].initial["unit"] == net.mukur
    answer = client.post(reverse("assistance:practice_create"), _form_data(net.mukur))
    practice = Practice.objects.get()
    assert answer.status_code == 302
    assert answer.url == _detail(practice)
    assert (practice.unit, practice.status, practice.created_by) == (net.mukur, "proposed", librarian)
    assert [d.code for d in practice.directions.all()] == ["local_history"]
    figures = [(f.label, f.before, f.after, f.measure) for f in practice.figures.all()]
    assert [(label, before, int(after), measure) for label, before, after, measure in figures] == [
        ("Краеведческих документов в фонде", 56, 212, "экз."),
        ("Записанных воспоминаний", None, 27, ""),
    ]
    page = client.get(_detail(practice))
    changes = [f.change for f in page.context["figures"]]
    assert changes == [Decimal("278.6"), None]
    assert "+278,6 %" in page.content.decode()


def test_a_double_submit_creates_one_practice(net, librarian, client_for):
    client = client_for(librarian)
    client.post(reverse("assistance:practice_create"), _form_data(net.mukur))
    second = client.post(reverse("assistance:practice_create"), _form_data(net.mukur))
    assert second.status_code == 302
    assert Practice.objects.count() == 1
    assert Practice.objects.get().figures.count() == 2
    client.post(reverse("assistance:practice_create"), _form_data(net.mukur, key="q" * 32))
    assert Practice.objects.count() == 2


def test_a_librarian_cannot_propose_a_practice_of_another_library(net, librarian, client_for):
    answer = client_for(librarian).post(reverse("assistance:practice_create"), _form_data(net.kainar))
    assert answer.status_code == 200
    assert answer.context["form"].errors["unit"]
    assert not Practice.objects.exists()
    with pytest.raises(PermissionDenied):
        practices.practice_create(
            user=librarian,
            data={"unit": net.kainar, "title": "Т", "problem": "П", "actions": "Д", "results": "Р"},
        )


def test_a_practice_belongs_to_a_library_not_to_a_district(net, methodist):
    with pytest.raises(ValidationError) as error:
        practices.practice_create(
            user=methodist,
            data={"unit": net.beskaragay, "title": "Т", "problem": "П", "actions": "Д", "results": "Р"},
        )
    assert "unit" in error.value.message_dict


def test_whoever_has_no_right_to_propose_cannot_open_the_form(net, outsider, marketer, client_for):
    assert client_for(outsider).get(reverse("assistance:practice_create")).status_code == 403
    assert client_for(marketer).get(reverse("assistance:practice_create")).status_code == 403


def test_evidence_files_are_checked_and_read_through_the_scope(
    net, librarian, outsider, methodist, client_for
):
    client = client_for(librarian)
    fake = SimpleUploadedFile("отчёт.pdf", b"MZ not a pdf", content_type="application/pdf")
    answer = client.post(reverse("assistance:practice_create"), {**_form_data(net.mukur), "files": [fake]})
    assert answer.status_code == 200
    assert answer.context["form"].errors["files"]
    assert not Practice.objects.exists()
    real = SimpleUploadedFile("отчёт.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("assistance:practice_create"), {**_form_data(net.mukur, key="r" * 32), "files": [real]}
    )
    attachment = PracticeFile.objects.get()
    url = reverse("assistance:practice_file", args=[attachment.practice_id, attachment.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    assert client_for(methodist).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_the_library_edits_its_practice_only_until_the_review_starts(net, librarian, admin_user, client_for):
    practice = make(net.mukur)
    client = client_for(librarian)
    edit = reverse("assistance:practice_edit", args=[practice.pk])
    data = _form_data(
        net.mukur, title="Краеведческий уголок (новое название)", **{"figures-TOTAL_FORMS": "3"}
    )
    assert client.post(edit, data).status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Краеведческий уголок (новое название)"
    assert practice.figures.count() == 2
    practices.practice_set_status(user=admin_user, practice=practice, status=PracticeStatus.STUDIED)
    assert client.get(edit).status_code == 403
    with pytest.raises(PermissionDenied):
        practices.practice_update(user=librarian, practice=practice, data={"title": "Другое"})
    assert client_for(admin_user).get(edit).status_code == 200


def test_an_edit_keeps_the_review_status(net, admin_user, client_for):
    practice = make(net.mukur, status=PracticeStatus.GENERALISED)
    data = _form_data(net.mukur, status="recommended")
    client_for(admin_user).post(reverse("assistance:practice_edit", args=[practice.pk]), data)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.GENERALISED
    assert practice.title == data["title"]


# --- the review -----------------------------------------------------------------------------------------


def _status(client, practice, status, reason=""):
    return client.post(
        reverse("assistance:practice_status", args=[practice.pk]), {"status": status, "reason": reason}
    )


def test_a_methodologist_moves_the_review_one_step_at_a_time(net, methodist, client_for):
    practice = make(net.kanonerka)
    client = client_for(methodist)
    _status(client, practice, "generalised")
    practice.refresh_from_db()
    assert practice.status == "proposed"
    with pytest.raises(ValidationError):
        practices.practice_set_status(user=methodist, practice=practice, status="recommended")
    before = timezone.now()
    answer = _status(client, practice, "studied", "Изучено на выезде")
    assert answer.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "studied"
    assert practice.status_changed_by == methodist
    assert practice.status_changed_at >= before
    steps = practices.status_history(practice)
    assert [(s.status, s.user, s.reason) for s in steps][-1] == ("studied", methodist, "Изучено на выезде")
    assert "Изучено на выезде" in client.get(_detail(practice)).content.decode()


def test_going_back_needs_a_reason(net, methodist, client_for):
    practice = make(net.kanonerka, status=PracticeStatus.GENERALISED)
    client = client_for(methodist)
    _status(client, practice, "proposed")
    practice.refresh_from_db()
    assert practice.status == "generalised"
    _status(client, practice, "proposed", "Нет цифр, подтверждающих результат")
    practice.refresh_from_db()
    assert practice.status == "proposed"
    last = practices.status_history(practice)[-1]
    assert (last.status, last.back, last.reason) == ("proposed", True, "Нет цифр, подтверждающих результат")


def test_the_library_does_not_review_its_own_practice(net, librarian, client_for):
    practice = make(net.mukur)
    assert _status(client_for(librarian), practice, "studied").status_code == 403
    with pytest.raises(PermissionDenied):
        practices.practice_set_status(user=librarian, practice=practice, status="studied")
    practice.refresh_from_db()
    assert practice.status == "proposed"


def test_a_methodologist_reviews_only_below_her_unit(net, methodist, client_for):
    mukur_practice = make(net.mukur, status=PracticeStatus.RECOMMENDED)
    assert client_for(methodist).get(_detail(mukur_practice)).status_code == 200
    assert _status(client_for(methodist), mukur_practice, "generalised", "Проверка").status_code == 403
    # A role on the library itself is not a role above it.
    own = UserFactory(username="kanonerka-methodist")
    RoleFactory(user=own, unit=net.kanonerka, kind=RoleKind.METHODOLOGIST)
    assert not practices.can_review(own, make(net.kanonerka))
    assert practices.can_review(methodist, make(net.kanonerka))


# --- adoptions ------------------------------------------------------------------------------------------


def _adopt(client, practice, unit, day="2025-04-01", result="Провели три занятия"):
    return client.post(
        reverse("assistance:practice_adopt", args=[practice.pk]),
        {"unit": unit.pk, "adopted_on": day, "result": result},
    )


def test_a_library_adopts_a_practice_once(net, librarian, client_for):
    practice = make(net.kanonerka, status=PracticeStatus.RECOMMENDED)
    client = client_for(librarian)
    assert _adopt(client, practice, net.mukur).status_code == 302
    adoption = PracticeAdoption.objects.get()
    assert (adoption.unit, adoption.recorded_by, adoption.result) == (
        net.mukur,
        librarian,
        "Провели три занятия",
    )
    again = _adopt(client, practice, net.mukur)
    assert again.status_code == 200
    assert PracticeAdoption.objects.count() == 1
    with pytest.raises(ValidationError):
        practices.practice_adopt(
            user=librarian, practice=practice, unit=net.mukur, adopted_on=datetime.date(2025, 5, 1)
        )
    assert PracticeAdoption.objects.count() == 1


def test_adoptions_are_recorded_only_by_whoever_manages_the_adopting_library(net, librarian, methodist):
    practice = make(net.kanonerka, status=PracticeStatus.RECOMMENDED)
    with pytest.raises(PermissionDenied):
        practices.practice_adopt(
            user=librarian, practice=practice, unit=net.kainar, adopted_on=datetime.date(2025, 5, 1)
        )
    with pytest.raises(ValidationError):
        practices.practice_adopt(
            user=methodist, practice=practice, unit=net.kanonerka, adopted_on=datetime.date(2025, 5, 1)
        )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        practices.practice_adopt(
            user=methodist, practice=practice, unit=net.beskaragay_lib, adopted_on=tomorrow
        )
    adoption = practices.practice_adopt(
        user=methodist, practice=practice, unit=net.beskaragay_lib, adopted_on=datetime.date(2025, 5, 1)
    )
    assert adoption.recorded_by == methodist
    assert not PracticeAdoption.objects.filter(unit=net.kainar).exists()


def test_the_adopting_library_changes_and_removes_its_adoption(net, librarian, methodist, client_for):
    practice = make(net.kanonerka, status=PracticeStatus.RECOMMENDED, adopted_by=[net.mukur])
    adoption = PracticeAdoption.objects.get()
    remove = reverse("assistance:practice_unadopt", args=[practice.pk, adoption.pk])
    assert client_for(methodist).post(remove).status_code == 403
    client = client_for(librarian)
    edit = reverse("assistance:practice_adopt", args=[practice.pk]) + f"?adoption={adoption.pk}"
    client.post(edit, {"adopted_on": "2025-03-05", "result": "Обучено 12 человек"})
    adoption.refresh_from_db()
    assert (adoption.adopted_on, adoption.result) == (datetime.date(2025, 3, 5), "Обучено 12 человек")
    assert client.post(remove).status_code == 302
    assert not PracticeAdoption.objects.exists()


# --- what others do well, what to adopt next ------------------------------------------------------------


def test_what_others_do_well_groups_practices_by_direction_with_adoption_counts(
    net, admin_user, librarian, client_for
):
    both = make(
        net.kanonerka,
        "Квест по истории села",
        status=PracticeStatus.RECOMMENDED,
        directions=["local_history", "children"],
        adopted_by=[net.mukur, net.kainar],
    )
    generalised = make(
        net.kainar, "Летний читальный зал", status=PracticeStatus.GENERALISED, directions=["children"]
    )
    make(net.beskaragay_lib, "Буккроссинг", status=PracticeStatus.STUDIED, directions=["children"])
    groups = client_for(admin_user).get(reverse("assistance:practice_showcase")).context["groups"]
    shown = {g.direction.code: [(p.pk, p.adoption_count) for p in g.practices] for g in groups}
    assert shown == {"children": [(both.pk, 2), (generalised.pk, 0)], "local_history": [(both.pk, 2)]}
    # A librarian of Mukur does not see Kainar's generalised practice (it is not recommended yet).
    mine = client_for(librarian).get(reverse("assistance:practice_showcase") + "?direction=children")
    assert [[p.pk for p in g.practices] for g in mine.context["groups"]] == [[both.pk]]


def test_the_next_list_has_recommended_practices_of_the_librarys_directions_not_adopted_and_not_own(
    net, librarian, client_for
):
    make(net.mukur, "Своя практика", status=PracticeStatus.RECOMMENDED, directions=["local_history"])
    make(
        net.mukur_oc,
        "Практика своего онлайн-центра",
        status=PracticeStatus.RECOMMENDED,
        directions=["local_history"],
    )
    make(
        net.kanonerka,
        "Уже принятая",
        status=PracticeStatus.RECOMMENDED,
        directions=["local_history"],
        adopted_by=[net.mukur],
    )
    popular = make(
        net.beskaragay_lib,
        "Популярная",
        status=PracticeStatus.RECOMMENDED,
        directions=["local_history"],
        adopted_by=[net.kainar, net.kanonerka],
    )
    fresh = make(net.kainar, "Новая", status=PracticeStatus.RECOMMENDED, directions=["local_history"])
    make(
        net.beskaragay_lib,
        "Ещё не рекомендована",
        status=PracticeStatus.GENERALISED,
        directions=["local_history"],
    )
    make(net.kanonerka, "Другое направление", status=PracticeStatus.RECOMMENDED, directions=["cataloguing"])
    page = client_for(librarian).get(reverse("assistance:practice_next"))
    assert page.context["unit"] == net.mukur
    assert [d.code for d in page.context["directions"]] == ["local_history"]
    assert [(p.pk, p.adoption_count) for p in page.context["candidates"]] == [(popular.pk, 2), (fresh.pk, 0)]


def test_the_next_list_follows_the_recommendations_given_and_falls_back_to_everything(
    net, librarian, admin_user
):
    cataloguing = make(
        net.kanonerka, "Каталог", status=PracticeStatus.RECOMMENDED, directions=["cataloguing"]
    )
    children = make(net.kainar, "Дети", status=PracticeStatus.RECOMMENDED, directions=["children"])
    assert {p.pk for p in practices.could_adopt_next(librarian, net.mukur)} == {cataloguing.pk, children.pk}
    Recommendation.objects.create(
        issuer_unit=net.method_dept,
        issued_by=admin_user,
        text="Отредактировать электронный каталог",
        direction=Direction.objects.get(code="cataloguing"),
        unit=net.mukur,
        due=datetime.date(2025, 9, 1),
    )
    assert [p.pk for p in practices.could_adopt_next(librarian, net.mukur)] == [cataloguing.pk]


def test_the_next_list_is_for_a_library_the_user_sees(net, librarian, methodist, client_for):
    assert (
        client_for(librarian).get(reverse("assistance:practice_next") + f"?unit={net.kainar.pk}").status_code
        == 404
    )
    assert (
        client_for(librarian).get(reverse("assistance:practice_next") + f"?unit={net.abay.pk}").status_code
        == 404
    )
    page = client_for(methodist).get(reverse("assistance:practice_next") + f"?unit={net.kanonerka.pk}")
    assert page.status_code == 200
    assert page.context["unit"] == net.kanonerka
    assert client_for(methodist).get(reverse("assistance:practice_next")).context["unit"] is None


def test_the_list_filters_by_status_and_direction(net, admin_user, client_for):
    make(
        net.kanonerka,
        "Рекомендованная краеведческая",
        status=PracticeStatus.RECOMMENDED,
        directions=["local_history"],
    )
    make(net.kainar, "Рекомендованная детская", status=PracticeStatus.RECOMMENDED, directions=["children"])
    make(net.mukur, "Предложенная краеведческая", directions=["local_history"])
    client = client_for(admin_user)
    page = client.get(
        reverse("assistance:practice_list"), {"status": "recommended", "direction": "local_history"}
    )
    assert [p.title for p in page.context["page"].object_list] == ["Рекомендованная краеведческая"]
    rows = client.get(
        reverse("assistance:practice_list"),
        {"q": "детская"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="practice-rows",
    )
    assert "<html" not in rows.content.decode()
    assert [p.title for p in rows.context["page"].object_list] == ["Рекомендованная детская"]
