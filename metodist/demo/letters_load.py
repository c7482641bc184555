"""Writes the demo correspondence log (see `letters_data.py`): a year of daily traffic between the
methodological department and the four online centres, and a few outside organisations.

`plan(today)` places the data in time without touching the database. The year starts on the first day of
the month eleven months before the anchor month (`events_load.anchor_month`, as for the other demo data) and
ends today. Each week draws its reports and questions from its own generator (`random.Random` seeded with
the week's Monday), so a week's letters are the same whatever day the demo is loaded. A thread (a letter
and the replies that follow it) is written up to today: a reply not yet due by today is left out, so its
letter waits. Each month two letters are answered only on the first day of the next month — they are the
two overdue letters of the current month — and two wait all month for answers due in the next.

A letter is looked up by its date, direction, subject and counterpart; only what is missing is added. A
later run adds the replies whose day has come and closes their letters, unless someone has already
answered or closed the letter in the meantime. Units the demo network lacks are skipped.
"""

import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from metodist.assistance.models import Letter, LetterChannel, LetterDirection, LetterFile
from metodist.demo import letters_data as data
from metodist.demo.events_load import anchor_month
from metodist.network.models import OrgUnit

IN, OUT = LetterDirection.INCOMING, LetterDirection.OUTGOING
CENTRES = tuple(data.ONLINE_CENTRES)
KAZAKH_CENTRES = {code for code, (share, _people) in data.ONLINE_CENTRES.items() if share >= 0.5}


@dataclass
class Entry:
    date: date
    direction: str
    channel: str
    subject: str
    summary: str = ""
    number: str = ""
    reply_due: date | None = None
    document: str = ""  # a key of `data.DOCUMENTS` or "seminar:<n>": the attachment


@dataclass
class Thread:
    """A letter and the replies that follow it, each answering the one before."""

    counterpart: str  # an online centre's code, or "" for an outside organisation
    outside: str = ""
    entries: list[Entry] = field(default_factory=list)


# --- the calendar ---------------------------------------------------------------------------------------


def month_start(anchor: date, offset: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def workday(day: date) -> date:
    """A letter dated on a weekend is dated on the Friday before."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def next_workday(day: date) -> date:
    """A reply that would fall on a weekend is dated on the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _holiday_week(monday: date) -> bool:
    """New Year and Nauryz: the centres are closed and send no weekly report."""
    days = {monday + timedelta(days=n) for n in range(7)}
    return any((d.month, d.day) in {(1, 1), (1, 2), (3, 21), (3, 22)} for d in days)


def _mondays(start: date, end: date) -> list[date]:
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _kazakh(code: str, rng: random.Random) -> bool:
    return rng.random() < data.ONLINE_CENTRES[code][0]


def _answer_subject(subject: str, kazakh: bool) -> str:
    return f"{'Жауап' if kazakh else 'Ответ'}: {subject}"


# --- the plan -------------------------------------------------------------------------------------------


def _weekly_report(code: str, monday: date) -> Thread:
    """The report of the week before `monday` (or, from a centre reporting on Fridays, of its own week)."""
    rng = random.Random(f"letters:report:{code}:{monday.isoformat()}")
    people = data.ONLINE_CENTRES[code][1]
    visitors = round(people / 60 * rng.uniform(0.7, 1.3)) + rng.randint(4, 12)
    services = round(visitors * rng.uniform(0.35, 0.55))
    advice = round(visitors * rng.uniform(0.2, 0.35))
    trained = rng.randint(0, 6)
    on_friday = code in data.FRIDAY_REPORTS
    first = monday if on_friday else monday - timedelta(days=7)
    period = f"{first:%d.%m}–{first + timedelta(days=4 if on_friday else 6):%d.%m.%Y}"
    if _kazakh(code, rng):
        subject = f"Онлайн-орталықтың апталық есебі ({period})"
        summary = (
            f"Келушілер саны: {visitors}; мемлекеттік қызметтер: {services}; eGov порталы бойынша кеңестер: "
            f"{advice}; цифрлық сауаттылыққа оқытылғандар: {trained}."
        )
    else:
        subject = f"Еженедельный отчёт онлайн-центра за {period}"
        summary = (
            f"Посетителей: {visitors}; государственных услуг: {services}; консультаций по порталу egov.kz: "
            f"{advice}; обучено цифровой грамотности: {trained}."
        )
    channel = LetterChannel.SYSTEM if rng.random() < 0.25 else LetterChannel.EMAIL
    due_day = monday + timedelta(days=4) if on_friday else monday
    roll = rng.random()
    if roll < 0.94:
        # Most on the day; some a day off it (a Friday report on Thursday, a Monday one on Tuesday).
        arrival = due_day if roll < 0.66 else due_day + timedelta(days=-1 if on_friday else 1)
        return Thread(code, entries=[Entry(arrival, IN, channel, subject, summary)])
    # Late: a reminder the next working day, the report the day after in reply to it.
    reminded = next_workday(due_day + timedelta(days=1))
    asked_by = next_workday(reminded + timedelta(days=1))
    reminder = Entry(
        reminded,
        OUT,
        LetterChannel.MESSENGER,
        "Напоминание о еженедельном отчёте",
        f"Отчёт онлайн-центра за {period} не поступил; просим направить его до {asked_by:%d.%m}.",
        reply_due=asked_by,
    )
    return Thread(code, entries=[reminder, Entry(asked_by, IN, channel, subject, summary)])


def _question_thread(code: str, question: data.Question, day: date, rng: random.Random) -> list[Thread]:
    kazakh = question.language == "kk"
    if question.kind == "equipment":
        channel = rng.choice((LetterChannel.PHONE, LetterChannel.MESSENGER))
        due_days, lag = 1, rng.randint(0, 1)
    elif question.kind == "help":
        channel = LetterChannel.EMAIL
        due_days, lag = 7, rng.randint(1, 6)
    else:
        channel = rng.choice((LetterChannel.EMAIL, LetterChannel.PHONE, LetterChannel.MESSENGER))
        due_days, lag = 3, rng.randint(0, 2)
    answer_channel = LetterChannel.EMAIL if question.document else channel
    threads = [
        Thread(
            code,
            entries=[
                Entry(
                    day,
                    IN,
                    channel,
                    question.subject,
                    question.summary,
                    reply_due=next_workday(day + timedelta(days=due_days)),
                ),
                Entry(
                    next_workday(day + timedelta(days=lag)),
                    OUT,
                    answer_channel,
                    _answer_subject(question.subject, kazakh),
                    question.answer,
                    document=question.document,
                ),
            ],
        )
    ]
    if question.telecom:
        number = rng.randint(120, 480)
        village = data.VILLAGE_RU[code]
        threads.append(
            Thread(
                "",
                data.TELECOM,
                [
                    Entry(
                        day,
                        OUT,
                        LetterChannel.LETTER,
                        f"О восстановлении доступа к сети Интернет в онлайн-центре с. {village}",
                        f"Просим восстановить доступ к сети Интернет в онлайн-центре сельской библиотеки "
                        f"с. {village}: связь отсутствует с утра, модем не видит линию.",
                        number=f"исх. № 04-15/{number}",
                        reply_due=next_workday(day + timedelta(days=2)),
                    ),
                    Entry(
                        next_workday(day + timedelta(days=1)),
                        IN,
                        LetterChannel.EMAIL,
                        f"О восстановлении связи в с. {village}",
                        "Повреждение кабеля на участке устранено, доступ к сети Интернет восстановлен.",
                    ),
                ],
            )
        )
    return threads


def _weekly_questions(monday: date) -> list[Thread]:
    rng = random.Random(f"letters:questions:{monday.isoformat()}")
    threads = []
    for _ in range(rng.choices((0, 1, 2), (6, 4, 1))[0]):
        code = rng.choice(CENTRES)
        question = rng.choice(data.QUESTIONS)
        while question.language == "kk" and code not in KAZAKH_CENTRES:
            question = rng.choice(data.QUESTIONS)
        day = monday + timedelta(days=rng.choice((1, 2, 2, 3, 3)))  # mostly midweek, between the reports
        threads += _question_thread(code, question, day, rng)
    return threads


def _fill(text: str, code: str) -> str:
    return text.replace("{akimat}", data.AKIMAT[code]).replace("{centre}", code)


def _formal(formal: data.Formal, code: str, day: date, due: date, answered: date, number: int) -> Thread:
    counterpart = _fill(formal.counterpart, code)
    outside = _fill(formal.outside, code)
    channel = LetterChannel.EMAIL if counterpart else LetterChannel.LETTER
    summary = formal.summary
    if counterpart == "" and code:
        summary = f"{summary} Онлайн-центр с. {data.VILLAGE_RU[code]}."
    incoming_number = f"№ {number % 40 + 1:02d}-{day.month:02d}/{number}" if not counterpart else ""
    outgoing_number = f"исх. № 04-15/{number + 7}" if not counterpart else ""
    return Thread(
        counterpart,
        outside,
        [
            Entry(day, IN, channel, formal.subject, summary, number=incoming_number, reply_due=due),
            Entry(
                answered,
                OUT,
                channel,
                _answer_subject(formal.subject, False),
                formal.answer,
                number=outgoing_number,
                document=formal.document,
            ),
        ],
    )


def _monthly(month: date) -> list[Thread]:
    """The month's two late answers and its two long waits (see the module docstring)."""
    rng = random.Random(f"letters:month:{month.isoformat()}")
    # The rotation follows the calendar, so a month's letters do not change when the year moves on.
    index = month.year * 12 + month.month - 1
    following = month_start(month, 1)
    late = data.LATE[index % len(data.LATE)]
    code = CENTRES[index % len(CENTRES)]
    threads = [
        _formal(
            late,
            code,
            workday(month - timedelta(days=18)),
            month - timedelta(days=5),
            following,
            rng.randint(100, 900),
        )
    ]
    document = data.LATE_HELP[index % len(data.LATE_HELP)]
    question = next(q for q in data.QUESTIONS if q.document == document)
    helped = CENTRES[(index + 1) % len(CENTRES)]
    day = workday(month - timedelta(days=12))
    threads.append(
        Thread(
            helped,
            entries=[
                Entry(
                    day,
                    IN,
                    LetterChannel.EMAIL,
                    question.subject,
                    question.summary,
                    reply_due=month - timedelta(days=2),
                ),
                Entry(
                    following,
                    OUT,
                    LetterChannel.EMAIL,
                    _answer_subject(question.subject, question.language == "kk"),
                    question.answer,
                    document=question.document,
                ),
            ],
        )
    )
    # Two letters wait all month for answers due in the next one.
    for offset, (sent, answered) in enumerate(((4, 3), (9, 6))):
        threads.append(
            _formal(
                data.LONG[(index + offset) % len(data.LONG)],
                CENTRES[(index + 2 + offset) % len(CENTRES)],
                workday(month - timedelta(days=sent)),
                month + timedelta(days=38),
                next_workday(following + timedelta(days=answered)),
                rng.randint(100, 900),
            )
        )
    return threads


def _seminar(seminar: data.Seminar, number: int, start: date) -> list[Thread]:
    """The invitations to a seminar in the one occurrence of its calendar month in the demo year."""
    year = start.year if seminar.month >= start.month else start.year + 1
    day = workday(date(year, seminar.month, seminar.day))
    held = day + timedelta(days=14)
    due = day + timedelta(days=7)
    rng = random.Random(f"letters:seminar:{day.isoformat()}")
    threads = []
    for code in CENTRES:
        invitation = Entry(
            day,
            OUT,
            LetterChannel.EMAIL,
            f"Приглашение: {seminar.title}",
            f"Приглашаем оператора онлайн-центра принять участие: {held:%d.%m.%Y}, 10:00, методический "
            "отдел ВКО универсальной библиотеки имени Абая (г. Семей). "
            f"Просим подтвердить участие до {due:%d.%m}.",
            reply_due=due,
            document=f"seminar:{number}",
        )
        answered = next_workday(day + timedelta(days=rng.randint(1, 5)))
        if _kazakh(code, rng):
            reply = Entry(
                answered,
                IN,
                LetterChannel.MESSENGER,
                "Семинарға қатысуды растаймыз",
                "Онлайн-орталықтың операторы семинарға қатысады.",
            )
        else:
            reply = Entry(
                answered,
                IN,
                rng.choice((LetterChannel.EMAIL, LetterChannel.MESSENGER)),
                "Подтверждение участия в семинаре",
                "Оператор онлайн-центра примет участие в семинаре.",
            )
        threads.append(Thread(code, entries=[invitation, reply]))
    return threads


def plan(today: date) -> list[Thread]:
    """Every thread of the demo year up to `today` (later replies included: the loader leaves them out)."""
    anchor = anchor_month(today)
    start = month_start(anchor, -data.HISTORY_MONTHS)
    threads: list[Thread] = []
    for monday in _mondays(start, today):
        if not _holiday_week(monday):
            threads += [_weekly_report(code, monday) for code in CENTRES]
        threads += _weekly_questions(monday)
    for offset in range(data.HISTORY_MONTHS + 1):
        threads += _monthly(month_start(start, offset))
    for number, seminar in enumerate(data.SEMINARS):
        threads += _seminar(seminar, number, start)
    return [t for t in threads if t.entries[0].date <= today]


# --- attachments ----------------------------------------------------------------------------------------


def _document(key: str) -> data.Document:
    if key.startswith("seminar:"):
        seminar = data.SEMINARS[int(key.split(":")[1])]
        lines = (
            *(f"{10 + n}:00 — {section}" for n, section in enumerate(seminar.sections)),
            "13:00 — Подведение итогов, вручение сертификатов участникам.",
        )
        return data.Document(f"Программа: {seminar.title}", f"programma-seminara-{key[8:]}.docx", lines)
    return data.DOCUMENTS[key]


def _docx(document: data.Document) -> bytes:
    from docx import Document as Docx

    docx = Docx()
    docx.add_paragraph("ВКО универсальная библиотека имени Абая · Методический отдел")
    docx.add_heading(document.title, level=1)
    for text in document.paragraphs:
        docx.add_paragraph(text)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


class _Attachments:
    """One stored file per document: attachments of the same document share it."""

    def __init__(self, owner: OrgUnit):
        self.owner = owner
        self.names: dict[str, str] = {}

    def attach(self, letter: Letter, key: str) -> None:
        document = _document(key)
        name = self.names.get(key) or (
            LetterFile.objects.filter(letter__owner_unit=self.owner, caption=document.title)
            .values_list("file", flat=True)
            .first()
        )
        attachment = LetterFile(letter=letter, caption=document.title)
        if name:
            attachment.file.name = name
            attachment.save()
        else:
            attachment.file.save(document.filename, ContentFile(_docx(document)), save=True)
        self.names[key] = attachment.file.name


# --- writing --------------------------------------------------------------------------------------------


def _key(day: date, direction: str, subject: str, unit_id: int | None, name: str) -> tuple:
    return (day, direction, subject, unit_id, name)


def _closed_at(day: date) -> datetime:
    moment = datetime.combine(day, time(16, 0), tzinfo=timezone.get_default_timezone())
    return min(moment, timezone.now())


def load_letters(*, today: date | None = None) -> Counter:
    """Add the missing demo letters (and replies whose day has come); answers how many were created."""
    created: Counter = Counter()
    today = today or timezone.localdate()
    owner = OrgUnit.objects.filter(code=data.OWNER_UNIT).first()
    handler = get_user_model().objects.filter(username=data.HANDLER_USERNAME).first()
    if owner is None or handler is None:
        return created
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=CENTRES)}
    existing = {
        _key(x.date, x.direction, x.subject, x.counterpart_unit_id, x.counterpart_name): x
        for x in Letter.objects.filter(owner_unit=owner)
    }
    answered = set(
        Letter.objects.filter(owner_unit=owner, in_reply_to__isnull=False).values_list(
            "in_reply_to", flat=True
        )
    )
    attachments = _Attachments(owner)
    for thread in plan(today):
        unit = units.get(thread.counterpart) if thread.counterpart else None
        if thread.counterpart and unit is None:
            continue
        previous: Letter | None = None
        for entry in thread.entries:
            if entry.date > today:
                break
            key = _key(entry.date, entry.direction, entry.subject, unit.pk if unit else None, thread.outside)
            letter = existing.get(key)
            if letter is None:
                # Someone answered or closed the letter already: the demo's reply is not needed.
                if previous is not None and (previous.closed_at or previous.pk in answered):
                    break
                letter = Letter(
                    owner_unit=owner,
                    handled_by=handler,
                    created_by=handler,
                    direction=entry.direction,
                    date=entry.date,
                    number=entry.number,
                    counterpart_unit=unit,
                    counterpart_name=thread.outside,
                    channel=entry.channel,
                    subject=entry.subject,
                    summary=entry.summary,
                    reply_due=entry.reply_due,
                    in_reply_to=previous,
                )
                letter._history_user = handler  # the history shows who recorded it
                letter.save()
                existing[key] = letter
                created["letters"] += 1
                if entry.document:
                    attachments.attach(letter, entry.document)
                    created["letter_files"] += 1
                if previous is not None:
                    answered.add(previous.pk)
                    if previous.closed_at is None:
                        previous.closed_at = _closed_at(entry.date)
                        previous._history_user = handler
                        previous.save(update_fields=["closed_at", "updated_at"])
            previous = letter
    return created
