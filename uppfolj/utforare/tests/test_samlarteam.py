"""The samlarteam: checklist (GEN-SAMLAR-CHECKLISTA), start with the city-wide capacity
(GEN-SAMLAR-KAPACITET), evaluation (BS-SAMLAR-UTV-3M), and the page."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.arenden.models import Arende, Bevakning, Handelse, Person, VarningKvittens
from uppfolj.arenden.services import WarningsNeedReasons
from uppfolj.audit.models import AuditLog
from uppfolj.utforare.models import SamlarteamChecklista
from uppfolj.utforare.services.samlarteam import (
    oppna_samlarteam,
    samlarteam_checklista_registrera,
    samlarteam_starta,
    samlarteam_utvardera,
)

from .test_besok import BEVILJAD_TRE_TIMMAR, TODAY, login

pytestmark = pytest.mark.django_db

IDAG = date(2026, 4, 20)
TVA_JA = [True, False, True, False, False]
ETT_JA = [False, False, True, False, False]


def open_elsewhere(count: int) -> None:
    """Create `count` open samlarteam cases in another district and provider, cheaply."""
    distrikt = Distrikt.objects.create(namn="Hisingen")
    utforare = Utforare.objects.create(namn="Samlarteamet Hisingen")
    people = Person.objects.bulk_create(
        Person(
            personnummer=f"19700101-{n:04d}",
            fornamn="Sam",
            efternamn=f"Lare{n}",
            kon="man",
            fodd=date(1970, 1, 1),
        )
        for n in range(count)
    )
    cases = Arende.objects.bulk_create(
        Arende(
            arende_id=f"S-{n}", person=p, insats="boendestod", distrikt=distrikt, utforare=utforare
        )
        for n, p in enumerate(people)
    )
    Handelse.objects.bulk_create(
        Handelse(arende=a, typ="samlarteam_start", datum=date(2026, 3, 2)) for a in cases
    )


def url(arende: Arende, name: str = "samlarteam") -> str:
    return reverse(f"utforare:{name}", args=[arende.arende_id])


def checklist(arende: Arende, user, answers: list[bool]) -> SamlarteamChecklista:
    return samlarteam_checklista_registrera(actor=user, arende=arende, datum=IDAG, svar=answers)


# --- What an open samlarteam case is -----------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_open_samlarteam_cases_are_started_and_neither_ended_nor_closed(make_case):
    start = {"date": "2026-01-05", "type": "samlarteam_start"}
    fortsatter = {"date": "2026-04-01", "type": "samlarteam_utvardering", "avslutas": False}
    avslutas = {"date": "2026-04-01", "type": "samlarteam_utvardering", "avslutas": True}
    omstart = {"date": "2026-04-10", "type": "samlarteam_start"}
    utvarderad_utan_utfall = {"date": "2026-04-01", "type": "samlarteam_utvardering"}
    open_cases = [
        make_case([*BEVILJAD_TRE_TIMMAR, start]),
        make_case([*BEVILJAD_TRE_TIMMAR, start, fortsatter]),
        make_case([*BEVILJAD_TRE_TIMMAR, start, avslutas, omstart]),
        # An imported evaluation that does not say it ended the samlarteam leaves it open.
        make_case([*BEVILJAD_TRE_TIMMAR, start, utvarderad_utan_utfall]),
    ]
    make_case([*BEVILJAD_TRE_TIMMAR, start, avslutas])
    make_case([*BEVILJAD_TRE_TIMMAR, start, {"date": "2026-04-02", "type": "avslut"}])
    make_case([*BEVILJAD_TRE_TIMMAR])
    make_case([start], insats="socialt_boende_med_stod")  # only boendestöd counts
    assert set(oppna_samlarteam(IDAG)) == set(open_cases)
    # Before the evaluation that ended it, that case was open too.
    assert oppna_samlarteam(date(2026, 3, 31)).count() == 6


# --- The checklist --------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_checklist_is_saved_with_its_audit_row(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    saved = checklist(arende, cast["boendestodjare"], TVA_JA)
    assert (saved.svar, saved.antal_ja, saved.registrerad_av) == (TVA_JA, 2, cast["boendestodjare"])
    audit = AuditLog.objects.get(atgard="samlarteam_checklista_registrera")
    assert (audit.arende, audit.objekt_id, audit.efter["svar"]) == (arende, str(saved.pk), TVA_JA)


@time_machine.travel(TODAY, tick=False)
def test_checklist_refuses_bad_input(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    user = cast["boendestodjare"]
    with pytest.raises(ValidationError) as error:
        samlarteam_checklista_registrera(actor=user, arende=arende, datum=IDAG, svar=[True])
    assert error.value.messages == ["Svara ja eller nej på var och en av de fem frågorna."]
    with pytest.raises(ValidationError) as error:
        samlarteam_checklista_registrera(
            actor=user, arende=arende, datum=date(2026, 4, 21), svar=TVA_JA
        )
    assert error.value.message_dict == {"datum": ["Datumet får inte ligga i framtiden."]}
    other = make_case([], insats="socialt_boende_med_stod")
    with pytest.raises(ValidationError) as error:
        checklist(other, user, TVA_JA)
    assert error.value.messages == ["Samlarteamet ges bara inom boendestöd."]
    assert not SamlarteamChecklista.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_no_checklist_on_a_closed_case(client, cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-04-02", "type": "avslut"}])
    with pytest.raises(ValidationError) as error:
        checklist(arende, cast["boendestodjare"], TVA_JA)
    assert error.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]
    assert not SamlarteamChecklista.objects.exists()
    assert not AuditLog.objects.filter(atgard="samlarteam_checklista_registrera").exists()
    # The page offers no form it would refuse.
    html = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    assert "Ingen checklista är ifylld." in html
    assert url(arende, "samlarteam_checklista") not in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["socialsekreterare", "inspektor", "boendestodjare_annan"])
def test_checklist_only_by_the_providers_staff(cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    with pytest.raises(PermissionDenied):
        checklist(arende, cast[role], TVA_JA)


# --- Start: GEN-SAMLAR-CHECKLISTA and GEN-SAMLAR-KAPACITET ------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_start_with_two_yes_starts_BS_SAMLAR_UTV_3M(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    user = cast["boendestodjare"]
    checklist(arende, user, TVA_JA)

    handelse = samlarteam_starta(actor=user, arende=arende, datum=date(2026, 4, 17))

    assert (handelse.typ, handelse.datum, handelse.registrerad_av) == (
        "samlarteam_start",
        date(2026, 4, 17),
        user,
    )
    bevakning = Bevakning.objects.get(arende=arende, regel="BS-SAMLAR-UTV-3M")
    assert (bevakning.start, bevakning.forfaller, bevakning.status) == (
        date(2026, 4, 17),
        date(2026, 7, 17),
        "open",
    )
    audit = AuditLog.objects.get(atgard="handelse_registrera", arende=arende, aktor=user)
    assert audit.efter["typ"] == "samlarteam_start"
    assert not VarningKvittens.objects.exists()
    assert list(oppna_samlarteam(IDAG)) == [arende]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (None, "Checklistan har inte fyllts i tillsammans med den enskilde."),
        (ETT_JA, "I checklistan 2026-04-20 besvarades 1 av fem frågor med ja; "
                 "två till tre bör vara ja."),
        ([False] * 5, "I checklistan 2026-04-20 besvarades 0 av fem frågor med ja; "
                      "två till tre bör vara ja."),
    ],
)  # fmt: skip
def test_GEN_SAMLAR_CHECKLISTA_needs_a_reason(cast, make_case, answers, message):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    user = cast["boendestodjare"]
    if answers is not None:
        checklist(arende, user, answers)

    with pytest.raises(WarningsNeedReasons) as error:
        samlarteam_starta(actor=user, arende=arende, datum=IDAG)
    assert [(w.rule, w.message) for w in error.value.warnings] == [
        ("GEN-SAMLAR-CHECKLISTA", message)
    ]
    assert not Handelse.objects.filter(arende=arende, typ="samlarteam_start").exists()

    samlarteam_starta(
        actor=user,
        arende=arende,
        datum=IDAG,
        skal={"GEN-SAMLAR-CHECKLISTA": "  Stark egen motivation enligt informationsmötet. "},
    )
    kvittens = VarningKvittens.objects.get(arende=arende)
    assert (kvittens.regel, kvittens.skal, kvittens.aktor) == (
        "GEN-SAMLAR-CHECKLISTA",
        "Stark egen motivation enligt informationsmötet.",
        user,
    )
    audit = AuditLog.objects.get(atgard="varning_kvittera", arende=arende)
    assert audit.efter["regel"] == "GEN-SAMLAR-CHECKLISTA"


@time_machine.travel(TODAY, tick=False)
def test_a_blank_reason_is_no_reason(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    with pytest.raises(WarningsNeedReasons):
        samlarteam_starta(
            actor=cast["boendestodjare"],
            arende=arende,
            datum=IDAG,
            skal={"GEN-SAMLAR-CHECKLISTA": "   "},
        )


@time_machine.travel(TODAY, tick=False)
def test_GEN_SAMLAR_KAPACITET_not_raised_at_19_open_cases(cast, make_case):
    open_elsewhere(19)
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    checklist(arende, cast["boendestodjare"], TVA_JA)
    samlarteam_starta(actor=cast["boendestodjare"], arende=arende, datum=IDAG)
    assert oppna_samlarteam(IDAG).count() == 20


@time_machine.travel(TODAY, tick=False)
def test_GEN_SAMLAR_KAPACITET_at_20_open_cases_city_wide(cast, make_case):
    open_elsewhere(20)
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    user = cast["boendestodjare"]
    # The 20 cases are in another district and with another provider: the user sees none.
    assert not Arende.objects.visible_to(user).filter(arende_id__startswith="S-").exists()
    checklist(arende, user, TVA_JA)

    with pytest.raises(WarningsNeedReasons) as error:
        samlarteam_starta(actor=user, arende=arende, datum=IDAG)
    assert [(w.rule, w.message) for w in error.value.warnings] == [
        (
            "GEN-SAMLAR-KAPACITET",
            "Samlarteamet har redan 20 pågående ärenden i staden och tar 20 ärenden åt gången.",
        )
    ]

    samlarteam_starta(
        actor=user,
        arende=arende,
        datum=IDAG,
        skal={"GEN-SAMLAR-KAPACITET": "Samlarteamet har bekräftat plats från maj."},
    )
    assert VarningKvittens.objects.get(arende=arende).regel == "GEN-SAMLAR-KAPACITET"
    assert oppna_samlarteam(IDAG).count() == 21


@time_machine.travel(TODAY, tick=False)
def test_start_refused_when_already_open(cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-03-02", "type": "samlarteam_start"}])
    checklist(arende, cast["boendestodjare"], TVA_JA)
    with pytest.raises(ValidationError) as error:
        samlarteam_starta(actor=cast["boendestodjare"], arende=arende, datum=IDAG)
    assert error.value.messages == ["Samlarteamet är redan startat i ärendet."]


# --- Evaluation: BS-SAMLAR-UTV-3M -------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_BS_SAMLAR_UTV_3M_met_by_the_evaluation_that_continues(cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-02-02", "type": "samlarteam_start"}])
    user = cast["stodpedagog"]
    handelse = samlarteam_utvardera(actor=user, arende=arende, datum=IDAG, avslutas=False)
    assert (handelse.typ, handelse.data) == ("samlarteam_utvardering", {"avslutas": False})
    bevakning = Bevakning.objects.get(arende=arende, regel="BS-SAMLAR-UTV-3M")
    assert (bevakning.forfaller, bevakning.status, bevakning.uppfylld) == (
        date(2026, 5, 2),
        "met",
        IDAG,
    )
    assert list(oppna_samlarteam(IDAG)) == [arende]
    assert AuditLog.objects.filter(atgard="handelse_registrera", arende=arende, aktor=user)


@time_machine.travel(TODAY, tick=False)
def test_an_evaluation_that_ends_the_samlarteam_frees_a_place(cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-02-02", "type": "samlarteam_start"}])
    samlarteam_utvardera(actor=cast["boendestodjare"], arende=arende, datum=IDAG, avslutas=True)
    assert not oppna_samlarteam(IDAG).exists()
    with pytest.raises(ValidationError) as error:
        samlarteam_utvardera(actor=cast["boendestodjare"], arende=arende, datum=IDAG, avslutas=True)
    assert error.value.messages == ["Samlarteamet är inte startat i ärendet."]


@time_machine.travel(TODAY, tick=False)
def test_evaluation_refuses_a_date_before_the_start(cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-04-10", "type": "samlarteam_start"}])
    with pytest.raises(ValidationError) as error:
        samlarteam_utvardera(
            actor=cast["boendestodjare"], arende=arende, datum=date(2026, 4, 9), avslutas=False
        )
    assert error.value.message_dict == {
        "datum": ["Utvärderingen kan inte ligga före starten (2026-04-10)."]
    }


# --- The page --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef"])
def test_samlarteam_page_checklist_start_and_evaluation(client, cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    login(client, cast[role])

    response = client.get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Samlarteamet</h1>" in html and "Inte startat" in html
    for fraga in SamlarteamChecklista.FRAGOR:
        assert f"<legend>{fraga}</legend>" in html
    assert "0 av 20 ärenden" in html

    answers = {f"fraga_{i}": "ja" if yes else "nej" for i, yes in enumerate(ETT_JA)}
    response = client.post(url(arende, "samlarteam_checklista"), {"datum": "2026-04-20", **answers})
    assert response.status_code == 302 and response["Location"] == url(arende)
    html = client.get(url(arende)).content.decode()
    assert "Checklistan är sparad." in html
    assert "1 av 5 frågor besvarade med ja" in html
    assert "GEN-SAMLAR-CHECKLISTA" in html

    # Starting asks for a reason, and keeps the date given.
    response = client.post(url(arende, "samlarteam_start"), {"datum": "2026-04-20"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<textarea id="skal_GEN-SAMLAR-CHECKLISTA" name="skal_GEN-SAMLAR-CHECKLISTA"' in html
    assert "I checklistan 2026-04-20 besvarades 1 av fem frågor med ja" in html
    response = client.post(
        url(arende, "samlarteam_start"),
        {"datum": "2026-04-20", "skal_GEN-SAMLAR-CHECKLISTA": "Den enskilde vill själv."},
    )
    assert response.status_code == 302
    html = client.get(url(arende)).content.decode()
    assert "Pågår sedan 2026-04-20" in html and "Utvärdera senast 2026-07-20" in html
    assert "Startat trots varningen: Den enskilde vill själv." in html
    assert "1 av 20 ärenden" in html

    response = client.post(
        url(arende, "samlarteam_utvardering"), {"datum": "2026-04-20", "resultat": "avslutas"}
    )
    assert response.status_code == 302
    html = client.get(url(arende)).content.decode()
    assert "Avslutat (startade 2026-04-20)" in html
    assert "samlarteamet avslutades" in html and "0 av 20 ärenden" in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("name", "post", "field", "message"),
    [
        ("samlarteam_checklista", {"datum": "2026-04-20"}, "fraga_0", "Svara ja eller nej."),
        ("samlarteam_checklista", {"datum": ""}, "datum", "Ange datum."),
        ("samlarteam_start", {"datum": "2026-04-21"}, "datum",
         "Datumet får inte ligga i framtiden."),
        ("samlarteam_start", {"datum": "igår"}, "datum", "Ange datum som ÅÅÅÅ-MM-DD."),
        ("samlarteam_utvardering", {"datum": "2026-04-20"}, "resultat",
         "Välj om samlarteamet fortsätter eller avslutas."),
        ("samlarteam_utvardering", {"datum": "2026-03-01", "resultat": "fortsatter"}, "datum",
         "Utvärderingen kan inte ligga före starten (2026-03-02)."),
    ],
)  # fmt: skip
def test_samlarteam_page_invalid_input(client, cast, make_case, name, post, field, message):
    events = [*BEVILJAD_TRE_TIMMAR]
    if name == "samlarteam_utvardering":
        events.append({"date": "2026-03-02", "type": "samlarteam_start"})
    arende = make_case(events)
    checklist(arende, cast["boendestodjare"], TVA_JA)
    before = Handelse.objects.count()
    response = login(client, cast["boendestodjare"]).post(url(arende, name), post)
    assert response.status_code == 400
    form = {
        "samlarteam_checklista": "checklista_form",
        "samlarteam_start": "start_form",
        "samlarteam_utvardering": "utvardering_form",
    }[name]
    assert response.context[form].errors[field] == [message]
    assert message in response.content.decode()
    assert Handelse.objects.count() == before
    assert SamlarteamChecklista.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_samlarteam_page_start_when_already_started(client, cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-03-02", "type": "samlarteam_start"}])
    response = login(client, cast["boendestodjare"]).post(
        url(arende, "samlarteam_start"), {"datum": "2026-04-20"}
    )
    assert response.status_code == 400
    assert "Samlarteamet är redan startat i ärendet." in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_samlarteam_page_of_a_closed_case_offers_no_start_or_evaluation(client, cast, make_case):
    start = {"date": "2026-03-02", "type": "samlarteam_start"}
    for events in ([], [start]):
        arende = make_case(
            [*BEVILJAD_TRE_TIMMAR, *events, {"date": "2026-04-10", "type": "avslut"}]
        )
        login(client, cast["boendestodjare"])
        html = client.get(url(arende)).content.decode()
        assert "Samlarteamet kan inte startas eller utvärderas." in html
        assert url(arende, "samlarteam_start") not in html
        assert url(arende, "samlarteam_utvardering") not in html
    response = client.post(url(arende, "samlarteam_utvardering"), {"datum": "2026-04-20"})
    assert response.status_code == 400
    assert "Ärendet är avslutat; inget mer kan registreras i det." in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_samlarteam_page_only_for_boendestod(client, cast, make_case):
    arende = make_case([], insats="socialt_boende_med_stod")
    login(client, cast["boendestodjare"])
    assert client.get(url(arende)).status_code == 404
    assert client.post(url(arende, "samlarteam_start"), {"datum": "2026-04-20"}).status_code == 404


def test_samlarteam_page_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    for name in (
        "samlarteam",
        "samlarteam_checklista",
        "samlarteam_start",
        "samlarteam_utvardering",
    ):
        response = client.post(url(arende, name), {"datum": "2026-04-20"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Handelse.objects.filter(typ="samlarteam_start").exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("socialsekreterare", 403),
        ("forste_socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_samlarteam_page_refuses_wrong_roles(client, cast, make_case, role, status):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    login(client, cast[role])
    assert client.get(url(arende)).status_code == status
    answers = {f"fraga_{i}": "ja" for i in range(5)}
    for name in ("samlarteam_checklista", "samlarteam_start", "samlarteam_utvardering"):
        post = {"datum": "2026-04-20", "resultat": "avslutas", **answers}
        assert client.post(url(arende, name), post).status_code == status, name
    assert not SamlarteamChecklista.objects.exists()
    assert not Handelse.objects.filter(typ__startswith="samlarteam").exists()


@time_machine.travel(TODAY, tick=False)
def test_samlarteam_page_protected_case_without_grant_is_404(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR, skyddad=True)
    login(client, cast["boendestodjare"])
    assert client.get(url(arende)).status_code == 404
    assert client.post(url(arende, "samlarteam_start"), {"datum": "2026-04-20"}).status_code == 404


def test_samlarteam_get_is_allowed_post_only_for_actions(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    login(client, cast["boendestodjare"])
    assert client.get(url(arende, "samlarteam_start")).status_code == 405


@time_machine.travel(TODAY, tick=False)
def test_samlarteam_page_evaluation_when_not_started(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    response = login(client, cast["boendestodjare"]).post(
        url(arende, "samlarteam_utvardering"), {"datum": "2026-04-20", "resultat": "fortsatter"}
    )
    assert response.status_code == 400
    assert "Samlarteamet är inte startat i ärendet." in response.content.decode()
