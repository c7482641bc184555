"""Audience and quality of a unit's subtree: who the libraries serve and how satisfied they are.

    page = audience(unit, today=date(2026, 5, 14))
    page.series["lib_visits"].values        # visits of the last 24 months, month by month
    page.users_12, page.population, page.per_1000
    page.surveys.nps, page.surveys.satisfaction
    page.events                             # held events of the last 12 months with participants

- from reporting (`selectors.rollup`, one grouped query per indicator): registered users (`lib_users`:
  registered and re-registered in the month, so twelve months add up to the users of a year), visits,
  new users (`lib_new_users`, optional in the monthly form), event attendance — the last 24 months;
- reach: the users of the last 12 months per 1,000 people of the population the libraries serve;
- from surveys: responses collected by the libraries of the subtree in the last 12 months, their NPS and
  satisfaction index (the mean of scale answers as a % of the top mark);
- from events: held events organised in the subtree in the last 12 months, by family, with participants;
- top services, when the catalogue of services offers `metodist.marketing.promotion.top_services`.

A fixed number of queries whatever the size of the subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from metodist.network.models import OrgUnit
from metodist.reporting import charts
from metodist.reporting.periods import PeriodType

MONTHS = 24
USERS = "lib_users"
NEW_USERS = "lib_new_users"  # optional in the monthly form: the series shows when reports have it
VISITS = "lib_visits"
ATTENDANCE = "lib_event_attendance"
CODES = (USERS, NEW_USERS, VISITS, ATTENDANCE)
TOP_SERVICES = 5


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, the current one last."""
    index = today.year * 12 + today.month - 1
    return [datetime.date((i) // 12, (i) % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _show(value, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass
class MonthSeries:
    code: str
    name: str
    values: list[Decimal | None]
    chart: object = None

    @property
    def last_12(self) -> Decimal | None:
        numbers = [v for v in self.values[-12:] if v is not None]
        return sum(numbers, Decimal(0)) if numbers else None

    @property
    def previous_12(self) -> Decimal | None:
        numbers = [v for v in self.values[-24:-12] if v is not None]
        return sum(numbers, Decimal(0)) if numbers else None

    @property
    def change(self) -> Decimal | None:
        now, before = self.last_12, self.previous_12
        if now is None or not before:
            return None
        return ((now - before) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class EventFigures:
    family: str
    label: str
    events: int
    participants: int


@dataclass
class Audience:
    unit: OrgUnit
    months: list[datetime.date]
    series: dict[str, MonthSeries]
    population: int
    surveys: object  # environment.SurveyFigures
    events: list[EventFigures]
    services: list = field(default_factory=list)

    @property
    def users_12(self) -> Decimal | None:
        users = self.series.get(USERS)
        return users.last_12 if users else None

    @property
    def per_1000(self) -> Decimal | None:
        """Users of the last 12 months per 1,000 people served, to one decimal."""
        if self.users_12 is None or not self.population:
            return None
        return (self.users_12 * 1000 / Decimal(self.population)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def events_total(self) -> int:
        return sum(row.events for row in self.events)

    @property
    def participants_total(self) -> int:
        return sum(row.participants for row in self.events)

    @property
    def has_reports(self) -> bool:
        return any(v is not None for s in self.series.values() for v in s.values)


def _series(unit: OrgUnit, months: list[datetime.date]) -> dict[str, MonthSeries]:
    from metodist.reporting.models import Indicator
    from metodist.reporting.selectors import rollup

    first, last_month = months[0], months[-1]
    last = (last_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    labels = [date_format(m, "m.Y") for m in months]
    found = {}
    for code in CODES:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        rows = rollup(indicator, under=unit, first=first, last=last, by_period=PeriodType.MONTH)
        by_month = {row.period_start: row.value for row in rows}
        values = [by_month.get(m) for m in months]
        series = MonthSeries(code, indicator.name, values)
        series.chart = charts.line_chart(
            labels,
            [charts.Series(indicator.name, values, [_show(v) for v in values])],
            title=indicator.name,
            chart_id=f"chart-{code}",
        )
        found[code] = series
    return found


def _events(unit: OrgUnit, since: datetime.datetime, until: datetime.datetime) -> list[EventFigures]:
    from metodist.events.models import Event, EventFamily, EventStatus

    rows = (
        Event.objects.filter(
            organiser_unit__path__startswith=unit.path,
            status=EventStatus.HELD,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .values("family")
        .annotate(
            events=Count("id"),
            participants=Sum("participants_actual", filter=Q(participants_actual__isnull=False)),
        )
        .order_by("family")
    )
    labels = dict(EventFamily.choices)
    return [
        EventFigures(
            row["family"],
            str(labels.get(row["family"], row["family"])),
            row["events"],
            row["participants"] or 0,
        )
        for row in rows
    ]


def _surveys(unit: OrgUnit, since: datetime.datetime):
    from metodist.marketing.environment import SurveyFigures, survey_figures

    try:
        from metodist.marketing.models.surveys import Response
    except ImportError:  # no surveys app: nothing to show
        return SurveyFigures()
    responses = Response.objects.filter(unit__path__startswith=unit.path, submitted_at__gte=since)
    return survey_figures(responses)


def _services(unit: OrgUnit) -> list:
    """The top services of the subtree, when the catalogue of services offers them (another part)."""
    try:
        from metodist.marketing import promotion
    except ImportError:
        return []
    top = getattr(promotion, "top_services", None)
    if top is None:
        return []
    try:
        return list(top(unit, limit=TOP_SERVICES))
    except TypeError:  # a different signature: show nothing rather than fail the page
        return []


def audience(unit: OrgUnit, *, today: datetime.date | None = None) -> Audience:
    today = today or timezone.localdate()
    months = month_starts(today)
    tz = timezone.get_current_timezone()
    year_ago = months[-12]
    since = datetime.datetime.combine(year_ago, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    from metodist.reporting.selectors import population

    return Audience(
        unit=unit,
        months=months,
        series=_series(unit, months),
        population=population(unit)[None],
        surveys=_surveys(unit, since),
        events=_events(unit, since, until),
        services=_services(unit),
    )


def label_period(months: list[datetime.date]) -> str:
    return _("%(first)s – %(last)s") % {
        "first": date_format(months[0], "F Y"),
        "last": date_format(months[-1], "F Y"),
    }
