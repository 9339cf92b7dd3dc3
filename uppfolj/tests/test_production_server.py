"""The production server: gunicorn with its config, whitenoise serving hashed static files."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from uppfolj.tests.test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "uppfolj.kommunen.example", **headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    tmp = tmp_path_factory.mktemp("production")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "UPPFOLJ_"))},
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "UPPFOLJ_VAR_DIR": str(tmp),
        "STATIC_ROOT": str(tmp / "static"),
        "UPPFOLJ_BIND": f"127.0.0.1:{free_port()}",
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run(
        # The admin's files are left out to keep the test fast; the pages need none of them.
        [sys.executable, "-m", "uppfolj.cli", "collectstatic", "--no-input", "-v0", "-i", "admin"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = int(env["UPPFOLJ_BIND"].rsplit(":", 1)[1])
    log = tmp / "gunicorn.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "uppfolj/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/favicon.ico")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
        yield port, tmp / "static"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_behind_the_proxy_the_login_page_is_served_with_the_security_headers(server):
    port, _ = server
    response, _ = get(port, "/logga-in/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security", "")
    assert "default-src 'self'" in response.getheader("Content-Security-Policy", "")
    cookies = response.getheader("Set-Cookie", "")
    assert "csrftoken=" in cookies and "Secure" in cookies


def test_plain_http_is_redirected_to_https(server):
    port, _ = server
    response, _ = get(port, "/logga-in/")
    assert response.status == 301
    assert response.getheader("Location") == "https://uppfolj.kommunen.example/logga-in/"


def test_whitenoise_serves_the_hashed_static_files_for_a_year(server):
    port, static_root = server
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["uppfolj.css"]
    assert re.fullmatch(r"uppfolj\.[0-9a-f]{12}\.css", hashed_css)
    response, _ = get(
        port, f"/static/{hashed_css}", **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control", "")
    # The pages link the hashed names, so a new release is never served from a stale cache.
    page, html = get(port, "/logga-in/", **{"X-Forwarded-Proto": "https"})
    assert page.status == 200
    assert f'href="/static/{hashed_css}"'.encode() in html
