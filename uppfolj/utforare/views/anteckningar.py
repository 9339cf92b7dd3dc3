"""Pages for daily notes, the 3-dagarsrutin, summaries and the deletion of summarised notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from uppfolj.arenden.models import Arende
from uppfolj.domain.ibic import LIVSOMRADEN
from uppfolj.lib.konflikt import GRUNDVERSION_SAKNAS

from ..access import provider_arende
from ..models import Daganteckning, Delmal, Sammanstallning
from ..services import anteckningar as services

PAGE_SIZE = 20
# After avslut only the provider's final documentation is recorded (EFTER_AVSLUT): the
# summary of the notes already written and the final note, no new or corrected note.
AVSLUTAT = (
    "Ärendet är avslutat. Nya daganteckningar kan inte längre skrivas och anteckningar kan "
    "inte rättas; sammanställ de anteckningar som finns och skriv slutanteckningen."
)

DATE_ERRORS = {"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."}
TYP_ERRORS = {
    "required": "Välj typ av anteckning.",
    "invalid_choice": "Välj en av typerna i listan.",
}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DelmalField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.mal} ({LIVSOMRADEN.get(obj.livsomrade, obj.livsomrade)})"


def _not_future(value: date) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError("Datumet får inte ligga i framtiden.")
    return value


class DaganteckningForm(forms.Form):
    datum = forms.DateField(label="Datum", widget=_date_widget(), error_messages=DATE_ERRORS)
    typ = forms.ChoiceField(
        label="Typ av anteckning",
        choices=Daganteckning.Typ.choices,
        initial=Daganteckning.Typ.ANTECKNING,
        widget=forms.RadioSelect,
        error_messages=TYP_ERRORS,
        help_text="Utebliven kontakt startar 3-dagarsrutinen. En sjukhusinläggning syns också "
        "för socialsekreteraren.",
    )
    delmal = DelmalField(
        label="Delmål i genomförandeplanen",
        queryset=Delmal.objects.none(),
        required=False,
        empty_label="Inget särskilt delmål",
        help_text="Vilket delmål anteckningen gäller, ur den senaste genomförandeplanen.",
        error_messages={"invalid_choice": "Välj ett delmål ur genomförandeplanen."},
    )
    text = forms.CharField(
        label="Anteckning",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Skriv anteckningen."},
        help_text="Hur ni arbetat mot målen, och det som påverkar insatsen.",
    )

    def __init__(self, *args: Any, delmal: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if delmal.exists():
            self.fields["delmal"].queryset = delmal  # type: ignore[attr-defined]
        else:
            del self.fields["delmal"]

    def clean_datum(self) -> date:
        return _not_future(self.cleaned_data["datum"])


class FelmarkeraForm(forms.Form):
    # The service decides what is missing, so its messages are the only ones.
    skal = forms.CharField(required=False)
    rattelse_text = forms.CharField(required=False)
    typ = forms.ChoiceField(choices=Daganteckning.Typ.choices, error_messages=TYP_ERRORS)
    delmal = forms.ModelChoiceField(
        queryset=Delmal.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Välj ett delmål ur genomförandeplanen."},
    )

    def __init__(self, *args: Any, arende: Arende, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delmal"].queryset = Delmal.objects.filter(  # type: ignore[attr-defined]
            plan__arende=arende
        )


class TredagarsForm(forms.Form):
    datum = forms.DateField(widget=_date_widget(), error_messages=DATE_ERRORS)
    utfall = forms.ChoiceField(
        choices=list(services.TREDAGARS_UTFALL.items()),
        error_messages={
            "required": "Välj om kontakten återupptagits eller ärendet eskalerats.",
            "invalid_choice": "Välj om kontakten återupptagits eller ärendet eskalerats.",
        },
    )

    def clean_datum(self) -> date:
        return _not_future(self.cleaned_data["datum"])


class PeriodForm(forms.Form):
    fran = forms.DateField(
        label="Från",
        widget=_date_widget(),
        error_messages={
            "required": "Ange periodens första dag.",
            "invalid": DATE_ERRORS["invalid"],
        },
    )
    till = forms.DateField(
        label="Till",
        widget=_date_widget(),
        error_messages={"required": "Ange periodens sista dag.", "invalid": DATE_ERRORS["invalid"]},
    )

    def __init__(self, *args: Any, arende: Arende, exclude: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.arende = arende
        self.exclude = exclude

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fran") and data.get("till"):
            errors = services.period_fel(
                data["fran"],
                data["till"],
                timezone.localdate(),
                services._overforda_perioder(self.arende, self.exclude),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


class SammanstallningForm(forms.Form):
    # Drafts may lack texts; the service names what a transfer still needs.
    tidsanvandning = forms.CharField(
        label="Hur tiden har använts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="Avbokningar, outnyttjad tid och behov av mer tid.",
    )
    malarbete_individ = forms.CharField(
        label="Hur den enskilde upplever målarbetet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Gärna med den enskildes egna ord.",
    )
    malarbete_utforare = forms.CharField(
        label="Hur utföraren upplever målarbetet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    klagomal = forms.CharField(
        label="Klagomål och vad som gjorts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Klagomål den enskilde framfört om genomförandet, och vilka åtgärder som "
        "vidtagits.",
    )


def _add_errors(form: forms.Form, error: ValidationError, *others: forms.Form) -> None:
    """Show a service's errors at their fields, in whichever of the page's forms has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        owner = next((f for f in (form, *others) if name in f.fields), None)
        if owner is None:
            form.add_error(None, errors)
        else:
            owner.add_error(name, errors)


def _url(name: str, arende: Arende, *args: Any) -> str:
    return reverse(f"utforare:{name}", args=[arende.arende_id, *args])


# --- Daily notes ------------------------------------------------------------------------


def _render_anteckningar(
    request: HttpRequest,
    arende: Arende,
    *,
    form: DaganteckningForm | None = None,
    fel: tuple[int, FelmarkeraForm] | None = None,
    tredagars_form: TredagarsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    delmal = services.delmal_val(arende)
    page = Paginator(services.anteckningar_lista(arende), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    page.object_list = list(page.object_list)
    user: Any = request.user
    context = {
        "arende": arende,
        "avslut": arende.forsta_avslut(),
        "page": page,
        "form": form or DaganteckningForm(initial={"datum": today}, delmal=delmal),
        "delmal_val": list(delmal),
        "typer": Daganteckning.Typ.choices,
        "fel_id": fel[0] if fel else None,
        "fel_form": fel[1] if fel else None,
        "tredagars": services.pagaende_tredagars(arende),
        "tredagars_form": tredagars_form or TredagarsForm(initial={"datum": today}),
        "tredagars_utfall": services.TREDAGARS_UTFALL,
        "sammanstallningar": list(
            arende.sammanstallningar.annotate(antal_kopplade=Count("daganteckningar"))
        ),
        "tidigare": list(services.tidigare_sammanstallningar(arende)),
        "bevakning_89d": services.sammanstallning_bevakning(arende),
        "kan_radera": services.kan_radera(user),
        "kan_felmarkera_alla": user.roll in services.FELMARKERANDE_ROLLER,
        "today": today,
    }
    return render(request, "utforare/anteckningar.html", context, status=status)


def _refused_closed(request: HttpRequest, arende: Arende) -> HttpResponse | None:
    """Answer a note posted to a closed case; the page shows no form for it to go in."""
    if arende.forsta_avslut() is None:
        return None
    messages.error(request, AVSLUTAT)
    return _render_anteckningar(request, arende, status=400)


@login_required
@require_GET
def anteckningar(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="daganteckningar")
    return _render_anteckningar(request, arende)


@login_required
@require_POST
def anteckning_skriv(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="daganteckning_skriv")
    if refused := _refused_closed(request, arende):
        return refused
    form = DaganteckningForm(request.POST, delmal=services.delmal_val(arende))
    if form.is_valid():
        try:
            note = services.daganteckning_skriv(
                actor=request.user,
                arende=arende,
                datum=form.cleaned_data["datum"],
                typ=form.cleaned_data["typ"],
                text=form.cleaned_data["text"],
                delmal=form.cleaned_data.get("delmal"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            message = "Anteckningen är sparad."
            if note.typ == Daganteckning.Typ.UTEBLIVEN:
                message += " 3-dagarsrutinen har startat."
            messages.success(request, message)
            return redirect(_url("anteckningar", arende) + f"#anteckning-{note.pk}")
    return _render_anteckningar(request, arende, form=form, status=400)


@login_required
@require_POST
def anteckning_felmarkera(request: HttpRequest, arende_id: str, anteckning_id: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="daganteckning_felmarkera")
    note = get_object_or_404(arende.daganteckningar, pk=anteckning_id)
    if refused := _refused_closed(request, arende):
        return refused
    if note.felmarkerad is not None or note.sammanstallning_id is not None:
        # The page shows no form for this note to put the refusal in: it is a message.
        messages.error(
            request,
            "Anteckningen är redan markerad som felaktig."
            if note.felmarkerad is not None
            else "Anteckningen ingår i en sammanställning som är överförd till journalen och "
            "kan inte längre markeras som felaktig.",
        )
        return _render_anteckningar(request, arende, status=400)
    form = FelmarkeraForm(request.POST, arende=arende)
    if form.is_valid():
        try:
            rattelse = services.daganteckning_felmarkera(
                actor=request.user,
                anteckning=note,
                skal=form.cleaned_data["skal"],
                rattelse_text=form.cleaned_data["rattelse_text"],
                typ=form.cleaned_data["typ"],
                delmal=form.cleaned_data["delmal"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "Anteckningen är markerad som felaktig och rättelsen är sparad."
            )
            return redirect(_url("anteckningar", arende) + f"#anteckning-{rattelse.pk}")
    return _render_anteckningar(request, arende, fel=(note.pk, form), status=400)


@login_required
@require_POST
def tredagarsrutin(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="tredagarsrutin")
    if refused := _refused_closed(request, arende):
        return refused
    if not services.pagaende_tredagars(arende):
        # The page shows the form only while the routine runs: the refusal is a message.
        messages.error(request, "Det finns ingen pågående 3-dagarsrutin i ärendet.")
        return _render_anteckningar(request, arende, status=400)
    form = TredagarsForm(request.POST)
    if form.is_valid():
        try:
            services.tredagarsrutin_avsluta(
                actor=request.user,
                arende=arende,
                utfall=form.cleaned_data["utfall"],
                datum=form.cleaned_data["datum"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            utfall = services.TREDAGARS_UTFALL[form.cleaned_data["utfall"]]
            messages.success(request, f"{utfall} är registrerat. 3-dagarsrutinen är avslutad.")
            return redirect(_url("anteckningar", arende))
    return _render_anteckningar(request, arende, tredagars_form=form, status=400)


# --- Summaries --------------------------------------------------------------------------


def _summary(arende: Arende, pk: int) -> Sammanstallning:
    return get_object_or_404(arende.sammanstallningar.select_related("skriven_av"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def sammanstallning_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="sammanstallning_ny")
    today = timezone.localdate()
    fran, till = services.standardperiod(arende, today)
    context: dict[str, Any] = {
        "arende": arende,
        "utkast": list(arende.sammanstallningar.filter(status=services.UTKAST)),
    }
    if not request.GET and fran > till:
        # Everything up to today is summarised already: nothing to propose.
        context.update(period=PeriodForm(arende=arende), klart_till=fran - timedelta(days=1))
        return render(request, "utforare/sammanstallning_ny.html", context)
    period = PeriodForm(request.GET if request.GET else {"fran": fran, "till": till}, arende=arende)
    form = SammanstallningForm(request.POST or None)
    context["period"] = period
    if not period.is_valid():
        return render(request, "utforare/sammanstallning_ny.html", context, status=400)
    fran, till = period.cleaned_data["fran"], period.cleaned_data["till"]
    underlag = services.sammanstallning_underlag(arende, fran, till)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.sammanstallning_spara(
                actor=request.user,
                arende=arende,
                period_fran=fran,
                period_till=till,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error, period)
        else:
            messages.success(
                request, "Utkastet är sparat. Överför det till journalen när det är klart."
            )
            return redirect(_url("sammanstallning", arende, summary.pk))
    if request.method == "GET":
        form = SammanstallningForm(initial=underlag.forslag)
    context.update(underlag=underlag, form=form)
    status = 400 if request.method == "POST" else 200
    return render(request, "utforare/sammanstallning_ny.html", context, status=status)


def _render_summary(
    request: HttpRequest,
    arende: Arende,
    summary: Sammanstallning,
    *,
    form: SammanstallningForm | None = None,
    period: PeriodForm | None = None,
    fel: str = "",
    status: int = 200,
    grundversion: int | None = None,
    konflikt: bool = False,
) -> HttpResponse:
    context: dict[str, Any] = {
        "arende": arende,
        "s": summary,
        "today": timezone.localdate(),
        "fel": fel,
        # The version the form was opened at, carried through every post (optimistic lock).
        "grundversion": summary.version if grundversion is None else grundversion,
        "konflikt": konflikt,
    }
    if summary.status == services.UTKAST:
        context.update(
            underlag=services.sammanstallning_underlag(
                arende, summary.period_fran, summary.period_till
            ),
            form=form
            or SammanstallningForm(
                initial={name: getattr(summary, name) for name in services.TEXT_FIELDS}
            ),
            period=period
            or PeriodForm(
                initial={"fran": summary.period_fran, "till": summary.period_till},
                arende=arende,
            ),
        )
    else:
        context.update(
            antal_kopplade=services.radera_antal(summary),
            radering=services.radering(summary),
            kan_radera=services.kan_radera(request.user),
        )
    return render(request, "utforare/sammanstallning.html", context, status=status)


def _grundversion(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def sammanstallning(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="sammanstallning")
    summary = _summary(arende, pk)
    if request.method == "GET":
        return _render_summary(request, arende, summary)
    if summary.status != services.UTKAST:
        fel = "Sammanställningen är överförd till journalen och kan inte ändras."
        return _render_summary(request, arende, summary, fel=fel, status=400)
    form = SammanstallningForm(request.POST)
    period = PeriodForm(request.POST, arende=arende, exclude=summary.pk)
    grundversion = _grundversion(request.POST.get("grundversion", ""))
    if grundversion is None:
        form.is_valid()
        period.is_valid()
        return _render_summary(
            request, arende, summary, form=form, period=period, fel=GRUNDVERSION_SAKNAS, status=400
        )
    if form.is_valid() and period.is_valid():
        # "Spara och överför" is one change: a refused transfer keeps the saved draft as it
        # was, and the user's text stays in the form.
        spara = (
            services.sammanstallning_spara_och_overfor
            if request.POST.get("atgard") == "overfor"
            else services.sammanstallning_spara
        )
        try:
            summary = spara(
                actor=request.user,
                arende=arende,
                period_fran=period.cleaned_data["fran"],
                period_till=period.cleaned_data["till"],
                sammanstallning=summary,
                grundversion=grundversion,
                **form.cleaned_data,
            )
        except services.SammanstallningKonflikt as error:
            summary.refresh_from_db()
            return _render_summary(
                request,
                arende,
                summary,
                form=form,
                period=period,
                fel=error.meddelande,
                status=409,
                grundversion=error.aktuell,
                konflikt=True,
            )
        except ValidationError as error:
            _add_errors(form, error, period)
        else:
            if summary.status == services.OVERFORD:
                messages.success(request, "Sammanställningen är överförd till journalen.")
            else:
                messages.success(request, "Utkastet är sparat.")
            return redirect(_url("sammanstallning", arende, summary.pk))
    summary.refresh_from_db()
    return _render_summary(request, arende, summary, form=form, period=period, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def anteckningar_radera(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="daganteckningar_radera")
    if not services.kan_radera(request.user):
        raise PermissionDenied("Endast stödpedagog eller enhetschef får radera daganteckningar.")
    summary = _summary(arende, pk)
    context: dict[str, Any] = {
        "arende": arende,
        "s": summary,
        "antal": services.radera_antal(summary),
        "radering": services.radering(summary),
    }
    if summary.status != services.OVERFORD:
        context["fel"] = services.EJ_OVERFORD
        return render(request, "utforare/sammanstallning_radera.html", context, status=400)
    if request.method == "POST":
        try:
            deleted = services.daganteckningar_radera(actor=request.user, sammanstallning=summary)
        except ValidationError as error:
            context["fel"] = error.messages[0]
            return render(request, "utforare/sammanstallning_radera.html", context, status=400)
        messages.success(
            request,
            f"{deleted} {'daganteckning' if deleted == 1 else 'daganteckningar'} har raderats. "
            "Sammanställningen finns kvar i journalen.",
        )
        return redirect(_url("sammanstallning", arende, summary.pk))
    return render(request, "utforare/sammanstallning_radera.html", context)
