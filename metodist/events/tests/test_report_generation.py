"""The news report generated from an event's card, in Russian and Kazakh."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from metodist.events.documents import report
from metodist.events.models import Event, EventFamily, EventSection, EventStatus, FormOfWork, Handout
from metodist.network.models import StaffMember

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def library_lesson() -> FormOfWork:
    form, _created = FormOfWork.objects.get_or_create(
        code="library_lesson",
        defaults={
            "name_ru": "Библиотечный урок",
            "name_kk": "Кітапханалық сабақ",
            "family": EventFamily.TRAINING,
        },
    )
    return form


def build_seed_event(net) -> Event:
    """The event of the seed text: the library lesson of 20 September 2013 at the regional library."""
    event = Event.objects.create(
        title="Маркетинг и методическая помощь",
        form=library_lesson(),
        family=EventFamily.TRAINING,
        status=EventStatus.HELD,
        starts_at=at(2013, 9, 20, 10),
        ends_at=at(2013, 9, 20, 13),
        organiser_unit=net.regional,
        venue_unit=net.regional,
        audience="специалисты ВКО универсальной библиотеки имени Абая",
        participants_planned=35,
        participants_actual=36,
        hours=Decimal("3"),
        goal="групповая консультация о методике проведения методической помощи и новых форм массовой работы",
        expected_result="повышение квалификации библиотечных работников",
    )
    EventSection.objects.create(
        event=event,
        order=1,
        speaker="Мальцева О.",
        speaker_position="методист методического отдела библиотеки",
        topic="Определение вопросов методической помощи специалистами библиотеки для сельских библиотек",
        summary="Основные направления методической помощи: оказание методической помощи отделам библиотеки, "
        "библиотекам региона; координация методической деятельности с библиотеками других ведомств.",
    )
    EventSection.objects.create(
        event=event,
        order=2,
        speaker="Адикаева Р.",
        speaker_position="зав. отделом маркетинга и социально-культурных проектов",
        topic="Вопросы маркетинговой деятельности в библиотеке",
    )
    Handout.objects.create(event=event, title="Буклет «Новые формы массовой работы в библиотеках»")
    return event


@pytest.fixture
def seed_event(net):
    return build_seed_event(net)


def make_event(net, **fields) -> Event:
    """A bare event: only what the model requires, so each test adds just the fields it is about."""
    fields.setdefault("title", "Час краеведения")
    fields.setdefault("starts_at", at(2024, 5, 15))
    fields.setdefault("organiser_unit", net.mukur)
    fields.setdefault("venue_unit", net.mukur)
    return Event.objects.create(**fields)


def sentences(text: str) -> list[str]:
    return [s for paragraph in text.split("\n\n") for s in paragraph.split(". ")]


def test_the_seed_event_gives_the_seeds_opening_sentence(seed_event):
    text = report.generate(seed_event, "ru")

    assert (
        "20 сентября 2013 года в ВКО универсальной библиотеке имени Абая был проведен библиотечный урок "
        "для библиотекарей «Маркетинг и методическая помощь»." in text
    )
    assert text.splitlines()[0] == "Маркетинг и методическая помощь: библиотечный урок"


def test_the_seed_events_russian_report_carries_every_fact_of_the_card(seed_event):
    text = report.generate(seed_event, "ru")

    assert "Участники — специалисты ВКО универсальной библиотеки имени Абая." in text
    assert "В мероприятии приняли участие 36 специалистов." in text
    assert (
        "Цель мероприятия: групповая консультация о методике проведения методической помощи и новых форм "
        "массовой работы." in text
    )
    assert "Ожидаемый результат: повышение квалификации библиотечных работников." in text
    assert (
        "С докладом «Определение вопросов методической помощи специалистами библиотеки для сельских "
        "библиотек» выступила методист методического отдела библиотеки Мальцева О." in text
    )
    assert "Основные направления методической помощи:" in text
    assert (
        "Теме «Вопросы маркетинговой деятельности в библиотеке» был посвящен следующий раздел, который "
        "осветила зав. отделом маркетинга и социально-культурных проектов Адикаева Р." in text
    )
    assert (
        "В качестве раздаточного материала был подготовлен буклет "
        "«Новые формы массовой работы в библиотеках»." in text
    )
    assert "О.." not in text and "Р.." not in text


def test_the_seed_events_kazakh_report_has_the_kazakh_date_and_count(seed_event, net):
    net.regional.name_kk = "Абай атындағы ШҚО әмбебап кітапханасы"
    net.regional.save()
    seed_event.refresh_from_db()

    text = report.generate(seed_event, "kk")

    assert text.splitlines()[0] == "Маркетинг и методическая помощь: кітапханалық сабақ"
    assert (
        "2013 жылғы 20 қыркүйекте Абай атындағы ШҚО әмбебап кітапханасында кітапханашыларға арналған "
        "«Маркетинг и методическая помощь» атты кітапханалық сабақ өткізілді." in text
    )
    assert "Іс-шараға 36 маман қатысты." in text
    assert "Іс-шараның мақсаты: групповая консультация" in text
    assert "Күтілетін нәтиже: повышение квалификации библиотечных работников." in text
    assert (
        "Мальцева О. (методист методического отдела библиотеки) «Определение вопросов методической помощи"
        in text
    )
    assert "тақырыбында баяндама жасады" in text
    assert (
        "Келесі бөлімде Адикаева Р. (зав. отделом маркетинга и социально-культурных проектов) "
        "«Вопросы маркетинговой деятельности в библиотеке» тақырыбын баяндады." in text
    )
    assert "Таратпа материал ретінде «Новые формы массовой работы в библиотеках» буклеті дайындалды." in text


def test_a_venue_without_a_kazakh_name_is_named_in_its_own_sentence(seed_event):
    text = report.generate(seed_event, "kk")

    assert "Өткізілген орны: ВКО универсальная библиотека имени Абая." in text
    assert "2013 жылғы 20 қыркүйекте кітапханашыларға арналған" in text


def test_an_empty_goal_leaves_no_goal_sentence(seed_event):
    seed_event.goal = "  "
    seed_event.save()

    assert "Цель" not in report.generate(seed_event, "ru")
    assert "мақсат" not in report.generate(seed_event, "kk")


def test_no_participants_leave_no_count_sentence(net):
    event = make_event(net, participants_actual=0, participants_planned=None, family=EventFamily.TRAINING)

    ru = report.generate(event, "ru")
    kk = report.generate(event, "kk")

    assert "участ" not in ru
    assert " 0 " not in ru
    assert "қатыс" not in kk
    assert " 0 " not in kk


def test_empty_fields_never_show_as_none_zero_or_empty_quotes(net):
    event = make_event(net, title="Час краеведения")
    EventSection.objects.create(event=event, topic="История села Мукур")

    for language in report.LANGUAGES:
        text = report.generate(event, language)
        assert "None" not in text
        assert "«»" not in text
        assert " 0 " not in text
        assert ": ." not in text
        assert "—  " not in text and "  " not in text
    assert "Первый раздел был посвящен теме «История села Мукур»." in report.generate(event, "ru")
    assert "Бағдарламаның бірінші бөлімі «История села Мукур» тақырыбына арналды." in report.generate(
        event, "kk"
    )


def test_only_the_planned_number_is_given_as_expected(net):
    training = make_event(net, participants_planned=22)
    public = make_event(net, participants_planned=5, family=EventFamily.PUBLIC)

    assert "Ожидаемое число участников — 22 человека." in report.generate(training, "ru")
    assert "Іс-шараға 22 маманның қатысуы жоспарланды." in report.generate(training, "kk")
    assert "Ожидаемое число участников — 5 человек." in report.generate(public, "ru")
    assert "Іс-шараға 5 адамның қатысуы жоспарланды." in report.generate(public, "kk")


@pytest.mark.parametrize(
    ("family", "number", "expected"),
    [
        (EventFamily.TRAINING, 21, "В мероприятии принял участие 21 специалист."),
        (EventFamily.TRAINING, 3, "В мероприятии приняли участие 3 специалиста."),
        (EventFamily.TRAINING, 11, "В мероприятии приняли участие 11 специалистов."),
        (EventFamily.PUBLIC, 21, "Мероприятие посетил 21 человек."),
        (EventFamily.PUBLIC, 120, "Мероприятие посетили 120 человек."),
        (EventFamily.OPENING, 44, "Мероприятие посетили 44 человека."),
    ],
)
def test_the_count_agrees_with_the_number(net, family, number, expected):
    event = make_event(net, family=family, participants_actual=number)

    assert expected in report.generate(event, "ru")


def test_kazakh_counts_people_at_public_events(net):
    event = make_event(net, family=EventFamily.PUBLIC, participants_actual=120)

    assert "Іс-шараға 120 адам қатысты." in report.generate(event, "kk")


def test_a_span_of_days_in_one_month(net):
    event = make_event(net, starts_at=at(2024, 8, 23), ends_at=at(2024, 8, 25, 17))

    assert report.generate(event, "ru").split("\n\n")[1].startswith("С 23 по 25 августа 2024 года в ")
    assert report.generate(event, "kk").split("\n\n")[1].startswith("2024 жылғы 23–25 тамызда ")


def test_a_span_of_days_across_months(net):
    event = make_event(net, starts_at=at(2024, 9, 30), ends_at=at(2024, 10, 2, 17))

    assert "С 30 сентября по 2 октября 2024 года" in report.generate(event, "ru")
    assert "2024 жылғы 30 қыркүйек – 2 қазан аралығында" in report.generate(event, "kk")


def test_the_form_of_works_gender_sets_the_verb(net):
    form = FormOfWork.objects.create(code="literary-lounge", name_ru="Литературная гостиная")
    event = make_event(net, form=form, family=EventFamily.PUBLIC, title="Абай и его время")

    assert (
        "15 мая 2024 года в Мукурской сельской библиотеке была проведена литературная гостиная "
        "«Абай и его время»." in report.generate(event, "ru")
    )


def test_a_form_of_work_the_grammar_is_unsure_of_is_named_in_brackets(net):
    form = FormOfWork.objects.create(
        code="book-biennale", name_ru="Книжная бьеналле", name_kk="Кітап биенналесі"
    )
    event = make_event(net, form=form, family=EventFamily.PUBLIC, title="Читаем вместе")

    ru = report.generate(event, "ru")
    assert "было проведено мероприятие «Читаем вместе» (форма работы — книжная бьеналле)." in ru
    assert "«Читаем вместе» атты кітап биенналесі өткізілді." in report.generate(event, "kk")


def test_a_free_text_venue_that_cannot_be_declined_is_named_in_brackets(net):
    event = make_event(net, venue_unit=None, venue_text="ул. Абая, 12", title="Библионочь")

    text = report.generate(event, "ru")
    assert "15 мая 2024 года было проведено мероприятие для библиотекарей «Библионочь»" in text
    assert "(место проведения — ул. Абая, 12)." in text
    assert "Өткізілген орны: ул. Абая, 12." in report.generate(event, "kk")


def test_a_free_text_venue_that_can_be_declined_is_declined(net):
    event = make_event(net, venue_unit=None, venue_text="площадь Абая", family=EventFamily.PUBLIC)

    assert (
        "15 мая 2024 года на площади Абая было проведено мероприятие «Час краеведения»."
        in report.generate(event, "ru")
    )


def test_a_department_as_venue_is_placed_inside_its_library(net):
    event = make_event(net, venue_unit=net.method_dept, organiser_unit=net.regional)

    assert "в методическом отделе ВКО универсальной библиотеки имени Абая было проведено" in report.generate(
        event, "ru"
    )


def test_a_male_speaker_and_a_speaker_of_unknown_gender(net):
    event = make_event(net)
    EventSection.objects.create(event=event, order=1, speaker="Иванов Пётр Сергеевич", topic="Фонд")
    EventSection.objects.create(
        event=event, order=2, speaker="Ким Л.", speaker_position="директор", topic="Кадры"
    )

    text = report.generate(event, "ru")

    assert "С докладом «Фонд» выступил Иванов Пётр Сергеевич." in text
    assert "Теме «Кадры» был посвящен следующий раздел; докладчик — директор Ким Л." in text


def test_the_speakers_unit_is_put_in_the_genitive(net):
    event = make_event(net)
    EventSection.objects.create(
        event=event,
        speaker="Серикова Айгуль",
        speaker_position="Методист",
        speaker_unit="методический отдел",
        topic="Отчёты",
    )

    assert "С докладом «Отчёты» выступила методист методического отдела Серикова Айгуль." in report.generate(
        event, "ru"
    )


def test_a_speakers_unit_named_as_a_proper_name_keeps_its_capitals(net):
    event = make_event(net)
    EventSection.objects.create(
        event=event,
        speaker="Лебедева Оксана Анатольевна",
        speaker_position="заведующая библиотекой",
        speaker_unit="Канонерская сельская библиотека",
        topic="Онлайн-центр",
    )

    assert (
        "выступила заведующая библиотекой Канонерской сельской библиотеки Лебедева Оксана Анатольевна."
        in report.generate(event, "ru")
    )
    assert (
        "Лебедева Оксана Анатольевна (заведующая библиотекой, Канонерская сельская библиотека) "
        "«Онлайн-центр» тақырыбында баяндама жасады." in report.generate(event, "kk")
    )


def test_a_staff_member_as_speaker_brings_name_and_position_from_the_registry(net):
    event = make_event(net)
    staff = StaffMember.objects.create(
        unit=net.mukur, full_name="Серикова Айгуль Ержановна", position="библиотекарь"
    )
    EventSection.objects.create(event=event, speaker_staff=staff, topic="Краеведческий фонд")

    assert (
        "С докладом «Краеведческий фонд» выступила библиотекарь Серикова Айгуль Ержановна."
        in report.generate(event, "ru")
    )
    assert "Серикова Айгуль Ержановна (библиотекарь) «Краеведческий фонд» тақырыбында баяндама жасады." in (
        report.generate(event, "kk")
    )


def test_a_title_with_quotes_inside_gets_low_quotes_inside(net):
    event = make_event(net, title="Выездная консультация «Паспорт библиотеки»")

    assert "«Выездная консультация „Паспорт библиотеки“»" in report.generate(event, "ru")
    assert "«Выездная консультация „Паспорт библиотеки“» іс-шарасы өткізілді" in report.generate(event, "kk")


def test_several_handouts_are_listed(net):
    event = make_event(net)
    Handout.objects.create(event=event, title="Памятка «Как записаться в библиотеку»")
    Handout.objects.create(event=event, title="Список новых книг")

    ru = report.generate(event, "ru")
    kk = report.generate(event, "kk")

    assert (
        "В качестве раздаточного материала были подготовлены: памятка «Как записаться в библиотеку», "
        "«Список новых книг»." in ru
    )
    assert (
        "Таратпа материалдар ретінде «Как записаться в библиотеку» жадынамасы, "
        "«Список новых книг» дайындалды." in kk
    )


def test_a_handout_without_a_kind_is_received_by_the_participants(net):
    event = make_event(net)
    Handout.objects.create(event=event, title="Новые формы массовой работы в библиотеках")

    assert (
        "В качестве раздаточного материала участники получили «Новые формы массовой работы в библиотеках»."
        in report.generate(event, "ru")
    )


def test_outcome_and_partners_close_the_report(net):
    event = make_event(net, outcome="Библиотекари освоили квест.", partners="акимат села")

    text = report.generate(event, "ru")

    assert text.endswith("Итоги мероприятия: библиотекари освоили квест. Партнёры мероприятия: акимат села.")


def test_a_cancelled_event_is_reported_as_cancelled(net):
    event = make_event(net, status=EventStatus.CANCELLED)

    assert "Мероприятие «Час краеведения», запланированное на 15 мая 2024 года, отменено." in report.generate(
        event, "ru"
    )
    assert "2024 жылғы 15 мамырға жоспарланған «Час краеведения» іс-шарасы өткізілмеді." in report.generate(
        event, "kk"
    )


def test_an_unknown_language_is_refused(net):
    with pytest.raises(ValueError):
        report.generate(make_event(net), "en")
