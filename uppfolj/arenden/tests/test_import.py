"""`uppfolj import` (TIMELINE.md, section Import): one transaction per file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from uppfolj.arenden.models import Arende, Bevakning, Handelse, Person
from uppfolj.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def case(case_id: str, personnummer: str = "19800101-0118", **extra: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "insats": "boendestod",
        "distrikt": "Bromma",
        "verksamhetsomrade": "socialpsykiatri",
        "utforare": "Boendestöd Väst",
        "person": {
            "personnummer": personnummer,
            "namn": "Karin Lindqvist",
            "kon": "kvinna",
            "fodd": "1980-01-01",
            "minderariga_barn": 1,
        },
        "events": [
            {
                "date": "2026-03-02",
                "type": "beslut",
                "utfall": "bifall",
                "from": "2026-03-02",
                "to": "2026-08-31",
                "minuter_per_vecka": 180,
                "aterkallelseforbehall": False,
            },
            {"date": "2026-03-03", "type": "uppdrag_skickat"},
            {"date": "2026-03-05", "type": "kontakt_tagen"},
        ],
        **extra,
    }


def import_files(tmp_path: Path, *contents: Any) -> tuple[int, str, str]:
    paths = []
    for index, content in enumerate(contents):
        path = tmp_path / f"fil{index}.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        paths.append(str(path))
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *paths, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_loads_people_cases_events_and_bevakningar(tmp_path: Path) -> None:
    second_case_same_person = {
        **case("A-2"),
        "insats": "socialt_boende_med_stod",
        "boendeform": "lagenhetsboende",
    }
    code, out, _ = import_files(tmp_path, [case("A-1"), second_case_same_person])
    assert code == 0
    assert "1 personer, 2 ärenden och 6 händelser inlästa" in out
    assert Person.objects.count() == 1
    arende = Arende.objects.get(arende_id="A-1")
    assert arende.person.personnummer == "19800101-0118"
    assert arende.distrikt.namn == "Bromma"
    assert arende.utforare.namn == "Boendestöd Väst"
    assert arende.verksamhetsomrade == "socialpsykiatri"
    assert list(arende.handelser.values_list("typ", flat=True)) == [
        "beslut",
        "uppdrag_skickat",
        "kontakt_tagen",
    ]
    kontakt = Bevakning.objects.get(arende=arende, regel="BS-KONTAKT-3VD")
    assert (str(kontakt.forfaller), kontakt.status, str(kontakt.uppfylld)) == (
        "2026-03-06",
        "met",
        "2026-03-05",
    )
    assert AuditLog.objects.filter(atgard="arende_importera", arende=arende).exists()


def test_a_file_with_one_bad_case_is_refused_whole(tmp_path: Path) -> None:
    bad = case("A-2", personnummer="19800101-0126")
    bad["events"][1]["type"] = "okand_typ"
    code, out, err = import_files(tmp_path, [case("A-1"), bad])
    assert code == 2
    assert out == ""
    assert 'fil0.json: case_id "A-2": events[1]: okänd händelsetyp "okand_typ"' in err
    assert not Arende.objects.exists()
    assert not Person.objects.exists()
    assert not Handelse.objects.exists()


def test_each_file_is_its_own_transaction(tmp_path: Path) -> None:
    code, out, err = import_files(tmp_path, [case("A-1")], [{**case("A-2"), "insats": "x"}])
    assert code == 2
    assert "fil0.json: 1 personer, 1 ärenden" in out
    assert 'fil1.json: case_id "A-2": okänd insats "x"' in err
    assert list(Arende.objects.values_list("arende_id", flat=True)) == ["A-1"]


def test_an_existing_case_id_is_refused_never_overwritten(tmp_path: Path) -> None:
    assert import_files(tmp_path, [case("A-1")])[0] == 0
    replacement = case("A-1")
    replacement["events"] = replacement["events"][:1]
    code, _, err = import_files(tmp_path, [replacement])
    assert code == 2
    assert 'case_id "A-1": ärende-id finns redan och skrivs aldrig över' in err
    assert Handelse.objects.filter(arende__arende_id="A-1").count() == 3


def test_invalid_personnummer_is_refused(tmp_path: Path) -> None:
    code, _, err = import_files(tmp_path, [case("A-1", personnummer="19800101-0119")])
    assert code == 2
    assert 'case_id "A-1": person: ogiltigt personnummer "19800101-0119"' in err
