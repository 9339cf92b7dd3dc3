"""Forms of the follow-up: booking the meeting, and the follow-up built from its checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from uppfolj.arenden.forms import DATE_WIDGET
from uppfolj.domain import checklistor
from uppfolj.lib.konflikt import grundversion_falt

from .models import Uppfoljningsmote

JA_NEJ = [("ja", "Ja"), ("nej", "Nej")]


def _ja_nej(value: str) -> bool | None:
    return {"ja": True, "nej": False}.get(value)


class MoteForm(forms.Form):
    tid = forms.DateTimeField(
        label="Dag och tid",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    form = forms.ChoiceField(
        label="Mötesform",
        choices=Uppfoljningsmote.Form.choices,
        initial=Uppfoljningsmote.Form.FYSISKT,
        widget=forms.RadioSelect,
        help_text="Uppföljningsmötet kan ske både digitalt och fysiskt.",
    )
    plats = forms.CharField(
        label="Plats eller länk",
        required=False,
        max_length=300,
        help_text="Adressen för ett fysiskt möte, länken för ett digitalt.",
    )
    kallade = forms.MultipleChoiceField(
        label="Kallade",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Den enskilde, ansvarig socialsekreterare och kontaktpersonal bör delta.",
    )
    ovriga = forms.CharField(
        label="Övriga kallade",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Till exempel god man, anhörig eller tolk. En per rad.",
    )

    def __init__(self, *args: Any, kallbara: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kallade"].choices = [(name, name) for name in kallbara]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("kallade", kallbara)

    def kallade_lista(self) -> list[str]:
        others = self.cleaned_data.get("ovriga", "").splitlines()
        return [*self.cleaned_data.get("kallade", []), *others]


@dataclass(frozen=True)
class Fragefalt:
    """A question with its form field, and its comment field if it has one."""

    fraga: checklistor.Fraga
    falt: forms.BoundField
    kommentar: forms.BoundField | None


@dataclass(frozen=True)
class Fragegrupp:
    rubrik: str
    fragor: list[Fragefalt]


class UppfoljningForm(forms.Form):
    """The follow-up: date, meeting and participation, the checklist, the decision."""

    datum = forms.DateField(label="Datum för uppföljningen", widget=DATE_WIDGET)
    mote = forms.ModelChoiceField(
        label="Uppföljningsmöte",
        required=False,
        queryset=Uppfoljningsmote.objects.none(),
        empty_label="Inget bokat möte",
    )
    den_enskilde_deltog = forms.ChoiceField(
        label="Medverkade den enskilde vid uppföljningen?",
        required=False,
        choices=JA_NEJ,
        widget=forms.RadioSelect,
    )
    orsak_ej_deltagit = forms.CharField(
        label="Orsak till att den enskilde inte medverkade",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Fyll i om du svarat Nej.",
    )
    # How many follow-ups the case had when the form was opened; see UppfoljningKonflikt.
    grundversion = grundversion_falt()

    def __init__(
        self,
        *args: Any,
        checklista: checklistor.Checklista,
        boendeform: str | None,
        moten: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.checklista = checklista
        self.boendeform = boendeform
        mote_field: Any = self.fields["mote"]
        mote_field.queryset = moten
        mote_field.label_from_instance = _mote_namn
        self.fragor = checklista.fragor_for(boendeform)
        for fraga in self.fragor:
            self.fields[fraga.key] = _field(fraga)
            if fraga.kommentar:
                self.fields[fraga.kommentar_key] = forms.CharField(
                    label=fraga.kommentar,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_kommentar_hjalp(fraga),
                )
        s = checklista.stallningstagande
        self.fields["samma_utforare"] = forms.ChoiceField(
            label=s.samma_utforare, required=False, choices=JA_NEJ, widget=forms.RadioSelect
        )
        self.fields["atgard"] = forms.ChoiceField(
            label="Ställningstagande",
            required=False,
            choices=[(a, checklistor.ATGARD_NAMN[a]) for a in checklista.atgarder(boendeform)],
            widget=forms.RadioSelect,
        )
        self.fields["nasta_mote"] = forms.DateField(
            label=s.nasta_mote, required=False, widget=DATE_WIDGET, help_text=s.nasta_mote_hjalp
        )

    def grupper(self) -> list[Fragegrupp]:
        """Return the checklist's questions with their fields, under their headings."""
        groups: list[Fragegrupp] = []
        for fraga in self.fragor:
            if not groups or groups[-1].rubrik != fraga.grupp:
                groups.append(Fragegrupp(fraga.grupp, []))
            groups[-1].fragor.append(
                Fragefalt(
                    fraga,
                    self[fraga.key],
                    self[fraga.kommentar_key] if fraga.kommentar else None,
                )
            )
        return groups

    def service_kwargs(self) -> dict[str, Any]:
        """Return the cleaned input as uppfoljning_registrera's arguments."""
        data = self.cleaned_data
        svar: dict[str, str] = {}
        for fraga in self.fragor:
            svar[fraga.key] = data.get(fraga.key) or ""
            if fraga.kommentar:
                svar[fraga.kommentar_key] = data.get(fraga.kommentar_key) or ""
        return {
            "datum": data["datum"],
            "mote": data.get("mote"),
            "den_enskilde_deltog": _ja_nej(data.get("den_enskilde_deltog", "")),
            "orsak_ej_deltagit": data.get("orsak_ej_deltagit", ""),
            "svar": svar,
            "samma_utforare": _ja_nej(data.get("samma_utforare", "")),
            "atgard": data.get("atgard", ""),
            "nasta_mote": data.get("nasta_mote"),
            "grundversion": data["grundversion"],
        }


def _mote_namn(mote: Uppfoljningsmote) -> str:
    return f"{timezone.localtime(mote.tid):%Y-%m-%d %H:%M}, {mote.get_form_display().lower()}"


def _field(fraga: checklistor.Fraga) -> forms.Field:
    if fraga.svarstyp == checklistor.TEXT:
        return forms.CharField(
            label=fraga.text,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=fraga.hjalp,
        )
    return forms.ChoiceField(
        label=fraga.text,
        required=False,
        choices=list(fraga.val),
        widget=forms.RadioSelect,
        help_text=fraga.hjalp,
    )


def _kommentar_hjalp(fraga: checklistor.Fraga) -> str:
    if not fraga.kommentar_kravs_vid:
        return ""
    answers = [label for value, label in fraga.val if value in fraga.kommentar_kravs_vid]
    return f"Fyll i om du svarat {' eller '.join(answers)}."
