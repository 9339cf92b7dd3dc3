"""Forms of the authority side."""

from __future__ import annotations

from django import forms

from uppfolj.accounts.models import Distrikt
from uppfolj.domain.timeline import INSATS_NAMN


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
