"""The case list in a real browser: log in, read the bevakningar, filter with htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from uppfolj.conftest import axe_violations, browser_login

pytestmark = pytest.mark.browser


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def test_social_worker_reads_bevakningar_and_filters(browser_page, cast, make_case):
    # Executed 40 days ago without a plan: BS-GFP-4V is 12 days overdue.
    make_case(
        [
            {"date": days_ago(60), "type": "kommunicerat"},
            {
                "date": days_ago(50),
                "type": "beslut",
                "utfall": "bifall",
                "from": days_ago(50),
                "to": None,
                "minuter_per_vecka": 120,
            },
            {"date": days_ago(48), "type": "uppdrag_skickat"},
            {"date": days_ago(47), "type": "kontakt_tagen"},
            {"date": days_ago(40), "type": "verkstallt", "grad": "helt"},
        ],
        case_id="BS-1",
    )
    make_case(
        [{"date": days_ago(5), "type": "beslut", "utfall": "bifall", "from": days_ago(5)}],
        case_id="VOB-1",
        insats="vard_och_omsorgsboende",
    )
    page = browser_page
    browser_login(page, cast["socialsekreterare"].username)
    # A social worker starts on Mina bevakningar; the case list is one click away.
    page.get_by_role("link", name="Ärenden", exact=True).click()
    assert page.get_by_role("heading", name="Ärenden").is_visible()

    row = page.get_by_role("row").filter(has_text="BS-1")
    overdue = row.locator(".bevakning.status-overdue")
    assert overdue.count() == 1
    assert "BS-GFP-4V" in overdue.inner_text()
    assert "12 dagar sen" in overdue.inner_text()
    overdue.locator("summary").click()
    assert "Källa: 003 Genomförandeplan" in overdue.inner_text()

    assert axe_violations(page) == []

    # Choosing an insats reloads only the table (htmx), and the URL follows.
    page.get_by_label("Insats").select_option("vard_och_omsorgsboende")
    page.wait_for_url("**insats=vard_och_omsorgsboende**")
    page.get_by_role("row").filter(has_text="VOB-1").wait_for()
    assert page.get_by_role("row").filter(has_text="BS-1").count() == 0
    assert page.get_by_role("heading", name="Ärenden").count() == 1

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/**")


def test_wrong_password_gets_a_swedish_message(browser_page, cast):
    page = browser_page
    browser_login(page, cast["socialsekreterare"].username, password="fel")
    assert page.get_by_role("alert").is_visible()
    assert "korrekt användarnamn och lösenord" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
