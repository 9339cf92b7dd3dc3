"""A provider user writes the genomförandeplan in the browser; the social worker then reads it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from uppfolj.conftest import axe_violations, browser_login
from uppfolj.domain.ibic import EXEMPEL_AKTIVITETER

pytestmark = pytest.mark.browser


def iso(day: date) -> str:
    return day.isoformat()


def executed_case(make_case: Any) -> Any:
    today = timezone.localdate()
    return make_case(
        [
            {"date": iso(today - timedelta(days=40)), "type": "ansokan"},
            {"date": iso(today - timedelta(days=30)), "type": "utredning"},
            {"date": iso(today - timedelta(days=25)), "type": "kommunicerat"},
            {
                "date": iso(today - timedelta(days=20)),
                "type": "beslut",
                "utfall": "bifall",
                "from": iso(today - timedelta(days=20)),
                "to": iso(today + timedelta(days=300)),
                "minuter_per_vecka": 180,
                "aterkallelseforbehall": False,
            },
            {"date": iso(today - timedelta(days=18)), "type": "uppdrag_skickat"},
            {"date": iso(today - timedelta(days=10)), "type": "verkstallt", "grad": "helt"},
        ]
    )


def test_provider_writes_the_plan_and_the_social_worker_reads_it(browser_page, cast, make_case):
    page = browser_page
    arende = executed_case(make_case)
    pick = EXEMPEL_AKTIVITETER["hemliv"][1]
    klart = iso(timezone.localdate() + timedelta(days=90))
    browser_login(page, cast["boendestodjare"].username)

    page.goto(f"{page.base}/utforare/arenden/{arende.arende_id}/plan/ny/")
    assert page.get_by_role("heading", name="Upprätta genomförandeplan").is_visible()
    assert axe_violations(page) == []
    page.locator("#id_delmal-0-livsomrade").select_option("hemliv")
    # htmx swaps in the life area's suggestions.
    page.get_by_text("Förslag på aktiviteter inom hemliv").click()
    page.get_by_label(pick).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lägg till valda förslag i aktiviteterna").click()
    page.wait_for_load_state()
    assert page.locator("#id_delmal-0-aktiviteter").input_value() == pick
    page.locator("#id_delmal-0-mal").fill("Tvätta själv en gång i veckan.")
    page.locator("#id_delmal-0-matbart").fill("Tvätten är gjord fyra veckor i rad.")
    page.locator("#id_delmal-0-klart_senast").fill(klart)
    page.get_by_label("Arbetsmetod").fill("Vi gör sysslorna tillsammans.")
    page.get_by_label("Bemötande").fill("Vill bli påmind med sms dagen innan.")
    page.get_by_label("Krisplan").fill("Boendestödet ringer min syster om jag slutar svara.")
    page.get_by_label("Vem som ska kontaktas").fill("Syster Anna, 070-111 22 33")
    page.get_by_label("Den enskilde har deltagit i att upprätta planen").check()
    page.get_by_role("button", name="Spara som version 1").click()
    page.wait_for_load_state()
    # The crisis contacts need the individual's consent.
    assert "Den enskilde måste samtycka till att de angivna kontaktas." in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Den enskilde samtycker till att de angivna kontaktas").check()
    page.get_by_role("button", name="Spara som version 1").click()
    page.wait_for_load_state()

    assert "Genomförandeplanen är sparad som version 1." in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", name="Genomförandeplan, version 1").is_visible()
    assert pick in page.content()
    assert axe_violations(page) == []

    page.goto(f"{page.base}/utforare/arenden/{arende.arende_id}/samtycken/ny/")
    assert axe_violations(page) == []

    browser_login(page, cast["socialsekreterare"].username)
    page.goto(f"{page.base}/arenden/{arende.arende_id}/")
    met = page.locator(".bevakning", has_text="BS-GFP-4V").first
    assert "Uppfylld" in met.inner_text()
    page.get_by_role("link", name="Läs planen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Genomförandeplan, version 1").is_visible()
    assert axe_violations(page) == []
