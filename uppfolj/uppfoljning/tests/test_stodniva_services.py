"""stodniva_andra and personalens_stodbehov_registrera: the change, its warnings and reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from uppfolj.arenden import services as arenden_services
from uppfolj.arenden.models import Handelse, Varning, VarningKvittens
from uppfolj.arenden.services import WarningsNeedReasons
from uppfolj.audit.models import AuditLog
from uppfolj.uppfoljning.models import PersonalensStodbehov, StodnivaAndring
from uppfolj.uppfoljning.selectors_stodniva import stodniva_historik
from uppfolj.uppfoljning.services.stodniva import (
    personalens_stodbehov_registrera,
    stodniva_andra,
)

from .stodniva_fall import BOR, LAGENHET, TODAY, niva

pytestmark = pytest.mark.django_db

SKAL = {
    "hur_behovet_andrats": "Behöver stöd varje dag efter sjukhusvistelsen.",
    "anledning": "Försämrad psykisk hälsa.",
    "varaktighet": "Minst tre månader.",
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def andra(actor, arende, **fields):
    return stodniva_andra(
        actor=actor, arende=arende, **{"niva": "hog", "galler_fran": date(2026, 4, 20), **fields}
    )


def rules(error: WarningsNeedReasons) -> list[str]:
    return [w.rule for w in error.warnings]


def test_stodniva_andra_writes_the_change_and_the_event_in_one_go(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    actor = cast["socialsekreterare"]

    andring = andra(
        actor,
        arende,
        bedomt_behov_minuter=300,
        personalens_bedomning="Personalen ser behov av daglig kontakt.",
        **SKAL,
    )

    handelse = Handelse.objects.get(arende=arende, typ="stodniva_bedomd")
    assert (handelse.datum, handelse.data, handelse.registrerad_av) == (
        date(2026, 4, 20),
        {"niva": "hog"},
        actor,
    )
    assert andring.handelse == handelse
    assert (andring.niva, andring.galler_fran, andring.bedomt_behov_minuter) == (
        "hog",
        date(2026, 4, 20),
        300,
    )
    assert andring.hur_behovet_andrats == SKAL["hur_behovet_andrats"]
    assert andring.personalens_bedomning == "Personalen ser behov av daglig kontakt."
    audit = AuditLog.objects.get(atgard="stodniva_andra")
    assert (audit.aktor, audit.arende, audit.fore) == (actor, arende, {"niva": "medel"})
    assert audit.efter["niva"] == "hog"
    assert audit.efter["galler_fran"] == "2026-04-20"
    assert [(p.niva, p.tidigare, p.kalla) for p in stodniva_historik(arende)] == [
        ("hog", "medel", "Ändring av stödnivå"),
        ("medel", None, "Uppdrag till utförare"),
    ]


def test_a_later_date_applies_from_then_and_the_event_is_dated_today(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    andring = andra(cast["socialsekreterare"], arende, galler_fran=date(2026, 5, 1), **SKAL)
    assert andring.galler_fran == date(2026, 5, 1)
    assert andring.handelse.datum == date(2026, 4, 20)
    assert stodniva_historik(arende)[0].galler_fran == date(2026, 5, 1)


def test_an_earlier_date_dates_the_event_then(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    andring = andra(cast["socialsekreterare"], arende, galler_fran=date(2026, 4, 1), **SKAL)
    assert andring.handelse.datum == date(2026, 4, 1)


# --- SBMS-NIVA-1M -----------------------------------------------------------------------


def test_SBMS_NIVA_1M_warns_for_a_change_within_a_month(cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-01", "hog")], **LAGENHET)
    with pytest.raises(WarningsNeedReasons) as raised:
        andra(cast["socialsekreterare"], arende, niva="medel", **SKAL)
    assert rules(raised.value) == ["SBMS-NIVA-1M"]
    assert raised.value.warnings[0].message == (
        "Stödnivån ändrades från hög till medel mindre än en månad efter att den sattes "
        "(2026-04-01) utan angivet särskilt behov."
    )
    # Nothing is half-saved.
    assert not StodnivaAndring.objects.exists()
    assert Handelse.objects.filter(arende=arende, typ="stodniva_bedomd").count() == 1
    assert not AuditLog.objects.filter(atgard="stodniva_andra").exists()


def test_SBMS_NIVA_1M_not_with_a_stated_special_need(cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-01", "hog")], **LAGENHET)
    andring = andra(
        cast["socialsekreterare"],
        arende,
        niva="medel",
        sarskilt_behov="Flyttar till sin dotter i maj.",
        **SKAL,
    )
    assert andring.sarskilt_behov == "Flyttar till sin dotter i maj."
    assert andring.handelse.data == {"niva": "medel", "sarskilt_behov": andring.sarskilt_behov}
    assert not Varning.objects.filter(arende=arende, regel="SBMS-NIVA-1M").exists()


@pytest.mark.parametrize("set_on", ["2026-03-20", "2026-03-01"])
def test_SBMS_NIVA_1M_not_a_month_or_more_after(cast, make_case, set_on) -> None:
    arende = make_case([*BOR, niva(set_on, "hog")], **LAGENHET)
    andring = andra(cast["socialsekreterare"], arende, niva="medel", **SKAL)
    assert andring.niva == "medel"


def test_SBMS_NIVA_1M_saved_with_a_written_reason(cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-01", "hog")], **LAGENHET)
    actor = cast["socialsekreterare"]
    andra(actor, arende, niva="medel", skal={"SBMS-NIVA-1M": "  Uppföljningsmöte i dag.  "}, **SKAL)
    kvittens = VarningKvittens.objects.get(arende=arende)
    assert (kvittens.regel, kvittens.datum, kvittens.skal, kvittens.aktor) == (
        "SBMS-NIVA-1M",
        date(2026, 4, 20),
        "Uppföljningsmöte i dag.",
        actor,
    )
    # The engine stores the same warning on the case, so the case page pairs it with the reason.
    assert Varning.objects.filter(arende=arende, regel="SBMS-NIVA-1M", datum="2026-04-20").exists()
    assert AuditLog.objects.filter(atgard="varning_kvittera", arende=arende).exists()


def test_SBMS_NIVA_1M_a_blank_reason_is_no_reason(cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-01", "hog")], **LAGENHET)
    with pytest.raises(WarningsNeedReasons):
        andra(cast["socialsekreterare"], arende, niva="medel", skal={"SBMS-NIVA-1M": "  "}, **SKAL)


def test_SBMS_NIVA_1M_counts_a_level_set_in_the_investigation(cast, make_case) -> None:
    arende = make_case(BOR[:2], **LAGENHET)
    arenden_services.utredning_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 10),
        analys="Behov av stöd i boendet.",
        stodniva="lag",
    )
    with pytest.raises(WarningsNeedReasons) as raised:
        andra(cast["socialsekreterare"], arende, niva="medel", **SKAL)
    assert rules(raised.value) == ["SBMS-NIVA-1M"]


# --- SBMS-NIVA-6H -----------------------------------------------------------------------


def test_SBMS_NIVA_6H_warns_for_level_hog_over_six_hours(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(WarningsNeedReasons) as raised:
        andra(cast["socialsekreterare"], arende, bedomt_behov_minuter=390, **SKAL)
    assert rules(raised.value) == ["SBMS-NIVA-6H"]
    assert raised.value.warnings[0].message.startswith(
        "Bedömt behov är 6 tim 30 min i veckan, mer än de sex timmar som nivån hög rymmer."
    )
    assert not StodnivaAndring.objects.exists()

    andra(
        cast["socialsekreterare"],
        arende,
        bedomt_behov_minuter=390,
        skal={"SBMS-NIVA-6H": "Hemtjänst ansöks parallellt."},
        **SKAL,
    )
    assert VarningKvittens.objects.get(arende=arende).regel == "SBMS-NIVA-6H"


@pytest.mark.parametrize(("level", "minutes"), [("hog", 360), ("hog", None), ("medel", 420)])
def test_SBMS_NIVA_6H_not_at_six_hours_or_below_hog(cast, make_case, level, minutes) -> None:
    arende = make_case(BOR, **LAGENHET)
    extra = SKAL if level != "medel" else {}
    andring = andra(
        cast["socialsekreterare"], arende, niva=level, bedomt_behov_minuter=minutes, **extra
    )
    assert andring.pk


def test_both_warnings_at_once_need_a_reason_each(cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-10", "medel"), niva("2026-04-12", "lag")], **LAGENHET)
    with pytest.raises(WarningsNeedReasons) as raised:
        andra(
            cast["socialsekreterare"],
            arende,
            bedomt_behov_minuter=400,
            skal={"SBMS-NIVA-6H": "Hemtjänst ansöks."},
            **SKAL,
        )
    assert rules(raised.value) == ["SBMS-NIVA-1M", "SBMS-NIVA-6H"]


# --- Checks -------------------------------------------------------------------------------


def test_a_change_needs_its_three_reasons(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        andra(cast["socialsekreterare"], arende, hur_behovet_andrats="  ")
    assert raised.value.message_dict == {
        "hur_behovet_andrats": ["Ange på vilket sätt behovet har ändrats."],
        "anledning": ["Ange anledningen till det förändrade behovet."],
        "varaktighet": ["Ange behovets varaktighet över tid."],
    }
    assert not Handelse.objects.filter(typ="stodniva_bedomd").exists()


def test_the_same_level_again_or_a_first_level_needs_no_reasons(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    assert andra(cast["socialsekreterare"], arende, niva="medel").niva == "medel"
    first = make_case(BOR[:4], **LAGENHET)
    assert andra(cast["socialsekreterare"], first, niva="lag").niva == "lag"
    assert stodniva_historik(first)[0].kalla == "Stödnivå bedömd"


def test_the_new_level_may_not_apply_before_the_current(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        andra(cast["socialsekreterare"], arende, galler_fran=date(2026, 1, 20), **SKAL)
    assert raised.value.message_dict == {
        "galler_fran": [
            "Den nya nivån kan inte gälla från ett datum före den nuvarande nivåns (2026-01-28)."
        ]
    }


def test_an_unknown_level_is_refused(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        andra(cast["socialsekreterare"], arende, niva="extrem")
    assert raised.value.message_dict == {"niva": ["Välj stödnivå låg, medel eller hög."]}


@pytest.mark.parametrize(
    ("insats", "boendeform"),
    [("socialt_boende_med_stod", None), ("boendestod", None), ("vard_och_omsorgsboende", None)],
)
def test_only_lagenhetsboende_has_levels(cast, make_case, insats, boendeform) -> None:
    arende = make_case(BOR, insats=insats, boendeform=boendeform)
    with pytest.raises(ValidationError) as raised:
        andra(cast["socialsekreterare"], arende, **SKAL)
    assert raised.value.messages == [
        "Stödnivåer gäller bara socialt boende med stöd i lägenhetsboende."
    ]


def test_a_closed_case_takes_no_level(cast, make_case) -> None:
    arende = make_case([*BOR, {"date": "2026-04-01", "type": "avslut"}], **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        andra(cast["socialsekreterare"], arende, **SKAL)
    assert raised.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]


@pytest.mark.parametrize(
    "role", ["boendestodjare", "utforarchef", "inspektor", "boendestodjare_annan", "administrator"]
)
def test_only_the_authority_changes_the_level(cast, make_case, role) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(PermissionDenied):
        andra(cast[role], arende, **SKAL)
    assert not StodnivaAndring.objects.exists()


def test_a_protected_case_needs_a_grant(cast, make_case) -> None:
    arende = make_case(BOR, skyddad=True, **LAGENHET)
    with pytest.raises(PermissionDenied):
        andra(cast["socialsekreterare"], arende, **SKAL)
    arenden_services.behorighet_bevilja(
        actor=cast["enhetschef"], arende=arende, anvandare=cast["socialsekreterare"]
    )
    assert andra(cast["socialsekreterare"], arende, **SKAL).pk


# --- The provider staff's view ----------------------------------------------------------------


def test_personalens_stodbehov_is_recorded_and_audited(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    bedomning = personalens_stodbehov_registrera(
        actor=cast["boendestodjare"],
        arende=arende,
        datum=date(2026, 4, 18),
        behov_justeras=True,
        **SKAL,
    )
    assert PersonalensStodbehov.objects.get() == bedomning
    assert (bedomning.skriven_av, bedomning.anledning) == (
        cast["boendestodjare"],
        "Försämrad psykisk hälsa.",
    )
    audit = AuditLog.objects.get(atgard="personalens_stodbehov_registrera")
    assert (audit.arende, audit.efter["behov_justeras"]) == (arende, True)


def test_personalens_stodbehov_answers_the_questions_when_the_level_should_change(
    cast, make_case
) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        personalens_stodbehov_registrera(
            actor=cast["boendestodjare"],
            arende=arende,
            datum=date(2026, 4, 18),
            behov_justeras=True,
        )
    assert raised.value.message_dict == {
        "hur_behovet_andrats": [
            "Beskriv på vilket sätt den enskildes behov av stöd har ökat eller minskat."
        ],
        "anledning": ["Beskriv anledningen till det förändrade behovet."],
        "varaktighet": ["Beskriv behovets varaktighet över tid."],
    }
    ok = personalens_stodbehov_registrera(
        actor=cast["boendestodjare"], arende=arende, datum=date(2026, 4, 18), behov_justeras=False
    )
    assert not ok.behov_justeras


@pytest.mark.parametrize("role", ["socialsekreterare", "boendestodjare_annan", "inspektor"])
def test_personalens_stodbehov_only_by_the_provider_of_the_case(cast, make_case, role) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(PermissionDenied):
        personalens_stodbehov_registrera(
            actor=cast[role], arende=arende, datum=date(2026, 4, 18), behov_justeras=False
        )
    assert not PersonalensStodbehov.objects.exists()
