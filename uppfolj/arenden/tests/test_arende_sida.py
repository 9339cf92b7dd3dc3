"""The case page: the person, decision, uppdrag, bevakningar, warnings and the next step."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.arenden import services
from uppfolj.arenden.models import Arende, OvrigInsats, VarningKvittens
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"

ANMALAN = {"date": "2026-03-01", "type": "anmalan"}
ANSOKAN = {"date": "2026-03-02", "type": "ansokan"}
UTREDNING = {"date": "2026-03-09", "type": "utredning"}
KOMMUNICERAT = {"date": "2026-03-16", "type": "kommunicerat"}
BESLUTAT = {
    "date": "2026-03-23",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-23",
    "to": "2026-12-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
UPPDRAG = {"date": "2026-03-24", "type": "uppdrag_skickat"}
VERKSTALLT = {"date": "2026-03-30", "type": "verkstallt", "grad": "helt"}
PAUS = {"date": "2026-04-10", "type": "paus"}
AVSLUT = {"date": "2026-04-15", "type": "avslut"}


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


SKAL = {"skal": "Aktgranskning av boendestöd i Bromma 2026."}


def page(client: Client, arende: Arende) -> Any:
    return client.get(reverse("arenden:arende", args=[arende.arende_id]))


def inspector_page(client: Client, arende: Arende) -> Any:
    """An inspector opens a case only with a stated reason."""
    return client.post(reverse("arenden:arende", args=[arende.arende_id]), SKAL)


def next_step(html: str) -> str:
    start = html.index('<section class="next"')
    return html[start : html.index("</section>", start)]


@time_machine.travel(TODAY, tick=False)
def test_case_page_shows_person_decision_uppdrag_and_bevakningar(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], utforare=None)
    sekr, forste = cast["socialsekreterare"], cast["forste_socialsekreterare"]
    services.beslut_fatta(
        actor=sekr,
        arende=arende,
        datum=date(2026, 4, 14),
        utfall="bifall",
        fran=date(2026, 4, 14),
        till=date(2026, 12, 31),
        aterkallelseforbehall=False,
        minuter_per_vecka=150,
        motivering="Behovet är styrkt.",
        beslutsfattare=forste,
    )
    services.uppdrag_skicka(
        actor=sekr,
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        mal="Klara sin tvätt och städning själv.",
    )

    response = page(login(client, sekr), arende)

    assert response.status_code == 200
    html = response.content.decode()
    assert str(arende.person) in html and arende.person.personnummer in html
    assert "Boendestöd" in html and arende.arende_id in html and "Bromma" in html
    # The decision and who made it.
    assert "Bifall" in html and "SoL 11 kap. 1 §" in html
    assert "2026-04-14" in html and "2026-12-31" in html
    assert "2 tim 30 min" in html
    assert forste.visningsnamn in html
    # The uppdrag.
    assert "Boendestöd Väst" in html
    assert "Klara sin tvätt och städning själv." in html
    # Bevakningar with their rule text and source; 2026-04-17 has passed.
    assert 'class="bevakning status-overdue"' in html
    assert "BS-KONTAKT-3VD" in html and "3 dagar sen" in html
    assert "Kontakt med den enskilde inom tre vardagar från inkommet uppdrag" in html
    assert "BS-VERKST-1M" in html and "förfaller 2026-05-14" in html
    assert "GEN-IVO-3M" in html
    assert "Källa: 003" in html
    # The timeline of events, newest first.
    assert html.index("Uppdrag skickat") < html.index("Underlag kommunicerat")
    assert "Bevaka att utföraren tar kontakt och verkställer." in next_step(html)


@time_machine.travel(TODAY, tick=False)
def test_case_page_shows_an_unanswered_warning_with_the_reason_form(client, cast, make_case):
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    html = page(login(client, cast["socialsekreterare"]), arende).content.decode()

    assert "GEN-ATERKALL-6M" in html
    assert "Beslut kortare än sex månader bör inte ha återkallelseförbehåll" in html
    assert "Beslutet gäller 2026-03-23–2026-08-22, kortare än sex månader" in html
    action = reverse("arenden:kvittera", args=[arende.arende_id, "GEN-ATERKALL-6M", "2026-03-23"])
    assert f'action="{action}"' in html
    assert "Skäl att gå vidare trots varningen" in html


@time_machine.travel(TODAY, tick=False)
def test_kvittera_stores_the_reason_and_the_page_shows_it(client, cast, make_case) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    login(client, cast["socialsekreterare"])
    url = reverse("arenden:kvittera", args=[arende.arende_id, "GEN-ATERKALL-6M", "2026-03-23"])

    response = client.post(url, {"skal": "Beslutet fattades i det gamla systemet."})

    assert response.status_code == 302
    assert response["Location"] == reverse("arenden:arende", args=[arende.arende_id])
    assert VarningKvittens.objects.get().skal == "Beslutet fattades i det gamla systemet."
    html = page(client, arende).content.decode()
    assert "Skäl: Beslutet fattades i det gamla systemet." in html
    assert f'action="{url}"' not in html


@time_machine.travel(TODAY, tick=False)
def test_kvittera_without_reason_is_400_with_the_error(client, cast, make_case) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    login(client, cast["socialsekreterare"])
    url = reverse("arenden:kvittera", args=[arende.arende_id, "GEN-ATERKALL-6M", "2026-03-23"])

    response = client.post(url, {"skal": " "})

    assert response.status_code == 400
    assert '<p class="error" role="alert">Skriv ett skäl.</p>' in response.content.decode()
    assert not VarningKvittens.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_kvittera_refuses_other_roles_and_unknown_dates(client, cast, make_case) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    url = reverse("arenden:kvittera", args=[arende.arende_id, "GEN-ATERKALL-6M", "2026-03-23"])
    assert client.post(url, {"skal": "Skäl."})["Location"].startswith(reverse("login"))
    for role, status in [
        ("boendestodjare", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
    ]:
        response = login(Client(), cast[role]).post(url, {"skal": "Skäl."})
        assert response.status_code == status, role
    bad = reverse("arenden:kvittera", args=[arende.arende_id, "GEN-ATERKALL-6M", "i-morgon"])
    assert login(client, cast["socialsekreterare"]).post(bad, {"skal": "S."}).status_code == 404
    assert login(client, cast["socialsekreterare"]).get(url).status_code == 405
    assert not VarningKvittens.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_case_page_shows_reasons_given_for_warnings_at_decision(client, cast, make_case):
    arende = make_case([ANSOKAN, UTREDNING], utforare=None)
    services.beslut_fatta(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utfall="bifall",
        fran=date(2026, 4, 14),
        till=date(2026, 12, 31),
        aterkallelseforbehall=False,
        minuter_per_vecka=180,
        motivering="Brådskande.",
        skal={"GEN-KOMMUNICERING": "Den enskilde nås inte; beslutet brådskar."},
    )
    html = page(login(client, cast["socialsekreterare"]), arende).content.decode()
    assert "GEN-KOMMUNICERING" in html
    assert "Skäl: Den enskilde nås inte; beslutet brådskar." in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("events", "text", "steg"),
    [
        ([], "Registrera ansökan eller anmälan om behov.", "ansokan"),
        ([ANMALAN], "En utredning kan inledas först när den enskilde själv ansökt.", "ansokan"),
        ([ANSOKAN], "Utred behovet per livsområde.", "utredning"),
        ([ANSOKAN, UTREDNING], "Kommunicera underlaget med den enskilde.", "kommunicering"),
        ([ANSOKAN, UTREDNING, KOMMUNICERAT], "Fatta beslut.", "beslut"),
        ([ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT], "Skicka uppdrag till utföraren.", "uppdrag"),
        (
            [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG],
            "Bevaka att utföraren tar kontakt och verkställer.",
            "verkstallighet",
        ),
        (
            [ANSOKAN, UTREDNING, KOMMUNICERAT, {**BESLUTAT, "utfall": "avslag"}],
            "Ansökan är avslagen.",
            "avslut",
        ),
        (
            [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG, VERKSTALLT],
            "Insatsen pågår. Följ upp enligt bevakningarna.",
            None,
        ),
        (
            [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG, VERKSTALLT, PAUS],
            "Insatsen är pausad. Bedöm fortsatt paus, återuppta eller avsluta.",
            "ateruppta",
        ),
        (
            [BESLUTAT, UPPDRAG, VERKSTALLT, PAUS, {"date": "2026-04-14", "type": "ateruppta"}],
            "Insatsen pågår.",
            None,
        ),
        (
            [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG, VERKSTALLT, AVSLUT],
            "Ärendet är avslutat. Utföraren skriver en slutanteckning.",
            None,
        ),
        # Cases imported from another system may begin at a later step.
        ([BESLUTAT], "Skicka uppdrag till utföraren.", "uppdrag"),
        ([BESLUTAT, UPPDRAG, VERKSTALLT], "Insatsen pågår.", None),
        ([UTREDNING], "Kommunicera underlaget med den enskilde.", "kommunicering"),
    ],
)
def test_next_step_for_each_stage(client, cast, make_case, events, text, steg) -> None:
    arende = make_case(events)
    section = next_step(page(login(client, cast["socialsekreterare"]), arende).content.decode())
    assert text in section
    if steg:
        assert f'href="{reverse("arenden:steg", args=[arende.arende_id, steg])}"' in section
    else:
        assert "Gå vidare" not in section


@time_machine.travel(TODAY, tick=False)
def test_next_step_after_the_provider_sent_the_uppdrag_back(client, cast, make_case) -> None:
    # A returned uppdrag leaves the case without a provider (utforare.services.uppdrag).
    arende = make_case([BESLUTAT, UPPDRAG], utforare=None)
    section = next_step(page(login(client, cast["socialsekreterare"]), arende).content.decode())
    assert "Uppdraget skickades tillbaka. Skicka ett nytt uppdrag." in section
    assert f'href="{reverse("arenden:steg", args=[arende.arende_id, "uppdrag"])}"' in section


@time_machine.travel(TODAY, tick=False)
def test_closed_case_offers_no_more_steps(client, cast, make_case) -> None:
    arende = make_case([BESLUTAT, UPPDRAG, VERKSTALLT, AVSLUT])
    html = page(login(client, cast["socialsekreterare"]), arende).content.decode()
    assert "Registrera annat" not in html
    assert "Avslutat" in html


@time_machine.travel(TODAY, tick=False)
def test_every_other_step_the_page_offers_opens_its_form(client, cast, make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG, VERKSTALLT])
    html = page(login(client, cast["socialsekreterare"]), arende).content.decode()
    start = html.index('<ul class="step-links">')
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html[start : html.index("</ul>", start)])
    assert [name for _, name in links][:2] == ["Anmälan om behov", "Ansökan"]
    assert links[-1] == (
        reverse("arenden:steg", args=[arende.arende_id, "avslut"]),
        "Avsluta ärendet",
    )
    assert len(links) == 13
    for url, name in links:
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        assert b"<form" in response.content, name


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef", "inspektor"])
def test_readers_who_may_not_handle_see_no_step_links_or_reason_forms(
    client, cast, make_case, role
) -> None:
    arende = make_case([{**BESLUTAT, "to": "2026-08-22", "aterkallelseforbehall": True}])
    login(client, cast[role])
    response = inspector_page(client, arende) if role == "inspektor" else page(client, arende)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skicka uppdrag till utföraren." in html
    assert "Gå vidare" not in html
    assert "Registrera annat" not in html
    assert "GEN-ATERKALL-6M" in html
    assert "Spara skäl" not in html


@time_machine.travel(TODAY, tick=False)
def test_each_view_of_the_case_page_writes_an_access_log_row(client, cast, make_case) -> None:
    arende = make_case([BESLUTAT])
    login(client, cast["socialsekreterare"])
    page(client, arende)
    page(client, arende)
    inspector = login(Client(), cast["inspektor"])
    assert page(inspector, arende).status_code == 200  # the form asking for a reason
    inspector_page(inspector, arende)
    rows = list(
        AccessLog.objects.order_by("id").values_list(
            "aktor__username", "arende__arende_id", "vy", "skal"
        )
    )
    assert rows == [
        ("socialsekreterare", arende.arende_id, "arende", ""),
        ("socialsekreterare", arende.arende_id, "arende", ""),
        ("inspektor", arende.arende_id, "arende", SKAL["skal"]),
    ]
    # A read is not a change.
    assert not AuditLog.objects.filter(aktor__isnull=False).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_refused_view_writes_no_access_log_row(client, cast, make_case) -> None:
    arende = make_case([BESLUTAT], skyddad=True)
    assert page(login(client, cast["socialsekreterare"]), arende).status_code == 404
    # ACC-LOGG: only the refusal is logged, marked as such.
    assert [(row.arende_id, row.nekad) for row in AccessLog.objects.all()] == [(arende.pk, True)]


def test_anonymous_is_sent_to_login(client, make_case) -> None:
    arende = make_case([])
    response = page(client, arende)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(TODAY, tick=False)
def test_unknown_case_is_404(client, cast) -> None:
    response = login(client, cast["socialsekreterare"]).get(
        reverse("arenden:arende", args=["FINNS-INTE"])
    )
    assert response.status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_case_page_query_count_does_not_grow_with_events(client, cast, make_case) -> None:
    short = make_case([BESLUTAT, UPPDRAG])
    long = make_case(
        [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUTAT, UPPDRAG, VERKSTALLT, PAUS, AVSLUT]
    )
    login(client, cast["socialsekreterare"])
    with CaptureQueriesContext(connection) as few:
        page(client, short)
    with CaptureQueriesContext(connection) as many:
        page(client, long)
    assert len(many) == len(few)


@time_machine.travel(TODAY, tick=False)
def test_case_page_shows_reasons_for_warnings_not_stored_on_the_case(client, cast, make_case):
    arende = make_case([ANSOKAN, UTREDNING, KOMMUNICERAT], utforare=None)
    OvrigInsats.objects.create(person=arende.person, typ="hemtjanst", fran=date(2026, 1, 1))
    services.beslut_fatta(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utfall="bifall",
        fran=date(2026, 4, 14),
        till=date(2026, 12, 31),
        aterkallelseforbehall=False,
        minuter_per_vecka=180,
        motivering="Hemtjänsten avslutas i maj.",
        skal={"GEN-KOMB-HEMTJANST": "Hemtjänsten avslutas 2026-05-01."},
    )
    html = page(login(client, cast["socialsekreterare"]), arende).content.decode()
    assert '<span class="rule-id">GEN-KOMB-HEMTJANST</span>' in html
    assert "Boendestöd och hemtjänst beviljade för samma period" in html
    assert "Skäl: Hemtjänsten avslutas 2026-05-01." in html
