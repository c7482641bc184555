"""Grammar for generated texts in Russian and Kazakh: dates in words, numerals with nouns, cases, suffixes.

Russian inflection uses pymorphy3 word by word and gives up (returns None) whenever it is unsure, so the
callers can fall back to a construction that needs no inflection. Kazakh suffixes follow the rules of
vowel harmony and of the word's last sound, which are regular enough to be written out here.
"""

import datetime
import re
from functools import lru_cache

# --- Russian ---------------------------------------------------------------------------------------

RU_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

RU_CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct"}

# Places one is "на", not "в": на площади, на стадионе, на сцене.
_RU_NA_PLACES = {
    "площадь",
    "площадка",
    "стадион",
    "сцена",
    "улица",
    "проспект",
    "бульвар",
    "набережная",
    "аллея",
    "территория",
    "поляна",
    "ярмарка",
    "выставка",
    "фестиваль",
    "каток",
    "пляж",
    "двор",
    "веранда",
    "терраса",
}
_RU_VOWELS = set("аеёиоуыэюя")
# Proper-name tags: a surname or first name is never the head of a venue or a form of work.
_PERSONAL_TAGS = {"Surn", "Name", "Patr"}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def ru_date(day: datetime.date) -> str:
    """20 сентября 2013 года."""
    return f"{day.day} {RU_MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def ru_date_span(start: datetime.date, end: datetime.date | None = None) -> str:
    """One day, or "с 23 по 25 августа 2024 года", "с 30 сентября по 2 октября 2024 года"."""
    if end is None or end <= start:
        return ru_date(start)
    if start.year != end.year:
        return f"с {ru_date(start)} по {ru_date(end)}"
    if start.month != end.month:
        return f"с {start.day} {RU_MONTHS_GENITIVE[start.month - 1]} по {ru_date(end)}"
    return f"с {start.day} по {ru_date(end)}"


def ru_plural_category(number: int) -> str:
    """Which form a noun takes after the number: "one" (1, 21), "few" (2-4, 22-24) or "many" (0, 5-20…)."""
    number = abs(number)
    if number % 10 == 1 and number % 100 != 11:
        return "one"
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return "few"
    return "many"


def _best_parse(word: str, *, pos: set[str], case: str = "nomn", exclude: set[str] = frozenset()):
    """The most likely parse of `word` as one of `pos` in `case`, or None."""
    candidates = [
        p
        for p in _morph().parse(word)
        if p.tag.POS in pos and p.tag.case == case and not (_PERSONAL_TAGS | set(exclude)) & p.tag.grammemes
    ]
    return max(candidates, key=lambda p: p.score) if candidates else None


def _restore_case(original: str, inflected: str) -> str:
    if original.isupper() and len(original) > 1:
        return inflected.upper()
    # Hyphenated words keep each part's capital: Восточно-Казахстанская.
    parts = inflected.split("-")
    for i, part in enumerate(original.split("-")[: len(parts)]):
        if part[:1].isupper():
            parts[i] = parts[i][:1].upper() + parts[i][1:]
    return "-".join(parts)


def ru_plural(number: int, noun: str) -> str:
    """The number and its agreeing noun phrase: 36 специалистов, 21 участник, 2 академических часа."""
    return f"{number} {ru_agree_with_number(noun, number)}"


def ru_agree_with_number(phrase: str, number: int) -> str:
    """The noun phrase in the form a number requires; the phrase unchanged when unsure."""
    category = ru_plural_category(number)
    if category == "one":
        return phrase
    words = phrase.split()
    head = words[-1]
    head_parse = _best_parse(head.lower(), pos={"NOUN"})
    if head_parse is None:
        return phrase
    if head_parse.normal_form == "человек" and category == "many":
        noun = "человек"  # "36 человек", not "36 людей"
    else:
        target = {"gent", "sing"} if category == "few" else {"gent", "plur"}
        form = head_parse.inflect(target)
        if form is None:
            return phrase
        noun = form.word
    adjectives = []
    for word in words[:-1]:
        parse = _best_parse(word.lower(), pos={"ADJF", "PRTF"})
        # After 2-4 a feminine noun's adjective may stand in the nominative; the genitive is always right.
        form = parse.inflect({"gent", "plur"}) if parse else None
        if form is None:
            return phrase
        adjectives.append(_restore_case(word, form.word))
    return " ".join([*adjectives, _restore_case(head, noun)])


class RuPhrase:
    """A noun phrase whose head can be put in another case: "ВКО универсальная библиотека имени Абая".

    The inflected part is the head noun with the adjectives before it (and leading abbreviations such as
    "ВКО", which do not change); what follows the head — a genitive complement like "имени Абая" or a name
    in quotes — stays as it is. `RuPhrase.parse()` returns None when the phrase does not look like that.
    """

    def __init__(self, words: list[str], head_index: int, parses: dict, head_parse) -> None:
        self.words = words
        self.head_index = head_index
        self.parses = parses  # index of a word -> its pymorphy parse (adjectives and the head)
        self.head_parse = head_parse

    @classmethod
    def parse(cls, phrase: str) -> "RuPhrase | None":
        words = phrase.split()
        if not words:
            return None
        index = 0
        while index < len(words) and _is_abbreviation(words[index]):
            index += 1
        adjective_indexes = []
        head_index = None
        head_parse = None
        for i in range(index, len(words)):
            word = words[i]
            if not re.fullmatch(r"[А-Яа-яЁё]+(-[А-Яа-яЁё]+)*", word):
                return None
            lower = word.lower()
            is_last = i == len(words) - 1
            adjective = _best_parse(lower, pos={"ADJF", "PRTF"})
            if adjective is not None and not is_last:
                adjective_indexes.append(i)
                continue
            head_candidates = [
                p
                for p in _morph().parse(lower)
                if p.tag.POS == "NOUN" and p.tag.case == "nomn" and not _PERSONAL_TAGS & p.tag.grammemes
            ]
            if not head_candidates:
                return None
            head_index = i
            head_parse = _agreeing_head(head_candidates, [words[j].lower() for j in adjective_indexes])
            break
        if head_index is None or head_parse is None:
            return None
        parses = {head_index: head_parse}
        for j in adjective_indexes:
            parses[j] = _agreeing_adjective(words[j].lower(), head_parse)
        return cls(words, head_index, parses, head_parse)

    @property
    def gender(self) -> str | None:
        """The head's gender (masc, femn, neut), or None for a plural head."""
        if self.head_parse.tag.number == "plur":
            return None
        return self.head_parse.tag.gender

    @property
    def plural(self) -> bool:
        return self.head_parse.tag.number == "plur" or "Pltm" in self.head_parse.tag.grammemes

    @property
    def head_lemma(self) -> str:
        return self.head_parse.normal_form

    def inflect(self, case: str) -> str | None:
        if case not in RU_CASES:
            raise ValueError(case)
        words = list(self.words)
        number = "plur" if self.head_parse.tag.number == "plur" else "sing"
        for i, parse in self.parses.items():
            if "Fixd" in parse.tag.grammemes:
                continue  # бюро, кафе: the same in every case
            if i == self.head_index:
                form = parse.inflect({case})
            elif number == "plur":
                form = parse.inflect({case, "plur"})
            else:
                form = parse.inflect({case, "sing", self.head_parse.tag.gender})
            if form is None:
                return None
            words[i] = _restore_case(self.words[i], form.word)
        return " ".join(words)


def _is_abbreviation(word: str) -> bool:
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _agreeing_head(candidates: list, adjectives: list[str]):
    """The most likely head parse that every adjective before it agrees with, or None."""
    for head in sorted(candidates, key=lambda p: -p.score):
        if all(_agreeing_adjective(adjective, head) is not None for adjective in adjectives):
            return head
    return None


def _agreeing_adjective(word: str, head):
    for parse in _morph().parse(word):
        tag = parse.tag
        if tag.POS not in {"ADJF", "PRTF"} or tag.case != "nomn":
            continue
        if head.tag.number == "plur":
            if tag.number == "plur":
                return parse
        elif tag.number == "sing" and tag.gender == head.tag.gender:
            return parse
    return None


def ru_inflect(phrase: str, case: str) -> str | None:
    """The phrase with its head put in `case`, or None when unsure."""
    parsed = RuPhrase.parse(phrase)
    return parsed.inflect(case) if parsed else None


def ru_place(phrase: str) -> str | None:
    """«в ВКО универсальной библиотеке имени Абая», «на площади Абая», «во Дворце культуры»; or None."""
    parsed = RuPhrase.parse(phrase)
    if parsed is None:
        return None
    inflected = parsed.inflect("loct")
    if inflected is None:
        return None
    preposition = "на" if parsed.head_lemma in _RU_NA_PLACES and parsed.head_index == 0 else "в"
    return f"{_ru_preposition(preposition, inflected)} {inflected}"


def _ru_preposition(preposition: str, following: str) -> str:
    first = following.split()[0]
    if preposition == "в" and not _is_abbreviation(first):
        lower = first.lower()
        # "во" before в/ф followed by a consonant (во Власихинской), and by custom before "двор-" (во Дворце).
        if (len(lower) > 1 and lower[0] in "вф" and lower[1] not in _RU_VOWELS) or lower.startswith("двор"):
            return "во"
    return preposition


def ru_past_passive(phrase: str, verb: str = "проведен") -> str | None:
    """The auxiliary and short participle agreeing with the phrase: был проведен (библиотечный урок)."""
    parsed = RuPhrase.parse(phrase)
    if parsed is None:
        return None
    if parsed.plural:
        return f"были {verb}ы"
    return {"masc": f"был {verb}", "femn": f"была {verb}а", "neut": f"было {verb}о"}.get(parsed.gender)


_FEMININE_PATRONYMIC = re.compile(r"(вна|чна|шна|кызы|қызы)$")
_MASCULINE_PATRONYMIC = re.compile(r"(вич|ьич|ич|улы|ұлы|оглы)$")
_FEMININE_SURNAME = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая|ая)$")
_MASCULINE_SURNAME = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий|ской|ый|ий)$")


def ru_person_gender(full_name: str) -> str | None:
    """The gender (femn or masc) from a patronymic, a Slavic or Kazakh surname or a first name, or None.

    Works with "Мальцева О.", "Ольга Петровна Мальцева", "Серикова Айгуль Ержановна", "Жанар Серікқызы".
    """
    words = [w.strip(".,") for w in full_name.split() if len(w.strip(".,")) > 1]
    for word in words:
        lower = word.lower()
        if _FEMININE_PATRONYMIC.search(lower):
            return "femn"
        if _MASCULINE_PATRONYMIC.search(lower) and len(lower) > 4:
            return "masc"
    for word in words:
        lower = word.lower()
        if len(lower) < 4:
            continue
        if _FEMININE_SURNAME.search(lower):
            return "femn"
        if _MASCULINE_SURNAME.search(lower):
            return "masc"
    genders = set()
    for word in words:
        names = [
            p for p in _morph().parse(word.lower()) if "Name" in p.tag.grammemes and p.tag.case == "nomn"
        ]
        if names and max(names, key=lambda p: p.score).score >= 0.3:
            genders.add(max(names, key=lambda p: p.score).tag.gender)
    return genders.pop() if len(genders) == 1 else None


# --- Kazakh ----------------------------------------------------------------------------------------

KK_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)

_KK_BACK_VOWELS = set("аоұыя")
_KK_FRONT_VOWELS = set("әөүіеэё")
_KK_VOWELS = _KK_BACK_VOWELS | _KK_FRONT_VOWELS | set("иую")
_KK_SPECIFIC = set("әғқңөұүһі")  # letters only Kazakh words have
# б, в, г, д sound voiceless at the end of a word: Ивановтың, клубта.
_KK_VOICELESS = set("кқпстфхцчшщһбвгд")
_KK_NASALS = set("мнң")
_KK_SONORANTS = set("лрйуи")  # у and и at the end of a Kazakh word are semivowels: су → суда, судың
_KK_VOICED = set("зж")

KK_CASES = ("gen", "dat", "acc", "loc", "abl", "ins")


def kk_is_front(word: str) -> bool:
    """Vowel harmony: whether the word's last clear vowel is a front one (ә ө ү і е)."""
    lower = word.lower()
    native = bool(_KK_SPECIFIC & set(lower))
    for i in range(len(lower) - 1, -1, -1):
        letter = lower[i]
        if letter in _KK_FRONT_VOWELS or letter == "и":
            return True  # и of loanwords is front too: методистке, архивке
        if letter in _KK_BACK_VOWELS or letter == "ю":
            return False
        if letter == "у":
            # After a vowel у is a semivowel (тау, кеу); in a native word and at the end of a word it follows
            # the stem (келу → келуге); inside a Russian loanword it is a back vowel (клубқа, институтқа).
            if native or i == len(lower) - 1 or (i > 0 and lower[i - 1] in _KK_VOWELS):
                continue
            return False
    return False


def _kk_last_sound(word: str) -> str:
    """The kind of the last sound: vowel, nasal, sonorant, voiced or voiceless."""
    last = word.lower().rstrip("ьъ")[-1:]
    if not last:
        return "vowel"
    if last in _KK_SONORANTS:
        return "sonorant"
    if last in _KK_VOWELS:
        return "vowel"
    if last in _KK_NASALS:
        return "nasal"
    if last in _KK_VOICED:
        return "voiced"
    return "voiceless"


def kk_suffix(word: str, case: str, *, possessive: bool = False) -> str:
    """The word with a Kazakh case ending: кітапхана → кітапханада, Семей → Семейде, мектеп → мектепте.

    `case`: "gen" (ілік, -ның), "dat" (барыс, -ға), "acc" (табыс, -ды), "loc" (жатыс, -да), "abl"
    (шығыс, -дан), "ins" (көмектес, -мен). `possessive` for a word that already carries the third-person
    possessive ending (кітапханасы, ауданы), which takes the "n" forms: кітапханасында, ауданына.
    """
    if case not in KK_CASES:
        raise ValueError(case)
    front = kk_is_front(word)
    sound = "possessive" if possessive else _kk_last_sound(word)

    def pick(back: str, front_form: str) -> str:
        return word + (front_form if front else back)

    if case == "gen":
        if sound in {"vowel", "nasal", "possessive"}:
            return pick("ның", "нің")
        if sound in {"sonorant", "voiced"}:
            return pick("дың", "дің")
        return pick("тың", "тің")
    if case == "dat":
        if sound == "possessive":
            return pick("на", "не")
        if sound == "voiceless":
            return pick("қа", "ке")
        return pick("ға", "ге")
    if case == "acc":
        if sound == "possessive":
            return word + "н"
        if sound == "vowel":
            return pick("ны", "ні")
        if sound == "voiceless":
            return pick("ты", "ті")
        return pick("ды", "ді")
    if case == "loc":
        if sound == "possessive":
            return pick("нда", "нде")
        if sound == "voiceless":
            return pick("та", "те")
        return pick("да", "де")
    if case == "abl":
        if sound in {"possessive", "nasal"}:
            return pick("нан", "нен")
        if sound == "voiceless":
            return pick("тан", "тен")
        return pick("дан", "ден")
    # Instrumental has no back/front pair: -мен, -бен, -пен.
    if sound == "voiceless":
        return word + "пен"
    if sound == "voiced":
        return word + "бен"
    return word + "мен"


_KK_VOICING = {"п": "б", "қ": "ғ", "к": "г"}


def kk_possessive(word: str) -> str:
    """The third-person possessive: буклет → буклеті, жадынама → жадынамасы, жинақ → жинағы."""
    front = kk_is_front(word)
    if _kk_last_sound(word) == "vowel" and word.lower()[-1] not in "иу":
        return word + ("сі" if front else "сы")
    stem = word
    last = word[-1]
    # Native stems voice their last п/қ/к before a vowel; loanwords written in Russian keep it (буклет).
    if last.lower() in _KK_VOICING and len(word) > 2:
        voiced = _KK_VOICING[last.lower()]
        stem = word[:-1] + (voiced.upper() if last.isupper() else voiced)
    return stem + ("і" if front else "ы")


_KK_POSSESSIVE_END = re.compile(r"(сы|сі|ы|і)$")


def kk_phrase_suffix(phrase: str, case: str) -> str | None:
    """A case ending on the last word of a name: "Мұқыр ауылдық кітапханасы" → "… кітапханасында".

    A name of several words ending in -ы/-і is an izafet (the head carries the possessive ending) and takes
    the "n" forms. None when the last word is not a plain Kazakh word (a quote, a number, Latin letters).
    """
    words = phrase.split()
    if not words or not re.fullmatch(
        r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі-]*[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", words[-1]
    ):
        return None
    if len(words) > 1 and _KK_POSSESSIVE_END.search(words[-1].lower()) and len(words[-1]) > 3:
        possessive = _kk_last_sound(words[-1][:-1]) != "vowel" or words[-1].lower()[-2:] in {"сы", "сі"}
    else:
        possessive = False
    return " ".join([*words[:-1], kk_suffix(words[-1], case, possessive=possessive)])


def kk_date(day: datetime.date, case: str | None = None) -> str:
    """A date in Kazakh: 2013 жылғы 20 қыркүйек; with case="loc" 2013 жылғы 20 қыркүйекте."""
    month = KK_MONTHS[day.month - 1]
    if case:
        month = kk_suffix(month, case)
    return f"{day.year} жылғы {day.day} {month}"


def kk_date_span(start: datetime.date, end: datetime.date | None = None) -> str:
    """When an event took place: "2013 жылғы 20 қыркүйекте", "2024 жылғы 23–25 тамызда",
    "2024 жылғы 30 қыркүйек – 2 қазан аралығында"."""
    if end is None or end <= start:
        return kk_date(start, "loc")
    if start.year != end.year:
        return f"{kk_date(start)} – {kk_date(end)} аралығында"
    if start.month != end.month:
        return f"{kk_date(start)} – {end.day} {KK_MONTHS[end.month - 1]} аралығында"
    return f"{start.year} жылғы {start.day}–{end.day} {kk_suffix(KK_MONTHS[end.month - 1], 'loc')}"


# --- Both ------------------------------------------------------------------------------------------

_OPEN_QUOTES = '«"“„'
_CLOSE_QUOTES = '»"”“'


def _balanced(text: str) -> bool:
    depth = 0
    for letter in text:
        depth += {"«": 1, "»": -1}.get(letter, 0)
        if depth < 0:
            return False
    return depth == 0


def quoted(text: str) -> str:
    """«text» — once, whatever quotes the text came with; quotes inside become „…“ (Russian typography)."""
    text = text.strip()
    if len(text) > 1 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return "«" + text.replace("«", "„").replace("»", "“") + "»"


def sentence(text: str) -> str:
    """A sentence from a field's text: capital letter first, a full stop at the end (unless ?, ! or …)."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def lower_first(text: str) -> str:
    """Lower-case the first letter (Групповая → групповая); abbreviations (ВКО, PR) stay."""
    text = " ".join(text.split())
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def clause(text: str) -> str:
    """Text to go after a colon inside a sentence: lower-case first letter, no final full stop."""
    return lower_first(text).rstrip(" .")


def date_in_words(day: datetime.date, language: str) -> str:
    """A date in words in the document's language: ru "20 сентября 2013 года", kk "2013 жылғы 20 қыркүйек"."""
    if language == "ru":
        return ru_date(day)
    if language == "kk":
        return kk_date(day)
    from babel.dates import format_date

    return format_date(day, format="long", locale=language or "en")


def date_span_in_words(start: datetime.date, end: datetime.date | None, language: str) -> str:
    """One day or a span of days, in the nominative: kk "2024 жылғы 30 қыркүйек – 2 қазан"."""
    if end is None or end <= start:
        return date_in_words(start, language)
    if language == "ru":
        return ru_date_span(start, end)
    if language == "kk":
        if start.year != end.year:
            return f"{kk_date(start)} – {kk_date(end)}"
        if start.month != end.month:
            return f"{kk_date(start)} – {end.day} {KK_MONTHS[end.month - 1]}"
        return f"{start.year} жылғы {start.day}–{end.day} {KK_MONTHS[end.month - 1]}"
    return f"{date_in_words(start, language)} – {date_in_words(end, language)}"
