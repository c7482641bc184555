"""The numbers of the demo's reports: plausible, deterministic, consistent with the forms' rules.

Pure functions, no database. Every figure comes from a `random.Random` seeded by the unit's code and
the period (`"MUK-LIB:2026-03:month"`), so a report's values never depend on what else is generated or
on the day the demo is loaded. A unit's profile (how many readers, how much it lends, its languages)
is seeded by its code alone, so its months, weeks and years tell one story:

- a library's year is the sum of its months: the annual users, visits, loans, events and acquisitions
  of `annual_values` add up the twelve `monthly_values` of the year;
- the collection carries over: the stock at the start of a year is the stock at the end of the last,
  chained from `STOCK_EPOCH`, and the end is start + received − withdrawn, split by language exactly;
- seasons: fewer visits in summer and at New Year, children register and read less in summer,
  readers re-register in January and September;
- online centres: 20–80 visitors a week, quieter in summer and in the New Year and Nauryz weeks.

`plan_report` decides a report's fate from its age (0 = the latest finished period): most old ones
accepted, recent ones submitted or still drafts, a few returned with a comment, some late, about
5–8 % missing in the last three periods.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# Share of Kazakh-language loans and collection by district or city (by the code of the unit under the
# region); the districts' shares follow the Kazakh share of their population.
KAZAKH_SHARE = {"ABY": 0.92, "ABR": 0.92, "BSK": 0.5, "BRD": 0.3, "SEM": 0.55, "KUR": 0.4, "SHU": 0.35}
DEFAULT_KAZAKH_SHARE = 0.5

# fmt: off
# Readers (re-)register mostly in January and at the start of the school year.
REGISTRATION = {1: 0.3, 2: 0.08, 3: 0.07, 4: 0.06, 5: 0.05, 6: 0.05, 7: 0.04, 8: 0.04, 9: 0.12, 10: 0.08,
                11: 0.06, 12: 0.05}
# The share of first-time readers among those registered in a month: January is mostly re-registration,
# September brings the first-graders.
NEW_USERS = {1: 0.12, 2: 0.4, 3: 0.42, 4: 0.45, 5: 0.45, 6: 0.5, 7: 0.5, 8: 0.5, 9: 0.6, 10: 0.45, 11: 0.42,
             12: 0.4}
# Visits and loans through the year: the New Year holidays, the summer dip, the autumn peak.
SEASON = {1: 0.85, 2: 1.0, 3: 1.05, 4: 1.0, 5: 0.95, 6: 0.8, 7: 0.7, 8: 0.75, 9: 1.05, 10: 1.15, 11: 1.15,
          12: 1.0}
# Events: Nauryz in March, Victory Day in May, Knowledge Day in September, Independence Day in December.
EVENT_SEASON = {1: 0.7, 2: 0.9, 3: 1.3, 4: 1.0, 5: 1.2, 6: 0.9, 7: 0.7, 8: 0.7, 9: 1.2, 10: 1.0, 11: 1.0,
                12: 1.4}
# fmt: on
SUMMER = (6, 7, 8)
CHILDREN_IN_SUMMER = 0.55
STOCK_EPOCH = 2018


@dataclass(frozen=True)
class LibraryProfile:
    """What a library is like, seeded by its code; `year_factor` lets it grow or shrink a little."""

    code: str
    users: int  # users of 2025
    visits_per_user: float
    loans_per_user: float
    events: int  # a year
    per_event: int  # people at an event
    children: float  # share of users
    youth: float
    kazakh: float  # share of loans in Kazakh
    other_languages: float
    stock: int  # at the start of STOCK_EPOCH
    received: float  # share of the stock acquired a year
    withdrawn: float  # share of the stock withdrawn a year
    references: float  # a year, per user
    remote: float  # a year, per user; 0 without a website or page
    website: int  # visits a month; 0 without a website or page
    staff: int
    staff_higher: int
    trend: float  # growth a year

    def year_factor(self, year: int) -> float:
        return (1 + self.trend) ** (year - 2025)


_USERS = {
    # library type: (share of the population served, lowest, highest)
    "central_city": (0.25, 1500, 15_000),
    "children": (0.2, 600, 8000),
    "youth": (0.2, 1000, 5000),
    "city_branch": (0.3, 1500, 5000),
    "special": (0.7, 500, 2000),
    "central_district": (0.18, 1500, 3500),
    "village": (0.45, 400, 900),
    "village_branch": (0.5, 150, 450),
}
_EVENTS = {
    "regional": (480, 600, 35, 55),
    "central_city": (150, 220, 20, 35),
    "central_district": (100, 160, 18, 30),
    "children": (80, 140, 15, 30),
    "youth": (80, 120, 15, 30),
    "city_branch": (60, 90, 12, 25),
    "special": (12, 24, 10, 20),
    "village": (40, 70, 12, 25),
    "village_branch": (24, 40, 8, 16),
}
_CITY_TYPES = {"regional", "central_city", "central_district", "children", "youth", "city_branch", "special"}


def library_profile(
    code: str, library_type: str, population: int | None, staff_rate: Decimal | None, kazakh_share: float
) -> LibraryProfile:
    rng = random.Random(f"profile:{code}")
    population = population or 1000
    if library_type == "regional":
        users = rng.randint(26_000, 30_000)
    else:
        share, low, high = _USERS.get(library_type, _USERS["village"])
        if library_type == "central_city" and population < 50_000:
            share = 0.33
        users = max(low, min(high, round(population * share * rng.uniform(0.85, 1.15))))
    events_low, events_high, per_low, per_high = _EVENTS.get(library_type, _EVENTS["village"])
    children, youth = rng.uniform(0.35, 0.45), rng.uniform(0.2, 0.28)
    if library_type == "children":
        children, youth = rng.uniform(0.82, 0.9), rng.uniform(0.06, 0.1)
    elif library_type == "youth":
        children, youth = rng.uniform(0.05, 0.1), rng.uniform(0.65, 0.75)
    elif library_type == "special":
        children, youth = 0.0, rng.uniform(0.2, 0.3)
    elif library_type == "regional":
        children, youth = rng.uniform(0.12, 0.18), rng.uniform(0.3, 0.4)
    online = library_type in _CITY_TYPES or rng.random() < 0.5
    if library_type == "regional":
        stock, website = rng.randint(1_150_000, 1_300_000), rng.randint(8000, 12_000)
    else:
        stock = round(users * rng.uniform(14, 24))
        website = rng.randint(600, 2500) if library_type in _CITY_TYPES else rng.randint(60, 300)
    staff = max(1, round(float(staff_rate or 1)))
    return LibraryProfile(
        code=code,
        users=users,
        visits_per_user=rng.uniform(9, 12) if library_type == "regional" else rng.uniform(7, 11),
        loans_per_user=rng.uniform(18, 26) if library_type == "children" else rng.uniform(15, 23),
        events=rng.randint(events_low, events_high),
        per_event=rng.randint(per_low, per_high),
        children=children,
        youth=youth,
        kazakh=max(0.05, min(0.97, kazakh_share + rng.uniform(-0.06, 0.06))),
        other_languages=rng.uniform(0.005, 0.03),
        stock=stock,
        received=rng.uniform(0.025, 0.045),
        withdrawn=rng.uniform(0.015, 0.03),
        references=rng.uniform(0.3, 0.8) * (3 if library_type == "regional" else 1),
        remote=rng.uniform(0.03, 0.1) if online else 0.0,
        website=website if online else 0,
        staff=staff,
        staff_higher=min(staff, round(staff * rng.uniform(0.3, 0.6))),
        trend=rng.uniform(-0.03, 0.05),
    )


def _split(total: int, shares: list[tuple[str, float]]) -> dict[str, int]:
    """Whole parts of `total` by shares; the last part takes the rest, so they add up exactly."""
    parts, left = {}, total
    for name, share in shares[:-1]:
        part = min(left, max(0, round(total * share)))
        parts[name], left = part, left - part
    parts[shares[-1][0]] = left
    return parts


@lru_cache(maxsize=4096)
def monthly_values(profile: LibraryProfile, year: int, month: int) -> dict[str, int]:
    """The monthly statistics of a library (keys `code` and `code.part`)."""
    rng = random.Random(f"{profile.code}:{year}-{month:02d}:month")
    scale = profile.year_factor(year)
    users = profile.users * scale

    registered = users * REGISTRATION[month] * rng.uniform(0.9, 1.1)
    children_share = profile.children * (CHILDREN_IN_SUMMER if month in SUMMER else 1)
    children = round(registered * children_share)
    youth = round(registered * profile.youth)
    adults = max(0, round(registered * (1 - profile.children - profile.youth)))
    registered_total = children + youth + adults

    season = SEASON[month] * rng.uniform(0.93, 1.07)
    visits = max(round(users * profile.visits_per_user / 12 * season), registered_total + 5)
    loans = round(users * profile.loans_per_user / 12 * season * rng.uniform(0.95, 1.05))
    if month in SUMMER:  # the children's share of loans falls with their visits
        loans = round(loans * (1 - profile.children * (1 - CHILDREN_IN_SUMMER) * 0.5))
    other = profile.other_languages * rng.uniform(0.7, 1.3)
    kazakh = min(1 - other, profile.kazakh * rng.uniform(0.96, 1.04))
    loans_parts = _split(loans, [("kk", kazakh), ("other", other), ("ru", 0)])

    events = round(profile.events / 12 * EVENT_SEASON[month] * rng.uniform(0.8, 1.2) * scale)
    attendance = min(round(events * profile.per_event * rng.uniform(0.85, 1.15)), visits)
    acquisitions = round(profile.stock * profile.received / 12 * rng.uniform(0.6, 1.5))
    values = {
        "lib_users.children": children,
        "lib_users.youth": youth,
        "lib_users.adults": adults,
        "lib_visits": visits,
        "lib_loans.kk": loans_parts["kk"],
        "lib_loans.ru": loans_parts["ru"],
        "lib_loans.other": loans_parts["other"],
        "lib_events": events,
        "lib_event_attendance": attendance,
        "lib_acquisitions": acquisitions,
        "lib_references": round(users * profile.references / 12 * season),
    }
    if profile.website:
        values["lib_remote_users"] = round(users * profile.remote / 12 * rng.uniform(0.8, 1.2))
        values["lib_website_visits"] = round(profile.website * scale * rng.uniform(0.8, 1.25))
    # Drawn last, so that the figures above stay what they were before this indicator was added.
    values["lib_new_users"] = min(
        registered_total, round(registered_total * NEW_USERS[month] * rng.uniform(0.85, 1.1))
    )
    return values


def _year_sums(profile: LibraryProfile, year: int) -> dict[str, int]:
    sums: dict[str, int] = {}
    for month in range(1, 13):
        for key, number in monthly_values(profile, year, month).items():
            sums[key] = sums.get(key, 0) + number
    return sums


@lru_cache(maxsize=1024)
def stock_movement(profile: LibraryProfile, year: int) -> tuple[int, int, int, int]:
    """(start, received, withdrawn, end) of the collection in a year; the start is last year's end."""
    start = profile.stock if year <= STOCK_EPOCH else stock_movement(profile, year - 1)[3]
    received = _year_sums(profile, year)["lib_acquisitions"]
    withdrawn = round(
        start * profile.withdrawn * random.Random(f"{profile.code}:{year}:withdrawn").uniform(0.8, 1.2)
    )
    return start, received, withdrawn, start + received - withdrawn


@dataclass(frozen=True)
class Premises:
    """What the library passport says of a year (or what is assumed when there is none)."""

    floor_area: Decimal
    computers: int
    internet: bool


def annual_values(profile: LibraryProfile, year: int, premises: Premises) -> dict[str, int | Decimal]:
    """The annual report after «1-библиотека»: the year's months added up, the stock carried over."""
    rng = random.Random(f"{profile.code}:{year}:year")
    sums = _year_sums(profile, year)
    start, received, withdrawn, end = stock_movement(profile, year)
    kazakh_stock = profile.kazakh * 0.9
    by_language = _split(end, [("kk", kazakh_stock), ("other", profile.other_languages), ("ru", 0)])
    loans = sums["lib_loans.kk"] + sums["lib_loans.ru"] + sums["lib_loans.other"]
    budget = profile.staff * rng.uniform(2_600_000, 3_400_000) + float(premises.floor_area) * rng.uniform(
        8000, 12_000
    )
    acquisitions = min(received * rng.uniform(1800, 2600), budget * 0.25)
    return {
        "stock_start": start,
        "stock_received": received,
        "stock_withdrawn": withdrawn,
        "stock_end": end,
        "stock_by_language.kk": by_language["kk"],
        "stock_by_language.ru": by_language["ru"],
        "stock_by_language.other": by_language["other"],
        "year_users.children": sums["lib_users.children"],
        "year_users.youth": sums["lib_users.youth"],
        "year_users.adults": sums["lib_users.adults"],
        "year_visits": sums["lib_visits"],
        "year_loans": loans,
        "year_events": sums["lib_events"],
        "staff_total": profile.staff,
        "staff_higher_library": profile.staff_higher,
        "floor_area": premises.floor_area,
        "computers": premises.computers,
        "internet_access": int(premises.internet),
        "budget_total": Decimal(round(budget)),
        "budget_acquisitions": Decimal(round(acquisitions)),
    }


def assumed_premises(profile: LibraryProfile) -> Premises:
    rng = random.Random(f"premises:{profile.code}")
    area = Decimal(str(round(max(40.0, profile.users / 8 * rng.uniform(0.8, 1.2)), 1)))
    return Premises(area, max(1, round(profile.users / 300)), rng.random() < 0.8)


# --- online centres ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreProfile:
    code: str
    visitors: float  # a usual week
    sessions: float  # per visitor
    egov: float  # per visitor
    consultations: float  # per visitor


def centre_profile(code: str, population: int | None) -> CentreProfile:
    rng = random.Random(f"profile:{code}")
    bigger = (population or 1000) >= 3000
    return CentreProfile(
        code=code,
        visitors=rng.uniform(45, 60) if bigger else rng.uniform(30, 48),
        sessions=rng.uniform(1.1, 1.8),
        egov=rng.uniform(0.3, 0.55),
        consultations=rng.uniform(0.2, 0.4),
    )


def _week_season(start: datetime.date) -> float:
    thursday = start + datetime.timedelta(days=3)
    if (thursday.month == 1 and thursday.day <= 7) or (thursday.month == 12 and thursday.day >= 29):
        return 0.5  # the New Year holidays
    if thursday.month == 3 and 19 <= thursday.day <= 25:
        return 0.7  # Nauryz
    if thursday.month in SUMMER:
        return 0.85
    return 1.0


def weekly_values(profile: CentreProfile, start: datetime.date, code: str) -> dict[str, int]:
    """The weekly report of an online centre for the ISO week starting on `start` (named `code`)."""
    rng = random.Random(f"{profile.code}:{code}:week")
    visitors = max(12, min(80, round(profile.visitors * _week_season(start) * rng.uniform(0.8, 1.2))))
    events = rng.choices((0, 1, 2), weights=(1, 7, 2))[0]
    return {
        "oc_visitors": visitors,
        "oc_sessions": round(visitors * profile.sessions * rng.uniform(0.85, 1.15)),
        "oc_egov_services": round(visitors * profile.egov * rng.uniform(0.8, 1.2)),
        "oc_consultations": round(visitors * profile.consultations * rng.uniform(0.8, 1.2)),
        "oc_trained.children": rng.choice((0, 0, 1, 2)),
        "oc_trained.youth": rng.choice((0, 1, 1, 2)),
        "oc_trained.adults": rng.randint(1, 5),
        "oc_events": events,
        "oc_event_participants": min(visitors, sum(rng.randint(8, 14) for _event in range(events))),
    }


# --- statuses ------------------------------------------------------------------------------------------

MISSING, DRAFT, SUBMITTED, ACCEPTED, RETURNED = "missing", "draft", "submitted", "accepted", "returned"

# Chances of each fate by the age of the period (0 = the latest finished one); the rest is accepted.
# The latest week is not overdue yet (due three days after), so "missing" there means "not begun".
FATES = {
    "week": [
        {MISSING: 0.3, DRAFT: 0.25, SUBMITTED: 0.45},
        {MISSING: 0.06, DRAFT: 0.04, RETURNED: 0.06, SUBMITTED: 0.3},
        {MISSING: 0.06, RETURNED: 0.04, SUBMITTED: 0.1},
    ]
    + [{MISSING: 0.05, RETURNED: 0.02}] * 10,
    "month": [
        {MISSING: 0.05, DRAFT: 0.08, RETURNED: 0.05, SUBMITTED: 0.35},
        {MISSING: 0.05, DRAFT: 0.02, RETURNED: 0.03, SUBMITTED: 0.05},
        {MISSING: 0.04, RETURNED: 0.02},
    ],
    "year": [{MISSING: 0.04, RETURNED: 0.03}],
}
LATE_SHARE = 0.12

# Fates the demo needs whatever the dice say: the Mukur librarian's last week waits as a draft for the
# browser test (and her current week has no report at all); a village library of Beskaragay district
# has not sent last month's statistics and its online centre missed a week, so completeness of the
# district shows something to chase.
FORCED = {
    ("oc_weekly", "MUK-OC", 0): DRAFT,
    ("oc_weekly", "MUK-OC", 1): ACCEPTED,
    ("oc_weekly", "MUK-OC", 2): ACCEPTED,
    ("lib_monthly", "GLU-LIB", 0): MISSING,
    ("oc_weekly", "KAN-OC", 2): MISSING,
}

RETURN_COMMENTS = {
    "oc_weekly": (
        "Число интернет-сеансов не совпадает с журналом учёта — уточните, пожалуйста.",
        "Укажите обученных по возрастным группам: в журнале курсов есть школьники.",
        "Проверьте число участников мероприятия: в фотоотчёте людей заметно больше.",
    ),
    "lib_monthly": (
        "Книговыдача на казахском языке расходится с дневником работы за месяц — сверьте, пожалуйста.",
        "Посещения мероприятий не совпадают с планом мероприятий — уточните цифры.",
        "Не заполнены обращения к странице в Instagram, хотя страница ведётся — добавьте данные.",
    ),
    "lib_annual": (
        "Фонд на конец года не совпадает с книгой суммарного учёта — сверьте, пожалуйста.",
        "Уточните расходы на комплектование: в смете указана другая сумма.",
    ),
}


@dataclass(frozen=True)
class ReportPlan:
    status: str
    late: bool = False
    partial: bool = False  # a draft with some fields still empty
    comment: str = ""
    submit_day: datetime.date | None = None
    review_day: datetime.date | None = None


def plan_report(
    form_code: str,
    period_type: str,
    unit_code: str,
    period_code: str,
    age: int,
    *,
    end: datetime.date,
    due: datetime.date,
    today: datetime.date,
) -> ReportPlan:
    """The fate of one report: its status, whether it came late, the days it was sent and reviewed."""
    rng = random.Random(f"{form_code}:{unit_code}:{period_code}:fate")
    fates = FATES[period_type]
    chances = fates[age] if age < len(fates) else {}
    status, roll, edge = ACCEPTED, rng.random(), 0.0
    for fate, chance in chances.items():
        edge += chance
        if roll < edge:
            status = fate
            break
    status = FORCED.get((form_code, unit_code, age), status)
    late = rng.random() < LATE_SHARE
    if status == MISSING:
        return ReportPlan(MISSING)
    if status == DRAFT:
        return ReportPlan(DRAFT, partial=rng.random() < 0.6 or form_code == "oc_weekly")
    window = max(0, (due - end).days)
    submit_day = (
        due + datetime.timedelta(days=rng.randint(1, 12))
        if late
        else end + datetime.timedelta(days=rng.randint(1, max(1, window)))
    )
    submit_day = min(submit_day, today)
    late = submit_day > due
    if status == SUBMITTED:
        return ReportPlan(SUBMITTED, late=late, submit_day=submit_day)
    review_day = min(submit_day + datetime.timedelta(days=rng.randint(0, 4)), today)
    comment = rng.choice(RETURN_COMMENTS[form_code]) if status == RETURNED else ""
    return ReportPlan(status, late=late, comment=comment, submit_day=submit_day, review_day=review_day)


# Fields a partial draft still lacks (by form), and which a draft of an online centre keeps.
DRAFT_FILLED = {
    "oc_weekly": ("oc_visitors", "oc_sessions", "oc_egov_services"),
}


def draft_values(form_code: str, values: dict, unit_code: str, period_code: str) -> dict:
    """What a partial draft holds so far: the first fields of the form, typed in first."""
    keep = DRAFT_FILLED.get(form_code)
    if keep is not None:
        return {key: number for key, number in values.items() if key in keep}
    rng = random.Random(f"{form_code}:{unit_code}:{period_code}:draft")
    keys = list(values)
    return dict(list(values.items())[: rng.randint(len(keys) // 3, max(1, len(keys) * 2 // 3))])
