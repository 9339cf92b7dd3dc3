"""Single sign-on: on only when configured, claims mapped onto existing users only."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import SuspiciousOperation
from django.urls import NoReverseMatch, reverse

from uppfolj.accounts.models import Roll, User
from uppfolj.accounts.oidc import UppfoljOIDCBackend, anvandare_for_claims
from uppfolj.accounts.tests.conftest import IDP


@pytest.fixture
def people(db):
    def make(username: str, roll: str, email: str, **extra) -> User:
        return User.objects.create_user(
            username=username, password=None, roll=roll, email=email, **extra
        )

    return {
        "anna": make("SE2321000016-A1B2", Roll.SOCIALSEKRETERARE, "anna@kommunen.example"),
        "bo": make("SE2321000016-C3D4", Roll.BOENDESTODJARE, "bo@kommunen.example"),
        "slutat": make(
            "SE2321000016-E5F6", Roll.SOCIALSEKRETERARE, "slutat@kommunen.example", is_active=False
        ),
        "demo": make(
            "socialsekreterare", Roll.SOCIALSEKRETERARE, "demo@kommunen.example", is_demo=True
        ),
    }


def test_without_oidc_settings_there_are_no_oidc_urls(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "e-tjänstekort" not in client.get("/logga-in/").content.decode()


def test_with_oidc_settings_the_login_page_sends_the_user_to_the_idp(client, db, oidc_on):
    assert reverse("oidc_authentication_init") == "/oidc/authenticate/"
    html = client.get("/logga-in/?next=/arenden/").content.decode()
    assert "Logga in med e-tjänstekort" in html
    assert 'href="/oidc/authenticate/?next=/arenden/"' in html
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{IDP}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["uppfolj"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"]


def test_an_email_claim_maps_to_the_user_with_that_email(people, settings):
    settings.UPPFOLJ_OIDC_ID_CLAIM = "email"
    settings.UPPFOLJ_OIDC_ID_FALT = "email"
    assert anvandare_for_claims({"email": "Anna@Kommunen.example"}) == people["anna"]
    assert anvandare_for_claims({"email": "bo@kommunen.example"}) == people["bo"]


def test_an_hsa_id_claim_maps_to_the_user_with_that_username(people, settings):
    settings.UPPFOLJ_OIDC_ID_CLAIM = "hsa_id"
    settings.UPPFOLJ_OIDC_ID_FALT = "username"
    assert anvandare_for_claims({"hsa_id": "SE2321000016-C3D4"}) == people["bo"]
    # The e-mail is not what identifies the person in this set-up.
    assert anvandare_for_claims({"email": "bo@kommunen.example"}) is None


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "okand@kommunen.example"},  # no such user: never created
        {"email": "slutat@kommunen.example"},  # inactive
        {"email": "demo@kommunen.example"},  # demo account while demo login is off
        {"email": ""},
        {"email": ["anna@kommunen.example"]},
        {"sub": "anna"},
    ],
)
def test_unknown_inactive_and_demo_users_are_refused(people, settings, claims):
    settings.UPPFOLJ_OIDC_ID_CLAIM = "email"
    settings.UPPFOLJ_OIDC_ID_FALT = "email"
    settings.UPPFOLJ_ALLOW_DEMO_LOGIN = False
    users_before = User.objects.count()
    assert anvandare_for_claims(claims) is None
    assert User.objects.count() == users_before


def test_two_users_with_the_same_email_are_refused(people, settings):
    settings.UPPFOLJ_OIDC_ID_CLAIM = "email"
    settings.UPPFOLJ_OIDC_ID_FALT = "email"
    User.objects.create_user(username="anna2", roll=Roll.ENHETSCHEF, email="anna@kommunen.example")
    assert anvandare_for_claims({"email": "anna@kommunen.example"}) is None


def test_a_role_claim_must_carry_the_users_local_role(people, settings):
    settings.UPPFOLJ_OIDC_ID_CLAIM = "email"
    settings.UPPFOLJ_OIDC_ID_FALT = "email"
    settings.UPPFOLJ_OIDC_ROLL_CLAIM = "roles"
    anna = {"email": "anna@kommunen.example"}
    assert anvandare_for_claims({**anna, "roles": ["socialsekreterare", "annat"]}) == people["anna"]
    assert anvandare_for_claims({**anna, "roles": "socialsekreterare"}) == people["anna"]
    # The IdP cannot hand out a role: a different role claim is refused, not applied.
    assert anvandare_for_claims({**anna, "roles": ["enhetschef"]}) is None
    assert anvandare_for_claims(anna) is None
    assert User.objects.get(pk=people["anna"].pk).roll == Roll.SOCIALSEKRETERARE


def test_the_backend_finds_only_the_mapped_user_and_never_creates_one(people, oidc_on):
    oidc_on.UPPFOLJ_OIDC_ID_CLAIM = "email"
    oidc_on.UPPFOLJ_OIDC_ID_FALT = "email"
    backend = UppfoljOIDCBackend()
    assert backend.verify_claims({"email": "anna@kommunen.example"})
    assert list(backend.filter_users_by_claims({"email": "anna@kommunen.example"})) == [
        people["anna"]
    ]
    assert not backend.verify_claims({"email": "ny@kommunen.example"})
    assert not backend.filter_users_by_claims({"email": "ny@kommunen.example"}).exists()
    # The code flow's last step, with the IdP's userinfo answer stubbed.
    backend.get_userinfo = lambda *args: {"email": "anna@kommunen.example"}  # type: ignore[method-assign]
    assert backend.get_or_create_user("access", "id", {}) == people["anna"]
    backend.get_userinfo = lambda *args: {"email": "ny@kommunen.example"}  # type: ignore[method-assign]
    users_before = User.objects.count()
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {})
    with pytest.raises(SuspiciousOperation, match="skapar aldrig"):
        backend.create_user({"email": "ny@kommunen.example"})
    assert User.objects.count() == users_before
