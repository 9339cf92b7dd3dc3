"""The time register's arithmetic: granted against delivered time, office hours, the time
warning's three-week rule and GEN-KONTINUITET, without a database."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppfolj.domain.tid import (
    HELG,
    KVALL,
    OVER,
    UNDER,
    Besokstid,
    Beviljande,
    Tidsperiod,
    beviljade_minuter,
    beviljat_per_dag,
    kontinuitet,
    manader,
    manadsoversikt,
    sammanstall,
    tidsavvikelse,
    tim_min,
    veckooversikt,
    veckor,
)

from .builders import d


def besok(start: str, slut: str, personal: str = "anna") -> Besokstid:
    """A visit from "2026-03-02 10:00" to "11:30" (or a full "YYYY-MM-DD HH:MM")."""
    begin = datetime.fromisoformat(start)
    end = datetime.fromisoformat(slut if " " in slut else f"{start[:10]} {slut}")
    return Besokstid(start=begin, slut=end, personal=personal)


TRE_TIMMAR = Beviljande(fran=d("2026-01-01"), till=None, minuter_per_vecka=180)


# --- Granted time --------------------------------------------------------------------


def test_a_week_under_one_decision_gets_its_weekly_time():
    assert beviljade_minuter([TRE_TIMMAR], d("2026-03-02"), d("2026-03-08")) == 180


@pytest.mark.parametrize(
    ("fran", "till", "expected"),
    [
        # Per month = per week × days in month / 7, rounded to the minute.
        ("2026-03-01", "2026-03-31", 797),  # 180 × 31 / 7 = 797.14
        ("2026-04-01", "2026-04-30", 771),  # 180 × 30 / 7 = 771.43
        ("2026-02-01", "2026-02-28", 720),  # 180 × 28 / 7 exactly
        ("2028-02-01", "2028-02-29", 746),  # a leap February: 180 × 29 / 7 = 745.71
    ],
)
def test_a_month_gets_the_weekly_time_times_its_days_over_seven(fran, till, expected):
    assert beviljade_minuter([TRE_TIMMAR], d(fran), d(till)) == expected


def test_no_decision_grants_nothing():
    assert beviljade_minuter([], d("2026-03-01"), d("2026-03-31")) == 0


def test_a_week_spanning_two_months_counts_the_days_of_each_decision():
    # ISO week 14 of 2026 runs from Monday 30 March to Sunday 5 April; the decision
    # starts on 1 April, so five of its seven days are granted.
    from_april = Beviljande(fran=d("2026-04-01"), till=None, minuter_per_vecka=180)
    assert veckor(d("2026-03-30"), d("2026-04-05")) == [(d("2026-03-30"), d("2026-04-05"))]
    assert beviljade_minuter([from_april], d("2026-03-30"), d("2026-04-05")) == 129  # 900/7
    assert beviljade_minuter([from_april], d("2026-03-01"), d("2026-03-31")) == 0


def test_a_decision_changing_mid_month_counts_day_by_day():
    forst = Beviljande(fran=d("2026-01-01"), till=None, minuter_per_vecka=120)
    sedan = Beviljande(fran=d("2026-03-16"), till=None, minuter_per_vecka=240)
    # 15 days at 120/7 and 16 days at 240/7: (1800 + 3840) / 7 = 805.71.
    assert beviljade_minuter([forst, sedan], d("2026-03-01"), d("2026-03-31")) == 806
    assert beviljade_minuter([forst, sedan], d("2026-03-09"), d("2026-03-15")) == 120
    assert beviljade_minuter([forst, sedan], d("2026-03-16"), d("2026-03-22")) == 240


def test_the_latest_decision_in_force_wins_and_the_earlier_resumes_after_it():
    tills_vidare = Beviljande(fran=d("2026-01-01"), till=None, minuter_per_vecka=120)
    en_vecka = Beviljande(fran=d("2026-03-16"), till=d("2026-03-22"), minuter_per_vecka=300)
    beslut = [tills_vidare, en_vecka]
    assert beviljade_minuter(beslut, d("2026-03-16"), d("2026-03-22")) == 300
    assert beviljade_minuter(beslut, d("2026-03-23"), d("2026-03-29")) == 120


def test_a_decision_past_its_end_date_grants_nothing():
    kort = Beviljande(fran=d("2026-01-01"), till=d("2026-03-04"), minuter_per_vecka=210)
    # Monday to Wednesday of the week are granted: 3 × 30 minutes.
    assert beviljade_minuter([kort], d("2026-03-02"), d("2026-03-08")) == 90


def test_nothing_is_granted_after_the_case_is_closed():
    assert (
        beviljade_minuter([TRE_TIMMAR], d("2026-03-02"), d("2026-03-08"), avslutat=d("2026-03-05"))
        == 103  # four days: 720 / 7 = 102.86
    )


# --- Periods -----------------------------------------------------------------------------


def test_weeks_are_iso_weeks_across_the_year_end():
    weeks = veckooversikt(beslut=[TRE_TIMMAR], besok=[], idag=d("2026-01-07"), antal=2)
    assert [(w.etikett, w.fran, w.till) for w in weeks] == [
        ("v. 2 2026", d("2026-01-05"), d("2026-01-11")),
        ("v. 1 2026", d("2025-12-29"), d("2026-01-04")),
    ]
    # The decision starts on 1 January: four days of ISO week 1 are granted.
    assert weeks[1].beviljat == 103
    assert weeks[1].avslutad and not weeks[0].avslutad


def test_months_newest_first_with_swedish_names():
    months = manadsoversikt(beslut=[TRE_TIMMAR], besok=[], idag=d("2026-03-10"), antal=3)
    assert [m.etikett for m in months] == ["mars 2026", "februari 2026", "januari 2026"]
    assert [m.beviljat for m in months] == [797, 720, 797]
    assert manader(d("2025-12-15"), d("2026-01-02")) == [
        (d("2025-12-01"), d("2025-12-31")),
        (d("2026-01-01"), d("2026-01-31")),
    ]


def test_granted_versus_delivered_text_on_a_known_week():
    visits = [besok("2026-03-03 10:00", "11:30"), besok("2026-03-05 13:00", "13:45")]
    week = sammanstall(
        "v. 10 2026",
        d("2026-03-02"),
        d("2026-03-08"),
        beslut=[TRE_TIMMAR],
        besok=visits,
        idag=d("2026-03-20"),
    )
    assert (week.beviljat, week.utfort, week.antal_besok, week.procent) == (180, 135, 2, 75)
    assert week.text == "Beviljat 3 tim 0 min / Utfört 2 tim 15 min (75 %)"


def test_nothing_granted_has_no_percentage():
    week = sammanstall(
        "v. 10 2026",
        d("2026-03-02"),
        d("2026-03-08"),
        beslut=[],
        besok=[besok("2026-03-03 10:00", "11:00")],
        idag=d("2026-03-20"),
    )
    assert week.procent is None and week.avvikelse() is None
    assert week.text == "Beviljat 0 tim 0 min / Utfört 1 tim 0 min"


def test_a_visit_counts_in_the_period_it_starts_in():
    late = besok("2026-03-31 21:30", "2026-04-01 00:30")
    march = sammanstall(
        "mars", d("2026-03-01"), d("2026-03-31"), beslut=[], besok=[late], idag=d("2026-04-20")
    )
    april = sammanstall(
        "april", d("2026-04-01"), d("2026-04-30"), beslut=[], besok=[late], idag=d("2026-04-20")
    )
    assert (march.utfort, march.kvall, april.utfort) == (180, 1, 0)


def test_tim_min():
    assert [tim_min(m) for m in (0, 45, 60, 135, 797)] == [
        "0 tim 0 min",
        "0 tim 45 min",
        "1 tim 0 min",
        "2 tim 15 min",
        "13 tim 17 min",
    ]


# --- Office hours -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "slut", "expected"),
    [
        ("2026-03-04 08:00", "10:00", None),  # a Wednesday morning
        ("2026-03-04 07:00", "08:00", None),  # office hours start at 07:00
        ("2026-03-04 16:30", "18:00", None),  # and end at 18:00
        ("2026-03-04 06:30", "08:00", KVALL),  # begins before 07:00
        ("2026-03-04 17:30", "18:30", KVALL),  # runs past 18:00
        ("2026-03-04 19:00", "20:00", KVALL),
        ("2026-03-04 22:30", "2026-03-05 00:30", KVALL),  # past midnight
        ("2026-03-07 10:00", "11:00", HELG),  # a Saturday
        ("2026-03-08 19:00", "20:00", HELG),  # a Sunday evening counts once, as weekend
        ("2026-04-06 10:00", "11:00", HELG),  # Easter Monday, a public holiday
        ("2026-12-24 10:00", "11:00", HELG),  # julafton is not a vardag either
    ],
)
def test_visits_outside_office_hours(start, slut, expected):
    assert besok(start, slut).utanfor_kontorstid == expected


def test_evening_and_weekend_visits_are_counted_per_period():
    visits = [
        besok("2026-03-02 09:00", "10:00"),
        besok("2026-03-03 18:30", "19:30"),
        besok("2026-03-04 06:00", "07:00"),
        besok("2026-03-07 11:00", "12:00"),
        besok("2026-03-09 19:00", "20:00"),  # the next week
    ]
    week = sammanstall(
        "v. 10 2026",
        d("2026-03-02"),
        d("2026-03-08"),
        beslut=[TRE_TIMMAR],
        besok=visits,
        idag=d("2026-03-20"),
    )
    assert (week.antal_besok, week.kvall, week.helg, week.utfort) == (4, 2, 1, 240)


# --- The time warning: three completed weeks in a row ------------------------------------


def weeks_delivering(*minutes: int, granted: int = 180, current: int | None = None):
    """Completed weeks, oldest first, delivering `minutes` each; and a current week."""
    monday = d("2026-02-02")
    result = [
        Tidsperiod(f"v{i}", monday + timedelta(weeks=i), monday + timedelta(weeks=i, days=6),
                   granted, m, 1, 0, 0, True)
        for i, m in enumerate(minutes)
    ]  # fmt: skip
    if current is not None:
        start = monday + timedelta(weeks=len(minutes))
        result.append(
            Tidsperiod("nu", start, start + timedelta(days=6), granted, current, 1, 0, 0, False)
        )
    return result


def test_time_warning_after_three_completed_weeks_below_half():
    warning = tidsavvikelse(weeks_delivering(180, 60, 45, 89))
    assert warning is not None and warning.riktning == UNDER
    assert [w.etikett for w in warning.veckor] == ["v1", "v2", "v3"]
    assert warning.meddelande == (
        "Utförd tid har varit under 50 % av beviljad tid tre veckor i rad (v1–v3): "
        "beviljat 9 tim 0 min, utfört 3 tim 14 min."
    )


def test_no_time_warning_after_two_weeks():
    assert tidsavvikelse(weeks_delivering(180, 180, 60, 60)) is None


def test_time_warning_above_one_and_a_half_counts_the_whole_run():
    warning = tidsavvikelse(weeks_delivering(300, 280, 271, 400))
    assert warning is not None and warning.riktning == OVER and len(warning.veckor) == 4
    assert "över 150 %" in warning.meddelande and "fyra veckor i rad" in warning.meddelande


def test_the_bounds_themselves_do_not_warn():
    # Exactly half (90 of 180) and exactly one and a half (270) are within bounds.
    assert tidsavvikelse(weeks_delivering(90, 90, 90)) is None
    assert tidsavvikelse(weeks_delivering(270, 270, 270)) is None


def test_the_current_week_does_not_count_until_it_is_over():
    assert tidsavvikelse(weeks_delivering(180, 60, 60, current=0)) is None
    assert tidsavvikelse(weeks_delivering(60, 60, 60, current=180)) is not None


def test_the_run_must_end_with_the_latest_completed_week():
    # Three poor weeks, then a good one: the pattern is over.
    assert tidsavvikelse(weeks_delivering(0, 0, 0, 180)) is None


def test_under_and_over_do_not_make_a_run_together():
    assert tidsavvikelse(weeks_delivering(0, 400, 0)) is None


def test_a_week_with_nothing_granted_breaks_the_run():
    weeks = weeks_delivering(0, 0, 0)
    no_decision = Tidsperiod("v-1", d("2026-01-26"), d("2026-02-01"), 0, 60, 1, 0, 0, True)
    assert tidsavvikelse([no_decision, *weeks[1:]]) is None
    assert tidsavvikelse(weeks_delivering(0, 0, 0, granted=0)) is None


# --- GEN-KONTINUITET -------------------------------------------------------------------------


def visits_by(*staff: str) -> list[Besokstid]:
    return [besok(f"2026-04-{10 + i:02d} 10:00", "11:00", name) for i, name in enumerate(staff)]


@pytest.mark.parametrize(
    ("staff", "raised"),
    [
        (("anna",), True),
        (("anna", "bo", "anna"), False),
        (("anna", "bo", "cecilia"), False),
        (("anna", "bo", "cecilia", "david"), True),
    ],
)
def test_GEN_KONTINUITET_with_one_to_four_staff(staff, raised):
    result = kontinuitet(visits_by(*staff), d("2026-04-20"))
    assert result.antal_personal == len(set(staff))
    assert result.varning is raised


def test_GEN_KONTINUITET_not_raised_without_visits():
    result = kontinuitet([], d("2026-04-20"))
    assert (result.antal_besok, result.antal_personal, result.varning) == (0, 0, False)


def test_GEN_KONTINUITET_counts_the_last_three_months_only():
    visits = [
        besok("2026-01-19 10:00", "11:00", "gammal"),  # the day before the window
        besok("2026-01-20 10:00", "11:00", "anna"),  # three months before 20 April
        besok("2026-04-20 10:00", "11:00", "bo"),
    ]
    result = kontinuitet(visits, d("2026-04-20"))
    assert (result.fran, result.antal_besok, result.antal_personal) == (d("2026-01-20"), 2, 2)
    assert not result.varning


def test_GEN_KONTINUITET_message():
    result = kontinuitet(visits_by("anna"), d("2026-04-20"))
    assert result.meddelande == (
        "Besöken från 2026-01-20 till 2026-04-20 har gjorts av en person; minst 2 och högst "
        "3 bör arbeta med den enskilde."
    )


def test_weeks_before_the_first_registered_visit_do_not_count():
    weeks = weeks_delivering(0, 0, 0, 60, 60)  # weeks starting 2, 9, 16, 23 Feb and 2 Mar
    assert tidsavvikelse(weeks) is not None
    # The register came into use on Wednesday 25 February: two weeks only.
    assert tidsavvikelse(weeks, forsta_besok=d("2026-02-25")) is None
    warning = tidsavvikelse(weeks, forsta_besok=d("2026-02-17"))
    assert warning is not None and len(warning.veckor) == 3


_dag = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@given(
    beslut=st.lists(
        st.tuples(_dag, st.one_of(st.none(), _dag), st.integers(min_value=0, max_value=3000)),
        max_size=4,
    ),
    fran=_dag,
    langd=st.integers(min_value=0, max_value=70),
    avslutat=st.one_of(st.none(), _dag),
)
def test_granted_minutes_are_the_sum_of_each_days_seventh_rounded_once(
    beslut, fran, langd, avslutat
):
    # beviljade_minuter adds whole sevenths; the definition is the exact sum of each
    # day's share (beviljat_per_dag), rounded half up once at the end.
    decisions = [Beviljande(fran=a, till=b, minuter_per_vecka=m) for a, b, m in beslut]
    till = fran + timedelta(days=langd)
    sista = till if avslutat is None else min(till, avslutat)
    days = [fran + timedelta(days=i) for i in range((sista - fran).days + 1)]
    exact = sum((beviljat_per_dag(decisions, dag) for dag in days), Fraction())
    assert beviljade_minuter(decisions, fran, till, avslutat=avslutat) == math.floor(
        exact + Fraction(1, 2)
    )
