"""The audit report as PDF and its tables as .xlsx: opened again and checked against
`granskning_berakna`, 004's Bromma figures, the access rules and the log."""

from __future__ import annotations

import io
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from uppfolj.audit.models import AuditLog
from uppfolj.granskning.selectors import granskning_berakna, urval_arenden

from .bromma import bromma_cases, write_bromma

pytestmark = pytest.mark.django_db

URVAL = {"distrikt": "Bromma", "insats": "boendestod", "as_of": "2018-05-31"}
AS_OF = date(2018, 5, 31)
PDF, XLSX = "granskning:rapport_pdf", "granskning:tabeller_xlsx"


@pytest.fixture
def bromma(tmp_path: Path, cast: dict[str, Any]) -> None:
    path = write_bromma(tmp_path / "bromma.json")
    call_command("import", str(path), stdout=StringIO())


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _expected(user: Any, **urval: Any) -> dict[str, Any]:
    cases = urval_arenden(user_or_none=user, insats="boendestod", as_of=AS_OF, **urval)
    return granskning_berakna(cases_queryset=cases, as_of=AS_OF, urval={})


def test_pdf_follows_004_and_gives_back_bromma(client, cast, bromma):
    client.force_login(cast["inspektor"])
    response = client.get(reverse(PDF), URVAL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="granskning-boendestod-bromma-2018-05-31.pdf"'
    )
    reader, text = _pdf_text(response.content)
    # A4 portrait, numbered pages.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert f"Sida 1 av {len(reader.pages)}" in text
    # 004's structure, in order.
    positions = [
        text.index(heading)
        for heading in (
            "Granskning av boendestöd",
            "Sammanfattning",
            "Metod",
            "Resultat per distrikt",
            "Analys per kvalitetsområde",
            "Likställighet",
        )
    ]
    assert positions == sorted(positions)
    assert "Utvärderingsdag 2018-05-31" in text and "Distrikt Bromma" in text
    assert "Framtagen av Inspektor, inspektör" in text
    assert "Urvalet omfattar 20 ärenden" in text
    # Tabell 3 of 004: 8,6 / 6,0 / 7,3; 8,4 / 10,8 / 9,6; 8,5 / 8,4 / 8,5.
    assert "Socialpsykiatri 8,6 6,0 7,3" in text
    assert "Funktionsnedsättning 8,4 10,8 9,6" in text
    assert "Totalt 8,5 8,4 8,5" in text
    # Tabell 4 and 5.
    for row in ("< 1 år 3", "1-2 år 6", "3-5 år 2", "> 5 år 9", "6-11 månader 7 5 12"):
        assert row in text, row
    assert "Aktuell genomförandeplan 12 20 60 %" in text
    for area in (
        "Trygghet och säkerhet",
        "Självbestämmande och integritet",
        "Tillgänglighet",
        "Helhetssyn och samordning",
        "Kunskapsbaserad verksamhet",
        "Effektivitet",
    ):
        assert area in text
    # The charts are drawn (inline SVG): their values are text in the PDF.
    assert "Diagram till tabell 3." in text
    # Figures only: no name, personnummer or case id of anyone in the city.
    for case in bromma_cases():
        assert case["person"]["namn"] not in text
        assert case["person"]["personnummer"][-4:] + "\n" not in text
        assert case["person"]["personnummer"] not in text
    assert "BROMMA-" not in text and "Karin" not in text and "Lars" not in text


def test_pdf_without_district_has_every_district_and_likstallighet(client, cast, bromma):
    client.force_login(cast["inspektor"])
    _, text = _pdf_text(client.get(reverse(PDF), {"as_of": "2018-05-31"}).content)
    resultat = text.split("Resultat per distrikt")[1].split("Analys per kvalitetsområde")[0]
    assert "Bromma\n20 ärenden i urvalet." in resultat
    assert "Hässelby-Vällingby\n1 ärenden i urvalet." in resultat
    likstallighet = text.split("Likställighet")[-1]
    assert "Indikator Bromma Hässelby-Vällingby Staden" in likstallighet


def test_xlsx_sheets_equal_granskning_berakna(client, cast, bromma):
    inspektor = cast["inspektor"]
    client.force_login(inspektor)
    response = client.get(reverse(XLSX), URVAL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="granskning-boendestod-bromma-2018-05-31.xlsx"'
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "Urval och metod",
        "Antal ärenden",
        "Beviljad tid",
        "År med insats",
        "Beslutstid",
        "Andelar",
        "Övriga nyckeltal",
        "Bevakningar i tid",
        "Kvalitetsområden",
        "Likställighet",
    ]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.bold for cell in ws[1]), ws.title
        assert ws.column_dimensions["A"].customWidth, ws.title
    expected = _expected(inspektor, distrikt="Bromma")
    rows = lambda name: [[c.value for c in row] for row in wb[name].iter_rows()]  # noqa: E731

    tid = rows("Beviljad tid")
    assert tid[0] == ["Verksamhetsområde", "Kvinnor", "Män", "Totalt"]
    figur = expected["beviljad_tid_per_manad"]
    assert tid[1:] == [
        ["Socialpsykiatri", *figur["socialpsykiatri"].values()],
        ["Funktionsnedsättning", *figur["funktionsnedsattning"].values()],
        ["Totalt", *figur["totalt"].values()],
    ]
    assert tid[3] == ["Totalt", 8.5, 8.4, 8.5]
    assert wb["Beviljad tid"]["B2"].number_format == "0.0"

    assert rows("År med insats") == [
        ["Tid", "Antal personer"],
        *(
            [namn, n]
            for namn, n in zip(
                ["< 1 år", "1-2 år", "3-5 år", "> 5 år"],
                expected["ar_med_insats"].values(),
                strict=True,
            )
        ),
    ]
    beslutstid = rows("Beslutstid")
    assert beslutstid[0] == ["Beslutstid", "Socialpsykiatri", "Funktionsnedsättning", "Totalt"]
    assert beslutstid[2] == ["6-11 månader", 7, 5, 12]

    andelar = rows("Andelar")
    assert andelar[0] == ["Nyckeltal", "Antal", "Av", "Andel"]
    plan = expected["aktuell_genomforandeplan"]
    assert andelar[1] == ["Aktuell genomförandeplan", plan["antal"], plan["av"], plan["andel"]]
    assert wb["Andelar"]["D2"].number_format == "0.0%"
    assert isinstance(wb["Andelar"]["D2"].value, float)

    regler = rows("Bevakningar i tid")
    assert regler[0] == ["Regel", "I tid", "För sent", "Försenade", "Rapporterade", "Andel i tid"]
    assert regler[1:] == [
        [regel, r["met"], r["met_late"], r["overdue"], r["reported"], r["andel"]]
        for regel, r in expected["bevakningar_i_tid"].items()
    ]
    urval = dict(rows("Urval och metod")[1:])
    assert urval["Distrikt"] == "Bromma"
    assert urval["Ärenden i urvalet"] == 20
    assert urval["Utvärderingsdag"].date() == AS_OF
    assert "Definition: Beviljad tid per månad" in urval

    likstallighet = rows("Likställighet")
    assert likstallighet[0][:2] == ["Indikator", "Bromma"]
    assert likstallighet[0][-2:] == ["Staden", "Avviker markant"]


def test_xlsx_without_district_has_a_row_per_district(client, cast, bromma):
    inspektor = cast["inspektor"]
    client.force_login(inspektor)
    wb = load_workbook(io.BytesIO(client.get(reverse(XLSX), {"as_of": "2018-05-31"}).content))
    rows = [[c.value for c in row] for row in wb["Beviljad tid"].iter_rows()]
    assert rows[0] == ["Distrikt", "Verksamhetsområde", "Kvinnor", "Män", "Totalt"]
    assert [r[0] for r in rows[1:]] == ["Hela urvalet"] * 3 + ["Bromma"] * 3 + [
        "Hässelby-Vällingby"
    ] * 2
    totalt = _expected(inspektor)["beviljad_tid_per_manad"]["totalt"]
    assert rows[3] == ["Hela urvalet", "Totalt", *totalt.values()]
    assert rows[6] == ["Bromma", "Totalt", 8.5, 8.4, 8.5]


def test_each_download_is_logged(client, cast, bromma):
    inspektor = cast["inspektor"]
    client.force_login(inspektor)
    client.get(reverse(XLSX), URVAL)
    row = AuditLog.objects.get(atgard="granskning_export_xlsx")
    assert row.aktor == inspektor
    assert row.efter == {
        "urval": {"distrikt": "Bromma", "insats": "boendestod"},
        "as_of": "2018-05-31",
        "antal_arenden": 20,
        "distrikt": ["Bromma"],
    }


@pytest.mark.parametrize("roll", ["inspektor", "enhetschef", "forste_socialsekreterare"])
def test_allowed_roles_download(client, cast, roll):
    client.force_login(cast[roll])
    response = client.get(reverse(XLSX), {"as_of": "2018-05-31"})
    assert response.status_code == 200
    assert AuditLog.objects.filter(aktor=cast[roll], atgard="granskning_export_xlsx").count() == 1


def test_pdf_of_an_empty_selection(client, cast):
    client.force_login(cast["enhetschef"])
    response = client.get(reverse(PDF), {"as_of": "2018-05-31"})
    assert response.status_code == 200
    _, text = _pdf_text(response.content)
    assert "Urvalet omfattar 0 ärenden" in text
    assert AuditLog.objects.filter(atgard="granskning_export_pdf").count() == 1


@pytest.mark.parametrize(
    "roll",
    ["boendestodjare", "stodpedagog", "utforarchef", "socialsekreterare", "administrator"],
)
@pytest.mark.parametrize("url", [PDF, XLSX])
def test_other_roles_are_refused(client, cast, roll, url):
    client.force_login(cast[roll])
    assert client.get(reverse(url), URVAL).status_code == 403
    assert not AuditLog.objects.filter(atgard__startswith="granskning_export").exists()


@pytest.mark.parametrize("url", [PDF, XLSX])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(reverse(url), URVAL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2018-02-30"}, "Utvärderingsdag: Fyll i ett giltigt datum."),
        (
            {"kon": "okänt"},
            "Kön: Välj ett giltigt alternativ. okänt finns inte bland tillgängliga alternativ.",
        ),
        # An enhetschef may choose only the own district.
        (
            {"distrikt": "Hässelby-Vällingby"},
            "Distrikt: Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga "
            "alternativ.",
        ),
    ],
)
@pytest.mark.parametrize("url", [PDF, XLSX])
def test_bad_selection_is_a_swedish_400(client, cast, url, params, message):
    client.force_login(cast["enhetschef"])
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    assert response.content.decode() == f"Urvalet kan inte användas. {message}"
    assert not AuditLog.objects.filter(atgard__startswith="granskning_export").exists()


def test_the_report_page_links_both_downloads(client, cast):
    client.force_login(cast["inspektor"])
    html = client.get(reverse("granskning:rapport"), URVAL).content.decode()
    query = "distrikt=Bromma&amp;insats=boendestod&amp;as_of=2018-05-31"
    assert f'href="/granskning/rapport.pdf?{query}"' in html
    assert f'href="/granskning/tabeller.xlsx?{query}"' in html
    assert "Ladda ned rapporten (PDF)" in html
