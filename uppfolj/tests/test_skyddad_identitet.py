"""Protected identity (ACC-SKYDDAD, issue 7): the person's name, personnummer, address and
telephone never reach a user without the grant, in any page, export, PDF, e-mail or log.

The protected person of the test city (matris_varld) has distinctive values, so that a
search of each output is exact. Every page the authorization matrix lets a role reach is
rendered for every role of the cast (none of which has the grant), with the exports' text
extracted from the .xlsx and .pdf files; then the daily digest is sent and every log
message of the whole run, at DEBUG, is searched too.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import openpyxl
import pypdf
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import User
from uppfolj.arenden.models import Arende

from .matris_varld import (
    KINDS,
    SKYDDAD_ADRESS,
    SKYDDAD_EFTERNAMN,
    SKYDDAD_FORNAMN,
    SKYDDAD_ORT,
    SKYDDAD_TELEFON,
    TODAY,
    Varld,
)
from .matris_varld_http import ROLES, code, request, routes, takes_case, url_for
from .test_behorighetsmatris import MATRIX, parse

SKAL = "Granskning av handläggningstider 2026."


def needles(personnummer: str) -> list[str]:
    digits = re.sub(r"\D", "", personnummer)
    return [
        SKYDDAD_FORNAMN,
        SKYDDAD_EFTERNAMN,
        SKYDDAD_ADRESS,
        SKYDDAD_ORT,
        SKYDDAD_TELEFON,
        personnummer,
        digits,
        f"{digits[2:8]}-{digits[8:]}",
    ]


def text_of(response: HttpResponse) -> str:
    """Return what the user gets to read: the page, or the text of the .pdf or .xlsx file."""
    content = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        reader = pypdf.PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode("utf-8", errors="replace")


def found_in(text: str, words: list[str]) -> list[str]:
    # PDF text may break a line anywhere; compare with the whitespace taken out too.
    flat = re.sub(r"\s+", "", text)
    return [w for w in words if w in text or re.sub(r"\s+", "", w) in flat]


class Sokare:
    """Searches each rendered output for the protected person's details; keeps the hits."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.leaks: list[str] = []
        self.rendered = 0

    def __call__(self, where: str, response: HttpResponse, echo: str = "") -> None:
        self.rendered += 1
        # What the user typed is shown back to them (the search box): not a leak.
        text = text_of(response).replace(echo, "") if echo else text_of(response)
        if hit := found_in(text, self.words):
            self.leaks.append(f"{where}: {hit}")


@pytest.mark.parametrize("role", ROLES[:-1])
@time_machine.travel(TODAY, tick=False)
def test_a_protected_person_reaches_no_role_without_the_grant(
    varld: Varld, db: None, caplog: pytest.LogCaptureFixture, role: str
) -> None:
    caplog.set_level(logging.DEBUG)
    cast = varld.cast
    skyddad = varld.arende("skyddad")
    words = needles(skyddad.person.personnummer)
    expected = parse(MATRIX)
    look = Sokare(words)

    wrong: list[str] = []
    client = Client()
    client.force_login(cast[role])
    for route, params in sorted(routes().items()):
        method, cells = expected[route]
        if method != "GET":
            continue
        cell = cells[ROLES.index(role)]
        kinds = KINDS if takes_case(route, params) else (None,)
        for kind, want in zip(kinds, cell, strict=True):
            if want not in "2b":
                continue
            url = url_for(varld, route, list(params), kind)
            with request(client, "GET", url) as svar:
                look(f"{role} {url}", svar.response)
                # The matrix lays out no PDF (pdf_utan_layout): the real one is checked here.
                if (got := code(svar.response.status_code)) != want:
                    wrong.append(f"{role} {url}: expected {want}, got {got}")
    # Searching and opening a case by the protected person's name and number.
    queries = [SKYDDAD_EFTERNAMN, skyddad.person.personnummer, SKYDDAD_ADRESS]
    for name in ("arenden:sok", "arenden:lista"):
        for q in queries:
            with request(client, "GET", f"{reverse(name)}?q={q}") as svar:
                look(f"{role} {name} q={q}", svar.response, echo=q)
    with request(client, "POST", reverse("arenden:nytt"), _nytt(skyddad)) as svar:
        look(f"{role} arenden:nytt", svar.response, echo=skyddad.person.personnummer)
        if svar.response.status_code == 302:
            look(f"{role} arenden:nytt följd", client.get(svar.response["Location"]))
    for record in caplog.records:
        if hit := found_in(record.getMessage(), words):
            look.leaks.append(f"logg {record.name}: {hit}")
    assert look.rendered > 5, look.rendered
    assert not look.leaks, "\n".join(look.leaks)
    assert not wrong, "\n".join(wrong)


@time_machine.travel(TODAY, tick=False)
def test_a_protected_person_reaches_no_log_while_the_city_is_built(varld: Varld) -> None:
    # The city's cases, documents and grants are made through the services; whatever they
    # log (at DEBUG) while it is built is searched here, once, for every test of the city.
    words = needles(varld.arende("skyddad").person.personnummer)
    leaks = [
        f"logg {record.name}: {hit}"
        for record in varld.logg
        if (hit := found_in(record.getMessage(), words))
    ]
    assert not leaks, "\n".join(leaks)


@time_machine.travel(TODAY, tick=False)
def test_a_protected_person_reaches_no_inspector_e_mail_or_log(
    varld: Varld, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cast = varld.cast
    skyddad = varld.arende("skyddad")
    words = needles(skyddad.person.personnummer)
    look = Sokare(words)

    # The inspector reads an open case with a reason: the protected one stays closed.
    inspektor = Client()
    inspektor.force_login(cast["inspektor"])
    for arende in Arende.objects.all():
        for name in ("arenden:arende", "arenden:journal"):
            url = reverse(name, args=[arende.arende_id])
            with request(inspektor, "POST", url, {"skal": SKAL}) as svar:
                look(f"inspektor {url}", svar.response)

    # The daily digest: e-mail never names a protected person, granted or not.
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.se")
    Arende.objects.filter(arende_id__startswith="M-skyddad").update(
        handlaggare=varld.helpers["sekr"]
    )
    Arende.objects.exclude(arende_id__startswith="M-skyddad").update(
        handlaggare=cast["socialsekreterare"]
    )
    # BS-SAMMANST-89D of every case falls due on 27 June: within the digest's week.
    call_command("paminnelser", datum="2026-06-22", stdout=io.StringIO())
    # The helper is granted the protected case; the cast's social worker is not.
    assert {m.to[0] for m in mail.outbox} >= {
        "hjalp_sekr@example.se",
        "socialsekreterare@example.se",
    }
    for message in mail.outbox:
        body = message.body + "".join(str(a[0]) for a in getattr(message, "alternatives", []))
        if hit := found_in(message.subject + body, words):
            look.leaks.append(f"e-post till {message.to}: {hit}")

    for record in caplog.records:
        if hit := found_in(record.getMessage(), words):
            look.leaks.append(f"logg {record.name}: {hit}")
    assert look.rendered > 5, look.rendered
    assert not look.leaks, "\n".join(look.leaks)


def _nytt(skyddad: Arende) -> dict[str, Any]:
    return {
        "personnummer": skyddad.person.personnummer,
        "kon": skyddad.person.kon,
        "insats": "boendestod",
        "verksamhetsomrade": skyddad.verksamhetsomrade,
        "boendeform": "",
    }
