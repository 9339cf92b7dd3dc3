"""A session is read with its user in one query, and ends when the account may no
longer sign in (accounts.sessions, accounts.backends)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from uppfolj.accounts.models import Inloggning, Roll, User
from uppfolj.conftest import PASSWORD

START = "/arenden/"
LOGIN = "/logga-in/"


@pytest.fixture
def anna(db) -> User:
    return User.objects.create_user(username="anna", password=PASSWORD, roll=Roll.SOCIALSEKRETERARE)


def logged_in(user: User, backend: str = "uppfolj.accounts.backends.UppfoljBackend") -> Client:
    client = Client()
    client.force_login(user, backend=backend)
    return client


def test_a_login_records_whose_session_it_is_and_a_logout_ends_it(client, anna):
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Inloggning.objects.get(session_key=key).anvandare == anna
    client.post("/logga-ut/")
    assert not Inloggning.objects.filter(session_key=key).exists()
    assert client.get(START).status_code == 302


def test_a_page_reads_the_session_and_its_user_in_one_query(anna):
    client = logged_in(anna)
    client.get(START)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(START).status_code == 200
    session_queries = [q["sql"] for q in queries if "accounts_inloggning" in q["sql"]]
    assert len(session_queries) == 1
    assert "accounts_user" in session_queries[0]
    # The user is not read again on its own.
    user_alone = [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_user"')]
    assert user_alone == []


def test_the_signed_in_user_is_the_one_of_this_session(db):
    anna = User.objects.create_user(username="anna", password=PASSWORD, roll=Roll.SOCIALSEKRETERARE)
    bo = User.objects.create_user(username="bo", password=PASSWORD, roll=Roll.INSPEKTOR)
    annas, bos = logged_in(anna), logged_in(bo)
    for _ in range(2):  # the same queries, other sessions
        assert annas.get(START).context["user"] == anna
        assert bos.get(START).context["user"] == bo


@pytest.mark.parametrize(
    "backend",
    ["uppfolj.accounts.backends.UppfoljBackend", "uppfolj.accounts.oidc.UppfoljOIDCBackend"],
)
def test_a_deactivated_account_is_signed_out_at_its_next_request(anna, oidc_on, backend):
    # mozilla-django-oidc's own get_user returns the user whether active or not.
    client = logged_in(anna, backend)
    assert client.get(START).status_code == 200
    User.objects.filter(pk=anna.pk).update(is_active=False)
    response = client.get(START)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_changed_password_ends_the_other_sessions(anna):
    client = logged_in(anna)
    assert client.get(START).status_code == 200
    anna.set_password("ett annat långt lösenord")
    anna.save()
    assert client.get(START).status_code == 302


def test_a_demo_account_is_signed_out_when_the_demo_is_turned_off(db, settings):
    demo = User.objects.create_user(
        username="demo", password=PASSWORD, roll=Roll.SOCIALSEKRETERARE, is_demo=True
    )
    client = logged_in(demo)
    assert client.get(START).status_code == 200
    settings.UPPFOLJ_ALLOW_DEMO_LOGIN = False
    assert client.get(START).status_code == 302


def test_a_deleted_account_takes_its_sessions_with_it(anna):
    client = logged_in(anna)
    key = client.cookies["sessionid"].value
    anna.delete()
    assert not Inloggning.objects.filter(session_key=key).exists()
    assert client.get(START).status_code == 302
