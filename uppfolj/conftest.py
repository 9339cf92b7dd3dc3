"""The shared cast of users per role and factories for cases, used by every app's tests."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.arenden.demo import make_personnummer
from uppfolj.arenden.imports import arenden_importera
from uppfolj.arenden.models import Arende

PASSWORD = "ett-långt-testlösenord"

_serials = itertools.count(100)

# Production hashing is deliberately slow; tests create many users.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture
def distrikt(db: Any) -> Distrikt:
    return Distrikt.objects.create(namn="Bromma")


@pytest.fixture
def utforare_tilldelad(db: Any) -> Utforare:
    """The provider that cases get their uppdrag sent to."""
    return Utforare.objects.create(namn="Boendestöd Väst", driftform=Utforare.Driftform.KOMMUNAL)


@pytest.fixture
def utforare_annan(db: Any) -> Utforare:
    """A provider with no uppdrag on the test cases."""
    return Utforare.objects.create(namn="Omsorg Öst AB", driftform=Utforare.Driftform.PRIVAT)


# The cast's keys (make_cast), in the order the role tables list them.
CAST_ROLLER = (
    "socialsekreterare",
    "forste_socialsekreterare",
    "enhetschef",
    "boendestodjare",
    "stodpedagog",
    "utforarchef",
    "boendestodjare_annan",
    "inspektor",
    "administrator",
    "utomstaende",
)


def make_cast(distrikt: Distrikt, tilldelad: Utforare, annan: Utforare) -> dict[str, User]:
    """Create one user per role, provider staff of an unassigned provider and an outsider."""

    def make(username: str, roll: str, **extra: Any) -> User:
        return User.objects.create_user(
            username=username, password=PASSWORD, roll=roll, first_name=username.title(), **extra
        )

    cast = {
        "socialsekreterare": make("socialsekreterare", Roll.SOCIALSEKRETERARE, distrikt=distrikt),
        "forste_socialsekreterare": make(
            "forste", Roll.FORSTE_SOCIALSEKRETERARE, distrikt=distrikt
        ),
        "enhetschef": make("enhetschef", Roll.ENHETSCHEF, distrikt=distrikt),
        "boendestodjare": make("bst", Roll.BOENDESTODJARE, utforare=tilldelad),
        "stodpedagog": make("stodpedagog", Roll.STODPEDAGOG, utforare=tilldelad),
        "utforarchef": make("utforarchef", Roll.UTFORARCHEF, utforare=tilldelad),
        "boendestodjare_annan": make("bst_annan", Roll.BOENDESTODJARE, utforare=annan),
        "inspektor": make("inspektor", Roll.INSPEKTOR),
        "administrator": make("admin", Roll.ADMINISTRATOR),
        "utomstaende": make("utomstaende", ""),
    }
    assert tuple(cast) == CAST_ROLLER, "a new member of the cast belongs in CAST_ROLLER"
    return cast


@pytest.fixture
def cast(
    db: Any, distrikt: Distrikt, utforare_tilldelad: Utforare, utforare_annan: Utforare
) -> dict[str, User]:
    """One user per role, plus provider staff of an unassigned provider and an outsider."""
    return make_cast(distrikt, utforare_tilldelad, utforare_annan)


def case_factory(distrikt: Distrikt, utforare_tilldelad: Utforare) -> Callable[..., Arende]:
    """Return a function that creates a case through the import service from a list of
    timeline events."""

    def make(
        events: list[dict[str, Any]],
        *,
        insats: str = "boendestod",
        case_id: str | None = None,
        today: date | None = None,
        skyddad: bool = False,
        utforare: Utforare | None = utforare_tilldelad,
        handlaggare: User | None = None,
        **case_fields: Any,
    ) -> Arende:
        serial = next(_serials)
        case_id = case_id or f"T-{serial}"
        raw = {
            "case_id": case_id,
            "insats": insats,
            "distrikt": distrikt.namn,
            "utforare": utforare.namn if utforare else None,
            "person": {
                # The number part has three digits: a whole test run makes over 900 cases.
                "personnummer": make_personnummer(
                    date(1980, 1, 1 + serial % 28), 100 + serial % 900, True
                ),
                "namn": f"Testa Person{serial}",
                "kon": "kvinna",
                "skyddad_identitet": skyddad,
            },
            "events": events,
            **case_fields,
        }
        arenden_importera(actor=None, cases=[raw], handlaggare=handlaggare, today=today)
        return Arende.objects.get(arende_id=case_id)

    return make


@pytest.fixture
def make_case(db: Any, distrikt: Distrikt, utforare_tilldelad: Utforare) -> Callable[..., Arende]:
    """Create a case through the import service from a list of timeline events."""
    return case_factory(distrikt, utforare_tilldelad)


# --- Browser tests: Playwright driving Debian's chromium ------------------------------

CHROMIUM = os.environ.get("UPPFOLJ_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "lib" / "testing" / "axe-4.14.1.min.js"


@pytest.fixture
def browser_page(live_server: Any, transactional_db: Any):
    """A Playwright page in headless chromium, with live_server's URL as `page.base`."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} saknas: kör make test, som installerar Debians chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes beside it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            # Beside Playwright's event loop Django gives this thread its own
            # connection; PostgreSQL cannot drop the test database while it is open.
            from django.db import connections

            connections.close_all()
            context.close()
            browser.close()
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Return axe-core's WCAG 2.1 A/AA violations on the page."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
    # does not govern; an injected <script> tag would be (rightly) refused by it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def browser_login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base + "/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
