"""Lex Sarah on a case: the report, the list of reports, and the social worker contacted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.access import can_handle
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import local_defaults
from uppfolj.arenden.views.common import visible_arende
from uppfolj.domain.rules import DEADLINE_RULES_BY_ID
from uppfolj.utforare.access import is_provider_staff

from ..forms_stodniva import KontaktadForm, LexSarahForm
from ..selectors_stodniva import lex_sarah_poster, uppfoljning_url
from ..services import lexsarah as services
from .stodniva import errors_to_form


def _frist() -> str:
    """Return SBMS-LEXSARAH's period as the municipality has set it ("1 vardag")."""
    period = DEADLINE_RULES_BY_ID["SBMS-LEXSARAH"].period
    assert period is not None
    return period.describe(local_defaults())


def _may_report(user: Any, arende: Arende) -> bool:
    return can_handle(user, arende) or (
        is_provider_staff(user) and arende.utforare_id == user.utforare_id
    )


def _reporter_arende(user: Any, arende_id: str, view: str) -> Arende:
    arende = visible_arende(user, arende_id, view=view)
    if not _may_report(user, arende):
        raise PermissionDenied("Din roll får inte hantera lex Sarah-rapporter i ärendet.")
    return arende


def _list(
    request: HttpRequest,
    arende: Arende,
    *,
    form: KontaktadForm | None = None,
    fel_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "arende": arende,
        "poster": lex_sarah_poster(arende),
        "kan_handlagga": can_handle(request.user, arende),
        "form": form or KontaktadForm(initial={"datum": today}),
        "fel_for": fel_for,
        "today": today,
        "regel": DEADLINE_RULES_BY_ID["SBMS-LEXSARAH"],
        "frist": _frist(),
        "uppfoljning_url": uppfoljning_url(arende),
    }
    return render(request, "uppfoljning/lexsarah.html", context, status=status)


@login_required
def lex_sarah_lista(request: HttpRequest, arende_id: str) -> HttpResponse:
    return _list(request, _reporter_arende(request.user, arende_id, "lex_sarah"))


@login_required
def lex_sarah_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _reporter_arende(request.user, arende_id, "lex_sarah_ny")
    status = 200
    if request.method == "POST":
        form = LexSarahForm(request.POST)
        if form.is_valid():
            try:
                services.lex_sarah_rapportera(
                    actor=request.user, arende=arende, **form.cleaned_data
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    "Lex Sarah-rapporten är registrerad. Ansvarig handläggare ska kontaktas "
                    "för uppföljning.",
                )
                return redirect("uppfoljning:lexsarah", arende_id=arende.arende_id)
        status = 400
    else:
        form = LexSarahForm(initial={"datum": timezone.localdate()})
    context = {
        "arende": arende,
        "form": form,
        "regel": DEADLINE_RULES_BY_ID["SBMS-LEXSARAH"],
        "frist": _frist(),
    }
    return render(request, "uppfoljning/lexsarah_ny.html", context, status=status)


@login_required
@require_POST
def lex_sarah_kontaktad(request: HttpRequest, arende_id: str, handelse_id: int) -> HttpResponse:
    arende = visible_arende(request.user, arende_id, view="lex_sarah_kontaktad")
    if not can_handle(request.user, arende):
        raise PermissionDenied("Endast myndighetens handläggare registrerar kontakten.")
    lex_sarah = arende.handelser.filter(pk=handelse_id, typ="lex_sarah").first()
    if lex_sarah is None:
        raise Http404("Rapporten finns inte i ärendet.")
    post = next((p for p in lex_sarah_poster(arende) if p.handelse.pk == lex_sarah.pk), None)
    if post is not None and not post.oppen:
        messages.error(request, "Handläggaren är redan kontaktad för rapporten.")
        return redirect("uppfoljning:lexsarah", arende_id=arende.arende_id)
    form = KontaktadForm(request.POST)
    if form.is_valid():
        try:
            services.lex_sarah_handlaggare_kontaktad(
                actor=request.user,
                arende=arende,
                lex_sarah=lex_sarah,
                datum=form.cleaned_data["datum"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                f"Handläggaren är registrerad som kontaktad {form.cleaned_data['datum']:%Y-%m-%d}. "
                "Följ upp rapporten med den enskilde och utföraren.",
            )
            return redirect("uppfoljning:lexsarah", arende_id=arende.arende_id)
    return _list(request, arende, form=form, fel_for=lex_sarah.pk, status=400)
