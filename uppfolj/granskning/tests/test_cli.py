"""`uppfolj granskning` as GRANSKNING.md specifies it: one JSON object, or readable tables."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uppfolj.granskning.management.commands import granskning as command

from .conftest import Importera, beslut, e

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("granskning", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def two_cases(importera: Importera) -> None:
    importera(
        beslut("2017-12-20", "2018-01-01", "2018-06-30", minuter_per_vecka=120),
        e("2017-12-21", "uppdrag_skickat", strukturerat=True),
        e("2017-12-22", "kontakt_tagen"),
        e("2018-01-02", "verkstallt", grad="helt"),
        e("2018-01-20", "genomforandeplan_klar", delaktighet=True),
        kon="kvinna",
    )
    importera(
        beslut("2018-03-01", "2018-03-01", "2018-08-31", minuter_per_vecka=75),
        kon="man",
        omrade="funktionsnedsattning",
        utforare="Sympati",
    )


def test_json_is_one_object_with_every_key(two_cases: None) -> None:
    code, out, err = run("--distrikt", "Bromma", "--as-of", "2018-05-31", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert list(result) == [
        "as_of",
        "urval",
        "antal_arenden",
        "beviljad_tid_per_manad",
        "ar_med_insats",
        "beslutstid",
        "aktuell_genomforandeplan",
        "delaktighet_i_plan",
        "uppfoljd_i_tid",
        "strukturerat_uppdrag",
        "langsta_glapp_daganteckningar",
        "barn_med_barnperspektiv",
        "ej_verkstallda",
        "bevakningar_i_tid",
        "andrat_uppdrag",
        "avbokningar",
        "besok_utanfor_kontorstid",
        "personal_per_individ",
    ]
    assert result["as_of"] == "2018-05-31"
    assert result["urval"] == {"insats": "boendestod", "distrikt": "Bromma"}
    assert result["beviljad_tid_per_manad"] == {
        "socialpsykiatri": {"kvinnor": 8.7, "man": None, "totalt": 8.7},
        "funktionsnedsattning": {"kvinnor": None, "man": 5.4, "totalt": 5.4},
        "totalt": {"kvinnor": 8.7, "man": 5.4, "totalt": 7.0},
    }
    assert result["aktuell_genomforandeplan"] == {"antal": 1, "av": 2, "andel": 0.5}


def test_json_selection_by_provider_and_sex(two_cases: None) -> None:
    code, out, _ = run("--utforare", "Sympati", "--kon", "man", "--as-of", "2018-05-31", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["urval"] == {"insats": "boendestod", "utforare": "Sympati", "kon": "man"}
    assert result["antal_arenden"]["totalt"] == {"kvinnor": 0, "man": 1, "totalt": 1}


def test_as_of_defaults_to_today(two_cases: None, time_machine: Any) -> None:
    time_machine.move_to("2018-06-15 12:00 +02:00", tick=False)
    code, out, _ = run("--json")
    assert code == 0
    result = json.loads(out)
    assert result["as_of"] == "2018-06-15"
    assert result["urval"] == {"insats": "boendestod"}
    assert result["antal_arenden"]["totalt"]["totalt"] == 2


def test_readable_tables(two_cases: None) -> None:
    code, out, err = run("--distrikt", "Bromma", "--as-of", "2018-05-31")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "Granskning per 2018-05-31",
        "Urval: insats boendestöd, distrikt Bromma",
        "Ärenden i urvalet: 2",
    ]
    tid = lines.index("Beviljad tid per månad (timmar), redovisat per verksamhetsområde och kön")
    assert [line.split() for line in lines[tid + 1 : tid + 5]] == [
        ["Verksamhetsområde", "Kvinnor", "Män", "Totalt"],
        ["Socialpsykiatri", "8,7", "–", "8,7"],
        ["Funktionsnedsättning", "–", "5,4", "5,4"],
        ["Totalt", "8,7", "5,4", "7,0"],
    ]
    ar = lines.index("Totalt antal år personen varit beviljad insatsen")
    assert [line.split() for line in lines[ar + 1 : ar + 3]] == [
        ["Tid", "Antal", "personer"],
        ["<", "1", "år", "2"],
    ]
    beslutstid = lines.index("Beslutstid senaste beslut, redovisat per verksamhetsområde")
    assert [line.split() for line in lines[beslutstid + 1 : beslutstid + 4]] == [
        ["Beslutstid", "Socialpsykiatri", "Funktionsnedsättning", "Totalt"],
        ["<", "6", "månader", "0", "0", "0"],
        ["6-11", "månader", "1", "1", "2"],
    ]
    assert any(line.endswith("1 av 2 (50,0 %)") for line in lines)
    assert "Aktuell genomförandeplan" in out
    assert "Bevakningar i tid per regel (förfallna senast utvärderingsdagen)" in out
    assert any(line.split()[0] == "BS-KONTAKT-3VD" for line in lines if line)


def test_readable_tables_of_an_empty_selection(db: Any) -> None:
    code, out, _ = run("--as-of", "2018-05-31")
    assert code == 0
    assert "Ärenden i urvalet: 0" in out
    assert "Inga bevakningar har förfallit." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--distrikt", "Vällingby"], 'okänt distrikt "Vällingby" (finns: Bromma)'),
        (
            ["--insats", "hemtjanst"],
            'okänd insats "hemtjanst" '
            "(tillåtna: boendestod | socialt_boende_med_stod | vard_och_omsorgsboende)",
        ),
        (
            ["--verksamhetsomrade", "psykiatri"],
            'okänt verksamhetsområde "psykiatri" '
            "(tillåtna: socialpsykiatri | funktionsnedsattning | aldreomsorg)",
        ),
        (["--utforare", "Okänd AB"], 'okänd utförare "Okänd AB" (finns: Boendestöd Bromma)'),
        (["--kon", "annat"], 'okänt kön "annat" (tillåtna: kvinna | man)'),
        (["--as-of", "2018-02-30"], '--as-of "2018-02-30" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)'),
        (["--as-of", "31/5/2018"], '--as-of "31/5/2018" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)'),
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong(
    importera: Importera, args: list[str], message: str
) -> None:
    importera(beslut("2018-01-01"))
    code, out, err = run(*args, "--json")
    assert code == 2
    assert out == ""
    assert err.strip() == f"uppfolj granskning: {message}"


def test_unknown_district_when_there_are_none(db: Any) -> None:
    code, _, err = run("--distrikt", "Bromma")
    assert code == 2
    assert err.strip() == 'uppfolj granskning: okänt distrikt "Bromma" (inga finns)'


def test_progress_on_standard_error_for_large_selections(
    two_cases: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run("--as-of", "2018-05-31", "--json")
    assert err == ""
    monkeypatch.setattr(command, "PROGRESS_FROM", 2)
    code, out, err = run("--as-of", "2018-05-31", "--json")
    assert code == 0
    json.loads(out)
    assert err.splitlines() == [
        "Beräknar [###############...............] 1/2 ärenden",
        "Beräknar [##############################] 2/2 ärenden",
    ]
