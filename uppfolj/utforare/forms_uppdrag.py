"""Forms of the provider's uppdrag: answer, distribute, carry out and close."""

from __future__ import annotations

from typing import Any

from django import forms

from uppfolj.arenden.forms import DATE_WIDGET, DatumForm


class ReturneraForm(forms.Form):
    skal = forms.CharField(
        label="Varför skickas uppdraget tillbaka?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Ange varför uppdraget skickas tillbaka."},
        help_text="Socialsekreteraren ser skälet direkt i ärendet.",
    )


class StegForm(DatumForm):
    """The date of first contact, the start meeting or the execution."""

    LABELS = {
        "kontakt_tagen": "Datum för första kontakt",
        "uppstartsmote": "Datum för uppstartsmötet",
        "verkstallt": "Datum då insatsen verkställdes",
    }

    def __init__(self, *args: Any, typ: str, **kwargs: Any) -> None:
        kwargs["prefix"] = typ
        super().__init__(*args, **kwargs)
        self.fields["datum"].label = self.LABELS[typ]


class VerkstalltForm(StegForm):
    grad = forms.ChoiceField(
        label="Verkställt",
        choices=[("helt", "Helt"), ("delvis", "Delvis")],
        widget=forms.RadioSelect,
        error_messages={"required": "Ange om insatsen är verkställd helt eller delvis."},
    )


def steg_form(typ: str, *args: Any, **kwargs: Any) -> StegForm:
    """Return the form of one of the provider's steps."""
    form_class = VerkstalltForm if typ == "verkstallt" else StegForm
    return form_class(*args, typ=typ, **kwargs)


class KontaktpersonalForm(forms.Form):
    personal: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Personal",
        queryset=None,
        empty_label="Välj personal",
        error_messages={
            "required": "Välj vem som ska vara kontaktpersonal.",
            "invalid_choice": "Välj personal hos er egen utförare.",
        },
    )
    fran = forms.DateField(label="Från", widget=DATE_WIDGET)

    def __init__(self, *args: Any, kandidater: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["personal"]
        field.queryset = kandidater
        field.label_from_instance = lambda user: f"{user.visningsnamn} ({user.get_roll_display()})"


class AvslutaKontaktpersonalForm(forms.Form):
    till = forms.DateField(label="Till och med", widget=DATE_WIDGET)


class SlutanteckningForm(DatumForm):
    genomforande = forms.CharField(
        label="Hur insatsen har genomförts och hur målen har nåtts",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    atgarder = forms.CharField(
        label="Åtgärder som vidtagits för att anpassa insatsen till den enskildes behov",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Enligt SOSFS 2014:5 ska det framgå av dokumentationen (003).",
    )
