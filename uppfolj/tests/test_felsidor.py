"""Refusals and missing pages answer in Swedish, in the product's layout (not Django's
English defaults), and say no more than the user may know."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_explained_in_swedish(cast):
    client = Client()
    client.force_login(cast["socialsekreterare"])
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Sidan finns inte" in text
    assert "Not Found" not in text


def test_a_refused_page_gives_the_reason_in_swedish(cast):
    client = Client()
    client.force_login(cast["boendestodjare"])
    response = client.get(reverse("granskning:rapport"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Ingen behörighet" in text
    assert "Forbidden" not in text
    # The page keeps the layout, so the user can find the way back.
    assert "Hoppa till innehållet" in text
