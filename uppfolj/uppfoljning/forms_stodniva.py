"""Forms for support levels, the provider's view of the need, fee checks and lex Sarah."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from uppfolj.domain.calendar import add_months
from uppfolj.domain.stodnivaer import FRAGOR, NIVA_VAL

from .selectors_stodniva import manad_text

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."}


def _not_future(value: date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError("Datumet får inte ligga i framtiden.")


def _text(label: str, *, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class StodnivaForm(forms.Form):
    niva = forms.ChoiceField(
        label="Ny stödnivå",
        choices=NIVA_VAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Välj stödnivå.",
            "invalid_choice": "Välj stödnivå låg, medel eller hög.",
        },
    )
    galler_fran = forms.DateField(
        label="Gäller från",
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
        help_text="Datum då den nya nivån börjar gälla; administrationen fakturerar från det.",
    )
    hur_behovet_andrats = _text(FRAGOR[0])
    anledning = _text(FRAGOR[1])
    varaktighet = _text(FRAGOR[2], rows=2)
    sarskilt_behov = _text(
        "Särskilt behov av att ändra nivån tidigare än en månad",
        help_text="Nivån gäller som huvudregel minst en månad. Beskriv det särskilda behovet om "
        "den ändras tidigare (SBMS-NIVA-1M).",
        rows=2,
    )
    timmar = forms.IntegerField(
        label="Bedömt behov av individuellt stöd, timmar per vecka",
        min_value=0,
        max_value=168,
        required=False,
        help_text="Direkt brukartid, se stödnivåernas innehåll ovan.",
        error_messages={
            "invalid": "Ange hela timmar.",
            "min_value": "Ange 0 eller fler timmar.",
            "max_value": "En vecka har 168 timmar.",
        },
    )
    minuter = forms.IntegerField(
        label="och minuter",
        min_value=0,
        max_value=59,
        required=False,
        error_messages={
            "invalid": "Ange hela minuter.",
            "min_value": "Ange 0–59 minuter.",
            "max_value": "Ange 0–59 minuter.",
        },
    )
    personalens_bedomning = _text(
        "Boendepersonalens bedömning",
        help_text="Boendepersonalens bedömning av behovet ska vägas in (002).",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, minutes = data.get("timmar"), data.get("minuter")
        data["bedomt_behov_minuter"] = (
            None if hours is None and minutes is None else (hours or 0) * 60 + (minutes or 0)
        )
        return data


class PersonalensBedomningForm(forms.Form):
    datum = forms.DateField(
        label="Datum", widget=DATE_WIDGET, error_messages=DATE_ERRORS, validators=[_not_future]
    )
    behov_justeras = forms.TypedChoiceField(
        label="Finns behov av att justera stödnivån?",
        choices=[("1", "Ja, stödnivån behöver justeras"), ("0", "Nej, nivån motsvarar behovet")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Svara på om stödnivån behöver justeras."},
    )
    hur_behovet_andrats = _text(FRAGOR[0], rows=4)
    anledning = _text(FRAGOR[1], rows=3)
    varaktighet = _text(FRAGOR[2], rows=2)


class AvgiftForm(forms.Form):
    manad = forms.ChoiceField(
        label="Månad",
        error_messages={"required": "Välj månad.", "invalid_choice": "Välj en månad i listan."},
        help_text="Normalt föregående månad: när fakturan för innevarande månad skickas "
        "kontrolleras att föregående månads egenavgift är inbetald.",
    )
    betald = forms.TypedChoiceField(
        label="Har den enskilde betalt egenavgiften?",
        choices=[("1", "Ja"), ("0", "Nej")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Svara ja eller nej."},
    )

    def __init__(
        self, *args: Any, today: date, kontrollerade: Iterable[date] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The twelve months before this one, the previous month first; the newest
        # month not yet checked is chosen.
        first = today.replace(day=1)
        months = [add_months(first, -n) for n in range(1, 13)]
        checked = set(kontrollerade)
        self.fields["manad"].choices = [  # type: ignore[attr-defined]
            (
                m.strftime("%Y-%m"),
                manad_text(m).capitalize() + (" (kontrollerad)" if m in checked else ""),
            )
            for m in months
        ]
        unchecked = next((m for m in months if m not in checked), months[0])
        self.fields["manad"].initial = unchecked.strftime("%Y-%m")

    def clean_manad(self) -> date:
        return date.fromisoformat(f"{self.cleaned_data['manad']}-01")


class LexSarahForm(forms.Form):
    datum = forms.DateField(
        label="Datum", widget=DATE_WIDGET, error_messages=DATE_ERRORS, validators=[_not_future]
    )
    beskrivning = forms.CharField(
        label="Vad rapporten gäller",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Beskriv vad rapporten gäller."},
        help_text="Det missförhållande eller den påtagliga risk för missförhållande som "
        "rapporterats. Själva utredningen görs enligt verksamhetens lex Sarah-rutin.",
    )


class KontaktadForm(forms.Form):
    datum = forms.DateField(
        label="Datum då handläggaren kontaktades",
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
        validators=[_not_future],
    )


class PeriodForm(forms.Form):
    fran = forms.DateField(
        label="Från", required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    till = forms.DateField(
        label="Till", required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fran, till = data.get("fran"), data.get("till")
        if fran and till and till < fran:
            self.add_error("till", "Till-datumet ligger före från-datumet.")
        return data
