"""A social worker follows up a lägenhetsboende case in the browser: books the meeting,
prepares, registers the follow-up and sees SBMS-UPPF-3M met and started again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from uppfolj.arenden.models import Bevakning
from uppfolj.conftest import axe_violations, browser_login
from uppfolj.uppfoljning.models import Uppfoljning, Uppfoljningsmote
from uppfolj.utforare.models import Kontaktpersonal

pytestmark = pytest.mark.browser


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def answer(page: Any, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_a_complete_follow_up_of_a_lagenhetsboende_case(browser_page, cast, make_case):
    arende = make_case(
        [
            {"date": day(-75), "type": "ansokan"},
            {"date": day(-70), "type": "utredning"},
            {"date": day(-68), "type": "kommunicerat"},
            {"date": day(-65), "type": "beslut", "utfall": "bifall", "from": day(-65)},
            {"date": day(-64), "type": "uppdrag_skickat", "stodniva": "medel"},
            {"date": day(-60), "type": "verkstallt", "grad": "helt"},
        ],
        insats="socialt_boende_med_stod",
        boendeform="lagenhetsboende",
        handlaggare=cast["socialsekreterare"],
    )
    Kontaktpersonal.objects.create(
        arende=arende,
        personal=cast["boendestodjare"],
        fran=timezone.localdate() - timedelta(days=59),
        tilldelad_av=cast["stodpedagog"],
    )
    page = browser_page
    browser_login(page, cast["socialsekreterare"].username)
    page.goto(f"{page.base}/arenden/{arende.arende_id}/")
    section = page.locator(".uppfoljning-myndighet")
    assert "Ingen uppföljning registrerad." in section.inner_text()

    # Book the meeting: the individual, the social worker and contact staff are invited.
    section.get_by_role("link", name="Boka uppföljningsmöte").click()
    page.get_by_role("heading", name="Boka uppföljningsmöte").wait_for()
    assert page.get_by_label("Bst (kontaktpersonal)").is_checked()
    assert page.get_by_label(f"{arende.person} (den enskilde)").is_checked()
    page.get_by_label("Dag och tid").fill(f"{day(0)}T00:05")
    page.get_by_label("Plats eller länk").fill("Boendet, Storgatan 1")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Boka mötet").click()
    page.wait_for_load_state()
    assert "Uppföljningsmötet är bokat" in page.locator(".messages").inner_text()

    # Prepare: the page gathers the uppdrag, plan, time and the open bevakningar.
    page.get_by_role("heading", name="Förbered uppföljning").wait_for()
    assert "SBMS-UPPF-3M" in page.locator(".bevakningar").inner_text()
    assert "Ingen genomförandeplan." in page.content()
    assert axe_violations(page) == []

    # Register the follow-up from the checklist of seed 000.
    page.get_by_role("link", name="Registrera uppföljningen").click()
    page.get_by_role("heading", name="Registrera uppföljning").wait_for()
    answer(page, "Medverkade den enskilde vid uppföljningen?", "Ja")
    page.get_by_label("Hur har det fungerat i boendet sedan föregående uppföljning?").fill(
        "Det har fungerat bra. Hon trivs i lägenheten."
    )
    answer(page, "Om aktuellt: Har den enskilde betalt hyra?", "Ja")
    answer(page, "Om aktuellt: Har den enskilde betalt egenavgift?", "Ej aktuellt")
    page.get_by_label("Vad har hänt i processen?").fill("Hon handlar och lagar mat själv.")
    page.get_by_label("Händelser av vikt?").fill("Inga.")
    page.get_by_label("Vilka mål är uppfyllda?").fill("Att klara inköpen.")
    page.get_by_label("Vad har uppnåtts och hur?").fill("Veckolista tillsammans med personalen.")
    page.get_by_label("Vad kvarstår?").fill("Ekonomin.")
    page.get_by_label("Behov som tillkommit?").fill("Inga.")
    answer(
        page,
        "När aktuellt (lägenhetsboende): Finns behov av att justera stödnivån och skälen till "
        "detta?",
        "Nej",
    )
    page.get_by_label("Prioritering framåt").fill("Ekonomin först, som hon själv önskar.")
    page.get_by_label("Finns stödbehov på kort eller lång sikt").fill("Nej.")
    answer(page, "Ska uppdraget fortsatt genomföras hos samma utförare?", "Ja")
    # Saying no to the same provider while continuing as before is refused with the rule.
    answer(page, "Ställningstagande", "Fortsätt som tidigare")
    answer(page, "Ska uppdraget fortsatt genomföras hos samma utförare?", "Nej")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Registrera uppföljningen").click()
    page.wait_for_load_state()
    assert (
        "Välj byte av utförare, omprövning eller ny ansökan när uppdraget inte ska fortsätta "
        "hos samma utförare." in page.locator(".field.has-error").inner_text()
    )
    assert axe_violations(page) == []
    answer(page, "Ska uppdraget fortsatt genomföras hos samma utförare?", "Ja")
    page.get_by_role("button", name="Registrera uppföljningen").click()
    page.wait_for_load_state()

    assert "Uppföljningen är registrerad." in page.locator(".messages").inner_text()
    assert "Det har fungerat bra. Hon trivs i lägenheten." in page.content()
    assert axe_violations(page) == []
    uppfoljning = Uppfoljning.objects.get(arende=arende)
    assert uppfoljning.mote is not None
    assert uppfoljning.mote.status == Uppfoljningsmote.Status.GENOMFORT

    # The case page: SBMS-UPPF-3M met today, and a new instance three months on.
    page.get_by_role("link", name="Till ärendet").click()
    page.wait_for_load_state()
    met = page.locator(".bevakning.status-met", has_text="SBMS-UPPF-3M")
    assert f"Uppfylld {day(0)}" in met.inner_text()
    running = page.locator(".bevakning.status-open", has_text="SBMS-UPPF-3M")
    new = Bevakning.objects.get(arende=arende, regel="SBMS-UPPF-3M", status="open")
    assert new.start == timezone.localdate()
    assert new.forfaller.isoformat() in running.inner_text()
    assert uppfoljning.datum.isoformat() in page.locator(".uppfoljning-myndighet").inner_text()
    assert axe_violations(page) == []


def test_level_change_with_reasons_reaches_the_administrations_list(
    browser_page, cast, make_case, client
):
    # Level medel set 60 days ago: a change now needs its reasons but no SBMS-NIVA-1M.
    arende = make_case(
        [
            {"date": day(-65), "type": "beslut", "utfall": "bifall", "from": day(-65)},
            {"date": day(-64), "type": "uppdrag_skickat", "stodniva": "medel"},
            {"date": day(-60), "type": "verkstallt", "grad": "helt"},
        ],
        insats="socialt_boende_med_stod",
        boendeform="lagenhetsboende",
        handlaggare=cast["socialsekreterare"],
    )
    page = browser_page
    browser_login(page, cast["socialsekreterare"].username)
    page.goto(f"{page.base}/uppfoljning/arenden/{arende.arende_id}/stodniva/")
    page.get_by_role("heading", name="Stödnivå", exact=True).wait_for()
    page.locator("input[name=niva][value=hog]").check()
    page.get_by_label("Gäller från").fill(day(0))
    page.get_by_role("button", name="Spara stödnivå").click()
    page.wait_for_load_state()
    # Reasons are required when the level changes.
    assert "Ange på vilket sätt behovet har ändrats." in page.content()
    page.get_by_label("På vilket sätt har den enskildes behov av stöd ökat").fill(
        "Behöver stöd varje dag efter sjukhusvistelsen."
    )
    page.get_by_label("Vad är anledningen till det förändrade behovet?").fill(
        "Försämrad psykisk hälsa."
    )
    page.get_by_label("Varaktighet över tid?").fill("Minst tre månader.")
    page.get_by_label("Bedömt behov av individuellt stöd, timmar per vecka").fill("7")
    page.get_by_role("button", name="Spara stödnivå").click()
    page.wait_for_load_state()
    # Over six hours a week at level hög: SBMS-NIVA-6H must be answered with a reason.
    assert "SBMS-NIVA-6H" in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Skäl att gå vidare trots varningen").fill(
        "Hemtjänst utreds parallellt; hög nivå tills vidare."
    )
    page.get_by_role("button", name="Spara stödnivå").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # The enhetschef downloads the administration's list with the change in it.
    from io import BytesIO

    from openpyxl import load_workbook

    from uppfolj.conftest import PASSWORD

    assert client.login(username=cast["enhetschef"].username, password=PASSWORD)
    response = client.get(
        "/uppfoljning/administration/stodnivaer.xlsx", {"fran": day(0), "till": day(0)}
    )
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in workbook["Ändringar"].iter_rows()]
    flat = [str(v) for row in rows for v in row if v is not None]
    assert arende.arende_id in flat
    assert "Hög" in flat
