"""The case timeline format of TIMELINE.md: parsing and the errors that name case and event."""

from __future__ import annotations

import copy

import pytest

from uppfolj.domain.timeline import (
    EVENT_TYPES,
    Event,
    TimelineError,
    parse_event,
    parse_timeline,
)

from .builders import d, timeline_md_examples

EXAMPLE, _ = timeline_md_examples()


def with_event(index: int, **fields) -> dict:
    raw = copy.deepcopy(EXAMPLE)
    raw["events"][index] = {**raw["events"][index], **fields}
    return raw


def error_of(raw) -> TimelineError:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(raw)
    return caught.value


def test_parse_the_TIMELINE_example():
    timeline = parse_timeline(EXAMPLE)
    assert (timeline.case_id, timeline.insats, timeline.boendeform) == ("A-1", "boendestod", None)
    assert timeline.tatare_uppfoljning is False
    assert timeline.events[0] == Event(
        date=d("2026-03-02"),
        type="beslut",
        utfall="bifall",
        from_date=d("2026-03-02"),
        to_date=d("2026-08-31"),
        minuter_per_vecka=180,
        aterkallelseforbehall=False,
    )
    assert [(e.date.isoformat(), e.type) for e in timeline.events[1:]] == [
        ("2026-03-03", "uppdrag_skickat"),
        ("2026-03-05", "kontakt_tagen"),
        ("2026-03-16", "verkstallt"),
    ]
    assert timeline.events[3].grad == "helt"


def test_every_event_type_of_TIMELINE_md_parses():
    for event_type in EVENT_TYPES:
        extra = {"utfall": "bifall"} if event_type == "beslut" else {}
        event = parse_event({"date": "2026-03-02", "type": event_type, **extra})
        assert event.type == event_type


def test_unknown_event_type_names_case_and_event_index():
    error = error_of(with_event(2, type="x"))
    assert error.describe() == 'case_id "A-1": events[2]: okänd händelsetyp "x"'
    assert str(error) == error.describe()
    assert (error.case_id, error.event_index) == ("A-1", 2)


def test_missing_event_type():
    raw = copy.deepcopy(EXAMPLE)
    del raw["events"][1]["type"]
    assert error_of(raw).describe() == 'case_id "A-1": events[1]: fältet type saknas'


@pytest.mark.parametrize(
    "bad", ["2026-02-30", "2026-13-01", "2026-2-3", "20260203", "2026-03-02T10:00", "", "idag"]
)
def test_malformed_event_date(bad):
    assert error_of(with_event(3, date=bad)).describe() == (
        f'case_id "A-1": events[3]: fältet date "{bad}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)'
    )


def test_malformed_event_date_iso_week_form():
    assert "är inte ett giltigt datum" in error_of(with_event(3, date="2026-W05-2")).describe()


@pytest.mark.parametrize("bad", [None, 20260302, ["2026-03-02"]])
def test_missing_or_non_text_event_date(bad):
    assert error_of(with_event(0, date=bad)).describe() == (
        'case_id "A-1": events[0]: fältet date saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)'
    )


def test_malformed_decision_period_date():
    assert error_of(with_event(0, to="2026-08-32")).describe() == (
        'case_id "A-1": events[0]: fältet to "2026-08-32" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)'
    )


def test_decision_ending_before_it_starts():
    assert error_of(with_event(0, to="2026-03-01")).describe() == (
        'case_id "A-1": events[0]: fältet to (2026-03-01) ligger före from (2026-03-02)'
    )


def test_beslut_without_utfall():
    raw = copy.deepcopy(EXAMPLE)
    del raw["events"][0]["utfall"]
    assert error_of(raw).describe() == (
        'case_id "A-1": events[0]: beslut saknar utfall (bifall | delvis | avslag)'
    )


def test_unknown_utfall():
    assert error_of(with_event(0, utfall="ja")).describe() == (
        'case_id "A-1": events[0]: fältet utfall har okänt värde "ja" '
        "(tillåtna: bifall | delvis | avslag)"
    )


def test_unknown_insats_names_the_case():
    raw = {**EXAMPLE, "insats": "hemtjanst"}
    error = error_of(raw)
    assert error.describe() == (
        'case_id "A-1": okänd insats "hemtjanst" '
        "(tillåtna: boendestod | socialt_boende_med_stod | vard_och_omsorgsboende)"
    )
    assert (error.case_id, error.event_index) == ("A-1", None)


def test_missing_case_id():
    raw = {key: value for key, value in EXAMPLE.items() if key != "case_id"}
    assert error_of(raw).describe() == "fältet case_id saknas"


def test_event_that_is_not_an_object():
    raw = copy.deepcopy(EXAMPLE)
    raw["events"][1] = "uppdrag_skickat"
    assert error_of(raw).describe() == 'case_id "A-1": events[1]: händelsen är inte ett JSON-objekt'


def test_events_not_a_list():
    assert error_of({**EXAMPLE, "events": {}}).describe() == (
        'case_id "A-1": fältet events ska vara en lista'
    )


def test_tatare_uppfoljning_must_be_a_boolean():
    assert error_of({**EXAMPLE, "tatare_uppfoljning": "ja"}).describe() == (
        'case_id "A-1": fältet tatare_uppfoljning ska vara true eller false'
    )


def test_events_out_of_order_are_sorted_not_refused():
    raw = copy.deepcopy(EXAMPLE)
    raw["events"].reverse()
    timeline = parse_timeline(raw)
    assert [e.type for e in timeline.events] == [
        "beslut",
        "uppdrag_skickat",
        "kontakt_tagen",
        "verkstallt",
    ]
    assert timeline == parse_timeline(EXAMPLE)


def test_events_of_one_day_keep_their_given_order():
    raw = {
        "case_id": "A-2",
        "insats": "socialt_boende_med_stod",
        "events": [
            {"date": "2026-04-20", "type": "uppfoljning"},
            {"date": "2026-01-31", "type": "verkstallt"},
            {"date": "2026-04-20", "type": "avslut"},
        ],
    }
    assert [e.type for e in parse_timeline(raw).events] == ["verkstallt", "uppfoljning", "avslut"]


def test_unknown_extra_fields_are_ignored():
    raw = with_event(1, anteckning="fri text", stodniva="hog")
    assert parse_timeline(raw).events[1].stodniva == "hog"


def test_optional_case_attributes_are_ignored():
    raw = {**EXAMPLE, "distrikt": "Bromma", "person": {"personnummer": "x"}, "utforare": "Väst"}
    assert parse_timeline(raw) == parse_timeline(EXAMPLE)
