"""The audit report in a real browser: an inspector changes the selection, drills down from
a figure to its cases and opens one with a logged reason; the page passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from uppfolj.arenden.imports import arenden_importera
from uppfolj.audit.models import AccessLog
from uppfolj.conftest import axe_violations, browser_login

from .conftest import personnummer_for

pytestmark = pytest.mark.browser


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def load(case_id: str, distrikt: str, omrade: str, serial: int) -> None:
    events = [
        {"date": days_ago(60), "type": "beslut", "utfall": "bifall", "from": days_ago(60),
         "to": None, "minuter_per_vecka": 120},
        {"date": days_ago(58), "type": "uppdrag_skickat", "strukturerat": True},
        {"date": days_ago(57), "type": "kontakt_tagen"},
        {"date": days_ago(50), "type": "verkstallt", "grad": "helt"},
    ]  # fmt: skip
    raw = {
        "case_id": case_id,
        "insats": "boendestod",
        "distrikt": distrikt,
        "verksamhetsomrade": omrade,
        "utforare": None,
        "person": {
            "personnummer": personnummer_for(900 + serial),
            "namn": f"Granskad Webb{serial}",
            "kon": "kvinna",
        },
        "events": events,
    }
    arenden_importera(actor=None, cases=[raw], today=timezone.localdate())


def test_inspector_changes_selection_drills_down_and_opens_a_case(browser_page, cast):
    load("W-1", "Bromma", "socialpsykiatri", 1)
    load("W-2", "Bromma", "funktionsnedsattning", 2)
    load("W-3", "Norrby", "socialpsykiatri", 3)
    page = browser_page
    browser_login(page, "inspektor")
    page.goto(page.base + "/granskning/")
    resultat = page.locator("#granskning-resultat")
    urvalet = resultat.get_by_text("Ärenden i urvalet:")
    assert "Ärenden i urvalet: 3" in urvalet.inner_text()
    assert page.get_by_role("heading", name="Trygghet och säkerhet").is_visible()
    likstallighet = page.get_by_role("table", name="Likställighet: nyckeltal per distrikt")
    assert likstallighet.get_by_role("columnheader", name="Norrby").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Distrikt", exact=True).select_option("Bromma")
    page.wait_for_url("**distrikt=Bromma**")
    page.wait_for_function(
        "document.querySelector('#granskning-resultat').innerText.includes('i urvalet: 2')"
    )
    page.get_by_label("Verksamhetsområde", exact=True).select_option("funktionsnedsattning")
    page.wait_for_url("**verksamhetsomrade=funktionsnedsattning**")
    page.wait_for_function(
        "document.querySelector('#granskning-resultat').innerText.includes('i urvalet: 1')"
    )

    resultat.get_by_role("link", name="Strukturerat uppdrag").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Strukturerat uppdrag").is_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    assert rows.count() == 1
    # The inspector sees case ids, not names.
    assert "Granskad" not in page.content()
    page.get_by_role("link", name="W-2").click()
    page.wait_for_load_state()
    page.get_by_label("Skäl för att öppna ärendet").fill("Aktgranskning av boendestöd 2026")
    page.get_by_role("button", name="Öppna ärendet").click()
    page.wait_for_load_state()
    # Opened with the reason given: the case itself, with the person's name.
    assert page.url.endswith("/arenden/W-2/")
    assert "Granskad Webb2" in page.locator("h1").inner_text()
    assert AccessLog.objects.filter(
        aktor=cast["inspektor"], arende__arende_id="W-2", skal__icontains="Aktgranskning"
    ).exists()
