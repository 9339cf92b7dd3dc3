"""The case page: person, decision, uppdrag, bevakningar, warnings, events, next step."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from uppfolj.domain.timeline import EVENT_TYPES

from .. import services
from ..access import can_handle, names_hidden
from ..forms import OppnaMedSkalForm
from ..models import Arende, Bevakning, Handelse
from ..selectors import arende_detalj
from ..templatetags.bevakningar import (
    bevakning_status,
    dagar_kvar,
    delade_bevakningar,
    handelse_detalj,
    regel_html,
    status_namn,
)
from .common import visible_arende

# The case page's repeated rows, written with format_html once per row rather than with
# a template include and a dozen tags and filters per row: a case has some 40 events
# and 13 bevakningar. BEVAKNING_HTML is the markup of arenden/_bevakning.html.
BEVAKNING_HTML = """<li class="bevakning status-{status}">
  <details>
    <summary><span class="rule-id">{regel}</span> <span class="status">{status_namn}</span>
      <span class="due">{due}</span>
      {kvar}</summary>
    <p>{regel_text}. Startade {start}, förfaller {forfaller}.</p>
    <p class="source">{regel_kalla}</p>
  </details>
</li>"""
HANDELSE_HTML = """
      <li><time datetime="{datum}">{datum}</time> {typ}{detalj}
        {av}</li>
    """


def bevakning_html(b: Bevakning, today: date) -> SafeString:
    """Return one bevakning as arenden/_bevakning.html shows it; every value is escaped
    (`escape`, as format_html would)."""
    status = bevakning_status(b, today)
    kvar = dagar_kvar(b, today)
    regel, text, kalla = regel_html(b.regel)
    return mark_safe(
        BEVAKNING_HTML.format(
            status=escape(status),
            regel=regel,
            status_namn=escape(status_namn(status)),
            due=b.uppfylld.isoformat() if b.uppfylld else f"förfaller {b.forfaller.isoformat()}",
            kvar=f'<span class="days">({escape(kvar)})</span>' if kvar else "",
            regel_text=text,
            start=b.start.isoformat(),
            forfaller=b.forfaller.isoformat(),
            regel_kalla=kalla,
        )
    )


@functools.cache
def _typ_html(typ: str) -> str:
    return escape(str(EVENT_TYPES.get(typ, typ)))  # as get_typ_display(), without its cost


def handelse_html(h: Handelse) -> SafeString:
    """Return one event of the case's timeline; every value is escaped."""
    detalj = handelse_detalj(h)
    av = h.registrerad_av
    return mark_safe(
        HANDELSE_HTML.format(
            datum=h.datum.isoformat(),
            typ=_typ_html(h.typ),
            detalj=f': <span class="detail">{escape(detalj)}</span>' if detalj else "",
            av=f'<span class="muted">– {escape(av.visningsnamn)}</span>' if av else "",
        )
    )


# The steps a social worker may register at any time ("Registrera annat").
ANNAT_STEG = (
    ("anmalan", "Anmälan om behov"),
    ("ansokan", "Ansökan"),
    ("utredning", "Utredning"),
    ("kommunicering", "Kommunicering"),
    ("beslut", "Beslut"),
    ("uppdrag", "Uppdrag till utförare"),
    ("verkstallighet", "Verkställighet"),
    ("paus", "Paus"),
    ("paus_bedomd", "Fortsatt paus bedömd"),
    ("ateruppta", "Återupptagen"),
    ("sjukhusinlaggning", "Sjukhusinläggning"),
    ("utskrivning", "Utskrivning från sjukhus"),
    ("avslut", "Avsluta ärendet"),
)


def annat_steg(arende: Arende) -> list[tuple[str, str]]:
    """Return the URL and name of each of ANNAT_STEG on `arende` (one URL reversed)."""
    head, _, tail = reverse("arenden:steg", args=[arende.arende_id, "STEG"]).rpartition("/STEG/")
    return [(f"{head}/{steg}/{tail}", namn) for steg, namn in ANNAT_STEG]


def _rader(rader: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(rader))  # each row is escaped by format_html


def sida_kontext(arende: Arende, today: date, **extra: Any) -> dict[str, Any]:
    """Return what arenden/arende.html shows of `arende`, its rows already written."""
    context = arende_detalj(arende, today)
    delade = delade_bevakningar(context["bevakningar"], today)
    context.update(
        arende=arende,
        # Each list as one text: the template's loop over a hundred rows cost more than
        # writing them.
        bevakningar_aktuella=_rader(bevakning_html(b, today) for b in delade["aktuella"]),
        bevakningar_avklarade=_rader(bevakning_html(b, today) for b in delade["avklarade"]),
        tidslinje=_rader(handelse_html(h) for h in context["handelser"]),
        annat_steg=annat_steg(arende),
        **extra,
    )
    return context


@login_required
def arende_sida(request: HttpRequest, arende_id: str) -> HttpResponse:
    reason = ""
    if names_hidden(request.user):
        # An inspector opens a case with a stated reason, kept in the access log.
        form = OppnaMedSkalForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            if not Arende.objects.visible_to(request.user).filter(arende_id=arende_id).exists():
                raise Http404("Ärendet finns inte")
            status = 400 if request.method == "POST" else 200
            context = {"form": form, "arende_id": arende_id}
            return render(request, "arenden/oppna_med_skal.html", context, status=status)
        reason = form.cleaned_data["skal"]
    arende = visible_arende(request.user, arende_id, view="arende", reason=reason)
    context = sida_kontext(
        arende, timezone.localdate(), kan_handlagga=can_handle(request.user, arende)
    )
    return render(request, "arenden/arende.html", context)


@login_required
@require_POST
def varning_kvittera(request: HttpRequest, arende_id: str, regel: str, datum: str) -> HttpResponse:
    arende = visible_arende(request.user, arende_id, view="varning_kvittera")
    try:
        warning_date = date.fromisoformat(datum)
    except ValueError:
        raise Http404("Okänt datum") from None
    try:
        services.varning_kvittera(
            actor=request.user,
            arende=arende,
            regel=regel,
            datum=warning_date,
            skal=request.POST.get("skal", ""),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            # The warning is unknown or already acknowledged: the page shows no form for it.
            messages.error(request, " ".join(error.messages))
            return redirect("arenden:arende", arende_id=arende.arende_id)
        context = sida_kontext(
            arende,
            timezone.localdate(),
            kan_handlagga=True,
            kvittens_fel={regel: error.messages[0]},
        )
        return render(request, "arenden/arende.html", context, status=400)
    return redirect("arenden:arende", arende_id=arende.arende_id)
