"""ACC-SEKRETESSGRANS: who reads the genomförandeplan, and the consent a private provider needs."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Utforare
from uppfolj.audit.models import AccessLog
from uppfolj.utforare.access import may_read_plan

from .plan_fixtures import PAGAR, TODAY, login, samtycke, spara_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def privat(cast, make_case, utforare_tilldelad):
    """A case whose provider is private, with one plan version."""
    Utforare.objects.filter(pk=utforare_tilldelad.pk).update(driftform=Utforare.Driftform.PRIVAT)
    with time_machine.travel(TODAY, tick=False):
        arende = make_case(PAGAR)
        spara_plan(cast["boendestodjare"], arende)
    arende.refresh_from_db()
    return arende


# --- The decision -------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("driftform", "expected"),
    [
        (Utforare.Driftform.KOMMUNAL, True),
        (Utforare.Driftform.UPPHANDLAD, True),
        (Utforare.Driftform.PRIVAT, False),
    ],
)
def test_ACC_SEKRETESSGRANS_social_worker_without_consent(
    cast, make_case, utforare_tilldelad, driftform, expected
):
    Utforare.objects.filter(pk=utforare_tilldelad.pk).update(driftform=driftform)
    arende = make_case(PAGAR)
    for role in ("socialsekreterare", "forste_socialsekreterare", "enhetschef"):
        assert may_read_plan(cast[role], arende) is expected, role


@time_machine.travel(TODAY, tick=False)
def test_ACC_SEKRETESSGRANS_private_provider_with_consent(cast, privat):
    social = cast["socialsekreterare"]
    assert may_read_plan(social, privat) is False
    given = samtycke(privat.person, cast["boendestodjare"])
    assert may_read_plan(social, privat) is True
    assert may_read_plan(social, privat, today=date(2026, 3, 31)) is False  # before it began
    given.till = date(2026, 4, 19)
    given.save()
    assert may_read_plan(social, privat) is False  # ended yesterday
    given.till = date(2026, 4, 20)
    given.save()
    assert may_read_plan(social, privat) is True  # the last day counts
    given.aterkallat = date(2026, 4, 20)
    given.save()
    assert may_read_plan(social, privat) is False  # withdrawn today
    assert may_read_plan(social, privat, today=date(2026, 4, 19)) is True


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "changes",
    [
        {"omfattar_genomforandeplan": False},
        {"utforare_id": "annan"},
        {"person_id": "annan"},
    ],
)
def test_ACC_SAMTYCKE_only_a_consent_to_the_plan_for_this_provider_counts(
    cast, privat, make_case, utforare_annan, changes
):
    if changes.get("utforare_id") == "annan":
        changes = {"utforare": utforare_annan}
    if changes.get("person_id") == "annan":
        changes = {"person": make_case([]).person}
    person = changes.pop("person", privat.person)
    samtycke(person, cast["socialsekreterare"], **changes)
    assert may_read_plan(cast["socialsekreterare"], privat) is False
    samtycke(privat.person, cast["socialsekreterare"], utforare=privat.utforare)
    assert may_read_plan(cast["socialsekreterare"], privat) is True


@time_machine.travel(TODAY, tick=False)
def test_provider_staff_read_their_own_plan_without_consent(cast, privat):
    for role in ("boendestodjare", "stodpedagog", "utforarchef"):
        assert may_read_plan(cast[role], privat) is True
    for role in ("boendestodjare_annan", "inspektor", "administrator", "utomstaende"):
        assert may_read_plan(cast[role], privat) is False


@time_machine.travel(TODAY, tick=False)
def test_a_case_out_of_sight_is_never_readable(cast, make_case):
    arende = make_case(PAGAR, skyddad=True)
    assert may_read_plan(cast["socialsekreterare"], arende) is False
    assert may_read_plan(cast["boendestodjare"], arende) is False


# --- The pages ------------------------------------------------------------------------------


def pages(arende):
    return [
        reverse("utforare:plan_versioner", args=[arende.arende_id]),
        reverse("utforare:plan_version", args=[arende.arende_id, 1]),
        reverse("utforare:plan_pdf", args=[arende.arende_id, 1]),
    ]


@time_machine.travel(TODAY, tick=False)
def test_social_worker_reads_a_private_providers_plan_only_with_consent(cast, privat):
    client = login(Client(), cast["socialsekreterare"])
    for target in pages(privat):
        response = client.get(target)
        assert response.status_code == 403, target
        html = response.content.decode()
        assert "<h1>Samtycke krävs för att läsa genomförandeplanen</h1>" in html
        assert reverse("utforare:samtycke_ny", args=[privat.arende_id]) in html
    assert not AccessLog.objects.filter(arende=privat, vy__startswith="plan").exists()

    given = samtycke(privat.person, cast["socialsekreterare"])
    for target in pages(privat):
        assert client.get(target).status_code == 200, target
    assert AccessLog.objects.filter(
        arende=privat, aktor=cast["socialsekreterare"], vy="plan_pdf:1"
    ).exists()

    given.aterkallat = date(2026, 4, 20)
    given.save()
    for target in pages(privat):
        assert client.get(target).status_code == 403, target


@time_machine.travel(TODAY, tick=False)
def test_the_authority_case_page_tells_why_the_plan_is_not_shown(cast, privat):
    client = login(Client(), cast["socialsekreterare"])
    html = client.get(reverse("arenden:arende", args=[privat.arende_id])).content.decode()
    assert "Genomförandeplan klar 2026-04-14. Boendestöd Väst är en privat utförare" in html
    assert "du kan läsa genomförandeplanen när den enskilde har samtyckt till det" in html
    assert reverse("utforare:plan_version", args=[privat.arende_id, 1]) not in html

    samtycke(privat.person, cast["socialsekreterare"])
    html = client.get(reverse("arenden:arende", args=[privat.arende_id])).content.decode()
    assert reverse("utforare:plan_version", args=[privat.arende_id, 1]) in html
    assert "Version 1, upprättad 2026-04-14 · 1 delmål · den enskilde har deltagit" in html
