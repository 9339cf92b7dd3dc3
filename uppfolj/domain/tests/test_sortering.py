"""Swedish alphabetical order, without a database."""

from __future__ import annotations

import pytest

from uppfolj.domain.sortering import svensk_jamforelse, svensk_nyckel


def swedish(*names: str) -> list[str]:
    return sorted(names, key=svensk_nyckel)


def test_the_alphabet_ends_with_z_a_ring_a_umlaut_o_umlaut():
    assert swedish("Östermalm", "Älvsjö", "Årsta", "Zinkensdamm", "Bromma") == [
        "Bromma",
        "Zinkensdamm",
        "Årsta",
        "Älvsjö",
        "Östermalm",
    ]
    assert swedish("ö", "ä", "å", "z", "ø", "æ") == ["z", "å", "ä", "æ", "ö", "ø"]


def test_case_and_accents_only_break_ties():
    assert swedish("ERIKSSON", "eriksson", "Ek") == ["Ek", "eriksson", "ERIKSSON"]
    # é sorts with e, before f; e before é when all else is equal.
    assert swedish("Fors", "Éva", "Eva", "Ewa") == ["Eva", "Éva", "Ewa", "Fors"]
    # ü as y (SAOL), not after z.
    assert swedish("Zetterberg", "Müller", "Myrén", "Moberg") == [
        "Moberg",
        "Müller",
        "Myrén",
        "Zetterberg",
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"), [("Åsa", "Åsa", 0), ("Åsa", "Örjan", -1), ("Ärla", "Anna", 1)]
)
def test_the_comparison_sqlite_uses_agrees_with_the_key(a, b, expected):
    assert svensk_jamforelse(a, b) == expected
