"""A social worker takes a new case from ansökan to an executed decision in the browser."""

from __future__ import annotations

from typing import Any

import pytest

from uppfolj.arenden.models import Arende
from uppfolj.conftest import axe_violations, browser_login

pytestmark = pytest.mark.browser


def bevakning(page: Any, rule: str) -> str:
    """Return the text of the case page's bevakning for `rule` (the first one listed)."""
    item = page.locator(".bevakning", has_text=rule).first
    item.wait_for()
    return str(item.inner_text())


def save(page: Any) -> None:
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()


def test_from_ansokan_to_executed_decision(browser_page, cast, utforare_tilldelad):
    page = browser_page
    browser_login(page, cast["socialsekreterare"].username)

    page.get_by_role("link", name="Nytt ärende").click()
    page.get_by_label("Personnummer").fill("19800101-0118")
    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_label("Efternamn").fill("Lindqvist")
    page.get_by_label("Kön (för statistik)").select_option("kvinna")
    page.get_by_label("Insats").select_option("boendestod")
    page.get_by_label("Verksamhetsområde").select_option("socialpsykiatri")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Öppna ärende").click()
    page.wait_for_load_state()
    arende = Arende.objects.get(person__personnummer="19800101-0118")
    assert page.get_by_role("heading", name="Karin Lindqvist").is_visible()
    assert "Registrera ansökan" in page.locator(".next").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Vem ansöker").fill("Den enskilde")
    page.get_by_label("Ansökan inkom").select_option("skriftlig")
    page.get_by_label("Begärd tid, timmar per vecka").fill("3")
    save(page)
    assert "Sparat: ansökan." in page.locator(".messages").inner_text()
    assert "Utred behovet" in page.locator(".next").inner_text()

    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Hemliv").fill("Behöver stöd att komma igång med städning och tvätt.")
    page.get_by_label("Analys och bedömning").fill("Behov av boendestöd tre timmar i veckan.")
    assert axe_violations(page) == []
    save(page)
    assert "Kommunicera underlaget" in page.locator(".next").inner_text()

    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Underlaget är kommunicerat med den enskilde").check()
    save(page)
    assert "Fatta beslut" in page.locator(".next").inner_text()

    # A five-month decision with återkallelseförbehåll raises GEN-ATERKALL-6M before saving.
    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Beviljad tid, timmar per vecka").fill("3")
    page.get_by_label("Gäller från").fill(arende_day(0))
    page.get_by_label("Gäller till").fill(arende_day(150))
    page.get_by_label("Återkallelseförbehåll").check()
    page.get_by_label("Motivering").fill("Behovet av stöd i hemlivet är styrkt i utredningen.")
    save(page)
    warning = page.locator(".warning-box")
    assert "GEN-ATERKALL-6M" in warning.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Skäl att gå vidare trots varningen").fill(
        "Den enskilde har begärt förbehållet efter samråd."
    )
    save(page)
    assert "Sparat: beslut." in page.locator(".messages").inner_text()
    assert "Pågår" in bevakning(page, "GEN-IVO-3M")
    assert "Pågår" in bevakning(page, "GEN-BESLUT-UTGAR")
    assert "Skicka uppdrag" in page.locator(".next").inner_text()

    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Utförare", exact=False).and_(page.locator("select")).select_option(
        label=utforare_tilldelad.namn
    )
    page.get_by_label("Mål med insatsen").fill("Klara tvätt och städning på egen hand.")
    save(page)
    assert "förfaller" in bevakning(page, "BS-KONTAKT-3VD")
    assert "Pågår" in bevakning(page, "BS-VERKST-1M") or "Förfaller snart" in bevakning(
        page, "BS-VERKST-1M"
    )
    assert "utföraren tar kontakt" in page.locator(".next").inner_text()

    page.get_by_role("link", name="Gå vidare").click()
    page.get_by_label("Helt").check()
    save(page)
    for rule in ("GEN-IVO-3M", "BS-VERKST-1M", "BS-KONTAKT-3VD"):
        assert "Uppfylld" in bevakning(page, rule), rule
    assert "BS-GFP-4V" in page.locator(".bevakningar").first.inner_text()
    assert "BS-SAMMANST-89D" in page.locator(".bevakningar").first.inner_text()
    assert "Insatsen pågår" in page.locator(".next").inner_text()
    assert axe_violations(page) == []
    assert arende.handelser.count() == 6


def arende_day(offset: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=offset)).isoformat()
