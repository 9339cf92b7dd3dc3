"""The warnings of RULES.md that the engine decides from the timeline alone."""

from __future__ import annotations

import pytest

from uppfolj.domain.rules import LocalDefaults
from uppfolj.domain.timeline import (
    BOENDESTOD,
    INSATSER,
    SOCIALT_BOENDE_MED_STOD,
    VARD_OCH_OMSORGSBOENDE,
)

from .builders import case, ev, run, warning_dates, warnings

BS, SBMS, VOB = BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE
KOMMUNICERAT = ev("2026-02-20", "kommunicerat")


def beslut(iso, *, start=None, to=None, forbehall=True, utfall="bifall"):
    return ev(
        iso,
        "beslut",
        utfall=utfall,
        from_date=start or iso,
        to_date=to,
        aterkallelseforbehall=forbehall,
    )


# --- GEN-ATERKALL-6M ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to"),
    [
        # 2026-03-02 + 6 months = 2026-09-02; a decision to 31 August ends a day short.
        ("2026-03-02", "2026-08-31"),
        # 2026-03-01 + 6 months = 2026-09-01; to 30 August is a day short.
        ("2026-03-01", "2026-08-30"),
        # A three-month first decision, the typical case of 003.
        ("2026-03-02", "2026-06-01"),
    ],
)
def test_GEN_ATERKALL_6M_warns_for_a_shorter_decision_with_forbehall(start, to):
    timeline = case(BS, KOMMUNICERAT, beslut(start, to=to))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == [start]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        # Exactly six months: 1 March through 31 August, 2 March through 1 September.
        ("2026-03-01", "2026-08-31"),
        ("2026-03-02", "2026-09-01"),
        # Longer.
        ("2026-03-02", "2027-03-01"),
    ],
)
def test_GEN_ATERKALL_6M_no_warning_for_six_months_or_more(start, to):
    timeline = case(BS, KOMMUNICERAT, beslut(start, to=to))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == []


def test_GEN_ATERKALL_6M_no_warning_without_forbehall():
    timeline = case(BS, KOMMUNICERAT, beslut("2026-03-02", to="2026-04-30", forbehall=False))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == []


def test_GEN_ATERKALL_6M_no_warning_for_a_decision_until_further_notice():
    timeline = case(BS, KOMMUNICERAT, beslut("2026-03-02", to=None))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == []


def test_GEN_ATERKALL_6M_measures_the_period_from_to_not_from_the_decision_date():
    # Decided on 10 March for 1 March – 31 August: the period is six months exactly.
    timeline = case(BS, KOMMUNICERAT, beslut("2026-03-10", start="2026-03-01", to="2026-08-31"))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == []


@pytest.mark.parametrize("insats", INSATSER)
def test_GEN_ATERKALL_6M_for_every_insats(insats):
    timeline = case(insats, KOMMUNICERAT, beslut("2026-03-02", to="2026-08-31"))
    assert warning_dates(timeline, "2026-12-31", "GEN-ATERKALL-6M") == ["2026-03-02"]


def test_GEN_ATERKALL_6M_message_names_the_period():
    timeline = case(BS, KOMMUNICERAT, beslut("2026-03-02", to="2026-08-31"))
    [warning] = warnings(timeline, "2026-12-31", "GEN-ATERKALL-6M")
    assert warning.message == (
        "Beslutet gäller 2026-03-02–2026-08-31, kortare än sex månader, och bör inte ha "
        "återkallelseförbehåll."
    )


# --- GEN-KOMMUNICERING -------------------------------------------------------------


@pytest.mark.parametrize("communication", ["kommunicerat", "kommunicering_avbojd"])
def test_GEN_KOMMUNICERING_no_warning_when_communicated_or_declined(communication):
    timeline = case(BS, ev("2026-02-20", communication), beslut("2026-03-02", forbehall=False))
    assert warning_dates(timeline, "2026-12-31", "GEN-KOMMUNICERING") == []


def test_GEN_KOMMUNICERING_warns_for_a_decision_without_communication():
    timeline = case(BS, ev("2026-02-01", "utredning"), beslut("2026-03-02", forbehall=False))
    assert warning_dates(timeline, "2026-12-31", "GEN-KOMMUNICERING") == ["2026-03-02"]


def test_GEN_KOMMUNICERING_communication_after_the_decision_is_too_late():
    timeline = case(BS, beslut("2026-03-02", forbehall=False), ev("2026-03-05", "kommunicerat"))
    assert warning_dates(timeline, "2026-12-31", "GEN-KOMMUNICERING") == ["2026-03-02"]


def test_GEN_KOMMUNICERING_each_decision_needs_its_own_communication():
    timeline = case(
        BS,
        KOMMUNICERAT,
        beslut("2026-03-02", to="2026-08-31", forbehall=False),
        beslut("2026-08-20", start="2026-09-01", forbehall=False),
        ev("2027-01-10", "kommunicering_avbojd"),
        beslut("2027-01-15", utfall="avslag", forbehall=False),
    )
    assert warning_dates(timeline, "2027-12-31", "GEN-KOMMUNICERING") == ["2026-08-20"]


@pytest.mark.parametrize("insats", INSATSER)
def test_GEN_KOMMUNICERING_for_every_insats(insats):
    timeline = case(insats, beslut("2026-03-02", forbehall=False))
    assert warning_dates(timeline, "2026-12-31", "GEN-KOMMUNICERING") == ["2026-03-02"]


# --- SBMS-NIVA-1M ------------------------------------------------------------------


def niva(iso, level, **fields):
    return ev(iso, "stodniva_bedomd", niva=level, **fields)


def test_SBMS_NIVA_1M_first_level_is_not_a_change():
    timeline = case(SBMS, niva("2026-03-02", "medel"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


@pytest.mark.parametrize("changed_on", ["2026-03-03", "2026-03-20", "2026-04-01"])
def test_SBMS_NIVA_1M_warns_for_a_change_within_a_month(changed_on):
    # Set on 2026-03-02; one month later is 2026-04-02.
    timeline = case(SBMS, niva("2026-03-02", "lag"), niva(changed_on, "medel"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == [changed_on]


@pytest.mark.parametrize("changed_on", ["2026-04-02", "2026-06-15"])
def test_SBMS_NIVA_1M_no_warning_a_month_or_more_after(changed_on):
    timeline = case(SBMS, niva("2026-03-02", "lag"), niva(changed_on, "medel"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_month_end_clamp():
    # Set on 2026-01-31; one month later is 2026-02-28 (the clamp), so 27 Feb warns.
    early = case(SBMS, niva("2026-01-31", "lag"), niva("2026-02-27", "hog"))
    on_time = case(SBMS, niva("2026-01-31", "lag"), niva("2026-02-28", "hog"))
    assert warning_dates(early, "2026-12-31", "SBMS-NIVA-1M") == ["2026-02-27"]
    assert warning_dates(on_time, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_no_warning_when_a_special_need_is_given():
    timeline = case(
        SBMS, niva("2026-03-02", "lag"), niva("2026-03-10", "hog", sarskilt_behov="Akut försämring")
    )
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_a_change_with_special_need_still_sets_the_level():
    # The level set on 10 March (with a special need) may not change again before 10 April.
    timeline = case(
        SBMS,
        niva("2026-03-02", "lag"),
        niva("2026-03-10", "hog", sarskilt_behov="Akut försämring"),
        niva("2026-04-01", "medel"),
    )
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == ["2026-04-01"]


def test_SBMS_NIVA_1M_no_warning_for_an_unchanged_level():
    timeline = case(SBMS, niva("2026-03-02", "medel"), niva("2026-03-10", "medel"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_unchanged_level_does_not_restart_the_month():
    # Medel was set on 2 March; confirming it on 25 March is no change, so a change on
    # 5 April is more than a month after the level was set.
    timeline = case(
        SBMS, niva("2026-03-02", "medel"), niva("2026-03-25", "medel"), niva("2026-04-05", "hog")
    )
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_level_of_the_uppdrag_counts():
    # Assessed medel in the investigation, then the uppdrag says hög eight days later.
    changed = case(
        SBMS, niva("2026-03-02", "medel"), ev("2026-03-10", "uppdrag_skickat", stodniva="hog")
    )
    same = case(
        SBMS, niva("2026-03-02", "medel"), ev("2026-03-10", "uppdrag_skickat", stodniva="medel")
    )
    assert warning_dates(changed, "2026-12-31", "SBMS-NIVA-1M") == ["2026-03-10"]
    assert warning_dates(same, "2026-12-31", "SBMS-NIVA-1M") == []


def test_SBMS_NIVA_1M_uppdrag_sets_the_level_that_an_assessment_changes():
    timeline = case(
        SBMS, ev("2026-03-10", "uppdrag_skickat", stodniva="lag"), niva("2026-03-31", "medel")
    )
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == ["2026-03-31"]


def test_SBMS_NIVA_1M_uppdrag_without_level_changes_nothing():
    timeline = case(
        SBMS,
        niva("2026-03-02", "medel"),
        ev("2026-03-10", "uppdrag_skickat"),
        niva("2026-04-02", "hog"),
    )
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


@pytest.mark.parametrize("insats", [BS, VOB])
def test_SBMS_NIVA_1M_only_for_socialt_boende_med_stod(insats):
    timeline = case(insats, niva("2026-03-02", "lag"), niva("2026-03-10", "hog"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-NIVA-1M") == []


# --- SBMS-EGENAVG-UPPREPAD ---------------------------------------------------------


def obetald(iso):
    return ev(iso, "egenavgift_obetald")


def test_SBMS_EGENAVG_UPPREPAD_one_unpaid_month_is_not_repeated():
    timeline = case(SBMS, obetald("2026-03-31"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == []


def test_SBMS_EGENAVG_UPPREPAD_two_entries_in_one_month_count_once():
    timeline = case(SBMS, obetald("2026-03-02"), obetald("2026-03-31"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == []


@pytest.mark.parametrize("second", ["2026-02-01", "2026-04-30", "2026-06-30"])
def test_SBMS_EGENAVG_UPPREPAD_two_of_the_last_six_months(second):
    # January and any month up to June: January is within the six months ending then.
    timeline = case(SBMS, obetald("2026-01-15"), obetald(second))
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == [second]


def test_SBMS_EGENAVG_UPPREPAD_months_further_apart_do_not_warn():
    # July's six months are February to July, so January no longer counts.
    timeline = case(SBMS, obetald("2026-01-15"), obetald("2026-07-01"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == []


def test_SBMS_EGENAVG_UPPREPAD_across_the_year_end():
    timeline = case(SBMS, obetald("2026-11-30"), obetald("2027-02-28"))
    assert warning_dates(timeline, "2027-12-31", "SBMS-EGENAVG-UPPREPAD") == ["2027-02-28"]


def test_SBMS_EGENAVG_UPPREPAD_local_default_threshold():
    timeline = case(SBMS, obetald("2026-01-15"), obetald("2026-03-15"), obetald("2026-05-15"))
    three_of_six = LocalDefaults(egenavgift_obetalda_manader=3)
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == [
        "2026-03-15",
        "2026-05-15",
    ]
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD", three_of_six) == [
        "2026-05-15"
    ]


def test_SBMS_EGENAVG_UPPREPAD_local_default_window():
    timeline = case(SBMS, obetald("2026-01-15"), obetald("2026-07-01"))
    twelve_months = LocalDefaults(egenavgift_fonster_manader=12)
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD", twelve_months) == [
        "2026-07-01"
    ]


@pytest.mark.parametrize("insats", [BS, VOB])
def test_SBMS_EGENAVG_UPPREPAD_only_for_socialt_boende_med_stod(insats):
    timeline = case(insats, obetald("2026-01-15"), obetald("2026-02-15"))
    assert warning_dates(timeline, "2026-12-31", "SBMS-EGENAVG-UPPREPAD") == []


# --- All warnings ------------------------------------------------------------------


def test_warnings_ignore_events_after_the_evaluation_date():
    timeline = case(
        SBMS, beslut("2026-03-02", to="2026-05-31"), obetald("2026-03-31"), obetald("2026-04-30")
    )
    assert run(timeline, "2026-03-01").varningar == ()
    assert [w.rule for w in run(timeline, "2026-04-29").varningar] == [
        "GEN-ATERKALL-6M",
        "GEN-KOMMUNICERING",
    ]


def test_warnings_sorted_by_date_then_rule():
    timeline = case(
        SBMS,
        obetald("2026-01-15"),
        niva("2026-02-01", "lag"),
        obetald("2026-02-15"),
        niva("2026-02-15", "hog"),
        beslut("2026-02-15", to="2026-05-31"),
    )
    assert [(w.date.isoformat(), w.rule) for w in run(timeline, "2026-12-31").varningar] == [
        ("2026-02-15", "GEN-ATERKALL-6M"),
        ("2026-02-15", "GEN-KOMMUNICERING"),
        ("2026-02-15", "SBMS-EGENAVG-UPPREPAD"),
        ("2026-02-15", "SBMS-NIVA-1M"),
    ]
