"""Date arithmetic of RULES.md: months with month-end clamp, weeks, days and vardagar."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


def add_months(start: date, months: int) -> date:
    """Return the same day of month `months` later, clamped to the month's last day."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def midsommarafton(year: int) -> date:
    """Return midsommarafton: the Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


@lru_cache(maxsize=256)
def _non_working_days(year: int) -> frozenset[date]:
    # `holidays` gives the allmänna helgdagar; the three aftnar are not
    # holidays in law but are days off in every Swedish municipality.
    public = holidays.country_holidays("SE", years=year, include_sundays=False)
    return frozenset(public) | {
        midsommarafton(year),
        date(year, 12, 24),
        date(year, 12, 31),
    }


def is_vardag(day: date) -> bool:
    """Return whether `day` is a Swedish working day (vardag)."""
    return day.weekday() < 5 and day not in _non_working_days(day.year)


def add_vardagar(start: date, count: int) -> date:
    """Return the `count`-th vardag strictly after `start`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_vardag(day):
            remaining -= 1
    return day
