"""The inspectors' report as a web page: access, 004's Bromma figures, charts, drill-down."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.audit.models import AccessLog
from uppfolj.granskning.diagram import stapeldiagram
from uppfolj.granskning.views.rapport import procent

from .bromma import write_bromma

pytestmark = pytest.mark.django_db

URVAL = {"distrikt": "Bromma", "insats": "boendestod", "as_of": "2018-05-31"}


@pytest.fixture
def bromma(tmp_path: Path, cast: dict[str, Any]) -> None:
    path = write_bromma(tmp_path / "bromma.json")
    call_command("import", str(path), stdout=StringIO())


@pytest.mark.parametrize("roll", ["inspektor", "enhetschef", "forste_socialsekreterare"])
def test_the_page_for_each_allowed_role(client, cast, roll):
    client.force_login(cast[roll])
    response = client.get(reverse("granskning:rapport"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Granskning</h1>" in html
    assert 'href="/granskning/"' in html and ">Granskning</a>" in html
    assert '<label for="id_as_of">Utvärderingsdag</label>' in html
    assert '<option value="boendestod" selected>' in html
    assert 'hx-get="/granskning/"' in html


@pytest.mark.parametrize(
    "roll",
    ["boendestodjare", "stodpedagog", "utforarchef", "socialsekreterare", "administrator"],
)
def test_other_roles_are_refused(client, cast, roll):
    client.force_login(cast[roll])
    assert client.get(reverse("granskning:rapport")).status_code == 403
    assert client.get(reverse("granskning:fall"), {"figur": "beslutstid"}).status_code == 403
    assert ">Granskning</a>" not in client.get("/arenden/").content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("granskning:rapport"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_bromma_shows_granskning_md_tables(client, cast, bromma):
    client.force_login(cast["inspektor"])
    html = client.get(reverse("granskning:rapport"), URVAL).content.decode()
    # Beviljad tid per månad: socialpsykiatri 8,6 / 6,0 / 7,3; funktionsnedsättning
    # 8,4 / 10,8 / 9,6; totalt 8,5 / 8,4 / 8,5.
    for value in ("8,6", "6,0", "7,3", "8,4", "10,8", "9,6", "8,5"):
        assert f">{value}</a></td>" in html, value
    assert "<caption>Beviljad tid per månad" in html
    assert '<th scope="row">Socialpsykiatri</th>' in html
    assert '<th scope="row">Funktionsnedsättning</th>' in html
    assert '<th scope="row">Totalt</th>' in html
    # År med insatsen: 3, 6, 2, 9.
    for grupp, antal in (("%3C1", 3), ("1-2", 6), ("3-5", 2), ("%3E5", 9)):
        assert f"grupp={grupp}&amp;" in html
        assert f">{antal}</a></td>" in html
    assert "Ärenden i urvalet: <a" in html
    assert " %</td>" in html
    assert "." not in html.split("Andel i tid")[0].split("<caption>Övriga nyckeltal")[1].replace(
        "<", " "
    ).split("</table")[0].replace("Nyckeltal", "")


def test_bromma_beslutstid_row(client, cast, bromma):
    client.force_login(cast["inspektor"])
    html = client.get(reverse("granskning:rapport"), URVAL).content.decode()
    row = html.split('<th scope="row">6-11 månader</th>')[1].split("</tr>")[0]
    assert row == '<td class="num">7</td><td class="num">5</td><td class="num">12</td>'
    row = html.split('<th scope="row">1 år</th>')[1].split("</tr>")[0]
    assert row == '<td class="num">0</td><td class="num">4</td><td class="num">4</td>'


def test_the_charts_are_inline_svg_with_titles(client, cast, bromma):
    client.force_login(cast["enhetschef"])
    html = client.get(reverse("granskning:rapport"), URVAL).content.decode()
    assert "<script" not in html.split("</head>")[1]
    # Hours and decision lengths, deadlines over time, hours per district.
    assert html.count("<svg") == 4
    assert (
        '<title id="diagram-timmar-titel">Beviljad tid per månad (timmar) '
        "per verksamhetsområde och kön</title>" in html
    )
    assert '<title id="diagram-beslutstid-titel">Beslutstid för senaste beslut' in html
    # Values and series names are text, readable without colour.
    svg = html.split("<svg")[1]
    assert ">8,6</text>" in svg and ">Kvinnor</text>" in svg and ">Män</text>" in svg


def test_the_htmx_request_gets_only_the_results(client, cast, bromma):
    client.force_login(cast["inspektor"])
    response = client.get(reverse("granskning:rapport"), URVAL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "Beviljad tid per månad" in html


@pytest.mark.parametrize(
    ("urval", "fel"),
    [
        ({"as_of": "2018-02-30"}, "Utvärderingsdag: Fyll i ett giltigt datum."),
        (
            {"distrikt": "Atlantis"},
            "Distrikt: Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga "
            "alternativ.",
        ),
    ],
)
def test_an_invalid_selection_is_said_at_the_form_not_replaced_by_defaults(
    client, cast, bromma, urval, fel
):
    client.force_login(cast["inspektor"])
    response = client.get(reverse("granskning:rapport"), {**URVAL, **urval})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Granskning</h1>" in html and "<form" in html
    assert "Urvalet kan inte användas." in html and f"<li>{fel}</li>" in html
    assert 'class="has-error"' in html
    # No figures for another selection than the one asked for.
    assert "Beviljad tid per månad" not in html and "Ärenden i urvalet" not in html
    partial = client.get(reverse("granskning:rapport"), {**URVAL, **urval}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 400
    html = partial.content.decode()
    assert "<html" not in html and "<form" not in html
    assert f"<li>{fel}</li>" in html and "Beviljad tid per månad" not in html
    drill = client.get(reverse("granskning:fall"), {"figur": "beslutstid", **URVAL, **urval})
    assert drill.status_code == 400
    assert f"<li>{fel}</li>" in drill.content.decode()
    assert not AccessLog.objects.filter(vy="granskning").exists()


def test_drill_down_lists_the_cases_and_logs_them(client, cast, bromma):
    inspektor = cast["inspektor"]
    client.force_login(inspektor)
    response = client.get(
        reverse("granskning:fall"), {"figur": "beslutstid", "grupp": "1ar", **URVAL}
    )
    assert response.status_code == 200
    html = response.content.decode()
    ids = sorted(
        part.split('"')[0] for part in html.split('<a href="/arenden/')[1:] if "BROMMA" in part
    )
    expected = EXPECTED_1AR
    assert [i.rstrip("/") for i in ids] == expected
    assert "1 år" in html
    # No names for the inspector: case ids only.
    assert "Granskad" not in html and "Person" not in html
    logged = AccessLog.objects.filter(aktor=inspektor, vy="granskning")
    assert sorted(logged.values_list("arende__arende_id", flat=True)) == expected


def test_drill_down_of_a_cell(client, cast, bromma):
    client.force_login(cast["inspektor"])
    html = client.get(
        reverse("granskning:fall"),
        {
            "figur": "beviljad_tid_per_manad",
            "omrade": "socialpsykiatri",
            "kolumn": "kvinnor",
            **URVAL,
        },
    ).content.decode()
    assert html.count('<th scope="row"><a href="/arenden/') == 5
    assert "timmar</td>" in html


def test_unknown_figure(client, cast):
    client.force_login(cast["inspektor"])
    response = client.get(reverse("granskning:fall"), {"figur": "okand"})
    assert response.status_code == 400
    assert AccessLog.objects.count() == 0


def _queries(client, path: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_cases(client, cast, make_case):
    client.force_login(cast["enhetschef"])
    params = {"as_of": "2018-05-31"}
    events = [
        {"date": "2018-01-10", "type": "ansokan"},
        {
            "date": "2018-01-20",
            "type": "beslut",
            "utfall": "bifall",
            "from": "2018-02-01",
            "to": "2018-12-31",
            "minuter_per_vecka": 120,
        },
        {"date": "2018-02-10", "type": "verkstallt"},
    ]
    make_case(events, verksamhetsomrade="socialpsykiatri")
    rapport, fall = reverse("granskning:rapport"), reverse("granskning:fall")
    one = _queries(client, rapport, params)
    one_fall = _queries(client, fall, {**params, "figur": "antal_arenden"})
    for _ in range(5):
        make_case(events, verksamhetsomrade="funktionsnedsattning")
    assert _queries(client, rapport, params) == one
    assert _queries(client, fall, {**params, "figur": "antal_arenden"}) == one_fall


def test_procent_is_swedish():
    assert procent(0.6) == "60 %"
    assert procent(0.667) == "66,7 %"
    assert procent(1) == "100 %"
    assert procent(None) == "–"


def test_stapeldiagram_escapes_its_text():
    svg = stapeldiagram(titel="<a>", beskrivning="b", grupper=[("x&y", [("s", 1.5)])])
    assert '<title id="diagram-titel">&lt;a&gt;</title>' in svg
    assert "x&amp;y" in svg and ">1,5</text>" in svg


# The decisions of exactly one year in bromma.RADER: 1 Sep-31 Aug, 1 Jan-31 Dec,
# 1 Jun-31 May and 1 Nov-31 Oct, all in funktionsnedsättning.
EXPECTED_1AR = ["BROMMA-11", "BROMMA-12", "BROMMA-13", "BROMMA-16"]
