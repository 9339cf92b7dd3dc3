"""Who has read a case (ACC-LOGG) and who may read a protected one (ACC-SKYDDAD)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from uppfolj.accounts.models import UTFORAR_ROLLER, Roll
from uppfolj.audit.models import AccessLog
from uppfolj.audit.services import access_record

from ..access import BEHORIGHET_BEVILJARE
from ..behorighet import (
    behorighet_aterkalla,
    behorighet_ge,
    behorighet_kandidater,
    kan_hantera_behorigheter,
)
from ..models import Arende
from .common import visible_arende

LASLOGG_LASARE = frozenset({Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})
PAGE_SIZE = 50
# The views' names as the log stores them; a name not listed here is shown as stored.
VY_NAMN = {
    "arende": "Ärendesidan",
    "arendelista": "Ärendelistan",
    "mina_bevakningar": "Mina bevakningar",
    "enhetens_bevakningar": "Enhetens bevakningar",
    "paminnelse_epost": "Påminnelse per e-post",
    "varning_kvittera": "Kvittera varning",
    "utkast": "Utkast sparat",
    "journal": "Journalen",
    "journal_skriv": "Ny journalanteckning",
    "journal_felmarkera": "Felmarkering i journalen",
    "ivo": "Listan till IVO",
    "ivo_export": "Export till IVO",
    "lasloggen": "Läsloggen",
    "behorigheter": "Behörigheter",
    "sok": "Sök person",
    "gallring": "Gallring",
}


def vy_namn(vy: str) -> str:
    """Return the view's name for people."""
    if vy.startswith("steg:"):
        return f"Formulär: {vy.removeprefix('steg:')}"
    # A refused request is logged under its route's name (arenden.middleware).
    return VY_NAMN.get(vy.removeprefix("arenden:"), vy)


@login_required
def lasloggen(request: HttpRequest, arende_id: str) -> HttpResponse:
    user: Any = request.user
    if user.roll not in LASLOGG_LASARE:
        raise PermissionDenied("Läsloggen visas för enhetschef och förste socialsekreterare.")
    arende = visible_arende(user, arende_id, view="lasloggen")
    reads = (
        AccessLog.objects.filter(arende=arende).select_related("aktor").order_by("-tidpunkt", "-id")
    )
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [(read, vy_namn(read.vy)) for read in page.object_list]
    return render(
        request, "arenden/lasloggen.html", {"arende": arende, "page": page, "rader": rows}
    )


# --- Grants to protected cases ----------------------------------------------------------


class AnvandareField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = obj.utforare or obj.distrikt or ""
        return f"{obj.visningsnamn} – {obj.get_roll_display()}{f', {where}' if where else ''}"


class BeviljaForm(forms.Form):
    def __init__(self, *args: Any, kandidater: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anvandare"] = AnvandareField(
            queryset=kandidater,
            label="Användare",
            empty_label="Välj användare",
            error_messages={
                "required": "Välj en användare.",
                "invalid_choice": "Användaren kan inte få behörighet till ärendet.",
            },
        )


def _grants_arende(user: Any, arende_id: str) -> Arende:
    """Return the case whose grants `user` manages, logging the read; else 403 or 404."""
    if user.roll not in BEHORIGHET_BEVILJARE:
        raise PermissionDenied("Behörigheter hanteras av förste socialsekreterare och chefer.")
    # Not visible_to: a granter of the district must reach a protected case before
    # anyone is granted it (see behorighet.kan_hantera_behorigheter).
    arende = get_object_or_404(Arende.objects.select_related("person"), arende_id=arende_id)
    if not kan_hantera_behorigheter(user, arende):
        raise Http404("Ärendet finns inte")
    access_record(actor=user, arenden=[arende], view="behorigheter")
    return arende


def _render_grants(
    request: HttpRequest, arende: Arende, form: BeviljaForm, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    grants = list(
        arende.behorigheter.select_related(
            "anvandare", "anvandare__distrikt", "anvandare__utforare", "beviljad_av"
        ).order_by("anvandare__first_name", "anvandare__username")
    )
    rows = [
        (
            grant,
            user.roll not in UTFORAR_ROLLER or grant.anvandare.utforare_id == user.utforare_id,
        )
        for grant in grants
    ]
    context = {
        "arende_id": arende.arende_id,
        "skyddad": arende.person.skyddad_identitet,
        "rader": rows,
        "form": form,
        "har_sjalv": any(grant.anvandare_id == user.pk for grant in grants),
        "ser_arendet": Arende.objects.visible_to(user).filter(pk=arende.pk).exists(),
    }
    return render(request, "arenden/behorigheter.html", context, status=status)


@login_required
def behorigheter(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _grants_arende(request.user, arende_id)
    kandidater = behorighet_kandidater(actor=request.user, arende=arende)
    data = request.POST if request.method == "POST" else None
    form = BeviljaForm(data, kandidater=kandidater)
    if request.method != "POST":
        return _render_grants(request, arende, form)
    if form.is_valid():
        try:
            grant = behorighet_ge(
                actor=request.user, arende=arende, anvandare=form.cleaned_data["anvandare"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{grant.anvandare.visningsnamn} har fått behörighet till ärendet."
            )
            return redirect("arenden:behorigheter", arende_id=arende.arende_id)
    return _render_grants(request, arende, form, status=400)


@login_required
@require_POST
def behorighet_aterkalla_vy(
    request: HttpRequest, arende_id: str, behorighet_id: int
) -> HttpResponse:
    arende = _grants_arende(request.user, arende_id)
    grant = get_object_or_404(arende.behorigheter.select_related("anvandare"), pk=behorighet_id)
    behorighet_aterkalla(actor=request.user, behorighet=grant)
    messages.success(request, f"Behörigheten för {grant.anvandare.visningsnamn} är återkallad.")
    if not kan_hantera_behorigheter(request.user, arende):
        return redirect("arenden:lista")
    return redirect("arenden:behorigheter", arende_id=arende.arende_id)
