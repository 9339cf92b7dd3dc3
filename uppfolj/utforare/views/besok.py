"""The visit register and the provider's page of granted against delivered time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from uppfolj.accounts.models import UTFORAR_ROLLER, User
from uppfolj.arenden.models import Arende

from ..access import provider_arende
from ..models import Besok
from ..selectors_tid import tidsoversikt
from ..services.besok import besok_registrera

BESOK_PER_SIDA = 50


class PersonalField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.visningsnamn)


class BesokForm(forms.Form):
    personal = PersonalField(
        label="Personal",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Välj vem som gjorde besöket.",
            "invalid_choice": "Välj någon av utförarens personal.",
        },
    )
    datum = forms.DateField(
        label="Datum",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."},
    )
    start = forms.TimeField(
        label="Starttid",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Ange starttid.", "invalid": "Ange tiden som tt:mm."},
    )
    slut = forms.TimeField(
        label="Sluttid",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Ange sluttid.", "invalid": "Ange tiden som tt:mm."},
    )
    plats = forms.ChoiceField(
        label="Plats",
        choices=Besok.Plats.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj var besöket gjordes."},
    )

    def __init__(self, *args: Any, arende: Arende, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(
            utforare=arende.utforare,
            utforare__isnull=False,
            roll__in=UTFORAR_ROLLER,
            is_active=True,
        ).order_by("first_name", "last_name", "username")
        self.fields["personal"].queryset = staff  # type: ignore[attr-defined]

    def tidpunkt(self, falt: str) -> datetime:
        """Return the date and the time field `falt` as an aware local datetime."""
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["datum"], self.cleaned_data[falt])
        )


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or above them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def besok(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="besok")
    # Visits up to the day of avslut may still be registered, later ones not.
    avslut = arende.forsta_avslut()
    if request.method == "POST":
        form = BesokForm(request.POST, arende=arende)
        if form.is_valid():
            try:
                besok_registrera(
                    actor=request.user,
                    arende=arende,
                    personal=form.cleaned_data["personal"],
                    start=form.tidpunkt("start"),
                    slut=form.tidpunkt("slut"),
                    plats=form.cleaned_data["plats"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, "Besöket är registrerat.")
                return redirect("utforare:besok", arende_id=arende.arende_id)
        status = 400
    else:
        form = BesokForm(
            arende=arende,
            initial={
                "personal": request.user.pk,
                "datum": min(timezone.localdate(), avslut.datum)
                if avslut
                else timezone.localdate(),
                "plats": Besok.Plats.HEMMA,
            },
        )
        status = 200
    visits = (
        Besok.objects.filter(arende=arende)
        .select_related("personal", "registrerad_av")
        .order_by("-start", "-id")
    )
    page = Paginator(visits, BESOK_PER_SIDA).get_page(request.GET.get("sida"))
    context = {"arende": arende, "form": form, "sida": page, "avslut": avslut}
    return render(request, "utforare/besok.html", context, status=status)


@login_required
def tid(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="tid")
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    return render(request, "utforare/tid.html", {"arende": arende, "oversikt": oversikt})
