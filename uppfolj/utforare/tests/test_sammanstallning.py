"""Summaries of daily notes: the draft from known notes, transfer (BS-SAMMANST-89D), deletion."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Bevakning, Handelse
from uppfolj.audit.models import AuditLog
from uppfolj.domain.engine import MET, OPEN
from uppfolj.utforare.models import Besok, Daganteckning, Sammanstallning
from uppfolj.utforare.services import anteckningar as services

from .test_daganteckningar import (
    BESLUT,
    TODAY,
    UPPDRAG,
    VERKSTALLT,
    login,
    make_plan,
    url,
    write,
)

pytestmark = pytest.mark.django_db

Typ = Daganteckning.Typ
TEXTS = {
    "tidsanvandning": "Tiden räckte.",
    "malarbete_individ": "Hen är nöjd.",
    "malarbete_utforare": "Framsteg i köket.",
    "klagomal": "Inga.",
}


@pytest.fixture
def arende(make_case):
    return make_case([BESLUT, UPPDRAG, VERKSTALLT], case_id="A-1")


@pytest.fixture
def goals(arende, cast):
    plan = make_plan(
        arende, cast["stodpedagog"], 1, [("hemliv", "Städa köket"), ("relationer", "Ringa syster")]
    )
    return list(plan.delmal.all())


@pytest.fixture
def known(cast, arende, goals, make_case):
    """Nine valid notes in 2026-02-01 – 2026-04-19, one wrong, two outside, one elsewhere."""
    kok, syster = goals
    inside = [
        write(cast, arende, datum=date(2026, 2, 2), typ=Typ.ANTECKNING, delmal=kok),
        write(cast, arende, datum=date(2026, 2, 9), typ=Typ.AVBOKNING, delmal=kok),
        write(cast, arende, datum=date(2026, 2, 16), typ=Typ.UTEBLIVEN, delmal=syster),
        write(cast, arende, datum=date(2026, 2, 20), typ=Typ.KLAGOMAL, text="Personalen kom sent."),
        write(cast, arende, datum=date(2026, 3, 1), typ=Typ.ANTECKNING, delmal=syster),
        write(cast, arende, datum=date(2026, 3, 5), typ=Typ.AVBOKNING),
        write(cast, arende, datum=date(2026, 3, 10), typ=Typ.SJUKHUS),
        write(
            cast,
            arende,
            datum=date(2026, 3, 20),
            typ=Typ.KLAGOMAL,
            delmal=kok,
            text="Vill inte ha\nvikarier.",
        ),
    ]
    wrong = write(cast, arende, datum=date(2026, 4, 2), typ=Typ.ANTECKNING, delmal=kok)
    correction = services.daganteckning_felmarkera(
        actor=cast["boendestodjare"],
        anteckning=wrong,
        skal="Var en avbokning",
        rattelse_text="Avbokade.",
        typ=Typ.AVBOKNING,
    )
    outside = [
        write(cast, arende, datum=date(2026, 1, 20), delmal=kok),
        write(cast, arende, datum=date(2026, 4, 20)),
    ]
    elsewhere = write(cast, make_case([BESLUT, UPPDRAG, VERKSTALLT]), datum=date(2026, 3, 3))
    return SimpleNamespace(
        inside=[*inside, wrong, correction], outside=outside, elsewhere=elsewhere
    )


def spara(
    cast, arende, fran=date(2026, 2, 1), till=date(2026, 4, 19), role="boendestodjare", **texts
) -> Sammanstallning:
    return services.sammanstallning_spara(
        actor=cast[role],
        arende=arende,
        period_fran=fran,
        period_till=till,
        **{**TEXTS, **texts},
    )


def overfor(cast, arende, role="boendestodjare", **kwargs) -> Sammanstallning:
    draft = spara(cast, arende, role=role, **kwargs)
    return services.sammanstallning_overfor(actor=cast[role], sammanstallning=draft)


# --- The draft, in plain Python -----------------------------------------------------------


def note(pk, day, typ, goal=None, text="T", wrong=False):
    return SimpleNamespace(
        pk=pk,
        datum=date(2026, 2, day) if day <= 28 else date(2026, 3, day - 28),
        typ=typ,
        delmal=goal,
        text=text,
        felmarkerad=datetime(2026, 3, 1, tzinfo=timezone.get_fixed_timezone(60)) if wrong else None,
    )


def test_draft_counts_and_groups_known_notes_without_a_database():
    kok = SimpleNamespace(livsomrade="hemliv", mal="Städa köket")
    syster = SimpleNamespace(livsomrade="relationer", mal="Ringa syster")
    laga = SimpleNamespace(livsomrade="hemliv", mal="Laga mat")
    # The same goal copied into a revised plan version is the same group.
    kok_v2 = SimpleNamespace(livsomrade="hemliv", mal="Städa  köket")
    underlag = services.underlag_bygg(
        fran=date(2026, 2, 1),
        till=date(2026, 2, 28),
        anteckningar=[
            note(1, 2, Typ.ANTECKNING, kok),
            note(2, 9, Typ.AVBOKNING, kok_v2),
            note(3, 16, Typ.UTEBLIVEN, syster),
            note(4, 20, Typ.KLAGOMAL, None, "Personalen kom  sent.\nIgen."),
            note(5, 21, Typ.ANTECKNING, kok, wrong=True),
            note(6, 22, Typ.AVBOKNING, None),
            note(7, 30, Typ.AVBOKNING, kok),  # 2 March, after the period
        ],
        delmal=[kok_v2, syster, laga],
        beviljat_minuter_per_vecka=180,
        antal_besok=6,
        besok_minuter=330,
    )
    assert (
        underlag.antal_anteckningar,
        underlag.antal_avbokningar,
        underlag.antal_uteblivna,
        underlag.antal_klagomal,
        underlag.antal_felmarkerade,
    ) == (5, 2, 1, 1, 1)
    assert [
        (g.rubrik, g.antal, g.antal_avbokningar, g.antal_uteblivna, g.antal_klagomal)
        for g in underlag.grupper
    ] == [
        ("Städa  köket", 2, 1, 0, 0),
        ("Ringa syster", 1, 0, 1, 0),
        ("Laga mat", 0, 0, 0, 0),
        ("Utan koppling till delmål", 2, 1, 0, 1),
    ]
    assert underlag.forslag == {
        "tidsanvandning": "Under perioden 2026-02-01–2026-02-28 finns 5 daganteckningar.\n"
        "Avbokningar: 2 (2026-02-09, 2026-02-22).\n"
        "Uteblivna besök (inte hemma, inte avbokat): 1 (2026-02-16).\n"
        "Sjukhusinläggningar: 0.\n"
        "Beviljad tid: 3 tim per vecka.\n"
        "Registrerade besök: 6, sammanlagt 5 tim 30 min.\n"
        "Outnyttjad tid: \n"
        "Behov av mer tid: ",
        "malarbete_individ": "Städa  köket: \nRinga syster: \nLaga mat: ",
        "malarbete_utforare": "Städa  köket (Hemliv): 2 anteckningar.\n"
        "Ringa syster (Mellanmänskliga interaktioner och relationer): 1 anteckning.\n"
        "Laga mat (Hemliv): 0 anteckningar.\n"
        "Utan koppling till delmål: 2 anteckningar.",
        "klagomal": "Klagomål under perioden: 1.\n– 2026-02-20: Personalen kom sent. Igen.\n\n"
        "Vad som gjorts: ",
    }


def test_draft_without_complaints_or_goals_says_so():
    underlag = services.underlag_bygg(
        fran=date(2026, 2, 1), till=date(2026, 2, 28), anteckningar=[note(1, 3, Typ.ANTECKNING)]
    )
    assert [g.rubrik for g in underlag.grupper] == ["Utan koppling till delmål"]
    assert underlag.forslag["klagomal"] == (
        "Den enskilde har inte framfört några klagomål under perioden."
    )
    assert underlag.forslag["tidsanvandning"].startswith(
        "Under perioden 2026-02-01–2026-02-28 finns 1 daganteckning.\nAvbokningar: 0.\n"
    )


def test_period_checks():
    today = date(2026, 4, 20)
    done = [(date(2026, 1, 1), date(2026, 1, 31))]
    assert services.period_fel(date(2026, 2, 1), date(2026, 4, 20), today, done) == {}
    assert services.period_fel(date(2026, 3, 1), date(2026, 2, 1), today, done) == {
        "till": "Periodens slut ligger före dess början."
    }
    assert services.period_fel(date(2026, 3, 1), date(2026, 4, 21), today, done) == {
        "till": "Perioden får inte sluta i framtiden."
    }
    assert services.period_fel(date(2026, 1, 31), date(2026, 3, 1), today, done) == {
        "fran": "Perioden överlappar sammanställningen 2026-01-01–2026-01-31 som redan är "
        "överförd till journalen."
    }


# --- The draft from stored notes ------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_draft_of_known_notes_counts_exactly_and_groups_by_goal(cast, arende, known):
    Besok.objects.create(
        arende=arende,
        personal=cast["boendestodjare"],
        start=datetime(2026, 3, 2, 10, tzinfo=timezone.get_current_timezone()),
        slut=datetime(2026, 3, 2, 11, 30, tzinfo=timezone.get_current_timezone()),
        plats=Besok.Plats.HEMMA,
        registrerad_av=cast["boendestodjare"],
    )
    underlag = services.sammanstallning_underlag(arende, date(2026, 2, 1), date(2026, 4, 19))
    assert (
        underlag.antal_anteckningar,
        underlag.antal_avbokningar,
        underlag.antal_uteblivna,
        underlag.antal_klagomal,
        underlag.antal_sjukhus,
        underlag.antal_felmarkerade,
    ) == (9, 3, 1, 2, 1, 1)
    assert [
        (g.rubrik, g.antal, g.antal_avbokningar, g.antal_uteblivna, g.antal_klagomal)
        for g in underlag.grupper
    ] == [
        ("Städa köket", 4, 2, 0, 1),
        ("Ringa syster", 2, 0, 1, 0),
        ("Utan koppling till delmål", 3, 1, 0, 1),
    ]
    assert underlag.forslag["klagomal"] == (
        "Klagomål under perioden: 2.\n"
        "– 2026-02-20: Personalen kom sent.\n"
        "– 2026-03-20: Vill inte ha vikarier.\n\n"
        "Vad som gjorts: "
    )
    assert (
        "Beviljad tid: 3 tim per vecka.\nRegistrerade besök: 1, sammanlagt 1 tim 30 min."
        in (underlag.forslag["tidsanvandning"])
    )


@time_machine.travel(TODAY, tick=False)
def test_new_summary_page_shows_the_counts_and_prefills_the_texts(client, cast, arende, known):
    login(client, cast["boendestodjare"])
    response = client.get(
        url(arende, "utforare:sammanstallning_ny") + "?fran=2026-02-01&till=2026-04-19"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<tr><th scope="row">Städa köket<br><span class="muted">Hemliv</span></th>\n'
        '        <td class="num">4</td><td class="num">2</td><td class="num">0</td>'
        '<td class="num">1</td></tr>'
    ) in html
    assert (
        '<tr><th scope="row">Hela perioden</th><td class="num">9</td><td class="num">3</td>'
        '<td class="num">1</td><td class="num">2</td></tr>'
    ) in html
    assert "1 felmarkerad anteckning räknas inte (rättelsen gör det)" in html
    assert "– 2026-02-20: Personalen kom sent." in html
    assert "Under perioden 2026-02-01–2026-04-19 finns 9 daganteckningar." in html
    assert not Sammanstallning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_default_period_runs_from_execution_then_from_the_last_transferred_summary(
    client, cast, arende
):
    login(client, cast["boendestodjare"])
    html = client.get(url(arende, "utforare:sammanstallning_ny")).content.decode()
    assert 'name="fran" value="2026-01-12"' in html and 'name="till" value="2026-04-20"' in html
    write(cast, arende, datum=date(2026, 2, 3))
    overfor(cast, arende, fran=date(2026, 1, 12), till=date(2026, 3, 31))
    assert services.standardperiod(arende, date(2026, 4, 20)) == (
        date(2026, 4, 1),
        date(2026, 4, 20),
    )
    html = client.get(url(arende, "utforare:sammanstallning_ny")).content.decode()
    assert 'name="fran" value="2026-04-01"' in html


@time_machine.travel(TODAY, tick=False)
def test_period_errors_on_the_new_summary_page(client, cast, arende):
    write(cast, arende, datum=date(2026, 2, 3))
    overfor(cast, arende, fran=date(2026, 2, 1), till=date(2026, 2, 28))
    login(client, cast["boendestodjare"])
    for query, message in [
        ("fran=2026-03-10&till=2026-03-01", "Periodens slut ligger före dess början."),
        ("fran=2026-03-01&till=2026-04-21", "Perioden får inte sluta i framtiden."),
        ("fran=1/3&till=2026-04-01", "Ange datum som ÅÅÅÅ-MM-DD."),
        ("fran=&till=2026-04-01", "Ange periodens första dag."),
        (
            "fran=2026-02-20&till=2026-04-01",
            "Perioden överlappar sammanställningen 2026-02-01–2026-02-28 som redan är "
            "överförd till journalen.",
        ),
    ]:
        response = client.get(url(arende, "utforare:sammanstallning_ny") + "?" + query)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Spara utkast" not in response.content.decode()


# --- Saving and transferring ----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_saving_a_draft_stores_counts_and_writes_no_event(client, cast, arende, known):
    events = Handelse.objects.count()
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:sammanstallning_ny") + "?fran=2026-02-01&till=2026-04-19",
        {**TEXTS, "tidsanvandning": "Tre avbokningar.  "},
    )
    draft = Sammanstallning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(arende, "utforare:sammanstallning", draft.pk)
    assert (draft.status, draft.period_fran, draft.period_till, draft.overford) == (
        "utkast",
        date(2026, 2, 1),
        date(2026, 4, 19),
        None,
    )
    assert (draft.antal_anteckningar, draft.antal_avbokningar, draft.antal_uteblivna) == (9, 3, 1)
    assert draft.tidsanvandning == "Tre avbokningar." and draft.skriven_av == cast["boendestodjare"]
    assert Handelse.objects.count() == events
    assert not Daganteckning.objects.filter(sammanstallning__isnull=False).exists()
    audit = AuditLog.objects.get(atgard="sammanstallning_spara")
    assert audit.efter["status"] == "utkast" and audit.fore is None
    html = client.get(response["Location"]).content.decode()
    assert "Utkastet är sparat." in html and "Spara och överför till journalen" in html
    # A draft may still lack texts; a transfer may not.
    empty = spara(cast, arende, fran=date(2026, 1, 12), till=date(2026, 1, 31), tidsanvandning="")
    assert empty.tidsanvandning == ""


@time_machine.travel("2026-04-01 10:00 +02:00", tick=False)
def test_BS_SAMMANST_89D_met_by_the_transfer_and_notes_of_the_period_linked(
    client, cast, arende, goals
):
    kok = goals[0]
    inside = [
        write(cast, arende, datum=date(2026, 2, 2), delmal=kok),
        write(cast, arende, datum=date(2026, 3, 31), typ=Typ.AVBOKNING),
    ]
    later = write(cast, arende, datum=date(2026, 4, 1))
    draft = spara(cast, arende, fran=date(2026, 1, 12), till=date(2026, 3, 31))
    assert Bevakning.objects.get(regel="BS-SAMMANST-89D").status == OPEN
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:sammanstallning", draft.pk),
        {
            **TEXTS,
            "fran": "2026-01-12",
            "till": "2026-03-31",
            "atgard": "overfor",
            "grundversion": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.overford) == ("overford", date(2026, 4, 1))
    assert (draft.handelse.typ, draft.handelse.datum) == ("sammanstallning", date(2026, 4, 1))
    assert draft.handelse.data == {
        "period_fran": "2026-01-12",
        "period_till": "2026-03-31",
        "antal_anteckningar": 2,
    }
    assert sorted(draft.daganteckningar.values_list("pk", flat=True)) == [n.pk for n in inside]
    later.refresh_from_db()
    assert later.sammanstallning is None
    rows = Bevakning.objects.filter(regel="BS-SAMMANST-89D").order_by("start")
    assert [(b.start, b.forfaller, b.status, b.uppfylld) for b in rows] == [
        (date(2026, 1, 12), date(2026, 4, 11), MET, date(2026, 4, 1)),
        (date(2026, 4, 1), date(2026, 6, 29), OPEN, None),
    ]
    audit = AuditLog.objects.get(atgard="sammanstallning_overfor")
    assert audit.efter["anteckningar_kopplade"] == 2 and audit.efter["status"] == "overford"
    html = client.get(response["Location"]).content.decode()
    assert "Sammanställningen är överförd till journalen." in html
    assert "2 daganteckningar ingår i sammanställningen." in html
    assert "Spara utkast" not in html and "<textarea" not in html


@time_machine.travel(TODAY, tick=False)
def test_transfer_needs_the_texts(client, cast, arende, known):
    draft = spara(cast, arende, tidsanvandning="", malarbete_individ=" ", malarbete_utforare="")
    with pytest.raises(ValidationError) as error:
        services.sammanstallning_overfor(actor=cast["boendestodjare"], sammanstallning=draft)
    assert error.value.message_dict == {
        "tidsanvandning": ["Beskriv hur tiden har använts."],
        "malarbete_individ": ["Beskriv hur den enskilde upplever målarbetet."],
        "malarbete_utforare": ["Beskriv hur utföraren upplever målarbetet."],
    }
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:sammanstallning", draft.pk),
        {
            "fran": "2026-02-01",
            "till": "2026-04-19",
            "atgard": "overfor",
            "klagomal": "Inga.",
            "grundversion": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beskriv hur tiden har använts." in html
    assert "Beskriv hur den enskilde upplever målarbetet." in html
    draft.refresh_from_db()
    assert draft.status == "utkast" and draft.klagomal == "Inga."
    assert not Handelse.objects.filter(typ="sammanstallning").exists()
    assert not Daganteckning.objects.filter(sammanstallning__isnull=False).exists()


@time_machine.travel(TODAY, tick=False)
def test_save_and_transfer_is_all_or_nothing(client, cast, arende, known):
    draft = spara(cast, arende)
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:sammanstallning", draft.pk),
        {
            **TEXTS,
            "tidsanvandning": "Ny text om tiden.",
            "malarbete_individ": "",
            "fran": "2026-02-01",
            "till": "2026-04-19",
            "atgard": "overfor",
            "grundversion": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" role="alert">Beskriv hur den enskilde upplever målarbetet.</p>' in html
    # The user's text is kept in the form, but the refused transfer saved none of it.
    assert "Ny text om tiden.</textarea>" in html
    assert 'name="grundversion" value="1"' in html
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("utkast", 1)
    assert (draft.tidsanvandning, draft.malarbete_individ) == ("Tiden räckte.", "Hen är nöjd.")
    assert AuditLog.objects.filter(atgard="sammanstallning_spara").count() == 1
    assert not Handelse.objects.filter(typ="sammanstallning").exists()


@time_machine.travel(TODAY, tick=False)
def test_a_transferred_summary_is_never_edited(client, cast, arende, known):
    summary = overfor(cast, arende)
    with pytest.raises(ValidationError) as error:
        services.sammanstallning_spara(
            actor=cast["boendestodjare"],
            arende=arende,
            period_fran=date(2026, 2, 1),
            period_till=date(2026, 4, 19),
            tidsanvandning="Ändrat.",
            sammanstallning=summary,
        )
    assert error.value.messages == [
        "Sammanställningen är överförd till journalen och kan inte ändras."
    ]
    with pytest.raises(ValidationError):
        services.sammanstallning_overfor(actor=cast["boendestodjare"], sammanstallning=summary)
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:sammanstallning", summary.pk),
        {**TEXTS, "tidsanvandning": "Ändrat.", "fran": "2026-02-01", "till": "2026-04-19"},
    )
    assert response.status_code == 400
    assert "Sammanställningen är överförd till journalen och kan inte ändras." in (
        response.content.decode()
    )
    summary.refresh_from_db()
    assert summary.tidsanvandning == "Tiden räckte."
    assert Handelse.objects.filter(typ="sammanstallning").count() == 1
    # Nor are its notes: no marking wrong, and no new note dated inside the period.
    with pytest.raises(ValidationError) as error:
        services.daganteckning_felmarkera(
            actor=cast["boendestodjare"], anteckning=known.inside[0], skal="x", rattelse_text="y"
        )
    assert "ingår i en sammanställning som är överförd" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        write(cast, arende, datum=date(2026, 3, 3))
    assert error.value.message_dict["datum"] == [
        "Perioden 2026-02-01–2026-04-19 är redan sammanställd och överförd till journalen. "
        "Skriv anteckningen med ett senare datum."
    ]


# --- Deleting the summarised notes -----------------------------------------------------


def everything() -> dict[str, list]:
    return {
        "daganteckningar": list(Daganteckning.objects.order_by("pk").values()),
        "handelser": list(Handelse.objects.order_by("pk").values()),
        "sammanstallningar": list(Sammanstallning.objects.order_by("pk").values()),
        "bevakningar": list(Bevakning.objects.order_by("pk").values()),
        "audit": list(AuditLog.objects.order_by("pk").values_list("pk", flat=True)),
    }


@time_machine.travel(TODAY, tick=False)
def test_deletion_refuses_notes_not_covered_by_a_transferred_summary(cast, arende, known):
    draft = spara(cast, arende)
    before = everything()
    with pytest.raises(ValidationError) as error:
        services.daganteckningar_radera(actor=cast["stodpedagog"], sammanstallning=draft)
    assert error.value.messages == [
        "Sammanställningen är inte överförd till journalen; anteckningarna får inte raderas."
    ]
    assert everything() == before


@time_machine.travel(TODAY, tick=False)
def test_deletion_removes_exactly_the_summarised_notes_and_touches_nothing_else(
    cast, arende, known
):
    summary = overfor(cast, arende)
    before = everything()
    covered = {n.pk for n in known.inside}
    assert set(summary.daganteckningar.values_list("pk", flat=True)) == covered
    deleted = services.daganteckningar_radera(actor=cast["stodpedagog"], sammanstallning=summary)
    after = everything()
    assert deleted == 10
    assert after["daganteckningar"] == [
        row for row in before["daganteckningar"] if row["id"] not in covered
    ]
    assert len(after["daganteckningar"]) == len(before["daganteckningar"]) - 10 == 3
    # The events stay: they are the record that the notes were written.
    for name in ("handelser", "sammanstallningar", "bevakningar"):
        assert after[name] == before[name]
    new_audit = AuditLog.objects.exclude(pk__in=before["audit"])
    assert new_audit.count() == 1
    audit = new_audit.get()
    assert (audit.atgard, audit.aktor, audit.arende) == (
        "daganteckningar_radera",
        cast["stodpedagog"],
        arende,
    )
    assert (audit.objekttyp, audit.objekt_id) == ("utforare.Sammanstallning", str(summary.pk))
    assert audit.efter == {
        "sammanstallning": summary.pk,
        "period_fran": "2026-02-01",
        "period_till": "2026-04-19",
        "antal_raderade": 10,
    }
    with pytest.raises(ValidationError) as error:
        services.daganteckningar_radera(actor=cast["stodpedagog"], sammanstallning=summary)
    assert error.value.messages == [
        "Det finns inga daganteckningar att radera för sammanställningen."
    ]
    assert AuditLog.objects.exclude(pk__in=before["audit"]).count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "socialsekreterare", "boendestodjare_annan"])
def test_only_stodpedagog_or_manager_of_the_provider_deletes(cast, arende, known, role):
    summary = overfor(cast, arende)
    before = everything()
    with pytest.raises(PermissionDenied):
        services.daganteckningar_radera(actor=cast[role], sammanstallning=summary)
    assert everything() == before


@time_machine.travel(TODAY, tick=False)
def test_deletion_page_confirms_then_deletes(client, cast, arende, known):
    summary = overfor(cast, arende)
    radera = url(arende, "utforare:anteckningar_radera", summary.pk)
    login(client, cast["boendestodjare"])
    html = client.get(url(arende, "utforare:sammanstallning", summary.pk)).content.decode()
    assert "10 daganteckningar ingår i sammanställningen, felmarkerade anteckningar och " in html
    assert radera not in html and "Stödpedagog eller enhetschef raderar anteckningarna." in html
    assert client.get(radera).status_code == 403
    assert client.post(radera).status_code == 403
    assert Daganteckning.objects.count() == 13

    login(client, cast["utforarchef"])
    html = client.get(url(arende, "utforare:sammanstallning", summary.pk)).content.decode()
    assert f'href="{radera}"' in html
    response = client.get(radera)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<button type="submit">Radera 10 daganteckningar</button>' in html
    assert Daganteckning.objects.count() == 13
    response = client.post(radera)
    assert response.status_code == 302
    assert Daganteckning.objects.count() == 3
    html = client.get(response["Location"]).content.decode()
    assert "10 daganteckningar har raderats. Sammanställningen finns kvar i journalen." in html
    assert "10 daganteckningar raderades 2026-04-20 10:00 av Utforarchef." in html
    assert client.post(radera).status_code == 400


@time_machine.travel(TODAY, tick=False)
def test_deletion_page_refuses_a_draft(client, cast, arende, known):
    draft = spara(cast, arende)
    login(client, cast["stodpedagog"])
    for response in (
        client.get(url(arende, "utforare:anteckningar_radera", draft.pk)),
        client.post(url(arende, "utforare:anteckningar_radera", draft.pk)),
    ):
        assert response.status_code == 400
        assert (
            "Sammanställningen är inte överförd till journalen; anteckningarna får inte raderas."
            in response.content.decode()
        )
    assert Daganteckning.objects.count() == 13


# --- Who sees summaries -----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["socialsekreterare", "forste_socialsekreterare", "enhetschef"])
def test_authority_reads_transferred_summaries_on_the_case_page_but_not_drafts(
    client, cast, arende, known, role
):
    overfor(cast, arende, fran=date(2026, 1, 12), till=date(2026, 1, 31))
    spara(cast, arende, malarbete_individ="Utkastets text.")
    login(client, cast[role])
    html = client.get(reverse("arenden:arende", args=[arende.arende_id])).content.decode()
    assert "Sammanställningar av daganteckningar" in html
    assert "2026-01-12 – 2026-01-31, överförd 2026-04-20" in html
    assert "Framsteg i köket." in html
    assert "Utkastets text." not in html
    assert html.index("Sammanställningar av daganteckningar") < html.index("<h2>Händelser</h2>")
    summary = Sammanstallning.objects.get(status="overford")
    assert client.get(url(arende, "utforare:sammanstallning", summary.pk)).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_a_summary_reads_as_written_with_its_line_breaks_and_nothing_as_markup(
    client, cast, arende
):
    summary = overfor(
        cast,
        arende,
        fran=date(2026, 1, 12),
        till=date(2026, 1, 31),
        tidsanvandning="Städning <b>varje</b> vecka\nTvätt & inköp",
        klagomal="",
    )
    expected = (
        '<dl class="facts sammanstallning-text">\n'
        "  <dt>Period</dt><dd>2026-01-12 – 2026-01-31</dd>\n"
        "  <dt>Överförd till journalen</dt><dd>2026-04-20</dd>\n"
        f"  <dt>Skriven av</dt><dd>{cast['boendestodjare'].visningsnamn}</dd>\n"
        f"  <dt>Daganteckningar</dt><dd>{summary.antal_anteckningar}</dd>\n"
        f"  <dt>Avbokningar</dt><dd>{summary.antal_avbokningar}</dd>\n"
        f"  <dt>Uteblivna besök</dt><dd>{summary.antal_uteblivna}</dd>\n"
        "  <dt>Hur tiden har använts</dt>"
        "<dd>Städning &lt;b&gt;varje&lt;/b&gt; vecka<br>Tvätt &amp; inköp</dd>\n"
        f"  <dt>Hur den enskilde upplever målarbetet</dt><dd>{TEXTS['malarbete_individ']}</dd>\n"
        f"  <dt>Hur utföraren upplever målarbetet</dt><dd>{TEXTS['malarbete_utforare']}</dd>\n"
        "  <dt>Klagomål och vad som gjorts</dt><dd>–</dd>\n"
        "</dl>"
    )
    login(client, cast["socialsekreterare"])
    assert (
        expected in client.get(reverse("arenden:arende", args=[arende.arende_id])).content.decode()
    )
    login(client, cast["boendestodjare"])
    assert (
        expected in client.get(url(arende, "utforare:sammanstallning", summary.pk)).content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_case_page_says_when_nothing_is_transferred(client, cast, arende):
    login(client, cast["socialsekreterare"])
    html = client.get(reverse("arenden:arende", args=[arende.arende_id])).content.decode()
    assert "Utföraren har inte överfört någon sammanställning ännu." in html


def _pages(arende, summary):
    return [
        ("get", url(arende, "utforare:sammanstallning_ny"), {}),
        ("post", url(arende, "utforare:sammanstallning_ny"), TEXTS),
        ("get", url(arende, "utforare:sammanstallning", summary.pk), {}),
        ("post", url(arende, "utforare:sammanstallning", summary.pk), {**TEXTS, "atgard": "x"}),
        ("get", url(arende, "utforare:anteckningar_radera", summary.pk), {}),
        ("post", url(arende, "utforare:anteckningar_radera", summary.pk), {}),
    ]


@time_machine.travel(TODAY, tick=False)
def test_summary_pages_anonymous_wrong_roles_and_protected_case(client, cast, arende, make_case):
    write(cast, arende, datum=date(2026, 2, 3))
    summary = overfor(cast, arende, fran=date(2026, 1, 12), till=date(2026, 2, 28))
    before = everything()
    for method, page, data in _pages(arende, summary):
        response = getattr(client, method)(page, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    expected = {
        "socialsekreterare": 403,
        "forste_socialsekreterare": 403,
        "enhetschef": 403,
        "inspektor": 403,
        "boendestodjare_annan": 404,
        "administrator": 404,
        "utomstaende": 404,
    }
    for role, status in expected.items():
        user_client = login(Client(), cast[role])
        for method, page, data in _pages(arende, summary):
            assert getattr(user_client, method)(page, data).status_code == status, (role, page)
    assert everything() == before

    skyddat = make_case([BESLUT, UPPDRAG, VERKSTALLT], case_id="SKYDD-1", skyddad=True)
    arende_services.behorighet_bevilja(
        actor=cast["utforarchef"], arende=skyddat, anvandare=cast["utforarchef"]
    )
    write(cast, skyddat, role="utforarchef", datum=date(2026, 2, 3))
    protected = overfor(
        cast, skyddat, role="utforarchef", fran=date(2026, 1, 12), till=date(2026, 2, 28)
    )
    staff = login(Client(), cast["boendestodjare"])
    for method, page, data in _pages(skyddat, protected):
        assert getattr(staff, method)(page, data).status_code == 404
    with pytest.raises(PermissionDenied):
        spara(cast, skyddat, fran=date(2026, 3, 1), till=date(2026, 3, 31))


@time_machine.travel(TODAY, tick=False)
def test_summaries_made_in_an_earlier_system_count_for_the_default_period(client, cast, make_case):
    imported = make_case(
        [BESLUT, UPPDRAG, VERKSTALLT, {"date": "2026-04-05", "type": "sammanstallning"}],
        case_id="IMP-1",
    )
    assert services.standardperiod(imported, date(2026, 4, 20)) == (
        date(2026, 4, 6),
        date(2026, 4, 20),
    )
    login(client, cast["boendestodjare"])
    html = client.get(url(imported)).content.decode()
    assert "Från tidigare system: sammanställning överförd 2026-04-05." in html
    html = Template("{% load utforare_anteckningar %}{% anteckningar_panel arende user %}").render(
        Context({"arende": imported, "user": cast["boendestodjare"]})
    )
    assert 'överförd 2026-04-05 <span class="muted">(i tidigare system)</span>' in html


@time_machine.travel(TODAY, tick=False)
def test_new_summary_page_says_when_everything_is_summarised(client, cast, arende):
    write(cast, arende, datum=date(2026, 4, 20))
    overfor(cast, arende, fran=date(2026, 1, 12), till=date(2026, 4, 20))
    login(client, cast["boendestodjare"])
    response = client.get(url(arende, "utforare:sammanstallning_ny"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Daganteckningarna till och med 2026-04-20 är redan sammanställda" in html
    assert "Spara utkast" not in html and 'class="error"' not in html
