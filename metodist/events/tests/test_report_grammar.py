"""Grammar of generated texts: dates in words, numerals with nouns, Russian cases, Kazakh suffixes."""

import datetime

import pytest

from metodist.events.documents.grammar import (
    clause,
    date_span_in_words,
    kk_date,
    kk_date_span,
    kk_phrase_suffix,
    kk_possessive,
    kk_suffix,
    quoted,
    ru_date,
    ru_date_span,
    ru_inflect,
    ru_past_passive,
    ru_person_gender,
    ru_place,
    ru_plural,
    sentence,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2013, 9, 20), "20 сентября 2013 года"),
        (D(2024, 1, 1), "1 января 2024 года"),
        (D(2024, 3, 8), "8 марта 2024 года"),
        (D(2024, 5, 31), "31 мая 2024 года"),
        (D(2025, 12, 31), "31 декабря 2025 года"),
    ],
)
def test_russian_dates_are_in_words_with_the_month_in_the_genitive(day, expected):
    assert ru_date(day) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2024, 8, 23), D(2024, 8, 25), "с 23 по 25 августа 2024 года"),
        (D(2024, 9, 30), D(2024, 10, 2), "с 30 сентября по 2 октября 2024 года"),
        (D(2024, 12, 30), D(2025, 1, 2), "с 30 декабря 2024 года по 2 января 2025 года"),
        (D(2013, 9, 20), D(2013, 9, 20), "20 сентября 2013 года"),
        (D(2013, 9, 20), None, "20 сентября 2013 года"),
    ],
)
def test_a_russian_span_of_days_names_the_month_and_year_once_when_shared(start, end, expected):
    assert ru_date_span(start, end) == expected


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [
        (1, "специалист", "1 специалист"),
        (21, "участник", "21 участник"),
        (2, "участник", "2 участника"),
        (4, "специалист", "4 специалиста"),
        (5, "специалист", "5 специалистов"),
        (11, "участник", "11 участников"),
        (12, "специалист", "12 специалистов"),
        (14, "участник", "14 участников"),
        (22, "специалист", "22 специалиста"),
        (36, "специалист", "36 специалистов"),
        (101, "участник", "101 участник"),
        (111, "участник", "111 участников"),
        (36, "человек", "36 человек"),
        (3, "человек", "3 человека"),
        (2, "академический час", "2 академических часа"),
        (8, "академический час", "8 академических часов"),
        (21, "академический час", "21 академический час"),
    ],
)
def test_numerals_agree_with_nouns(number, noun, expected):
    assert ru_plural(number, noun) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ВКО универсальная библиотека имени Абая", "в ВКО универсальной библиотеке имени Абая"),
        ("Мукурская сельская библиотека", "в Мукурской сельской библиотеке"),
        ("Онлайн-центр села Бескарагай", "в Онлайн-центре села Бескарагай"),
        ("Дом культуры", "в Доме культуры"),
        ("актовый зал школы № 5", "в актовом зале школы № 5"),
        ("площадь Абая", "на площади Абая"),
        ("Восточно-Казахстанская областная библиотека", "в Восточно-Казахстанской областной библиотеке"),
        ("Центральная районная библиотека им. Абая", "в Центральной районной библиотеке им. Абая"),
        ("библиотека «Радуга»", "в библиотеке «Радуга»"),
        ("Дворец школьников", "во Дворце школьников"),
        ("Власихинская библиотека", "во Власихинской библиотеке"),
    ],
)
def test_a_venue_is_put_in_the_prepositional_case_up_to_its_genitive_complement(phrase, expected):
    assert ru_place(phrase) == expected


@pytest.mark.parametrize("phrase", ["ул. Абая, 12", "«Радуга»", "книжная бьеналле", "", "Семей"])
def test_a_phrase_the_grammar_is_unsure_of_is_not_inflected(phrase):
    assert ru_place(phrase) is None


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("методический отдел", "gent", "методического отдела"),
        ("специалисты районных библиотек", "gent", "специалистов районных библиотек"),
        ("библиотечный урок", "loct", "библиотечном уроке"),
        ("литературная гостиная", "loct", "литературной гостиной"),
        ("бюро литературных новинок", "loct", "бюро литературных новинок"),
        ("сельские библиотекари", "datv", "сельским библиотекарям"),
    ],
)
def test_noun_phrases_are_inflected_word_by_word(phrase, case, expected):
    assert ru_inflect(phrase, case) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("библиотечный урок", "был проведен"),
        ("литературная гостиная", "была проведена"),
        ("бюро литературных новинок", "было проведено"),
        ("литературные чтения", "были проведены"),
    ],
)
def test_the_past_participle_agrees_with_the_form_of_work(phrase, expected):
    assert ru_past_passive(phrase) == expected


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Мальцева О.", "femn"),
        ("Адикаева Р.", "femn"),
        ("Ольга Петровна Мальцева", "femn"),
        ("Серикова Айгуль Ержановна", "femn"),
        ("Жанар Серікқызы", "femn"),
        ("Иванов П. С.", "masc"),
        ("Нұрлан Асқарұлы", "masc"),
        ("Сергей Викторович Ким", "masc"),
        ("Ольга", "femn"),
        ("Ким Л.", None),
        ("Смит Дж.", None),
    ],
)
def test_the_speakers_gender_comes_from_the_patronymic_surname_or_first_name(name, gender):
    assert ru_person_gender(name) == gender


@pytest.mark.parametrize(
    ("word", "case", "expected"),
    [
        ("кітапхана", "loc", "кітапханада"),
        ("Семей", "loc", "Семейде"),
        ("Мұқыр", "loc", "Мұқырда"),
        ("мектеп", "loc", "мектепте"),
        ("Алматы", "loc", "Алматыда"),
        ("қыркүйек", "loc", "қыркүйекте"),
        ("тамыз", "loc", "тамызда"),
        ("кітапхана", "gen", "кітапхананың"),
        ("Қазақстан", "gen", "Қазақстанның"),
        ("Абай", "gen", "Абайдың"),
        ("ел", "gen", "елдің"),
        ("кітап", "gen", "кітаптың"),
        ("мектеп", "gen", "мектептің"),
        ("су", "gen", "судың"),
        ("кітапхана", "dat", "кітапханаға"),
        ("мектеп", "dat", "мектепке"),
        ("сабақ", "dat", "сабаққа"),
        ("Семей", "dat", "Семейге"),
        ("методист", "dat", "методистке"),
        ("клуб", "dat", "клубқа"),
        ("келу", "dat", "келуге"),
        ("бала", "acc", "баланы"),
        ("кітап", "acc", "кітапты"),
        ("ауыл", "acc", "ауылды"),
        ("үй", "acc", "үйді"),
        ("қала", "abl", "қаладан"),
        ("мектеп", "abl", "мектептен"),
        ("Қазақстан", "abl", "Қазақстаннан"),
        ("бала", "ins", "баламен"),
        ("кітап", "ins", "кітаппен"),
        ("көз", "ins", "көзбен"),
    ],
)
def test_kazakh_case_suffixes_follow_vowel_harmony_and_the_last_sound(word, case, expected):
    assert kk_suffix(word, case) == expected


@pytest.mark.parametrize(
    ("word", "case", "expected"),
    [
        ("кітапханасы", "loc", "кітапханасында"),
        ("ауданы", "dat", "ауданына"),
        ("орталығы", "abl", "орталығынан"),
        ("кітапханасы", "acc", "кітапханасын"),
        ("облысы", "gen", "облысының"),
    ],
)
def test_a_word_with_the_possessive_ending_takes_the_n_forms(word, case, expected):
    assert kk_suffix(word, case, possessive=True) == expected


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("Мұқыр ауылдық кітапханасы", "loc", "Мұқыр ауылдық кітапханасында"),
        ("Абай атындағы ШҚО әмбебап кітапханасы", "loc", "Абай атындағы ШҚО әмбебап кітапханасында"),
        ("Абай ауданы", "dat", "Абай ауданына"),
        ("Семей", "loc", "Семейде"),
        ("кітапханалық сабақ", "dat", "кітапханалық сабаққа"),
    ],
)
def test_kazakh_names_of_several_words_take_the_suffix_on_the_last_word(phrase, case, expected):
    assert kk_phrase_suffix(phrase, case) == expected


def test_a_kazakh_name_ending_in_a_quote_is_not_suffixed():
    assert kk_phrase_suffix("«Болашақ»", "loc") is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("буклет", "буклеті"),
        ("жадынама", "жадынамасы"),
        ("бетбелгі", "бетбелгісі"),
        ("кітап", "кітабы"),
        ("жинақ", "жинағы"),
        ("тізім", "тізімі"),
        ("ұсыныстар", "ұсыныстары"),
    ],
)
def test_the_kazakh_third_person_possessive(word, expected):
    assert kk_possessive(word) == expected


def test_kazakh_dates_put_the_year_first_and_the_month_in_the_locative_when_asked():
    assert kk_date(D(2013, 9, 20)) == "2013 жылғы 20 қыркүйек"
    assert kk_date(D(2013, 9, 20), "loc") == "2013 жылғы 20 қыркүйекте"
    assert kk_date(D(2024, 1, 5), "loc") == "2024 жылғы 5 қаңтарда"
    assert kk_date(D(2024, 6, 1), "loc") == "2024 жылғы 1 маусымда"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2013, 9, 20), None, "2013 жылғы 20 қыркүйекте"),
        (D(2024, 8, 23), D(2024, 8, 25), "2024 жылғы 23–25 тамызда"),
        (D(2024, 9, 30), D(2024, 10, 2), "2024 жылғы 30 қыркүйек – 2 қазан аралығында"),
        (D(2024, 12, 30), D(2025, 1, 2), "2024 жылғы 30 желтоқсан – 2025 жылғы 2 қаңтар аралығында"),
    ],
)
def test_kazakh_spans_of_days(start, end, expected):
    assert kk_date_span(start, end) == expected


def test_dates_for_documents_follow_the_language():
    day = D(2013, 9, 20)
    assert date_span_in_words(day, None, "ru") == "20 сентября 2013 года"
    assert date_span_in_words(day, None, "kk") == "2013 жылғы 20 қыркүйек"
    assert date_span_in_words(day, None, "en") == "September 20, 2013"
    assert date_span_in_words(D(2024, 8, 23), D(2024, 8, 25), "kk") == "2024 жылғы 23–25 тамыз"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Маркетинг", "«Маркетинг»"),
        ("«Маркетинг»", "«Маркетинг»"),
        ('"Маркетинг"', "«Маркетинг»"),
        ("  “Маркетинг” ", "«Маркетинг»"),
        ("Выездная консультация «План работы»", "«Выездная консультация „План работы“»"),
        ("«Кітап» — «білім бұлағы»", "«„Кітап“ — „білім бұлағы“»"),
        ("«Кітап — «білім бұлағы»»", "«Кітап — „білім бұлағы“»"),
    ],
)
def test_titles_are_quoted_once_with_inner_quotes_as_low_ones(text, expected):
    assert quoted(text) == expected


def test_field_text_becomes_a_sentence_or_a_clause():
    assert sentence("повышение  квалификации") == "Повышение квалификации."
    assert sentence("Что дальше?") == "Что дальше?"
    assert clause("Групповая консультация.") == "групповая консультация"
    assert clause("ВКО и PR") == "ВКО и PR"
