"""The new indicators loaded from the database, the city and the districts side by side,
deadlines over time, and the report page's quality areas and likställighet (issue 6)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from uppfolj.arenden.models import Arende
from uppfolj.granskning.kvalitet import kvalitetsanalys, likstallighet
from uppfolj.granskning.selectors import (
    bevakningar_over_tid,
    granskning_berakna,
    granskning_per_distrikt,
    granskning_rapport,
    manadsslut,
    urval_arenden,
)
from uppfolj.utforare.models import Besok, Daganteckning

from .conftest import Importera, beslut, e

AS_OF = date(2018, 5, 31)
TZ = ZoneInfo("Europe/Stockholm")


def executed(start: str = "2018-01-08") -> list[dict]:
    return [
        beslut(start),
        e(start, "uppdrag_skickat", stodniva="lag"),
        e(start, "kontakt_tagen"),
        e(start, "verkstallt", grad="helt"),
    ]


def besok(arende: Arende, user: Any, start: datetime, minuter: int = 60) -> None:
    Besok.objects.create(
        arende=arende,
        personal=user,
        start=start,
        slut=start.replace(hour=start.hour + minuter // 60),
        plats=Besok.Plats.HEMMA,
        registrerad_av=user,
    )


def avbokning(arende: Arende, user: Any, iso: str, **extra: Any) -> None:
    Daganteckning.objects.create(
        arende=arende,
        datum=date.fromisoformat(iso),
        typ=Daganteckning.Typ.AVBOKNING,
        text="Avbokat",
        skriven_av=user,
        **extra,
    )


def test_cancellations_and_visits_are_read_from_the_provider_records(
    importera: Importera, cast: dict[str, Any]
) -> None:
    staff_a, staff_b = cast["boendestodjare"], cast["socialsekreterare"]
    told = Arende.objects.get(
        arende_id=importera(*executed(), e("2018-03-20", "handlaggare_kontaktad"))
    )
    untold = Arende.objects.get(arende_id=importera(*executed()))
    for iso in ("2018-03-01", "2018-03-08", "2018-03-15"):
        avbokning(told, staff_a, iso)
        avbokning(untold, staff_a, iso)
    # A note marked wrong is not a cancellation.
    avbokning(untold, staff_a, "2018-03-02", felmarkerad=datetime(2018, 3, 3, tzinfo=TZ))
    # Tuesday 10-11 (office hours), Tuesday 19-20 (evening), Saturday (weekend), and one
    # visit before the three-month window that is not counted.
    besok(told, staff_a, datetime(2018, 5, 8, 10, tzinfo=TZ))
    besok(told, staff_b, datetime(2018, 5, 8, 19, tzinfo=TZ))
    besok(told, staff_a, datetime(2018, 5, 12, 10, tzinfo=TZ))
    besok(told, staff_b, datetime(2018, 1, 9, 19, tzinfo=TZ))
    besok(untold, staff_a, datetime(2018, 5, 9, 10, tzinfo=TZ))

    cases = urval_arenden(user_or_none=None, as_of=AS_OF)
    result = granskning_berakna(cases_queryset=cases, as_of=AS_OF, urval={})
    assert result["avbokningar"] == {
        "med_avbokning": 2,
        "minst_tre": 2,
        "kontaktad": 1,
        "andel": 0.5,
        "antal": 6,
    }
    assert result["besok_utanfor_kontorstid"] == {
        "besok": 4,
        "utanfor": 2,
        "kvall": 1,
        "helg": 1,
        "andel": 0.5,
        "arenden": 1,
        "av": 2,
    }
    assert result["personal_per_individ"] == {
        "median": 1.5,
        "max": 2,
        "antal": 2,
        "inom_grans": 1,
        "andel": 0.5,
    }


def test_a_change_of_uppdrag_is_counted(importera: Importera) -> None:
    importera(*executed(), e("2018-03-01", "uppdrag_skickat", stodniva="hog"))
    importera(*executed())
    result = granskning_berakna(
        cases_queryset=urval_arenden(user_or_none=None, as_of=AS_OF), as_of=AS_OF, urval={}
    )
    assert result["andrat_uppdrag"] == {"antal": 1, "av": 2, "andel": 0.5, "andringar": 1}


def two_districts(importera: Importera) -> None:
    # Bromma: six cases, none with a plan; Södermalm: six, all with one.
    for _ in range(6):
        importera(*executed(), distrikt="Bromma")
        importera(*executed(), e("2018-02-01", "genomforandeplan_klar", delaktighet=True),
                  distrikt="Södermalm", utforare=None)  # fmt: skip


def test_per_district_and_city_from_one_evaluation(importera: Importera, cast) -> None:
    two_districts(importera)
    per_distrikt = granskning_per_distrikt(user_or_none=None, insats="boendestod", as_of=AS_OF)
    assert list(per_distrikt) == ["Bromma", "Södermalm"]
    assert per_distrikt["Bromma"]["aktuell_genomforandeplan"]["andel"] == 0.0
    assert per_distrikt["Södermalm"]["aktuell_genomforandeplan"]["andel"] == 1.0
    data = granskning_rapport(user_or_none=cast["inspektor"], as_of=AS_OF, distrikt="Bromma")
    assert data.urval["antal_arenden"]["totalt"]["totalt"] == 6
    assert data.stad["aktuell_genomforandeplan"] == {"antal": 6, "av": 12, "andel": 0.5}
    # The selection is what granskning_berakna gives for the same cases.
    alone = granskning_berakna(
        cases_queryset=urval_arenden(user_or_none=None, as_of=AS_OF, distrikt="Bromma"),
        as_of=AS_OF,
        urval={"distrikt": "Bromma", "insats": "boendestod"},
    )
    assert data.urval == alone
    rader = {r.nyckel: r for r in likstallighet(data.per_distrikt, data.stad)}
    assert set(rader["aktuell_genomforandeplan"].avvikande) == {"Bromma", "Södermalm"}
    kunskap = kvalitetsanalys(data.urval, data.stad)[4]
    assert kunskap.utvecklingsomraden[0] == (
        "Andelen med aktuell genomförandeplan (0 %) är lägre än i staden som helhet (50 %)."
    )


def test_an_enhetschef_sees_only_the_own_district_side_by_side(importera, cast) -> None:
    two_districts(importera)
    per_distrikt = granskning_per_distrikt(
        user_or_none=cast["enhetschef"], insats="boendestod", as_of=AS_OF
    )
    assert list(per_distrikt) == [cast["enhetschef"].distrikt.namn]


def test_month_ends_of_the_last_twelve_months() -> None:
    ends = manadsslut(AS_OF)
    assert len(ends) == 12
    assert ends[0] == date(2017, 6, 30) and ends[-2] == date(2018, 4, 30) and ends[-1] == AS_OF
    assert manadsslut(date(2018, 3, 15), 2) == [date(2018, 2, 28), date(2018, 3, 15)]


def test_deadlines_over_time_keep_cases_closed_since(importera: Importera) -> None:
    # Executed late (GEN-IVO-3M missed), closed in April: still counted at March's end.
    importera(beslut("2017-10-02"), e("2018-02-15", "verkstallt", grad="helt"),
              e("2018-04-10", "avslut"))  # fmt: skip
    datum, serier = bevakningar_over_tid(user_or_none=None, as_of=AS_OF, insats="boendestod")
    march = datum.index(date(2018, 3, 31))
    assert serier["GEN-IVO-3M"][march] == 0.0
    assert serier["GEN-IVO-3M"][-1] is None


def test_the_page_shows_the_quality_areas_and_likstallighet(client, cast, importera) -> None:
    two_districts(importera)
    client.force_login(cast["inspektor"])
    html = client.get(
        reverse("granskning:rapport"), {"distrikt": "Bromma", "as_of": "2018-05-31"}
    ).content.decode()
    for namn in (
        "Trygghet och säkerhet",
        "Självbestämmande och integritet",
        "Tillgänglighet",
        "Helhetssyn och samordning",
        "Kunskapsbaserad verksamhet",
        "Effektivitet",
        "Likställighet mellan distrikten",
        "Bevakningar i tid per regel över tid",
    ):
        assert f">{namn}</h" in html, namn
    assert (
        "<li>Andelen med aktuell genomförandeplan (0 %) är lägre än i staden som helhet "
        "(50 %).</li>" in html
    )
    # Flagged cells say so in text, not only by colour.
    assert '<td class="num avviker">0 % <strong>(avviker)</strong></td>' in html
    assert '<th scope="col" class="num">Södermalm</th>' in html
    assert 'id="diagram-distrikt-titel"' in html and 'id="diagram-over-tid-titel"' in html


def test_drill_down_of_a_new_indicator(client, cast, importera) -> None:
    case_id = importera(*executed(), e("2018-03-01", "uppdrag_skickat", stodniva="hog"))
    importera(*executed())
    client.force_login(cast["inspektor"])
    response = client.get(
        reverse("granskning:fall"),
        {"figur": "andrat_uppdrag", "grupp": "andrat", "as_of": "2018-05-31"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f">{case_id}</a>" in html and html.count("1 ändring") == 1


def test_the_readable_tables_show_the_new_indicators(importera: Importera) -> None:
    from uppfolj.granskning.tabeller import som_text

    importera(*executed(), e("2018-03-01", "uppdrag_skickat", stodniva="hog"))
    importera(*executed())
    result = granskning_berakna(
        cases_queryset=urval_arenden(user_or_none=None, as_of=AS_OF), as_of=AS_OF, urval={}
    )
    text = som_text(result)
    rad = next(line for line in text.splitlines() if line.startswith("Ändrat uppdrag"))
    assert rad.endswith("1 av 2 (50,0 %)")
    assert "Avbokningar under beslutet" in text and "0 i 0 ärenden" in text
    assert "Personal per individ (tre månader)" in text
