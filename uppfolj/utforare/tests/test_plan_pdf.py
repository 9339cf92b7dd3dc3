"""The individual's copy of the plan: a PDF in plain Swedish, read back as text."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from uppfolj.audit.models import AccessLog

from .plan_fixtures import DELMAL_POST, DELMAL_TVATT, PAGAR, TODAY, login, spara_plan

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """Return the PDF's text with each run of white space made one space."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@time_machine.travel(TODAY, tick=False)
def test_pdf_for_the_individual(client, cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST])
    spara_plan(
        cast["boendestodjare"],
        arende,
        [DELMAL_POST],
        datum=date(2026, 4, 20),
        kopia_overlamnad=None,
    )
    login(client, cast["boendestodjare"])

    response = client.get(reverse("utforare:plan_pdf", args=[arende.arende_id, 1]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="genomforandeplan-version-1.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for heading in (
        "Din genomförandeplan",
        "Det här ska vi arbeta med",
        "Så här arbetar vi",
        "Så här vill du bli bemött",
        "Om du mår sämre",
        "Andra planer du har",
    ):
        assert heading in text, heading
    assert "Version 1, 14 april 2026" in text
    assert f"För {arende.person}" in text
    assert "1. Tvätta själv en gång i veckan." in text
    assert "2. Betala hyran i tid varje månad." in text
    assert "Så här vet vi att målet är nått Tvätten är gjord fyra veckor i rad." in text
    assert "Klart senast 31 juli 2026" in text
    assert "Hemliv" in text
    assert "Syster Anna, 070-111 22 33" in text
    assert "Samordnad individuell plan (SIP)" in text
    # No internal codes: no case id, personnummer, rule ids or life-area codes.
    assert arende.arende_id not in text
    assert arende.person.personnummer not in text
    assert "BS-GFP" not in text and "hemliv" not in text and "utbildning_arbete" not in text
    assert AccessLog.objects.filter(arende=arende, vy="plan_pdf:1").exists()

    text = pdf_text(client.get(reverse("utforare:plan_pdf", args=[arende.arende_id, 2])).content)
    assert "Version 2, 20 april 2026" in text
    assert "Tvätta själv" not in text


@time_machine.travel(TODAY, tick=False)
def test_pdf_tells_how_participation_was_sought(client, cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(
        cast["boendestodjare"],
        arende,
        delaktighet=False,
        delaktighet_beskrivning="Vi erbjöd tre tider; du ville inte träffas just nu.",
        krisplan_kontakter="",
        andra_planer=[],
        andra_planer_beskrivning="",
    )
    login(client, cast["boendestodjare"])
    text = pdf_text(client.get(reverse("utforare:plan_pdf", args=[arende.arende_id, 1])).content)
    assert "Hur vi har försökt göra planen med dig" in text
    assert "Vi erbjöd tre tider; du ville inte träffas just nu." in text
    assert "Andra planer du har" not in text
    assert "Då kontaktar vi" not in text


@time_machine.travel(TODAY, tick=False)
def test_unknown_version_is_404(client, cast, make_case):
    arende = make_case(PAGAR)
    login(client, cast["boendestodjare"])
    assert client.get(reverse("utforare:plan_pdf", args=[arende.arende_id, 1])).status_code == 404
