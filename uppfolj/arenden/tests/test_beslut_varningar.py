"""The warnings of RULES.md shown before a decision or an uppdrag is saved, by rule ID."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.arenden import services
from uppfolj.arenden.models import (
    Arende,
    Beslut,
    Handelse,
    OvrigInsats,
    Person,
    Uppdrag,
    VarningKvittens,
)
from uppfolj.audit.models import AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"

ANSOKAN = {"date": "2026-03-02", "type": "ansokan"}
UTREDNING = {"date": "2026-03-09", "type": "utredning", "barnperspektiv": False}
KOMMUNICERAT = {"date": "2026-03-16", "type": "kommunicerat"}
AVBOJD = {"date": "2026-03-16", "type": "kommunicering_avbojd"}
KLAR_FOR_BESLUT = [ANSOKAN, UTREDNING, KOMMUNICERAT]
BESLUTAT = {
    "date": "2026-03-23",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-23",
    "to": "2026-12-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}


def beslut_falt(**changes: Any) -> dict[str, Any]:
    fields = {
        "datum": date(2026, 4, 14),
        "utfall": "bifall",
        "fran": date(2026, 4, 14),
        "till": date(2026, 12, 31),
        "aterkallelseforbehall": False,
        "minuter_per_vecka": 180,
    }
    return {**fields, **changes}


def rules(arende: Arende, **changes: Any) -> list[str]:
    return [w.rule for w in services.beslut_varningar(arende=arende, **beslut_falt(**changes))]


def message(arende: Arende, rule: str, **changes: Any) -> str:
    found = services.beslut_varningar(arende=arende, **beslut_falt(**changes))
    return next(w.message for w in found if w.rule == rule)


def same_person_case(arende: Arende, insats: str) -> Arende:
    """Return another case of the person of `arende`, as imported from the old system."""
    return Arende.objects.create(
        arende_id=f"{arende.arende_id}-B", person=arende.person, insats=insats
    )


# --- GEN-ATERKALL-6M ------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_GEN_ATERKALL_6M_shorter_than_six_months_with_forbehall(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    # 2026-04-14 + six months is 2026-10-14: a decision to 10-12 ends before that.
    assert rules(arende, till=date(2026, 10, 12), aterkallelseforbehall=True) == ["GEN-ATERKALL-6M"]
    assert message(
        arende, "GEN-ATERKALL-6M", till=date(2026, 10, 12), aterkallelseforbehall=True
    ) == (
        "Beslutet gäller 2026-04-14–2026-10-12, kortare än sex månader, och bör inte ha "
        "återkallelseförbehåll."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_ATERKALL_6M_not_for_six_months_without_forbehall_or_until_further(make_case):
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    assert rules(arende, till=date(2026, 10, 13), aterkallelseforbehall=True) == []
    assert rules(arende, till=date(2026, 10, 12), aterkallelseforbehall=False) == []
    assert rules(arende, till=None, aterkallelseforbehall=True) == []


# --- GEN-KOMMUNICERING ------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMMUNICERING_when_the_underlag_was_not_communicated(make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING], utforare=None)
    assert rules(arende) == ["GEN-KOMMUNICERING"]
    assert message(arende, "GEN-KOMMUNICERING") == (
        "Beslutet fattades utan att underlaget kommunicerats med den enskilde eller att den "
        "enskilde avböjt kommunicering."
    )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("kommunicering", [KOMMUNICERAT, AVBOJD])
def test_GEN_KOMMUNICERING_not_when_communicated_or_declined(make_case, kommunicering) -> None:
    arende = make_case([ANSOKAN, UTREDNING, kommunicering], utforare=None)
    assert rules(arende) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMMUNICERING_each_decision_needs_its_own_communication(make_case) -> None:
    arende = make_case([*KLAR_FOR_BESLUT, BESLUTAT], utforare=None)
    assert rules(arende) == ["GEN-KOMMUNICERING"]
    Handelse.objects.create(arende=arende, typ="kommunicerat", datum=date(2026, 4, 10))
    assert rules(arende) == []


# --- GEN-KOMB-HEMTJANST -------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_HEMTJANST_when_hemtjanst_overlaps_the_period(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    OvrigInsats.objects.create(
        person=arende.person, typ="hemtjanst", fran=date(2026, 1, 1), till=date(2026, 4, 14)
    )
    assert rules(arende) == ["GEN-KOMB-HEMTJANST"]
    assert message(arende, "GEN-KOMB-HEMTJANST") == (
        "Boendestöd och hemtjänst beviljade för samma period: Hemtjänst 2026-01-01–2026-04-14."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_HEMTJANST_until_further_notice_overlaps(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    OvrigInsats.objects.create(person=arende.person, typ="hemtjanst", fran=date(2027, 1, 1))
    assert rules(arende) == []
    assert rules(arende, till=None) == ["GEN-KOMB-HEMTJANST"]
    assert message(arende, "GEN-KOMB-HEMTJANST", till=None).endswith(
        "Hemtjänst 2027-01-01–tills vidare."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_HEMTJANST_not_when_it_ends_before_the_period(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    OvrigInsats.objects.create(
        person=arende.person, typ="hemtjanst", fran=date(2025, 1, 1), till=date(2026, 4, 13)
    )
    assert rules(arende) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_HEMTJANST_not_for_a_refusal_or_another_insats(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    OvrigInsats.objects.create(person=arende.person, typ="hemtjanst", fran=date(2026, 1, 1))
    assert rules(arende, utfall="avslag", minuter_per_vecka=None) == []
    vob = make_case(KLAR_FOR_BESLUT, insats="vard_och_omsorgsboende", utforare=None)
    OvrigInsats.objects.create(person=vob.person, typ="hemtjanst", fran=date(2026, 1, 1))
    assert rules(vob, minuter_per_vecka=None) == []


# --- GEN-KOMB-SBMS --------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_SBMS_another_case_of_the_person_decided_here(make_case, cast) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    other = make_case(
        KLAR_FOR_BESLUT, insats="socialt_boende_med_stod", boendeform="lagenhetsboende"
    )
    Arende.objects.filter(pk=other.pk).update(person=arende.person)
    other.refresh_from_db()
    services.beslut_fatta(
        actor=cast["socialsekreterare"],
        arende=other,
        motivering="Behov av boende med stöd.",
        **beslut_falt(datum=date(2026, 4, 1), fran=date(2026, 4, 1), minuter_per_vecka=None),
    )
    assert rules(arende) == ["GEN-KOMB-SBMS"]
    assert message(arende, "GEN-KOMB-SBMS") == (
        "Boendestöd och socialt boende med stöd beviljade för samma period: "
        f"Socialt boende med stöd 2026-04-01–2026-12-31 ({other.arende_id})."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_SBMS_another_imported_case_of_the_person(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    other = same_person_case(arende, "socialt_boende_med_stod")
    Handelse.objects.create(
        arende=other,
        typ="beslut",
        datum=date(2025, 6, 1),
        data={"utfall": "bifall", "from": "2025-06-01", "to": None},
    )
    assert rules(arende) == ["GEN-KOMB-SBMS"]
    assert message(arende, "GEN-KOMB-SBMS").endswith(
        f"Socialt boende med stöd 2025-06-01–tills vidare ({other.arende_id})."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_SBMS_not_for_a_refused_or_ended_decision_of_the_other_case(make_case):
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    other = same_person_case(arende, "socialt_boende_med_stod")
    Handelse.objects.create(
        arende=other,
        typ="beslut",
        datum=date(2025, 6, 1),
        data={"utfall": "avslag", "from": "2025-06-01", "to": None},
    )
    Handelse.objects.create(
        arende=other,
        typ="beslut",
        datum=date(2025, 7, 1),
        data={"utfall": "bifall", "from": "2025-07-01", "to": "2026-04-13"},
    )
    assert rules(arende) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_SBMS_other_insats_from_another_system(make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    OvrigInsats.objects.create(
        person=arende.person, typ="socialt_boende_med_stod", fran=date(2026, 12, 1)
    )
    assert rules(arende) == ["GEN-KOMB-SBMS"]
    assert message(arende, "GEN-KOMB-SBMS").endswith(
        ": Socialt boende med stöd 2026-12-01–tills vidare."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_KOMB_SBMS_for_a_housing_decision_with_boendestod_elsewhere(make_case) -> None:
    arende = make_case(
        KLAR_FOR_BESLUT, insats="socialt_boende_med_stod", boendeform="lagenhetsboende"
    )
    OvrigInsats.objects.create(person=arende.person, typ="boendestod", fran=date(2026, 1, 1))
    # Another SBMS elsewhere is not a combination with boendestöd.
    OvrigInsats.objects.create(
        person=arende.person, typ="socialt_boende_med_stod", fran=date(2026, 1, 1)
    )
    assert rules(arende, minuter_per_vecka=None) == ["GEN-KOMB-SBMS"]
    assert message(arende, "GEN-KOMB-SBMS", minuter_per_vecka=None).endswith(
        ": Boendestöd 2026-01-01–tills vidare."
    )


# --- GEN-BARN --------------------------------------------------------------------------


def with_children(arende: Arende, count: int = 2) -> Arende:
    Person.objects.filter(pk=arende.person_id).update(minderariga_barn=count)
    arende.person.refresh_from_db()
    return arende


@time_machine.travel(TODAY, tick=False)
def test_GEN_BARN_minor_children_and_no_child_perspective(make_case) -> None:
    arende = with_children(make_case(KLAR_FOR_BESLUT, utforare=None))
    assert rules(arende) == ["GEN-BARN"]
    assert message(arende, "GEN-BARN") == (
        "Det finns 2 minderåriga barn i hushållet men utredningen redovisar inget barnperspektiv."
    )


@time_machine.travel(TODAY, tick=False)
def test_GEN_BARN_not_when_the_utredning_describes_the_child_perspective(make_case, cast):
    arende = with_children(make_case([ANSOKAN], utforare=None))
    services.utredning_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 1),
        analys="Behov av boendestöd.",
        barnperspektiv="Barnen bor hos den enskilde varannan vecka; stödet gynnar dem.",
    )
    Handelse.objects.create(arende=arende, typ="kommunicerat", datum=date(2026, 4, 2))
    assert rules(arende) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_BARN_an_utredning_without_child_perspective_still_warns(make_case, cast) -> None:
    arende = with_children(make_case([ANSOKAN], utforare=None))
    services.utredning_registrera(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 1),
        analys="Behov av boendestöd.",
        barnperspektiv="   ",
    )
    Handelse.objects.create(arende=arende, typ="kommunicerat", datum=date(2026, 4, 2))
    assert rules(arende) == ["GEN-BARN"]


@time_machine.travel(TODAY, tick=False)
def test_GEN_BARN_an_imported_utredning_with_child_perspective_counts(make_case) -> None:
    arende = with_children(
        make_case([ANSOKAN, {**UTREDNING, "barnperspektiv": True}, KOMMUNICERAT], utforare=None)
    )
    assert rules(arende) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_BARN_not_without_children(make_case) -> None:
    assert rules(make_case(KLAR_FOR_BESLUT, utforare=None)) == []


# --- GEN-EJ-KOMMUNICERAT-UPPDRAG ----------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_GEN_EJ_KOMMUNICERAT_UPPDRAG_on_uppdrag_skicka(cast, make_case, utforare_tilldelad):
    arende = make_case([ANSOKAN, UTREDNING, AVBOJD, BESLUTAT], utforare=None)
    sekr = cast["socialsekreterare"]
    fields = {"arende": arende, "datum": date(2026, 4, 14), "utforare": utforare_tilldelad}

    with pytest.raises(services.WarningsNeedReasons) as error:
        services.uppdrag_skicka(actor=sekr, mal="Klara sin tvätt.", **fields)

    assert [w.rule for w in error.value.warnings] == ["GEN-EJ-KOMMUNICERAT-UPPDRAG"]
    assert error.value.warnings[0].message == (
        "Den enskilde avböjde kommunicering. Meddela utföraren i uppdraget att den enskilde "
        "inte tagit del av beslutsunderlaget."
    )
    assert not Uppdrag.objects.exists()
    assert not Handelse.objects.filter(typ="uppdrag_skickat").exists()
    assert Arende.objects.get(pk=arende.pk).utforare is None

    uppdrag = services.uppdrag_skicka(
        actor=sekr,
        mal="Klara sin tvätt.",
        skal={"GEN-EJ-KOMMUNICERAT-UPPDRAG": "Utföraren informeras muntligen i dag."},
        **fields,
    )
    kvittens = VarningKvittens.objects.get()
    assert (kvittens.arende, kvittens.regel, kvittens.datum, kvittens.aktor) == (
        arende,
        "GEN-EJ-KOMMUNICERAT-UPPDRAG",
        date(2026, 4, 14),
        sekr,
    )
    assert kvittens.skal == "Utföraren informeras muntligen i dag."
    assert AuditLog.objects.get(atgard="varning_kvittera").efter == {
        "regel": "GEN-EJ-KOMMUNICERAT-UPPDRAG",
        "skal": "Utföraren informeras muntligen i dag.",
    }
    assert uppdrag.pk


@time_machine.travel(TODAY, tick=False)
def test_GEN_EJ_KOMMUNICERAT_UPPDRAG_not_when_the_uppdrag_tells_the_provider(make_case):
    arende = make_case([ANSOKAN, UTREDNING, AVBOJD, BESLUTAT], utforare=None)
    assert services.uppdrag_varningar(arende=arende, underlag_ej_kommunicerat=True) == []


@time_machine.travel(TODAY, tick=False)
def test_GEN_EJ_KOMMUNICERAT_UPPDRAG_not_when_communicated_after_declining(make_case):
    arende = make_case(
        [ANSOKAN, UTREDNING, AVBOJD, {**KOMMUNICERAT, "date": "2026-03-20"}, BESLUTAT],
        utforare=None,
    )
    assert services.uppdrag_varningar(arende=arende, underlag_ej_kommunicerat=False) == []
    communicated = make_case([*KLAR_FOR_BESLUT, BESLUTAT], utforare=None)
    assert services.uppdrag_varningar(arende=communicated, underlag_ej_kommunicerat=False) == []


# --- beslut_fatta: nothing is saved until each warning has a reason -----------------------


def risky_case(make_case: Any) -> Arende:
    """A case whose next decision raises four warnings at once."""
    arende = with_children(make_case([ANSOKAN, UTREDNING], utforare=None))
    OvrigInsats.objects.create(person=arende.person, typ="hemtjanst", fran=date(2026, 1, 1))
    return arende


RISKY = {"till": date(2026, 9, 30), "aterkallelseforbehall": True}
ALL_RULES = ["GEN-ATERKALL-6M", "GEN-KOMMUNICERING", "GEN-KOMB-HEMTJANST", "GEN-BARN"]
REASONS = {rule: f"Skäl för {rule}." for rule in ALL_RULES}


@time_machine.travel(TODAY, tick=False)
def test_beslut_fatta_lists_every_warning_and_saves_nothing_without_reasons(cast, make_case):
    arende = risky_case(make_case)
    before = AuditLog.objects.count()
    sekr = cast["socialsekreterare"]

    for skal in (None, {}, {rule: "  " for rule in ALL_RULES}, dict(list(REASONS.items())[:3])):
        with pytest.raises(services.WarningsNeedReasons) as error:
            services.beslut_fatta(
                actor=sekr,
                arende=arende,
                motivering="Motivering.",
                skal=skal,
                **beslut_falt(**RISKY),
            )
        assert [w.rule for w in error.value.warnings] == ALL_RULES
        assert error.value.messages == ["Ange skäl för att gå vidare trots varningarna."]

    assert not Beslut.objects.exists()
    assert not Handelse.objects.filter(arende=arende, typ="beslut").exists()
    assert not VarningKvittens.objects.exists()
    assert AuditLog.objects.count() == before


@time_machine.travel(TODAY, tick=False)
def test_beslut_fatta_with_a_reason_for_each_warning_saves_and_stores_them(cast, make_case):
    arende = risky_case(make_case)
    sekr = cast["socialsekreterare"]

    beslut = services.beslut_fatta(
        actor=sekr, arende=arende, motivering="Motivering.", skal=REASONS, **beslut_falt(**RISKY)
    )

    assert Beslut.objects.get() == beslut
    kvittenser = {k.regel: k for k in VarningKvittens.objects.filter(arende=arende)}
    assert sorted(kvittenser) == sorted(ALL_RULES)
    for rule, kvittens in kvittenser.items():
        assert (kvittens.skal, kvittens.datum, kvittens.aktor) == (
            REASONS[rule],
            date(2026, 4, 14),
            sekr,
        )
    audits = AuditLog.objects.filter(atgard="varning_kvittera", arende=arende, aktor=sekr)
    assert sorted(a.efter["regel"] for a in audits) == sorted(ALL_RULES)
    assert AuditLog.objects.filter(atgard="beslut_fatta").count() == 1
    # The timeline warnings are stored on the case, answered by their reasons.
    stored = set(arende.varningar.values_list("regel", "datum"))
    assert stored == {
        ("GEN-ATERKALL-6M", date(2026, 4, 14)),
        ("GEN-KOMMUNICERING", date(2026, 4, 14)),
    }


@time_machine.travel(TODAY, tick=False)
def test_beslut_fatta_ignores_reasons_for_warnings_not_raised(cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    services.beslut_fatta(
        actor=cast["socialsekreterare"],
        arende=arende,
        motivering="Motivering.",
        skal={"GEN-BARN": "Inga barn."},
        **beslut_falt(),
    )
    assert not VarningKvittens.objects.exists()


# --- Through the page ---------------------------------------------------------------------


def beslut_post(**extra: str) -> dict[str, str]:
    return {
        "datum": "2026-04-14",
        "utfall": "bifall",
        "lagrum": "SoL 4 kap. 1 §",
        "timmar": "3",
        "minuter": "0",
        "fran": "2026-04-14",
        "till": "2026-09-30",
        "aterkallelseforbehall": "on",
        "motivering": "Behovet av stöd i hemlivet är styrkt i utredningen.",
        **extra,
    }


@time_machine.travel(TODAY, tick=False)
def test_beslut_page_shows_the_warnings_then_saves_with_reasons(client: Client, cast, make_case):
    arende = risky_case(make_case)
    assert client.login(username=cast["socialsekreterare"].username, password=PASSWORD)
    url = reverse("arenden:steg", args=[arende.arende_id, "beslut"])

    response = client.post(url, beslut_post())

    assert response.status_code == 400
    html = response.content.decode()
    assert "Varningar – ange skäl för att gå vidare" in html
    for rule in ALL_RULES:
        assert f'<span class="rule-id">{rule}</span>' in html
        assert f'name="skal_{rule}"' in html
    assert "Boendestöd och hemtjänst beviljade för samma period" in html
    assert "Källa: 003" in html
    assert not Beslut.objects.exists()

    # A reason for some warnings only: still 400, the given reasons kept in the form.
    response = client.post(url, beslut_post(**{"skal_GEN-BARN": "Barnen är vuxna nu."}))
    assert response.status_code == 400
    assert "Barnen är vuxna nu.</textarea>" in response.content.decode()
    assert not Beslut.objects.exists()

    response = client.post(url, beslut_post(**{f"skal_{r}": s for r, s in REASONS.items()}))

    assert response.status_code == 302
    assert response["Location"] == reverse("arenden:arende", args=[arende.arende_id])
    beslut = Beslut.objects.get()
    assert (beslut.minuter_per_vecka, beslut.aterkallelseforbehall) == (180, True)
    assert VarningKvittens.objects.filter(arende=arende).count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Skäl: Skäl för GEN-ATERKALL-6M." in page
