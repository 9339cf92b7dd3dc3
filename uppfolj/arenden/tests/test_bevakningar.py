"""Mina bevakningar, Enhetens bevakningar and the start page by role."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden.models import Arende, Bevakning, Person
from uppfolj.arenden.selectors import bevakningar_gruppera
from uppfolj.arenden.services import behorighet_bevilja
from uppfolj.audit.models import AccessLog
from uppfolj.conftest import PASSWORD

MINA = "/bevakningar/"
ENHET = "/bevakningar/enhet/"
TODAY = "2026-04-20 10:00 +02:00"


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def beslut(datum: str, to: str = "2026-12-31") -> dict:
    return {
        "date": datum,
        "type": "beslut",
        "utfall": "bifall",
        "from": datum,
        "to": to,
        "minuter_per_vecka": 180,
        "aterkallelseforbehall": False,
    }


def executed(to: str = "2026-08-31") -> list[dict]:
    """Boendestöd executed 2026-03-16 without a plan: BS-GFP-4V was due 2026-04-13."""
    return [
        beslut("2026-03-02", to),
        {"date": "2026-03-03", "type": "uppdrag_skickat"},
        {"date": "2026-03-05", "type": "kontakt_tagen"},
        {"date": "2026-03-16", "type": "verkstallt", "grad": "helt"},
    ]


def awaiting_contact() -> list[dict]:
    """Uppdrag sent 2026-04-15: BS-KONTAKT-3VD due 2026-04-20, GEN-IVO-3M due 2026-04-23."""
    return [beslut("2026-01-23"), {"date": "2026-04-15", "type": "uppdrag_skickat"}]


def never_executed() -> list[dict]:
    """Decided 2025-12-01, never executed: GEN-IVO-3M 50 days late, the decision ends 2026-05-15."""
    return [beslut("2025-12-01", "2026-05-15")]


@pytest.fixture
def worklist(cast, make_case) -> dict[str, Arende]:
    """Three cases of the social worker with overdue, soon and later bevakningar."""
    mine = cast["socialsekreterare"]
    return {
        "A-1": make_case(executed(), case_id="A-1", handlaggare=mine),
        "B-1": make_case(awaiting_contact(), case_id="B-1", handlaggare=mine),
        "C-1": make_case(
            never_executed(), case_id="C-1", insats="vard_och_omsorgsboende", handlaggare=mine
        ),
    }


def shown(response) -> list[tuple[str, str]]:
    grupper = response.context["grupper"]
    return [(b.arende_id, b.regel) for b in [*grupper.forsenade, *grupper.snart, *grupper.senare]]


def groups(response) -> dict[str, list[tuple[str, str]]]:
    grupper = response.context["grupper"]
    return {
        name: [(b.arende_id, b.regel) for b in getattr(grupper, name)]
        for name in ("forsenade", "snart", "senare")
    }


def other_district_user(roll: str, username: str) -> User:
    sodermalm = Distrikt.objects.create(namn="Södermalm")
    return User.objects.create_user(
        username=username, password=PASSWORD, roll=roll, distrikt=sodermalm
    )


# --- Grouping, without the database ----------------------------------------------------


def bevakning_due(day: int) -> Bevakning:
    return Bevakning(regel="BS-GFP-4V", start=date(2026, 4, 1), forfaller=date(2026, 4, day))


def test_grouping_splits_at_today_and_fourteen_days() -> None:
    today = date(2026, 4, 10)
    rows = [bevakning_due(d) for d in (9, 10, 24, 25)]
    grupper = bevakningar_gruppera(rows, today)
    assert [b.forfaller.day for b in grupper.forsenade] == [9]
    assert [b.forfaller.day for b in grupper.snart] == [10, 24]
    assert [b.forfaller.day for b in grupper.senare] == [25]


# --- Mina bevakningar --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [MINA, ENHET, "/"])
def test_anonymous_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_urls_are_named() -> None:
    assert reverse("arenden:mina_bevakningar") == MINA
    assert reverse("arenden:enhet_bevakningar") == ENHET


@time_machine.travel(TODAY, tick=False)
def test_social_worker_sees_unmet_bevakningar_overdue_first_then_soon_then_later(
    client, cast, worklist
):
    response = login(client, cast["socialsekreterare"]).get(MINA)
    assert response.status_code == 200
    assert groups(response) == {
        # Oldest due first.
        "forsenade": [("C-1", "GEN-IVO-3M"), ("A-1", "BS-GFP-4V")],
        "snart": [("B-1", "BS-KONTAKT-3VD"), ("B-1", "GEN-IVO-3M")],
        "senare": [
            ("B-1", "BS-VERKST-1M"),
            ("C-1", "GEN-BESLUT-UTGAR"),
            ("A-1", "BS-SAMMANST-89D"),
            ("A-1", "GEN-BESLUT-UTGAR"),
            ("B-1", "GEN-BESLUT-UTGAR"),
        ],
    }
    # The page shows them in that order, under a heading per group.
    html = response.content.decode()
    order = [
        heading or f"{arende_id} {regel}"
        for heading, arende_id, regel in re.findall(
            r'<h2 id="grupp-(\w+)"|<th scope="row"[^>]*><a [^>]*>([\w-]+)</a>.*?'
            r'<span class="rule-id">([\w-]+)</span>',
            html,
            re.S,
        )
    ]
    assert order == [
        "forsenade",
        "C-1 GEN-IVO-3M",
        "A-1 BS-GFP-4V",
        "snart",
        "B-1 BS-KONTAKT-3VD",
        "B-1 GEN-IVO-3M",
        "senare",
        "B-1 BS-VERKST-1M",
        "C-1 GEN-BESLUT-UTGAR",
        "A-1 BS-SAMMANST-89D",
        "A-1 GEN-BESLUT-UTGAR",
        "B-1 GEN-BESLUT-UTGAR",
    ]


@time_machine.travel(TODAY, tick=False)
def test_rows_show_case_person_rule_due_date_days_and_source(client, cast, worklist):
    html = login(client, cast["socialsekreterare"]).get(MINA).content.decode()
    assert "<h1>Mina bevakningar</h1>" in html
    assert '<h2 id="grupp-forsenade">Försenade <span class="group-count">(2)</span></h2>' in html
    assert "Förfaller inom 14 dagar" in html and "Senare" in html
    assert f'href="{reverse("arenden:arende", kwargs={"arende_id": "A-1"})}"' in html
    assert str(worklist["A-1"].person) in html
    assert "BS-GFP-4V" in html
    assert "Genomförandeplan klar fyra veckor efter verkställighetsdatum" in html
    assert "2026-04-13" in html
    assert "7 dagar sen" in html
    assert "50 dagar sen" in html
    assert "förfaller i dag" in html
    assert "3 dagar kvar" in html
    assert "25 dagar kvar" in html
    # The source is behind a <details>, as on the case list.
    assert re.search(r"<details>\s*<summary><span class=\"rule-id\">BS-GFP-4V</span>", html)
    assert "Källa: 003 Genomförandeplan: ”vara klar fyra veckor efter verkställighetsdatum”" in html
    assert '<th scope="col">Förfaller</th>' in html and '<th scope="row"' in html


@time_machine.travel(TODAY, tick=False)
def test_met_cancelled_and_closed_cases_missed_deadlines_are_not_listed(client, cast, make_case):
    mine = cast["socialsekreterare"]
    # Closed 2026-04-01 before the plan and the summary fell due: both cancelled;
    # the provider's final note (BS-SLUTANT) is still to be written.
    make_case([*executed(), {"date": "2026-04-01", "type": "avslut"}], case_id="AVSL-1")
    Arende.objects.filter(arende_id="AVSL-1").update(handlaggare=mine)
    assert set(
        Bevakning.objects.filter(arende__arende_id="AVSL-1").values_list("regel", "status")
    ) >= {("BS-GFP-4V", "cancelled"), ("BS-SAMMANST-89D", "cancelled"), ("BS-SLUTANT", "open")}
    response = login(client, mine).get(MINA)
    assert shown(response) == [("AVSL-1", "BS-SLUTANT")]
    # A1's contact and execution deadlines were met.
    make_case(executed(), case_id="A-1", handlaggare=mine)
    rules = {regel for arende_id, regel in shown(client.get(MINA)) if arende_id == "A-1"}
    assert rules == {"BS-GFP-4V", "BS-SAMMANST-89D", "GEN-BESLUT-UTGAR"}


@time_machine.travel(TODAY, tick=False)
def test_only_cases_the_user_is_responsible_for(client, cast, make_case, worklist):
    make_case(executed(), case_id="ANNANS-1", handlaggare=cast["forste_socialsekreterare"])
    make_case(executed(), case_id="INGENS-1")
    response = login(client, cast["socialsekreterare"]).get(MINA)
    ids = {arende_id for arende_id, _ in shown(response)}
    assert ids == {"A-1", "B-1", "C-1"}
    # The senior social worker's own list holds only their case.
    response = login(Client(), cast["forste_socialsekreterare"]).get(MINA)
    assert {arende_id for arende_id, _ in shown(response)} == {"ANNANS-1"}


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["boendestodjare", "utforarchef", "inspektor", "administrator", "utomstaende"]
)
def test_roles_without_own_cases_are_refused(client, cast, worklist, role):
    # Even as (wrongly) responsible for a case, a non-authority role gets no worklist.
    Arende.objects.filter(arende_id="A-1").update(handlaggare=cast[role])
    response = login(client, cast[role]).get(MINA)
    assert response.status_code == 403
    assert "A-1" not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_social_worker_of_another_district_sees_none_of_the_rows(client, cast, make_case):
    elsewhere = other_district_user(Roll.SOCIALSEKRETERARE, "annan_stadsdel")
    # Still recorded as responsible for a Bromma case after moving to Södermalm.
    make_case(executed(), case_id="A-1", handlaggare=elsewhere)
    response = login(client, elsewhere).get(MINA)
    assert response.status_code == 200
    assert shown(response) == []
    html = response.content.decode()
    assert "A-1" not in html
    assert "Inga försenade bevakningar." in html
    assert "Inga bevakningar förfaller inom 14 dagar." in html
    assert "Inga senare bevakningar." in html


@time_machine.travel(TODAY, tick=False)
def test_ACC_SKYDDAD_protected_case_listed_only_with_a_grant(client, cast, make_case):
    mine = cast["socialsekreterare"]
    skyddad = make_case(executed(), case_id="SKYDD-1", skyddad=True, handlaggare=mine)
    login(client, mine)
    response = client.get(MINA)
    assert shown(response) == []
    assert "SKYDD-1" not in response.content.decode()
    assert str(skyddad.person) not in response.content.decode()

    behorighet_bevilja(actor=cast["forste_socialsekreterare"], arende=skyddad, anvandare=mine)
    response = client.get(MINA)
    assert {arende_id for arende_id, _ in shown(response)} == {"SKYDD-1"}


@time_machine.travel(TODAY, tick=False)
def test_filters_by_rule_insats_and_district(client, cast, worklist):
    login(client, cast["socialsekreterare"])
    response = client.get(MINA, {"regel": "GEN-IVO-3M"})
    assert shown(response) == [("C-1", "GEN-IVO-3M"), ("B-1", "GEN-IVO-3M")]
    response = client.get(MINA, {"insats": "vard_och_omsorgsboende"})
    assert shown(response) == [("C-1", "GEN-IVO-3M"), ("C-1", "GEN-BESLUT-UTGAR")]
    bromma = Distrikt.objects.get(namn="Bromma")
    sodermalm = Distrikt.objects.create(namn="Södermalm")
    assert len(shown(client.get(MINA, {"distrikt": bromma.pk}))) == 9
    assert shown(client.get(MINA, {"distrikt": sodermalm.pk})) == []
    # An unknown value is ignored rather than an error.
    assert len(shown(client.get(MINA, {"regel": "FINNS-INTE"}))) == 9


@time_machine.travel(TODAY, tick=False)
def test_filter_form_is_labelled_and_uses_htmx(client, cast, worklist):
    html = login(client, cast["socialsekreterare"]).get(MINA).content.decode()
    for field, label in (("regel", "Regel"), ("insats", "Insats"), ("distrikt", "Distrikt")):
        assert f'<label for="id_{field}">{label}</label>' in html
    assert 'hx-get="/bevakningar/"' in html and 'hx-trigger="change"' in html
    assert '<option value="GEN-IVO-3M">GEN-IVO-3M – Beslutet verkställt inom tre månader' in html


@time_machine.travel(TODAY, tick=False)
def test_htmx_request_gets_only_the_groups(client, cast, worklist):
    response = login(client, cast["socialsekreterare"]).get(
        MINA, {"regel": "BS-GFP-4V"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "A-1" in html and "C-1" not in html


@time_machine.travel(TODAY, tick=False)
def test_every_case_shown_is_logged_once(client, cast, make_case, worklist):
    make_case(executed(), case_id="SKYDD-1", skyddad=True, handlaggare=cast["socialsekreterare"])
    login(client, cast["socialsekreterare"]).get(MINA)
    rows = sorted(AccessLog.objects.values_list("aktor__username", "arende__arende_id", "vy"))
    assert rows == [
        ("socialsekreterare", "A-1", "mina_bevakningar"),
        ("socialsekreterare", "B-1", "mina_bevakningar"),
        ("socialsekreterare", "C-1", "mina_bevakningar"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_query_count_does_not_grow_with_the_number_of_cases(client, cast, make_case):
    mine = cast["socialsekreterare"]
    login(client, mine)
    make_case(executed(), handlaggare=mine)
    with CaptureQueriesContext(connection) as one_case:
        assert len(shown(client.get(MINA))) == 3
    for _ in range(6):
        make_case(executed(), handlaggare=mine)
        make_case(awaiting_contact(), handlaggare=mine)
    with CaptureQueriesContext(connection) as thirteen_cases:
        assert len(shown(client.get(MINA))) == 3 + 6 * 3 + 6 * 4
    assert len(thirteen_cases) == len(one_case)
    # session, user, the rows, the district choices, the access-log insert
    rows = [q["sql"] for q in one_case if '"arenden_bevakning"' in q["sql"]]
    assert len(rows) == 1
    assert len(one_case) <= 6


# --- Enhetens bevakningar ---------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["enhetschef", "forste_socialsekreterare"])
def test_unit_sees_every_overdue_bevakning_oldest_first_with_the_social_worker(
    client, cast, make_case, worklist, role
):
    make_case(executed(), case_id="D-1", handlaggare=cast["forste_socialsekreterare"])
    make_case(never_executed(), case_id="E-1")
    response = login(client, cast[role]).get(ENHET)
    assert response.status_code == 200
    rows = [(b.arende_id, b.regel) for b in response.context["rows"]]
    # Oldest first; only overdue; every social worker's cases of the district.
    assert rows == [
        ("C-1", "GEN-IVO-3M"),
        ("E-1", "GEN-IVO-3M"),
        ("A-1", "BS-GFP-4V"),
        ("D-1", "BS-GFP-4V"),
    ]
    html = response.content.decode()
    assert "<h1>Enhetens bevakningar</h1>" in html
    assert '<th scope="col">Ansvarig handläggare</th>' in html
    assert "Socialsekreterare" in html and "Forste" in html and "Ingen ansvarig" in html
    assert "50 dagar sen" in html and "7 dagar sen" in html
    assert "förfaller i dag" not in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role",
    ["socialsekreterare", "boendestodjare", "utforarchef", "inspektor", "administrator"],
)
def test_unit_view_is_refused_to_other_roles(client, cast, worklist, role):
    response = login(client, cast[role]).get(ENHET)
    assert response.status_code == 403
    assert "A-1" not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_unit_manager_of_another_district_sees_none_of_the_rows(client, cast, worklist):
    elsewhere = other_district_user(Roll.ENHETSCHEF, "annan_chef")
    response = login(client, elsewhere).get(ENHET)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Inga försenade bevakningar i enheten." in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_unit_view_ACC_SKYDDAD_protected_case_only_with_a_grant(client, cast, make_case):
    skyddad = make_case(never_executed(), case_id="SKYDD-1", skyddad=True)
    chef = cast["enhetschef"]
    login(client, chef)
    response = client.get(ENHET)
    assert response.context["rows"] == []
    # The unit sees that an overdue protected case exists, never which one.
    html = response.content.decode()
    assert "Inga försenade bevakningar i enheten bland de ärenden du har behörighet till." in html
    assert "Dessutom har 1 ärende med skyddade personuppgifter försenade bevakningar." in html
    assert "SKYDD-1" not in html and skyddad.person.efternamn not in html
    behorighet_bevilja(actor=cast["forste_socialsekreterare"], arende=skyddad, anvandare=chef)
    response = client.get(ENHET)
    assert [b.arende_id for b in response.context["rows"]] == ["SKYDD-1"]
    assert "skyddade personuppgifter" not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_unit_view_logs_each_case_and_keeps_its_query_count(client, cast, make_case):
    login(client, cast["enhetschef"])
    make_case(executed())
    with CaptureQueriesContext(connection) as one_case:
        client.get(ENHET)
    assert list(AccessLog.objects.values_list("vy", flat=True)) == ["enhetens_bevakningar"]
    for _ in range(6):
        make_case(executed())
    with CaptureQueriesContext(connection) as seven_cases:
        response = client.get(ENHET)
    assert len(response.context["rows"]) == 7
    assert len(seven_cases) == len(one_case)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("url", [MINA, ENHET])
def test_worklists_escape_names_and_case_ids_and_link_each_case(client, cast, make_case, url):
    # The rows are written in Python (views.bevakningar.worklist_rader), not by the
    # template engine: whatever was typed into a name or a case id comes out as text.
    case_id = 'X&1 "<b>"'
    arende = make_case(never_executed(), case_id=case_id, handlaggare=cast["socialsekreterare"])
    Person.objects.filter(pk=arende.person_id).update(fornamn="<i>Åsa</i>", efternamn="Öst & Co")
    User.objects.filter(pk=cast["socialsekreterare"].pk).update(first_name="<u>Hanna</u>")
    reader = cast["socialsekreterare"] if url == MINA else cast["enhetschef"]
    html = login(client, reader).get(url).content.decode()
    assert f'href="{escape(reverse("arenden:arende", args=[case_id]))}"' in html
    assert "X&amp;1 &quot;&lt;b&gt;&quot;" in html
    assert "&lt;i&gt;Åsa&lt;/i&gt; Öst &amp; Co" in html
    assert "<i>" not in html and "<b>" not in html and "<u>" not in html
    if url == ENHET:
        assert "<td>&lt;u&gt;Hanna&lt;/u&gt;" in html


@time_machine.travel(TODAY, tick=False)
def test_ACC_LOGG_the_worklist_logs_each_case_shown_once_with_role_and_time(client, cast, worklist):
    mine = cast["socialsekreterare"]
    login(client, mine).get(MINA)
    rows = AccessLog.objects.filter(vy="mina_bevakningar").order_by("arende__arende_id")
    assert [row.arende.arende_id for row in rows] == ["A-1", "B-1", "C-1"]
    assert {(row.aktor_id, row.roll, row.nekad, row.skal) for row in rows} == {
        (mine.pk, Roll.SOCIALSEKRETERARE, False, "")
    }
    assert {row.tidpunkt for row in rows} == {datetime.fromisoformat("2026-04-20 10:00+02:00")}


# --- The start page by role --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("socialsekreterare", MINA),
        ("enhetschef", ENHET),
        ("forste_socialsekreterare", "/arenden/"),
        ("boendestodjare", "/utforare/"),
        ("inspektor", "/arenden/"),
        ("administrator", "/arenden/"),
    ],
)
def test_start_page_depends_on_the_role(client, cast, role, target):
    response = login(client, cast[role]).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_logging_in_lands_on_the_start_page_of_the_role(client, cast):
    response = client.post(
        reverse("login"),
        {"username": "socialsekreterare", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1] == (MINA, 302)
    assert response.status_code == 200


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "mina", "enhet"),
    [
        ("socialsekreterare", True, False),
        ("forste_socialsekreterare", True, True),
        ("enhetschef", False, True),
        ("boendestodjare", False, False),
    ],
)
def test_nav_links_by_role(client, cast, role, mina, enhet):
    html = login(client, cast[role]).get("/arenden/").content.decode()
    assert (f'<a href="{MINA}">Mina bevakningar</a>' in html) is mina
    assert (f'<a href="{ENHET}">Enhetens bevakningar</a>' in html) is enhet


@time_machine.travel(TODAY, tick=False)
def test_nav_marks_the_current_page(client, cast):
    html = login(client, cast["forste_socialsekreterare"]).get(MINA).content.decode()
    assert f'<a href="{MINA}" aria-current="page">Mina bevakningar</a>' in html
