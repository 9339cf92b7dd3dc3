"""The load test's users (run by scripts/load): social workers and provider staff.

Each simulated user logs in as one of the demo accounts (password `demo`), in turn, and
then reads the pages of its role with a pause between them as a person would; provider
staff post a daily note now and then. Every request that does not answer 2xx/3xx with the
expected page counts as an error. The host is given by scripts/load (loopback only).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import time
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser

PASSWORD = os.environ.get("UPPFOLJ_LOAD_PASSWORD", "demo")
# Seconds a person spends on a page before the next one (reading, typing): 3–10 s.
_pause = [float(x) for x in os.environ.get("UPPFOLJ_LOAD_PAUS", "3,10").split(",")]

SOCIAL_ACCOUNTS = itertools.cycle(["socialsekreterare", "forste_socialsekreterare", "enhetschef"])
PROVIDER_ACCOUNTS = itertools.cycle(["boendestodjare", "stodpedagog", "utforarchef"])
# Parts of names a social worker might search for ("Sök person" takes names, or a valid
# personnummer; case numbers are not searched).
SEARCHES = ["son", "berg", "lind", "and", "Eri", "ström"]

CASE_LINK = re.compile(r'href="/arenden/([^/"]+)/"')
PROVIDER_CASE_LINK = re.compile(r'href="/utforare/arenden/([^/"]+)/"')
STOCKHOLM = ZoneInfo("Europe/Stockholm")  # the server's day, whatever this machine's zone
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


LOGIN = "/logga-in/"

# --- The report: every request's time, the logins apart (each costs an argon2 hash, once
# per working day for a real user, so they would swamp the pages' latencies) -----------------

_times: dict[str, list[float]] = defaultdict(list)
_errors: Counter[str] = Counter()
_clock: dict[str, float] = {}


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, exception: Any, **_: Any) -> None:
    key = f"{request_type} {name}"
    _times[key].append(response_time)
    if exception is not None:
        _errors[f"{key}: {exception}"] += 1


# Every user logs in first, as a person does once a working day; a password check costs
# an argon2 hash (about a second of CPU), so 50 logins at once take a while on two cores.
# The measured run of UPPFOLJ_LOAD_SECONDS starts when every user is logged in, and then
# the test stops by itself. Errors are counted over the whole run, logins included.
WARMUP_MAX = float(os.environ.get("UPPFOLJ_LOAD_WARMUP_MAX", "300"))
_ready = {"users": 0}


@events.test_start.add_listener
def _started(environment: Environment, **_: Any) -> None:
    _clock["start"] = time.monotonic()
    seconds = float(os.environ.get("UPPFOLJ_LOAD_SECONDS", "0"))
    if seconds > 0:
        gevent.spawn(_measure, environment, seconds)


def _measure(environment: Environment, seconds: float) -> None:
    runner = environment.runner
    assert runner is not None
    deadline = time.monotonic() + WARMUP_MAX
    while time.monotonic() < deadline:
        target = runner.target_user_count
        if target and _ready["users"] >= target:
            break
        gevent.sleep(0.25)
    _clock["warmup"] = time.monotonic() - _clock["start"]
    for key in [k for k in _times if LOGIN not in k]:
        del _times[key]
    _clock["start"] = time.monotonic()
    runner.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def _summary(keys: list[str], seconds: float) -> dict[str, Any]:
    values = [t for key in keys for t in _times[key]]
    return {
        "requests": len(values),
        "per_second": len(values) / seconds if seconds else 0.0,
        "p50": _percentile(values, 0.50),
        "p95": _percentile(values, 0.95),
        "p99": _percentile(values, 0.99),
        "errors": sum(n for e, n in _errors.items() if any(e.startswith(f"{k}: ") for k in keys)),
    }


@events.test_stop.add_listener
def _write_report(**_: Any) -> None:
    path = os.environ.get("UPPFOLJ_LOAD_RESULT")
    if not path:
        return
    seconds = time.monotonic() - _clock.get("start", time.monotonic())
    pages = sorted(k for k in _times if LOGIN not in k)
    logins = sorted(k for k in _times if LOGIN in k)
    report = {
        "seconds": seconds,
        "warmup": _clock.get("warmup", 0.0),
        "pages": _summary(pages, seconds),
        "logins": _summary(logins, seconds),
        "per_page": {key: _summary([key], seconds) for key in pages + logins},
        "errors": dict(_errors),
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(report, file, ensure_ascii=False, indent=1)


class Inloggad(HttpUser):
    """A user of Uppfölj: logs in first, and stops if it cannot."""

    abstract = True
    wait_time = between(_pause[0], _pause[-1])
    accounts: itertools.cycle[str]

    def on_start(self) -> None:
        self.username = next(self.accounts)
        page = self.client.get(LOGIN, name=LOGIN)
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            LOGIN,
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=LOGIN,
            catch_response=True,
        ) as response:
            # A successful login leaves the login page; a refused one shows it again.
            if LOGIN in response.url or response.status_code >= 400:
                response.failure(f"{self.username} kunde inte logga in ({response.status_code})")
                _ready["users"] += 1
                raise StopUser()
            response.success()
        _ready["users"] += 1

    def page(self, path: str, name: str, must_contain: str = "</html>") -> Any:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif LOGIN in response.url:
                response.failure("utloggad")
            elif must_contain not in response.text:
                response.failure(f"sidan saknar {must_contain!r}")
            else:
                response.success()
            return response


class Socialsekreterare(Inloggad):
    """The authority side: start page, worklist, case list, a case, its journal, search."""

    weight = 3
    accounts = SOCIAL_ACCOUNTS

    def on_start(self) -> None:
        super().on_start()
        listing = self.page("/arenden/", "/arenden/")
        # The list also links "Nytt ärende" (/arenden/nytt/), which is no case.
        self.arenden = sorted(set(CASE_LINK.findall(listing.text)) - {"nytt"})
        if not self.arenden:
            raise StopUser()

    @task(2)
    def startsida(self) -> None:
        self.page("/", "/ (start)")

    @task(3)
    def mina_bevakningar(self) -> None:
        self.page("/bevakningar/", "/bevakningar/")

    @task(2)
    def arendelista(self) -> None:
        self.page("/arenden/", "/arenden/")

    @task(4)
    def arende(self) -> None:
        arende_id = random.choice(self.arenden)
        self.page(f"/arenden/{arende_id}/", "/arenden/[id]/", arende_id)

    @task(2)
    def journal(self) -> None:
        self.page(f"/arenden/{random.choice(self.arenden)}/journal/", "/arenden/[id]/journal/")

    @task(1)
    def sok(self) -> None:
        self.page(f"/sok/?q={random.choice(SEARCHES)}", "/sok/?q=")


class Utforarpersonal(Inloggad):
    """The provider side: inbox, the provider's case page, daily notes, a new daily note."""

    weight = 2
    accounts = PROVIDER_ACCOUNTS

    def on_start(self) -> None:
        super().on_start()
        inkorg = self.page("/utforare/", "/utforare/ (inkorg)")
        self.arenden = sorted(set(PROVIDER_CASE_LINK.findall(inkorg.text)))
        if not self.arenden:
            raise StopUser()
        self.skrivbara: list[str] = []
        self.oppna: set[str] = set()

    @task(3)
    def inkorg(self) -> None:
        self.page("/utforare/", "/utforare/ (inkorg)")

    @task(4)
    def arende(self) -> None:
        arende_id = random.choice(self.arenden)
        response = self.page(
            f"/utforare/arenden/{arende_id}/", "/utforare/arenden/[id]/", arende_id
        )
        # Staff write notes in open cases; a closed one is marked on its page.
        if response.status_code == 200 and ">Avslutat</span>" not in response.text:
            self.oppna.add(arende_id)

    @task(3)
    def anteckningar(self) -> None:
        # Mostly the open cases already looked at, as staff go from a case to its notes.
        arende_id = random.choice(sorted(self.oppna) or self.arenden)
        response = self.page(
            f"/utforare/arenden/{arende_id}/anteckningar/", "/utforare/arenden/[id]/anteckningar/"
        )
        # Notes are written only where the page offers the form (an accepted uppdrag).
        if 'name="text"' in response.text and arende_id not in self.skrivbara:
            self.skrivbara.append(arende_id)

    @task(1)
    def skriv_anteckning(self) -> None:
        candidates = [a for a in self.skrivbara if a in self.oppna]
        if not candidates:
            return
        arende_id = random.choice(candidates)
        with self.client.post(
            f"/utforare/arenden/{arende_id}/anteckningar/ny/",
            {
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                "datum": datetime.now(STOCKHOLM).date().isoformat(),
                "typ": "anteckning",
                "text": "Lasttest: hembesök, vi handlade tillsammans och gick igenom veckan.",
            },
            name="/utforare/arenden/[id]/anteckningar/ny/ (POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Anteckningen är sparad." in response.text:
                response.success()
            else:
                response.failure(f"anteckningen sparades inte (status {response.status_code})")
