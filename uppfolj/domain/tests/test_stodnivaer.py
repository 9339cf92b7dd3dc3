"""The support levels of seed 002: the table, the time counted, the questions, SBMS-NIVA-6H."""

from __future__ import annotations

import re

import pytest

from uppfolj.domain import stodnivaer
from uppfolj.domain.rules import WARNING_RULES_BY_ID
from uppfolj.domain.timeline import STODNIVAER as TIMELINE_LEVELS

from .builders import SHARED


def seed_002() -> str:
    """Return seed 002 with its line breaks and bullets folded into single spaces."""
    (path,) = (SHARED / "seeds").glob("002_*.txt")
    text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8").replace("•", " "))
    # A word broken over two lines at a hyphen ("SIP- processen") is one word.
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)


def test_the_three_levels_in_order_with_the_timeline_codes() -> None:
    assert [n.kod for n in stodnivaer.STODNIVAER] == list(TIMELINE_LEVELS)
    assert [n.namn for n in stodnivaer.STODNIVAER] == ["Låg", "Medel", "Hög"]
    assert stodnivaer.NIVA_VAL == [("lag", "Låg"), ("medel", "Medel"), ("hog", "Hög")]


@pytest.mark.parametrize("niva", stodnivaer.STODNIVAER, ids=lambda n: n.kod)
def test_level_content_is_the_seed_table_word_for_word(niva) -> None:
    text = seed_002()
    assert niva.innehall in text
    for sentence in niva.bedomningsstod:
        assert sentence in text


def test_the_hours_of_each_level() -> None:
    minutes = {n.kod: n.upp_till_minuter_per_vecka for n in stodnivaer.STODNIVAER}
    assert minutes == {"lag": 30, "medel": 180, "hog": 360}
    assert "upp till tre (3) timmar i veckan" in stodnivaer.STODNIVAER_BY_KOD["medel"].innehall
    assert "upp till 6 timmar i veckan" in stodnivaer.STODNIVAER_BY_KOD["hog"].innehall


def test_summaries_follow_the_rule_catalogue_table() -> None:
    assert stodnivaer.STODNIVAER_BY_KOD["lag"].sammanfattning.startswith(
        "Fysisk tillsyn varannan vecka"
    )
    assert "upp till 3 timmar" in stodnivaer.STODNIVAER_BY_KOD["medel"].sammanfattning
    assert "Kontakt varje dag" in stodnivaer.STODNIVAER_BY_KOD["hog"].sammanfattning


def test_the_three_questions_of_seed_002() -> None:
    assert stodnivaer.FRAGOR == (
        "På vilket sätt har den enskildes behov av stöd ökat respektive minskat?",
        "Vad är anledningen till det förändrade behovet?",
        "Varaktighet över tid?",
    )
    text = seed_002()
    for question in stodnivaer.FRAGOR:
        assert question in text


def test_the_time_that_is_and_is_not_level_assessed_comes_from_the_seed() -> None:
    text = seed_002()
    for item in (*stodnivaer.TID_SOM_NIVABEDOMS, *stodnivaer.TID_SOM_INTE_NIVABEDOMS):
        assert item in text
    assert "Restid till och från brukaren" in stodnivaer.TID_SOM_INTE_NIVABEDOMS
    assert "Hembesök" in stodnivaer.TID_SOM_NIVABEDOMS


def test_niva_namn() -> None:
    assert stodnivaer.niva_namn("hog") == "Hög"
    with pytest.raises(KeyError):
        stodnivaer.niva_namn("extrem")


@pytest.mark.parametrize(
    ("niva", "minuter", "applies"),
    [
        ("hog", 361, True),
        ("hog", 7 * 60 + 30, True),
        # Exactly six hours is what the level holds: "mer än sex timmar" is not met.
        ("hog", 360, False),
        ("hog", None, False),
        ("hog", 0, False),
        # The rule names level hög only.
        ("medel", 400, False),
        ("lag", 400, False),
    ],
)
def test_SBMS_NIVA_6H_threshold(niva, minuter, applies) -> None:
    assert stodnivaer.SEX_TIMMAR_MINUTER == 360
    assert stodnivaer.over_sex_timmar(niva, minuter) is applies


def test_SBMS_NIVA_6H_message_and_rule() -> None:
    assert stodnivaer.sex_timmar_meddelande(450) == (
        "Bedömt behov är 7 tim 30 min i veckan, mer än de sex timmar som nivån hög rymmer. "
        "Överväg andra kompletterande insatser, till exempel kompletterande hemtjänst eller "
        "särskilt boende."
    )
    assert stodnivaer.sex_timmar_meddelande(420).startswith("Bedömt behov är 7 tim i veckan")
    rule = WARNING_RULES_BY_ID["SBMS-NIVA-6H"]
    assert rule.source.seed == "002"
    assert "sex timmar" in rule.source.passage
