"""The authority's steps as services: what each saves, audits and recomputes, who may call it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden import services
from uppfolj.arenden.models import (
    Anmalan,
    Ansokan,
    Arende,
    Avslut,
    Beslut,
    Bevakning,
    Handelse,
    Journalanteckning,
    Person,
    Uppdrag,
    Utredning,
)
from uppfolj.audit.models import AuditLog
from uppfolj.conftest import CAST_ROLLER

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"

BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "to": "2026-08-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}

ANSOKAN = {"date": "2026-03-02", "type": "ansokan"}
UTREDNING = {"date": "2026-03-09", "type": "utredning"}
KOMMUNICERAT = {"date": "2026-03-16", "type": "kommunicerat"}
BESLUTAT = {**BESLUT, "date": "2026-03-23", "from": "2026-03-23", "to": "2026-12-31"}
UTREDD = [ANSOKAN, UTREDNING]
BEVILJAD = [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT]

ANMALAN_FALT = {
    "anmalare_namn": "Eva Granne",
    "anmalare_relation": "granne",
    "anmalare_kontakt": "070-123 45 67",
    "beskrivning": "Har inte synts ute på flera veckor.",
}
UPPDRAG_FALT = {
    "mal": "Klara sin tvätt och städning själv.",
    "personligt_mal": "Bjuda hem min syster.",
    "livsomraden": ["hemliv"],
    "aktiviteter": "Tvätta tillsammans varje vecka.",
    "delmal": "Tvättar själv inom tre månader.",
}


def beslut_falt(**changes: Any) -> dict[str, Any]:
    fields = {
        "datum": date(2026, 4, 14),
        "utfall": "bifall",
        "fran": date(2026, 4, 14),
        "till": date(2026, 12, 31),
        "aterkallelseforbehall": False,
        "motivering": "Behovet av stöd i hemlivet är styrkt i utredningen.",
        "minuter_per_vecka": 180,
    }
    return {**fields, **changes}


def bevakningar(arende: Arende) -> dict[str, tuple[date, date, str]]:
    return {
        b.regel: (b.start, b.forfaller, b.status) for b in Bevakning.objects.filter(arende=arende)
    }


def only_audit(atgard: str) -> AuditLog:
    return AuditLog.objects.get(atgard=atgard)


def nothing_saved(arende: Arende, handelser_before: int, atgard: str) -> None:
    assert Handelse.objects.filter(arende=arende).count() == handelser_before
    assert not AuditLog.objects.filter(atgard=atgard).exists()


# --- People and cases ------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_person_registrera_and_arende_oppna_save_and_audit(cast, distrikt) -> None:
    sekr = cast["socialsekreterare"]
    person = services.person_registrera(
        actor=sekr,
        personnummer="19800101-0118",
        fornamn="Karin",
        efternamn="Lindqvist",
        kon="kvinna",
        fodd=date(1980, 1, 1),
    )
    arende = services.arende_oppna(
        actor=sekr, person=person, insats="boendestod", distrikt=distrikt
    )

    assert arende.arende_id == "2026-0001"
    assert (arende.person, arende.handlaggare, arende.distrikt) == (person, sekr, distrikt)
    audit = only_audit("person_registrera")
    assert (audit.aktor, audit.arende) == (sekr, None)
    assert audit.efter["personnummer"] == "19800101-0118"
    audit = only_audit("arende_oppna")
    assert (audit.aktor, audit.arende) == (sekr, arende)
    assert audit.efter["insats"] == "boendestod"
    second = services.arende_oppna(
        actor=sekr, person=person, insats="boendestod", distrikt=distrikt
    )
    assert second.arende_id == "2026-0002"


@time_machine.travel(TODAY, tick=False)
def test_person_registrera_refuses_an_invalid_person_and_saves_nothing(cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.person_registrera(
            actor=cast["socialsekreterare"],
            personnummer="19800101-0118",
            fornamn="",
            efternamn="Lindqvist",
            kon="kvinna",
            fodd=date(1980, 1, 1),
        )
    assert error.value.message_dict == {"fornamn": ["Detta fält får inte vara tomt."]}
    assert not Person.objects.exists()
    assert not AuditLog.objects.exists()


# --- One service per step: the document, its event, the audit row, the bevakningar ----


@time_machine.travel(TODAY, tick=False)
def test_anmalan_registrera_saves_document_event_and_audit(cast, make_case) -> None:
    arende = make_case([])
    sekr = cast["socialsekreterare"]

    anmalan = services.anmalan_registrera(
        actor=sekr, arende=arende, datum=date(2026, 4, 14), **ANMALAN_FALT
    )

    assert Anmalan.objects.get() == anmalan
    assert (anmalan.handelse.typ, anmalan.handelse.datum) == ("anmalan", date(2026, 4, 14))
    assert (anmalan.skapad_av, anmalan.handelse.registrerad_av) == (sekr, sekr)
    audit = only_audit("anmalan_registrera")
    assert (audit.aktor, audit.arende) == (sekr, arende)
    assert audit.efter["anmalare_namn"] == "Eva Granne"
    assert audit.efter["datum"] == "2026-04-14"


@time_machine.travel(TODAY, tick=False)
def test_ansokan_registrera_saves_document_event_and_audit(cast, make_case) -> None:
    arende = make_case([])
    ansokan = services.ansokan_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        sokande="Den enskilde",
        form="skriftlig",
        begard_minuter_per_vecka=180,
    )

    assert Ansokan.objects.get() == ansokan
    assert ansokan.handelse.typ == "ansokan"
    audit = only_audit("ansokan_registrera")
    assert (audit.aktor, audit.arende) == (cast["socialsekreterare"], arende)
    assert audit.efter["begard_minuter_per_vecka"] == 180
    assert audit.efter["form"] == "skriftlig"


@time_machine.travel(TODAY, tick=False)
def test_utredning_registrera_records_child_perspective_in_its_event(cast, make_case) -> None:
    arende = make_case([ANSOKAN])
    utredning = services.utredning_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        behov={"hemliv": "Behöver stöd med tvätt."},
        analys="Behov av boendestöd.",
        barnperspektiv="Barnen bor varannan vecka hos den enskilde.",
    )

    assert Utredning.objects.get() == utredning
    assert utredning.handelse.typ == "utredning"
    assert utredning.handelse.data == {"barnperspektiv": True}
    assert not Handelse.objects.filter(arende=arende, typ="stodniva_bedomd").exists()
    audit = only_audit("utredning_registrera")
    assert audit.efter["behov"] == {"hemliv": "Behöver stöd med tvätt."}


@time_machine.travel(TODAY, tick=False)
def test_utredning_with_stodniva_also_records_stodniva_bedomd(cast, make_case) -> None:
    arende = make_case(
        [ANSOKAN], insats="socialt_boende_med_stod", boendeform="lagenhetsboende", utforare=None
    )
    services.utredning_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        analys="Behov av stöd i lägenhetsboende.",
        stodniva="medel",
        personalens_syn="Personalen bedömer behovet som medel.",
    )

    niva = Handelse.objects.get(arende=arende, typ="stodniva_bedomd")
    assert (niva.datum, niva.data) == (date(2026, 4, 14), {"niva": "medel"})
    assert Handelse.objects.get(arende=arende, typ="utredning").data == {"barnperspektiv": False}


@time_machine.travel(TODAY, tick=False)
def test_kommunicering_registrera_communicated(cast, make_case) -> None:
    arende = make_case(UTREDD)
    handelse = services.kommunicering_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 14), avbojd=False
    )

    assert (handelse.typ, handelse.datum) == ("kommunicerat", date(2026, 4, 14))
    audit = only_audit("kommunicering_registrera")
    assert (audit.aktor, audit.arende) == (cast["socialsekreterare"], arende)
    assert audit.efter == {"typ": "kommunicerat", "datum": "2026-04-14"}
    assert not Journalanteckning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_kommunicering_avbojd_writes_a_journal_entry(cast, make_case) -> None:
    arende = make_case(UTREDD)
    handelse = services.kommunicering_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        avbojd=True,
        anteckning="Vill inte läsa utredningen, litar på handläggaren.",
    )

    assert handelse.typ == "kommunicering_avbojd"
    entry = Journalanteckning.objects.get(arende=arende)
    assert (entry.datum, entry.rubrik) == (date(2026, 4, 14), "Kommunicering avböjd")
    assert entry.text == "Vill inte läsa utredningen, litar på handläggaren."
    assert entry.skriven_av == cast["socialsekreterare"]
    assert {a.atgard for a in AuditLog.objects.filter(arende=arende, aktor__isnull=False)} == {
        "kommunicering_registrera",
        "journal_skriv",
    }


@time_machine.travel(TODAY, tick=False)
def test_kommunicering_avbojd_without_note_writes_the_default_text(cast, make_case) -> None:
    arende = make_case(UTREDD)
    services.kommunicering_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 14), avbojd=True
    )
    assert Journalanteckning.objects.get(arende=arende).text == (
        "Den enskilde har avböjt att ta del av utredningen före beslut."
    )


@time_machine.travel(TODAY, tick=False)
def test_beslut_fatta_saves_decision_and_starts_GEN_IVO_3M(cast, make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], utforare=None)
    sekr, forste = cast["socialsekreterare"], cast["forste_socialsekreterare"]

    beslut = services.beslut_fatta(
        actor=sekr, arende=arende, beslutsfattare=forste, **beslut_falt()
    )

    assert Beslut.objects.get() == beslut
    assert (beslut.insats, beslut.beslutsfattare, beslut.skapad_av) == ("boendestod", forste, sekr)
    assert beslut.handelse.data == {
        "utfall": "bifall",
        "from": "2026-04-14",
        "to": "2026-12-31",
        "minuter_per_vecka": 180,
        "aterkallelseforbehall": False,
    }
    audit = only_audit("beslut_fatta")
    assert (audit.aktor, audit.arende) == (sekr, arende)
    assert audit.efter["minuter_per_vecka"] == 180
    assert audit.efter["beslutsfattare"] == forste.pk
    stored = bevakningar(arende)
    assert stored["GEN-IVO-3M"] == (date(2026, 4, 14), date(2026, 7, 14), "open")
    assert stored["GEN-BESLUT-UTGAR"] == (date(2026, 4, 14), date(2026, 12, 31), "open")


@time_machine.travel(TODAY, tick=False)
def test_beslut_fatta_decided_by_defaults_to_the_actor(cast, make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT])
    beslut = services.beslut_fatta(actor=cast["socialsekreterare"], arende=arende, **beslut_falt())
    assert beslut.beslutsfattare == cast["socialsekreterare"]


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_skicka_moves_the_case_and_starts_BS_KONTAKT_3VD_and_BS_VERKST_1M(
    cast, make_case, utforare_tilldelad
) -> None:
    arende = make_case(BEVILJAD, utforare=None)
    sekr = cast["socialsekreterare"]

    uppdrag = services.uppdrag_skicka(
        actor=sekr,
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        tatare_uppfoljning=True,
        **UPPDRAG_FALT,
    )

    assert Uppdrag.objects.get() == uppdrag
    arende.refresh_from_db()
    assert arende.utforare == utforare_tilldelad
    assert arende.tatare_uppfoljning is True
    assert uppdrag.handelse.typ == "uppdrag_skickat"
    assert uppdrag.handelse.data == {"strukturerat": True}
    audit = only_audit("uppdrag_skicka")
    assert (audit.aktor, audit.arende) == (sekr, arende)
    assert audit.efter["utforare"] == utforare_tilldelad.pk
    moved = only_audit("arende_utforare_andra")
    assert moved.fore == {"utforare": None, "tatare_uppfoljning": False}
    assert moved.efter == {"utforare": utforare_tilldelad.pk, "tatare_uppfoljning": True}
    stored = bevakningar(arende)
    # Tuesday 2026-04-14: three vardagar is Friday 2026-04-17.
    assert stored["BS-KONTAKT-3VD"] == (date(2026, 4, 14), date(2026, 4, 17), "open")
    assert stored["BS-VERKST-1M"] == (date(2026, 4, 14), date(2026, 5, 14), "open")


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_skicka_unstructured_uppdrag_is_marked_so(cast, make_case, utforare_tilldelad):
    arende = make_case(BEVILJAD, utforare=None)
    uppdrag = services.uppdrag_skicka(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        mal="Klara sin tvätt.",
    )
    assert uppdrag.handelse.data == {"strukturerat": False}
    assert Arende.objects.get(pk=arende.pk).tatare_uppfoljning is False


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_skicka_lagenhetsboende_records_level_and_rent(
    cast, make_case, utforare_tilldelad
) -> None:
    arende = make_case(
        BEVILJAD, insats="socialt_boende_med_stod", boendeform="lagenhetsboende", utforare=None
    )
    uppdrag = services.uppdrag_skicka(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        stodniva="hog",
        hyra_fran=date(2026, 5, 1),
        **UPPDRAG_FALT,
    )
    assert uppdrag.handelse.data == {
        "stodniva": "hog",
        "hyra_fran": "2026-05-01",
        "strukturerat": True,
    }


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_skicka_before_a_granting_decision_is_refused(
    cast, make_case, utforare_tilldelad
) -> None:
    arende = make_case([*UTREDD, KOMMUNICERAT, {**BESLUTAT, "utfall": "avslag"}], utforare=None)
    with pytest.raises(ValidationError) as error:
        services.uppdrag_skicka(
            actor=cast["socialsekreterare"],
            arende=arende,
            datum=date(2026, 4, 14),
            utforare=utforare_tilldelad,
            **UPPDRAG_FALT,
        )
    assert error.value.messages == ["Ett uppdrag kan skickas först när insatsen är beviljad."]
    nothing_saved(arende, 4, "uppdrag_skicka")
    assert Arende.objects.get(pk=arende.pk).utforare is None


@time_machine.travel(TODAY, tick=False)
def test_verkstallighet_registrera_starts_BS_GFP_4V(cast, make_case) -> None:
    arende = make_case([*BEVILJAD, {"date": "2026-03-24", "type": "uppdrag_skickat"}])
    handelse = services.verkstallighet_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 16), grad="helt"
    )

    assert (handelse.typ, handelse.data) == ("verkstallt", {"grad": "helt"})
    audit = only_audit("verkstallighet_registrera")
    assert audit.efter == {"typ": "verkstallt", "datum": "2026-04-16", "grad": "helt"}
    stored = bevakningar(arende)
    assert stored["BS-GFP-4V"] == (date(2026, 4, 16), date(2026, 5, 14), "open")
    assert stored["BS-VERKST-1M"] == (date(2026, 3, 24), date(2026, 4, 24), "met")


@time_machine.travel(TODAY, tick=False)
def test_verkstallighet_with_an_unknown_degree_is_refused(cast, make_case) -> None:
    arende = make_case(BEVILJAD)
    with pytest.raises(ValidationError) as error:
        services.verkstallighet_registrera(
            actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 16), grad="lite"
        )
    assert error.value.messages == ['fältet grad har okänt värde "lite" (tillåtna: helt | delvis)']
    nothing_saved(arende, 4, "verkstallighet_registrera")


@time_machine.travel(TODAY, tick=False)
def test_avslut_registrera_starts_BS_SLUTANT_and_is_refused_twice(cast, make_case) -> None:
    arende = make_case(
        [
            *BEVILJAD,
            {"date": "2026-03-24", "type": "uppdrag_skickat"},
            {"date": "2026-03-25", "type": "verkstallt", "grad": "helt"},
        ]
    )
    sekr = cast["socialsekreterare"]
    avslut = services.avslut_registrera(
        actor=sekr, arende=arende, datum=date(2026, 4, 14), skal="Den enskilde har flyttat."
    )

    assert Avslut.objects.get() == avslut
    assert avslut.handelse.typ == "avslut"
    audit = only_audit("avslut_registrera")
    assert (audit.aktor, audit.arende, audit.efter["skal"]) == (
        sekr,
        arende,
        "Den enskilde har flyttat.",
    )
    # 2026-04-14 is a Tuesday: five vardagar later is Tuesday 2026-04-21.
    assert bevakningar(arende)["BS-SLUTANT"] == (date(2026, 4, 14), date(2026, 4, 21), "open")

    with pytest.raises(ValidationError) as error:
        services.avslut_registrera(actor=sekr, arende=arende, datum=date(2026, 4, 15), skal="Igen.")
    assert error.value.messages == ["Ärendet är redan avslutat."]
    assert Avslut.objects.count() == 1
    assert AuditLog.objects.filter(atgard="avslut_registrera").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_varning_kvittera_stores_the_reason_for_a_stored_warning(cast, make_case) -> None:
    # GEN-ATERKALL-6M: a five-month decision with återkallelseförbehåll (imported).
    arende = make_case(
        [{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}], utforare=None
    )
    sekr = cast["socialsekreterare"]
    kvittens = services.varning_kvittera(
        actor=sekr,
        arende=arende,
        regel="GEN-ATERKALL-6M",
        datum=date(2026, 3, 23),
        skal="  Beslutet fattades i det gamla systemet.  ",
    )
    assert (kvittens.regel, kvittens.skal, kvittens.aktor) == (
        "GEN-ATERKALL-6M",
        "Beslutet fattades i det gamla systemet.",
        sekr,
    )
    audit = only_audit("varning_kvittera")
    assert audit.efter == {
        "regel": "GEN-ATERKALL-6M",
        "datum": "2026-03-23",
        "skal": "Beslutet fattades i det gamla systemet.",
    }


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("regel", "datum", "skal", "message"),
    [
        ("GEN-ATERKALL-6M", date(2026, 3, 23), "   ", {"skal": ["Skriv ett skäl."]}),
        ("GEN-BARN", date(2026, 3, 23), "Ett skäl.", ["Varningen finns inte i ärendet."]),
        ("GEN-ATERKALL-6M", date(2026, 3, 24), "Ett skäl.", ["Varningen finns inte i ärendet."]),
    ],
)
def test_varning_kvittera_refuses_blank_reasons_and_unknown_warnings(
    cast, make_case, regel, datum, skal, message
) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    with pytest.raises(ValidationError) as error:
        services.varning_kvittera(
            actor=cast["socialsekreterare"], arende=arende, regel=regel, datum=datum, skal=skal
        )
    got = error.value.message_dict if hasattr(error.value, "error_dict") else error.value.messages
    assert got == message
    assert not AuditLog.objects.filter(atgard="varning_kvittera").exists()


@time_machine.travel(TODAY, tick=False)
def test_varning_kvittera_twice_is_refused(cast, make_case) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    fields = {"arende": arende, "regel": "GEN-ATERKALL-6M", "datum": date(2026, 3, 23)}
    services.varning_kvittera(actor=cast["socialsekreterare"], skal="Första.", **fields)
    with pytest.raises(ValidationError) as error:
        services.varning_kvittera(actor=cast["forste_socialsekreterare"], skal="Andra.", **fields)
    assert error.value.messages == ["Varningen är redan kvitterad."]
    assert AuditLog.objects.filter(atgard="varning_kvittera").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_journal_felmarkera_keeps_the_entry_and_writes_a_correction(cast, make_case) -> None:
    arende = make_case(UTREDD)
    sekr = cast["socialsekreterare"]
    wrong = services.journal_skriv(
        actor=sekr, arende=arende, datum=date(2026, 4, 14), rubrik="Hembesök", text="Fel person."
    )
    rattelse = services.journal_felmarkera(
        actor=sekr, anteckning=wrong, skal="Skrivet i fel ärende.", rattelse_text="Hembesök gjort."
    )

    wrong.refresh_from_db()
    assert wrong.ar_felaktig and wrong.felaktig_skal == "Skrivet i fel ärende."
    assert wrong.text == "Fel person."
    assert (rattelse.rattar, rattelse.rubrik) == (wrong, "Rättelse: Hembesök")
    assert [a.atgard for a in AuditLog.objects.filter(arende=arende).order_by("id")][-3:] == [
        "journal_skriv",
        "journal_felmarkera",
        "journal_skriv",
    ]
    with pytest.raises(ValidationError) as error:
        services.journal_felmarkera(actor=sekr, anteckning=wrong, skal="Igen.", rattelse_text="X")
    assert error.value.messages == ["Anteckningen är redan markerad som felaktig."]


# --- Invalid input: the exact message, and nothing half-saved --------------------------


@time_machine.travel(TODAY, tick=False)
def test_future_date_is_refused_for_a_document_and_nothing_is_saved(cast, make_case) -> None:
    arende = make_case([])
    with pytest.raises(ValidationError) as error:
        services.anmalan_registrera(
            actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 21), **ANMALAN_FALT
        )
    assert error.value.message_dict == {"datum": ["Datumet får inte ligga i framtiden."]}
    nothing_saved(arende, 0, "anmalan_registrera")
    assert not Anmalan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_anmalan_without_reporter_is_refused_and_its_event_rolled_back(cast, make_case) -> None:
    arende = make_case([])
    with pytest.raises(ValidationError) as error:
        services.anmalan_registrera(
            actor=cast["socialsekreterare"],
            arende=arende,
            datum=date(2026, 4, 14),
            **{**ANMALAN_FALT, "anmalare_namn": ""},
        )
    assert error.value.message_dict == {"anmalare_namn": ["Detta fält får inte vara tomt."]}
    nothing_saved(arende, 0, "anmalan_registrera")
    assert not Anmalan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_utredning_with_unknown_level_is_refused_and_nothing_is_saved(cast, make_case) -> None:
    arende = make_case([ANSOKAN], insats="socialt_boende_med_stod", boendeform="lagenhetsboende")
    with pytest.raises(ValidationError) as error:
        services.utredning_registrera(
            actor=cast["socialsekreterare"],
            arende=arende,
            datum=date(2026, 4, 14),
            analys="Analys.",
            stodniva="extrem",
        )
    assert error.value.message_dict == {
        "stodniva": ["Värdet 'extrem' är inget giltigt alternativ."]
    }
    nothing_saved(arende, 1, "utredning_registrera")
    assert not Utredning.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"till": date(2026, 4, 13)}, {"till": ["Slutdatumet ligger före startdatumet."]}),
        (
            {"minuter_per_vecka": None},
            {"minuter_per_vecka": ["Ange beviljad tid i timmar och minuter per vecka."]},
        ),
        (
            {"minuter_per_vecka": 0},
            {"minuter_per_vecka": ["Ange beviljad tid i timmar och minuter per vecka."]},
        ),
        ({"datum": date(2026, 4, 21)}, {"datum": ["Datumet får inte ligga i framtiden."]}),
        ({"motivering": ""}, {"motivering": ["Detta fält får inte vara tomt."]}),
    ],
)
def test_invalid_beslut_is_refused_and_nothing_is_saved(cast, make_case, changes, message) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], utforare=None)
    before = bevakningar(arende)
    with pytest.raises(ValidationError) as error:
        services.beslut_fatta(
            actor=cast["socialsekreterare"], arende=arende, **beslut_falt(**changes)
        )
    assert not isinstance(error.value, services.WarningsNeedReasons)
    assert error.value.message_dict == message
    nothing_saved(arende, 3, "beslut_fatta")
    assert not Beslut.objects.exists()
    assert bevakningar(arende) == before


@time_machine.travel(TODAY, tick=False)
def test_avslag_on_boendestod_needs_no_time(cast, make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], utforare=None)
    beslut = services.beslut_fatta(
        actor=cast["socialsekreterare"],
        arende=arende,
        **beslut_falt(utfall="avslag", minuter_per_vecka=None, till=None),
    )
    assert beslut.utfall == "avslag"
    assert "GEN-IVO-3M" not in bevakningar(arende)


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_without_goal_is_refused_and_the_case_stays(cast, make_case, utforare_tilldelad):
    arende = make_case(BEVILJAD, utforare=None)
    with pytest.raises(ValidationError) as error:
        services.uppdrag_skicka(
            actor=cast["socialsekreterare"],
            arende=arende,
            datum=date(2026, 4, 14),
            utforare=utforare_tilldelad,
            **{**UPPDRAG_FALT, "mal": ""},
        )
    assert error.value.message_dict == {"mal": ["Detta fält får inte vara tomt."]}
    nothing_saved(arende, 4, "uppdrag_skicka")
    assert not Uppdrag.objects.exists()
    assert not AuditLog.objects.filter(atgard="arende_utforare_andra").exists()
    assert Arende.objects.get(pk=arende.pk).utforare is None
    assert "BS-KONTAKT-3VD" not in bevakningar(arende)


@time_machine.travel(TODAY, tick=False)
def test_avslut_without_reason_is_refused_and_nothing_is_saved(cast, make_case) -> None:
    arende = make_case(BEVILJAD)
    with pytest.raises(ValidationError) as error:
        services.avslut_registrera(
            actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 14), skal=""
        )
    assert error.value.message_dict == {"skal": ["Detta fält får inte vara tomt."]}
    nothing_saved(arende, 4, "avslut_registrera")
    assert "BS-SLUTANT" not in bevakningar(arende)


# --- Who may call which service --------------------------------------------------------

AUTHORITY = ("socialsekreterare", "forste_socialsekreterare", "enhetschef")
NOT_AUTHORITY = [roll for roll in CAST_ROLLER if roll not in AUTHORITY]


def _call(name: str, actor: Any, arende: Arende, utforare: Any) -> Any:
    day = date(2026, 4, 14)
    calls = {
        "person_registrera": lambda: services.person_registrera(
            actor=actor,
            personnummer="19800101-0118",
            fornamn="Karin",
            efternamn="Lindqvist",
            kon="kvinna",
            fodd=date(1980, 1, 1),
        ),
        "arende_oppna": lambda: services.arende_oppna(
            actor=actor, person=arende.person, insats="boendestod", distrikt=arende.distrikt
        ),
        "anmalan_registrera": lambda: services.anmalan_registrera(
            actor=actor, arende=arende, datum=day, **ANMALAN_FALT
        ),
        "ansokan_registrera": lambda: services.ansokan_registrera(
            actor=actor, arende=arende, datum=day, sokande="Den enskilde", form="muntlig"
        ),
        "utredning_registrera": lambda: services.utredning_registrera(
            actor=actor, arende=arende, datum=day, analys="Analys."
        ),
        "kommunicering_registrera": lambda: services.kommunicering_registrera(
            actor=actor, arende=arende, datum=day, avbojd=False
        ),
        "beslut_fatta": lambda: services.beslut_fatta(actor=actor, arende=arende, **beslut_falt()),
        "uppdrag_skicka": lambda: services.uppdrag_skicka(
            actor=actor, arende=arende, datum=day, utforare=utforare, **UPPDRAG_FALT
        ),
        "avslut_registrera": lambda: services.avslut_registrera(
            actor=actor, arende=arende, datum=day, skal="Flyttat."
        ),
        "varning_kvittera": lambda: services.varning_kvittera(
            actor=actor, arende=arende, regel="GEN-ATERKALL-6M", datum=day, skal="Skäl."
        ),
        "journal_skriv": lambda: services.journal_skriv(
            actor=actor, arende=arende, datum=day, rubrik="Samtal", text="Text."
        ),
    }
    return calls[name]()


AUTHORITY_SERVICES = [
    "person_registrera",
    "arende_oppna",
    "anmalan_registrera",
    "ansokan_registrera",
    "utredning_registrera",
    "kommunicering_registrera",
    "beslut_fatta",
    "uppdrag_skicka",
    "avslut_registrera",
    "varning_kvittera",
    "journal_skriv",
]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("service", AUTHORITY_SERVICES)
def test_only_authority_staff_may_call_an_authority_service(
    cast, make_case, utforare_tilldelad, service
) -> None:
    # A case that every provider role of the assigned provider can see, with a
    # warning that a kvittens could answer: nothing but the role stops the call.
    arende = make_case(
        [*BEVILJAD[:3], {**BESLUTAT, "date": "2026-04-14", "from": "2026-04-14", "to": None}]
    )
    handelser = Handelse.objects.count()
    for role in NOT_AUTHORITY:
        with pytest.raises(PermissionDenied):
            _call(service, cast[role], arende, utforare_tilldelad)
        assert Handelse.objects.count() == handelser, role
        assert not AuditLog.objects.filter(atgard=service).exists(), role


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "service", [s for s in AUTHORITY_SERVICES if s not in ("person_registrera", "arende_oppna")]
)
def test_authority_staff_of_another_district_may_not_call_a_case_service(
    cast, make_case, utforare_tilldelad, service
) -> None:
    arende = make_case(
        [*BEVILJAD[:3], {**BESLUTAT, "date": "2026-04-14", "aterkallelseforbehall": True}],
        utforare=None,
    )
    other = User.objects.create_user(
        username="sekr_syd",
        roll=Roll.SOCIALSEKRETERARE,
        distrikt=Distrikt.objects.create(namn="Skärholmen"),
    )
    with pytest.raises(PermissionDenied):
        _call(service, other, arende, utforare_tilldelad)
    assert not AuditLog.objects.filter(atgard=service).exists()


@time_machine.travel(TODAY, tick=False)
def test_protected_case_without_grant_refuses_the_district_social_worker(cast, make_case):
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], skyddad=True, utforare=None)
    with pytest.raises(PermissionDenied):
        services.beslut_fatta(actor=cast["socialsekreterare"], arende=arende, **beslut_falt())
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=arende, anvandare=cast["socialsekreterare"]
    )
    services.beslut_fatta(actor=cast["socialsekreterare"], arende=arende, **beslut_falt())


@time_machine.travel(TODAY, tick=False)
def test_provider_may_register_provider_events_but_not_a_decision(cast, make_case) -> None:
    arende = make_case([*BEVILJAD, {"date": "2026-03-24", "type": "uppdrag_skickat"}])
    staff = cast["boendestodjare"]

    handelse = services.handelse_registrera(
        actor=staff, arende=arende, typ="kontakt_tagen", datum=date(2026, 3, 25)
    )
    assert handelse.registrerad_av == staff
    assert bevakningar(arende)["BS-KONTAKT-3VD"][2] == "met"
    for typ in ("beslut", "avslut", "ivo_rapport", "kommunicerat"):
        with pytest.raises(PermissionDenied):
            services.handelse_registrera(
                actor=staff,
                arende=arende,
                typ=typ,
                datum=date(2026, 4, 14),
                data={"utfall": "bifall", "from": "2026-04-14"},
            )
    assert not Handelse.objects.filter(arende=arende, datum=date(2026, 4, 14)).exists()


@time_machine.travel(TODAY, tick=False)
def test_provider_of_the_case_may_register_verkstallighet(cast, make_case) -> None:
    # 003: the provider executes the decision; the verkstallt event is the provider's too.
    arende = make_case([*BEVILJAD, {"date": "2026-03-24", "type": "uppdrag_skickat"}])
    services.verkstallighet_registrera(
        actor=cast["boendestodjare"], arende=arende, datum=date(2026, 4, 16), grad="helt"
    )
    assert only_audit("verkstallighet_registrera").aktor == cast["boendestodjare"]
    with pytest.raises(PermissionDenied):
        services.verkstallighet_registrera(
            actor=cast["boendestodjare_annan"], arende=arende, datum=date(2026, 4, 16), grad="helt"
        )


@time_machine.travel(TODAY, tick=False)
def test_provider_of_another_provider_may_register_nothing_on_the_case(cast, make_case):
    arende = make_case([*BEVILJAD, {"date": "2026-03-24", "type": "uppdrag_skickat"}])
    with pytest.raises(PermissionDenied):
        services.handelse_registrera(
            actor=cast["boendestodjare_annan"],
            arende=arende,
            typ="kontakt_tagen",
            datum=date(2026, 3, 25),
        )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "typ",
    [
        "daganteckning",
        "sammanstallning",
        "genomforandeplan_klar",
        "genomforandeplan_reviderad",
        "slutanteckning",
    ],
)
def test_authority_may_not_write_the_providers_documentation(cast, make_case, typ) -> None:
    arende = make_case([*BEVILJAD, {"date": "2026-03-24", "type": "uppdrag_skickat"}])
    for role in ("socialsekreterare", "forste_socialsekreterare", "enhetschef"):
        with pytest.raises(PermissionDenied):
            services.handelse_registrera(
                actor=cast[role], arende=arende, typ=typ, datum=date(2026, 4, 14)
            )
    assert not Handelse.objects.filter(arende=arende, typ=typ).exists()
