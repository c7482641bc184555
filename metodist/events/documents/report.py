"""The news report of an event in Russian or Kazakh, written from its card in the manner of the seed.

    20 сентября 2013 года в ВКО универсальной библиотеке имени Абая был проведен библиотечный урок для
    библиотекарей «Маркетинг и методическая помощь». …

`generate(event, language)` writes the text; `report_publish` and `report_regenerate` are the services
that store it as the event's published report. The generated text is document content in a fixed
language (Russian or Kazakh, whatever the reader's interface language), so its phrases are written here
rather than taken from the translation catalogues. Every sentence is built only from fields that are
filled in: an empty field leaves its sentence out.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodist.events import selectors
from metodist.events.documents.grammar import (
    RuPhrase,
    clause,
    kk_date,
    kk_date_span,
    kk_phrase_suffix,
    kk_possessive,
    lower_first,
    quoted,
    ru_agree_with_number,
    ru_date,
    ru_date_span,
    ru_inflect,
    ru_past_passive,
    ru_person_gender,
    ru_place,
    ru_plural_category,
    sentence,
)
from metodist.events.models import Event, EventFamily, EventStatus
from metodist.network.models import OrgUnit, UnitKind

LANGUAGES = ("ru", "kk")

# What a handout is, in Russian, and the same word in Kazakh: "буклет «…»" → "«…» буклеті".
HANDOUT_KINDS_KK = {
    "буклет": "буклет",
    "памятка": "жадынама",
    "закладка": "бетбелгі",
    "листовка": "парақша",
    "брошюра": "брошюра",
    "дайджест": "дайджест",
    "сборник": "жинақ",
    "презентация": "презентация",
    "плакат": "плакат",
    "календарь": "күнтізбе",
    "путеводитель": "жолсілтеме",
    "рекомендации": "ұсыныстар",
    "методические рекомендации": "әдістемелік ұсыныстар",
    "список литературы": "әдебиеттер тізімі",
    "рекомендательный список": "ұсынылатын әдебиеттер тізімі",
    "библиографический указатель": "библиографиялық көрсеткіш",
}
_KK_ALREADY_POSSESSIVE = {"әдебиеттер тізімі", "ұсынылатын әдебиеттер тізімі"}
_HANDOUT_TITLE = re.compile(r"^(?P<kind>[^«\"“„]+?)\s*(?P<name>[«\"“„].+[»\"”“])\s*$")


@dataclass
class _Card:
    """What the generators need of an event, read once."""

    event: Event
    start: object
    end: object
    sections: list
    handouts: list

    @classmethod
    def of(cls, event: Event) -> "_Card":
        start = timezone.localtime(event.starts_at).date()
        end = timezone.localtime(event.ends_at).date() if event.ends_at else None
        return cls(
            event=event,
            start=start,
            end=end,
            sections=[
                s
                for s in event.sections.select_related("speaker_staff")
                if s.topic.strip() or s.speaker_name.strip()
            ],
            handouts=[h for h in event.handouts.all() if h.title.strip()],
        )

    @property
    def training(self) -> bool:
        return self.event.family == EventFamily.TRAINING

    @property
    def count(self) -> tuple[int, bool] | None:
        """(number, is_actual): the actual number, or else the planned one; None when neither is known."""
        if self.event.participants_actual:
            return self.event.participants_actual, True
        if self.event.participants_actual is None and self.event.participants_planned:
            return self.event.participants_planned, False
        return None


def generate(event: Event, language: str) -> str:
    """The news report of `event` in `language` ("ru" or "kk"), paragraphs separated by blank lines."""
    card = _Card.of(event)
    if language == "ru":
        paragraphs = _russian(card)
    elif language == "kk":
        paragraphs = _kazakh(card)
    else:
        raise ValueError(language)
    return "\n\n".join(p for p in paragraphs if p)


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def _stop(text: str) -> str:
    """End a sentence with a full stop, unless it already ends with one (as "Мальцева О." does)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_handout(title: str) -> tuple[str, str]:
    """("буклет", "«Новые формы…»") from "Буклет «Новые формы…»"; ("", "«title»") when no kind is named."""
    match = _HANDOUT_TITLE.match(title.strip())
    if match and RuPhrase.parse(match["kind"]) is not None:
        return lower_first(match["kind"]), quoted(match["name"])
    return "", quoted(title)


# --- Russian ---------------------------------------------------------------------------------------


def _russian(card: _Card) -> list[str]:
    event = card.event
    form = event.form.name_ru.strip() if event.form_id else ""
    headline = f"{event.title.strip()}: {lower_first(form)}" if form else event.title.strip()
    if event.status == EventStatus.CANCELLED:
        return [
            headline,
            f"Мероприятие {quoted(event.title)}, запланированное на {ru_date(card.start)}, отменено.",
        ]
    return [
        headline,
        _join(
            _ru_opening(card, form),
            sentence(f"Участники — {clause(event.audience)}") if event.audience.strip() else "",
            _ru_count(card),
            f"Цель мероприятия: {clause(event.goal)}." if event.goal.strip() else "",
        ),
        *(_ru_section(section, index) for index, section in enumerate(card.sections)),
        _ru_handouts(card.handouts),
        _join(
            f"Ожидаемый результат: {clause(event.expected_result)}." if event.expected_result.strip() else "",
            f"Итоги мероприятия: {clause(event.outcome)}." if event.outcome.strip() else "",
            f"Партнёры мероприятия: {clause(event.partners)}." if event.partners.strip() else "",
        ),
    ]


def _ru_venue_phrase(event: Event) -> tuple[str, str | None]:
    """The venue's name and "в …" with it in the prepositional case (None when unsure)."""
    unit = event.venue_unit
    if unit is None:
        name = event.venue_text.strip()
        return name, ru_place(name) if name else None
    name = unit.name_ru.strip()
    if unit.kind == UnitKind.DEPARTMENT:
        # "в методическом отделе ВКО универсальной библиотеки имени Абая"
        parent = OrgUnit.objects.get_parent(unit)
        parent_gent = ru_inflect(parent.name_ru, "gent") if parent else None
        place = ru_place(lower_first(name))
        if parent_gent and place:
            return f"{name}, {parent.name_ru}", f"{place} {parent_gent}"
    return name, ru_place(name)


def _ru_opening(card: _Card, form: str) -> str:
    event = card.event
    venue, place = _ru_venue_phrase(event)
    what = lower_first(form) if form else ""
    verb = ru_past_passive(what) if what else None
    notes = []
    if verb is None:
        if what:
            notes.append(f"форма работы — {what}")
        what, verb = "мероприятие", "было проведено"
    for_whom = " для библиотекарей" if card.training else ""
    if place is None and venue:
        notes.append(f"место проведения — {venue}")
    when = ru_date_span(card.start, card.end)
    text = _join(when, place or "", f"{verb} {what}{for_whom} {quoted(event.title)}")
    if notes:
        text += f" ({'; '.join(notes)})"
    return _capital(text) + "."


def _ru_count(card: _Card) -> str:
    count = card.count
    if count is None:
        return ""
    number, actual = count
    if not actual:
        return f"Ожидаемое число участников — {number} {ru_agree_with_number('человек', number)}."
    one = ru_plural_category(number) == "one"
    if card.training:
        verb = "принял участие" if one else "приняли участие"
        return f"В мероприятии {verb} {number} {ru_agree_with_number('специалист', number)}."
    verb = "посетил" if one else "посетили"
    return f"Мероприятие {verb} {number} {ru_agree_with_number('человек', number)}."


def _position(section) -> str:
    """The speaker's position as typed, or else the one in the staff member's card."""
    if section.speaker_position.strip():
        return section.speaker_position.strip()
    return section.speaker_staff.position.strip() if section.speaker_staff_id else ""


def _ru_who(section) -> str:
    position = lower_first(_position(section))
    unit = section.speaker_unit.strip()
    name = section.speaker_name.strip()
    unit_gent = ru_inflect(unit, "gent") if unit else None
    who = _join(position, unit_gent or "", name)
    if unit and not unit_gent:
        who += f" ({unit})"
    return who


def _ru_section(section, index: int) -> str:
    topic = quoted(section.topic) if section.topic.strip() else ""
    name = section.speaker_name.strip()
    who = _ru_who(section) if name or _position(section) else ""
    gender = ru_person_gender(name) if name else None
    ending = {"femn": "а", "masc": ""}.get(gender)
    if not who:
        text = (
            f"Первый раздел был посвящен теме {topic}."
            if index == 0
            else f"Теме {topic} был посвящен следующий раздел."
        )
    elif not topic:
        text = f"{'С докладом выступил' + ending if ending is not None else 'Докладчик —'} {who}"
    elif index == 0:
        if ending is not None:
            text = f"С докладом {topic} выступил{ending} {who}"
        else:
            text = f"Первый доклад — {topic}, докладчик — {who}"
    elif ending is not None:
        text = f"Теме {topic} был посвящен следующий раздел, который осветил{ending} {who}"
    else:
        text = f"Теме {topic} был посвящен следующий раздел; докладчик — {who}"
    return _join(_stop(text), sentence(section.summary) if section.summary.strip() else "")


def _ru_handouts(handouts: list) -> str:
    if not handouts:
        return ""
    items = [parse_handout(h.title) for h in handouts]
    if len(items) == 1:
        kind, name = items[0]
        verb = ru_past_passive(kind, "подготовлен") if kind else None
        if verb:
            return f"В качестве раздаточного материала {verb} {kind} {name}."
        return f"В качестве раздаточного материала участники получили {name}."
    listed = ", ".join(_join(kind, name) for kind, name in items)
    return f"В качестве раздаточного материала были подготовлены: {listed}."


# --- Kazakh ----------------------------------------------------------------------------------------


def _kazakh(card: _Card) -> list[str]:
    event = card.event
    form = event.form.name_kk.strip() if event.form_id else ""
    headline = f"{event.title.strip()}: {lower_first(form)}" if form else event.title.strip()
    if event.status == EventStatus.CANCELLED:
        return [
            headline,
            f"{kk_date(card.start, 'dat')} жоспарланған {quoted(event.title)} іс-шарасы өткізілмеді.",
        ]
    return [
        headline,
        _join(
            _kk_opening(card, form),
            sentence(f"Қатысушылар — {clause(event.audience)}") if event.audience.strip() else "",
            _kk_count(card),
            f"Іс-шараның мақсаты: {clause(event.goal)}." if event.goal.strip() else "",
        ),
        *(_kk_section(section, index) for index, section in enumerate(card.sections)),
        _kk_handouts(card.handouts),
        _join(
            f"Күтілетін нәтиже: {clause(event.expected_result)}." if event.expected_result.strip() else "",
            f"Іс-шараның қорытындысы: {clause(event.outcome)}." if event.outcome.strip() else "",
            f"Іс-шараның серіктестері: {clause(event.partners)}." if event.partners.strip() else "",
        ),
    ]


def _kk_venue(event: Event) -> tuple[str, str | None]:
    """The venue's name and its locative ("… кітапханасында"); None when there is no Kazakh name."""
    if event.venue_unit_id:
        name_kk = event.venue_unit.name_kk.strip()
        if name_kk:
            return name_kk, kk_phrase_suffix(name_kk, "loc")
        return event.venue_unit.name_ru.strip(), None
    # A free-text place is usually typed in Russian: it is named, not declined.
    return event.venue_text.strip(), None


def _kk_opening(card: _Card, form: str) -> str:
    event = card.event
    venue, place = _kk_venue(event)
    for_whom = "кітапханашыларға арналған " if card.training else ""
    what = f"{quoted(event.title)} атты {lower_first(form)}" if form else f"{quoted(event.title)} іс-шарасы"
    text = _capital(_join(kk_date_span(card.start, card.end), place or "", f"{for_whom}{what} өткізілді."))
    if place is None and venue:
        text += f" Өткізілген орны: {venue}."
    return text


def _kk_count(card: _Card) -> str:
    count = card.count
    if count is None:
        return ""
    number, actual = count
    noun = "маман" if card.training else "адам"
    if actual:
        return f"Іс-шараға {number} {noun} қатысты."
    return f"Іс-шараға {number} {kk_phrase_suffix(noun, 'gen')} қатысуы жоспарланды."


def _kk_who(section) -> str:
    """ "Мальцева О. (методист, методический отдел)": position and unit are usually typed in Russian, so they
    stand beside the name in brackets instead of being declined."""
    name = section.speaker_name.strip()
    details = ", ".join(filter(None, [_position(section), section.speaker_unit.strip()]))
    if name and details:
        return f"{name} ({details})"
    return name or details


def _kk_section(section, index: int) -> str:
    topic = quoted(section.topic) if section.topic.strip() else ""
    who = _kk_who(section)
    if not who:
        text = f"Бағдарламаның {'бірінші' if index == 0 else 'келесі'} бөлімі {topic} тақырыбына арналды."
    elif not topic:
        text = f"{_capital(who)} баяндама жасады."
    elif index == 0:
        text = f"{_capital(who)} {topic} тақырыбында баяндама жасады."
    else:
        text = f"Келесі бөлімде {who} {topic} тақырыбын баяндады."
    return _join(text, sentence(section.summary) if section.summary.strip() else "")


def _kk_handout(title: str) -> str:
    kind, name = parse_handout(title)
    kind_kk = HANDOUT_KINDS_KK.get(kind.lower())
    if not kind_kk:
        return name
    if kind_kk in _KK_ALREADY_POSSESSIVE:
        return f"{name} {kind_kk}"
    words = kind_kk.split()
    return " ".join([name, *words[:-1], kk_possessive(words[-1])])


def _kk_handouts(handouts: list) -> str:
    if not handouts:
        return ""
    items = [_kk_handout(h.title) for h in handouts]
    if len(items) == 1:
        return f"Таратпа материал ретінде {items[0]} дайындалды."
    return f"Таратпа материалдар ретінде {', '.join(items)} дайындалды."


# --- Services: the published report ----------------------------------------------------------------


def _require_manage(user, event: Event) -> None:
    if not selectors.can_manage(user, event):
        raise PermissionDenied(_("You have no right to change this event."))


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose Russian or Kazakh.")})


def report_is_hand_edited(event: Event, language: str) -> bool:
    """Whether the published report differs from the generated text it was last made from."""
    published = getattr(event, f"report_{language}")
    return bool(published.strip()) and published != getattr(event, f"report_{language}_generated")


@transaction.atomic
def report_publish(*, user, event: Event, language: str, text: str) -> Event:
    """Store `text` (generated, or edited by hand) as the published report in `language`.

    The text generated from the card now is remembered beside it, so a later regeneration can tell
    whether the published report was edited by hand.
    """
    _require_manage(user, event)
    _check_language(language)
    text = text.replace("\r\n", "\n").strip()
    setattr(event, f"report_{language}", text)
    setattr(event, f"report_{language}_generated", generate(event, language))
    event.save(update_fields=[f"report_{language}", f"report_{language}_generated", "updated_at"])
    return event


@transaction.atomic
def report_regenerate(*, user, event: Event, language: str, confirm: bool = False) -> Event:
    """Replace the published report with a freshly generated one.

    A published report edited by hand is replaced only with `confirm=True`; otherwise ValidationError
    (code "hand_edited") so the caller can show the difference and ask.
    """
    _require_manage(user, event)
    _check_language(language)
    if report_is_hand_edited(event, language) and not confirm:
        raise ValidationError(
            _("The published report was edited by hand. Confirm to replace it with the generated text."),
            code="hand_edited",
        )
    text = generate(event, language)
    setattr(event, f"report_{language}", text)
    setattr(event, f"report_{language}_generated", text)
    event.save(update_fields=[f"report_{language}", f"report_{language}_generated", "updated_at"])
    return event
