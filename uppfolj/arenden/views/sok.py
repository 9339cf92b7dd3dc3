"""Search for a person by personnummer or name, among the cases the user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from personnummer import personnummer as pnr

from uppfolj.accounts.models import MYNDIGHET_ROLLER, Roll
from uppfolj.audit.services import access_record

from ..access import names_hidden
from ..models import Arende, Person

SOKARE = MYNDIGHET_ROLLER | {Roll.INSPEKTOR}
MAX_TRAFFAR = 50
MIN_NAMN = 2

TOM_FRAGA = "Skriv ett personnummer eller ett namn att söka på."
KORT_FRAGA = f"Skriv minst {MIN_NAMN} bokstäver av namnet."
OGILTIGT_PNR = "Personnumret är inte giltigt. Skriv hela numret, till exempel 19121212-1212."


@dataclass(frozen=True)
class Sokfraga:
    """A parsed query: a normalised personnummer, or the words of a name."""

    personnummer: str | None = None
    namn: tuple[str, ...] = ()


def tolka_sokfraga(text: str) -> Sokfraga:
    """Return the parsed query; raise ValueError with the message to show."""
    text = text.strip()
    if not text:
        raise ValueError(TOM_FRAGA)
    if any(char.isdigit() for char in text):
        # 19121212-1212, 121212-1212, 191212121212, 121212+1212; spaces and dashes as typed.
        compact = re.sub(r"[\s\u2010-\u2015]", lambda m: "" if m[0].isspace() else "-", text)
        if not pnr.valid(compact):
            raise ValueError(OGILTIGT_PNR)
        long_form = pnr.parse(compact).format(long_format=True)
        return Sokfraga(personnummer=f"{long_form[:8]}-{long_form[8:]}")
    if len(text.replace(" ", "")) < MIN_NAMN:
        raise ValueError(KORT_FRAGA)
    return Sokfraga(namn=tuple(text.split()))


def arenden_sok(*, user: Any, fraga: Sokfraga) -> QuerySet[Arende]:
    """Return the cases `user` may see whose person matches the query."""
    cases = Arende.objects.visible_to(user)
    if fraga.personnummer:
        cases = cases.filter(person__personnummer=fraga.personnummer)
    for word in fraga.namn:
        # iregex, not icontains: SQLite's LIKE folds only ASCII, so "åsa" would miss "Åsa".
        pattern = re.escape(word)
        cases = cases.filter(
            Q(person__fornamn__iregex=pattern) | Q(person__efternamn__iregex=pattern)
        )
    return cases.select_related("person", "distrikt", "utforare", "handlaggare").order_by(
        "person__efternamn", "person__fornamn", "person_id", "arende_id"
    )


@dataclass
class Traff:
    person: Person
    arenden: list[Arende] = field(default_factory=list)


@login_required
def sok(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.roll not in SOKARE:
        raise PermissionDenied("Sök person används av myndighetens personal och inspektörer.")
    text = request.GET.get("q")
    context: dict[str, Any] = {"q": text or "", "namn_dolda": names_hidden(user)}
    if text is None:
        return render(request, "arenden/sok.html", context)
    try:
        fraga = tolka_sokfraga(text)
    except ValueError as error:
        context["fel"] = str(error)
        return render(request, "arenden/sok.html", context, status=400)
    cases = list(arenden_sok(user=user, fraga=fraga)[: MAX_TRAFFAR + 1])
    context["fler"] = len(cases) > MAX_TRAFFAR
    cases = cases[:MAX_TRAFFAR]
    access_record(actor=user, arenden=cases, view="sok")
    hits: dict[int, Traff] = {}
    for arende in cases:
        hits.setdefault(arende.person_id, Traff(arende.person)).arenden.append(arende)
    context.update(traffar=list(hits.values()), antal=len(cases))
    return render(request, "arenden/sok.html", context)
