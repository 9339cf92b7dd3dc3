"""The IVO report: quarters, the selection (GEN-IVO-3M, GEN-IVO-AVBROTT-3M), pseudonyms, export."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden import services
from uppfolj.arenden.ivo import Kvartal, ivo_dolda_skyddade, ivo_urval, pseudonym
from uppfolj.arenden.models import Arende, Bevakning, Handelse, IvoRapport
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD

URL = "/ivo/"
EXPORT = "/ivo/export.csv"
REGISTRERA = "/ivo/registrera/"
TODAY = "2026-10-05 10:00 +02:00"
TODAY_DATE = date(2026, 10, 5)
NEXT_QUARTER = "2027-01-11 10:00 +01:00"
READERS = ("socialsekreterare", "forste_socialsekreterare", "enhetschef", "inspektor")
NOT_READERS = (
    "boendestodjare",
    "stodpedagog",
    "utforarchef",
    "boendestodjare_annan",
    "administrator",
    "utomstaende",
)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def beslut(day: str, utfall: str = "bifall") -> dict:
    return {
        "date": day,
        "type": "beslut",
        "utfall": utfall,
        "from": day,
        "minuter_per_vecka": 180,
        "aterkallelseforbehall": False,
    }


def event(day: str, typ: str, **data) -> dict:
    return {"date": day, "type": typ, **data}


@pytest.fixture
def cases(make_case):
    """A hand-made set of cases around the third quarter of 2026."""
    verkstallt = event("2026-01-20", "verkstallt", grad="helt")
    histories = {
        # Decided 4 May, due 4 August, never executed: reported for K3.
        "EJV-1": [beslut("2026-05-04")],
        "VERK-1": [beslut("2026-05-04"), event("2026-07-01", "verkstallt", grad="helt")],
        # Due 2 June, executed 10 July: overdue at the end of K2, not of K3.
        "SEN-1": [beslut("2026-03-02"), event("2026-07-10", "verkstallt", grad="helt")],
        # Paused 11 May, due 11 August, not resumed: an interruption for K3.
        "AVB-1": [beslut("2026-01-05"), verkstallt, event("2026-05-11", "paus")],
        "AVB-OK": [
            beslut("2026-01-05"),
            verkstallt,
            event("2026-05-11", "paus"),
            event("2026-07-01", "ateruppta"),
        ],
        # Reported with K2 on 3 July and still not executed: reported again for K3.
        "RAPP-1": [beslut("2026-02-02"), event("2026-07-03", "ivo_rapport")],
        "RAPP-VERK": [
            beslut("2026-02-02"),
            event("2026-07-03", "ivo_rapport"),
            event("2026-08-20", "verkstallt", grad="helt"),
        ],
        # Closed on 1 August, overdue since 2 June: K2 only.
        "AVSL-1": [beslut("2026-03-02"), event("2026-08-01", "avslut")],
        "AVSLAG-1": [beslut("2026-03-02", "avslag")],
        # Due on the quarter's last day: not yet overdue on it.
        "KANT-1": [beslut("2026-06-30")],
    }
    made = {case_id: make_case(events, case_id=case_id) for case_id, events in histories.items()}
    made["SKYDD-1"] = make_case([beslut("2026-05-04")], case_id="SKYDD-1", skyddad=True)
    made["SODER-1"] = make_case([beslut("2026-05-04")], case_id="SODER-1", distrikt="Södermalm")
    return made


def ids(rows) -> list[tuple[str, str]]:
    return [(r.arende.arende_id, r.regel) for r in rows]


# --- Quarters and pseudonyms, no database ---------------------------------------------


def test_quarter_parsing_and_bounds():
    k3 = Kvartal.parse("2026-K3")
    assert (k3.forsta_dag, k3.sista_dag) == (date(2026, 7, 1), date(2026, 9, 30))
    assert Kvartal.parse(" 2026-k1 ").sista_dag == date(2026, 3, 31)
    assert Kvartal.parse("2026-K4").sista_dag == date(2026, 12, 31)
    assert Kvartal.parse("2026-K2").sista_dag == date(2026, 6, 30)
    assert str(Kvartal.for_date(date(2026, 10, 5))) == "2026-K4"
    assert str(Kvartal(2026, 1).foregaende()) == "2025-K4"
    assert str(Kvartal(2026, 4).nasta()) == "2027-K1"
    for bad in ("2026-K5", "2026-Q3", "2026K3", "26-K3", ""):
        with pytest.raises(ValueError):
            Kvartal.parse(bad)


def test_pseudonym_is_hmac_sha256_of_the_personnummer_keyed_from_secret_key(settings):
    settings.SECRET_KEY = "en-hemlig-nyckel-för-test"
    key = hashlib.sha256(b"uppfolj.arenden.ivo.pseudonym" + settings.SECRET_KEY.encode()).digest()
    expected = hmac.new(key, b"191212121212", hashlib.sha256).hexdigest()[:12]
    assert pseudonym("19121212-1212") == expected
    # Stable whatever the format, different for another person, not the number itself.
    assert pseudonym("121212+1212") == pseudonym("191212121212") == expected
    assert pseudonym("19800101-0008") != expected
    assert len(expected) == 12 and "1212" not in expected
    settings.SECRET_KEY = "en-annan-nyckel-för-test"
    assert pseudonym("19121212-1212") != expected


# --- The selection ------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_GEN_IVO_3M_and_AVBROTT_selection_for_the_third_quarter(cast, cases):
    rows = ivo_urval(user=cast["socialsekreterare"], kvartal=Kvartal(2026, 3), today=TODAY_DATE)
    assert ids(rows) == [
        ("AVB-1", "GEN-IVO-AVBROTT-3M"),
        ("RAPP-1", "GEN-IVO-3M"),
        ("EJV-1", "GEN-IVO-3M"),
    ]
    avbrott, rapporterad, ej_verkstallt = rows
    assert (avbrott.typ, avbrott.beslutsdatum, avbrott.avbrott_fran) == (
        "Avbrott",
        date(2026, 1, 5),
        date(2026, 5, 11),
    )
    # Days are counted to the quarter's last day once it has ended.
    assert avbrott.dagar_sedan_beslut == (date(2026, 9, 30) - date(2026, 1, 5)).days == 268
    assert rapporterad.forst_rapporterad == date(2026, 7, 3)
    assert (ej_verkstallt.typ, ej_verkstallt.beslutsdatum) == ("Ej verkställt", date(2026, 5, 4))
    assert ej_verkstallt.pseudonym == pseudonym(cases["EJV-1"].person.personnummer)
    assert (ej_verkstallt.kon, ej_verkstallt.insats) == ("Kvinna", "Boendestöd")


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_past_quarter_is_listed_as_it_stood_on_its_last_day(cast, cases):
    rows = ivo_urval(user=cast["socialsekreterare"], kvartal=Kvartal(2026, 2), today=TODAY_DATE)
    # Executed, reported and closed after 30 June: each was overdue then.
    assert ids(rows) == [
        ("RAPP-1", "GEN-IVO-3M"),
        ("RAPP-VERK", "GEN-IVO-3M"),
        ("AVSL-1", "GEN-IVO-3M"),
        ("SEN-1", "GEN-IVO-3M"),
    ]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_selection_keeps_to_the_cases_the_user_may_see(cast, cases):
    k3 = Kvartal(2026, 3)
    inspector = {
        r.arende.arende_id for r in ivo_urval(user=cast["inspektor"], kvartal=k3, today=TODAY_DATE)
    }
    assert inspector == {"AVB-1", "RAPP-1", "EJV-1", "SODER-1"}
    for role in ("administrator", "utomstaende"):
        assert ivo_urval(user=cast[role], kvartal=k3, today=TODAY_DATE) == []
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"],
        arende=cases["SKYDD-1"],
        anvandare=cast["socialsekreterare"],
    )
    granted = ivo_urval(user=cast["socialsekreterare"], kvartal=k3, today=TODAY_DATE)
    assert "SKYDD-1" in {r.arende.arende_id for r in granted}


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_current_quarter_lists_what_falls_due_before_its_end(cast, make_case):
    # 2026-K4 runs to 31 December: a decision of 15 July falls due 15 October.
    make_case([beslut("2026-07-15")], case_id="K4-1")
    make_case([beslut("2026-10-01")], case_id="K4-SEN")
    rows = ivo_urval(user=cast["socialsekreterare"], kvartal=Kvartal(2026, 4), today=TODAY_DATE)
    assert ids(rows) == [("K4-1", "GEN-IVO-3M")]
    # While the quarter runs, days are counted to today.
    assert rows[0].dagar_sedan_beslut == (date(2026, 10, 5) - date(2026, 7, 15)).days


# --- The page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    for response in (client.get(URL), client.get(EXPORT), client.post(REGISTRERA)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_page_lists_the_quarter_with_pseudonyms_not_personnummer(client, cast, cases):
    response = login(client, cast["socialsekreterare"]).get(URL, {"kvartal": "2026-K3"})
    html = response.content.decode()
    assert response.status_code == 200
    for case_id in ("AVB-1", "RAPP-1", "EJV-1"):
        arende = cases[case_id]
        assert pseudonym(arende.person.personnummer) in html
        assert arende.person.personnummer not in html
        assert str(arende.person) not in html
        assert f'href="/arenden/{case_id}/"' in html
    for case_id in ("VERK-1", "SEN-1", "AVB-OK", "RAPP-VERK", "AVSL-1", "KANT-1", "SODER-1"):
        assert f"/arenden/{case_id}/" not in html
    assert "3 att rapportera" in html
    assert "Ej verkställt" in html and "avbrott sedan 2026-05-11" in html
    assert '<th scope="col">Dagar sedan beslut</th>' in html.replace(' class="num"', "")
    assert "Registrera att rapporten skickats" in html
    views = set(AccessLog.objects.values_list("aktor__username", "arende__arende_id", "vy"))
    assert views == {
        ("socialsekreterare", "AVB-1", "ivo"),
        ("socialsekreterare", "RAPP-1", "ivo"),
        ("socialsekreterare", "EJV-1", "ivo"),
    }


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_default_is_the_current_quarter_which_cannot_be_registered_yet(client, cast, cases):
    html = login(client, cast["socialsekreterare"]).get(URL).content.decode()
    assert '<option value="2026-K4" selected>' in html
    assert "Kvartalet pågår till och med 2026-12-31." in html
    assert "Rapporten för 2026-K4 registreras när kvartalet är slut, efter 2026-12-31." in html
    assert 'action="/ivo/registrera/"' not in html


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("kvartal", "message"),
    [
        ("2026-Q3", "Ange kvartalet som ÅÅÅÅ-Kn, till exempel 2026-K3."),
        ("tredje", "Ange kvartalet som ÅÅÅÅ-Kn, till exempel 2026-K3."),
        ("2027-K1", "Kvartalet 2027-K1 har inte börjat ännu."),
    ],
)
def test_invalid_quarter_is_refused(client, cast, cases, kvartal, message):
    login(client, cast["socialsekreterare"])
    response = client.get(URL, {"kvartal": kvartal})
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.get(EXPORT, {"kvartal": kvartal})
    assert response.status_code == 400
    assert response.content.decode() == message
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_list_and_export(client, cast, cases, role):
    login(client, cast[role])
    assert client.get(URL, {"kvartal": "2026-K3"}).status_code == 200
    assert client.get(EXPORT, {"kvartal": "2026-K3"}).status_code == 200


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", NOT_READERS)
def test_provider_staff_and_others_are_refused(client, cast, cases, role):
    login(client, cast[role])
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT, {"kvartal": "2026-K3"}).status_code == 403
    response = client.post(REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-05"})
    assert response.status_code == 403
    assert not IvoRapport.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_inspector_reads_across_districts_but_does_not_register(client, cast, cases):
    login(client, cast["inspektor"])
    html = client.get(URL, {"kvartal": "2026-K3"}).content.decode()
    assert "/arenden/SODER-1/" in html and "/arenden/SKYDD-1/" not in html
    assert 'action="/ivo/registrera/"' not in html
    assert "Myndighetens handläggare registrerar när rapporten skickats." in html
    response = client.post(REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-05"})
    assert response.status_code == 403
    assert not IvoRapport.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_protected_case_is_absent_for_a_user_without_a_grant(client, cast, cases):
    for role in ("socialsekreterare", "enhetschef", "inspektor"):
        c = login(Client(), cast[role])
        html = c.get(URL, {"kvartal": "2026-K3"}).content.decode()
        assert "/arenden/SKYDD-1/" not in html
        # ACC-SKYDDAD: the list says a protected case is to be reported, never which.
        assert (
            "Dessutom ska 1 ärende med skyddade personuppgifter rapporteras för kvartalet." in html
        )
        assert cases["SKYDD-1"].person.efternamn not in html
        export = c.get(EXPORT, {"kvartal": "2026-K3"}).content.decode("utf-8-sig")
        assert pseudonym(cases["SKYDD-1"].person.personnummer) not in export


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_with_a_grant_the_protected_case_is_listed_and_not_counted_as_hidden(cast, cases):
    k3 = Kvartal(2026, 3)
    chef = cast["enhetschef"]
    assert ivo_dolda_skyddade(user=chef, kvartal=k3, today=TODAY_DATE) == 1
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=cases["SKYDD-1"], anvandare=chef
    )
    assert ivo_dolda_skyddade(user=chef, kvartal=k3, today=TODAY_DATE) == 0
    assert "SKYDD-1" in {
        r.arende.arende_id for r in ivo_urval(user=chef, kvartal=k3, today=TODAY_DATE)
    }
    # Nothing protected outside one's part of the city is counted.
    assert ivo_dolda_skyddade(user=cast["administrator"], kvartal=k3, today=TODAY_DATE) == 0


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_csv_export_exactly(client, cast, cases):
    response = login(client, cast["socialsekreterare"]).get(EXPORT, {"kvartal": "2026-K3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ivo-2026-K3.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")

    def pid(case_id: str) -> str:
        return pseudonym(cases[case_id].person.personnummer)

    expected = (
        "\ufeffId (pseudonym);Kön;Insats;Typ;Beslutsdatum;Dagar sedan beslut;Avbrott från;"
        "Först rapporterad\r\n"
        f"{pid('AVB-1')};Kvinna;Boendestöd;Avbrott;2026-01-05;268;2026-05-11;\r\n"
        f"{pid('RAPP-1')};Kvinna;Boendestöd;Ej verkställt;2026-02-02;240;;2026-07-03\r\n"
        f"{pid('EJV-1')};Kvinna;Boendestöd;Ej verkställt;2026-05-04;149;;\r\n"
    )
    assert body.decode("utf-8") == expected
    text = body.decode("utf-8")
    for arende in cases.values():
        assert arende.person.personnummer not in text
        assert arende.person.fornamn not in text
    assert set(AccessLog.objects.values_list("vy", flat=True)) == {"ivo_export"}
    assert AccessLog.objects.count() == 3


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_registering_the_report_adds_an_ivo_rapport_event_to_each_listed_case(client, cast, cases):
    login(client, cast["socialsekreterare"])
    response = client.post(REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-05"})
    assert response.status_code == 302
    assert response["Location"] == "/ivo/?kvartal=2026-K3"
    rapport = IvoRapport.objects.get()
    assert (rapport.kvartal, rapport.skickad, rapport.antal, rapport.distrikt.namn) == (
        "2026-K3",
        date(2026, 10, 5),
        3,
        "Bromma",
    )
    events = Handelse.objects.filter(typ="ivo_rapport", datum=date(2026, 10, 5))
    assert sorted(e.arende.arende_id for e in events) == ["AVB-1", "EJV-1", "RAPP-1"]
    assert all(e.data == {"kvartal": "2026-K3"} for e in events)
    assert all(e.registrerad_av == cast["socialsekreterare"] for e in events)
    # The bevakningar were recomputed: the overdue instances are now reported.
    ejv = Bevakning.objects.get(arende=cases["EJV-1"], regel="GEN-IVO-3M")
    assert (ejv.status, ejv.uppfylld) == ("reported", date(2026, 10, 5))
    avb = Bevakning.objects.get(arende=cases["AVB-1"], regel="GEN-IVO-AVBROTT-3M")
    assert avb.status == "reported"
    audit = AuditLog.objects.get(atgard="ivo_rapport_registrera")
    assert audit.aktor == cast["socialsekreterare"]
    assert audit.efter["antal"] == 3 and audit.efter["kvartal"] == "2026-K3"
    assert AuditLog.objects.filter(atgard="handelse_registrera").count() == 3
    html = client.get(URL, {"kvartal": "2026-K3"}).content.decode()
    assert "Rapporten för 2026-K3 är registrerad som skickad 2026-10-05 (3 st)." in html
    assert "Rapporten för 2026-K3 skickades 2026-10-05 av Socialsekreterare (3 st)." in html
    # The quarter's list stays the same after the report.
    assert "3 att rapportera" in html


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_second_registration_of_the_quarter_is_refused(client, cast, cases):
    login(client, cast["socialsekreterare"])
    client.post(REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-02"})
    for role in ("socialsekreterare", "enhetschef"):
        response = login(Client(), cast[role]).post(
            REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-05"}
        )
        assert response.status_code == 400
        assert (
            "Rapporten för 2026-K3 är redan registrerad: skickad 2026-10-02 av Socialsekreterare."
            in response.content.decode()
        )
    assert IvoRapport.objects.count() == 1
    assert Handelse.objects.filter(typ="ivo_rapport", datum=date(2026, 10, 5)).count() == 0


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_another_district_registers_its_own_report_of_the_quarter(cast, cases):
    from uppfolj.arenden.ivo import ivo_rapport_registrera

    ivo_rapport_registrera(
        actor=cast["socialsekreterare"], kvartal=Kvartal(2026, 3), skickad=date(2026, 10, 5)
    )
    chef = User.objects.create_user(
        username="chef_soder",
        password=PASSWORD,
        roll=Roll.ENHETSCHEF,
        distrikt=Distrikt.objects.get(namn="Södermalm"),
    )
    rapport = ivo_rapport_registrera(
        actor=chef, kvartal=Kvartal(2026, 3), skickad=date(2026, 10, 5)
    )
    assert rapport.antal == 1
    assert Handelse.objects.get(typ="ivo_rapport", arende__arende_id="SODER-1")


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("kvartal", "skickad", "message"),
    [
        (
            "2026-K3",
            "2026-09-30",
            "Rapporten för 2026-K3 kan registreras först efter kvartalets slut (2026-09-30).",
        ),
        (
            "2026-K4",
            "2026-10-05",
            "Rapporten för 2026-K4 kan registreras först efter kvartalets slut (2026-12-31).",
        ),
        ("2026-K3", "2026-10-06", "Datumet får inte ligga i framtiden."),
        ("2026-K3", "", "Ange datum."),
        ("2026-K3", "5 oktober", "Ange datum som ÅÅÅÅ-MM-DD."),
        ("2026-Q3", "2026-10-05", "Ange kvartalet som ÅÅÅÅ-Kn, till exempel 2026-K3."),
    ],
)
def test_registration_invalid_input_is_refused(client, cast, cases, kvartal, skickad, message):
    login(client, cast["forste_socialsekreterare"])
    response = client.post(REGISTRERA, {"kvartal": kvartal, "skickad": skickad})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IvoRapport.objects.exists()
    assert not Handelse.objects.filter(typ="ivo_rapport", datum__gte=date(2026, 10, 1)).exists()


@pytest.mark.django_db
def test_reported_but_not_executed_case_is_reported_again_next_quarter(client, cast, cases):
    with time_machine.travel(TODAY, tick=False):
        login(client, cast["enhetschef"]).post(
            REGISTRERA, {"kvartal": "2026-K3", "skickad": "2026-10-05"}
        )
    with time_machine.travel(NEXT_QUARTER, tick=False):
        # EJV-1 is executed in November; RAPP-1 and AVB-1 are still waiting.
        services.verkstallighet_registrera(
            actor=cast["socialsekreterare"],
            arende=cases["EJV-1"],
            datum=date(2026, 11, 16),
            grad="helt",
        )
        k4 = ivo_urval(user=cast["enhetschef"], kvartal=Kvartal(2026, 4), today=date(2027, 1, 11))
        # KANT-1 fell due on 30 September: overdue in K4, reported for the first time.
        assert ids(k4) == [
            ("AVB-1", "GEN-IVO-AVBROTT-3M"),
            ("RAPP-1", "GEN-IVO-3M"),
            ("KANT-1", "GEN-IVO-3M"),
        ]
        assert [r.forst_rapporterad for r in k4] == [date(2026, 10, 5), date(2026, 7, 3), None]
        # K3 still reads as it stood on 30 September.
        k3 = ivo_urval(user=cast["enhetschef"], kvartal=Kvartal(2026, 3), today=date(2027, 1, 11))
        assert [r.arende.arende_id for r in k3] == ["AVB-1", "RAPP-1", "EJV-1"]
        # Three months on, yesterday's session has long expired.
        login(client, cast["enhetschef"])
        response = client.post(REGISTRERA, {"kvartal": "2026-K4", "skickad": "2027-01-11"})
        assert response["Location"] == "/ivo/?kvartal=2026-K4"
        assert IvoRapport.objects.get(kvartal="2026-K4").antal == 3
        second = Handelse.objects.filter(typ="ivo_rapport", arende=cases["RAPP-1"])
        assert sorted(h.datum for h in second) == [
            date(2026, 7, 3),
            date(2026, 10, 5),
            date(2027, 1, 11),
        ]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_nav_links_to_ivo_and_search_for_authority_and_inspector(client, cast):
    for role in READERS:
        html = login(Client(), cast[role]).get("/arenden/").content.decode()
        assert 'href="/ivo/"' in html and 'href="/sok/"' in html, role
    for role in ("boendestodjare", "utforarchef", "administrator"):
        html = login(Client(), cast[role]).get("/arenden/").content.decode()
        assert 'href="/ivo/"' not in html and 'href="/sok/"' not in html, role


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_query_count_does_not_grow_with_the_number_of_cases(client, cast, make_case):
    login(client, cast["socialsekreterare"])
    make_case([beslut("2026-05-04")])
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"kvartal": "2026-K3"})
    for _ in range(6):
        make_case([beslut("2026-05-04")])
        make_case(
            [beslut("2026-01-05"), event("2026-01-20", "verkstallt"), event("2026-05-11", "paus")]
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"kvartal": "2026-K3"})
    assert "13 att rapportera" in response.content.decode()
    assert len(many) == len(one)
    assert Arende.objects.count() == 13
