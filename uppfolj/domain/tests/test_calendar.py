"""RULES.md "Date arithmetic": months with the month-end clamp, and vardagar."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uppfolj.domain.calendar import add_months, add_vardagar, is_vardag, midsommarafton

from .builders import d

# No example database: the suite must not write into the working tree.
PROPERTY = settings(max_examples=150, database=None, deadline=None)


# --- add_months ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-03-02", 1, "2026-04-02"),
        ("2026-03-02", 3, "2026-06-02"),
        ("2026-11-15", 3, "2027-02-15"),  # across the year end
        ("2026-03-02", 12, "2027-03-02"),
        ("2026-03-02", 0, "2026-03-02"),
        # The clamp of RULES.md: the day does not exist, so the month's last day.
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-01-31", 3, "2026-04-30"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-11-30", 3, "2027-02-28"),
        # Leap years: 29 February exists in 2028 but not in 2029.
        ("2028-01-31", 1, "2028-02-29"),
        ("2028-01-29", 1, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2028-02-29", 48, "2032-02-29"),
        ("2027-11-30", 3, "2028-02-29"),
    ],
)
def test_add_months_same_day_or_month_end_clamp(start, months, expected):
    assert add_months(d(start), months) == d(expected)


def test_add_months_clamp_does_not_carry_over_to_the_next_step():
    # Each period counts from the event, not from a clamped intermediate date:
    # 2026-01-31 + 1 month = 2026-02-28, but 2026-01-31 + 2 months = 2026-03-31.
    assert add_months(d("2026-01-31"), 2) == d("2026-03-31")
    assert add_months(add_months(d("2026-01-31"), 1), 1) == d("2026-03-28")


@PROPERTY
@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=-120, max_value=600),
)
def test_add_months_never_raises_and_lands_in_the_right_month(start, months):
    result = add_months(start, months)
    assert result.year * 12 + result.month == start.year * 12 + start.month + months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


# --- is_vardag ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-03-07", "lördag"),
        ("2026-03-08", "söndag"),
        ("2026-01-01", "nyårsdagen (torsdag)"),
        ("2026-01-06", "trettondedag jul (tisdag)"),
        ("2026-04-03", "långfredagen"),
        ("2026-04-06", "annandag påsk"),
        ("2026-05-01", "första maj (fredag)"),
        ("2026-05-14", "Kristi himmelsfärdsdag (torsdag)"),
        ("2026-06-19", "midsommarafton (fredag)"),
        ("2026-12-24", "julafton (torsdag)"),
        ("2026-12-25", "juldagen (fredag)"),
        ("2026-12-31", "nyårsafton (torsdag)"),
        ("2027-03-26", "långfredagen 2027"),
        ("2027-06-06", "nationaldagen (söndag)"),
        ("2027-06-25", "midsommarafton 2027"),
        ("2027-12-24", "julafton 2027 (fredag)"),
        ("2027-12-31", "nyårsafton 2027 (fredag)"),
    ],
)
def test_is_vardag_false_on_weekends_holidays_and_the_three_aftnar(day, why):
    assert not is_vardag(d(day)), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-03-02", "an ordinary Monday"),
        ("2026-03-06", "an ordinary Friday"),
        ("2026-04-02", "skärtorsdagen is not a holiday"),
        ("2026-04-07", "the Tuesday after annandag påsk"),
        ("2026-05-13", "the day before Kristi himmelsfärd"),
        ("2026-05-15", "the Friday after Kristi himmelsfärd"),
        ("2026-06-18", "the day before midsommarafton"),
        ("2026-06-22", "the Monday after midsommar"),
        ("2026-12-23", "the day before julafton"),
        ("2026-12-28", "the Monday between jul and nyår"),
        ("2027-01-05", "trettondagsafton is not a holiday"),
        ("2026-04-30", "valborgsmässoafton is not a holiday"),
    ],
)
def test_is_vardag_true_on_working_days(day, why):
    assert is_vardag(d(day)), why


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, "2024-06-21"),
        (2025, "2025-06-20"),
        (2026, "2026-06-19"),
        (2027, "2027-06-25"),
        (2028, "2028-06-23"),
    ],
)
def test_midsommarafton_is_the_friday_between_19_and_25_june(year, expected):
    assert midsommarafton(year) == d(expected)


@PROPERTY
@given(year=st.integers(min_value=1900, max_value=2200))
def test_midsommarafton_property(year):
    day = midsommarafton(year)
    assert day.weekday() == 4
    assert date(year, 6, 19) <= day <= date(year, 6, 25)


@PROPERTY
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_is_vardag_never_on_a_weekend(day):
    if day.weekday() >= 5:
        assert not is_vardag(day)


# --- add_vardagar -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # Tue 2026-03-03: Wed 4, Thu 5, Fri 6.
        ("2026-03-03", 3, "2026-03-06"),
        # Thu 2026-03-05: Fri 6, then the weekend, Mon 9, Tue 10.
        ("2026-03-05", 3, "2026-03-10"),
        # A Saturday start counts from Monday: Mon 9 is the first.
        ("2026-03-07", 1, "2026-03-09"),
        # Across Kristi himmelsfärd: Wed 13 (1), Thu 14 holiday, Fri 15 (2), Mon 18 (3).
        ("2026-05-12", 3, "2026-05-18"),
        # Across påsk: Thu 2 (1), Fri 3 långfredag, Mon 6 annandag påsk, Tue 7 (2), Wed 8 (3).
        ("2026-04-01", 3, "2026-04-08"),
        # Across midsommarafton: Thu 18 (1), Fri 19 midsommarafton, Mon 22 (2), Tue 23 (3).
        ("2026-06-17", 3, "2026-06-23"),
        # Across julafton and juldagen: Thu 24 and Fri 25 off, Mon 28 is the first.
        ("2026-12-23", 1, "2026-12-28"),
        # Across nyårsafton, nyårsdagen and trettondedag jul:
        # Tue 29 (1), Wed 30 (2), Thu 31 nyårsafton, Fri 1 Jan, Mon 4 (3), Tue 5 (4),
        # Wed 6 trettondedag jul, Thu 7 (5).
        ("2026-12-28", 5, "2027-01-07"),
        # From julafton itself: Fri 25 juldagen, Mon 28 (1).
        ("2026-12-24", 1, "2026-12-28"),
    ],
)
def test_add_vardagar_skips_weekends_holidays_and_aftnar(start, count, expected):
    assert add_vardagar(d(start), count) == d(expected)


def test_add_vardagar_refuses_a_count_below_one():
    with pytest.raises(ValueError):
        add_vardagar(d("2026-03-03"), 0)


@PROPERTY
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    count=st.integers(min_value=1, max_value=30),
)
def test_add_vardagar_property_nth_vardag_strictly_after(start, count):
    result = add_vardagar(start, count)
    assert result > start
    assert is_vardag(result)
    days_between = (result - start).days
    vardagar = [
        start + timedelta(days=offset)
        for offset in range(1, days_between + 1)
        if is_vardag(start + timedelta(days=offset))
    ]
    assert len(vardagar) == count
