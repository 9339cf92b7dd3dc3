"""Forms of the authority side."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from personnummer import personnummer as pnr

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.domain.ibic import LIVSOMRADEN
from uppfolj.domain.timeline import INSATS_NAMN

from .models import (
    LAGRUM_BISTAND,
    Anmalan,
    Ansokan,
    Avslut,
    Person,
    Uppdrag,
    Utredning,
    Verksamhetsomrade,
)


class ArendeFilterForm(forms.Form):
    insats = forms.ChoiceField(
        label="Insats", required=False, choices=[("", "Alla insatser"), *INSATS_NAMN.items()]
    )
    distrikt = forms.ModelChoiceField(
        label="Distrikt",
        required=False,
        queryset=Distrikt.objects.all(),
        empty_label="Alla distrikt",
    )
    endast_forsenade = forms.BooleanField(
        label="Endast ärenden med försenade bevakningar", required=False
    )


# --- The authority's steps -------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatumForm(forms.Form):
    datum = forms.DateField(label="Datum", widget=DATE_WIDGET)

    def clean_datum(self) -> date:
        value: date = self.cleaned_data["datum"]
        if value > timezone.localdate():
            raise forms.ValidationError("Datumet får inte ligga i framtiden.")
        return value


class HandelseForm(DatumForm):
    """A dated event with nothing more to record (paus, sjukhusinläggning …)."""


class AnmalanForm(DatumForm, forms.ModelForm):
    class Meta:
        model = Anmalan
        fields = ["anmalare_namn", "anmalare_relation", "anmalare_kontakt", "beskrivning"]


class AnsokanForm(DatumForm, forms.ModelForm):
    begard_timmar = forms.IntegerField(
        label="Begärd tid, timmar per vecka", min_value=0, required=False
    )
    begard_minuter = forms.IntegerField(
        label="och minuter", min_value=0, max_value=59, required=False
    )

    class Meta:
        model = Ansokan
        fields = ["sokande", "form", "begard_period", "beskrivning"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        hours, minutes = data.get("begard_timmar"), data.get("begard_minuter")
        self.begard_minuter_per_vecka = (
            None if hours is None and minutes is None else (hours or 0) * 60 + (minutes or 0)
        )
        return data


class UtredningForm(DatumForm, forms.ModelForm):
    class Meta:
        model = Utredning
        fields = ["analys", "barnperspektiv", "stodniva", "personalens_syn"]

    def __init__(self, *args: object, arende: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for code, name in LIVSOMRADEN.items():
            self.fields[f"behov_{code}"] = forms.CharField(
                label=name, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.behov_fields = [self[f"behov_{code}"] for code in LIVSOMRADEN]
        if getattr(arende, "insats", None) != "socialt_boende_med_stod":
            del self.fields["stodniva"]
            del self.fields["personalens_syn"]
        person = getattr(arende, "person", None)
        if person is not None and person.minderariga_barn:
            self.fields["barnperspektiv"].help_text = (
                f"Det finns {person.minderariga_barn} minderåriga barn i hushållet. "
                "Beskriv hur barnens situation har beaktats."
            )

    def behov(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"behov_{code}"].strip()
            for code in LIVSOMRADEN
            if self.cleaned_data.get(f"behov_{code}", "").strip()
        }


class KommuniceringForm(DatumForm):
    avbojd = forms.TypedChoiceField(
        label="Kommunicering",
        choices=[
            ("0", "Underlaget är kommunicerat med den enskilde"),
            ("1", "Den enskilde avböjer att ta del av underlaget"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    anteckning = forms.CharField(
        label="Anteckning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hur underlaget kommunicerades, eller vad den enskilde sa.",
    )


class BeslutForm(DatumForm):
    utfall = forms.ChoiceField(
        label="Utfall",
        choices=[("bifall", "Bifall"), ("delvis", "Delvis bifall"), ("avslag", "Avslag")],
    )
    lagrum = forms.CharField(label="Lagrum", initial=LAGRUM_BISTAND, max_length=100)
    timmar = forms.IntegerField(label="Beviljad tid, timmar per vecka", min_value=0, required=False)
    minuter = forms.IntegerField(label="och minuter", min_value=0, max_value=59, required=False)
    fran = forms.DateField(label="Gäller från", widget=DATE_WIDGET)
    till = forms.DateField(
        label="Gäller till",
        required=False,
        widget=DATE_WIDGET,
        help_text="Lämna tomt för ett beslut som gäller tills vidare.",
    )
    aterkallelseforbehall = forms.BooleanField(label="Återkallelseförbehåll", required=False)
    motivering = forms.CharField(label="Motivering", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: object, arende: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if getattr(arende, "insats", None) != "boendestod":
            del self.fields["timmar"]
            del self.fields["minuter"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        fran, till = data.get("fran"), data.get("till")
        if fran and till and till < fran:
            self.add_error("till", "Slutdatumet ligger före startdatumet.")
        if "timmar" in self.fields:
            hours, minutes = data.get("timmar"), data.get("minuter")
            total = (hours or 0) * 60 + (minutes or 0)
            if data.get("utfall") in ("bifall", "delvis") and not total:
                self.add_error("timmar", "Ange beviljad tid i timmar och minuter per vecka.")
            data["minuter_per_vecka"] = total or None
        else:
            data["minuter_per_vecka"] = None
        return data


class UppdragForm(DatumForm, forms.ModelForm):
    livsomraden = forms.MultipleChoiceField(
        label="Livsområden (IBIC)",
        choices=list(LIVSOMRADEN.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Uppdrag
        fields = [
            "utforare",
            "mal",
            "personligt_mal",
            "livsomraden",
            "aktiviteter",
            "delmal",
            "stodniva",
            "hyra_fran",
            "ovrig_information",
            "underlag_ej_kommunicerat",
            "tatare_uppfoljning",
        ]
        widgets = {"hyra_fran": DATE_WIDGET, "mal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, arende: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["utforare"].queryset = Utforare.objects.all()  # type: ignore[attr-defined]
        if getattr(arende, "boendeform", "") != "lagenhetsboende":
            del self.fields["stodniva"]
            del self.fields["hyra_fran"]
        self.fields["tatare_uppfoljning"].help_text = (
            "Till exempel öppen psykiatrisk tvångsvård, barn med insatser eller samlarteam: "
            "uppföljning var tredje månad (GEN-TAT-UPPF-3M)."
        )


class VerkstallighetForm(DatumForm):
    grad = forms.ChoiceField(
        label="Verkställt",
        choices=[("helt", "Helt"), ("delvis", "Delvis")],
        widget=forms.RadioSelect,
    )


class AvslutForm(DatumForm, forms.ModelForm):
    class Meta:
        model = Avslut
        fields = ["skal", "atgarder"]


class NyttArendeForm(forms.Form):
    personnummer = forms.CharField(label="Personnummer", max_length=13, help_text="ÅÅÅÅMMDD-NNNN")
    fornamn = forms.CharField(label="Förnamn", max_length=100, required=False)
    efternamn = forms.CharField(label="Efternamn", max_length=100, required=False)
    kon = forms.ChoiceField(
        label="Kön (för statistik)",
        required=False,
        choices=[("", "–"), ("kvinna", "Kvinna"), ("man", "Man")],
    )
    adress = forms.CharField(label="Adress", max_length=200, required=False)
    postnummer = forms.CharField(label="Postnummer", max_length=10, required=False)
    ort = forms.CharField(label="Ort", max_length=100, required=False)
    telefon = forms.CharField(label="Telefon", max_length=40, required=False)
    minderariga_barn = forms.IntegerField(
        label="Minderåriga barn i hushållet", min_value=0, initial=0, required=False
    )
    skyddad_identitet = forms.BooleanField(label="Skyddade personuppgifter", required=False)
    tolkbehov = forms.CharField(label="Tolkbehov (språk)", max_length=100, required=False)
    akk_behov = forms.CharField(label="Behov av AKK", max_length=200, required=False)
    insats = forms.ChoiceField(label="Insats", choices=list(INSATS_NAMN.items()))
    boendeform = forms.ChoiceField(
        label="Boendeform",
        required=False,
        choices=[("", "–"), ("lagenhetsboende", "Lägenhetsboende")],
        help_text="Endast för socialt boende med stöd.",
    )
    verksamhetsomrade = forms.ChoiceField(
        label="Verksamhetsområde", choices=Verksamhetsomrade.choices
    )

    def clean_personnummer(self) -> str:
        value = self.cleaned_data["personnummer"].strip()
        if not pnr.valid(value):
            raise forms.ValidationError("Personnumret är inte giltigt.")
        long_form = pnr.parse(value).format(long_format=True)
        return f"{long_form[:8]}-{long_form[8:]}"

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        number = data.get("personnummer")
        self.person = Person.objects.filter(personnummer=number).first() if number else None
        if number and self.person is None:
            for field in ("fornamn", "efternamn", "kon"):
                if not data.get(field):
                    self.add_error(field, "Fyll i för en ny person.")
        if data.get("boendeform") and data.get("insats") != "socialt_boende_med_stod":
            self.add_error("boendeform", "Boendeform anges bara för socialt boende med stöd.")
        return data


def skal_formular(handling: str) -> type[forms.Form]:
    """Return the form in which an inspector gives the logged reason to `handling`
    ("öppna ärendet", "läsa uppföljningen"): at least 10 characters."""

    class SkalForm(forms.Form):
        skal = forms.CharField(
            label=f"Skäl för att {handling}",
            max_length=500,
            min_length=10,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Till exempel: aktgranskning av boendestöd i Bromma 2026.",
            error_messages={
                "required": f"Ange ett skäl för att {handling}.",
                "min_length": "Skriv ett skäl med minst 10 tecken.",
            },
        )

    return SkalForm


OppnaMedSkalForm = skal_formular("öppna ärendet")
