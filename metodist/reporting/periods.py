"""Reporting periods: ISO weeks, months, quarters, half-years and years, named by their codes.

    >>> Period.parse("2026-W07")           # ISO week 7 of 2026: Monday 9 to Sunday 15 February
    >>> Period.containing("month", date(2026, 3, 14)).code   # "2026-03"
    >>> Period.parse("2026-Q1").next().code                   # "2026-Q2"

A week belongs to the month, quarter and year of its Thursday (the ISO rule), so week data rolls into
months by date without splitting a week: `Period.ref_date` is that day for weeks and the first day for
every other period, and roll-ups over a range select periods by it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodType(models.TextChoices):
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF_YEAR = "half_year", _("half-year")
    YEAR = "year", pgettext_lazy("period", "year")


# From finest to coarsest: a finer period rolls into any coarser one.
ORDER = [PeriodType.WEEK, PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF_YEAR, PeriodType.YEAR]

_PATTERNS = [
    (PeriodType.WEEK, re.compile(r"^(\d{4})-W(\d{2})$")),
    (PeriodType.MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (PeriodType.QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (PeriodType.HALF_YEAR, re.compile(r"^(\d{4})-H([12])$")),
    (PeriodType.YEAR, re.compile(r"^(\d{4})()$")),
]


class PeriodError(ValueError):
    pass


def _month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    type: str
    code: str

    # --- construction ---------------------------------------------------------------------------------

    @classmethod
    def parse(cls, code: str) -> Period:
        """The period named by `code` (`2026-W07`, `2026-03`, `2026-Q1`, `2026-H1`, `2026`)."""
        code = (code or "").strip().upper()
        for period_type, pattern in _PATTERNS:
            match = pattern.match(code)
            if not match:
                continue
            year = int(match.group(1))
            number = int(match.group(2)) if match.group(2) else 0
            try:
                return cls.make(period_type, year, number)
            except ValueError as exc:
                raise PeriodError(str(exc)) from exc
        raise PeriodError(f"not a period: {code!r}")

    @classmethod
    def make(cls, period_type: str, year: int, number: int = 0) -> Period:
        if not 1900 <= year <= 2200:
            raise PeriodError(f"year out of range: {year}")
        if period_type == PeriodType.WEEK:
            start = datetime.date.fromisocalendar(year, number, 1)
            return cls(start, start + datetime.timedelta(days=6), period_type, f"{year}-W{number:02d}")
        if period_type == PeriodType.MONTH:
            if not 1 <= number <= 12:
                raise PeriodError(f"no month {number}")
            return cls(
                _month_start(year, number), _month_end(year, number), period_type, f"{year}-{number:02d}"
            )
        if period_type == PeriodType.QUARTER:
            if not 1 <= number <= 4:
                raise PeriodError(f"no quarter {number}")
            first = 3 * number - 2
            return cls(
                _month_start(year, first), _month_end(year, first + 2), period_type, f"{year}-Q{number}"
            )
        if period_type == PeriodType.HALF_YEAR:
            if number not in (1, 2):
                raise PeriodError(f"no half-year {number}")
            first = 6 * number - 5
            return cls(
                _month_start(year, first), _month_end(year, first + 5), period_type, f"{year}-H{number}"
            )
        if period_type == PeriodType.YEAR:
            return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), period_type, str(year))
        raise PeriodError(f"unknown period type {period_type!r}")

    @classmethod
    def containing(cls, period_type: str, day: datetime.date) -> Period:
        """The period of `period_type` a day belongs to (for weeks: its ISO week)."""
        if period_type == PeriodType.WEEK:
            year, week, _weekday = day.isocalendar()
            return cls.make(period_type, year, week)
        if period_type == PeriodType.MONTH:
            return cls.make(period_type, day.year, day.month)
        if period_type == PeriodType.QUARTER:
            return cls.make(period_type, day.year, (day.month - 1) // 3 + 1)
        if period_type == PeriodType.HALF_YEAR:
            return cls.make(period_type, day.year, 1 if day.month <= 6 else 2)
        return cls.make(PeriodType.YEAR, day.year)

    @classmethod
    def from_start(cls, period_type: str, start: datetime.date) -> Period:
        period = cls.containing(period_type, start)
        if period.start != start:
            raise PeriodError(f"{start} does not start a {period_type}")
        return period

    # --- arithmetic -----------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.ref_date.year

    @property
    def number(self) -> int:
        if self.type == PeriodType.WEEK:
            return self.start.isocalendar()[1]
        if self.type == PeriodType.MONTH:
            return self.start.month
        if self.type == PeriodType.QUARTER:
            return (self.start.month - 1) // 3 + 1
        if self.type == PeriodType.HALF_YEAR:
            return 1 if self.start.month == 1 else 2
        return 0

    @property
    def ref_date(self) -> datetime.date:
        """The day that places the period in coarser ones: a week's Thursday, else its first day."""
        if self.type == PeriodType.WEEK:
            return self.start + datetime.timedelta(days=3)
        return self.start

    def next(self) -> Period:
        return Period.containing(self.type, self.end + datetime.timedelta(days=1))

    def previous(self) -> Period:
        return Period.containing(self.type, self.start - datetime.timedelta(days=1))

    def shift(self, steps: int) -> Period:
        period = self
        for _step in range(abs(steps)):
            period = period.next() if steps > 0 else period.previous()
        return period

    def same_last_year(self) -> Period:
        if self.type == PeriodType.WEEK:
            year = self.year - 1
            week = min(self.number, datetime.date(year, 12, 28).isocalendar()[1])
            return Period.make(self.type, year, week)
        return Period.make(self.type, self.year - 1, self.number)

    def within(self, period_type: str) -> Period:
        """The coarser period this one rolls into (a week into the month of its Thursday, …)."""
        return Period.containing(period_type, self.ref_date)

    def deadline(self, days_after: int) -> datetime.date:
        return self.end + datetime.timedelta(days=days_after)

    def __str__(self) -> str:
        return self.code

    def label(self) -> str:
        """Human name in the active language: «Неделя 7, 09.02–15.02.2026», «март 2026», «I квартал 2026»."""
        from django.utils.formats import date_format
        from django.utils.translation import gettext

        if self.type == PeriodType.WEEK:
            return gettext("week %(number)s, %(start)s–%(end)s") % {
                "number": self.number,
                "start": date_format(self.start, "d.m"),
                "end": date_format(self.end, "d.m.Y"),
            }
        if self.type == PeriodType.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.type == PeriodType.QUARTER:
            return gettext("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.type == PeriodType.HALF_YEAR:
            return gettext("H%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return str(self.year)


def periods_between(period_type: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """Every period of the type whose reference day falls in [first, last], in order."""
    periods = []
    period = Period.containing(period_type, first)
    if period.ref_date < first:
        period = period.next()
    while period.ref_date <= last:
        periods.append(period)
        period = period.next()
    return periods
