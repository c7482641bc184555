"""The catalogue of forms of work: the shipped content, the loader, search, the catalogue and card pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from metodist.accounts.models import RoleKind
from metodist.core.testing.factories import RoleFactory, UserFactory
from metodist.events import catalogue_data
from metodist.events.catalogue import catalogue_load, duration_text, forms_search, split_steps
from metodist.events.catalogue_data import BOOKLET_2013, FORMS
from metodist.events.models import EventFamily, EventStatus, FormOfWork, FormScenario
from metodist.events.tests.factories import EventFactory

KAZAKH_LETTERS = set("әғқңөұүһі")

# Every form the seed's booklet names, and the common ones the issue asks for, by their Russian names.
SEED_FORMS = {
    "bibliodesant": "Библиодесант",
    "knowledge_auction": "Аукцион знаний",
    "writers_benefit": "Бенефис писателя",
    "biblio_globe": "Библио-глобус",
    "book_biennale": "Книжная биеннале",
    "new_books_bureau": "Бюро литературных новинок",
    "video_cruise": "Видеокруиз",
    "bibliotransformer": "Библиотрансформер",
}
COMMON_FORMS = {
    "literary_quest": "Литературный квест",
    "bookcrossing": "Буккроссинг",
    "biblionight": "Библионочь",
    "readers_conference": "Читательская конференция",
    "book_presentation": "Презентация книги",
    "oral_journal": "Устный журнал",
    "literary_lounge": "Литературная гостиная",
    "flash_mob": "Флешмоб",
    "local_history_hour": "Час краеведения",
    "information_day": "День информации",
    "specialist_day": "День специалиста",
    "literary_marathon": "Литературный марафон",
    "reading_aloud": "Громкие чтения",
    "biblio_cafe": "Библиокафе",
    "quiz": "Квиз",
    "literary_ring": "Литературный ринг",
    "brain_ring": "Брейн-ринг",
    "virtual_exhibition": "Виртуальная выставка",
    "book_trailer": "Буктрейлер",
}
TRAINING_FORMS = {
    "library_lesson": "Библиотечный урок",
    "seminar": "Семинар",
    "workshop": "Практикум",
    "rural_school": "Школа сельского библиотекаря",
    "methodological_day": "Методический день",
    "consultation": "Групповая консультация",
}


@pytest.fixture
def catalogue(db):
    catalogue_load()


# --- the shipped content -------------------------------------------------------------------------------


def test_the_catalogue_ships_at_least_forty_forms_each_with_russian_and_kazakh_texts(catalogue):
    forms = list(FormOfWork.objects.all())

    assert len(forms) >= 40
    assert len(forms) == len(FORMS)
    for form in forms:
        assert form.name_ru and form.name_kk and form.name_en, form.code
        assert form.summary_ru and form.summary_kk and form.summary_en, form.code
        assert form.description_ru.strip(), form.code
        assert form.description_kk.strip(), form.code
        for field in ("audiences", "goals", "preparation", "conduct"):
            assert getattr(form, f"{field}_ru") and getattr(form, f"{field}_kk"), (form.code, field)
        assert form.duration, form.code


def test_the_kazakh_texts_are_written_in_kazakh(catalogue):
    for form in FormOfWork.objects.all():
        assert KAZAKH_LETTERS & set(form.description_kk), form.code
        assert KAZAKH_LETTERS & set(form.summary_kk), form.code
        assert form.description_kk != form.description_ru
    assert FormOfWork.objects.get(code="bibliodesant").name_kk == "Библиодесант"
    assert FormOfWork.objects.get(code="literary_evening").name_kk == "Әдеби кеш"
    assert "кітап" in FormOfWork.objects.get(code="bookcrossing").description_kk


def test_every_form_named_in_the_seed_is_in_the_catalogue_and_in_the_2013_preset(catalogue):
    names = dict(FormOfWork.objects.values_list("code", "name_ru"))

    for code, name in {**SEED_FORMS, **COMMON_FORMS, **TRAINING_FORMS}.items():
        assert names.get(code) == name
    assert set(BOOKLET_2013) == set(SEED_FORMS)
    bibliodesant = FormOfWork.objects.get(code="bibliodesant")
    assert bibliodesant.scenarios.filter(title__contains="Вместе с книгой открываем мир").exists()
    assert "бьеналле" in FormOfWork.objects.get(code="book_biennale").description_ru


def test_trainings_and_the_opening_of_an_online_centre_have_their_families(catalogue):
    families = dict(FormOfWork.objects.values_list("code", "family"))

    assert {families[code] for code in TRAINING_FORMS} == {EventFamily.TRAINING}
    assert families["online_centre_opening"] == EventFamily.OPENING
    assert families["bibliodesant"] == EventFamily.PUBLIC


def test_related_forms_name_forms_of_the_catalogue_and_link_both_ways(catalogue):
    codes = {spec.code for spec in FORMS}
    assert all(code in codes for spec in FORMS for code in spec.related)

    quest = FormOfWork.objects.get(code="literary_quest")
    auction = FormOfWork.objects.get(code="knowledge_auction")
    assert auction in quest.related.all()
    assert quest in auction.related.all()


# --- the loader ----------------------------------------------------------------------------------------


def test_loading_twice_adds_nothing_the_second_time(db):
    first = catalogue_load()
    relations = FormOfWork.related.through.objects.count()

    second = catalogue_load()

    assert first["forms"] == len(FORMS)
    assert first["scenarios"] == FormScenario.objects.count() > 0
    assert second == {"forms": 0, "relations": 0, "scenarios": 0}
    assert FormOfWork.objects.count() == len(FORMS)
    assert FormOfWork.related.through.objects.count() == relations


def test_loading_never_overwrites_what_an_administrator_edited(catalogue):
    quest = FormOfWork.objects.get(code="literary_quest")
    FormOfWork.objects.filter(pk=quest.pk).update(name_ru="Квест по книгам", summary_kk="", is_active=False)
    quest.related.clear()
    FormScenario.objects.filter(form__code="bibliodesant").delete()
    FormOfWork.objects.filter(code="flash_mob").delete()

    created = catalogue_load()

    quest.refresh_from_db()
    assert quest.name_ru == "Квест по книгам"
    assert quest.summary_kk == ""
    assert quest.is_active is False
    assert not FormScenario.objects.filter(form__code="bibliodesant").exists()
    # Only the missing form comes back, with its own relations; the quest stays unlinked.
    assert created["forms"] == 1
    flash_mob = FormOfWork.objects.get(code="flash_mob")
    assert flash_mob.related.filter(code="biblionight").exists()
    assert not quest.related.exists()


def test_the_management_command_loads_the_catalogue(db, capsys):
    call_command("load_forms_of_work")
    call_command("load_forms_of_work")

    out = capsys.readouterr().out
    assert f"Forms of work added: {len(FORMS)}" in out
    assert "Forms of work added: 0" in out
    assert FormOfWork.objects.count() == len(FORMS)


def test_the_data_module_is_split_by_family():
    assert set(FORMS) == set(
        catalogue_data.SEED_FORMS
        + catalogue_data.PUBLIC_FORMS
        + catalogue_data.TRAINING_FORMS
        + catalogue_data.OPENING_FORMS
    )
    assert {f.family for f in catalogue_data.TRAINING_FORMS} == {"training"}


# --- search, steps and durations -----------------------------------------------------------------------


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_the_search_finds_a_form_by_its_name_in_any_language_whatever_the_case(catalogue):
    assert "literary_quest" in codes(forms_search(text="квест"))
    assert codes(forms_search(text="КІТАПХАНА ТҮНІ")) == {"biblionight"}
    assert "quiz" in codes(forms_search(text="Quiz"))
    assert codes(forms_search(text="бенефис")) == {"writers_benefit"}
    assert not forms_search(text="такой формы нет").exists()


def test_the_search_filters_by_family_and_audience(catalogue):
    training = codes(forms_search(family=EventFamily.TRAINING))
    for_children = codes(forms_search(audience="children"))
    for_librarians = codes(forms_search(audience="librarians"))

    assert training >= set(TRAINING_FORMS)
    assert "bibliodesant" not in training
    assert {"reader_initiation", "reading_aloud"} <= for_children
    assert "seminar" not in for_children
    assert {"seminar", "rural_school", "consultation"} <= for_librarians
    assert "quiz" not in for_librarians


def test_a_withdrawn_form_leaves_the_catalogue(catalogue):
    FormOfWork.objects.filter(code="quiz").update(is_active=False)

    assert "quiz" not in codes(forms_search())
    assert "quiz" in codes(forms_search(active=False))


def test_steps_are_read_one_a_line_without_hand_typed_numbers():
    assert split_steps("1. Выбрать тему.\n\n2) Пригласить гостей.\n- Оформить зал.") == [
        "Выбрать тему.",
        "Пригласить гостей.",
        "Оформить зал.",
    ]


@pytest.mark.parametrize(
    ("duration", "language", "expected"),
    [
        ("1–1,5 часа", "kk", "1–1,5 сағат"),
        ("1–1,5 часа", "en", "1–1.5 hours"),
        ("45 минут – 1 час", "en", "45 minutes – 1 hour"),
        ("3–5 дней", "kk", "3–5 күн"),
        ("1 неделя", "en", "1 week"),
        ("1–1,5 часа", "ru", "1–1,5 часа"),
        ("по договорённости", "kk", "по договорённости"),
    ],
)
def test_the_duration_is_shown_in_the_readers_language(duration, language, expected):
    assert duration_text(duration, language) == expected


# --- pages ---------------------------------------------------------------------------------------------


def test_the_catalogue_page_shows_cards_with_summary_and_usage_count(client_for, methodist, net, catalogue):
    quest = FormOfWork.objects.get(code="literary_quest")
    EventFactory(organiser_unit=net.beskaragay_lib, form=quest, status=EventStatus.HELD)
    EventFactory(organiser_unit=net.kanonerka, form=quest, status=EventStatus.HELD)
    EventFactory(organiser_unit=net.mukur, form=quest, status=EventStatus.HELD)  # outside her scope

    response = client_for(methodist).get(reverse("events:form_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["nav_active"] == "forms"
    assert len(response.context["forms"]) == len(FORMS)
    cards = {f.code: f for f in response.context["forms"]}
    assert cards["literary_quest"].times_used == 2
    assert cards["quiz"].times_used == 0
    assert quest.summary_ru in html
    assert "2013" in html


def test_the_catalogue_page_searches_and_answers_htmx_with_the_results_only(client_for, methodist, catalogue):
    response = client_for(methodist).get(
        reverse("events:form_list"),
        {"q": "квест", "family": "public"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="form-results",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Литературный квест" in html
    assert "Семинар" not in html


def test_the_catalogue_page_filters_by_audience(client_for, methodist, catalogue):
    response = client_for(methodist).get(reverse("events:form_list"), {"audience": "librarians"})

    found = {f.code for f in response.context["forms"]}
    assert "rural_school" in found
    assert "flash_mob" not in found


def test_a_form_card_shows_every_section_in_kazakh_for_a_kazakh_reader(client_for, methodist, catalogue):
    form = FormOfWork.objects.get(code="bibliodesant")

    response = client_for(methodist).get(
        reverse("events:form_detail", args=["bibliodesant"]), HTTP_ACCEPT_LANGUAGE="kk"
    )

    html = response.content.decode()
    assert response.status_code == 200
    for text in (form.summary_kk, form.description_kk, form.audiences_kk, form.goals_kk):
        assert text in html
    assert split_steps(form.preparation_kk)[0] in html
    assert split_steps(form.conduct_kk)[-1] in html
    assert "1–2 сағат" in html
    assert "Кітап көрмесі" in html  # a related form, named in Kazakh
    assert "Вместе с книгой открываем мир" in html  # the scenarios, whatever their language


def test_a_form_card_falls_back_to_russian_where_a_text_is_missing(client_for, methodist, catalogue):
    form = FormOfWork.objects.get(code="quiz")

    response = client_for(methodist).get(
        reverse("events:form_detail", args=["quiz"]), HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert escape(form.summary_en) in html
    # No English steps are shipped: the Russian ones are shown rather than nothing.
    assert split_steps(form.preparation_ru)[0] in html


def test_a_scenario_downloads_as_a_text_file(client_for, methodist, catalogue):
    scenario = FormScenario.objects.get(form__code="bibliodesant", language="ru")

    response = client_for(methodist).get(reverse("events:form_scenario", args=["bibliodesant", scenario.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Вместе с книгой открываем мир" in response.content.decode()


def test_a_scenario_of_another_form_is_not_found(client_for, methodist, catalogue):
    scenario = FormScenario.objects.get(form__code="bibliodesant", language="ru")

    response = client_for(methodist).get(reverse("events:form_scenario", args=["quiz", scenario.pk]))

    assert response.status_code == 404


def test_an_unknown_form_is_not_found(client_for, methodist, catalogue):
    assert client_for(methodist).get(reverse("events:form_detail", args=["no-such-form"])).status_code == 404


def test_the_catalogue_asks_an_anonymous_visitor_to_sign_in(client, catalogue):
    response = client.get(reverse("events:form_list"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_only_superusers_and_administrators_edit_the_catalogue(admin_user, methodist, librarian):
    from metodist.events.catalogue import can_edit_catalogue

    superuser = UserFactory(username="root", is_superuser=True)
    district_admin = UserFactory(username="district-admin")
    RoleFactory(user=district_admin, unit=methodist.roles.get().unit, kind=RoleKind.ADMINISTRATOR)

    assert can_edit_catalogue(superuser)
    assert can_edit_catalogue(admin_user)
    assert can_edit_catalogue(district_admin)
    assert not can_edit_catalogue(methodist)
    assert not can_edit_catalogue(librarian)
