"""Mina bevakningar and the unit's view in a real browser: the start page, filters, axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from uppfolj.conftest import axe_violations, browser_login

pytestmark = pytest.mark.browser


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def executed_40_days_ago() -> list[dict]:
    """Executed 40 days ago without a plan: BS-GFP-4V is 12 days overdue."""
    return [
        {"date": days_ago(50), "type": "beslut", "utfall": "bifall", "from": days_ago(50)},
        {"date": days_ago(48), "type": "uppdrag_skickat"},
        {"date": days_ago(47), "type": "kontakt_tagen"},
        {"date": days_ago(40), "type": "verkstallt", "grad": "helt"},
    ]


def test_social_worker_starts_on_mina_bevakningar_and_filters(browser_page, cast, make_case):
    mine = cast["socialsekreterare"]
    make_case(executed_40_days_ago(), case_id="BS-1", handlaggare=mine)
    make_case(
        [{"date": days_ago(5), "type": "beslut", "utfall": "bifall", "from": days_ago(5)}],
        case_id="VOB-1",
        insats="vard_och_omsorgsboende",
        handlaggare=mine,
    )
    page = browser_page
    browser_login(page, mine.username)
    page.wait_for_url("**/bevakningar/")
    assert page.get_by_role("heading", name="Mina bevakningar", level=1).is_visible()

    overdue = page.get_by_role("table", name="Försenade (1)")
    row = overdue.get_by_role("row").filter(has_text="BS-1")
    assert "12 dagar sen" in row.inner_text()
    row.locator("summary").click()
    assert "Källa: 003 Genomförandeplan" in row.inner_text()

    assert axe_violations(page) == []

    # Choosing an insats reloads only the groups (htmx), and the URL follows.
    page.get_by_label("Insats").select_option("vard_och_omsorgsboende")
    page.wait_for_url("**insats=vard_och_omsorgsboende**")
    page.get_by_role("heading", name="Försenade (0)").wait_for()
    assert page.get_by_role("row").filter(has_text="BS-1").count() == 0
    assert page.get_by_role("row").filter(has_text="VOB-1").count() >= 1
    assert page.get_by_role("heading", name="Mina bevakningar").count() == 1

    # Back to every insats, and from a row to its case.
    page.get_by_label("Insats").select_option("")
    page.get_by_role("heading", name="Försenade (1)").wait_for()
    page.get_by_role("table", name="Försenade (1)").get_by_role("link", name="BS-1").click()
    page.wait_for_url("**/arenden/BS-1/")


def test_unit_manager_starts_on_the_units_overdue_bevakningar(browser_page, cast, make_case):
    make_case(executed_40_days_ago(), case_id="BS-1", handlaggare=cast["socialsekreterare"])
    page = browser_page
    browser_login(page, cast["enhetschef"].username)
    page.wait_for_url("**/bevakningar/enhet/")
    row = page.get_by_role("row").filter(has_text="BS-1")
    assert "12 dagar sen" in row.inner_text()
    assert "Socialsekreterare" in row.inner_text()
    assert axe_violations(page) == []
