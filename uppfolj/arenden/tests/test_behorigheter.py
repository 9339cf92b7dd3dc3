"""Grants to protected cases (ACC-SKYDDAD): who may manage them, granting, revoking, the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden import services
from uppfolj.arenden.behorighet import behorighet_aterkalla, behorighet_ge
from uppfolj.arenden.models import Behorighet
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
NOT_GRANTERS = (
    "socialsekreterare",
    "boendestodjare",
    "boendestodjare_annan",
    "inspektor",
    "administrator",
    "utomstaende",
)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(arende) -> str:
    return reverse("arenden:behorigheter", args=[arende.arende_id])


def revoke_url(grant) -> str:
    return reverse("arenden:behorighet_aterkalla", args=[grant.arende.arende_id, grant.pk])


@pytest.fixture
def skyddat(make_case):
    return make_case([BESLUT], case_id="SKYDD-1", skyddad=True)


def grant(cast, arende, who, by="forste_socialsekreterare"):
    return services.behorighet_bevilja(actor=cast[by], arende=arende, anvandare=cast[who])


def test_anonymous_is_sent_to_login(client, cast, skyddat):
    existing = grant(cast, skyddat, "socialsekreterare")
    for response in (
        client.get(url(skyddat)),
        client.post(url(skyddat), {"anvandare": cast["enhetschef"].pk}),
        client.post(revoke_url(existing)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Behorighet.objects.count() == 1


def test_forste_without_a_grant_sees_only_the_case_id_and_grants_and_grants_themselves(
    client, cast, skyddat
):
    forste = cast["forste_socialsekreterare"]
    login(client, forste)
    case_page = reverse("arenden:arende", args=["SKYDD-1"])
    assert client.get(case_page).status_code == 404
    response = client.get(url(skyddat))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Behörigheter till ärende SKYDD-1" in html
    assert "Du har inte själv behörighet till ärendet" in html
    assert skyddat.person.fornamn not in html and skyddat.person.personnummer not in html
    # Nothing of the case but its id: not its insats, nor its provider's staff to choose from.
    assert "Boendestöd" not in html
    assert f'<option value="{cast["enhetschef"].pk}">' in html
    response = client.post(url(skyddat), {"anvandare": forste.pk})
    assert response.status_code == 302
    assert Behorighet.objects.get().anvandare == forste
    audit = AuditLog.objects.get(atgard="behorighet_bevilja")
    assert (audit.aktor, audit.arende, audit.efter) == (forste, skyddat, {"anvandare": "forste"})
    html = client.get(url(skyddat)).content.decode()
    assert "Forste har fått behörighet till ärendet." in html
    assert '<th scope="row">Forste</th>' in html
    assert client.get(case_page).status_code == 200
    reads = AccessLog.objects.filter(aktor=forste, nekad=False)
    assert set(reads.values_list("vy", flat=True)) == {
        "behorigheter",
        "arende",
    }


def test_enhetschef_grants_a_social_worker_who_then_sees_the_case(client, cast, skyddat):
    social_worker = login(Client(), cast["socialsekreterare"])
    assert social_worker.get(reverse("arenden:arende", args=["SKYDD-1"])).status_code == 404
    login(client, cast["enhetschef"])
    response = client.post(url(skyddat), {"anvandare": cast["socialsekreterare"].pk})
    assert response.status_code == 302
    assert social_worker.get(reverse("arenden:arende", args=["SKYDD-1"])).status_code == 200


def test_provider_granter_grants_only_their_own_staff(client, cast, skyddat):
    # The provider's stödpedagog reaches the case only once the authority grants them.
    login(client, cast["stodpedagog"])
    assert client.get(url(skyddat)).status_code == 404
    grant(cast, skyddat, "stodpedagog")
    html = client.get(url(skyddat)).content.decode()
    assert f'<option value="{cast["boendestodjare"].pk}">' in html
    assert f'<option value="{cast["socialsekreterare"].pk}">' not in html
    assert f'<option value="{cast["boendestodjare_annan"].pk}">' not in html
    for other in ("socialsekreterare", "boendestodjare_annan"):
        response = client.post(url(skyddat), {"anvandare": cast[other].pk})
        assert response.status_code == 400
        assert "Användaren kan inte få behörighet till ärendet." in response.content.decode()
    assert client.post(url(skyddat), {"anvandare": cast["boendestodjare"].pk}).status_code == 302
    assert (
        Behorighet.objects.get(anvandare=cast["boendestodjare"]).beviljad_av == cast["stodpedagog"]
    )
    with pytest.raises(ValidationError):
        behorighet_ge(
            actor=cast["stodpedagog"], arende=skyddat, anvandare=cast["socialsekreterare"]
        )


def test_revoking_a_grant_is_audited_and_ends_access(client, cast, skyddat):
    existing = grant(cast, skyddat, "socialsekreterare")
    social_worker = login(Client(), cast["socialsekreterare"])
    assert social_worker.get(reverse("arenden:arende", args=["SKYDD-1"])).status_code == 200
    login(client, cast["forste_socialsekreterare"])
    response = client.post(revoke_url(existing))
    assert response.status_code == 302
    assert not Behorighet.objects.exists()
    audit = AuditLog.objects.get(atgard="behorighet_aterkalla")
    assert audit.aktor == cast["forste_socialsekreterare"] and audit.arende == skyddat
    assert audit.fore["anvandare"] == "socialsekreterare"
    assert audit.fore["beviljad_av"] == "forste"
    assert social_worker.get(reverse("arenden:arende", args=["SKYDD-1"])).status_code == 404
    assert "Behörigheten för Socialsekreterare är återkallad." in (
        client.get(url(skyddat)).content.decode()
    )


def test_provider_granter_may_not_revoke_the_authoritys_grants(client, cast, skyddat):
    authority_grant = grant(cast, skyddat, "socialsekreterare")
    grant(cast, skyddat, "stodpedagog")
    login(client, cast["stodpedagog"])
    html = client.get(url(skyddat)).content.decode()
    assert revoke_url(authority_grant) not in html
    assert client.post(revoke_url(authority_grant)).status_code == 403
    assert Behorighet.objects.filter(pk=authority_grant.pk).exists()
    with pytest.raises(PermissionDenied):
        behorighet_aterkalla(actor=cast["stodpedagog"], behorighet=authority_grant)


def test_invalid_input_is_refused_with_swedish_messages(client, cast, skyddat):
    login(client, cast["forste_socialsekreterare"])
    response = client.post(url(skyddat), {})
    assert response.status_code == 400
    assert "Välj en användare." in response.content.decode()
    response = client.post(url(skyddat), {"anvandare": cast["inspektor"].pk})
    assert response.status_code == 400
    assert "Användaren kan inte få behörighet till ärendet." in response.content.decode()
    assert not Behorighet.objects.exists()


def test_unprotected_case_needs_no_grant(client, cast, make_case):
    arende = make_case([BESLUT], case_id="A-1")
    login(client, cast["forste_socialsekreterare"])
    html = client.get(url(arende)).content.decode()
    assert "Ärendet har inte skyddade personuppgifter." in html
    assert "Ge behörighet</button>" not in html
    response = client.post(url(arende), {"anvandare": cast["socialsekreterare"].pk})
    assert response.status_code == 400
    assert "Ärendet har inte skyddade personuppgifter." in response.content.decode()
    assert not Behorighet.objects.exists()


@pytest.mark.parametrize("role", NOT_GRANTERS)
def test_other_roles_are_refused(client, cast, skyddat, role):
    existing = grant(cast, skyddat, "socialsekreterare")
    login(client, cast[role])
    assert client.get(url(skyddat)).status_code == 403
    assert client.post(url(skyddat), {"anvandare": cast[role].pk}).status_code == 403
    assert client.post(revoke_url(existing)).status_code == 403
    assert list(Behorighet.objects.all()) == [existing]
    assert not AccessLog.objects.filter(aktor=cast[role], nekad=False).exists()


def test_unassigned_provider_chef_and_another_districts_forste_find_no_case(client, cast, skyddat):
    assert login(client, cast["utforarchef"]).get(url(skyddat)).status_code == 404
    other = User.objects.create_user(
        username="forste_soder",
        password=PASSWORD,
        roll=Roll.FORSTE_SOCIALSEKRETERARE,
        distrikt=Distrikt.objects.create(namn="Södermalm"),
    )
    response = login(Client(), other).post(url(skyddat), {"anvandare": other.pk})
    assert response.status_code == 404
    assert not Behorighet.objects.exists()
    assert login(Client(), other).get("/arenden/NOPE/behorigheter/").status_code == 404


def test_case_page_links_to_the_grants_of_a_protected_case_for_granters(client, cast, skyddat):
    grant(cast, skyddat, "socialsekreterare")
    grant(cast, skyddat, "enhetschef")
    case_page = reverse("arenden:arende", args=["SKYDD-1"])
    link = f'href="{url(skyddat)}"'
    assert link in login(client, cast["enhetschef"]).get(case_page).content.decode()
    html = login(Client(), cast["socialsekreterare"]).get(case_page).content.decode()
    assert link not in html
