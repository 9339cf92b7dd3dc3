"""Django settings for Uppfölj.

Every deployment value comes from the environment; `.env.example` lists them all.
Development defaults work with nothing configured (SQLite under var/).
Production sets UPPFOLJ_ENV=production, SECRET_KEY, UPPFOLJ_PSEUDONYM_KEY,
ALLOWED_HOSTS and DATABASE_URL, and refuses to start without them.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UPPFOLJ_VAR_DIR", BASE_DIR / "var"))

PRODUCTION = os.environ.get("UPPFOLJ_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def _required(name: str, when: str = "UPPFOLJ_ENV=production") -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {when} (see .env.example)")
    return value


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        _required("ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# IVO pseudonyms are keyed with their own key, so that rotating SECRET_KEY (sessions,
# password reset links) does not change every person's id in the quarterly reports.
# Outside production they fall back to SECRET_KEY (uppfolj/arenden/ivo.py).
UPPFOLJ_PSEUDONYM_KEY: str | None = (
    _required("UPPFOLJ_PSEUDONYM_KEY")
    if PRODUCTION
    else os.environ.get("UPPFOLJ_PSEUDONYM_KEY") or None
)

# Retention (gallring): closed cases older than this many years are listed for deletion.
UPPFOLJ_GALLRING_AR = _env_int("UPPFOLJ_GALLRING_AR", 5)
if UPPFOLJ_GALLRING_AR < 1:
    raise ImproperlyConfigured("UPPFOLJ_GALLRING_AR must be at least 1 (years)")

# Demo users (password "demo") may log in only outside production.
UPPFOLJ_ALLOW_DEMO_LOGIN = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "uppfolj.accounts",
    "uppfolj.audit",
    "uppfolj.arenden",
    "uppfolj.utforare",
    "uppfolj.uppfoljning",
    "uppfolj.granskning",
    "uppfolj.stad",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read with the session (accounts.sessions).
    "uppfolj.accounts.sessions.InloggningMiddleware",
    "uppfolj.accounts.middleware.SessionIdleTimeoutMiddleware",
    # Refused reads of a case are logged (ACC-LOGG); needs the user.
    "uppfolj.arenden.middleware.AccessRefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out login into the login page with the lockout message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "uppfolj.urls"
WSGI_APPLICATION = "uppfolj.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'uppfolj.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-set-up default serves several requests at once (HTMX autosave while
    # typing): a writer takes the lock when its transaction begins and others wait for it
    # instead of failing with "database is locked"; WAL lets reads go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The lockout check comes first: a locked-out username+IP never reaches a password check.
AUTHENTICATION_BACKENDS = [
    "uppfolj.accounts.backends.LockoutBackend",
    "uppfolj.accounts.backends.UppfoljBackend",
]
# Argon2 hashes new passwords; the others only read hashes made before it was first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Production serves hashed, compressed files (after `uppfolj collectstatic`) with
# whitenoise; elsewhere whitenoise also finds them in static/, so no collectstatic is
# needed (the empty STATIC_ROOT is only there to keep whitenoise from warning).
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A session ends after this many minutes without a request: activity renews it (at
# most once a minute, uppfolj/accounts/middleware.py), and it ends with the browser.
UPPFOLJ_SESSION_MINUTER = _env_int("UPPFOLJ_SESSION_MINUTER", 30)
UPPFOLJ_SESSION_FORNYA_SEKUNDER = 60
SESSION_COOKIE_AGE = UPPFOLJ_SESSION_MINUTER * 60
# Django's database sessions, each read with its user (accounts.sessions).
SESSION_ENGINE = "uppfolj.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
    # Behind a TLS-terminating proxy that sets (and overwrites) X-Forwarded-Proto.
    # Set SECURE_PROXY_SSL_HEADER= (empty) when nothing in front of gunicorn sets it.
    _proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")

# Content-Security-Policy in every mode, so the browser tests prove the pages work
# under it: no inline script or style anywhere, nothing from other origins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for the same
# username from the same address, that pair is locked out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = _env_int("UPPFOLJ_INLOGGNING_FORSOK", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("UPPFOLJ_SPARRTID_MINUTER", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "uppfolj.accounts.views.utelast"
# Behind N proxies the client's address is the N:th from the end of X-Forwarded-For.
UPPFOLJ_PROXY_ANTAL = _env_int("UPPFOLJ_PROXY_ANTAL", 0)
AXES_CLIENT_IP_CALLABLE = "uppfolj.accounts.backends.klientadress"

# Single sign-on through the municipality's OpenID Connect identity provider (SITHS
# card or e-legitimation), on only when OIDC_RP_CLIENT_ID is set. The IdP's claims are
# mapped to an existing local user (uppfolj/accounts/oidc.py); no user is ever created.
UPPFOLJ_OIDC = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
_OIDC_ON = "OIDC_RP_CLIENT_ID is set"
if UPPFOLJ_OIDC:
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _required("OIDC_OP_AUTHORIZATION_ENDPOINT", _OIDC_ON)
    OIDC_OP_TOKEN_ENDPOINT = _required("OIDC_OP_TOKEN_ENDPOINT", _OIDC_ON)
    OIDC_OP_USER_ENDPOINT = _required("OIDC_OP_USER_ENDPOINT", _OIDC_ON)
    OIDC_OP_JWKS_ENDPOINT = _required("OIDC_OP_JWKS_ENDPOINT", _OIDC_ON)
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email")
    OIDC_USE_PKCE = True
    OIDC_CREATE_USER = False
    AUTHENTICATION_BACKENDS.append("uppfolj.accounts.oidc.UppfoljOIDCBackend")
    LOGIN_REDIRECT_URL_FAILURE = "login"
# Which claim names the person, which user field it matches, and (optionally) a claim
# that must carry the user's role.
UPPFOLJ_OIDC_ID_CLAIM = os.environ.get("UPPFOLJ_OIDC_ID_CLAIM", "email")
UPPFOLJ_OIDC_ID_FALT = os.environ.get("UPPFOLJ_OIDC_ID_FALT", "email")
if UPPFOLJ_OIDC_ID_FALT not in ("email", "username"):
    raise ImproperlyConfigured("UPPFOLJ_OIDC_ID_FALT must be 'email' or 'username'")
UPPFOLJ_OIDC_ROLL_CLAIM = os.environ.get("UPPFOLJ_OIDC_ROLL_CLAIM", "")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)

# The values RULES.md marks "local default"; a municipality overrides them here,
# for example UPPFOLJ_LOKALA_STANDARDVARDEN = {"bs_slutant_vardagar": 3}.
UPPFOLJ_LOKALA_STANDARDVARDEN: dict[str, int] = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
