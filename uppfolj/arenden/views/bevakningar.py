"""Worklists of bevakningar: the social worker's own, the unit's overdue ones, the start page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Distrikt, Roll
from uppfolj.audit.services import access_record
from uppfolj.domain.rules import DEADLINE_RULES
from uppfolj.domain.timeline import INSATS_NAMN

from ..models import Bevakning
from ..selectors import (
    SNART_DAGAR,
    bevakningar_gruppera,
    enhetens_forsenade_bevakningar,
    mina_bevakningar,
)
from ..templatetags.bevakningar import bevakning_status, dagar_kvar, regel_kalla, regel_text

ENHET_ROLLER = frozenset({Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Return ` name="value"` pairs as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class SnabbSelect(forms.Select):
    """A select written in Python with the markup of Django's select template.

    Django renders each option through a template include; the worklist's three
    filters have some 70 options, and rendering them was a fifth of the page's time.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts += [
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part is escaped above


class BevakningFilterForm(forms.Form):
    regel = forms.ChoiceField(
        label="Regel",
        required=False,
        widget=SnabbSelect,
        choices=[("", "Alla regler"), *((r.id, f"{r.id} – {r.text}") for r in DEADLINE_RULES)],
    )
    insats = forms.ChoiceField(
        label="Insats",
        required=False,
        choices=[("", "Alla insatser"), *INSATS_NAMN.items()],
        widget=SnabbSelect,
    )
    distrikt = forms.ModelChoiceField(
        label="Distrikt",
        required=False,
        queryset=Distrikt.objects.all(),
        empty_label="Alla distrikt",
        widget=SnabbSelect,
    )


# The columns a worklist row shows (worklist_rader), read without the rest of each row.
RAD_FALT = (
    "regel",
    "start",
    "forfaller",
    "status",
    "arende__arende_id",
    "arende__insats",
    "arende__person__fornamn",
    "arende__person__efternamn",
    "arende__person__personnummer",
)


# One row of arenden/bevakningar_rader.html. A worklist shows some 90 rows; written with
# format_html, once per row, instead of a dozen template variables, tags and filters per
# row, rendering the page takes a fraction of the time.
RAD_HTML = """
    <tr class="worklist-row status-{status}">
      <th scope="row" class="nowrap"><a href="{url}">{arende_id}</a><br><span class="muted">{insats}</span></th>
      <td>{person}<br><span class="muted nowrap">{personnummer}</span></td>
      <td class="regel">
        <details>
          <summary><span class="rule-id">{regel}</span> {regel_text}</summary>
          <p class="source">{regel_kalla}</p>
          <p class="muted">Startade {start}.</p>
        </details>
      </td>
      <td class="nowrap">{forfaller}</td>
      <td class="nowrap dagar">{kvar}</td>
      {handlaggare}
    </tr>
"""  # noqa: E501


def worklist_rader(
    bevakningar: Iterable[Bevakning], today: date, *, handlaggare: bool = False
) -> list[SafeString]:
    """Return the table row of each bevakning for arenden/bevakningar_rader.html, with
    the responsible social worker's name if `handlaggare`."""
    urls: dict[str, str] = {}
    rows = []
    for b in bevakningar:
        arende = b.arende
        url = urls.get(arende.arende_id)
        if url is None:
            url = urls[arende.arende_id] = reverse(
                "arenden:arende", kwargs={"arende_id": arende.arende_id}
            )
        namn = ""
        if handlaggare:
            namn = format_html(
                "<td>{}</td>",
                (arende.handlaggare.visningsnamn if arende.handlaggare else "") or "Ingen ansvarig",
            )
        rows.append(
            format_html(
                RAD_HTML,
                status=bevakning_status(b, today),
                url=url,
                arende_id=arende.arende_id,
                insats=INSATS_NAMN.get(arende.insats, arende.insats),  # get_insats_display()
                person=str(arende.person),
                personnummer=arende.person.personnummer,
                regel=b.regel,
                regel_text=regel_text(b.regel),
                regel_kalla=regel_kalla(b.regel),
                start=b.start.isoformat(),
                forfaller=b.forfaller.isoformat(),
                kvar=dagar_kvar(b, today),
                handlaggare=namn,
            )
        )
    return rows


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Send each role to its start page."""
    roll = getattr(request.user, "roll", "")
    if roll == Roll.SOCIALSEKRETERARE:
        return redirect("arenden:mina_bevakningar")
    if roll == Roll.ENHETSCHEF:
        return redirect("arenden:enhet_bevakningar")
    if roll in UTFORAR_ROLLER:
        return redirect("utforare:inkorg")
    return redirect("arenden:lista")


@login_required
def bevakningar_mina(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "roll", "") not in MYNDIGHET_ROLLER:
        raise PermissionDenied("Mina bevakningar visar bevakningar för ansvariga handläggare.")
    today = timezone.localdate()
    form = BevakningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = mina_bevakningar(
        user=request.user,
        regel=filters.get("regel", ""),
        insats=filters.get("insats", ""),
        distrikt_id=filters["distrikt"].pk if filters.get("distrikt") else None,
    )
    rows = rows.select_related(None).select_related("arende__person").only(*RAD_FALT)
    grupper = bevakningar_gruppera(rows, today)
    access_record(actor=request.user, arenden=grupper.arenden, view="mina_bevakningar")
    template = (
        "arenden/bevakningar_tabell.html"
        if request.headers.get("HX-Request")
        else "arenden/bevakningar.html"
    )
    context = {
        "form": form,
        "grupper": grupper,
        "rader": {
            "forsenade": worklist_rader(grupper.forsenade, today),
            "snart": worklist_rader(grupper.snart, today),
            "senare": worklist_rader(grupper.senare, today),
        },
        "today": today,
        "snart_dagar": SNART_DAGAR,
    }
    return render(request, template, context)


@login_required
def bevakningar_enhet(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "roll", "") not in ENHET_ROLLER:
        raise PermissionDenied(
            "Enhetens bevakningar är till för enhetschef och förste socialsekreterare."
        )
    today = timezone.localdate()
    rows = list(enhetens_forsenade_bevakningar(user=request.user, today=today))
    access_record(
        actor=request.user,
        arenden={b.arende_id: b.arende for b in rows}.values(),
        view="enhetens_bevakningar",
    )
    context = {"rows": rows, "rader": worklist_rader(rows, today, handlaggare=True), "today": today}
    return render(request, "arenden/bevakningar_enhet.html", context)
