"""The printable follow-up document: questions and answers in plain Swedish."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from uppfolj.audit.models import AccessLog
from uppfolj.domain import checklistor
from uppfolj.uppfoljning.models import Uppfoljning

from .uppfoljning_fall import SBMS_POST, TODAY, lagenhetsboende, login

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    """Return the PDF's text with every run of whitespace as one space."""
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def uppfoljning(client, cast, make_case) -> Uppfoljning:
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"]).post(
        reverse("uppfoljning:ny", args=[arende.arende_id]),
        {
            **SBMS_POST,
            "den_enskilde_deltog": "nej",
            "orsak_ej_deltagit": "Ville inte träffas i dag.",
            "hyra_betald": "ej_aktuellt",
            "stodniva_justeras": "ja",
            "stodniva_justeras_kommentar": "Behöver stöd även på kvällar.",
            "atgard": "justera_niva",
            "fungerat": "Det har fungerat bra i lägenheten.",
        },
    )
    return Uppfoljning.objects.get()


@time_machine.travel(TODAY, tick=False)
def test_the_pdf_holds_every_question_and_answer(client, cast, uppfoljning):
    response = client.get(reverse("uppfoljning:pdf", args=[uppfoljning.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    arende = uppfoljning.arende
    assert response["Content-Disposition"] == (
        f'inline; filename="uppfoljning-{arende.arende_id}-2026-04-20.pdf"'
    )
    text = pdf_text(response)
    assert text.startswith("Uppföljning av socialt boende med stöd")
    assert f"{arende.person}, {arende.person.personnummer}" in text
    s = checklistor.SOCIALT_BOENDE.stallningstagande
    for wording in [
        *(f.text for f in checklistor.SOCIALT_BOENDE.fragor),
        s.rubrik,
        s.samma_utforare,
        s.nasta_mote,
    ]:
        assert wording in text, wording
    for answer in (
        "Det har fungerat bra i lägenheten.",
        "Ej aktuellt",
        "Behöver stöd även på kvällar.",
        "Nej. Orsak: Ville inte träffas i dag.",
        "Ställningstagande Justera stödnivån",
        "2026-07-15",
    ):
        assert answer in text, answer
    assert "Sida 1 av" in text
    assert AccessLog.objects.filter(arende=arende, vy="uppfoljning_pdf").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_inspectors_pdf_asks_for_a_reason_and_leaves_out_the_name(cast, uppfoljning):
    inspector = login(Client(), cast["inspektor"])
    url = reverse("uppfoljning:pdf", args=[uppfoljning.pk])
    asked = inspector.get(url)
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    assert "Skäl för att läsa uppföljningen" in asked.content.decode()
    assert not AccessLog.objects.filter(aktor=cast["inspektor"]).exists()
    response = inspector.post(url, {"skal": "Aktgranskning av uppföljningar 2026."})
    assert response.status_code == 200
    log = AccessLog.objects.get(aktor=cast["inspektor"], vy="uppfoljning_pdf")
    assert log.skal == "Aktgranskning av uppföljningar 2026."
    text = pdf_text(response)
    person = uppfoljning.arende.person
    assert str(person) not in text and person.personnummer not in text
    assert f"Ärende {uppfoljning.arende.arende_id}" in text


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("boendestodjare", 403),
        ("utforarchef", 403),
        ("boendestodjare_annan", 404),
        ("utomstaende", 404),
    ],
)
def test_the_pdf_is_refused_to_the_provider_and_outsiders(cast, uppfoljning, role, status):
    url = reverse("uppfoljning:pdf", args=[uppfoljning.pk])
    assert login(Client(), cast[role]).get(url).status_code == status
