"""Worklists of bevakningar: the social worker's own, the unit's overdue ones, the start page."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from datetime import date
from html import escape
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Distrikt, Roll
from uppfolj.audit.services import access_record
from uppfolj.domain.rules import DEADLINE_RULES
from uppfolj.domain.timeline import INSATS_NAMN
from uppfolj.lib.kompilerad import kor

from ..selectors import (
    SNART_DAGAR,
    Bevakningsrad,
    bevakningar_gruppera,
    bevakningsrader,
    enhetens_forsenade_bevakningar,
    mina_bevakningsrader,
    skyddade_forsenade_dolda,
)
from ..templatetags.bevakningar import bevakning_status, dagar_kvar, regel_html

ENHET_ROLLER = frozenset({Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})


def _attrs(attrs: dict[str, Any]) -> str:
    """Return ` name="value"` pairs, escaped, as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class SnabbSelect(forms.Select):
    """A select written in Python with the markup of Django's select template, and kept
    per set of choices, selected value and attributes.

    Django renders each option through a template include; the worklist's three
    filters have some 70 options, and rendering them was a fifth of the page's time.
    The filters are the same on almost every page view; the district filter's choices
    are read each time, so a new district changes the key.
    """

    _markup: dict[tuple[Any, ...], SafeString]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each form's copy of the widget (a shallow copy, __deepcopy__) shares this dict.
        self._markup = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> SnabbSelect:
        # As ChoiceWidget's, but the copy shares the choices instead of normalising a
        # copy of them for every form: they are replaced, never changed in place (a
        # ModelChoiceField gives its copy's widget an iterator of its own).
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        memo[id(self)] = obj
        return obj

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = tuple(iter(self.choices))  # iter: no len(), which would count in SQL
        key = (
            name,
            tuple(self.format_value(value)),
            tuple(sorted((attrs or {}).items())),
            choices,
        )
        markup = self._markup.get(key)
        if markup is None:
            self.choices = list(choices)  # read once
            markup = self._skriv(name, value, attrs)
            if len(self._markup) < 1000:  # the values come from the query string
                self._markup[key] = markup
        return markup

    def _skriv(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(str(group_name))}">')
            parts += [
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{escape(str(option['label']))}</option>\n"
                for option in options
            ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value is escaped above


class _DistriktIterator(ModelChoiceIterator):
    """Every district as (pk, namn), by name: the district filter's options without a
    model instance per district, the query compiled once (`kor`)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from kor(
            ("distriktfiltret",),
            lambda: Distrikt.objects.order_by("namn", "pk").values_list("pk", "namn"),
            {},
        )


class DistriktField(forms.ModelChoiceField):
    """A choice of any district."""

    iterator = _DistriktIterator

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Distrikt.objects.all(), **kwargs)


class FastaVal(forms.ChoiceField):
    """A choice among fixed choices (the rule catalogue, the insatser): each form's copy
    of the field shares them (Form.__init__ deep-copies every field of every form)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> FastaVal:
        return cast(FastaVal, forms.Field.__deepcopy__(self, memo))


class BevakningFilterForm(forms.Form):
    regel = FastaVal(
        label="Regel",
        required=False,
        choices=[("", "Alla regler"), *((r.id, f"{r.id} – {r.text}") for r in DEADLINE_RULES)],
        widget=SnabbSelect,
    )
    insats = FastaVal(
        label="Insats",
        required=False,
        choices=[("", "Alla insatser"), *INSATS_NAMN.items()],
        widget=SnabbSelect,
    )
    distrikt = DistriktField(
        label="Distrikt",
        required=False,
        empty_label="Alla distrikt",
        widget=SnabbSelect,
    )


# A worklist's table: its rows (RAD_HTML) between the header and the foot. Written here
# with the rows, not by including a template per group (a tenth of the page's time).
TABELL_HTML = (
    '<table class="cases worklist" aria-labelledby="{label}">\n'
    "  <thead>\n"
    '    <tr><th scope="col">Ärende</th><th scope="col">Person</th>'
    '<th scope="col">Bevakning</th><th scope="col">Förfaller</th><th scope="col">Dagar</th>'
    "{handlaggare}</tr>\n"
    "  </thead>\n"
    "  <tbody>{rader}\n"
    "  </tbody>\n"
    "</table>\n"
)
HANDLAGGARE_TH = '<th scope="col">Ansvarig handläggare</th>'

# One row of a worklist's table. A worklist shows some 90 rows; each is
# written in Python from parts escaped once per case, per rule and per number of days
# left (the page took most of its time in a dozen template variables, tags and filters
# per row, then in format_html's escaping of every value of every row, then in
# str.format's keyword arguments).
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


def _delar(text: str, *names: str) -> tuple[str, ...]:
    """Return `text` cut at the placeholders `names`, in their order."""
    parts = []
    for name in names:
        head, text = text.split("{" + name + "}")
        parts.append(head)
    return (*parts, text)


# RAD_HTML cut where each row's own values go; the case's and the rule's parts between
# are written once per case and per rule.
_P = _delar(RAD_HTML, "status", "url", "regel", "start", "forfaller", "kvar", "handlaggare")


# Stands for the case id in the case page's URL, reversed once per list.
_ARENDE_ID = "ARENDE-ID"
# The characters `reverse` leaves unquoted in a path.
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


@functools.cache
def _regel_del(regel: str) -> str:
    """The row's rule cell up to its start date, written once per rule."""
    regel_id, text, kalla = regel_html(regel)
    return regel_id + _P[3].format(regel_text=text, regel_kalla=kalla)


@functools.lru_cache(maxsize=20_000)
def _arende_del(url_pattern: str, arende_id: str, insats: str, person: str, pnr: str) -> str:
    """The case's link and person cells of a row, escaped: kept per case (a worker's
    list shows the same cases view after view, the unit's list every case of it)."""
    url = escape(url_pattern.replace(_ARENDE_ID, quote(arende_id, safe=URL_SAFE)))
    return url + _P[2].format(
        arende_id=escape(arende_id),
        insats=escape(INSATS_NAMN.get(insats, insats)),
        person=escape(person),
        personnummer=escape(pnr),
    )


# A row's status class and days-left text by (status, days left): they depend on nothing
# else (`bevakning_status`, `dagar_kvar`), and every page shows the same few hundred.
_PER_DAG: dict[tuple[str, int], tuple[str, str]] = {}


def worklist_tabell(
    rows: Iterable[Bevakningsrad], today: date, *, label: str, handlaggare: bool = False
) -> SafeString:
    """Return the worklist table of `rows`, labelled by the heading with the id `label`,
    with a column for the responsible social worker if `handlaggare`."""
    return mark_safe(  # the rows are escaped by worklist_rader, the label is our own id
        TABELL_HTML.format(
            label=escape(label),
            handlaggare=HANDLAGGARE_TH if handlaggare else "",
            rader=worklist_rader(rows, today, handlaggare=handlaggare),
        )
    )


def worklist_rader(
    rows: Iterable[Bevakningsrad], today: date, *, handlaggare: bool = False
) -> SafeString:
    """Return the table rows of `rows` (RAD_HTML), with the responsible social worker's
    name if `handlaggare`. Every value is escaped (`escape`, as `format_html` would)
    before it goes into RAD_HTML's parts."""
    url_pattern = reverse("arenden:arende", kwargs={"arende_id": _ARENDE_ID})
    per_arende: dict[int, tuple[str, str]] = {}
    per_dag = _PER_DAG
    if len(per_dag) > 10_000:
        per_dag.clear()
    out: list[str] = []
    for row in rows:
        arende = per_arende.get(row.arende_pk)
        if arende is None:
            arende = per_arende[row.arende_pk] = (
                _arende_del(url_pattern, row.arende_id, row.insats, row.person, row.personnummer),
                f"<td>{escape(row.handlaggare or 'Ingen ansvarig')}</td>" if handlaggare else "",
            )
        key = (row.status, (row.forfaller - today).days)
        dag = per_dag.get(key)
        if dag is None:
            dag = per_dag[key] = (
                escape(bevakning_status(row, today)),
                escape(dagar_kvar(row, today)),
            )
        out += (
            _P[0],
            dag[0],
            _P[1],
            arende[0],
            _regel_del(row.regel),
            row.start.isoformat(),
            _P[4],
            row.forfaller.isoformat(),
            _P[5],
            dag[1],
            _P[6],
            arende[1],
            _P[7],
        )
    return mark_safe("".join(out))  # every value is escaped above


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
    rows = mina_bevakningsrader(
        user=request.user,
        regel=filters.get("regel", ""),
        insats=filters.get("insats", ""),
        distrikt_id=filters["distrikt"].pk if filters.get("distrikt") else None,
    )
    grupper = bevakningar_gruppera(rows, today)
    access_record(actor=request.user, arenden=grupper.arende_pks, view="mina_bevakningar")
    template = (
        "arenden/bevakningar_tabell.html"
        if request.headers.get("HX-Request")
        else "arenden/bevakningar.html"
    )
    context = {
        "form": form,
        "grupper": grupper,
        "tabeller": {
            "forsenade": worklist_tabell(grupper.forsenade, today, label="grupp-forsenade"),
            "snart": worklist_tabell(grupper.snart, today, label="grupp-snart"),
            "senare": worklist_tabell(grupper.senare, today, label="grupp-senare"),
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
    rows = bevakningsrader(
        enhetens_forsenade_bevakningar(user=request.user, today=today), handlaggare=True
    )
    access_record(
        actor=request.user,
        arenden=dict.fromkeys(row.arende_pk for row in rows),
        view="enhetens_bevakningar",
    )
    context = {
        "rows": rows,
        "tabell": worklist_tabell(rows, today, label="enhet-forsenade", handlaggare=True),
        "today": today,
        "dolda_skyddade": skyddade_forsenade_dolda(user=request.user, today=today),
    }
    return render(request, "arenden/bevakningar_enhet.html", context)
