"""The main menu: each role reaches its own pages, and the open page is marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from uppfolj.accounts.templatetags.meny import meny_html

# What each role finds in its menu (the pages its work starts from).
_MYNDIGHET = ["Ärenden", "Nytt ärende", "Sök", "IVO"]
_UTFORARE = ["Inkorg", "Ärenden"]
MENYER = {
    "socialsekreterare": ["Mina bevakningar", *_MYNDIGHET],
    "forste_socialsekreterare": [
        "Mina bevakningar",
        "Enhetens bevakningar",
        *_MYNDIGHET,
        "Administrationens lista",
        "Granskning",
    ],
    "enhetschef": [
        "Enhetens bevakningar",
        *_MYNDIGHET,
        "Administrationens lista",
        "Gallring",
        "Granskning",
    ],
    "boendestodjare": _UTFORARE,
    "stodpedagog": _UTFORARE,
    "utforarchef": _UTFORARE,
    "inspektor": ["Ärenden", "Sök", "IVO", "Administrationens lista", "Granskning"],
    "administrator": ["Ärenden"],
}


def items(html: str) -> list[str]:
    return re.findall(r">([^<]+)</a></li>", html)


@pytest.mark.parametrize("roll", sorted(MENYER))
def test_each_role_has_the_menu_of_its_work(roll):
    assert items(meny_html(roll, "", "")) == MENYER[roll]


@pytest.mark.parametrize(
    ("sida", "app", "oppen"),
    [
        ("lista", "arenden", "Ärenden"),
        ("gallring_bekrafta", "arenden", "Gallring"),
        ("rapport", "granskning", "Granskning"),
        ("lista", "granskning", "Granskning"),  # every page of the report
        ("arende", "arenden", None),
    ],
)
def test_the_open_page_is_marked_for_screen_readers(sida, app, oppen):
    html = meny_html("enhetschef", sida, app)
    marked = re.findall(r'aria-current="page">([^<]+)<', html)
    assert marked == ([oppen] if oppen else [])


def test_the_menu_links_to_the_pages():
    html = meny_html("enhetschef", "", "")
    assert f'href="{reverse("arenden:gallring")}"' in html
    assert f'href="{reverse("granskning:rapport")}"' in html
