"""Forms of the genomförandeplan and of consents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from uppfolj.accounts.models import Utforare
from uppfolj.arenden.forms import DATE_WIDGET, DatumForm
from uppfolj.domain.ibic import EXEMPEL_AKTIVITETER
from uppfolj.lib.konflikt import grundversion_falt

from .models import Delmal, Genomforandeplan, Samtycke
from .services.plan import INGET_DELMAL

TEXT = forms.Textarea(attrs={"rows": 3})


class PlanForm(DatumForm, forms.ModelForm):
    delaktighet = forms.TypedChoiceField(
        label="Den enskildes delaktighet",
        choices=[
            ("1", "Den enskilde har deltagit i att upprätta planen"),
            ("0", "Den enskilde har inte deltagit"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Ange om den enskilde har deltagit."},
    )
    andra_planer = forms.MultipleChoiceField(
        label="Andra planer som samordnas",
        choices=Genomforandeplan.ANDRA_PLANER,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the form was filled from (0: the first plan); see PlanKonflikt.
    grundversion = grundversion_falt()

    class Meta:
        model = Genomforandeplan
        fields = [
            "arbetssatt",
            "bemotande",
            "krisplan",
            "krisplan_kontakter",
            "krisplan_samtycke",
            "delaktighet",
            "delaktighet_beskrivning",
            "andra_planer",
            "andra_planer_beskrivning",
            "kopia_overlamnad",
        ]
        widgets = {
            "arbetssatt": TEXT,
            "bemotande": TEXT,
            "krisplan": TEXT,
            "krisplan_kontakter": forms.Textarea(attrs={"rows": 2}),
            "delaktighet_beskrivning": TEXT,
            "andra_planer_beskrivning": forms.Textarea(attrs={"rows": 2}),
            "kopia_overlamnad": DATE_WIDGET,
        }
        labels = {
            "arbetssatt": "Arbetsmetod",
            "bemotande": "Bemötande",
            "krisplan": "Krisplan",
            "krisplan_kontakter": "Vem som ska kontaktas",
            "krisplan_samtycke": "Den enskilde samtycker till att de angivna kontaktas",
            "delaktighet_beskrivning": "Hur delaktigheten har eftersträvats",
            "andra_planer_beskrivning": "Hur planerna samordnas",
            "kopia_overlamnad": "Kopia överlämnad till den enskilde",
        }
        help_texts = {
            "delaktighet_beskrivning": "Krävs om den enskilde inte har deltagit: hur "
            "delaktigheten har eftersträvats och varför det inte gick (GEN-GFP-DELAKTIGHET).",
            "kopia_overlamnad": "Lämna tomt om kopian inte är överlämnad ännu. Datumet kan "
            "registreras senare på planens sida.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["datum"].label = "Planen upprättad"
        self.order_fields(["datum"])


class DelmalForm(forms.ModelForm):
    class Meta:
        model = Delmal
        fields = ["livsomrade", "mal", "aktiviteter", "matbart", "klart_senast"]
        widgets = {
            "mal": forms.Textarea(attrs={"rows": 2}),
            "aktiviteter": TEXT,
            "matbart": forms.Textarea(attrs={"rows": 2}),
            "klart_senast": DATE_WIDGET,
        }
        labels = {"livsomrade": "Livsområde (IBIC)", "mal": "Delmål"}
        help_texts = {
            "mal": "Vad ska uppnås? Specifikt, angeläget och realistiskt.",
            "aktiviteter": "Hur stödet ska ges. Se förslagen för livsområdet nedan.",
            "matbart": "Mätbart: vad visar att målet är nått?",
            "klart_senast": "Tidsbegränsat.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        livsomrade: Any = self.fields["livsomrade"]
        livsomrade.choices = [("", "Välj livsområde"), *list(livsomrade.choices)[1:]]


class BaseDelmalFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # A sub-goal left wholly empty is skipped rather than refused; the plan as a
        # whole needs at least one (see clean).
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def ifyllda(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.has_changed() and not getattr(form, "cleaned_data", {}).get("DELETE")
        ]

    def clean(self) -> None:
        if not self.ifyllda():
            raise forms.ValidationError(INGET_DELMAL)

    def delmal(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"} for form in self.ifyllda()
        ]


DelmalFormSet = forms.formset_factory(
    DelmalForm,
    formset=BaseDelmalFormSet,
    extra=0,
    can_delete=True,
    max_num=30,
    absolute_max=30,
)


def forslag_infoga(data: QueryDict, prefix: str = "delmal") -> tuple[QueryDict, int]:
    """Return the posted data with each ticked suggestion added to its sub-goal's activities."""
    data = data.copy()
    added = 0
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 30)
    except ValueError:
        total = 0
    known = {text for examples in EXEMPEL_AKTIVITETER.values() for text in examples}
    for index in range(total):
        picks = [p for p in data.getlist(f"{prefix}-{index}-forslag") if p in known]
        text = str(data.get(f"{prefix}-{index}-aktiviteter", "")).rstrip()
        for pick in picks:
            if pick not in text:
                text = f"{text}\n{pick}" if text else pick
                added += 1
        data[f"{prefix}-{index}-aktiviteter"] = text
        data.pop(f"{prefix}-{index}-forslag", None)
    return data, added


def as_initial(form: forms.Form) -> dict[str, Any]:
    """Return a bound form's raw values as initial values, to show it again without errors."""
    return {name: form[name].value() for name in form.fields if name != "DELETE"}


class KopiaForm(DatumForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["datum"].label = "Datum då kopian lämnades till den enskilde"


class SamtyckeForm(forms.ModelForm):
    class Meta:
        model = Samtycke
        fields = [
            "motpart",
            "utforare",
            "omfattning",
            "omfattar_genomforandeplan",
            "fran",
            "till",
            "givet_hur",
        ]
        widgets = {
            "omfattning": forms.Textarea(attrs={"rows": 2}),
            "fran": DATE_WIDGET,
            "till": DATE_WIDGET,
            "givet_hur": forms.RadioSelect,
        }
        labels = {"givet_hur": "Samtycket gavs", "utforare": "Gäller utföraren"}
        help_texts = {
            "motpart": "Till exempel socialsekreteraren, psykiatrin, en anhörig.",
            "till": "Lämna tomt om samtycket gäller tills vidare.",
            "omfattar_genomforandeplan": "Hos en privat utförare får socialsekreteraren "
            "läsa genomförandeplanen bara med detta samtycke (ACC-SEKRETESSGRANS).",
            "utforare": "Lämna tomt om samtycket inte gäller en viss utförare.",
        }

    def __init__(self, *args: Any, utforare: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice: Any = self.fields["utforare"]
        choice.empty_label = "Ingen särskild utförare"
        choice.queryset = (
            Utforare.objects.filter(pk=utforare.pk) if utforare else Utforare.objects.all()
        )
        self.fields["givet_hur"].choices = Samtycke.GivetHur.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fran, till = data.get("fran"), data.get("till")
        if fran and till and till < fran:
            self.add_error("till", "Slutdatumet ligger före startdatumet.")
        return data


class AterkallaForm(DatumForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["datum"].label = "Återkallat"
