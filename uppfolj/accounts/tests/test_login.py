"""Login: lockout after repeated failures, argon2, the idle session timeout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

import uppfolj.settings as project_settings
from uppfolj.accounts.models import Roll, User
from uppfolj.conftest import PASSWORD

LOGIN = "/logga-in/"
LOCKED = "Inloggningen är spärrad efter för många misslyckade försök"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user(
        username="handlaggare", password=PASSWORD, roll=Roll.SOCIALSEKRETERARE
    )


def post_login(client: Client, password: str, ip: str = "10.0.0.1", username: str = "handlaggare"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@time_machine.travel(NOW, tick=False)
def test_five_failures_lock_the_username_at_that_address_with_a_swedish_message(client, user):
    for _ in range(4):
        response = post_login(client, "fel-lösenord")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
        assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    response = post_login(client, "fel-lösenord")
    assert response.status_code == 429
    html = response.content.decode()
    assert f"{LOCKED}. Försök igen om 30 minuter" in html
    # The login form is still there, in Swedish.
    assert 'name="username"' in html and "Logga in" in html

    # Even the right password is refused while locked, and no session is created.
    response = post_login(client, PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Per username and address: the same user from another address still gets in,
    response = post_login(Client(), PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    # and another username from the locked address too.
    User.objects.create_user(username="kollega", password=PASSWORD, roll=Roll.ENHETSCHEF)
    assert post_login(Client(), PASSWORD, username="kollega").status_code == 302


def test_the_lockout_ends_after_thirty_minutes(client, user):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            post_login(client, "fel-lösenord")
        assert post_login(client, PASSWORD).status_code == 429
    # An attempt while locked starts the 30 minutes again,
    with time_machine.travel(NOW + timedelta(minutes=29), tick=False):
        assert post_login(client, PASSWORD).status_code == 429
    with time_machine.travel(NOW + timedelta(minutes=29 + 29), tick=False):
        assert post_login(Client(), PASSWORD).status_code == 429
    # and 30 minutes after the last attempt the right password gets in.
    with time_machine.travel(NOW + timedelta(minutes=29 + 29 + 31), tick=False):
        response = post_login(client, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


@time_machine.travel(NOW, tick=False)
def test_a_successful_login_clears_earlier_failures(client, user):
    for _ in range(4):
        post_login(client, "fel-lösenord")
    assert post_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "fel-lösenord").status_code == 200
    assert post_login(client, PASSWORD).status_code == 302


def test_the_admin_login_is_locked_out_too(client, user):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            client.post(
                "/admin/login/",
                {"username": "handlaggare", "password": "fel"},
                REMOTE_ADDR="10.0.0.1",
            )
        assert post_login(client, PASSWORD).status_code == 429


def test_argon2_hashes_new_passwords_and_the_lockout_backend_comes_first(settings):
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "uppfolj.accounts.backends.LockoutBackend"
    assert project_settings.AUTHENTICATION_BACKENDS[1] == "uppfolj.accounts.backends.UppfoljBackend"
    # With the project's hashers (tests otherwise use MD5 for speed), a new password
    # is hashed with argon2id and checks.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("ett långt lösenord")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("ett långt lösenord", encoded)


def test_the_login_page_offers_no_single_sign_on_when_it_is_not_configured(client, settings):
    assert settings.UPPFOLJ_OIDC is False
    html = client.get(LOGIN).content.decode()
    assert "e-tjänstekort" not in html
    assert "/oidc/" not in html


def test_a_session_ends_after_thirty_minutes_without_activity(client, user):
    with time_machine.travel(NOW, tick=False):
        assert post_login(client, PASSWORD).status_code == 302
    # Activity every 20 minutes keeps the session alive well past 30 minutes.
    for minutes in (20, 40, 60):
        with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
            response = client.get("/arenden/")
            assert response.status_code == 200, minutes
    with time_machine.travel(NOW + timedelta(minutes=60 + 31), tick=False):
        response = client.get("/arenden/")
        assert response.status_code == 302
        assert response["Location"].startswith("/logga-in/")


def test_sessions_end_after_the_configured_idle_time(client, user, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60
    with time_machine.travel(NOW, tick=False):
        post_login(client, PASSWORD)
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        assert client.get("/arenden/").status_code == 302
