"""Production settings: refused without their keys, `check --deploy` clean, a strict CSP."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

from uppfolj.arenden.ivo import pseudonym

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "uppfolj" / "settings.py"
PRODUCTION_ENV = {
    "UPPFOLJ_ENV": "production",
    "SECRET_KEY": "q7Vx-3kLm9Zp0RtY8wBn2Hc5Jd4Fg6Ks1Ae7Ui9Oo3Pl5Mn8Bv2Cx4Zq6Wr1Ty0",
    "UPPFOLJ_PSEUDONYM_KEY": "Pz4-Lk8Jh2Gf6Ds0Aq9Ws3Ed7Rf1Tg5Yh8Uj2Ik6Ol0Pm4Nb7Vc3Xz9",
    "ALLOWED_HOSTS": "uppfolj.kommunen.example",
}
# Every variable .env.example documents (OIDC_*, DATABASE_URL, ...), cleared before each load.
ENV_NAMES = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)


def load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> ModuleType:
    """Import a fresh copy of the settings module under the given environment."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("UPPFOLJ_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("uppfolj_settings_under_test", SETTINGS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- Settings from the environment ---------------------------------------------------------


@pytest.mark.parametrize("missing", ["SECRET_KEY", "UPPFOLJ_PSEUDONYM_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_keys(monkeypatch, tmp_path, missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=f"{missing} must be set"):
        load_settings(monkeypatch, tmp_path, **env)


def test_production_settings_come_from_the_environment(monkeypatch, tmp_path):
    s = load_settings(
        monkeypatch,
        tmp_path,
        **PRODUCTION_ENV,
        CSRF_TRUSTED_ORIGINS="https://uppfolj.kommunen.example",
        UPPFOLJ_SESSION_MINUTER="20",
        UPPFOLJ_GALLRING_AR="3",
        DATABASE_URL="postgres://uppfolj@db.kommunen.example:5432/uppfolj",
    )
    assert s.DEBUG is False
    assert PRODUCTION_ENV["SECRET_KEY"] == s.SECRET_KEY
    assert PRODUCTION_ENV["UPPFOLJ_PSEUDONYM_KEY"] == s.UPPFOLJ_PSEUDONYM_KEY
    assert s.ALLOWED_HOSTS == ["uppfolj.kommunen.example"]
    assert s.CSRF_TRUSTED_ORIGINS == ["https://uppfolj.kommunen.example"]
    assert s.SESSION_COOKIE_AGE == 20 * 60
    assert s.UPPFOLJ_GALLRING_AR == 3
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert s.DATABASES["default"]["HOST"] == "db.kommunen.example"
    assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE and s.SECURE_SSL_REDIRECT
    assert s.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert s.UPPFOLJ_ALLOW_DEMO_LOGIN is False
    assert s.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_development_defaults_need_nothing_configured(monkeypatch, tmp_path):
    s = load_settings(monkeypatch, tmp_path)
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s.UPPFOLJ_PSEUDONYM_KEY is None  # IVO pseudonyms fall back to SECRET_KEY
    assert s.UPPFOLJ_GALLRING_AR == 5
    assert s.SESSION_COOKIE_AGE == 30 * 60
    assert s.UPPFOLJ_ALLOW_DEMO_LOGIN is True
    assert s.UPPFOLJ_OIDC is False
    assert "uppfolj.accounts.oidc.UppfoljOIDCBackend" not in s.AUTHENTICATION_BACKENDS
    assert s.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UPPFOLJ_GALLRING_AR", "fem"),
        ("UPPFOLJ_GALLRING_AR", "0"),
        ("UPPFOLJ_SESSION_MINUTER", "x"),
    ],
)
def test_bad_numbers_in_the_environment_are_named(monkeypatch, tmp_path, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        load_settings(monkeypatch, tmp_path, **{name: value})


def test_oidc_is_switched_on_by_its_settings_and_needs_the_idp_endpoints(monkeypatch, tmp_path):
    idp = "https://idp.kommunen.example/oidc"
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{idp}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{idp}/token",
        "OIDC_OP_USER_ENDPOINT": f"{idp}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{idp}/jwks",
    }
    s = load_settings(monkeypatch, tmp_path, OIDC_RP_CLIENT_ID="uppfolj", **endpoints)
    assert s.UPPFOLJ_OIDC is True
    assert s.AUTHENTICATION_BACKENDS[0] == "uppfolj.accounts.backends.LockoutBackend"
    assert s.AUTHENTICATION_BACKENDS[-1] == "uppfolj.accounts.oidc.UppfoljOIDCBackend"
    assert s.OIDC_CREATE_USER is False
    assert f"{idp}/token" == s.OIDC_OP_TOKEN_ENDPOINT
    del endpoints["OIDC_OP_JWKS_ENDPOINT"]
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        load_settings(monkeypatch, tmp_path, OIDC_RP_CLIENT_ID="uppfolj", **endpoints)


def test_ivo_pseudonyms_use_the_dedicated_key_not_secret_key(settings):
    settings.UPPFOLJ_PSEUDONYM_KEY = "en-egen-pseudonymnyckel"
    settings.SECRET_KEY = "en-hemlig-nyckel"
    first = pseudonym("19121212-1212")
    settings.SECRET_KEY = "en-ny-hemlig-nyckel"
    assert pseudonym("19121212-1212") == first  # rotating SECRET_KEY keeps the ids
    settings.UPPFOLJ_PSEUDONYM_KEY = "en-annan-pseudonymnyckel"
    assert pseudonym("19121212-1212") != first


def test_every_variable_in_the_settings_is_documented_in_env_example():
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    used = set(
        re.findall(r"""os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)""", SETTINGS_FILE.read_text())
    )
    used |= set(re.findall(r"""_env_\w+\("([A-Z0-9_]+)""", SETTINGS_FILE.read_text()))
    used |= set(re.findall(r"""_required\("([A-Z0-9_]+)""", SETTINGS_FILE.read_text()))
    assert used - documented == set()


# --- manage.py check --deploy ----------------------------------------------------------------


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OIDC_", "UPPFOLJ_", "DJANGO_"))
        },
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "UPPFOLJ_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "uppfolj.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# --- Content-Security-Policy -----------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/logga-in/", "/arenden/"])
def test_every_page_has_a_strict_content_security_policy(client, cast, path):
    client.force_login(cast["socialsekreterare"])
    response = client.get(path)
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE = re.compile(
    r"""<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|\shx-on|javascript:""",
    re.I,
)


def is_pdf_template(path: Path) -> bool:
    """Templates WeasyPrint renders to PDF on the server are never served as a web page."""
    return path.stem.endswith("_pdf") or path.parent.name == "pdf"


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("uppfolj/*/templates/**/*.html")]
    assert len(templates) > 20
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        if not is_pdf_template(path)
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
