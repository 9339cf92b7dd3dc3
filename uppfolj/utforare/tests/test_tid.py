"""Granted against delivered time on both sides: the selector's figures, the provider's
page, the authority's case page and the panel on the provider's case page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from uppfolj.accounts.models import Roll, User
from uppfolj.utforare.models import Besok
from uppfolj.utforare.selectors_tid import tidsoversikt

from .test_besok import BEVILJAD_TRE_TIMMAR, TODAY, login, visit

pytestmark = pytest.mark.django_db


def url(arende) -> str:
    return reverse("utforare:tid", args=[arende.arende_id])


def march_visits(arende, personal) -> None:
    """Six visits in March 2026: 525 minutes, two in the evening and one on a Saturday."""
    visit(arende, personal, "2026-03-03 10:00", "11:30")  # 90
    visit(arende, personal, "2026-03-05 13:00", "13:45")  # 45
    visit(arende, personal, "2026-03-10 09:00", "10:30")  # 90
    visit(arende, personal, "2026-03-17 18:30", "20:00")  # 90, evening
    visit(arende, personal, "2026-03-21 10:00", "11:00")  # 60, Saturday
    visit(arende, personal, "2026-03-31 22:00", "2026-04-01 00:30")  # 150, evening, in March


def staff(cast, count: int) -> list[User]:
    """The assigned provider's boendestödjare, plus colleagues up to `count`."""
    first = cast["boendestodjare"]
    more = [
        User.objects.create_user(
            username=f"kollega{n}", roll=Roll.BOENDESTODJARE, utforare=first.utforare
        )
        for n in range(count - 1)
    ]
    return [first, *more]


# --- The figures -----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_granted_versus_delivered_on_a_known_month(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    march_visits(arende, cast["boendestodjare"])

    oversikt = tidsoversikt(arende, idag=timezone.localdate())

    months = {m.etikett: m for m in oversikt.manader}
    assert list(months) == ["april 2026", "mars 2026", "februari 2026", "januari 2026"]
    mars = months["mars 2026"]
    # 180 minutes a week × 31 days / 7 = 797.14; 525 minutes delivered.
    assert (mars.beviljat, mars.utfort, mars.antal_besok, mars.procent) == (797, 525, 6, 66)
    assert (mars.kvall, mars.helg) == (2, 1)
    assert mars.text == "Beviljat 13 tim 17 min / Utfört 8 tim 45 min (66 %)"
    # February: 180 × 28 / 7; January: before the decision.
    assert (months["februari 2026"].beviljat, months["januari 2026"].beviljat) == (720, 0)
    # April so far: the whole month is granted; the night visit of 31 March is not in it.
    assert (months["april 2026"].beviljat, months["april 2026"].utfort) == (771, 0)
    assert not months["april 2026"].avslutad and mars.avslutad

    weeks = {w.etikett: w for w in oversikt.veckor}
    assert next(iter(weeks)) == "v. 17 2026" and len(weeks) == 8
    assert weeks["v. 10 2026"].text == "Beviljat 3 tim 0 min / Utfört 2 tim 15 min (75 %)"
    # ISO week 14 runs from 30 March to 5 April: the night visit counts on Tuesday 31 March.
    assert (weeks["v. 14 2026"].beviljat, weeks["v. 14 2026"].utfort) == (180, 150)
    assert oversikt.beviljat_per_vecka == 180


@time_machine.travel(TODAY, tick=False)
def test_a_new_decision_changes_the_granted_time_from_its_from_date(cast, make_case):
    more = {
        "date": "2026-03-13",
        "type": "beslut",
        "utfall": "delvis",
        "from": "2026-03-16",
        "to": "2026-12-31",
        "minuter_per_vecka": 240,
    }
    refused = {**more, "date": "2026-04-01", "utfall": "avslag", "from": "2026-04-01"}
    arende = make_case([*BEVILJAD_TRE_TIMMAR, more, refused])
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    mars = next(m for m in oversikt.manader if m.etikett == "mars 2026")
    # 15 days at 180/7 and 16 days at 240/7: (2700 + 3840) / 7 = 934.29.
    assert mars.beviljat == 934
    # A refusal of more time does not end the decision in force.
    assert oversikt.beviljat_per_vecka == 240


@time_machine.travel(TODAY, tick=False)
def test_no_decision_grants_nothing(cast, make_case):
    arende = make_case([{"date": "2026-03-02", "type": "ansokan"}])
    visit(arende, cast["boendestodjare"], "2026-04-14 10:00", "11:00")
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert all(p.beviljat == 0 for p in [*oversikt.veckor, *oversikt.manader])
    assert oversikt.veckor[1].text == "Beviljat 0 tim 0 min / Utfört 1 tim 0 min"
    assert oversikt.beviljat_per_vecka is None and oversikt.tidsavvikelse is None


@time_machine.travel(TODAY, tick=False)
def test_evening_and_weekend_visits_are_counted_in_local_time(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    bst = cast["boendestodjare"]
    # 17:30 UTC is 18:30 in Stockholm in March: an evening visit.
    Besok.objects.create(
        arende=arende,
        personal=bst,
        start=datetime(2026, 3, 3, 17, 30, tzinfo=UTC),
        slut=datetime(2026, 3, 3, 18, 30, tzinfo=UTC),
        plats="hemma",
        registrerad_av=bst,
    )
    visit(arende, bst, "2026-04-14 06:30", "07:30")  # before 07:00
    visit(arende, bst, "2026-04-14 10:00", "11:00")  # office hours
    visit(arende, bst, "2026-04-06 10:00", "11:00")  # Easter Monday
    visit(arende, bst, "2026-04-18 10:00", "11:00")  # Saturday
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert (oversikt.kvall, oversikt.helg) == (2, 2)
    v16 = next(w for w in oversikt.veckor if w.etikett == "v. 16 2026")
    assert (v16.antal_besok, v16.kvall, v16.helg) == (3, 1, 1)


# --- The time warning: three completed weeks in a row ------------------------------------


def deliver(arende, personal, mondays_minutes: dict[str, int]) -> None:
    for monday, minutes in mondays_minutes.items():
        hours, rest = divmod(minutes, 60)
        visit(arende, personal, f"{monday} 09:00", f"{9 + hours:02d}:{rest:02d}")


@time_machine.travel(TODAY, tick=False)
def test_time_warning_after_three_completed_weeks_below_half(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    # Weeks 13–16 are completed on Monday 20 April; week 13 delivered its time.
    deliver(
        arende,
        cast["boendestodjare"],
        {"2026-03-23": 180, "2026-03-30": 60, "2026-04-06": 60, "2026-04-13": 85},
    )
    warning = tidsoversikt(arende, idag=timezone.localdate()).tidsavvikelse
    assert warning is not None
    assert warning.meddelande == (
        "Utförd tid har varit under 50 % av beviljad tid tre veckor i rad "
        "(v. 14 2026–v. 16 2026): beviljat 9 tim 0 min, utfört 3 tim 25 min."
    )
    # The same warning on the provider's page and on the authority's case page.
    provider = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    authority = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[arende.arende_id]))
        .content.decode()
    )
    assert warning.meddelande in provider and warning.meddelande in authority


@time_machine.travel(TODAY, tick=False)
def test_no_time_warning_after_two_weeks(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    deliver(
        arende,
        cast["boendestodjare"],
        {"2026-03-23": 180, "2026-03-30": 180, "2026-04-06": 60, "2026-04-13": 60},
    )
    assert tidsoversikt(arende, idag=timezone.localdate()).tidsavvikelse is None


@time_machine.travel(TODAY, tick=False)
def test_no_time_warning_before_the_register_is_used(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    # Granted since February, but nothing registered: the tables show 0 %, no warning.
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert oversikt.veckor[1].procent == 0 and oversikt.tidsavvikelse is None
    # First used in week 15: weeks 15 and 16 are only two.
    deliver(arende, cast["boendestodjare"], {"2026-04-06": 60, "2026-04-13": 60})
    assert tidsoversikt(arende, idag=timezone.localdate()).tidsavvikelse is None


@time_machine.travel(TODAY, tick=False)
def test_a_first_visit_before_the_tables_still_puts_the_register_in_use(cast, make_case):
    # The visits and the first visit come from one query (besokstider_och_forsta): a
    # visit a year ago is before every window the page reads (26 weeks for the warning,
    # the continuity months), but it shows the register was in use for the case, so
    # three empty weeks are a warning.
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    deliver(arende, cast["boendestodjare"], {"2025-04-21": 180})
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert all(vecka.antal_besok == 0 for vecka in oversikt.veckor)
    assert oversikt.tidsavvikelse is not None
    assert oversikt.tidsavvikelse.riktning == "under"


@time_machine.travel(TODAY, tick=False)
def test_the_current_week_does_not_count(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    # Three good weeks, and nothing yet in the week that began today.
    deliver(
        arende,
        cast["boendestodjare"],
        {"2026-03-30": 180, "2026-04-06": 180, "2026-04-13": 180},
    )
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert oversikt.tidsavvikelse is None
    assert oversikt.denna_vecka.text == "Beviljat 3 tim 0 min / Utfört 0 tim 0 min (0 %)"


@time_machine.travel(TODAY, tick=False)
def test_time_warning_above_one_and_a_half(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    deliver(
        arende,
        cast["boendestodjare"],
        {"2026-03-30": 300, "2026-04-06": 280, "2026-04-13": 290},
    )
    warning = tidsoversikt(arende, idag=timezone.localdate()).tidsavvikelse
    assert warning is not None and warning.riktning == "over"


# --- GEN-KONTINUITET -------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("count", "raised"), [(1, True), (2, False), (3, False), (4, True)])
def test_GEN_KONTINUITET_with_one_to_four_staff(client, cast, make_case, count, raised):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    for day, person in enumerate(staff(cast, count), start=1):
        visit(arende, person, f"2026-04-{day:02d} 10:00", "11:00")
    visit(arende, cast["boendestodjare"], "2026-04-14 10:00", "11:00")
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    assert (oversikt.kontinuitet.antal_personal, oversikt.kontinuitet.varning) == (count, raised)
    html = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    assert ("GEN-KONTINUITET" in html) is raised


@time_machine.travel(TODAY, tick=False)
def test_GEN_KONTINUITET_not_raised_without_visits_and_counts_three_months(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    assert not tidsoversikt(arende, idag=timezone.localdate()).kontinuitet.varning
    # Four people, but one of them before 20 January: three in the window.
    for day, person in enumerate(staff(cast, 4)):
        visit(arende, person, "2026-01-19 10:00" if day == 0 else f"2026-04-1{day} 10:00", "11:00")
    kontinuitet = tidsoversikt(arende, idag=timezone.localdate()).kontinuitet
    assert (kontinuitet.antal_personal, kontinuitet.antal_besok, kontinuitet.varning) == (
        3,
        3,
        False,
    )


# --- The provider's page ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef"])
def test_tid_page_shows_the_figures(client, cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    march_visits(arende, cast["boendestodjare"])
    response = login(client, cast[role]).get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Beviljad och utförd tid</h1>" in html
    assert "Beviljat 13 tim 17 min / Utfört 8 tim 45 min (66 %)" in html
    assert "Beviljat 3 tim 0 min / Utfört 2 tim 15 min (75 %)" in html
    assert "3 tim 0 min per vecka" in html
    # Weeks 15 and 16 had no visits, but week 14 delivered 83 %: two weeks only.
    assert "Utförd tid har varit" not in html
    assert "GEN-KONTINUITET" in html  # one person made every visit


def test_tid_page_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    response = client.get(url(arende))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("socialsekreterare", 403),
        ("forste_socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_tid_page_refuses_wrong_roles(client, cast, make_case, role, status):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    assert login(client, cast[role]).get(url(arende)).status_code == status


@time_machine.travel(TODAY, tick=False)
def test_tid_page_protected_case_without_grant_is_404(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR, skyddad=True)
    assert login(client, cast["boendestodjare"]).get(url(arende)).status_code == 404


# --- The authority's case page ----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["socialsekreterare", "forste_socialsekreterare", "enhetschef"])
def test_authority_case_page_shows_the_same_figures(client, cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    march_visits(arende, cast["boendestodjare"])
    response = login(client, cast[role]).get(reverse("arenden:arende", args=[arende.arende_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="tid-myndighet-rubrik">Beviljad och utförd tid</h2>' in html
    assert "Beviljat 13 tim 17 min / Utfört 8 tim 45 min (66 %)" in html
    assert "Beviljat 3 tim 0 min / Utfört 2 tim 15 min (75 %)" in html
    assert "GEN-KONTINUITET" in html
    assert html.index("tid-myndighet-rubrik") < html.index("<h2>Händelser</h2>")


@time_machine.travel(TODAY, tick=False)
def test_inspector_reads_the_figures_with_a_stated_reason(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    march_visits(arende, cast["boendestodjare"])
    response = login(client, cast["inspektor"]).post(
        reverse("arenden:arende", args=[arende.arende_id]), {"skal": "Granskning av boendestöd"}
    )
    assert response.status_code == 200
    assert "Beviljat 13 tim 17 min / Utfört 8 tim 45 min (66 %)" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_authority_case_page_protected_case_without_grant_shows_nothing(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR, skyddad=True)
    response = login(client, cast["socialsekreterare"]).get(
        reverse("arenden:arende", args=[arende.arende_id])
    )
    assert response.status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_authority_include_is_left_out_for_other_insatser_without_visits(client, cast, make_case):
    arende = make_case([], insats="socialt_boende_med_stod")
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[arende.arende_id]))
        .content.decode()
    )
    assert "tid-myndighet-rubrik" not in html


@time_machine.travel(TODAY, tick=False)
def test_tid_myndighet_tag_refuses_a_user_who_may_not_see_the_case(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    template = Template('{% include "utforare/_tid_myndighet.html" %}')
    for role in ("boendestodjare_annan", "administrator"):
        html = template.render(Context({"arende": arende, "user": cast[role]}))
        assert "Beviljad och utförd tid" not in html, role
    html = template.render(Context({"arende": arende, "user": cast["socialsekreterare"]}))
    assert "Beviljad och utförd tid" in html


# --- The panel on the provider's case page ----------------------------------------------------


def panel(arende, user) -> str:
    template = Template("{% load utforare_besok %}{% besok_panel arende user %}")
    return template.render(Context({"arende": arende, "user": user}))


@time_machine.travel(TODAY, tick=False)
def test_panel_shows_this_and_last_week_and_the_warnings(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    bst = cast["boendestodjare"]
    visit(arende, bst, "2026-03-02 10:00", "11:00")
    visit(arende, bst, "2026-04-14 18:30", "19:30")
    visit(arende, bst, "2026-04-18 10:00", "10:25")
    visit(arende, bst, "2026-04-20 07:00", "08:00")
    html = panel(arende, bst)
    assert "Denna vecka (v. 17 2026)" in html
    assert "Beviljat 3 tim 0 min / Utfört 1 tim 0 min (33 %)" in html
    assert "Förra veckan (v. 16 2026)" in html
    assert "Beviljat 3 tim 0 min / Utfört 1 tim 25 min (47 %)" in html
    assert "<dt>Kvällsbesök</dt><dd>1 " in html and "<dt>Helgbesök</dt><dd>1 " in html
    assert "GEN-KONTINUITET" in html and "har gjorts av en person" in html
    # The register was first used on 2 March (week 10, 33 %); weeks 11–15 had no visits,
    # and week 16 fell short too: seven completed weeks.
    assert "under 50 % av beviljad tid sju veckor i rad (v. 10 2026–v. 16 2026)" in html
    for name in ("besok", "tid", "samlarteam"):
        assert f'href="{reverse(f"utforare:{name}", args=[arende.arende_id])}"' in html


@time_machine.travel(TODAY, tick=False)
def test_panel_without_visits_or_decision(cast, make_case):
    arende = make_case([], insats="socialt_boende_med_stod")
    html = panel(arende, cast["boendestodjare"])
    assert "Ingen beviljad tid i kraft" in html
    assert "GEN-KONTINUITET" not in html and "Utförd tid har varit" not in html
    assert reverse("utforare:samlarteam", args=[arende.arende_id]) not in html
