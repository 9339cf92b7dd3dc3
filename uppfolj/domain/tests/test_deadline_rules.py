"""Every row of the Deadlines table of RULES.md, and its date-arithmetic paragraph.

Each rule gets a scenario: the events that start one instance, the due date
worked out by hand, and an event that meets it. The four lifecycle tests
(met on the due date, met late, open on the due date, overdue the day after)
and the insats restriction run on that scenario; the special behaviour of
each rule follows its lifecycle tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from uppfolj.domain.engine import CANCELLED, MET, MET_LATE, OPEN, OVERDUE, REPORTED
from uppfolj.domain.rules import DEADLINE_RULES, DEFAULTS, LocalDefaults
from uppfolj.domain.timeline import (
    BOENDESTOD,
    INSATSER,
    SOCIALT_BOENDE_MED_STOD,
    VARD_OCH_OMSORGSBOENDE,
    Event,
    Timeline,
    parse_timeline,
)

from .builders import case, d, day_after, ev, instances, run, summary, timeline_md_examples

BS, SBMS, VOB = BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE
ALL = frozenset(INSATSER)

# A granting decision without an end date, so that GEN-BESLUT-UTGAR stays out of the way.
BESLUT = ev("2026-03-02", "beslut", utfall="bifall", from_date="2026-03-02")


@dataclass
class Scenario:
    """One instance of `rule`: the events that start it, its start and hand-computed due."""

    rule: str
    insatser: frozenset[str]  # the insats column of RULES.md
    events: tuple[Event, ...]
    start: str
    due: str
    met_by: str
    met_fields: dict[str, Any] = field(default_factory=dict)
    tatare: bool = False

    @property
    def insats(self) -> str:
        return next(i for i in INSATSER if i in self.insatser)

    def timeline(self, *more: Event, insats: str | None = None) -> Timeline:
        return case(insats or self.insats, *self.events, *more, tatare=self.tatare)

    def meeting_event(self, iso: str) -> Event:
        return ev(iso, self.met_by, **self.met_fields)

    def the_instance(self, timeline: Timeline, as_of: str):
        found = [b for b in instances(timeline, as_of, self.rule) if b.start == d(self.start)]
        assert len(found) == 1, found
        return found[0]


def assert_met_on_due_date(s: Scenario) -> None:
    instance = s.the_instance(s.timeline(s.meeting_event(s.due)), "2027-12-31")
    assert (instance.due, instance.status, instance.met_on) == (d(s.due), MET, d(s.due))


def assert_met_late(s: Scenario) -> None:
    late = day_after(s.due).isoformat()
    instance = s.the_instance(s.timeline(s.meeting_event(late)), "2027-12-31")
    assert (instance.due, instance.status, instance.met_on) == (d(s.due), MET_LATE, d(late))


def assert_open_on_due_date(s: Scenario) -> None:
    instance = s.the_instance(s.timeline(), s.due)
    assert (instance.due, instance.status, instance.met_on) == (d(s.due), OPEN, None)


def assert_overdue_day_after_due(s: Scenario) -> None:
    instance = s.the_instance(s.timeline(), day_after(s.due).isoformat())
    assert (instance.due, instance.status, instance.met_on) == (d(s.due), OVERDUE, None)


def assert_insats_restriction(s: Scenario) -> None:
    for insats in INSATSER:
        raised = instances(s.timeline(insats=insats), s.due, s.rule)
        assert bool(raised) == (insats in s.insatser), insats


# --- BS-KONTAKT-3VD ------------------------------------------------------------------

KONTAKT = Scenario(
    rule="BS-KONTAKT-3VD",
    insatser=frozenset({BS}),
    # Tue 2026-03-03 + 3 vardagar: Wed 4, Thu 5, Fri 6.
    events=(BESLUT, ev("2026-03-03", "uppdrag_skickat")),
    start="2026-03-03",
    due="2026-03-06",
    met_by="kontakt_tagen",
)


def test_BS_KONTAKT_3VD_met_on_due_date():
    assert_met_on_due_date(KONTAKT)


def test_BS_KONTAKT_3VD_met_late():
    assert_met_late(KONTAKT)


def test_BS_KONTAKT_3VD_open_on_due_date():
    assert_open_on_due_date(KONTAKT)


def test_BS_KONTAKT_3VD_overdue_day_after_due():
    assert_overdue_day_after_due(KONTAKT)


def test_BS_KONTAKT_3VD_only_for_boendestod():
    assert_insats_restriction(KONTAKT)


@pytest.mark.parametrize("met_by", ["kontakt_tagen", "uppstartsmote", "verkstallt"])
def test_BS_KONTAKT_3VD_met_by_each_contact_event(met_by):
    timeline = KONTAKT.timeline(ev("2026-03-05", met_by))
    assert summary(timeline, "2026-04-01", "BS-KONTAKT-3VD") == [
        ("2026-03-03", "2026-03-06", MET, "2026-03-05")
    ]


def test_BS_KONTAKT_3VD_met_by_the_first_contact_event():
    timeline = KONTAKT.timeline(
        ev("2026-03-04", "uppstartsmote"), ev("2026-03-09", "kontakt_tagen")
    )
    assert summary(timeline, "2026-04-01", "BS-KONTAKT-3VD") == [
        ("2026-03-03", "2026-03-06", MET, "2026-03-04")
    ]


def test_BS_KONTAKT_3VD_not_met_by_other_events():
    timeline = KONTAKT.timeline(
        ev("2026-03-04", "genomforandeplan_klar"), ev("2026-03-05", "daganteckning")
    )
    assert summary(timeline, "2026-03-09", "BS-KONTAKT-3VD") == [
        ("2026-03-03", "2026-03-06", OVERDUE, None)
    ]


@pytest.mark.parametrize(
    ("uppdrag", "due"),
    [
        # Tue 12 May: Wed 13 (1), Thu 14 Kristi himmelsfärdsdag, Fri 15 (2), Mon 18 (3).
        ("2026-05-12", "2026-05-18"),
        # Wed 1 April: Thu 2 (1), Fri 3 långfredagen, Mon 6 annandag påsk, Tue 7 (2), Wed 8 (3).
        ("2026-04-01", "2026-04-08"),
        # Wed 17 June: Thu 18 (1), Fri 19 midsommarafton, Mon 22 (2), Tue 23 (3).
        ("2026-06-17", "2026-06-23"),
        # Wed 23 Dec: Thu 24 julafton, Fri 25 juldagen, Mon 28 (1), Tue 29 (2), Wed 30 (3).
        ("2026-12-23", "2026-12-30"),
        # Tue 29 Dec: Wed 30 (1), Thu 31 nyårsafton, Fri 1 Jan, Mon 4 (2), Tue 5 (3).
        ("2026-12-29", "2027-01-05"),
    ],
)
def test_BS_KONTAKT_3VD_counts_vardagar_across_holidays_and_aftnar(uppdrag, due):
    timeline = case(BS, ev(uppdrag, "uppdrag_skickat"))
    assert summary(timeline, due, "BS-KONTAKT-3VD") == [(uppdrag, due, OPEN, None)]
    assert summary(timeline, day_after(due), "BS-KONTAKT-3VD") == [(uppdrag, due, OVERDUE, None)]


# --- BS-VERKST-1M --------------------------------------------------------------------

VERKST = Scenario(
    rule="BS-VERKST-1M",
    insatser=frozenset({BS}),
    # 2026-03-03 + 1 month = 2026-04-03 (långfredagen: a month deadline is not moved).
    events=(BESLUT, ev("2026-03-03", "uppdrag_skickat")),
    start="2026-03-03",
    due="2026-04-03",
    met_by="verkstallt",
    met_fields={"grad": "helt"},
)


def test_BS_VERKST_1M_met_on_due_date():
    assert_met_on_due_date(VERKST)


def test_BS_VERKST_1M_met_late():
    assert_met_late(VERKST)


def test_BS_VERKST_1M_open_on_due_date():
    assert_open_on_due_date(VERKST)


def test_BS_VERKST_1M_overdue_day_after_due():
    assert_overdue_day_after_due(VERKST)


def test_BS_VERKST_1M_only_for_boendestod():
    assert_insats_restriction(VERKST)


def test_BS_VERKST_1M_due_on_a_holiday_is_not_moved_to_the_next_vardag():
    # Due on långfredagen 2026-04-03; executing on the next vardag (Tue 7 April) is late.
    timeline = VERKST.timeline(ev("2026-04-07", "verkstallt", grad="helt"))
    assert summary(timeline, "2026-05-01", "BS-VERKST-1M") == [
        ("2026-03-03", "2026-04-03", MET_LATE, "2026-04-07")
    ]


def test_BS_VERKST_1M_met_by_a_partial_execution():
    timeline = VERKST.timeline(ev("2026-03-20", "verkstallt", grad="delvis"))
    assert summary(timeline, "2026-05-01", "BS-VERKST-1M") == [
        ("2026-03-03", "2026-04-03", MET, "2026-03-20")
    ]


def test_BS_VERKST_1M_not_met_by_contact():
    timeline = VERKST.timeline(ev("2026-03-05", "kontakt_tagen"), ev("2026-03-10", "uppstartsmote"))
    assert summary(timeline, "2026-04-04", "BS-VERKST-1M") == [
        ("2026-03-03", "2026-04-03", OVERDUE, None)
    ]


# --- GEN-IVO-3M ----------------------------------------------------------------------

IVO = Scenario(
    rule="GEN-IVO-3M",
    insatser=ALL,
    # The decision's date 2026-03-02 + 3 months = 2026-06-02 (not its `from`, 9 March).
    events=(ev("2026-03-02", "beslut", utfall="bifall", from_date="2026-03-09"),),
    start="2026-03-02",
    due="2026-06-02",
    met_by="verkstallt",
    met_fields={"grad": "helt"},
)


def test_GEN_IVO_3M_met_on_due_date():
    assert_met_on_due_date(IVO)


def test_GEN_IVO_3M_met_late():
    assert_met_late(IVO)


def test_GEN_IVO_3M_open_on_due_date():
    assert_open_on_due_date(IVO)


def test_GEN_IVO_3M_overdue_day_after_due():
    assert_overdue_day_after_due(IVO)


def test_GEN_IVO_3M_for_every_insats():
    assert_insats_restriction(IVO)


def test_GEN_IVO_3M_starts_on_the_decision_date_not_its_from_date():
    [instance] = instances(IVO.timeline(), "2026-03-31", "GEN-IVO-3M")
    assert (instance.start, instance.due) == (d("2026-03-02"), d("2026-06-02"))


def test_GEN_IVO_3M_started_by_delvis_not_by_avslag():
    delvis = case(BS, ev("2026-03-02", "beslut", utfall="delvis"))
    avslag = case(BS, ev("2026-03-02", "beslut", utfall="avslag"))
    assert summary(delvis, "2026-03-31", "GEN-IVO-3M") == [("2026-03-02", "2026-06-02", OPEN, None)]
    assert summary(avslag, "2026-12-31", "GEN-IVO-3M") == []


def test_GEN_IVO_3M_reported_by_ivo_rapport_once_overdue():
    timeline = IVO.timeline(ev("2026-06-03", "ivo_rapport"))
    assert summary(timeline, "2026-07-01", "GEN-IVO-3M") == [
        ("2026-03-02", "2026-06-02", REPORTED, "2026-06-03")
    ]


def test_GEN_IVO_3M_ivo_rapport_on_or_before_the_due_date_does_not_close_it():
    # Not yet overdue on 2 June, so the report closes nothing; the late execution meets it.
    timeline = IVO.timeline(
        ev("2026-05-20", "ivo_rapport"),
        ev("2026-06-02", "ivo_rapport"),
        ev("2026-06-10", "verkstallt", grad="helt"),
    )
    assert summary(timeline, "2026-06-02", "GEN-IVO-3M") == [
        ("2026-03-02", "2026-06-02", OPEN, None)
    ]
    assert summary(timeline, "2026-07-01", "GEN-IVO-3M") == [
        ("2026-03-02", "2026-06-02", MET_LATE, "2026-06-10")
    ]


def test_GEN_IVO_3M_stays_reported_when_executed_after_the_report():
    timeline = IVO.timeline(ev("2026-06-15", "ivo_rapport"), ev("2026-07-01", "verkstallt"))
    assert summary(timeline, "2026-08-01", "GEN-IVO-3M") == [
        ("2026-03-02", "2026-06-02", REPORTED, "2026-06-15")
    ]


# --- GEN-IVO-AVBROTT-3M --------------------------------------------------------------

AVBROTT = Scenario(
    rule="GEN-IVO-AVBROTT-3M",
    insatser=ALL,
    # Paus 2026-02-10 + 3 months = 2026-05-10 (a Sunday, not moved).
    events=(ev("2026-01-15", "verkstallt", grad="helt"), ev("2026-02-10", "paus")),
    start="2026-02-10",
    due="2026-05-10",
    met_by="ateruppta",
)


def test_GEN_IVO_AVBROTT_3M_met_on_due_date():
    assert_met_on_due_date(AVBROTT)


def test_GEN_IVO_AVBROTT_3M_met_late():
    assert_met_late(AVBROTT)


def test_GEN_IVO_AVBROTT_3M_open_on_due_date():
    assert_open_on_due_date(AVBROTT)


def test_GEN_IVO_AVBROTT_3M_overdue_day_after_due():
    assert_overdue_day_after_due(AVBROTT)


def test_GEN_IVO_AVBROTT_3M_for_every_insats():
    assert_insats_restriction(AVBROTT)


def test_GEN_IVO_AVBROTT_3M_reported_by_ivo_rapport_once_overdue():
    timeline = AVBROTT.timeline(ev("2026-05-10", "ivo_rapport"), ev("2026-05-11", "ivo_rapport"))
    assert summary(timeline, "2026-06-01", "GEN-IVO-AVBROTT-3M") == [
        ("2026-02-10", "2026-05-10", REPORTED, "2026-05-11")
    ]


def test_GEN_IVO_AVBROTT_3M_a_new_interruption_after_resuming_starts_a_new_instance():
    timeline = AVBROTT.timeline(ev("2026-03-01", "ateruppta"), ev("2026-09-30", "paus"))
    assert summary(timeline, "2026-10-01", "GEN-IVO-AVBROTT-3M") == [
        ("2026-02-10", "2026-05-10", MET, "2026-03-01"),
        # 2026-09-30 + 3 months = 2026-12-30.
        ("2026-09-30", "2026-12-30", OPEN, None),
    ]


# --- BS-GFP-4V -----------------------------------------------------------------------

GFP = Scenario(
    rule="BS-GFP-4V",
    insatser=frozenset({BS}),
    # 2026-03-16 + 28 days = 2026-04-13 (the TIMELINE.md example).
    events=(BESLUT, ev("2026-03-16", "verkstallt", grad="helt")),
    start="2026-03-16",
    due="2026-04-13",
    met_by="genomforandeplan_klar",
)


def test_BS_GFP_4V_met_on_due_date():
    assert_met_on_due_date(GFP)


def test_BS_GFP_4V_met_late():
    assert_met_late(GFP)


def test_BS_GFP_4V_open_on_due_date():
    assert_open_on_due_date(GFP)


def test_BS_GFP_4V_overdue_day_after_due():
    assert_overdue_day_after_due(GFP)


def test_BS_GFP_4V_only_for_boendestod():
    assert_insats_restriction(GFP)


def test_BS_GFP_4V_due_on_a_saturday_is_not_moved():
    # Sat 2026-03-21 + 28 days = Sat 2026-04-18; a plan on Monday 20 April is late.
    timeline = case(BS, ev("2026-03-21", "verkstallt"), ev("2026-04-20", "genomforandeplan_klar"))
    assert summary(timeline, "2026-05-01", "BS-GFP-4V") == [
        ("2026-03-21", "2026-04-18", MET_LATE, "2026-04-20")
    ]


# --- VOB-GFP-14D ---------------------------------------------------------------------

VOB_GFP = Scenario(
    rule="VOB-GFP-14D",
    insatser=frozenset({VOB}),
    # 2026-02-20 + 14 days = 2026-03-06.
    events=(ev("2026-02-20", "verkstallt", grad="helt"),),
    start="2026-02-20",
    due="2026-03-06",
    met_by="genomforandeplan_klar",
)


def test_VOB_GFP_14D_met_on_due_date():
    assert_met_on_due_date(VOB_GFP)


def test_VOB_GFP_14D_met_late():
    assert_met_late(VOB_GFP)


def test_VOB_GFP_14D_open_on_due_date():
    assert_open_on_due_date(VOB_GFP)


def test_VOB_GFP_14D_overdue_day_after_due():
    assert_overdue_day_after_due(VOB_GFP)


def test_VOB_GFP_14D_only_for_vard_och_omsorgsboende():
    assert_insats_restriction(VOB_GFP)


# --- BS-SAMMANST-89D -----------------------------------------------------------------

SAMMANST = Scenario(
    rule="BS-SAMMANST-89D",
    insatser=frozenset({BS}),
    # 2026-03-16 + 89 days: 15 days to 31 March, 30 in April (45), 31 in May (76),
    # 13 in June (89) = 2026-06-13.
    events=(ev("2026-03-16", "verkstallt", grad="helt"),),
    start="2026-03-16",
    due="2026-06-13",
    met_by="sammanstallning",
)


def test_BS_SAMMANST_89D_met_on_due_date():
    assert_met_on_due_date(SAMMANST)


def test_BS_SAMMANST_89D_met_late():
    assert_met_late(SAMMANST)


def test_BS_SAMMANST_89D_open_on_due_date():
    assert_open_on_due_date(SAMMANST)


def test_BS_SAMMANST_89D_overdue_day_after_due():
    assert_overdue_day_after_due(SAMMANST)


def test_BS_SAMMANST_89D_only_for_boendestod():
    assert_insats_restriction(SAMMANST)


def test_BS_SAMMANST_89D_next_instance_starts_on_the_meeting_summary():
    timeline = SAMMANST.timeline(ev("2026-06-01", "sammanstallning"))
    assert summary(timeline, "2026-07-01", "BS-SAMMANST-89D") == [
        ("2026-03-16", "2026-06-13", MET, "2026-06-01"),
        # 2026-06-01 + 89: 29 days to 30 June, 31 in July (60), 29 in August = 2026-08-29.
        ("2026-06-01", "2026-08-29", OPEN, None),
    ]


def test_BS_SAMMANST_89D_late_summary_restarts_from_its_own_date():
    timeline = SAMMANST.timeline(ev("2026-06-20", "sammanstallning"))
    assert summary(timeline, "2026-07-01", "BS-SAMMANST-89D") == [
        ("2026-03-16", "2026-06-13", MET_LATE, "2026-06-20"),
        # 2026-06-20 + 89: 10 days to 30 June, 31 in July (41), 31 in August (72),
        # 17 in September = 2026-09-17.
        ("2026-06-20", "2026-09-17", OPEN, None),
    ]


def test_BS_SAMMANST_89D_chain_of_summaries():
    timeline = SAMMANST.timeline(
        ev("2026-06-01", "sammanstallning"), ev("2026-08-20", "sammanstallning")
    )
    assert summary(timeline, "2026-12-01", "BS-SAMMANST-89D") == [
        ("2026-03-16", "2026-06-13", MET, "2026-06-01"),
        ("2026-06-01", "2026-08-29", MET, "2026-08-20"),
        # 2026-08-20 + 89: 11 days to 31 August, 30 in September (41), 31 in October (72),
        # 17 in November = 2026-11-17.
        ("2026-08-20", "2026-11-17", OVERDUE, None),
    ]


# --- SBMS-UPPF-3M --------------------------------------------------------------------

SBMS_UPPF = Scenario(
    rule="SBMS-UPPF-3M",
    insatser=frozenset({SBMS}),
    # 2026-01-31 + 3 months: 31 April does not exist, so 2026-04-30.
    events=(ev("2026-01-31", "verkstallt", grad="helt"),),
    start="2026-01-31",
    due="2026-04-30",
    met_by="uppfoljning",
)


def test_SBMS_UPPF_3M_met_on_due_date():
    assert_met_on_due_date(SBMS_UPPF)


def test_SBMS_UPPF_3M_met_late():
    assert_met_late(SBMS_UPPF)


def test_SBMS_UPPF_3M_open_on_due_date():
    assert_open_on_due_date(SBMS_UPPF)


def test_SBMS_UPPF_3M_overdue_day_after_due():
    assert_overdue_day_after_due(SBMS_UPPF)


def test_SBMS_UPPF_3M_only_for_socialt_boende_med_stod():
    assert_insats_restriction(SBMS_UPPF)


def test_SBMS_UPPF_3M_month_end_clamp_and_restart_from_the_follow_up():
    timeline = SBMS_UPPF.timeline(ev("2026-04-30", "uppfoljning"))
    assert summary(timeline, "2026-05-01", "SBMS-UPPF-3M") == [
        ("2026-01-31", "2026-04-30", MET, "2026-04-30"),
        # Counted from the follow-up on 30 April, not from 31 January: 2026-07-30.
        ("2026-04-30", "2026-07-30", OPEN, None),
    ]


def test_SBMS_UPPF_3M_late_follow_up_restarts_from_its_own_date():
    timeline = SBMS_UPPF.timeline(ev("2026-05-20", "uppfoljning"))
    assert summary(timeline, "2026-06-01", "SBMS-UPPF-3M") == [
        ("2026-01-31", "2026-04-30", MET_LATE, "2026-05-20"),
        ("2026-05-20", "2026-08-20", OPEN, None),
    ]


# --- VOB-UPPF-12M --------------------------------------------------------------------

VOB_UPPF = Scenario(
    rule="VOB-UPPF-12M",
    insatser=frozenset({VOB}),
    # 2026-02-10 + 12 months = 2027-02-10.
    events=(ev("2026-02-10", "verkstallt", grad="helt"),),
    start="2026-02-10",
    due="2027-02-10",
    met_by="uppfoljning",
)


def test_VOB_UPPF_12M_met_on_due_date():
    assert_met_on_due_date(VOB_UPPF)


def test_VOB_UPPF_12M_met_late():
    assert_met_late(VOB_UPPF)


def test_VOB_UPPF_12M_open_on_due_date():
    assert_open_on_due_date(VOB_UPPF)


def test_VOB_UPPF_12M_overdue_day_after_due():
    assert_overdue_day_after_due(VOB_UPPF)


def test_VOB_UPPF_12M_only_for_vard_och_omsorgsboende():
    assert_insats_restriction(VOB_UPPF)


def test_VOB_UPPF_12M_new_bevakning_a_year_after_each_follow_up():
    timeline = VOB_UPPF.timeline(ev("2027-01-20", "uppfoljning"))
    assert summary(timeline, "2027-02-01", "VOB-UPPF-12M") == [
        ("2026-02-10", "2027-02-10", MET, "2027-01-20"),
        ("2027-01-20", "2028-01-20", OPEN, None),
    ]


def test_VOB_UPPF_12M_from_a_leap_day_clamps_to_28_february():
    timeline = case(VOB, ev("2028-02-29", "verkstallt"))
    assert summary(timeline, "2028-03-01", "VOB-UPPF-12M") == [
        ("2028-02-29", "2029-02-28", OPEN, None)
    ]


# --- GEN-TAT-UPPF-3M -----------------------------------------------------------------

TAT = Scenario(
    rule="GEN-TAT-UPPF-3M",
    insatser=ALL,
    # 2026-05-20 + 3 months = 2026-08-20.
    events=(ev("2026-05-20", "verkstallt", grad="helt"),),
    start="2026-05-20",
    due="2026-08-20",
    met_by="uppfoljning",
    tatare=True,
)


def test_GEN_TAT_UPPF_3M_met_on_due_date():
    assert_met_on_due_date(TAT)


def test_GEN_TAT_UPPF_3M_met_late():
    assert_met_late(TAT)


def test_GEN_TAT_UPPF_3M_open_on_due_date():
    assert_open_on_due_date(TAT)


def test_GEN_TAT_UPPF_3M_overdue_day_after_due():
    assert_overdue_day_after_due(TAT)


def test_GEN_TAT_UPPF_3M_for_every_insats_when_flagged():
    assert_insats_restriction(TAT)


@pytest.mark.parametrize("insats", INSATSER)
def test_GEN_TAT_UPPF_3M_not_raised_without_tatare_uppfoljning(insats):
    timeline = case(insats, *TAT.events, tatare=False)
    assert summary(timeline, "2026-12-31", "GEN-TAT-UPPF-3M") == []


def test_GEN_TAT_UPPF_3M_recurs_from_each_follow_up():
    timeline = TAT.timeline(ev("2026-08-10", "uppfoljning"), ev("2026-11-30", "uppfoljning"))
    assert summary(timeline, "2026-12-01", "GEN-TAT-UPPF-3M") == [
        ("2026-05-20", "2026-08-20", MET, "2026-08-10"),
        ("2026-08-10", "2026-11-10", MET_LATE, "2026-11-30"),
        # 2026-11-30 + 3 months: 30 February does not exist, so 2027-02-28.
        ("2026-11-30", "2027-02-28", OPEN, None),
    ]


# --- GEN-BESLUT-UTGAR ----------------------------------------------------------------

UTGAR = Scenario(
    rule="GEN-BESLUT-UTGAR",
    insatser=ALL,
    # Due on the decision's `to`, 2026-08-31.
    events=(
        ev("2026-03-02", "beslut", utfall="bifall", from_date="2026-03-02", to_date="2026-08-31"),
    ),
    start="2026-03-02",
    due="2026-08-31",
    met_by="beslut",
    # The new decision runs until further notice, so it starts no instance of its own.
    met_fields={"utfall": "bifall", "from_date": d("2026-09-01")},
)


def test_GEN_BESLUT_UTGAR_met_on_due_date():
    assert_met_on_due_date(UTGAR)


def test_GEN_BESLUT_UTGAR_met_late():
    assert_met_late(UTGAR)


def test_GEN_BESLUT_UTGAR_open_on_due_date():
    assert_open_on_due_date(UTGAR)


def test_GEN_BESLUT_UTGAR_overdue_day_after_due():
    assert_overdue_day_after_due(UTGAR)


def test_GEN_BESLUT_UTGAR_for_every_insats():
    assert_insats_restriction(UTGAR)


def test_GEN_BESLUT_UTGAR_not_raised_for_a_decision_until_further_notice():
    timeline = case(BS, ev("2026-03-02", "beslut", utfall="bifall", from_date="2026-03-02"))
    assert summary(timeline, "2027-12-31", "GEN-BESLUT-UTGAR") == []


def test_GEN_BESLUT_UTGAR_met_by_avslut():
    timeline = UTGAR.timeline(ev("2026-06-15", "avslut"))
    assert summary(timeline, "2026-12-31", "GEN-BESLUT-UTGAR") == [
        ("2026-03-02", "2026-08-31", MET, "2026-06-15")
    ]


def test_GEN_BESLUT_UTGAR_avslut_after_the_end_date_meets_it_late():
    # avslut is a met-by event of this rule, so it is met_late, not left overdue.
    timeline = UTGAR.timeline(ev("2026-09-15", "avslut"))
    assert summary(timeline, "2026-12-31", "GEN-BESLUT-UTGAR") == [
        ("2026-03-02", "2026-08-31", MET_LATE, "2026-09-15")
    ]


def test_GEN_BESLUT_UTGAR_new_decision_meets_the_old_and_starts_its_own():
    timeline = UTGAR.timeline(
        ev("2026-08-20", "beslut", utfall="bifall", from_date="2026-09-01", to_date="2027-02-28")
    )
    assert summary(timeline, "2026-09-01", "GEN-BESLUT-UTGAR") == [
        ("2026-03-02", "2026-08-31", MET, "2026-08-20"),
        ("2026-08-20", "2027-02-28", OPEN, None),
    ]


# --- BS-SAMLAR-UTV-3M ----------------------------------------------------------------

SAMLAR = Scenario(
    rule="BS-SAMLAR-UTV-3M",
    insatser=frozenset({BS}),
    # 2026-11-30 + 3 months: 30 February does not exist, so 2027-02-28.
    events=(ev("2026-11-30", "samlarteam_start"),),
    start="2026-11-30",
    due="2027-02-28",
    met_by="samlarteam_utvardering",
)


def test_BS_SAMLAR_UTV_3M_met_on_due_date():
    assert_met_on_due_date(SAMLAR)


def test_BS_SAMLAR_UTV_3M_met_late():
    assert_met_late(SAMLAR)


def test_BS_SAMLAR_UTV_3M_open_on_due_date():
    assert_open_on_due_date(SAMLAR)


def test_BS_SAMLAR_UTV_3M_overdue_day_after_due():
    assert_overdue_day_after_due(SAMLAR)


def test_BS_SAMLAR_UTV_3M_only_for_boendestod():
    assert_insats_restriction(SAMLAR)


# --- SBMS-LEXSARAH -------------------------------------------------------------------

LEXSARAH = Scenario(
    rule="SBMS-LEXSARAH",
    insatser=frozenset({SBMS}),
    # Wed 2026-05-13 + 1 vardag: Thu 14 is Kristi himmelsfärdsdag, so Fri 2026-05-15.
    events=(ev("2026-05-13", "lex_sarah"),),
    start="2026-05-13",
    due="2026-05-15",
    met_by="handlaggare_kontaktad",
)


def test_SBMS_LEXSARAH_met_on_due_date():
    assert_met_on_due_date(LEXSARAH)


def test_SBMS_LEXSARAH_met_late():
    assert_met_late(LEXSARAH)


def test_SBMS_LEXSARAH_open_on_due_date():
    assert_open_on_due_date(LEXSARAH)


def test_SBMS_LEXSARAH_overdue_day_after_due():
    assert_overdue_day_after_due(LEXSARAH)


def test_SBMS_LEXSARAH_only_for_socialt_boende_med_stod():
    assert_insats_restriction(LEXSARAH)


def test_SBMS_LEXSARAH_met_by_a_follow_up():
    timeline = LEXSARAH.timeline(ev("2026-05-15", "uppfoljning"))
    assert summary(timeline, "2026-06-01", "SBMS-LEXSARAH") == [
        ("2026-05-13", "2026-05-15", MET, "2026-05-15")
    ]


def test_SBMS_LEXSARAH_local_default_vardagar():
    # 3 vardagar after Wed 13 May: Fri 15 (1), Mon 18 (2), Tue 19 (3).
    defaults = LocalDefaults(sbms_lexsarah_vardagar=3)
    assert summary(LEXSARAH.timeline(), "2026-05-14", "SBMS-LEXSARAH", defaults) == [
        ("2026-05-13", "2026-05-19", OPEN, None)
    ]


# --- BS-3DAGARS ----------------------------------------------------------------------

TREDAGARS = Scenario(
    rule="BS-3DAGARS",
    insatser=frozenset({BS}),
    # Thu 2026-06-18 + 3 calendar days = Sun 2026-06-21 (midsommar does not move it).
    events=(ev("2026-06-18", "utebliven_kontakt"),),
    start="2026-06-18",
    due="2026-06-21",
    met_by="kontakt_aterupptagen",
)


def test_BS_3DAGARS_met_on_due_date():
    assert_met_on_due_date(TREDAGARS)


def test_BS_3DAGARS_met_late():
    assert_met_late(TREDAGARS)


def test_BS_3DAGARS_open_on_due_date():
    assert_open_on_due_date(TREDAGARS)


def test_BS_3DAGARS_overdue_day_after_due():
    assert_overdue_day_after_due(TREDAGARS)


def test_BS_3DAGARS_only_for_boendestod():
    assert_insats_restriction(TREDAGARS)


def test_BS_3DAGARS_met_by_escalation():
    timeline = TREDAGARS.timeline(ev("2026-06-20", "eskalerad"))
    assert summary(timeline, "2026-07-01", "BS-3DAGARS") == [
        ("2026-06-18", "2026-06-21", MET, "2026-06-20")
    ]


def test_BS_3DAGARS_each_missed_visit_starts_its_own_instance():
    timeline = TREDAGARS.timeline(
        ev("2026-06-19", "kontakt_aterupptagen"), ev("2026-08-03", "utebliven_kontakt")
    )
    assert summary(timeline, "2026-08-04", "BS-3DAGARS") == [
        ("2026-06-18", "2026-06-21", MET, "2026-06-19"),
        ("2026-08-03", "2026-08-06", OPEN, None),
    ]


def test_BS_3DAGARS_local_default_days():
    # 5 calendar days after 2026-06-18 = 2026-06-23.
    defaults = LocalDefaults(bs_tredagars_dagar=5)
    assert summary(TREDAGARS.timeline(), "2026-06-19", "BS-3DAGARS", defaults) == [
        ("2026-06-18", "2026-06-23", OPEN, None)
    ]


# --- GEN-FRANVARO-1M -----------------------------------------------------------------

FRANVARO = Scenario(
    rule="GEN-FRANVARO-1M",
    insatser=ALL,
    # 2026-07-10 + 1 month = 2026-08-10.
    events=(ev("2026-03-16", "verkstallt", grad="helt"), ev("2026-07-10", "paus")),
    start="2026-07-10",
    due="2026-08-10",
    met_by="ateruppta",
)


def test_GEN_FRANVARO_1M_met_on_due_date():
    assert_met_on_due_date(FRANVARO)


def test_GEN_FRANVARO_1M_met_late():
    assert_met_late(FRANVARO)


def test_GEN_FRANVARO_1M_open_on_due_date():
    assert_open_on_due_date(FRANVARO)


def test_GEN_FRANVARO_1M_overdue_day_after_due():
    assert_overdue_day_after_due(FRANVARO)


def test_GEN_FRANVARO_1M_for_every_insats():
    assert_insats_restriction(FRANVARO)


def test_GEN_FRANVARO_1M_paus_bedomd_restarts_the_chain():
    timeline = FRANVARO.timeline(ev("2026-08-05", "paus_bedomd"))
    assert summary(timeline, "2026-08-06", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET, "2026-08-05"),
        ("2026-08-05", "2026-09-05", OPEN, None),
    ]


def test_GEN_FRANVARO_1M_late_paus_bedomd_restarts_from_its_own_date():
    timeline = FRANVARO.timeline(ev("2026-08-12", "paus_bedomd"))
    assert summary(timeline, "2026-08-13", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET_LATE, "2026-08-12"),
        ("2026-08-12", "2026-09-12", OPEN, None),
    ]


def test_GEN_FRANVARO_1M_ateruppta_ends_the_chain():
    timeline = FRANVARO.timeline(ev("2026-08-05", "paus_bedomd"), ev("2026-08-20", "ateruppta"))
    assert summary(timeline, "2027-06-01", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET, "2026-08-05"),
        ("2026-08-05", "2026-09-05", MET, "2026-08-20"),
    ]


def test_GEN_FRANVARO_1M_avslut_ends_the_chain():
    timeline = FRANVARO.timeline(ev("2026-08-01", "avslut"))
    assert summary(timeline, "2027-06-01", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET, "2026-08-01")
    ]


def test_GEN_FRANVARO_1M_avslut_after_the_due_date_meets_it_late():
    timeline = FRANVARO.timeline(ev("2026-09-01", "avslut"))
    assert summary(timeline, "2027-06-01", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET_LATE, "2026-09-01")
    ]


def test_GEN_FRANVARO_1M_new_paus_after_resuming_starts_a_new_chain():
    timeline = FRANVARO.timeline(ev("2026-07-25", "ateruppta"), ev("2026-10-31", "paus"))
    assert summary(timeline, "2026-11-01", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", MET, "2026-07-25"),
        # 2026-10-31 + 1 month: 31 November does not exist, so 2026-11-30.
        ("2026-10-31", "2026-11-30", OPEN, None),
    ]


# --- BS-SLUTANT ----------------------------------------------------------------------

SLUTANT = Scenario(
    rule="BS-SLUTANT",
    insatser=frozenset({BS}),
    # Mon 2026-12-21 + 5 vardagar: Tue 22 (1), Wed 23 (2), Thu 24 julafton, Fri 25 juldagen,
    # Mon 28 (3), Tue 29 (4), Wed 30 (5).
    events=(ev("2026-03-16", "verkstallt", grad="helt"), ev("2026-12-21", "avslut")),
    start="2026-12-21",
    due="2026-12-30",
    met_by="slutanteckning",
)


def test_BS_SLUTANT_met_on_due_date():
    assert_met_on_due_date(SLUTANT)


def test_BS_SLUTANT_met_late():
    assert_met_late(SLUTANT)


def test_BS_SLUTANT_open_on_due_date():
    assert_open_on_due_date(SLUTANT)


def test_BS_SLUTANT_overdue_day_after_due():
    assert_overdue_day_after_due(SLUTANT)


def test_BS_SLUTANT_only_for_boendestod():
    assert_insats_restriction(SLUTANT)


def test_BS_SLUTANT_across_nyarsafton_and_trettondedag_jul():
    # Mon 2026-12-28: Tue 29 (1), Wed 30 (2), Thu 31 nyårsafton, Fri 1 Jan nyårsdagen,
    # Mon 4 (3), Tue 5 (4), Wed 6 trettondedag jul, Thu 7 (5).
    timeline = case(BS, ev("2026-12-28", "avslut"))
    assert summary(timeline, "2026-12-28", "BS-SLUTANT") == [
        ("2026-12-28", "2027-01-07", OPEN, None)
    ]


def test_BS_SLUTANT_local_default_vardagar():
    # 3 vardagar after Mon 21 Dec: Tue 22 (1), Wed 23 (2), Mon 28 (3).
    defaults = LocalDefaults(bs_slutant_vardagar=3)
    assert summary(SLUTANT.timeline(), "2026-12-21", "BS-SLUTANT", defaults) == [
        ("2026-12-21", "2026-12-28", OPEN, None)
    ]


def test_BS_SLUTANT_not_raised_without_avslut():
    timeline = case(BS, ev("2026-03-16", "verkstallt"), ev("2026-04-01", "slutanteckning"))
    assert summary(timeline, "2027-01-01", "BS-SLUTANT") == []


# --- Every rule has a scenario above ----------------------------------------------------

SCENARIOS = [
    KONTAKT,
    VERKST,
    IVO,
    AVBROTT,
    GFP,
    VOB_GFP,
    SAMMANST,
    SBMS_UPPF,
    VOB_UPPF,
    TAT,
    UTGAR,
    SAMLAR,
    LEXSARAH,
    TREDAGARS,
    FRANVARO,
    SLUTANT,
]


def test_every_deadline_rule_has_a_lifecycle_scenario():
    assert [s.rule for s in SCENARIOS] == [rule.id for rule in DEADLINE_RULES]


# --- Closing (avslut) ------------------------------------------------------------------

EXECUTED = (
    ev("2026-03-02", "beslut", utfall="bifall", from_date="2026-03-02", to_date="2026-08-31"),
    ev("2026-03-03", "uppdrag_skickat"),
    ev("2026-03-05", "kontakt_tagen"),
    ev("2026-03-16", "verkstallt", grad="helt"),
)


def test_closing_cancels_instances_still_open_on_the_closing_date():
    timeline = case(BS, *EXECUTED, ev("2026-04-10", "avslut"))
    # BS-GFP-4V (due 13 April) and BS-SAMMANST-89D (due 13 June) were open on 10 April.
    assert summary(timeline, "2026-05-01", "BS-GFP-4V") == [
        ("2026-03-16", "2026-04-13", CANCELLED, None)
    ]
    assert summary(timeline, "2026-05-01", "BS-SAMMANST-89D") == [
        ("2026-03-16", "2026-06-13", CANCELLED, None)
    ]


def test_closing_cancels_an_instance_due_on_the_closing_date():
    timeline = case(BS, *EXECUTED, ev("2026-04-13", "avslut"))
    assert summary(timeline, "2026-05-01", "BS-GFP-4V") == [
        ("2026-03-16", "2026-04-13", CANCELLED, None)
    ]


def test_closing_leaves_an_overdue_instance_overdue():
    timeline = case(BS, *EXECUTED, ev("2026-04-14", "avslut"))
    assert summary(timeline, "2026-05-01", "BS-GFP-4V") == [
        ("2026-03-16", "2026-04-13", OVERDUE, None)
    ]


def test_closing_met_instances_keep_their_status():
    timeline = case(BS, *EXECUTED, ev("2026-04-10", "avslut"))
    assert summary(timeline, "2026-05-01", "BS-KONTAKT-3VD") == [
        ("2026-03-03", "2026-03-06", MET, "2026-03-05")
    ]


def test_closing_itself_meets_GEN_BESLUT_UTGAR_rather_than_cancelling_it():
    timeline = case(BS, *EXECUTED, ev("2026-04-10", "avslut"))
    assert summary(timeline, "2026-05-01", "GEN-BESLUT-UTGAR") == [
        ("2026-03-02", "2026-08-31", MET, "2026-04-10")
    ]


def test_closing_events_after_it_do_not_meet_earlier_instances():
    # The engine's reading: a case ends at its closing, so a plan written later is no
    # longer the case's plan and the missed deadline stays in the record.
    timeline = case(
        BS, *EXECUTED, ev("2026-04-20", "avslut"), ev("2026-04-21", "genomforandeplan_klar")
    )
    assert summary(timeline, "2026-05-01", "BS-GFP-4V") == [
        ("2026-03-16", "2026-04-13", OVERDUE, None)
    ]


def test_closing_no_new_SBMS_UPPF_3M_instance_from_a_follow_up_on_the_closing_date():
    timeline = case(
        SBMS,
        ev("2026-01-31", "verkstallt"),
        ev("2026-04-20", "uppfoljning"),
        ev("2026-04-20", "avslut"),
    )
    assert summary(timeline, "2026-12-31", "SBMS-UPPF-3M") == [
        ("2026-01-31", "2026-04-30", MET, "2026-04-20")
    ]


def test_closing_cancels_the_SBMS_UPPF_3M_instance_started_before_it():
    timeline = case(
        SBMS,
        ev("2026-01-31", "verkstallt"),
        ev("2026-04-10", "uppfoljning"),
        ev("2026-04-20", "avslut"),
        ev("2026-05-01", "uppfoljning"),
    )
    assert summary(timeline, "2026-12-31", "SBMS-UPPF-3M") == [
        ("2026-01-31", "2026-04-30", MET, "2026-04-10"),
        ("2026-04-10", "2026-07-10", CANCELLED, None),
    ]


def test_closing_nothing_but_BS_SLUTANT_starts_after_it():
    timeline = case(
        BS,
        *EXECUTED,
        ev("2026-04-20", "avslut"),
        ev("2026-04-21", "utebliven_kontakt"),
        ev("2026-04-22", "samlarteam_start"),
        ev("2026-04-23", "paus"),
        ev("2026-04-24", "beslut", utfall="bifall", to_date="2026-12-31"),
    )
    started_after = [
        b.rule for b in run(timeline, "2026-12-31").bevakningar if b.start >= d("2026-04-20")
    ]
    assert started_after == ["BS-SLUTANT"]


def test_closing_starts_BS_SLUTANT_five_vardagar_after():
    # Mon 2026-04-20: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), Mon 27 (5).
    timeline = case(BS, *EXECUTED, ev("2026-04-20", "avslut"), ev("2026-04-24", "slutanteckning"))
    assert summary(timeline, "2026-05-01", "BS-SLUTANT") == [
        ("2026-04-20", "2026-04-27", MET, "2026-04-24")
    ]


# --- Local defaults ------------------------------------------------------------------


@pytest.mark.parametrize("insats", INSATSER)
def test_local_defaults_change_only_the_rules_marked_local_default(insats):
    timeline = case(
        insats,
        *EXECUTED,
        ev("2026-03-20", "lex_sarah"),
        ev("2026-03-23", "utebliven_kontakt"),
        ev("2026-04-01", "samlarteam_start"),
        ev("2026-05-04", "paus"),
        ev("2026-06-01", "avslut"),
        tatare=True,
    )
    changed = LocalDefaults(
        sbms_lexsarah_vardagar=4,
        bs_tredagars_dagar=7,
        bs_slutant_vardagar=9,
        beslut_utgar_paminnelse_dagar=10,
        egenavgift_obetalda_manader=3,
        egenavgift_fonster_manader=12,
    )
    before = {(b.rule, b.start): b.due for b in run(timeline, "2026-06-01").bevakningar}
    after = {(b.rule, b.start): b.due for b in run(timeline, "2026-06-01", changed).bevakningar}
    assert before.keys() == after.keys()
    differing = {rule for (rule, start), due in before.items() if after[rule, start] != due}
    expected = {
        BS: {"BS-3DAGARS", "BS-SLUTANT"},
        SBMS: {"SBMS-LEXSARAH"},
        VOB: set(),
    }[insats]
    assert differing == expected


def test_local_defaults_from_mapping_overrides_the_named_values():
    defaults = LocalDefaults.from_mapping({"bs_slutant_vardagar": 3})
    assert defaults == LocalDefaults(bs_slutant_vardagar=3)
    assert defaults.sbms_lexsarah_vardagar == DEFAULTS.sbms_lexsarah_vardagar == 1


@pytest.mark.parametrize(
    "values",
    [
        {"bs_slutant_dagar": 3},
        {"bs_slutant_vardagar": 0},
        {"bs_slutant_vardagar": -1},
        {"bs_slutant_vardagar": True},
        {"bs_slutant_vardagar": "5"},
    ],
)
def test_local_defaults_from_mapping_refuses_unknown_or_non_positive_values(values):
    with pytest.raises(ValueError):
        LocalDefaults.from_mapping(values)


# --- Evaluation-wide behaviour ----------------------------------------------------------


def test_bevakningar_sorted_by_due_then_rule():
    timeline = case(
        BS,
        BESLUT,
        ev("2026-03-03", "uppdrag_skickat"),
        ev("2026-03-06", "verkstallt", grad="helt"),
    )
    # BS-KONTAKT-3VD 3 vardagar after Tue 3 March = Fri 6; BS-VERKST-1M 3 March + 1 month
    # and BS-GFP-4V 6 March + 28 days both fall on 3 April; GEN-IVO-3M 2 March + 3 months
    # = 2 June; BS-SAMMANST-89D 6 March + 89 days (25 to 31 March, 30, 31, 3) = 3 June.
    assert [(b.rule, b.due.isoformat()) for b in run(timeline, "2026-03-10").bevakningar] == [
        ("BS-KONTAKT-3VD", "2026-03-06"),
        ("BS-GFP-4V", "2026-04-03"),
        ("BS-VERKST-1M", "2026-04-03"),
        ("GEN-IVO-3M", "2026-06-02"),
        ("BS-SAMMANST-89D", "2026-06-03"),
    ]


def test_events_after_the_evaluation_date_do_not_exist():
    timeline = case(
        BS,
        BESLUT,
        ev("2026-03-03", "uppdrag_skickat"),
        ev("2026-03-20", "verkstallt", grad="helt"),
    )
    as_of_before_execution = run(timeline, "2026-03-19").bevakningar
    assert {b.rule for b in as_of_before_execution} == {
        "BS-KONTAKT-3VD",
        "BS-VERKST-1M",
        "GEN-IVO-3M",
    }
    verkst = next(b for b in as_of_before_execution if b.rule == "BS-VERKST-1M")
    assert (verkst.status, verkst.met_on) == (OPEN, None)
    kontakt = next(b for b in as_of_before_execution if b.rule == "BS-KONTAKT-3VD")
    assert (kontakt.status, kontakt.met_on) == (OVERDUE, None)


def test_events_given_out_of_order_are_evaluated_in_date_order():
    in_order = case(BS, *EXECUTED)
    shuffled = case(BS, *reversed(EXECUTED))
    assert run(shuffled, "2026-05-01").bevakningar == run(in_order, "2026-05-01").bevakningar


def test_a_hospital_stay_does_not_stop_any_deadline():
    # RULES.md notes: sjukhusinlaggning … utskrivning does not end the insats or stop deadlines.
    stay = (ev("2026-03-20", "sjukhusinlaggning"), ev("2026-05-20", "utskrivning"))
    with_stay = case(BS, *EXECUTED, *stay)
    without = case(BS, *EXECUTED)
    assert run(with_stay, "2026-06-30").bevakningar == run(without, "2026-06-30").bevakningar
    assert summary(with_stay, "2026-06-30", "BS-GFP-4V") == [
        ("2026-03-16", "2026-04-13", OVERDUE, None)
    ]


# --- Design decisions documented in rules.py ------------------------------------------


def test_continuation_decision_and_uppdrag_do_not_restart_execution_clocks():
    # A new decision and uppdrag while the insats is verkställd continue it: no new
    # GEN-IVO-3M, BS-KONTAKT-3VD or BS-VERKST-1M (rules.not_yet_executing).
    timeline = case(
        BS,
        *EXECUTED,
        ev("2026-08-20", "beslut", utfall="bifall", from_date="2026-09-01", to_date="2027-02-28"),
        ev("2026-08-25", "uppdrag_skickat"),
    )
    result = run(timeline, "2026-12-31").bevakningar
    starts = {
        rule: [b.start.isoformat() for b in result if b.rule == rule]
        for rule in ("GEN-IVO-3M", "BS-KONTAKT-3VD", "BS-VERKST-1M", "GEN-BESLUT-UTGAR")
    }
    assert starts == {
        "GEN-IVO-3M": ["2026-03-02"],
        "BS-KONTAKT-3VD": ["2026-03-03"],
        "BS-VERKST-1M": ["2026-03-03"],
        # GEN-BESLUT-UTGAR follows every decision with an end date.
        "GEN-BESLUT-UTGAR": ["2026-03-02", "2026-08-20"],
    }


def test_GEN_IVO_AVBROTT_3M_starts_only_from_a_paus_after_verkstallt():
    # A paus before execution is not an interruption of it; GEN-FRANVARO-1M still runs.
    timeline = case(BS, BESLUT, ev("2026-03-03", "uppdrag_skickat"), ev("2026-03-10", "paus"))
    assert summary(timeline, "2026-03-11", "GEN-IVO-AVBROTT-3M") == []
    assert summary(timeline, "2026-03-11", "GEN-FRANVARO-1M") == [
        ("2026-03-10", "2026-04-10", OPEN, None)
    ]


def test_GEN_IVO_AVBROTT_3M_second_paus_while_paused_starts_nothing():
    timeline = AVBROTT.timeline(ev("2026-03-01", "paus"))
    assert summary(timeline, "2026-03-02", "GEN-IVO-AVBROTT-3M") == [
        ("2026-02-10", "2026-05-10", OPEN, None)
    ]


@pytest.mark.parametrize(
    ("insats", "rule"),
    [(BS, "BS-SAMMANST-89D"), (SBMS, "SBMS-UPPF-3M"), (VOB, "VOB-UPPF-12M")],
)
def test_recurring_chain_is_started_once(insats, rule):
    # A second verkstallt (partial, then in full) while the chain runs starts no second chain.
    timeline = case(
        insats,
        ev("2026-01-31", "verkstallt", grad="delvis"),
        ev("2026-02-15", "verkstallt", grad="helt"),
    )
    assert [b.start.isoformat() for b in instances(timeline, "2026-02-16", rule)] == ["2026-01-31"]


def test_GEN_FRANVARO_1M_second_paus_while_the_chain_runs_starts_nothing():
    timeline = FRANVARO.timeline(ev("2026-07-20", "paus"))
    assert summary(timeline, "2026-07-21", "GEN-FRANVARO-1M") == [
        ("2026-07-10", "2026-08-10", OPEN, None)
    ]


# --- The example of TIMELINE.md --------------------------------------------------------


def test_TIMELINE_example_A_1_as_of_2026_04_20():
    case_json, excerpt = timeline_md_examples()
    result = run(parse_timeline(case_json), excerpt["as_of"]).as_json()
    # The entries TIMELINE.md shows, verbatim.
    assert excerpt["bevakningar"] == [
        {"rule": "BS-KONTAKT-3VD", "start": "2026-03-03", "due": "2026-03-06",
         "status": "met", "met_on": "2026-03-05"},
        {"rule": "BS-GFP-4V", "start": "2026-03-16", "due": "2026-04-13",
         "status": "overdue", "met_on": None},
    ]  # fmt: skip
    for shown in excerpt["bevakningar"]:
        assert shown in result["bevakningar"]
    # The whole result, sorted by due then rule: BS-VERKST-1M 3 March + 1 month;
    # GEN-IVO-3M 2 March + 3 months; BS-SAMMANST-89D 16 March + 89 days; GEN-BESLUT-UTGAR
    # on `to`.
    assert [tuple(b.values()) for b in result["bevakningar"]] == [
        ("BS-KONTAKT-3VD", "2026-03-03", "2026-03-06", "met", "2026-03-05"),
        ("BS-VERKST-1M", "2026-03-03", "2026-04-03", "met", "2026-03-16"),
        ("BS-GFP-4V", "2026-03-16", "2026-04-13", "overdue", None),
        ("GEN-IVO-3M", "2026-03-02", "2026-06-02", "met", "2026-03-16"),
        ("BS-SAMMANST-89D", "2026-03-16", "2026-06-13", "open", None),
        ("GEN-BESLUT-UTGAR", "2026-03-02", "2026-08-31", "open", None),
    ]


def test_TIMELINE_example_A_1_warnings_follow_RULES_md_not_the_excerpt():
    # TIMELINE.md's excerpt shows GEN-ATERKALL-6M for this case, but its decision has no
    # återkallelseförbehåll, and RULES.md and seed 003 ("kortare beslut … inte bör ha
    # återkallelseförbehåll") only warn when it has one. Nothing was communicated before
    # the decision, so RULES.md's GEN-KOMMUNICERING applies.
    case_json, excerpt = timeline_md_examples()
    assert case_json["events"][0]["aterkallelseforbehall"] is False
    assert [w["rule"] for w in excerpt["varningar"]] == ["GEN-ATERKALL-6M"]
    result = run(parse_timeline(case_json), excerpt["as_of"]).as_json()
    assert [(w["rule"], w["date"]) for w in result["varningar"]] == [
        ("GEN-KOMMUNICERING", "2026-03-02")
    ]


def test_TIMELINE_example_A_1_json_shape():
    case_json, excerpt = timeline_md_examples()
    result = run(parse_timeline(case_json), excerpt["as_of"]).as_json()
    assert (result["case_id"], result["as_of"]) == ("A-1", "2026-04-20")
    assert set(result) == {"case_id", "as_of", "bevakningar", "varningar"}
    assert all(
        set(b) == {"rule", "start", "due", "status", "met_on"} for b in result["bevakningar"]
    )
    assert all(set(w) == {"rule", "date", "message"} for w in result["varningar"])


def test_instances_start_on_or_before_as_of_only():
    evaluation = run(case(BS, *EXECUTED), "2026-03-10")
    assert all(b.start <= d("2026-03-10") for b in evaluation.bevakningar)
    assert "BS-GFP-4V" not in {b.rule for b in evaluation.bevakningar}


@pytest.mark.parametrize(("insats", "rule"), [(BS, "BS-GFP-4V"), (VOB, "VOB-GFP-14D")])
def test_plan_deadline_starts_at_the_first_verkstallt_only(insats, rule):
    # Partial execution on 2026-01-31, in full on 2026-02-15: the plan is due from the first.
    timeline = case(
        insats,
        ev("2026-01-31", "verkstallt", grad="delvis"),
        ev("2026-02-15", "verkstallt", grad="helt"),
    )
    assert [b.start.isoformat() for b in instances(timeline, "2026-02-16", rule)] == ["2026-01-31"]


def test_GEN_BESLUT_UTGAR_not_started_by_a_refusal_with_an_end_date():
    timeline = case(
        BS,
        ev("2026-03-02", "beslut", utfall="avslag", from_date="2026-03-02", to_date="2026-08-31"),
    )
    assert instances(timeline, "2026-09-30", "GEN-BESLUT-UTGAR") == []
