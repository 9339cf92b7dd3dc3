"""Optimistic locking of shared documents: the version a form started from, and the conflict."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone


class Redigeringskonflikt(Exception):
    """Someone saved the document after the user opened it; this save was refused whole.

    `aktuell` is the version token as it is now: the form is shown again with the user's
    input and this token, so that saving again is a deliberate choice over the newer text.
    """

    # "{av}" and "{nar}" are filled in; subclasses give the document's own wording.
    MALL = "Dokumentet har ändrats av {av} {nar} sedan du öppnade det."

    def __init__(self, *, aktuell: int, av: str, tid: datetime) -> None:
        self.aktuell = aktuell
        self.av = av
        self.tid = tid
        super().__init__(self.meddelande)

    @property
    def nar(self) -> str:
        local = timezone.localtime(self.tid)
        if local.date() == timezone.localdate():
            return f"kl {local:%H:%M}"
        return f"den {local:%Y-%m-%d} kl {local:%H:%M}"

    @property
    def meddelande(self) -> str:
        return self.MALL.format(av=self.av, nar=self.nar)


GRUNDVERSION_SAKNAS = (
    "Sidan saknar uppgift om vilken version du utgick från. Ladda om sidan och försök igen."
)


def grundversion_falt() -> forms.IntegerField:
    """Return the hidden form field that carries the version the user started from."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": GRUNDVERSION_SAKNAS,
            "invalid": GRUNDVERSION_SAKNAS,
            "min_value": GRUNDVERSION_SAKNAS,
        },
    )
