"""Pages of the follow-up: book the meeting, prepare, register, read and print."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.access import can_handle, names_hidden
from uppfolj.arenden.forms import skal_formular
from uppfolj.arenden.models import Arende, Utkast
from uppfolj.arenden.views.common import visible_arende
from uppfolj.audit.services import access_record, access_refused
from uppfolj.domain import checklistor
from uppfolj.lib.pdf import pdf_response

from ..forms_uppfoljning import MoteForm, UppfoljningForm
from ..models import Uppfoljning, Uppfoljningsmote
from ..selectors_uppfoljning import bokade_moten, forberedelse, kan_lasa, kontaktpersonal
from ..selectors_uppfoljning import tidssammanfattning as tid_sammanfattning
from ..services.uppfoljning import (
    UppfoljningKonflikt,
    uppfoljning_grundversion,
    uppfoljning_registrera,
    uppfoljningsmote_boka,
)

UTKAST = "uppfoljning"
EJ_HANDLAGGA = "Din roll får inte registrera detta i ärendet."
AVSLUTAT = "Ärendet är avslutat; inget mer kan registreras i det."


def _handlaggbart(request: HttpRequest, arende_id: str, *, view: str) -> Arende:
    arende = visible_arende(request.user, arende_id, view=view)
    if not can_handle(request.user, arende):
        raise PermissionDenied(EJ_HANDLAGGA)
    return arende


def _avslutat(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse | None:
    """Answer a closed case's form page with the refusal instead of a form the service refuses."""
    if not context["arende"].ar_avslutat():
        return None
    context["avslutat"] = AVSLUTAT
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Booking the meeting -------------------------------------------------------------------


def _kallbara(arende: Arende, user: Any) -> list[str]:
    handlaggare = arende.handlaggare or user
    return [
        f"{arende.person} (den enskilde)",
        f"{handlaggare.visningsnamn} (ansvarig socialsekreterare)",
        *(
            f"{p.visningsnamn} (kontaktpersonal)"
            for p in kontaktpersonal(arende, timezone.localdate())
        ),
    ]


@login_required
def mote_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _handlaggbart(request, arende_id, view="uppfoljningsmote_boka")
    context: dict[str, Any] = {"arende": arende, "moten": bokade_moten(arende)}
    if refused := _avslutat(request, "uppfoljning/mote_ny.html", context):
        return refused
    kallbara = _kallbara(arende, request.user)
    if request.method == "POST":
        form = MoteForm(request.POST, kallbara=kallbara)
        if form.is_valid():
            try:
                mote = uppfoljningsmote_boka(
                    actor=request.user,
                    arende=arende,
                    tid=form.cleaned_data["tid"],
                    form=form.cleaned_data["form"],
                    plats=form.cleaned_data["plats"],
                    kallade=form.kallade_lista(),
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                tid = timezone.localtime(mote.tid)
                messages.success(request, f"Uppföljningsmötet är bokat {tid:%Y-%m-%d %H:%M}.")
                return redirect("uppfoljning:forberedelse", arende_id=arende.arende_id)
        status = 400
    else:
        form = MoteForm(kallbara=kallbara)
        status = 200
    context["form"] = form
    return render(request, "uppfoljning/mote_ny.html", context, status=status)


# --- Preparing -----------------------------------------------------------------------------


@login_required
def forberedelse_sida(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _handlaggbart(request, arende_id, view="uppfoljning_forberedelse")
    today = timezone.localdate()
    context = {"arende": arende, "f": forberedelse(arende, request.user, today), "today": today}
    return render(request, "uppfoljning/forberedelse.html", context)


# --- Registering the follow-up -------------------------------------------------------------


def _initial(arende: Arende, checklista: checklistor.Checklista) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "grundversion": uppfoljning_grundversion(arende),
        "datum": today,
        "nasta_mote": checklistor.nasta_mote_forslag(
            checklista, today, tatare_uppfoljning=arende.tatare_uppfoljning
        ),
    }
    # The meeting held most recently, up to today, is the one being recorded.
    held = [m for m in bokade_moten(arende) if timezone.localtime(m.tid).date() <= today]
    if held:
        initial["mote"] = held[-1].pk
    if any(f.key == "tid_anvand" for f in checklista.fragor):
        summary = tid_sammanfattning(arende, today)
        if summary:
            initial["tid_anvand"] = summary.text
    return initial


def _draft_data(draft: Utkast) -> dict[str, Any]:
    data = {key: values if len(values) > 1 else values[0] for key, values in draft.data.items()}
    if "grundversion" not in data and draft.arende is not None:
        # A draft kept before forms carried their version: it started no later than it was
        # saved, so a follow-up registered after that is one its author has not seen.
        data["grundversion"] = draft.arende.uppfoljningar.filter(skapad__lte=draft.sparat).count()
    return data


def _konflikt(
    request: HttpRequest, arende: Arende, form_kwargs: dict[str, Any], error: UppfoljningKonflikt
) -> tuple[UppfoljningForm, dict[str, Any]]:
    """Return the user's input bound again on the newer follow-ups, and keep it as their draft."""
    data = request.POST.copy()
    data["grundversion"] = str(error.aktuell)
    again = UppfoljningForm(data, **form_kwargs)
    again.is_valid()
    user: Any = request.user
    # Nothing is lost if the user leaves to read the other follow-up: the input is the draft.
    Utkast.objects.update_or_create(
        anvandare=user,
        formular=UTKAST,
        arende=arende,
        defaults={"data": {k: v for k, v in data.lists() if k != "csrfmiddlewaretoken"}},
    )
    senaste = arende.uppfoljningar.select_related("skriven_av").order_by("-skapad", "-pk")
    return again, {"meddelande": error.meddelande, "uppfoljning": senaste.first()}


@login_required
def uppfoljning_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _handlaggbart(request, arende_id, view="uppfoljning_registrera")
    checklista = checklistor.checklista_for(arende.insats)
    closed = {"arende": arende, "checklista": checklista}
    if refused := _avslutat(request, "uppfoljning/uppfoljning_ny.html", closed):
        return refused
    form_kwargs: dict[str, Any] = {
        "checklista": checklista,
        "boendeform": arende.boendeform or None,
        "moten": arende.uppfoljningsmoten.filter(status=Uppfoljningsmote.Status.BOKAT),
    }
    user: Any = request.user
    draft = Utkast.objects.filter(anvandare=user, formular=UTKAST, arende=arende).first()
    konflikt: dict[str, Any] | None = None
    if request.method == "POST":
        form = UppfoljningForm(request.POST, **form_kwargs)
        status = 400
        if form.is_valid():
            try:
                uppfoljning = uppfoljning_registrera(
                    actor=user, arende=arende, **form.service_kwargs()
                )
            except UppfoljningKonflikt as error:
                form, konflikt = _konflikt(request, arende, form_kwargs, error)
                status = 409
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                if draft:
                    draft.delete()
                messages.success(request, "Uppföljningen är registrerad.")
                return redirect("uppfoljning:visa", pk=uppfoljning.pk)
    else:
        initial = _draft_data(draft) if draft else _initial(arende, checklista)
        form = UppfoljningForm(initial=initial, **form_kwargs)
        status = 200
    context = {
        "arende": arende,
        "form": form,
        "checklista": checklista,
        "draft": draft if request.method == "GET" else None,
        "konflikt": konflikt,
    }
    return render(request, "uppfoljning/uppfoljning_ny.html", context, status=status)


@login_required
@require_POST
def utkast_spara(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _handlaggbart(request, arende_id, view="uppfoljning_utkast")
    # NUL cannot be typed, and PostgreSQL's jsonb refuses it: it is dropped, not stored.
    data = {
        k.replace("\x00", ""): [value.replace("\x00", "") for value in v]
        for k, v in request.POST.lists()
        if k != "csrfmiddlewaretoken"
    }
    user: Any = request.user
    Utkast.objects.update_or_create(
        anvandare=user, formular=UTKAST, arende=arende, defaults={"data": data}
    )
    return HttpResponse(f"Utkast sparat {timezone.localtime():%H:%M:%S}")


# --- Reading and printing ------------------------------------------------------------------


LasMedSkalForm = skal_formular("läsa uppföljningen")


def _lasbar(request: HttpRequest, pk: int, *, view: str) -> tuple[Uppfoljning, str] | HttpResponse:
    """Return the follow-up and the reader's reason if the user may see its case (404) and
    reads follow-ups (403).

    An inspector reads it only with a stated reason, as the case page and the journal
    ask: until one is given, the answer is the page asking for it.
    """
    uppfoljning = get_object_or_404(
        Uppfoljning.objects.select_related(
            "arende__person", "arende__distrikt", "arende__utforare", "skriven_av", "mote"
        ),
        pk=pk,
    )
    # The URL names the follow-up, not its case: log a refusal here (ACC-LOGG).
    if not Arende.objects.visible_to(request.user).filter(pk=uppfoljning.arende_id).exists():
        access_refused(actor=request.user, arende=uppfoljning.arende, view=view)
        raise Http404("Uppföljningen finns inte.")
    if not kan_lasa(request.user):
        access_refused(actor=request.user, arende=uppfoljning.arende, view=view)
        raise PermissionDenied("Din roll läser inte uppföljningar.")
    reason = ""
    if names_hidden(request.user):
        form = LasMedSkalForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            context = {
                "form": form,
                "arende_id": uppfoljning.arende.arende_id,
                "pdf": view == "uppfoljning_pdf",
            }
            status = 400 if request.method == "POST" else 200
            return render(request, "uppfoljning/las_med_skal.html", context, status=status)
        reason = form.cleaned_data["skal"]
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    access_record(actor=request.user, arenden=[uppfoljning.arende], view=view, reason=reason)
    return uppfoljning, reason


def _url(name: str, *args: Any) -> str | None:
    # Some pages (the support level, the fee check) are built beside this one; link to
    # them once they exist.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _steg_url(mal: str | None, arende: Arende) -> str | None:
    if mal in (checklistor.STEG_UPPDRAG, checklistor.STEG_UTREDNING):
        return _url("arenden:steg", arende.arende_id, mal)
    if mal == checklistor.STEG_STODNIVA:
        return _url("uppfoljning:stodniva", arende.arende_id)
    if mal == checklistor.STEG_AVGIFT:
        return _url("uppfoljning:avgift", arende.arende_id)
    return None


LANKTEXT = {
    checklistor.STEG_UPPDRAG: "Till uppdraget",
    checklistor.STEG_UTREDNING: "Till utredningen",
    checklistor.STEG_STODNIVA: "Ändra stödnivån",
    checklistor.STEG_AVGIFT: "Kontrollera egenavgift och hyra",
}


def _dokument(uppfoljning: Uppfoljning) -> dict[str, Any]:
    checklista = checklistor.CHECKLISTOR_BY_KEY[uppfoljning.checklista]
    boendeform = uppfoljning.arende.boendeform or None
    rader = checklistor.svarsrader(checklista, uppfoljning.svar, boendeform)
    return {
        "u": uppfoljning,
        "arende": uppfoljning.arende,
        "checklista": checklista,
        "grupper": [(rubrik, list(rows)) for rubrik, rows in groupby(rader, lambda r: r.grupp)],
        "s": checklista.stallningstagande,
    }


@login_required
def uppfoljning_visa(request: HttpRequest, pk: int) -> HttpResponse:
    lasbar = _lasbar(request, pk, view="uppfoljning")
    if isinstance(lasbar, HttpResponse):
        return lasbar
    uppfoljning, skal = lasbar
    context = _dokument(uppfoljning)
    arende = uppfoljning.arende
    steg = []
    if can_handle(request.user, arende):
        for step in checklistor.nasta_steg(
            context["checklista"], uppfoljning.svar, uppfoljning.atgard
        ):
            steg.append(
                {
                    "text": step.text,
                    "varning": step.varning,
                    "url": _steg_url(step.mal, arende),
                    "lanktext": LANKTEXT.get(step.mal or ""),
                }
            )
    # The inspector prints with the reason just given; the print is logged as its own read.
    context.update(nasta_steg=steg, namn_dolda=names_hidden(request.user), skal=skal)
    return render(request, "uppfoljning/uppfoljning.html", context)


@login_required
def uppfoljning_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    lasbar = _lasbar(request, pk, view="uppfoljning_pdf")
    if isinstance(lasbar, HttpResponse):
        return lasbar
    uppfoljning = lasbar[0]
    context = {**_dokument(uppfoljning), "namn_dolda": names_hidden(request.user)}
    return pdf_response(
        request,
        "uppfoljning/uppfoljning_pdf.html",
        context,
        filename=f"uppfoljning-{uppfoljning.arende.arende_id}-{uppfoljning.datum:%Y-%m-%d}.pdf",
    )
