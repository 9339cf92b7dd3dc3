"""The forms of each step of the authority's process, and drafts kept as the user types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from personnummer import personnummer

from uppfolj.accounts.models import Distrikt

from .. import forms, services
from ..access import BEHORIGHET_BEVILJARE, can_handle
from ..models import Arende, Utkast
from .common import visible_arende


@dataclass(frozen=True)
class Steg:
    rubrik: str
    form: type[django_forms.Form]
    save: Callable[[Any, Arende, Any, dict[str, str]], Any]
    hjalp: str = ""
    tar_arende: bool = False


def _fields(form: Any, *names: str) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _model_fields(form: Any) -> dict[str, Any]:
    return _fields(form, *form._meta.fields)


def _event(typ: str) -> Callable[[Any, Arende, Any, dict[str, str]], Any]:
    def save(actor: Any, arende: Arende, form: Any, skal: dict[str, str]) -> Any:
        return services.handelse_registrera(
            actor=actor, arende=arende, typ=typ, datum=form.cleaned_data["datum"]
        )

    return save


def _ansokan(actor: Any, arende: Arende, form: Any, skal: dict[str, str]) -> Any:
    return services.ansokan_registrera(
        actor=actor,
        arende=arende,
        datum=form.cleaned_data["datum"],
        begard_minuter_per_vecka=form.begard_minuter_per_vecka,
        **_model_fields(form),
    )


def _utredning(actor: Any, arende: Arende, form: Any, skal: dict[str, str]) -> Any:
    return services.utredning_registrera(
        actor=actor,
        arende=arende,
        datum=form.cleaned_data["datum"],
        behov=form.behov(),
        **_model_fields(form),
    )


def _beslut(actor: Any, arende: Arende, form: Any, skal: dict[str, str]) -> Any:
    return services.beslut_fatta(
        actor=actor,
        arende=arende,
        skal=skal,
        **_fields(
            form,
            "datum",
            "utfall",
            "lagrum",
            "minuter_per_vecka",
            "fran",
            "till",
            "aterkallelseforbehall",
            "motivering",
        ),
    )


def _uppdrag(actor: Any, arende: Arende, form: Any, skal: dict[str, str]) -> Any:
    return services.uppdrag_skicka(
        actor=actor,
        arende=arende,
        datum=form.cleaned_data["datum"],
        skal=skal,
        **_model_fields(form),
    )


STEG: dict[str, Steg] = {
    "anmalan": Steg(
        "Anmälan om behov",
        forms.AnmalanForm,
        lambda actor, arende, form, skal: services.anmalan_registrera(
            actor=actor, arende=arende, datum=form.cleaned_data["datum"], **_model_fields(form)
        ),
        hjalp="Uppgifterna om anmälaren används för att nå anmälaren. Ingen information om "
        "ärendet lämnas ut till anmälaren (ACC-ANMALARE).",
    ),
    "ansokan": Steg(
        "Ansökan",
        forms.AnsokanForm,
        _ansokan,
        hjalp="Ange vem som ansöker, datum, om ansökan är muntlig eller skriftlig och om "
        "den enskilde ansöker om en viss omfattning (003 Hantera ansökan).",
    ),
    "utredning": Steg(
        "Utredning",
        forms.UtredningForm,
        _utredning,
        tar_arende=True,
        hjalp="Beskriv behovet inom de livsområden enligt IBIC som är aktuella.",
    ),
    "kommunicering": Steg(
        "Kommunicering av underlag",
        forms.KommuniceringForm,
        lambda actor, arende, form, skal: services.kommunicering_registrera(
            actor=actor, arende=arende, **_fields(form, "datum", "avbojd", "anteckning")
        ),
        hjalp="Den enskilde har rätt att läsa underlaget innan beslut. Avböjer hen, "
        "dokumenteras det i journalen och utföraren informeras i uppdraget.",
    ),
    "beslut": Steg("Beslut", forms.BeslutForm, _beslut, tar_arende=True),
    "uppdrag": Steg("Uppdrag till utförare", forms.UppdragForm, _uppdrag, tar_arende=True),
    "verkstallighet": Steg(
        "Verkställighet",
        forms.VerkstallighetForm,
        lambda actor, arende, form, skal: services.verkstallighet_registrera(
            actor=actor, arende=arende, **_fields(form, "datum", "grad")
        ),
        hjalp="Datum då den enskilde började få insatsen, helt eller delvis.",
    ),
    "paus": Steg(
        "Paus i insatsen",
        forms.HandelseForm,
        _event("paus"),
        hjalp="Till exempel frånvaro. Efter en månad görs en bedömning "
        "(GEN-FRANVARO-1M); ett avbrott över tre månader rapporteras till IVO.",
    ),
    "paus_bedomd": Steg("Fortsatt paus bedömd", forms.HandelseForm, _event("paus_bedomd")),
    "ateruppta": Steg("Insatsen återupptagen", forms.HandelseForm, _event("ateruppta")),
    "sjukhusinlaggning": Steg(
        "Sjukhusinläggning",
        forms.HandelseForm,
        _event("sjukhusinlaggning"),
        hjalp="Insatsen avslutas inte per automatik vid sjukhusvistelse.",
    ),
    "utskrivning": Steg("Utskrivning från sjukhus", forms.HandelseForm, _event("utskrivning")),
    "avslut": Steg(
        "Avsluta ärendet",
        forms.AvslutForm,
        lambda actor, arende, form, skal: services.avslut_registrera(
            actor=actor, arende=arende, datum=form.cleaned_data["datum"], **_model_fields(form)
        ),
        hjalp="Ange skälen och vilka åtgärder som vidtagits för att anpassa insatsen. "
        "Utföraren ombeds skriva en slutanteckning (BS-SLUTANT).",
    ),
}


def _draft(user: Any, formular: str, arende: Arende | None) -> Utkast | None:
    return Utkast.objects.filter(anvandare=user, formular=formular, arende=arende).first()


def _draft_data(draft: Utkast | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {key: values if len(values) > 1 else values[0] for key, values in draft.data.items()}


# The same words as the services' refusal (save_event, avslut_registrera).
AVSLUTAT = "Ärendet är avslutat; inget mer kan registreras i det."
AVSLUTAT_STEG = {"avslut": "Ärendet är redan avslutat."}


@login_required
def steg(request: HttpRequest, arende_id: str, steg: str) -> HttpResponse:
    spec = STEG.get(steg)
    if spec is None:
        raise Http404("Okänt steg")
    arende = visible_arende(request.user, arende_id, view=f"steg:{steg}")
    if not can_handle(request.user, arende):
        raise PermissionDenied("Din roll får inte registrera detta i ärendet.")
    if arende.ar_avslutat():
        # A closed case takes none of these steps: the page says so instead of offering a
        # form that would be refused.
        context = {
            "arende": arende,
            "steg": steg,
            "spec": spec,
            "avslutat": AVSLUTAT_STEG.get(steg, AVSLUTAT),
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "arenden/steg.html", context, status=status)
    form_kwargs: dict[str, Any] = {"arende": arende} if spec.tar_arende else {}
    draft = _draft(request.user, steg, arende)
    warnings: list[services.ProposedWarning] = []
    skal: dict[str, str] = {}
    if request.method == "POST":
        form = spec.form(request.POST, **form_kwargs)
        skal = {
            key.removeprefix("skal_"): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("skal_")
        }
        if form.is_valid():
            try:
                spec.save(request.user, arende, form, skal)
            except services.WarningsNeedReasons as error:
                warnings = error.warnings
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                if draft:
                    draft.delete()
                messages.success(request, f"Sparat: {spec.rubrik.lower()}.")
                return redirect("arenden:arende", arende_id=arende.arende_id)
        status = 400
    else:
        restored = _draft_data(draft)
        initial = restored or {"datum": timezone.localdate()}
        form = spec.form(initial=initial, **form_kwargs)
        status = 200
    return render(
        request,
        "arenden/steg.html",
        {
            "arende": arende,
            "steg": steg,
            "spec": spec,
            "form": form,
            "warnings": warnings,
            "skal": skal,
            "draft": draft if request.method == "GET" else None,
        },
        status=status,
    )


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def arende_nytt(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can_handle(user, None) or not getattr(user, "distrikt_id", None):
        raise PermissionDenied("Endast handläggare i ett distrikt öppnar ärenden.")
    if request.method == "POST":
        form = forms.NyttArendeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                person = form.person or services.person_registrera(
                    actor=user,
                    **{
                        k: data[k]
                        for k in (
                            "personnummer",
                            "fornamn",
                            "efternamn",
                            "kon",
                            "adress",
                            "postnummer",
                            "ort",
                            "telefon",
                            "skyddad_identitet",
                            "tolkbehov",
                            "akk_behov",
                        )
                    },
                    minderariga_barn=data.get("minderariga_barn") or 0,
                    fodd=_birth_date(data["personnummer"]),
                )
                arende = services.arende_oppna(
                    actor=user,
                    person=person,
                    insats=data["insats"],
                    distrikt=Distrikt.objects.get(pk=user.distrikt_id),
                    verksamhetsomrade=data["verksamhetsomrade"],
                    boendeform=data["boendeform"],
                )
                if person.skyddad_identitet and user.roll in BEHORIGHET_BEVILJARE:
                    services.behorighet_bevilja(actor=user, arende=arende, anvandare=user)
            if not Arende.objects.visible_to(user).filter(pk=arende.pk).exists():
                # ACC-SKYDDAD: only those granted by a förste socialsekreterare or enhetschef.
                messages.warning(
                    request,
                    f"Ärende {arende.arende_id} öppnat. Personen har skyddade personuppgifter: "
                    "be förste socialsekreterare eller enhetschef om behörighet till ärendet.",
                )
                return redirect("arenden:lista")
            messages.success(request, f"Ärende {arende.arende_id} öppnat.")
            return redirect("arenden:arende", arende_id=arende.arende_id)
        status = 400
    else:
        form = forms.NyttArendeForm()
        status = 200
    return render(request, "arenden/nytt.html", {"form": form}, status=status)


def _birth_date(number: str) -> Any:
    return personnummer.parse(number).get_date()


@login_required
@require_POST
def utkast_spara(request: HttpRequest, formular: str) -> HttpResponse:
    if formular not in STEG:
        raise Http404("Okänt formulär")
    user: Any = request.user
    # Every step form belongs to a case, and only those who may fill it in keep a draft.
    arende = visible_arende(user, request.GET.get("arende", ""), view="utkast")
    if not can_handle(user, arende):
        raise PermissionDenied("Din roll får inte registrera detta i ärendet.")
    # NUL cannot be typed, and PostgreSQL's jsonb refuses it: it is dropped, not stored.
    data = {
        k.replace("\x00", ""): [value.replace("\x00", "") for value in v]
        for k, v in request.POST.lists()
        if k != "csrfmiddlewaretoken"
    }
    Utkast.objects.update_or_create(
        anvandare=user, formular=formular, arende=arende, defaults={"data": data}
    )
    return HttpResponse(f"Utkast sparat {timezone.localtime():%H:%M:%S}")
