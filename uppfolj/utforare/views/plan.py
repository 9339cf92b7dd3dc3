"""The genomförandeplan's pages: a new version, the versions, one version, a diff and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from uppfolj.accounts.models import MYNDIGHET_ROLLER
from uppfolj.arenden.models import Arende
from uppfolj.audit.services import access_record
from uppfolj.lib.pdf import pdf_response

from ..access import may_read_plan, provider_arende
from ..forms_plan import (
    DelmalFormSet,
    KopiaForm,
    PlanForm,
    as_initial,
    forslag_infoga,
)
from ..models import Genomforandeplan
from ..services import plan as plan_services
from ..services.plan import delmal_som_data, plan_senaste

PREFIX = "delmal"


class SamtyckeSaknas(PermissionDenied):
    """The social worker asks for a private provider's plan without the individual's consent."""


def plan_arende(user: Any, arende_id: str, *, view: str) -> Arende:
    """Return the case whose plan `user` may read, logging the read; 404 or 403 otherwise."""
    arende = get_object_or_404(
        Arende.objects.visible_to(user).select_related("person", "utforare", "distrikt"),
        arende_id=arende_id,
    )
    if not may_read_plan(user, arende):
        if user.roll in MYNDIGHET_ROLLER:
            raise SamtyckeSaknas(arende)
        raise PermissionDenied("Din roll får inte läsa genomförandeplanen.")
    access_record(actor=user, arenden=[arende], view=view)
    return arende


def _refused(request: HttpRequest, error: SamtyckeSaknas) -> HttpResponse:
    arende = error.args[0]
    return render(request, "utforare/plan_sekretess.html", {"arende": arende}, status=403)


def _plan_reader(view_name: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Wrap a view that reads the plan: it gets the case, or the consent page is shown."""

    def decorate(view: Callable[..., HttpResponse]) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, arende_id: str, **kwargs: Any) -> HttpResponse:
            label = ":".join([view_name, *(str(v) for v in kwargs.values())])
            try:
                arende = plan_arende(request.user, arende_id, view=label)
            except SamtyckeSaknas as error:
                return _refused(request, error)
            return view(request, arende, **kwargs)

        return login_required(wrapped)

    return decorate


def _version(arende: Arende, version: int) -> Genomforandeplan:
    return get_object_or_404(
        Genomforandeplan.objects.select_related("skapad_av", "handelse").prefetch_related("delmal"),
        arende=arende,
        version=version,
    )


def _new_forms(arende: Arende) -> tuple[PlanForm, Any, Genomforandeplan | None]:
    senaste = plan_senaste(arende)
    initial: dict[str, Any] = {
        "datum": timezone.localdate(),
        "grundversion": senaste.version if senaste else 0,
    }
    delmal: list[dict[str, Any]] = [{}]
    if senaste is not None:
        # A revision starts from the latest version; the copy of the new one is not yet handed.
        initial |= {
            name: getattr(senaste, name)
            for name in PlanForm.Meta.fields
            if name not in ("delaktighet", "kopia_overlamnad")
        }
        initial["delaktighet"] = "1" if senaste.delaktighet else "0"
        delmal = delmal_som_data(senaste) or [{}]
    return PlanForm(initial=initial), DelmalFormSet(initial=delmal, prefix=PREFIX), senaste


def _errors_to_forms(form: PlanForm, formset: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    filled = formset.ifyllda()
    for key, errors in error.message_dict.items():
        if key.startswith(f"{PREFIX}-"):
            _, index, field = key.split("-", 2)
            target = filled[int(index)]
            target.add_error(field if field in target.fields else None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


def _konflikt(
    arende: Arende, data: Any, error: plan_services.PlanKonflikt, *, grund: int
) -> tuple[PlanForm, Any, dict[str, Any]]:
    """Return the user's input bound again on the newer version, and what that version changed."""
    data = data.copy()
    data["grundversion"] = str(error.aktuell)
    form, formset = PlanForm(data), DelmalFormSet(data, prefix=PREFIX)
    form.is_valid()
    formset.is_valid()
    senaste = _version(arende, error.aktuell)
    sedan = arende.planer.filter(version__gt=grund).count()
    tidigare = (
        arende.planer.prefetch_related("delmal").filter(version=grund).first() if grund else None
    )
    konflikt = {
        "meddelande": error.meddelande,
        "senaste": senaste,
        "antal_nya": sedan,
        "diff": plan_services.plan_jamfor(tidigare, senaste) if tidigare else None,
        "fran": tidigare,
    }
    return form, formset, konflikt


@login_required
def plan_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="plan_ny")
    formset: Any
    form, formset, senaste = _new_forms(arende)
    if arende.ar_avslutat():
        # A closed case takes no new plan version: the page says so instead of offering a
        # form that would be refused.
        context = {"arende": arende, "senaste": senaste, "avslutat": True}
        status = 400 if request.method == "POST" else 200
        return render(request, "utforare/plan_ny.html", context, status=status)
    status, notice = 200, ""
    konflikt: dict[str, Any] | None = None
    if request.method == "POST":
        data, added = forslag_infoga(request.POST, PREFIX)
        form = PlanForm(data)
        formset = DelmalFormSet(data, prefix=PREFIX)
        if "lagg_till" in data or "infoga" in data:
            # Adding a sub-goal or suggestions shows the form again, unsaved and without errors.
            delmal = [as_initial(f) for f in formset.forms if not f["DELETE"].value()] or [{}]
            if "lagg_till" in data:
                delmal.append({})
                notice = f"Delmål {len(delmal)} är tillagt längst ned. Planen är inte sparad."
            elif added:
                notice = f"{added} förslag har lagts till i aktiviteterna. Planen är inte sparad."
            else:
                notice = "Planen är inte sparad."
            form = PlanForm(initial=as_initial(form))
            formset = DelmalFormSet(initial=delmal, prefix=PREFIX)
        else:
            status = 400
            if form.is_valid() and formset.is_valid():
                cleaned = form.cleaned_data
                try:
                    plan = plan_services.genomforandeplan_spara(
                        actor=request.user,
                        arende=arende,
                        delmal=formset.delmal(),
                        datum=cleaned["datum"],
                        grundversion=cleaned["grundversion"],
                        **{name: cleaned[name] for name in PlanForm.Meta.fields},
                    )
                except plan_services.PlanKonflikt as error:
                    form, formset, konflikt = _konflikt(
                        arende, data, error, grund=cleaned["grundversion"]
                    )
                    senaste, status = konflikt["senaste"], 409
                except ValidationError as error:
                    _errors_to_forms(form, formset, error)
                else:
                    messages.success(
                        request, f"Genomförandeplanen är sparad som version {plan.version}."
                    )
                    return redirect("utforare:plan_version", arende.arende_id, plan.version)
    return render(
        request,
        "utforare/plan_ny.html",
        {
            "arende": arende,
            "form": form,
            "formset": formset,
            "senaste": senaste,
            "ny_version": (senaste.version if senaste else 0) + 1,
            "notice": notice,
            "konflikt": konflikt,
        },
        status=status,
    )


@login_required
@require_GET
def plan_forslag(request: HttpRequest, arende_id: str) -> HttpResponse:
    """The suggestions of one sub-goal's life area, swapped in by htmx when it changes."""
    provider_arende(request.user, arende_id, view="plan_forslag")
    prefix = request.GET.get("prefix", "")
    if not prefix.startswith(f"{PREFIX}-") or not prefix.removeprefix(f"{PREFIX}-").isdigit():
        prefix = f"{PREFIX}-0"
    return render(
        request,
        "utforare/plan_forslag.html",
        {"prefix": prefix, "livsomrade": request.GET.get(f"{prefix}-livsomrade", "")},
    )


@_plan_reader("plan_versioner")
def plan_versioner(request: HttpRequest, arende: Arende) -> HttpResponse:
    versions = list(
        arende.planer.select_related("skapad_av", "handelse")
        .prefetch_related("delmal")
        .order_by("-version")
    )
    return render(
        request, "utforare/plan_versioner.html", {"arende": arende, "versioner": versions}
    )


@_plan_reader("plan_version")
def plan_version(request: HttpRequest, arende: Arende, version: int) -> HttpResponse:
    plan = _version(arende, version)
    return render(
        request,
        "utforare/plan_version.html",
        {
            "arende": arende,
            "plan": plan,
            "senaste_version": arende.planer.order_by("-version").values_list("version", flat=True)[
                0
            ],
            "kopia_form": KopiaForm(initial={"datum": timezone.localdate()}),
        },
    )


@_plan_reader("plan_jamfor")
def plan_jamfor(request: HttpRequest, arende: Arende, version: int, annan: int) -> HttpResponse:
    first, second = _version(arende, version), _version(arende, annan)
    old, new = sorted([first, second], key=lambda p: p.version)
    return render(
        request,
        "utforare/plan_jamfor.html",
        {
            "arende": arende,
            "gammal": old,
            "ny": new,
            "diff": plan_services.plan_jamfor(old, new),
        },
    )


@never_cache
@_plan_reader("plan_pdf")
def plan_pdf(request: HttpRequest, arende: Arende, version: int) -> HttpResponse:
    plan = _version(arende, version)
    return pdf_response(
        request,
        "utforare/plan_pdf.html",
        {"arende": arende, "plan": plan},
        filename=f"genomforandeplan-version-{plan.version}.pdf",
    )


@login_required
@require_POST
def plan_kopia(request: HttpRequest, arende_id: str, version: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view=f"plan_kopia:{version}")
    plan = _version(arende, version)
    if plan.kopia_overlamnad is not None:
        # The page shows the form only until the copy is handed over.
        messages.error(request, f"Kopian av version {plan.version} är redan registrerad.")
        return redirect("utforare:plan_version", arende.arende_id, plan.version)
    form = KopiaForm(request.POST)
    if form.is_valid():
        try:
            plan_services.genomforandeplan_kopia_registrera(
                actor=request.user, plan=plan, datum=form.cleaned_data["datum"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("datum", message)
        else:
            messages.success(
                request, f"Kopian av version {plan.version} är registrerad som överlämnad."
            )
            return redirect("utforare:plan_version", arende.arende_id, plan.version)
    return render(
        request,
        "utforare/plan_version.html",
        {
            "arende": arende,
            "plan": plan,
            "senaste_version": arende.planer.order_by("-version").values_list("version", flat=True)[
                0
            ],
            "kopia_form": form,
        },
        status=400,
    )
