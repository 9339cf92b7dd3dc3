"""No lost update: a plan saved from an older version is refused with the newer one shown."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.arenden.models import Handelse
from uppfolj.audit.models import AuditLog
from uppfolj.utforare.models import Genomforandeplan
from uppfolj.utforare.services.plan import PlanKonflikt

from .plan_fixtures import DELMAL_POST, DELMAL_TVATT, PAGAR, TODAY, login, spara_plan
from .test_plan_views import POST

pytestmark = pytest.mark.django_db

KONFLIKT_BST = (
    "Planen har ändrats av Bst kl 10:00 sedan du öppnade den. Dina ändringar är inte "
    "sparade – här är de, jämför och spara igen."
)


def plan_ny(arende: Any) -> str:
    return reverse("utforare:plan_ny", args=[arende.arende_id])


def grundversion(html: str) -> str:
    found = re.search(r'name="grundversion" value="(\d+)"', html)
    assert found, "the form carries the version it was filled from"
    return found.group(1)


def text(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


# --- The service ----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_revision_from_the_latest_version_is_saved(cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["boendestodjare"], arende, grundversion=0)
    plan = spara_plan(cast["stodpedagog"], arende, arbetssatt="Nytt arbetssätt.", grundversion=1)
    assert plan.version == 2


@time_machine.travel(TODAY, tick=False)
def test_a_revision_from_an_older_version_raises_the_conflict_and_saves_nothing(cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["stodpedagog"], arende, grundversion=0)
    spara_plan(cast["boendestodjare"], arende, arbetssatt="Först sparad.", grundversion=1)
    audit_before = AuditLog.objects.count()

    with pytest.raises(PlanKonflikt) as error:
        spara_plan(cast["stodpedagog"], arende, arbetssatt="Sparad sist.", grundversion=1)

    assert error.value.aktuell == 2
    assert str(error.value) == KONFLIKT_BST
    assert list(arende.planer.values_list("version", "arbetssatt")) == [
        (1, "Vi gör sysslorna tillsammans och minskar stödet steg för steg."),
        (2, "Först sparad."),
    ]
    assert AuditLog.objects.count() == audit_before
    assert Handelse.objects.filter(typ="genomforandeplan_reviderad").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_two_first_plans_cannot_both_become_version_one_of_their_own(cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["boendestodjare"], arende, grundversion=0)
    with pytest.raises(PlanKonflikt) as error:
        spara_plan(cast["stodpedagog"], arende, arbetssatt="Min egen första plan.", grundversion=0)
    assert error.value.aktuell == 1
    assert Genomforandeplan.objects.count() == 1
    assert Handelse.objects.filter(typ__startswith="genomforandeplan").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_conflict_names_the_day_when_the_newer_version_is_not_from_today(cast, make_case):
    arende = make_case(PAGAR)
    with time_machine.travel("2026-04-17 15:42 +02:00", tick=False):
        spara_plan(cast["boendestodjare"], arende, grundversion=0)
    with pytest.raises(PlanKonflikt) as error:
        spara_plan(cast["stodpedagog"], arende, grundversion=0)
    assert str(error.value).startswith("Planen har ändrats av Bst den 2026-04-17 kl 15:42 sedan")


# --- The page: two users edit the same plan ------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_second_of_two_editors_gets_the_conflict_with_their_input_kept(cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["utforarchef"], arende, [DELMAL_TVATT], kopia_overlamnad=None)
    first = login(Client(), cast["boendestodjare"])
    second = login(Client(), cast["stodpedagog"])
    token_first = grundversion(first.get(plan_ny(arende)).content.decode())
    token_second = grundversion(second.get(plan_ny(arende)).content.decode())
    assert token_first == token_second == "1"
    audit_before = set(AuditLog.objects.values_list("pk", flat=True))

    saved = {
        **POST,
        "grundversion": token_first,
        "kopia_overlamnad": "",
        "arbetssatt": "Vi träffas två gånger i veckan.",
    }
    assert first.post(plan_ny(arende), saved).status_code == 302

    mine = {
        **POST,
        "grundversion": token_second,
        "kopia_overlamnad": "",
        "bemotande": "Ring alltid före besöket, aldrig sms.",
        "delmal-1-mal": "Betala hyran själv från juni.",
    }
    response = second.post(plan_ny(arende), mine)

    html = text(response)
    assert response.status_code == 409
    assert KONFLIKT_BST in html
    # The user's input is in the form, ready to be saved again.
    assert "Ring alltid före besöket, aldrig sms.</textarea>" in html
    assert "Betala hyran själv från juni.</textarea>" in html
    assert grundversion(html) == "2"
    assert "Spara som version 3" in html
    # What the other user changed is shown beside it.
    assert "Det här ändrades sedan du öppnade planen (version 1 till 2)" in html
    assert '<th scope="row">Arbetsmetod</th><td class="diff-status">Ändrat</td>' in html
    assert "veckan.</ins>" in html
    # The stored plan is the first save, and only it was audited.
    latest = arende.planer.order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.arbetssatt, latest.skapad_av) == (
        2,
        "Vi träffas två gånger i veckan.",
        cast["boendestodjare"],
    )
    assert latest.bemotande == POST["bemotande"]
    assert [d.mal for d in latest.delmal.all()] == [DELMAL_TVATT["mal"], DELMAL_POST["mal"]]
    new_rows = AuditLog.objects.exclude(pk__in=audit_before)
    assert list(new_rows.values_list("atgard", "aktor")) == [
        ("genomforandeplan_spara", cast["boendestodjare"].pk)
    ]

    # Saving again, now knowingly over version 2, makes version 3.
    resaved = dict(mine, grundversion=grundversion(html))
    assert second.post(plan_ny(arende), resaved).status_code == 302
    assert arende.planer.get(version=3).bemotande == "Ring alltid före besöket, aldrig sms."


@time_machine.travel(TODAY, tick=False)
def test_two_users_writing_the_first_plan_do_not_overwrite_each_other(cast, make_case):
    arende = make_case(PAGAR)
    first = login(Client(), cast["boendestodjare"])
    second = login(Client(), cast["stodpedagog"])
    assert grundversion(first.get(plan_ny(arende)).content.decode()) == "0"
    assert grundversion(second.get(plan_ny(arende)).content.decode()) == "0"
    assert first.post(plan_ny(arende), POST).status_code == 302

    response = second.post(plan_ny(arende), {**POST, "krisplan": "Ring min bror Olle."})

    html = text(response)
    assert response.status_code == 409
    assert KONFLIKT_BST in html
    assert "Ring min bror Olle.</textarea>" in html
    assert "Den nya versionen är" in html and "version 1</a>" in html
    assert list(arende.planer.values_list("version", "krisplan")) == [(1, POST["krisplan"])]
    assert AuditLog.objects.filter(atgard="genomforandeplan_spara").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_adding_a_sub_goal_keeps_the_version_the_form_started_from(cast, make_case):
    arende = make_case(PAGAR)
    spara_plan(cast["utforarchef"], arende, kopia_overlamnad=None)
    client = login(Client(), cast["boendestodjare"])
    spara_plan(cast["stodpedagog"], arende, kopia_overlamnad=None, grundversion=1)
    # The form was opened at version 1; adding a sub-goal must not move it on to version 2.
    response = client.post(plan_ny(arende), {**POST, "grundversion": "1", "lagg_till": "1"})
    assert response.status_code == 200
    assert grundversion(response.content.decode()) == "1"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("value", ["", "x", "-1"])
def test_a_form_without_its_version_is_refused_with_a_message(cast, make_case, value):
    arende = make_case(PAGAR)
    client = login(Client(), cast["boendestodjare"])
    response = client.post(plan_ny(arende), {**POST, "grundversion": value})
    assert response.status_code == 400
    assert (
        "<p>Sidan saknar uppgift om vilken version du utgick från. Ladda om sidan och försök "
        "igen.</p>"
    ) in text(response)
    assert not Genomforandeplan.objects.exists()
