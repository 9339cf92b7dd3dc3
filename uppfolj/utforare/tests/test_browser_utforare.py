"""A boendestödjare takes a new uppdrag from the inkorg to execution; the social worker sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from uppfolj.conftest import axe_violations, browser_login

from .uppdrag_helpers import skicka_uppdrag

pytestmark = pytest.mark.browser


def bevakning(page: Any, rule: str) -> str:
    """Return the text of the page's bevakning for `rule` (the first one listed)."""
    item = page.locator(".bevakning", has_text=rule).first
    item.wait_for()
    return str(item.inner_text())


def test_boendestodjare_accepts_contacts_and_executes(
    browser_page, cast, make_case, utforare_tilldelad
):
    today = timezone.localdate()
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad, datum=today)
    arende_id = uppdrag.arende.arende_id
    page = browser_page

    browser_login(page, cast["boendestodjare"].username)
    assert page.url == page.base + "/utforare/"
    assert page.get_by_role("heading", name="Inkorg", level=1).is_visible()
    nya = page.locator("section", has=page.get_by_role("heading", name="Nya uppdrag"))
    assert arende_id in nya.inner_text()
    assert "BS-KONTAKT-3VD" in nya.inner_text() and "BS-VERKST-1M" in nya.inner_text()
    assert axe_violations(page) == []

    nya.get_by_role("button", name=f"Acceptera uppdraget för ärende {arende_id}").click()
    page.wait_for_load_state()
    assert (
        f"Uppdraget för ärende {arende_id} är accepterat." in page.locator(".messages").inner_text()
    )
    assert page.get_by_role("heading", name=str(uppdrag.arende.person)).is_visible()
    uppdraget = page.locator("section", has=page.get_by_role("heading", name="Uppdraget"))
    assert "3 tim 0 min per vecka" in uppdraget.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Datum för första kontakt").fill(today.isoformat())
    page.get_by_role("button", name="Registrera första kontakt").click()
    page.wait_for_load_state()
    assert "Sparat: första kontakt." in page.locator(".messages").inner_text()
    assert "Uppfylld" in bevakning(page, "BS-KONTAKT-3VD")

    page.get_by_label("Helt").check()
    page.get_by_role("button", name="Registrera verkställighet").click()
    page.wait_for_load_state()
    assert "Sparat: verkställighet." in page.locator(".messages").inner_text()
    assert "Uppfylld" in bevakning(page, "BS-VERKST-1M")
    assert axe_violations(page) == []

    # The social worker, in a browser of their own, sees the provider's steps at once.
    context = page.context.browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    try:
        worker = context.new_page()
        worker.set_default_timeout(10_000)
        worker.base = page.base
        browser_login(worker, cast["socialsekreterare"].username)
        worker.goto(f"{page.base}/arenden/{arende_id}/")
        for rule in ("BS-KONTAKT-3VD", "BS-VERKST-1M"):
            assert "Uppfylld" in bevakning(worker, rule), rule
        assert "Accepterat av Bst" in worker.locator(".uppdrag-svar").inner_text()
        timeline = worker.locator("ol.timeline").inner_text()
        assert "Kontakt tagen" in timeline and "Verkställt: helt" in timeline
        assert axe_violations(worker) == []
    finally:
        context.close()
