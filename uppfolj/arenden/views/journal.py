"""The case journal: append-only entries, wrong ones marked and corrected, never edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from uppfolj.accounts.models import MYNDIGHET_ROLLER, Roll

from .. import services
from ..access import can_handle, require_handle
from ..models import Arende, Journalanteckning
from .common import visible_arende

# The authority's journal; the provider keeps its own notes (ACC-SEKRETESSGRANS).
JOURNAL_LASARE = MYNDIGHET_ROLLER | {Roll.INSPEKTOR}


class JournalForm(forms.ModelForm):
    class Meta:
        model = Journalanteckning
        fields = ["datum", "rubrik", "text"]
        widgets = {
            "datum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "datum": {"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."},
            "rubrik": {"required": "Skriv en rubrik."},
            "text": {"required": "Skriv anteckningen."},
        }

    def clean_datum(self) -> Any:
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError("Datumet får inte ligga i framtiden.")
        return datum


class FelmarkeraForm(forms.Form):
    # The service decides what is missing, so its messages are the only ones.
    skal = forms.CharField(label="Varför är anteckningen felaktig?", required=False)
    rattelse_text = forms.CharField(label="Rättad anteckning", required=False)


class SkalForm(forms.Form):
    skal = forms.CharField(
        label="Skäl att läsa journalen",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ange varför du läser journalen."},
    )


def _require_reader(user: Any) -> None:
    if user.roll not in JOURNAL_LASARE:
        raise PermissionDenied("Journalen läses av myndighetens personal och inspektörer.")


def _writable_arende(user: Any, arende_id: str, view: str) -> Arende:
    _require_reader(user)
    arende = visible_arende(user, arende_id, view=view)
    require_handle(user, arende)
    return arende


def _render(
    request: HttpRequest,
    arende: Arende,
    *,
    form: JournalForm | None = None,
    fel: tuple[int, FelmarkeraForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = list(arende.journal.select_related("skriven_av", "felmarkerad_av", "rattar"))
    corrections = {entry.rattar_id: entry for entry in entries if entry.rattar_id}
    context = {
        "arende": arende,
        "rader": [(entry, corrections.get(entry.pk)) for entry in entries],
        "kan_skriva": can_handle(request.user, arende),
        "form": form or JournalForm(initial={"datum": timezone.localdate()}),
        "fel_id": fel[0] if fel else None,
        "fel_form": fel[1] if fel else None,
    }
    return render(request, "arenden/journal.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest, arende_id: str) -> HttpResponse:
    user: Any = request.user
    _require_reader(user)
    reason = ""
    if user.roll == Roll.INSPEKTOR:
        # An inspector reads a journal with a stated reason, kept in the access log.
        skal_form = SkalForm(request.POST if request.method == "POST" else None)
        if not skal_form.is_valid():
            if not Arende.objects.visible_to(user).filter(arende_id=arende_id).exists():
                raise Http404("Ärendet finns inte")
            status = 400 if request.method == "POST" else 200
            context = {"form": skal_form, "arende_id": arende_id}
            return render(request, "arenden/journal_skal.html", context, status=status)
        reason = skal_form.cleaned_data["skal"]
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    arende = visible_arende(user, arende_id, view="journal", reason=reason)
    return _render(request, arende)


@login_required
@require_POST
def journal_skriv(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _writable_arende(request.user, arende_id, "journal_skriv")
    form = JournalForm(request.POST)
    if not form.is_valid():
        return _render(request, arende, form=form, status=400)
    entry = services.journal_skriv(actor=request.user, arende=arende, **form.cleaned_data)
    messages.success(request, "Anteckningen är sparad i journalen.")
    return redirect(reverse("arenden:journal", args=[arende.arende_id]) + f"#anteckning-{entry.pk}")


@login_required
@require_POST
def journal_felmarkera(request: HttpRequest, arende_id: str, anteckning_id: int) -> HttpResponse:
    arende = _writable_arende(request.user, arende_id, "journal_felmarkera")
    anteckning = get_object_or_404(arende.journal, pk=anteckning_id)
    form = FelmarkeraForm(request.POST)
    form.is_valid()
    try:
        rattelse = services.journal_felmarkera(
            actor=request.user,
            anteckning=anteckning,
            skal=form.cleaned_data.get("skal", ""),
            rattelse_text=form.cleaned_data.get("rattelse_text", ""),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, arende, fel=(anteckning.pk, form), status=400)
    messages.success(request, "Anteckningen är markerad som felaktig och rättelsen är sparad.")
    return redirect(
        reverse("arenden:journal", args=[arende.arende_id]) + f"#anteckning-{rattelse.pk}"
    )
