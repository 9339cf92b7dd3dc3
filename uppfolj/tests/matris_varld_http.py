"""Walking the URL configuration and requesting each route for a case of the test city."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import CAST_ROLLER

from .matris_varld import Varld

# Not case data: Django's admin (its own permission system), and the public login pages.
SKIPPED_NAMESPACES = frozenset({"admin"})
PUBLIC_ROUTES = frozenset({"login", "logout"})

# The cast's roles as the matrix's columns, with anonymous last.
ROLES = (*CAST_ROLLER, "anonym")
COLUMN = {
    "socialsekreterare": "ss",
    "forste_socialsekreterare": "fs",
    "enhetschef": "ec",
    "boendestodjare": "bs",
    "stodpedagog": "sp",
    "utforarchef": "uc",
    "boendestodjare_annan": "ba",
    "inspektor": "in",
    "administrator": "ad",
    "utomstaende": "ut",
    "anonym": "an",
}
# The kinds of case each role is tried against (matris_varld): authority staff and the
# inspector against their district's, another district's and a protected case; provider
# staff against a case with an uppdrag to their provider, one without, and a protected one;
# those who see no case against their own district's case. "." marks a kind not tried.
KINDS_FOR = {
    "socialsekreterare": ("egen", "annat", "skyddad"),
    "forste_socialsekreterare": ("egen", "annat", "skyddad"),
    "enhetschef": ("egen", "annat", "skyddad"),
    "boendestodjare": ("egen", "skyddad", "utan"),
    "stodpedagog": ("egen", "skyddad", "utan"),
    "utforarchef": ("egen", "skyddad", "utan"),
    # Another provider's staff: "utan" is the case their provider has the uppdrag for.
    "boendestodjare_annan": ("egen", "skyddad", "utan"),
    "inspektor": ("egen", "annat", "skyddad"),
    "administrator": ("egen",),
    "utomstaende": ("egen",),
    "anonym": ("egen",),
}
CODES = {200: "2", 302: "r", 400: "b", 403: "4", 404: "n", 405: "x"}
REFUSED = frozenset({"4", "n"})

# Routes that only apply to socialt boende med stöd in lägenhetsboende: their case is the
# sbms case of the same kind.
SBMS_ROUTES = frozenset(
    {
        "uppfoljning:stodniva",
        "uppfoljning:personalens_bedomning",
        "uppfoljning:avgift",
        "uppfoljning:avgift_uppdrag",
    }
)
# How to fill a route's `pk` or document id: the document of the case it names.
DOCUMENT_OF = {
    "utforare:uppdrag_acceptera": "uppdrag",
    "utforare:uppdrag_returnera": "uppdrag",
    "utforare:kontaktpersonal_avsluta": "kontaktpersonal",
    "utforare:samtycke_aterkalla": "samtycke",
    "utforare:anteckning_felmarkera": "daganteckning",
    "utforare:sammanstallning": "sammanstallning",
    "utforare:anteckningar_radera": "sammanstallning",
    "arenden:journal_felmarkera": "journal",
    "arenden:behorighet_aterkalla": "behorighet",
    "uppfoljning:visa": "uppfoljning",
    "uppfoljning:pdf": "uppfoljning",
    "uppfoljning:lexsarah_kontaktad": "lex_sarah",
}
# Fixed values for the remaining parameters.
FIXED = {
    "steg": "kommunicering",
    "typ": "kontakt_tagen",
    "regel": "GEN-KOMMUNICERING",
    "datum": "2026-03-23",
    "formular": "beslut",
    "annan": 1,
}


def routes() -> dict[str, list[str]]:
    """Return every named route outside admin and the public pages, with its parameters."""
    found: dict[str, list[str]] = {}

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and pattern.namespace else inner,
                )
            elif isinstance(pattern, URLPattern):
                if pattern.name is None or (pattern.name in PUBLIC_ROUTES and not namespace):
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = list(pattern.pattern.converters)

    walk(get_resolver().url_patterns, None)
    return found


def case_of(varld: Varld, route: str, kind: str) -> Any:
    fall = varld.fall[kind]
    return fall.sbms if route in SBMS_ROUTES else fall.arende


def url_for(varld: Varld, route: str, params: list[str], kind: str | None) -> str:
    """Return the route's URL for the case of `kind`, its parameters filled from the tables."""
    kwargs: dict[str, Any] = {}
    query = ""
    for param in params:
        assert kind is not None, route
        fall = varld.fall[kind]
        if param == "arende_id":
            kwargs[param] = case_of(varld, route, kind).arende_id
        elif param == "version":
            kwargs[param] = fall.ids["plan"]
        elif param in FIXED:
            kwargs[param] = FIXED[param]
        else:
            kwargs[param] = fall.ids[DOCUMENT_OF[route]]
    if route == "arenden:utkast":
        # The draft names its case in the query string.
        query = f"?arende={case_of(varld, route, kind or 'egen').arende_id}"
    return reverse(route, kwargs=kwargs) + query


def takes_case(route: str, params: list[str]) -> bool:
    return bool(params and params != ["formular"]) or route == "arenden:utkast"


@dataclass
class Svar:
    response: HttpResponse
    reads: list[Any]
    audit_rows: int


@contextmanager
def request(
    client: Client, method: str, url: str, data: dict[str, str] | None = None
) -> Iterator[Svar]:
    """Make one request inside a savepoint that is rolled back afterwards, so that a
    request that changes something (a revoked grant, an accepted uppdrag) leaves the city
    as it was for the next role; yield the response and the log rows it wrote first."""
    with transaction.atomic():
        before_access = AccessLog.objects.order_by("-id").values_list("id", flat=True).first()
        before_audit = AuditLog.objects.count()
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
        reads = list(AccessLog.objects.filter(id__gt=before_access or 0).order_by("id"))
        yield Svar(response, reads, AuditLog.objects.count() - before_audit)
        transaction.set_rollback(True)


def code(status: int) -> str:
    return CODES.get(status, f"<{status}>")
