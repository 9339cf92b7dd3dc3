"""The genomförandeplan's services: versions, events, bevakningar, audit and refusals."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from uppfolj.arenden.models import Handelse
from uppfolj.audit.models import AuditLog
from uppfolj.domain.ibic import EXEMPEL_AKTIVITETER, LIVSOMRADEN
from uppfolj.utforare.models import Delmal, Genomforandeplan
from uppfolj.utforare.services.plan import (
    DELAKTIGHET_SAKNAS,
    INGET_DELMAL,
    KONTAKT_UTAN_SAMTYCKE,
    genomforandeplan_kopia_registrera,
    genomforandeplan_spara,
    plan_fel,
    plan_jamfor,
    text_diff,
)

from .plan_fixtures import DELMAL_POST, DELMAL_TVATT, PAGAR, PLAN, TODAY, spara_plan

# --- Plain rules, no database --------------------------------------------------------------


def fel(**changes: object) -> dict[str, list[str]]:
    fields: dict[str, object] = {
        "datum": date(2026, 4, 14),
        "today": date(2026, 4, 20),
        "krisplan_kontakter": "",
        "krisplan_samtycke": False,
        "delaktighet": True,
        "delaktighet_beskrivning": "",
        "andra_planer": [],
        "kopia_overlamnad": None,
        "delmal": [DELMAL_TVATT],
        **changes,
    }
    return plan_fel(**fields)  # type: ignore[arg-type]


def test_a_complete_plan_has_no_errors() -> None:
    assert fel() == {}


def test_GEN_GFP_DELAKTIGHET_refuses_no_participation_without_how_it_was_sought() -> None:
    assert fel(delaktighet=False) == {"delaktighet_beskrivning": [DELAKTIGHET_SAKNAS]}
    assert fel(delaktighet=False, delaktighet_beskrivning="  ") == {
        "delaktighet_beskrivning": ["Beskriv hur den enskildes delaktighet har eftersträvats."]
    }


def test_GEN_GFP_DELAKTIGHET_accepts_refusal_with_how_it_was_sought() -> None:
    assert fel(delaktighet=False, delaktighet_beskrivning="Erbjöd tre möten, avböjde.") == {}


def test_crisis_contacts_need_the_individuals_consent() -> None:
    assert fel(krisplan_kontakter="Syster Anna") == {
        "krisplan_samtycke": ["Den enskilde måste samtycka till att de angivna kontaktas."]
    }
    assert fel(krisplan_kontakter="Syster Anna", krisplan_samtycke=True) == {}
    assert KONTAKT_UTAN_SAMTYCKE == "Den enskilde måste samtycka till att de angivna kontaktas."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"delmal": []}, {"delmal": ["Planen behöver minst ett delmål."]}),
        ({"datum": date(2026, 4, 21)}, {"datum": ["Datumet får inte ligga i framtiden."]}),
        (
            {"kopia_overlamnad": date(2026, 4, 13)},
            {"kopia_overlamnad": ["Kopian kan inte ha lämnats över före planens datum."]},
        ),
        (
            {"kopia_overlamnad": date(2026, 4, 21)},
            {"kopia_overlamnad": ["Datumet får inte ligga i framtiden."]},
        ),
        (
            {"delmal": [DELMAL_TVATT, {**DELMAL_POST, "klart_senast": date(2026, 4, 14)}]},
            {"delmal-1-klart_senast": ["Klart senast ska ligga efter planens datum."]},
        ),
        ({"andra_planer": ["horoskop"]}, {"andra_planer": ["Okänd plan: horoskop."]}),
    ],
)
def test_plan_checks(changes: dict[str, object], expected: dict[str, list[str]]) -> None:
    assert fel(**changes) == expected
    assert INGET_DELMAL == "Planen behöver minst ett delmål."


def test_every_life_area_has_the_seeds_example_activities() -> None:
    assert set(EXEMPEL_AKTIVITETER) == set(LIVSOMRADEN)
    assert [len(EXEMPEL_AKTIVITETER[code]) for code in LIVSOMRADEN] == [
        2,
        5,
        2,
        4,
        1,
        6,
        5,
        4,
        2,
        1,
    ]
    for examples in EXEMPEL_AKTIVITETER.values():
        for text in examples:
            assert "\n" not in text and "  " not in text and text == text.strip()
    assert EXEMPEL_AKTIVITETER["samhallsgemenskap"][1] == (
        "Stöttning att förenkla, tydliggöra, planera och träna på att delta i allmänna val."
    )


def test_text_diff_marks_removed_and_added_words_and_escapes() -> None:
    html = text_diff(
        "Vi går till tvättstugan på tisdagar.", "Vi går till <tvättstugan> på onsdagar."
    )
    assert html == (
        "Vi går till "
        '<del><span class="visually-hidden">Borttaget: </span>tvättstugan</del> '
        '<ins><span class="visually-hidden">Tillagt: </span>&lt;tvättstugan&gt;</ins>'
        " på "
        '<del><span class="visually-hidden">Borttaget: </span>tisdagar.</del> '
        '<ins><span class="visually-hidden">Tillagt: </span>onsdagar.</ins>'
    )


# --- Saving versions -------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_first_version_records_genomforandeplan_klar_and_meets_BS_GFP_4V(cast, make_case):
    arende = make_case(PAGAR)
    assert arende.bevakningar.get(regel="BS-GFP-4V").status == "open"

    plan = spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST])

    assert plan.version == 1
    assert (plan.handelse.typ, plan.handelse.datum, plan.handelse.data) == (
        "genomforandeplan_klar",
        date(2026, 4, 14),
        {"delaktighet": True},
    )
    assert plan.handelse.registrerad_av == cast["boendestodjare"]
    assert [(d.ordning, d.livsomrade) for d in plan.delmal.all()] == [
        (1, "hemliv"),
        (2, "utbildning_arbete_ekonomi"),
    ]
    gfp = arende.bevakningar.get(regel="BS-GFP-4V")
    assert (gfp.status, gfp.uppfylld, gfp.forfaller) == (
        "met",
        date(2026, 4, 14),
        date(2026, 4, 27),
    )


@time_machine.travel(TODAY, tick=False)
def test_VOB_GFP_14D_met_by_the_first_version(cast, make_case):
    arende = make_case(PAGAR, insats="vard_och_omsorgsboende")
    assert arende.bevakningar.get(regel="VOB-GFP-14D").status == "open"
    spara_plan(cast["stodpedagog"], arende, datum=date(2026, 4, 13), kopia_overlamnad=None)
    gfp = arende.bevakningar.get(regel="VOB-GFP-14D")
    assert (gfp.status, gfp.uppfylld) == ("met", date(2026, 4, 13))


@time_machine.travel(TODAY, tick=False)
def test_a_revision_is_a_new_version_recorded_as_reviderad(cast, make_case):
    arende = make_case(PAGAR)
    first = spara_plan(cast["boendestodjare"], arende)
    second = spara_plan(
        cast["utforarchef"],
        arende,
        [DELMAL_POST],
        datum=date(2026, 4, 20),
        delaktighet=False,
        delaktighet_beskrivning="Ville inte delta i dag; vi försöker igen nästa vecka.",
        kopia_overlamnad=None,
    )
    assert second.version == 2
    assert (second.handelse.typ, second.handelse.data) == (
        "genomforandeplan_reviderad",
        {"delaktighet": False},
    )
    first.refresh_from_db()
    assert [d.mal for d in first.delmal.all()] == [DELMAL_TVATT["mal"]]
    assert first.delaktighet is True
    assert [d.mal for d in second.delmal.all()] == [DELMAL_POST["mal"]]
    assert list(arende.handelser.filter(typ__startswith="genomforandeplan").values_list("typ")) == [
        ("genomforandeplan_klar",),
        ("genomforandeplan_reviderad",),
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_plan_from_another_system_makes_the_first_version_here_a_revision(cast, make_case):
    arende = make_case([*PAGAR, {"date": "2026-04-02", "type": "genomforandeplan_klar"}])
    plan = spara_plan(cast["boendestodjare"], arende)
    assert (plan.version, plan.handelse.typ) == (1, "genomforandeplan_reviderad")


@time_machine.travel(TODAY, tick=False)
def test_saving_writes_one_audit_row_with_the_sub_goals(cast, make_case):
    arende = make_case(PAGAR)
    plan = spara_plan(cast["boendestodjare"], arende)
    row = AuditLog.objects.get(atgard="genomforandeplan_spara")
    assert (row.aktor, row.arende, row.objekt_id) == (cast["boendestodjare"], arende, str(plan.pk))
    assert row.efter["version"] == 1
    assert row.efter["krisplan_samtycke"] is True
    assert [d["mal"] for d in row.efter["delmal"]] == [DELMAL_TVATT["mal"]]


INVALID = [
    ({"krisplan_samtycke": False}, "krisplan_samtycke", KONTAKT_UTAN_SAMTYCKE),
    ({"delaktighet": False}, "delaktighet_beskrivning", DELAKTIGHET_SAKNAS),
    ({"bemotande": "  "}, "bemotande", "Detta fält får inte vara tomt."),
    ({"datum": date(2026, 4, 21)}, "datum", "Datumet får inte ligga i framtiden."),
]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_invalid_plan_is_refused_whole(cast, make_case, changes, field, message):
    arende = make_case(PAGAR)
    with pytest.raises(ValidationError) as error:
        spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST], **changes)
    assert error.value.message_dict[field] == [message]
    assert not Genomforandeplan.objects.exists()
    assert not Delmal.objects.exists()
    assert not Handelse.objects.filter(typ__startswith="genomforandeplan").exists()
    assert not AuditLog.objects.filter(atgard="genomforandeplan_spara").exists()
    assert arende.bevakningar.get(regel="BS-GFP-4V").status == "open"


@time_machine.travel(TODAY, tick=False)
def test_a_bad_second_sub_goal_saves_nothing(cast, make_case):
    arende = make_case(PAGAR)
    with pytest.raises(ValidationError) as error:
        spara_plan(
            cast["boendestodjare"],
            arende,
            [DELMAL_TVATT, {**DELMAL_POST, "mal": "", "livsomrade": "astrologi"}],
        )
    assert error.value.message_dict == {
        "delmal-1-mal": ["Detta fält får inte vara tomt."],
        "delmal-1-livsomrade": ["Värdet 'astrologi' är inget giltigt alternativ."],
    }
    assert not Genomforandeplan.objects.exists()
    assert not Delmal.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_no_sub_goal_is_refused(cast, make_case):
    arende = make_case(PAGAR)
    with pytest.raises(ValidationError) as error:
        genomforandeplan_spara(actor=cast["boendestodjare"], arende=arende, delmal=[], **PLAN)
    assert error.value.message_dict == {"delmal": ["Planen behöver minst ett delmål."]}
    assert not Genomforandeplan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_takes_no_new_version(cast, make_case):
    arende = make_case([*PAGAR, {"date": "2026-04-16", "type": "avslut"}])
    with pytest.raises(ValidationError) as error:
        spara_plan(cast["boendestodjare"], arende)
    assert error.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]
    assert not Genomforandeplan.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role",
    ["socialsekreterare", "enhetschef", "inspektor", "boendestodjare_annan", "administrator"],
)
def test_only_the_providers_staff_write_the_plan(cast, make_case, role):
    arende = make_case(PAGAR)
    with pytest.raises(PermissionDenied):
        spara_plan(cast[role], arende, delaktighet=False)  # invalid too: access comes first
    assert not Handelse.objects.filter(typ__startswith="genomforandeplan").exists()


@time_machine.travel(TODAY, tick=False)
def test_protected_case_needs_a_grant_to_write_the_plan(cast, make_case):
    arende = make_case(PAGAR, skyddad=True)
    with pytest.raises(PermissionDenied):
        spara_plan(cast["boendestodjare"], arende)


# --- The copy handed over --------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_copy_handed_over_is_recorded_once_and_audited(cast, make_case):
    arende = make_case(PAGAR)
    plan = spara_plan(cast["boendestodjare"], arende, kopia_overlamnad=None)
    with pytest.raises(ValidationError) as error:
        genomforandeplan_kopia_registrera(
            actor=cast["boendestodjare"], plan=plan, datum=date(2026, 4, 13)
        )
    assert error.value.message_dict == {
        "datum": ["Kopian kan inte ha lämnats över före planens datum."]
    }
    genomforandeplan_kopia_registrera(
        actor=cast["boendestodjare"], plan=plan, datum=date(2026, 4, 16)
    )
    plan.refresh_from_db()
    assert plan.kopia_overlamnad == date(2026, 4, 16)
    row = AuditLog.objects.get(atgard="genomforandeplan_kopia_registrera")
    assert (row.fore, row.efter) == ({"kopia_overlamnad": None}, {"kopia_overlamnad": "2026-04-16"})
    with pytest.raises(ValidationError) as error:
        genomforandeplan_kopia_registrera(
            actor=cast["boendestodjare"], plan=plan, datum=date(2026, 4, 17)
        )
    assert error.value.messages == ["Kopian är redan registrerad som överlämnad."]
    with pytest.raises(PermissionDenied):
        genomforandeplan_kopia_registrera(
            actor=cast["socialsekreterare"], plan=plan, datum=date(2026, 4, 17)
        )


# --- Comparing versions ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_plan_jamfor_pairs_sub_goals_and_marks_each_change(cast, make_case):
    arende = make_case(PAGAR)
    old = spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST])
    new = spara_plan(
        cast["boendestodjare"],
        arende,
        [
            {**DELMAL_POST, "aktiviteter": "Vi lägger upp autogiro och en budget tillsammans."},
            {**DELMAL_TVATT, "livsomrade": "trygghet", "mal": "Sova hela nätter."},
        ],
        datum=date(2026, 4, 20),
        kopia_overlamnad=None,
    )
    diff = plan_jamfor(old, new)

    by_field = {f.rubrik: f for f in diff.falt}
    assert by_field["Upprättad"].status == "andrad"
    assert by_field["Kopia överlämnad"].status == "borttagen"
    assert by_field["Bemötande"].status == "oforandrad"
    assert [(d.rubrik, d.status) for d in diff.delmal] == [
        ("Delmål 1 i version 1", "borttagen"),
        ("Delmål 1", "andrad"),
        ("Delmål 2", "tillagd"),
    ]
    aktiviteter = {f.rubrik: f for f in diff.delmal[1].falt}["Aktiviteter"]
    assert aktiviteter.status == "andrad"
    assert '<ins><span class="visually-hidden">Tillagt: </span>och en budget </ins>' in str(
        aktiviteter.html
    )
    assert diff.antal_andringar == 5
