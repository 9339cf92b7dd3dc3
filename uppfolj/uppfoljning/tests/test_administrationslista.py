"""The administration's list of support levels: the page and the .xlsx, cell by cell."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from uppfolj.accounts.models import Distrikt
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import behorighet_bevilja
from uppfolj.audit.models import AccessLog
from uppfolj.uppfoljning.services.stodniva import stodniva_andra

from .stodniva_fall import BOR, LAGENHET, TODAY, UPPDRAG_MEDEL, login

pytestmark = pytest.mark.django_db

URL = reverse("uppfoljning:administration")
XLSX_URL = reverse("uppfoljning:administration_xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def with_level(level: str | None) -> list[dict]:
    uppdrag = {**UPPDRAG_MEDEL, "stodniva": level}
    return [*BOR[:4], uppdrag, BOR[5]]


@pytest.fixture
def lista(cast, make_case):
    """Cases of every kind the list must include or leave out."""
    a = make_case(BOR, case_id="2026-0101", **LAGENHET)
    stodniva_andra(
        actor=cast["socialsekreterare"],
        arende=a,
        niva="hog",
        galler_fran=date(2026, 4, 1),
        hur_behovet_andrats="Behöver stöd varje dag.",
        anledning="Försämrad hälsa.",
        varaktighet="Tre månader.",
    )
    skyddad = make_case(with_level("lag"), case_id="2026-0102", skyddad=True, **LAGENHET)
    stangt = make_case(
        [*BOR, {"date": "2026-03-15", "type": "avslut"}], case_id="2026-0103", **LAGENHET
    )
    utan_niva = make_case(with_level(None), case_id="2026-0104", **LAGENHET)
    make_case(BOR[:1], case_id="2026-0105", **LAGENHET)  # still being investigated
    make_case(BOR, case_id="2026-0106")  # boendestöd
    annat = make_case(BOR, case_id="2026-0107", **LAGENHET)
    Arende.objects.filter(pk=annat.pk).update(distrikt=Distrikt.objects.create(namn="Skärholmen"))
    return {"a": a, "skyddad": skyddad, "stangt": stangt, "utan_niva": utan_niva}


def rows(html: str, marker: str) -> str:
    return html[html.index(marker) :]


def test_page_lists_current_levels_and_the_months_changes(client, cast, lista) -> None:
    response = login(client, cast["enhetschef"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    aktuella = html[html.index('id="aktuella-rubrik"') : html.index('id="andringar-rubrik"')]
    andringar = rows(html, 'id="andringar-rubrik"')
    assert 'Aktuella nivåer <span class="muted">(3)</span>' in html
    a, skyddad = lista["a"], lista["skyddad"]
    # Current: A at hög, the protected case masked, the executed case without a level.
    assert str(a.person) in aktuella and a.person.personnummer in aktuella
    assert "2026-0101" in aktuella and "2026-0102" in aktuella and "2026-0104" in aktuella
    assert "2026-0103" not in aktuella  # closed
    assert (
        "2026-0105" not in aktuella and "2026-0106" not in aktuella and "2026-0107" not in aktuella
    )
    assert "Skyddade personuppgifter" in aktuella
    assert str(skyddad.person) not in html and skyddad.person.personnummer not in html
    assert ">Saknas<" in aktuella
    # Changes in April by the date they apply from.
    assert "Ändringar 2026-04-01 – 2026-04-30" in andringar
    assert "2026-0101" in andringar and "2026-0102" not in andringar
    assert ">Medel<" in andringar and ">Hög<" in andringar
    assert f'href="{XLSX_URL}?fran=2026-04-01&amp;till=2026-04-30"' in html


def test_page_with_a_period_shows_that_periods_changes(client, cast, lista) -> None:
    html = (
        login(client, cast["enhetschef"])
        .get(URL, {"fran": "2026-01-01", "till": "2026-01-31"})
        .content.decode()
    )
    andringar = rows(html, 'id="andringar-rubrik"')
    # The first levels, from the uppdrag; the closed case's change happened too.
    for case_id in ("2026-0101", "2026-0102", "2026-0103"):
        assert case_id in andringar
    assert "2026-0104" not in andringar
    assert "– (ny)" in andringar


def test_a_grant_shows_the_protected_persons_name(client, cast, lista) -> None:
    behorighet_bevilja(
        actor=cast["enhetschef"], arende=lista["skyddad"], anvandare=cast["enhetschef"]
    )
    html = login(client, cast["enhetschef"]).get(URL).content.decode()
    assert str(lista["skyddad"].person) in html
    assert "Skyddade personuppgifter" not in rows(html, 'id="aktuella-rubrik"')


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"fran": "2026-04-30", "till": "2026-04-01"},
            "till",
            "Till-datumet ligger före från-datumet.",
        ),
        ({"fran": "april"}, "fran", "Ange datum som ÅÅÅÅ-MM-DD."),
    ],
)
def test_invalid_period(client, cast, lista, change, field, message) -> None:
    c = login(client, cast["enhetschef"])
    response = c.get(URL, change)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<span class="error" role="alert">{message}</span>' in html
    assert 'id="andringar-rubrik"' not in html
    response = c.get(XLSX_URL, change)
    assert response.status_code == 400
    assert response.content.decode() == message


def test_inspector_reads_every_district_without_names(client, cast, lista) -> None:
    response = login(client, cast["inspektor"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-0107" in html
    assert str(lista["a"].person) not in html
    assert lista["a"].person.personnummer not in html


def test_forste_socialsekreterare_reads_the_list(client, cast, lista) -> None:
    assert login(client, cast["forste_socialsekreterare"]).get(URL).status_code == 200


@pytest.mark.parametrize(
    "role", ["socialsekreterare", "boendestodjare", "utforarchef", "administrator", "utomstaende"]
)
def test_other_roles_may_not_read_the_list(client, cast, lista, role) -> None:
    c = login(client, cast[role])
    assert c.get(URL).status_code == 403
    assert c.get(XLSX_URL).status_code == 403


def test_anonymous_is_sent_to_login(client) -> None:
    for target in (URL, XLSX_URL):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_list_reads_are_logged(client, cast, lista) -> None:
    login(client, cast["enhetschef"]).get(URL)
    logged = set(
        AccessLog.objects.filter(vy="administrationslista").values_list(
            "arende__arende_id", flat=True
        )
    )
    assert logged == {"2026-0101", "2026-0102", "2026-0104"}


def test_the_page_has_a_fixed_number_of_queries(client, cast, make_case) -> None:
    c = login(client, cast["enhetschef"])
    make_case(BOR, **LAGENHET)
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for _ in range(5):
        make_case(
            [*BOR, {"date": "2026-04-02", "type": "stodniva_bedomd", "niva": "hog"}], **LAGENHET
        )
    with CaptureQueriesContext(connection) as many:
        c.get(URL)
    assert len(many) == len(few)


# --- The .xlsx ------------------------------------------------------------------------------


def values(ws) -> list[list[object]]:
    """Return the cells' values; a date cell reads back as a datetime at midnight."""
    return [
        [cell.value.date() if cell.is_date and cell.value else cell.value for cell in row]
        for row in ws.iter_rows()
    ]


def test_xlsx_cell_by_cell(client, cast, lista) -> None:
    response = login(client, cast["enhetschef"]).get(
        XLSX_URL, {"fran": "2026-01-01", "till": "2026-04-30"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="stodnivaer-2026-01-01-2026-04-30.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Aktuella nivåer", "Ändringar"]

    a = lista["a"]
    aktuella = workbook["Aktuella nivåer"]
    assert values(aktuella) == [
        ["Ärende", "Namn", "Personnummer", "Utförare", "Handläggare", "Stödnivå", "Gäller från"],
        [
            "2026-0101",
            str(a.person),
            a.person.personnummer,
            "Boendestöd Väst",
            None,
            "Hög",
            date(2026, 4, 1),
        ],
        [
            "2026-0102",
            "Skyddade personuppgifter",
            None,
            "Boendestöd Väst",
            None,
            "Låg",
            date(2026, 1, 28),
        ],
        [
            "2026-0104",
            str(lista["utan_niva"].person),
            lista["utan_niva"].person.personnummer,
            "Boendestöd Väst",
            None,
            "Saknas",
            None,
        ],
    ]
    andringar = workbook["Ändringar"]
    header = [
        "Ärende",
        "Namn",
        "Personnummer",
        "Utförare",
        "Tidigare nivå",
        "Ny nivå",
        "Gäller från",
        "Bedömd",
        "Bedömd av",
    ]
    stangt = lista["stangt"]
    assert values(andringar) == [
        header,
        [
            "2026-0101",
            str(a.person),
            a.person.personnummer,
            "Boendestöd Väst",
            None,
            "Medel",
            date(2026, 1, 28),
            date(2026, 1, 28),
            None,
        ],
        [
            "2026-0102",
            "Skyddade personuppgifter",
            None,
            "Boendestöd Väst",
            None,
            "Låg",
            date(2026, 1, 28),
            date(2026, 1, 28),
            None,
        ],
        [
            "2026-0103",
            str(stangt.person),
            stangt.person.personnummer,
            "Boendestöd Väst",
            None,
            "Medel",
            date(2026, 1, 28),
            date(2026, 1, 28),
            None,
        ],
        [
            "2026-0101",
            str(a.person),
            a.person.personnummer,
            "Boendestöd Väst",
            "Medel",
            "Hög",
            date(2026, 4, 1),
            date(2026, 4, 1),
            "Socialsekreterare",
        ],
    ]

    for ws, date_columns in ((aktuella, "G"), (andringar, "GH")):
        # A bold header row, frozen; every column sized.
        assert all(cell.font.bold for cell in ws[1])
        assert ws.freeze_panes == "A2"
        for column in "ABCDEFG":
            assert ws.column_dimensions[column].width >= len(str(ws[f"{column}1"].value))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column_letter in date_columns:
                    assert cell.value is None or cell.is_date
                    assert cell.number_format == "yyyy-mm-dd"
                else:
                    # Text stays text: levels, case ids and personnummer are never numbers.
                    assert cell.value is None or cell.data_type == "s"
                    assert cell.number_format == "@"
    assert aktuella["C2"].value == a.person.personnummer
    assert aktuella.column_dimensions["B"].width == len("Skyddade personuppgifter") + 2
    assert AccessLog.objects.filter(vy="administrationslista_xlsx").count() == 4


def test_xlsx_default_period_is_the_current_month(client, cast, lista) -> None:
    response = login(client, cast["enhetschef"]).get(XLSX_URL)
    assert 'filename="stodnivaer-2026-04-01-2026-04-30.xlsx"' in response["Content-Disposition"]
    andringar = load_workbook(io.BytesIO(response.content))["Ändringar"]
    assert [row[0] for row in values(andringar)] == ["Ärende", "2026-0101"]


def test_xlsx_of_an_empty_list_has_its_headers(client, cast) -> None:
    response = login(client, cast["enhetschef"]).get(XLSX_URL)
    workbook = load_workbook(io.BytesIO(response.content))
    assert values(workbook["Aktuella nivåer"]) == [
        ["Ärende", "Namn", "Personnummer", "Utförare", "Handläggare", "Stödnivå", "Gäller från"]
    ]
    assert len(values(workbook["Ändringar"])) == 1
