"""Pages of the authority side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uppfolj.audit.services import access_record

from ..access import names_hidden
from ..forms import ArendeFilterForm
from ..selectors import arenden_lista

PAGE_SIZE = 25


@login_required
def arende_lista(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ArendeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = arenden_lista(
        user=request.user,
        today=today,
        insats=filters.get("insats", ""),
        distrikt_id=filters["distrikt"].pk if filters.get("distrikt") else None,
        endast_forsenade=filters.get("endast_forsenade", False),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("sida"))
    page.object_list = list(page.object_list)
    access_record(actor=request.user, arenden=page.object_list, view="arendelista")
    template = (
        "arenden/_arende_tabell.html" if request.headers.get("HX-Request") else "arenden/lista.html"
    )
    context = {"form": form, "page": page, "today": today, "namn_dolda": names_hidden(request.user)}
    return render(request, template, context)
