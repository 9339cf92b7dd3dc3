"""Daily notes: append-only with correction, their events (BS-3DAGARS), access, the panel."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import Roll, User
from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Bevakning, Handelse
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD
from uppfolj.domain.engine import MET, OPEN
from uppfolj.utforare.models import Daganteckning, Delmal, Genomforandeplan
from uppfolj.utforare.services import anteckningar as services

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"
BESLUT = {
    "date": "2026-01-05",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-01-05",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
UPPDRAG = {"date": "2026-01-06", "type": "uppdrag_skickat"}
VERKSTALLT = {"date": "2026-01-12", "type": "verkstallt", "grad": "helt"}
PROVIDER = ("boendestodjare", "stodpedagog", "utforarchef")
AUTHORITY = ("socialsekreterare", "forste_socialsekreterare", "enhetschef")
Typ = Daganteckning.Typ


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(arende, name: str = "utforare:anteckningar", *args) -> str:
    return reverse(name, args=[arende.arende_id, *args])


def make_plan(arende, user, version: int, goals: list[tuple[str, str]]) -> Genomforandeplan:
    """Store a plan version directly; the plan's own service belongs to another part."""
    handelse = Handelse.objects.create(
        arende=arende,
        typ="genomforandeplan_klar" if version == 1 else "genomforandeplan_reviderad",
        datum=date(2026, 2, 1),
        data={"delaktighet": True},
    )
    plan = Genomforandeplan.objects.create(
        arende=arende,
        version=version,
        handelse=handelse,
        datum=date(2026, 2, 1),
        arbetssatt="Stöd i vardagen.",
        bemotande="Lugnt.",
        krisplan="Ring stödpedagogen.",
        delaktighet=True,
        skapad_av=user,
    )
    for order, (area, goal) in enumerate(goals):
        Delmal.objects.create(
            plan=plan,
            ordning=order,
            livsomrade=area,
            mal=goal,
            aktiviteter="Tillsammans.",
            matbart="Följs upp.",
            klart_senast=date(2026, 12, 31),
        )
    return plan


def write(
    cast,
    arende,
    *,
    role="boendestodjare",
    datum=date(2026, 4, 17),
    typ=Typ.ANTECKNING,
    text="Handlade tillsammans.",
    delmal=None,
) -> Daganteckning:
    return services.daganteckning_skriv(
        actor=cast[role], arende=arende, datum=datum, typ=typ, text=text, delmal=delmal
    )


@pytest.fixture
def arende(make_case):
    return make_case([BESLUT, UPPDRAG, VERKSTALLT], case_id="A-1")


@pytest.fixture
def goals(arende, cast):
    plan = make_plan(
        arende, cast["stodpedagog"], 1, [("hemliv", "Städa köket"), ("relationer", "Ringa syster")]
    )
    return list(plan.delmal.all())


# --- Writing --------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_anonymous_is_sent_to_login(client, cast, arende):
    note = write(cast, arende)
    for response in (
        client.get(url(arende)),
        client.post(url(arende, "utforare:anteckning_skriv"), {"text": "x"}),
        client.post(url(arende, "utforare:anteckning_felmarkera", note.pk), {"skal": "x"}),
        client.post(url(arende, "utforare:tredagarsrutin"), {"utfall": "eskalerad"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Daganteckning.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_staff_writes_a_note_tied_to_a_goal_with_its_event_audit_and_read_log(
    client, cast, arende, goals
):
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:anteckning_skriv"),
        {"datum": "2026-04-17", "typ": "anteckning", "delmal": goals[0].pk, "text": "Diskade."},
    )
    note = Daganteckning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(arende) + f"#anteckning-{note.pk}"
    assert (note.datum, note.typ, note.delmal, note.text, note.skriven_av) == (
        date(2026, 4, 17),
        "anteckning",
        goals[0],
        "Diskade.",
        cast["boendestodjare"],
    )
    assert note.handelse.typ == "daganteckning" and note.handelse.datum == date(2026, 4, 17)
    assert note.handelse.registrerad_av == cast["boendestodjare"]
    audit = AuditLog.objects.get(atgard="daganteckning_skriv")
    assert audit.aktor == cast["boendestodjare"] and audit.arende == arende
    assert audit.efter == {
        "datum": "2026-04-17",
        "typ": "anteckning",
        "delmal": goals[0].pk,
        "rattar": None,
        "handelser": ["daganteckning"],
    }
    # The text is working material, deleted once summarised; the log keeps no copy.
    assert "Diskade." not in str(audit.efter)
    html = client.get(url(arende)).content.decode()
    assert "Anteckningen är sparad." in html
    assert "Diskade." in html and "Delmål: Städa köket" in html
    assert "Skriven av Bst" in html
    views = list(AccessLog.objects.order_by("id").values_list("aktor__username", "vy"))
    assert views == [("bst", "daganteckning_skriv"), ("bst", "daganteckningar")]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", PROVIDER)
def test_every_provider_staff_member_may_write(client, cast, arende, role):
    login(client, cast[role])
    assert client.get(url(arende)).status_code == 200
    response = client.post(
        url(arende, "utforare:anteckning_skriv"),
        {"datum": "2026-04-20", "typ": "anteckning", "text": "Träff."},
    )
    assert response.status_code == 302
    assert Daganteckning.objects.get().skriven_av == cast[role]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("typ", "events"),
    [
        (Typ.ANTECKNING, ["daganteckning"]),
        (Typ.AVBOKNING, ["daganteckning"]),
        (Typ.UTEBLIVEN, ["daganteckning", "utebliven_kontakt"]),
        (Typ.SJUKHUS, ["daganteckning", "sjukhusinlaggning"]),
        (Typ.HJALPMEDEL, ["daganteckning"]),
        (Typ.KLAGOMAL, ["daganteckning"]),
    ],
)
def test_each_type_writes_its_events(cast, arende, typ, events):
    before = set(Handelse.objects.values_list("pk", flat=True))
    note = write(cast, arende, typ=typ, datum=date(2026, 4, 18))
    new = Handelse.objects.exclude(pk__in=before).order_by("id")
    assert [(h.typ, h.datum) for h in new] == [(e, date(2026, 4, 18)) for e in events]
    assert note.handelse == new[0]
    assert new[0].data == {"anteckningstyp": typ}
    assert AuditLog.objects.get(atgard="daganteckning_skriv").efter["handelser"] == events


@time_machine.travel(TODAY, tick=False)
def test_BS_3DAGARS_starts_on_a_no_show_and_is_shown_with_both_actions(client, cast, arende):
    write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18), text="Inte hemma.")
    bevakning = Bevakning.objects.get(arende=arende, regel="BS-3DAGARS")
    assert (bevakning.start, bevakning.forfaller, bevakning.status) == (
        date(2026, 4, 18),
        date(2026, 4, 21),
        OPEN,
    )
    html = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    assert "3-dagarsrutinen pågår" in html
    assert "förfaller 2026-04-21" in html and "(1 dag kvar)" in html
    assert '<button type="submit" name="utfall" value="kontakt_aterupptagen">' in html
    assert "Kontakt återupptagen</button>" in html
    assert "Eskalerat till socialsekreterare</button>" in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("utfall", ["kontakt_aterupptagen", "eskalerad"])
def test_BS_3DAGARS_met_by_contact_resumed_or_escalation(client, cast, arende, utfall):
    write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18))
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:tredagarsrutin"), {"datum": "2026-04-20", "utfall": utfall}
    )
    assert response.status_code == 302
    handelse = Handelse.objects.get(arende=arende, typ=utfall)
    assert handelse.datum == date(2026, 4, 20)
    assert handelse.registrerad_av == cast["boendestodjare"]
    bevakning = Bevakning.objects.get(arende=arende, regel="BS-3DAGARS")
    assert (bevakning.status, bevakning.uppfylld) == (MET, date(2026, 4, 20))
    audit = AuditLog.objects.get(atgard="tredagarsrutin_avsluta")
    assert audit.efter == {"typ": utfall, "datum": "2026-04-20"}
    html = client.get(url(arende)).content.decode()
    assert "3-dagarsrutinen är avslutad." in html
    assert "3-dagarsrutinen pågår" not in html


@time_machine.travel(TODAY, tick=False)
def test_3dagarsrutin_refused_without_a_running_routine_or_with_a_bad_date(client, cast, arende):
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:tredagarsrutin"), {"datum": "2026-04-20", "utfall": "eskalerad"}
    )
    assert response.status_code == 400
    assert "Det finns ingen pågående 3-dagarsrutin i ärendet." in response.content.decode()
    write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18))
    for data, message in [
        ({"datum": "2026-04-17", "utfall": "eskalerad"}, "Datumet ligger före den uteblivna "),
        ({"datum": "2026-04-21", "utfall": "eskalerad"}, "Datumet får inte ligga i framtiden."),
        ({"datum": "", "utfall": "eskalerad"}, "Ange datum."),
        ({"datum": "2026-04-20", "utfall": "paus"}, "Välj om kontakten återupptagits eller"),
    ]:
        response = client.post(url(arende, "utforare:tredagarsrutin"), data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Handelse.objects.filter(typ__in=["eskalerad", "kontakt_aterupptagen"]).exists()
    with pytest.raises(ValidationError) as error:
        services.tredagarsrutin_avsluta(
            actor=cast["boendestodjare"], arende=arende, utfall="eskalerad", datum=date(2026, 4, 17)
        )
    assert error.value.message_dict == {
        "datum": ["Datumet ligger före den uteblivna kontakten 2026-04-18."]
    }


@time_machine.travel(TODAY, tick=False)
def test_invalid_input_is_refused_with_swedish_messages(client, cast, arende, goals, make_case):
    login(client, cast["boendestodjare"])
    response = client.post(url(arende, "utforare:anteckning_skriv"), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange datum." in html and "Välj typ av anteckning." in html
    assert "Skriv anteckningen." in html
    other = make_case([BESLUT], case_id="B-2")
    foreign = make_plan(other, cast["stodpedagog"], 1, [("hemliv", "Annat mål")]).delmal.get()
    for data, message in [
        ({"datum": "2026-04-21"}, "Datumet får inte ligga i framtiden."),
        ({"datum": "20/4"}, "Ange datum som ÅÅÅÅ-MM-DD."),
        ({"typ": "semester"}, "Välj en av typerna i listan."),
        ({"delmal": foreign.pk}, "Välj ett delmål ur genomförandeplanen."),
        ({"text": "   "}, "Skriv anteckningen."),
    ]:
        post = {"datum": "2026-04-20", "typ": "anteckning", "text": "T", **data}
        response = client.post(url(arende, "utforare:anteckning_skriv"), post)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Daganteckning.objects.exists()
    with pytest.raises(ValidationError) as error:
        write(cast, arende, delmal=foreign, text=" ")
    assert error.value.message_dict == {
        "text": ["Skriv anteckningen."],
        "delmal": ["Delmålet hör inte till ärendets genomförandeplan."],
    }
    assert not Handelse.objects.filter(typ="daganteckning").exists()


@time_machine.travel(TODAY, tick=False)
def test_goal_choices_are_those_of_the_latest_plan_version(client, cast, arende, goals):
    make_plan(arende, cast["stodpedagog"], 2, [("hemliv", "Laga mat själv")])
    login(client, cast["boendestodjare"])
    html = client.get(url(arende)).content.decode()
    assert "Laga mat själv (Hemliv)" in html
    assert "Städa köket (Hemliv)" not in html
    response = client.post(
        url(arende, "utforare:anteckning_skriv"),
        {"datum": "2026-04-20", "typ": "anteckning", "delmal": goals[0].pk, "text": "T"},
    )
    assert response.status_code == 400
    assert "Välj ett delmål ur genomförandeplanen." in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_without_a_plan_the_goal_field_is_left_out(client, cast, arende):
    html = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    assert 'name="delmal"' not in html
    assert "Det finns ingen genomförandeplan ännu" in html


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_takes_no_more_notes(client, cast, make_case):
    closed = make_case(
        [BESLUT, UPPDRAG, VERKSTALLT, {"date": "2026-04-01", "type": "avslut"}], case_id="C-1"
    )
    login(client, cast["boendestodjare"])
    response = client.post(
        url(closed, "utforare:anteckning_skriv"),
        {"datum": "2026-04-20", "typ": "anteckning", "text": "T"},
    )
    assert response.status_code == 400
    assert "Nya daganteckningar kan inte längre skrivas" in response.content.decode()
    assert not Daganteckning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_shows_no_note_forms_but_says_why_and_keeps_the_summary(client, cast, arende):
    note = write(cast, arende, datum=date(2026, 4, 10))
    Handelse.objects.create(arende=arende, typ="avslut", datum=date(2026, 4, 15), data={})
    login(client, cast["stodpedagog"])
    html = client.get(url(arende)).content.decode()
    assert "Ärendet avslutades 2026-04-15. Nya daganteckningar kan inte längre skrivas" in html
    assert url(arende, "utforare:anteckning_skriv") not in html
    assert url(arende, "utforare:anteckning_felmarkera", note.pk) not in html
    # What the rules still allow after avslut: the summary (EFTER_AVSLUT).
    assert url(arende, "utforare:sammanstallning_ny") in html
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": "Fel dag", "rattelse_text": "Rätt text.", "typ": "anteckning"},
    )
    assert response.status_code == 400
    assert "anteckningar kan inte rättas" in response.content.decode()
    note.refresh_from_db()
    assert note.felmarkerad is None and Daganteckning.objects.count() == 1


# --- Append-only ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_there_is_no_way_to_edit_or_delete_a_note(client, cast, arende):
    note = write(cast, arende, text="Första versionen.")
    login(client, cast["boendestodjare"])
    html = client.get(url(arende)).content.decode()
    assert "Ändra" not in html and "Ta bort" not in html and "Radera" not in html
    assert client.delete(url(arende)).status_code == 405
    assert client.post(url(arende), {"text": "x"}).status_code == 405
    assert client.get(url(arende, "utforare:anteckning_skriv")).status_code == 405
    assert client.get(url(arende, "utforare:anteckning_felmarkera", note.pk)).status_code == 405
    # Marking wrong never changes the note's own text or type.
    client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": "Fel dag", "rattelse_text": "Andra versionen.", "typ": "avbokning"},
    )
    note.refresh_from_db()
    assert (note.text, note.typ) == ("Första versionen.", "anteckning")
    assert Daganteckning.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_wrong_note_stays_struck_through_and_linked_to_its_correction(client, cast, arende, goals):
    note = write(cast, arende, text="Städade badrummet.", delmal=goals[0])
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {
            "skal": "Fel rum.",
            "rattelse_text": "Städade köket.",
            "typ": "anteckning",
            "delmal": goals[0].pk,
        },
    )
    correction = Daganteckning.objects.get(rattar=note)
    assert response.status_code == 302
    assert response["Location"] == url(arende) + f"#anteckning-{correction.pk}"
    note.refresh_from_db()
    assert note.felmarkerad is not None and note.felmarkerad_av == cast["boendestodjare"]
    assert note.felaktig_skal == "Fel rum."
    assert (correction.datum, correction.delmal, correction.text) == (
        note.datum,
        goals[0],
        "Städade köket.",
    )
    assert list(AuditLog.objects.order_by("id").values_list("atgard", flat=True))[-3:] == [
        "daganteckning_skriv",
        "daganteckning_felmarkera",
        "daganteckning_skriv",
    ]
    html = client.get(url(arende)).content.decode()
    assert "<del>Städade badrummet.</del>" in html
    assert "Markerad som felaktig</strong> av Bst 2026-04-20 10:00" in html
    assert "Skäl: Fel rum." in html
    assert f'<a href="#anteckning-{correction.pk}">Se rättelsen</a>' in html
    assert f'Rättar anteckningen <a href="#anteckning-{note.pk}">2026-04-17 Anteckning</a>' in html
    # Newest first: the correction, written later on the same date, comes first.
    assert html.index("Städade köket.</div>") < html.index("<del>Städade badrummet.</del>")
    assert html.count("<summary>Markera som felaktig</summary>") == 1


@time_machine.travel(TODAY, tick=False)
def test_marking_wrong_needs_a_reason_and_the_corrected_text_and_happens_once(client, cast, arende):
    note = write(cast, arende)
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": " ", "rattelse_text": "", "typ": "anteckning"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv varför anteckningen är felaktig." in html
    assert "Skriv den rättade anteckningen." in html
    services.daganteckning_felmarkera(
        actor=cast["boendestodjare"], anteckning=note, skal="Fel", rattelse_text="Rätt"
    )
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": "Igen", "rattelse_text": "Igen", "typ": "anteckning"},
    )
    assert response.status_code == 400
    assert "Anteckningen är redan markerad som felaktig." in response.content.decode()
    assert Daganteckning.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_colleague_may_not_mark_a_note_wrong_but_the_stodpedagog_may(client, cast, arende):
    colleague = User.objects.create_user(
        username="kollega",
        password=PASSWORD,
        roll=Roll.BOENDESTODJARE,
        utforare=cast["boendestodjare"].utforare,
    )
    note = write(cast, arende)
    html = login(client, colleague).get(url(arende)).content.decode()
    assert "Markera som felaktig" not in html
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": "Fel", "rattelse_text": "Rätt", "typ": "anteckning"},
    )
    assert response.status_code == 403
    assert Daganteckning.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.daganteckning_felmarkera(
            actor=colleague, anteckning=note, skal="Fel", rattelse_text="Rätt"
        )
    correction = services.daganteckning_felmarkera(
        actor=cast["stodpedagog"], anteckning=note, skal="Fel", rattelse_text="Rätt"
    )
    assert correction.skriven_av == cast["stodpedagog"]


@time_machine.travel(TODAY, tick=False)
def test_a_correction_keeping_a_no_show_does_not_start_a_second_routine(cast, arende):
    note = write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18))
    services.daganteckning_felmarkera(
        actor=cast["boendestodjare"], anteckning=note, skal="Stavfel", rattelse_text="Inte hemma."
    )
    assert Handelse.objects.filter(typ="utebliven_kontakt").count() == 1
    assert Handelse.objects.filter(typ="daganteckning").count() == 2
    assert Bevakning.objects.filter(regel="BS-3DAGARS").count() == 1
    # A correction to another type that is an event of its own records that event.
    other = write(cast, arende, typ=Typ.ANTECKNING, datum=date(2026, 4, 19))
    services.daganteckning_felmarkera(
        actor=cast["boendestodjare"],
        anteckning=other,
        skal="Var sjukhusinläggning",
        rattelse_text="Inlagd.",
        typ=Typ.SJUKHUS,
    )
    stays = Handelse.objects.filter(typ="sjukhusinlaggning").values_list("datum", flat=True)
    assert list(stays) == [date(2026, 4, 19)]


@time_machine.travel(TODAY, tick=False)
def test_a_note_of_another_case_is_not_found(client, cast, arende, make_case):
    other = make_case([BESLUT, UPPDRAG, VERKSTALLT], case_id="B-2")
    note = write(cast, other)
    login(client, cast["boendestodjare"])
    response = client.post(
        url(arende, "utforare:anteckning_felmarkera", note.pk),
        {"skal": "x", "rattelse_text": "y", "typ": "anteckning"},
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.felmarkerad is None


# --- Access ---------------------------------------------------------------------------


def _all_posts(client, arende, note):
    return [
        client.get(url(arende)),
        client.post(
            url(arende, "utforare:anteckning_skriv"),
            {"datum": "2026-04-20", "typ": "anteckning", "text": "T"},
        ),
        client.post(
            url(arende, "utforare:anteckning_felmarkera", note.pk),
            {"skal": "x", "rattelse_text": "y", "typ": "anteckning"},
        ),
        client.post(
            url(arende, "utforare:tredagarsrutin"), {"datum": "2026-04-20", "utfall": "eskalerad"}
        ),
    ]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("role", "status"), [(r, 403) for r in (*AUTHORITY, "inspektor")])
def test_authority_staff_and_inspector_are_refused(client, cast, arende, role, status):
    note = write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18))
    login(client, cast[role])
    assert [r.status_code for r in _all_posts(client, arende, note)] == [status] * 4
    assert Daganteckning.objects.count() == 1
    assert not Handelse.objects.filter(typ="eskalerad").exists()
    assert not AccessLog.objects.filter(aktor=cast[role], nekad=False).exists()
    with pytest.raises(PermissionDenied):
        write(cast, arende, role=role)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare_annan", "administrator", "utomstaende"])
def test_another_provider_and_others_do_not_find_the_case(client, cast, arende, role):
    note = write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 18))
    login(client, cast[role])
    assert [r.status_code for r in _all_posts(client, arende, note)] == [404] * 4
    assert Daganteckning.objects.count() == 1
    with pytest.raises(PermissionDenied):
        write(cast, arende, role=role)


@time_machine.travel(TODAY, tick=False)
def test_protected_case_is_not_found_without_a_grant(client, cast, make_case):
    skyddat = make_case([BESLUT, UPPDRAG, VERKSTALLT], case_id="SKYDD-1", skyddad=True)
    login(client, cast["boendestodjare"])
    assert client.get(url(skyddat)).status_code == 404
    response = client.post(
        url(skyddat, "utforare:anteckning_skriv"),
        {"datum": "2026-04-20", "typ": "anteckning", "text": "T"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        write(cast, skyddat)
    arende_services.behorighet_bevilja(
        actor=cast["utforarchef"], arende=skyddat, anvandare=cast["boendestodjare"]
    )
    assert client.get(url(skyddat)).status_code == 200
    assert not Daganteckning.objects.exists()


# --- The list -------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_list_is_newest_first_and_paginated(client, cast, arende):
    for day in range(1, 26):
        write(cast, arende, datum=date(2026, 3, day), text=f"Anteckning nummer {day}.")
    login(client, cast["boendestodjare"])
    first = client.get(url(arende)).content.decode()
    assert 'Anteckningar <span class="muted">(25, senaste först)' in first
    assert first.index("nummer 25.") < first.index("nummer 24.")
    assert "nummer 6." in first and "nummer 5." not in first
    assert "Sida 1 av 2" in first
    second = client.get(url(arende) + "?sida=2").content.decode()
    assert "nummer 5." in second and "nummer 1." in second and "nummer 6." not in second


@time_machine.travel(TODAY, tick=False)
def test_query_count_of_the_list_does_not_grow_with_the_notes(client, cast, arende, goals):
    note = write(cast, arende, delmal=goals[0])
    services.daganteckning_felmarkera(
        actor=cast["boendestodjare"], anteckning=note, skal="Fel", rattelse_text="Rätt"
    )
    login(client, cast["boendestodjare"])
    with CaptureQueriesContext(connection) as few:
        client.get(url(arende))
    for day in range(1, 15):
        other = write(cast, arende, datum=date(2026, 3, day), delmal=goals[day % 2])
        services.daganteckning_felmarkera(
            actor=cast["stodpedagog"], anteckning=other, skal="Fel", rattelse_text="Rätt"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url(arende))
    assert len(many) == len(few)


# --- The panel on the provider's case page ------------------------------------------------


def render_panel(arende, user) -> str:
    template = Template("{% load utforare_anteckningar %}{% anteckningar_panel arende user %}")
    return template.render(Context({"arende": arende, "user": user}))


@time_machine.travel(TODAY, tick=False)
def test_panel_shows_latest_notes_the_89_day_deadline_and_links(cast, arende):
    for day in range(10, 17):
        write(cast, arende, datum=date(2026, 4, day), text=f"Dag {day}.")
    html = render_panel(arende, cast["boendestodjare"])
    # Executed 2026-01-12: the first summary is due 89 days later, on 2026-04-11.
    assert "senast <strong>2026-04-11</strong> (9 dagar sen)" in html
    assert "status-overdue" in html
    assert "Dag 16." in html and "Dag 12." in html and "Dag 11." not in html
    assert "(7 totalt)" in html
    assert 'Senaste sammanställning:\n  <span class="muted">ingen ännu</span>' in html
    assert f'href="{url(arende)}#ny-anteckning"' in html
    assert f'href="{url(arende, "utforare:sammanstallning_ny")}"' in html
    assert "3-dagarsrutinen pågår" not in html


@time_machine.travel(TODAY, tick=False)
def test_panel_shows_days_left_after_a_summary_and_a_running_3dagarsrutin(cast, arende):
    write(cast, arende, datum=date(2026, 4, 1))
    draft = services.sammanstallning_spara(
        actor=cast["boendestodjare"],
        arende=arende,
        period_fran=date(2026, 1, 12),
        period_till=date(2026, 4, 19),
        tidsanvandning="Bra.",
        malarbete_individ="Nöjd.",
        malarbete_utforare="Framsteg.",
    )
    services.sammanstallning_overfor(actor=cast["boendestodjare"], sammanstallning=draft)
    write(cast, arende, typ=Typ.UTEBLIVEN, datum=date(2026, 4, 20))
    html = render_panel(arende, cast["boendestodjare"])
    assert "senast <strong>2026-07-18</strong> (89 dagar kvar)" in html
    assert "2026-01-12 – 2026-04-19</a>\n    (överförd 2026-04-20)" in html
    assert "3-dagarsrutinen pågår." in html and "Utebliven kontakt 2026-04-20." in html
    assert f'href="{url(arende)}#tredagarsrutin"' in html
