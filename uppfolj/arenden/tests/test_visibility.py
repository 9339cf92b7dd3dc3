"""Who sees which case (ACC-SEKRETESSGRANS, ACC-SKYDDAD), and who may grant a protected case."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden import services
from uppfolj.arenden.models import Arende, Behorighet
from uppfolj.audit.models import AuditLog
from uppfolj.conftest import CAST_ROLLER, PASSWORD

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"

BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "to": "2026-08-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
EVENTS = [BESLUT, {"date": "2026-03-03", "type": "uppdrag_skickat"}]

# The five cases of the matrix:
#   EGEN       the district's case (Bromma), uppdrag to the assigned provider
#   DISTRIKT   another district's case (Skärholmen), uppdrag to the assigned provider
#   UTFORARE   the district's case with its uppdrag to the other provider
#   SKYDDAD    the district's protected case, uppdrag to the assigned provider
ROLES = list(CAST_ROLLER)

VISIBLE_WITHOUT_GRANT: dict[str, set[str]] = {
    "socialsekreterare": {"EGEN", "UTFORARE"},
    "forste_socialsekreterare": {"EGEN", "UTFORARE"},
    "enhetschef": {"EGEN", "UTFORARE"},
    "boendestodjare": {"EGEN", "DISTRIKT"},
    "stodpedagog": {"EGEN", "DISTRIKT"},
    "utforarchef": {"EGEN", "DISTRIKT"},
    "boendestodjare_annan": {"UTFORARE"},
    "inspektor": {"EGEN", "DISTRIKT", "UTFORARE"},
    "administrator": set(),
    "utomstaende": set(),
}

# After a förste socialsekreterare of the district grants SKYDDAD to the user. A grant
# opens a protected case only within what the user would see anyway; the inspector,
# the administrator and the outsider cannot be granted at all.
VISIBLE_WITH_GRANT: dict[str, set[str]] = {
    "socialsekreterare": {"EGEN", "UTFORARE", "SKYDDAD"},
    "forste_socialsekreterare": {"EGEN", "UTFORARE", "SKYDDAD"},
    "enhetschef": {"EGEN", "UTFORARE", "SKYDDAD"},
    "boendestodjare": {"EGEN", "DISTRIKT", "SKYDDAD"},
    "stodpedagog": {"EGEN", "DISTRIKT", "SKYDDAD"},
    "utforarchef": {"EGEN", "DISTRIKT", "SKYDDAD"},
    "boendestodjare_annan": {"UTFORARE"},
    "inspektor": {"EGEN", "DISTRIKT", "UTFORARE"},
    "administrator": set(),
    "utomstaende": set(),
}
NOT_GRANTABLE = {"inspektor", "administrator", "utomstaende"}


@pytest.fixture
def cases(make_case, utforare_annan) -> dict[str, Arende]:
    made = {
        "EGEN": make_case(EVENTS, case_id="EGEN"),
        "DISTRIKT": make_case(EVENTS, case_id="DISTRIKT"),
        "UTFORARE": make_case(EVENTS, case_id="UTFORARE", utforare=utforare_annan),
        "SKYDDAD": make_case(EVENTS, case_id="SKYDDAD", skyddad=True),
    }
    Arende.objects.filter(pk=made["DISTRIKT"].pk).update(
        distrikt=Distrikt.objects.create(namn="Skärholmen")
    )
    made["DISTRIKT"].refresh_from_db()
    return made


def visible(user: Any) -> set[str]:
    return set(Arende.objects.visible_to(user).values_list("arende_id", flat=True))


def page_status(user: Any, arende: Arende) -> int:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    target = reverse("arenden:arende", args=[arende.arende_id])
    if user.roll == Roll.INSPEKTOR:
        # An inspector opens a case with a stated reason.
        return client.post(target, {"skal": "Aktgranskning av boendestöd 2026."}).status_code
    return client.get(target).status_code


def grant(cast: dict[str, Any], role: str, arende: Arende) -> None:
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=arende, anvandare=cast[role]
    )


def test_the_matrix_names_every_role_of_the_cast(cast) -> None:
    assert set(ROLES) == set(cast) == set(VISIBLE_WITHOUT_GRANT) == set(VISIBLE_WITH_GRANT)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ROLES)
def test_ACC_SEKRETESSGRANS_and_ACC_SKYDDAD_visible_to(cast, cases, role) -> None:
    user = cast[role]
    assert visible(user) == VISIBLE_WITHOUT_GRANT[role]
    for name, arende in cases.items():
        expected = 200 if name in VISIBLE_WITHOUT_GRANT[role] else 404
        assert page_status(user, arende) == expected, name

    if role in NOT_GRANTABLE:
        with pytest.raises(ValidationError) as error:
            grant(cast, role, cases["SKYDDAD"])
        assert error.value.messages == [
            "Behörighet ges bara till handläggare och utförarens personal."
        ]
    else:
        grant(cast, role, cases["SKYDDAD"])

    assert visible(user) == VISIBLE_WITH_GRANT[role]
    expected = 200 if "SKYDDAD" in VISIBLE_WITH_GRANT[role] else 404
    assert page_status(user, cases["SKYDDAD"]) == expected


@time_machine.travel(TODAY, tick=False)
def test_ACC_SKYDDAD_a_grant_is_personal(cast, cases) -> None:
    grant(cast, "socialsekreterare", cases["SKYDDAD"])
    assert "SKYDDAD" in visible(cast["socialsekreterare"])
    assert "SKYDDAD" not in visible(cast["forste_socialsekreterare"])
    assert "SKYDDAD" not in visible(cast["enhetschef"])


@time_machine.travel(TODAY, tick=False)
def test_inactive_user_sees_nothing(cast, cases) -> None:
    user = cast["socialsekreterare"]
    user.is_active = False
    user.save()
    assert visible(user) == set()


@time_machine.travel(TODAY, tick=False)
def test_staff_without_district_or_provider_see_nothing(cast, cases) -> None:
    sekr = User.objects.create_user(username="utan_distrikt", roll=Roll.SOCIALSEKRETERARE)
    staff = User.objects.create_user(username="utan_utforare", roll=Roll.BOENDESTODJARE)
    assert visible(sekr) == set()
    assert visible(staff) == set()


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_to_another_provider_moves_the_case_between_providers(
    cast, cases, utforare_annan
) -> None:
    arende = cases["EGEN"]
    services.uppdrag_skicka(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=arende.handelser.get(typ="uppdrag_skickat").datum,
        utforare=utforare_annan,
        mal="Klara sin tvätt.",
    )
    assert "EGEN" not in visible(cast["boendestodjare"])
    assert "EGEN" in visible(cast["boendestodjare_annan"])


# --- behorighet_bevilja: who may grant ------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("granter", ["forste_socialsekreterare", "enhetschef"])
def test_authority_granters_grant_and_the_grant_is_audited(cast, cases, granter) -> None:
    arende, actor = cases["SKYDDAD"], cast[granter]

    behorighet = services.behorighet_bevilja(
        actor=actor, arende=arende, anvandare=cast["socialsekreterare"]
    )

    assert (behorighet.arende, behorighet.anvandare, behorighet.beviljad_av) == (
        arende,
        cast["socialsekreterare"],
        actor,
    )
    audit = AuditLog.objects.get(atgard="behorighet_bevilja")
    assert (audit.aktor, audit.arende, audit.efter) == (
        actor,
        arende,
        {"anvandare": "socialsekreterare"},
    )


@time_machine.travel(TODAY, tick=False)
def test_a_second_grant_of_the_same_case_adds_nothing(cast, cases) -> None:
    first = services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"],
        arende=cases["SKYDDAD"],
        anvandare=cast["socialsekreterare"],
    )
    second = services.behorighet_bevilja(
        actor=cast["enhetschef"], arende=cases["SKYDDAD"], anvandare=cast["socialsekreterare"]
    )
    assert second == first and second.beviljad_av == cast["forste_socialsekreterare"]
    assert Behorighet.objects.count() == 1
    assert AuditLog.objects.filter(atgard="behorighet_bevilja").count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "granter",
    ["socialsekreterare", "boendestodjare", "boendestodjare_annan", "inspektor", "administrator"],
)
def test_others_may_not_grant(cast, cases, granter) -> None:
    with pytest.raises(PermissionDenied) as error:
        services.behorighet_bevilja(
            actor=cast[granter], arende=cases["SKYDDAD"], anvandare=cast["socialsekreterare"]
        )
    assert (
        str(error.value) == "Endast förste socialsekreterare eller enhetschef beviljar behörighet."
    )
    assert not Behorighet.objects.exists()
    assert not AuditLog.objects.filter(atgard="behorighet_bevilja").exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("granter", ["utforarchef", "stodpedagog"])
def test_provider_managers_grant_their_own_staff_only(cast, cases, granter) -> None:
    arende = cases["SKYDDAD"]
    services.behorighet_bevilja(
        actor=cast[granter], arende=arende, anvandare=cast["boendestodjare"]
    )
    assert Behorighet.objects.get().anvandare == cast["boendestodjare"]
    for other in ("socialsekreterare", "boendestodjare_annan"):
        with pytest.raises(PermissionDenied) as error:
            services.behorighet_bevilja(actor=cast[granter], arende=arende, anvandare=cast[other])
        assert str(error.value) == "Utförarens chef beviljar behörighet bara för egen personal."
    assert Behorighet.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_granters_grant_only_within_their_own_district_or_provider(
    cast, cases, make_case, utforare_annan
) -> None:
    message = (
        "Behörighet beviljas bara till ärenden i det egna distriktet eller hos den egna utföraren."
    )
    other_district = make_case(EVENTS, skyddad=True)
    Arende.objects.filter(pk=other_district.pk).update(
        distrikt=Distrikt.objects.get(namn="Skärholmen")
    )
    other_district.refresh_from_db()
    with pytest.raises(PermissionDenied) as error:
        services.behorighet_bevilja(
            actor=cast["enhetschef"], arende=other_district, anvandare=cast["socialsekreterare"]
        )
    assert str(error.value) == message

    other_provider = make_case(EVENTS, skyddad=True, utforare=utforare_annan)
    with pytest.raises(PermissionDenied) as error:
        services.behorighet_bevilja(
            actor=cast["utforarchef"], arende=other_provider, anvandare=cast["boendestodjare"]
        )
    assert str(error.value) == message
    assert not Behorighet.objects.exists()
