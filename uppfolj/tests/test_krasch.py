"""Crash safety: a server killed mid-burst loses no acknowledged write and no audit row.

Issue 7: "a test on PostgreSQL starts the production server, runs a bounded burst of
writes from a client on loopback, kills the server with SIGKILL mid-burst, restarts
it, and checks that every write the client saw acknowledged is present and every
audit row matches its change."

The server is gunicorn with `uppfolj.wsgi` and two workers, in production mode
(UPPFOLJ_ENV=production, collected static files) on the test database, which
`transactional_db` commits to so that the server's processes see the test's users.
Only the TLS redirect is off: the client speaks plain HTTP on loopback.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from uppfolj.arenden.models import Journalanteckning
from uppfolj.audit.models import AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="kraschtestet körs mot PostgreSQL"
)

ROOT = Path(__file__).resolve().parents[2]
WRITES = 120  # the whole burst, before and after the crash
KILL_AFTER = 40  # acknowledged writes before the server is killed
WORKERS = 2
READY_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
BESLUT = {
    "date": "2025-03-03",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2025-03-03",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _server_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="uppfolj.settings",
        DATABASE_URL=_database_url(),
        UPPFOLJ_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        UPPFOLJ_PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        UPPFOLJ_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


class Server:
    """gunicorn in its own process group, so SIGKILL reaches the master and its workers."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "uppfolj.wsgi",
                    f"--workers={WORKERS}",
                    # Import the application once, in the master, not once per worker.
                    "--preload",
                    f"--bind=127.0.0.1:{self.port}",
                    "--timeout=60",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn avslutades vid start:\n{self.log.read_text()[-3000:]}")
            try:
                status, _, _ = request("GET", self.port, "/logga-in/", timeout=5)
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            pytest.fail(f"inloggningssidan svarade {status}:\n{self.log.read_text()[-3000:]}")
        pytest.fail(f"gunicorn svarade inte inom {READY_TIMEOUT:.0f} s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def request(
    method: str,
    port: int,
    path: str,
    *,
    form: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, dict[str, str], str]:
    """Send one request; return the status, the headers and the body."""
    headers = {"Host": "127.0.0.1"}
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        text = response.read().decode("utf-8", "replace")
        if cookies is not None:
            # Production cookies are Secure; this loopback client keeps them by hand.
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
        return response.status, dict(response.headers), text
    finally:
        client.close()


def login(port: int, username: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    status, _, page = request("GET", port, "/logga-in/", cookies=cookies)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and match, page[:500]
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match[1]}
    status, _, page = request("POST", port, "/logga-in/", form=form, cookies=cookies)
    assert status == 302, page[:2000]
    assert "sessionid" in cookies
    return cookies


class Burst:
    """Journal entries posted through the real form by parallel clients, numbered once."""

    def __init__(self, port: int, cookies: dict[str, str], arende_id: str) -> None:
        self.port, self.cookies = port, cookies
        self.path = f"/arenden/{arende_id}/journal/ny/"
        self.acknowledged: dict[int, int] = {}  # write number -> the entry id it redirected to
        self.failed: list[int] = []
        self.numbers: Iterator[int] = iter(range(WRITES))
        self.lock = threading.Lock()

    def _next(self) -> int | None:
        with self.lock:
            return next(self.numbers, None)

    def write(self, number: int) -> bool:
        form = {
            "datum": "2025-06-02",
            "rubrik": f"Skrivning {number}",
            "text": f"krasch-{number}",
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        }
        try:
            status, headers, _ = request(
                "POST", self.port, self.path, form=form, cookies=dict(self.cookies)
            )
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.failed.append(number)
            return False
        match = re.search(r"#anteckning-(\d+)$", headers.get("Location", ""))
        assert status == 302 and match, (status, headers)
        with self.lock:
            self.acknowledged[number] = int(match[1])
        return True

    def run_until_failure(self) -> None:
        """Write until the numbers run out or the server stops answering."""
        while (number := self._next()) is not None:
            if not self.write(number):
                return

    def in_parallel(self, clients: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.run_until_failure) for _ in range(clients)]
        for thread in threads:
            thread.start()
        return threads


def test_acknowledged_writes_survive_sigkill(transactional_db, cast, make_case, tmp_path):
    user = cast["socialsekreterare"]
    # The server checks passwords with production's hashers, not the tests' fast one.
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    arende = make_case([BESLUT], case_id="KRASCH-1", handlaggare=user)

    port = _free_port()
    env = _server_env(tmp_path, port)
    subprocess.run(
        # The admin's hundreds of files are left out: no page this test uses needs them.
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0", "-i", "admin"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    server = Server(env, port, tmp_path / "gunicorn.log")
    try:
        server.start()
        burst = Burst(port, login(port, user.username), arende.arende_id)
        threads = burst.in_parallel(WORKERS)
        deadline = time.monotonic() + 120
        while len(burst.acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(burst.acknowledged) >= KILL_AFTER, (burst.failed, server.log.read_text())
        server.kill()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        acknowledged_before = len(burst.acknowledged)
        assert burst.failed, "the kill interrupted no write"
        assert acknowledged_before < WRITES, "the burst was over before the kill"

        server.start()
        burst.cookies = login(port, user.username)
        for thread in burst.in_parallel(WORKERS):
            thread.join(timeout=120)
    finally:
        server.stop()

    attempted = len(burst.acknowledged) + len(burst.failed)
    assert attempted == WRITES
    assert len(burst.failed) <= WORKERS  # one per client: the one the kill cut off

    entries = Journalanteckning.objects.filter(arende=arende, text__startswith="krasch-")
    by_number = Counter(int(entry.text.removeprefix("krasch-")) for entry in entries)
    # Every acknowledged write is there exactly once, as the entry it redirected to.
    assert {n: by_number[n] for n in burst.acknowledged if by_number[n] != 1} == {}
    stored = {int(e.text.removeprefix("krasch-")): e.pk for e in entries}
    assert {n: stored[n] for n in burst.acknowledged} == burst.acknowledged
    # A write cut off by the kill is there once (committed, reply lost) or not at all.
    assert max(by_number.values()) == 1
    assert set(by_number) <= set(range(WRITES))

    # Every entry has exactly one audit row with its contents, and no audit row lacks
    # its entry.
    audit = AuditLog.objects.filter(atgard="journal_skriv", arende=arende)
    audited = Counter(row.objekt_id for row in audit)
    assert audited == Counter(str(entry.pk) for entry in entries)
    texts: dict[str, Any] = {str(e.pk): e.text for e in entries}
    assert all(row.efter["text"] == texts[row.objekt_id] for row in audit)
    assert all(row.aktor_id == user.pk for row in audit)
