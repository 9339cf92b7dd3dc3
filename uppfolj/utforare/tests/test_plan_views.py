"""The genomförandeplan's pages: new version, versions, one version, diff and the panel."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from uppfolj.arenden import services as arenden_services
from uppfolj.arenden.models import Handelse
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.domain.ibic import EXEMPEL_AKTIVITETER
from uppfolj.utforare.models import Genomforandeplan
from uppfolj.utforare.templatetags.utforare_plan import plan_panel

from .plan_fixtures import DELMAL_POST, DELMAL_TVATT, PAGAR, TODAY, login, spara_plan

pytestmark = pytest.mark.django_db


def url(name: str, arende: Any, *args: Any) -> str:
    return reverse(f"utforare:{name}", args=[arende.arende_id, *args])


def delmal_post(goals: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "delmal-TOTAL_FORMS": str(total if total is not None else len(goals)),
        "delmal-INITIAL_FORMS": "0",
    }
    for index, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"delmal-{index}-{key}"] = value.isoformat() if isinstance(value, date) else value
    return data


POST = {
    "datum": "2026-04-14",
    "arbetssatt": "Vi gör sysslorna tillsammans.",
    "bemotande": "Vill bli påmind med sms dagen innan.",
    "krisplan": "Om jag slutar svara kontaktar boendestödet min syster.",
    "krisplan_kontakter": "Syster Anna, 070-111 22 33",
    "krisplan_samtycke": "on",
    "delaktighet": "1",
    "andra_planer": ["sip", "ips"],
    "andra_planer_beskrivning": "SIP med psykiatrin.",
    "kopia_overlamnad": "2026-04-15",
    "grundversion": "0",
    **delmal_post([DELMAL_TVATT, DELMAL_POST]),
}


def error_shown(html: str, message: str) -> bool:
    return f'<p class="error" role="alert">{message}</p>' in html or f"<p>{message}</p>" in html


# --- A new version ---------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef"])
def test_provider_staff_write_the_first_plan(client, cast, make_case, role):
    arende = make_case(PAGAR)
    login(client, cast[role])
    response = client.get(url("plan_ny", arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Upprätta genomförandeplan</h1>" in html
    assert 'name="delmal-TOTAL_FORMS" value="1"' in html
    assert 'value="2026-04-20"' in html  # the plan's date defaults to today
    assert "Välj livsområde för att se förslag på aktiviteter." in html

    response = client.post(url("plan_ny", arende), POST)

    plan = Genomforandeplan.objects.get(arende=arende)
    assert response.status_code == 302
    assert response["Location"] == url("plan_version", arende, 1)
    assert plan.skapad_av == cast[role]
    assert plan.andra_planer == ["sip", "ips"]
    assert plan.kopia_overlamnad == date(2026, 4, 15)
    assert [d.mal for d in plan.delmal.all()] == [DELMAL_TVATT["mal"], DELMAL_POST["mal"]]
    assert arende.bevakningar.get(regel="BS-GFP-4V").status == "met"
    assert AuditLog.objects.filter(atgard="genomforandeplan_spara", aktor=cast[role]).exists()
    assert AccessLog.objects.filter(arende=arende, vy="plan_ny").count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_revision_starts_from_the_latest_version(client, cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST])
    login(client, cast["stodpedagog"])

    html = client.get(url("plan_ny", arende)).content.decode()

    assert "<h1>Ny version av genomförandeplanen</h1>" in html
    assert "Formuläret är ifyllt med version 1 från 2026-04-14." in html
    assert 'name="delmal-TOTAL_FORMS" value="2"' in html
    assert DELMAL_POST["mal"] in html and "Syster Anna, 070-111 22 33" in html
    assert 'value="sip" id="id_andra_planer_0" checked' in html
    assert 'name="delaktighet" value="1" required id="id_delaktighet_0" checked>' in html
    assert 'name="kopia_overlamnad"' in html and 'value="2026-04-15"' not in html
    assert "Spara som version 2" in html
    assert '<input type="hidden" name="grundversion" value="1"' in html
    # The prefilled goals show their life area's suggestions.
    assert EXEMPEL_AKTIVITETER["hemliv"][2] in html

    post = {**POST, "datum": "2026-04-20", "kopia_overlamnad": "", "grundversion": "1"}
    post["delmal-0-mal"] = "Tvätta själv varannan vecka."
    assert client.post(url("plan_ny", arende), post).status_code == 302
    assert list(arende.planer.values_list("version", "handelse__typ")) == [
        (1, "genomforandeplan_klar"),
        (2, "genomforandeplan_reviderad"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_add_a_sub_goal_shows_the_form_again_unsaved(client, cast, make_case):
    arende = make_case(PAGAR)
    response = login(client, cast["boendestodjare"]).post(
        url("plan_ny", arende), {**POST, **delmal_post([DELMAL_TVATT]), "lagg_till": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="delmal-TOTAL_FORMS" value="2"' in html
    assert "<legend>Delmål 2</legend>" in html
    assert "Delmål 2 är tillagt längst ned. Planen är inte sparad." in html
    assert DELMAL_TVATT["mal"] in html and "Syster Anna" in html
    assert '<p class="error"' not in html
    assert not Genomforandeplan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_ticked_suggestions_are_added_to_the_activities(client, cast, make_case):
    arende = make_case(PAGAR)
    pick = EXEMPEL_AKTIVITETER["hemliv"][1]
    login(client, cast["boendestodjare"])
    response = client.post(
        url("plan_ny", arende),
        {**POST, "delmal-0-forslag": [pick, "Inte ett förslag ur handboken"], "infoga": "delmal-0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 förslag har lagts till i aktiviteterna. Planen är inte sparad." in html
    assert f"{DELMAL_TVATT['aktiviteter']}\n{pick}</textarea>" in html
    assert "Inte ett förslag ur handboken" not in html
    assert not Genomforandeplan.objects.exists()

    # A suggestion ticked but not added is kept when the plan is saved.
    response = client.post(url("plan_ny", arende), {**POST, "delmal-1-forslag": pick})
    assert response.status_code == 302
    assert Genomforandeplan.objects.get().delmal.all()[1].aktiviteter == (
        f"{DELMAL_POST['aktiviteter']}\n{pick}"
    )


@time_machine.travel(TODAY, tick=False)
def test_deleted_and_empty_sub_goals_are_skipped(client, cast, make_case):
    arende = make_case(PAGAR)
    post = {
        **POST,
        **delmal_post([DELMAL_TVATT, DELMAL_POST], total=3),
        "delmal-0-DELETE": "on",
    }
    response = login(client, cast["boendestodjare"]).post(url("plan_ny", arende), post)
    assert response.status_code == 302
    assert [d.mal for d in Genomforandeplan.objects.get().delmal.all()] == [DELMAL_POST["mal"]]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"krisplan_samtycke": ""}, "Den enskilde måste samtycka till att de angivna kontaktas."),
        ({"delaktighet": "0"}, "Beskriv hur den enskildes delaktighet har eftersträvats."),
        ({"delaktighet": ""}, "Ange om den enskilde har deltagit."),
        ({"datum": "2026-04-21"}, "Datumet får inte ligga i framtiden."),
        ({"kopia_overlamnad": "2026-04-13"}, "Kopian kan inte ha lämnats över före planens datum."),
        ({"delmal-1-klart_senast": "2026-04-01"}, "Klart senast ska ligga efter planens datum."),
        ({"delmal-1-mal": ""}, "Detta fält måste fyllas i."),
        ({"delmal-0-DELETE": "on", "delmal-1-DELETE": "on"}, "Planen behöver minst ett delmål."),
        ({"bemotande": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_invalid_plan_is_400_with_the_error(client, cast, make_case, changes, message):
    arende = make_case(PAGAR)
    response = login(client, cast["boendestodjare"]).post(
        url("plan_ny", arende), {**POST, **changes}
    )
    assert response.status_code == 400
    assert error_shown(response.content.decode(), message), response.content.decode()
    assert not Genomforandeplan.objects.exists()
    assert not Handelse.objects.filter(typ__startswith="genomforandeplan").exists()


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_shows_the_refusal_and_no_form(client, cast, make_case):
    arende = make_case([*PAGAR, {"date": "2026-04-16", "type": "avslut"}])
    response = login(client, cast["boendestodjare"]).post(url("plan_ny", arende), POST)
    assert response.status_code == 400
    assert "<p>Ärendet är avslutat; inget mer kan registreras i det.</p>" in (
        response.content.decode()
    )
    page = client.get(url("plan_ny", arende))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<p>Ärendet är avslutat; inget mer kan registreras i det.</p>" in html
    assert "Genomförandeplanen kan inte längre revideras." in html
    assert 'class="step-form plan-form"' not in html
    assert not Genomforandeplan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_suggestions_follow_the_chosen_life_area(client, cast, make_case):
    arende = make_case(PAGAR)
    login(client, cast["boendestodjare"])
    response = client.get(
        url("plan_forslag", arende),
        {"prefix": "delmal-2", "delmal-2-livsomrade": "forflyttning"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Förslag på aktiviteter inom förflyttning" in html
    for text in EXEMPEL_AKTIVITETER["forflyttning"]:
        assert f'name="delmal-2-forslag" value="{text}"' in html
    assert 'id="delmal-2-forslag-4"' in html
    # A made-up prefix falls back to the first sub-goal's.
    html = client.get(url("plan_forslag", arende), {"prefix": 'x"><script>'}).content.decode()
    assert "<script>" not in html and "Välj livsområde" in html


# --- Who may write --------------------------------------------------------------------------

WRITE_ROLES = [
    ("socialsekreterare", 403),
    ("forste_socialsekreterare", 403),
    ("inspektor", 403),
    ("boendestodjare_annan", 404),
    ("administrator", 404),
    ("utomstaende", 404),
]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("role", "status"), WRITE_ROLES)
def test_plan_ny_refuses_all_but_the_providers_staff(cast, make_case, role, status):
    arende = make_case(PAGAR)
    plan = spara_plan(cast["boendestodjare"], arende, kopia_overlamnad=None)
    c = login(Client(), cast[role])
    assert c.get(url("plan_ny", arende)).status_code == status
    assert c.post(url("plan_ny", arende), POST).status_code == status
    assert c.get(url("plan_forslag", arende)).status_code == status
    assert c.post(url("plan_kopia", arende, 1), {"datum": "2026-04-20"}).status_code == status
    assert list(Genomforandeplan.objects.all()) == [plan]
    plan.refresh_from_db()
    assert plan.kopia_overlamnad is None


def test_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(PAGAR)
    for target in (
        url("plan_ny", arende),
        url("plan_forslag", arende),
        url("plan_versioner", arende),
        url("plan_version", arende, 1),
        url("plan_jamfor", arende, 2, 1),
        url("plan_pdf", arende, 1),
    ):
        response = client.get(target)
        assert response.status_code == 302, target
        assert response["Location"].startswith(reverse("login"))
    assert client.post(url("plan_ny", arende), POST).status_code == 302
    assert not Genomforandeplan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_protected_case_needs_a_grant(client, cast, make_case):
    arende = make_case(PAGAR, skyddad=True)
    login(client, cast["boendestodjare"])
    assert client.get(url("plan_ny", arende)).status_code == 404
    assert client.post(url("plan_ny", arende), POST).status_code == 404
    assert client.get(url("plan_versioner", arende)).status_code == 404
    arenden_services.behorighet_bevilja(
        actor=cast["utforarchef"], arende=arende, anvandare=cast["boendestodjare"]
    )
    assert client.get(url("plan_ny", arende)).status_code == 200
    social = login(Client(), cast["socialsekreterare"])
    assert social.get(url("plan_versioner", arende)).status_code == 404


# --- Reading: versions, one version, diff -------------------------------------------------------


@pytest.fixture
def two_versions(cast, make_case):
    with time_machine.travel(TODAY, tick=False):
        arende = make_case(PAGAR)
        spara_plan(cast["boendestodjare"], arende, [DELMAL_TVATT, DELMAL_POST])
        spara_plan(
            cast["stodpedagog"],
            arende,
            [
                {
                    **DELMAL_TVATT,
                    "aktiviteter": "Vi går till tvättstugan tillsammans på torsdagar.",
                },
                {**DELMAL_POST, "livsomrade": "trygghet", "mal": "Sova hela nätter."},
            ],
            datum=date(2026, 4, 20),
            bemotande="Vill bli påmind med sms dagen innan.",
            kopia_overlamnad=None,
        )
    return arende


READ_PAGES = [("plan_versioner", ()), ("plan_version", (2,)), ("plan_jamfor", (2, 1))]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("name", "args"), READ_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("boendestodjare", 200),
        ("utforarchef", 200),
        ("socialsekreterare", 200),  # a municipal provider's plan: no consent needed
        ("enhetschef", 200),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_plan_pages_by_role(cast, two_versions, name, args, role, status):
    response = login(Client(), cast[role]).get(url(name, two_versions, *args))
    assert response.status_code == status
    if status == 200:
        view = ":".join([name, *(str(a) for a in args)])
        assert AccessLog.objects.filter(arende=two_versions, aktor=cast[role], vy=view).exists()


@time_machine.travel(TODAY, tick=False)
def test_versions_list(client, cast, two_versions, django_assert_num_queries):
    login(client, cast["boendestodjare"])
    with django_assert_num_queries(6):
        response = client.get(url("plan_versioner", two_versions))
    html = response.content.decode()
    assert html.index("Version 2</a>") < html.index("Version 1</a>")
    assert '<span class="tag tag-open">Gällande</span>' in html
    assert '2026-04-20 <span class="muted">reviderad</span>' in html
    assert '2026-04-14 <span class="muted">upprättad</span>' in html
    assert f'href="{url("plan_jamfor", two_versions, 2, 1)}"' in html
    assert "Revidera: gör en ny version" in html
    # The social worker reads, but does not write.
    html = login(Client(), cast["socialsekreterare"]).get(url("plan_versioner", two_versions))
    assert "Revidera" not in html.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_one_version(client, cast, two_versions):
    login(client, cast["boendestodjare"])
    html = client.get(url("plan_version", two_versions, 1)).content.decode()
    assert "<h1>Genomförandeplan, version 1</h1>" in html
    assert "Det finns en nyare version" in html
    assert "Hemliv" in html and "Utbildning, arbete, sysselsättning och ekonomiskt liv" in html
    assert "Samordnad individuell plan (SIP)" in html
    assert "<dt>Kopia överlämnad</dt><dd>2026-04-15</dd>" in html
    assert "Registrera att kopian är överlämnad" not in html
    html = client.get(url("plan_version", two_versions, 2)).content.decode()
    assert "Registrera att kopian är överlämnad" in html
    assert client.get(url("plan_version", two_versions, 3)).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_register_the_copy_handed_over(client, cast, two_versions):
    login(client, cast["boendestodjare"])
    response = client.post(url("plan_kopia", two_versions, 2), {"datum": "2026-04-19"})
    assert response.status_code == 400
    assert error_shown(
        response.content.decode(), "Kopian kan inte ha lämnats över före planens datum."
    )
    response = client.post(url("plan_kopia", two_versions, 2), {"datum": "2026-04-20"})
    assert response.status_code == 302
    assert two_versions.planer.get(version=2).kopia_overlamnad == date(2026, 4, 20)


@time_machine.travel(TODAY, tick=False)
def test_diff_page_marks_changes_with_ins_del_and_words(client, cast, two_versions):
    login(client, cast["socialsekreterare"])
    response = client.get(url("plan_jamfor", two_versions, 1, 2))  # either order: old to new
    html = response.content.decode()
    assert "<h1>Ändringar från version 1 till version 2</h1>" in html
    assert (
        "Vi går till tvättstugan tillsammans på "
        '<del><span class="visually-hidden">Borttaget: </span>tisdagar.</del> '
        '<ins><span class="visually-hidden">Tillagt: </span>torsdagar.</ins>'
    ) in html
    assert '<h3>Delmål 1: <span class="diff-status">ändrat</span></h3>' in html
    assert '<h3>Delmål 2: <span class="diff-status">tillagt</span></h3>' in html
    assert '<h3>Delmål 2 i version 1: <span class="diff-status">borttaget</span></h3>' in html
    assert "<summary>Oförändrade uppgifter (8)</summary>" in html
    assert (
        '<tr class="diff-oforandrad"><th scope="row">Arbetsmetod</th>'
        '<td class="diff-status">Oförändrat</td>'
    ) in html
    assert (
        'dagen innan.<del><span class="visually-hidden">Borttaget: </span> Inget telefonsamtal '
        "före tio.</del>"
    ) in html
    assert '<th scope="row">Kopia överlämnad</th><td class="diff-status">Borttaget</td>' in html
    assert client.get(url("plan_jamfor", two_versions, 2, 9)).status_code == 404


# --- The panel on the provider's case page ----------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_panel_before_the_plan_shows_the_deadline_and_the_way_in(cast, make_case):
    arende = make_case(PAGAR)
    html = render_to_string("utforare/_plan_panel.html", plan_panel(arende, cast["boendestodjare"]))
    assert "BS-GFP-4V" in html and "förfaller 2026-04-27" in html
    assert "Ingen genomförandeplan ännu." in html
    assert f'href="{url("plan_ny", arende)}">Upprätta genomförandeplan' in html
    assert "Inga samtycken registrerade." in html


@time_machine.travel(TODAY, tick=False)
def test_panel_shows_the_latest_version(cast, two_versions):
    html = render_to_string(
        "utforare/_plan_panel.html", plan_panel(two_versions, cast["boendestodjare"])
    )
    assert "Version 2, reviderad 2026-04-20 av Stodpedagog" in html
    assert "BS-GFP-4V" not in html  # met, so no longer shown here
    assert "<strong>Känsla av trygghet:</strong> Sova hela nätter." in html
    assert "<dt>Kopia överlämnad</dt><dd>Inte registrerad</dd>" in html
    assert f'href="{url("plan_pdf", two_versions, 2)}"' in html
    assert f'href="{url("plan_ny", two_versions)}">Revidera: ny version' in html
