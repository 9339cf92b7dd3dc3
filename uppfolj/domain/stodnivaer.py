"""The support levels (stödnivåer) of lägenhetsboende, as seed 002 describes them.

The level table ("Bedömningsstöd för stödnivåer"), the time that is and is not
counted, the three questions on a changed need, and SBMS-NIVA-6H. Plain Python:
the application shows this content wherever a level is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import Source


@dataclass(frozen=True)
class Stodniva:
    """One level: its code, name, content (Innehåll) and assessment support (Bedömningsstöd)."""

    kod: str
    namn: str
    innehall: str
    bedomningsstod: tuple[str, ...]
    # The individual support the level holds, in minutes a week (låg: about an
    # hour every other week).
    upp_till_minuter_per_vecka: int

    @property
    def sammanfattning(self) -> str:
        """Return the one-line content of RULES.md's level table, in Swedish."""
        return SAMMANFATTNING[self.kod]


SOURCE = Source("002", "Bedömningsstöd för stödnivåer", "Nivå – Innehåll – Bedömningsstöd")

# Seed 002's table, word for word (the source's line breaks removed).
STODNIVAER: tuple[Stodniva, ...] = (
    Stodniva(
        kod="lag",
        namn="Låg",
        innehall=(
            "Fysisk tillsyn med individuellt stöd enligt genomförandeplan varannan vecka cirka "
            "en (1) timme per tillfälle. Referenser utgör den huvudsakliga delen av insatsen. "
            "Denna stödinsats används främst i slutet av en placering eller när den enskildes "
            "stödbehov tillgodoses av andra insatser."
        ),
        bedomningsstod=(
            "Fysisk tillsyn innebär att boendepersonal träffar brukaren personligen.",
            "Uppdraget till boendepersonalen är framför allt att följa upp det som krävs för "
            "att referensskrivning ska kunna ske.",
            "En del som kan ingå är t ex boendecoachning vilket i så fall tydliggörs i uppdraget.",
        ),
        upp_till_minuter_per_vecka=30,
    ),
    Stodniva(
        kod="medel",
        namn="Medel",
        innehall=(
            "Fysisk tillsyn en (1) till två (2) gånger i veckan, stöd enligt genomförandeplan "
            "och individuellt stöd upp till tre (3) timmar i veckan."
        ),
        bedomningsstod=(),
        upp_till_minuter_per_vecka=3 * 60,
    ),
    Stodniva(
        kod="hog",
        namn="Hög",
        innehall=(
            "Kontakt ska tas varje dag varav fysisk tillsyn två (2) till tre (3) gånger i veckan "
            "(innefattar även helgdagar), stöd enligt genomförandeplan och individuellt stöd "
            "upp till 6 timmar i veckan."
        ),
        bedomningsstod=(
            "Kontakt innebär att boendepersonalen har kontakt med brukaren, kan ske via t.ex. "
            "telefon, sms eller videosamtal.",
            "Kontakt ska som utgångspunkt tas varje dag om inte annat avtalas mellan brukare, "
            "boendepersonal och socialsekreterare.",
            "Boendet ska kunna erbjuda fysisk tillsyn vilken veckodag som helst, inte bara "
            "vardagar.",
            "Om stödbehovet är mer än sex timmar ska andra kompletterande insatser övervägas.",
        ),
        upp_till_minuter_per_vecka=6 * 60,
    ),
)

SAMMANFATTNING = {
    "lag": "Fysisk tillsyn varannan vecka, cirka en timme per tillfälle; referenser är den "
    "huvudsakliga delen.",
    "medel": "Fysisk tillsyn 1–2 gånger i veckan, individuellt stöd upp till 3 timmar i veckan.",
    "hog": "Kontakt varje dag, fysisk tillsyn 2–3 gånger i veckan (även helgdagar), "
    "individuellt stöd upp till 6 timmar i veckan.",
}

STODNIVAER_BY_KOD: dict[str, Stodniva] = {niva.kod: niva for niva in STODNIVAER}
NIVA_VAL: list[tuple[str, str]] = [(niva.kod, niva.namn) for niva in STODNIVAER]

# 002: the levels measure the direct time with the individual (direkt brukartid).
TID_SOM_NIVABEDOMS: tuple[str, ...] = (
    "Hembesök",
    "Samtal",
    "Möten",
    "Aktiviteter",
    "Telefonkontakt, email, sms",
    "Ärenden med och för brukaren",
    "Praktiskt stöd i hemmet",
    "Transporttid med brukaren",
    "Planering med brukaren i SIP-processen",
    "Tillsammans med brukaren kontakt med myndigheter, vårdgivare och övriga i personens nätverk",
)
TID_SOM_INTE_NIVABEDOMS: tuple[str, ...] = (
    "Social dokumentation",
    "Löpande kontakt och avstämning med myndigheter, vårdgivare och övriga i personens nätverk",
    "Restid till och från brukaren",
    "Planering inför brukartid",
)

# 002 "Genomföra och följa upp": what the basis for a follow-up says about the level.
FRAGOR: tuple[str, str, str] = (
    "På vilket sätt har den enskildes behov av stöd ökat respektive minskat?",
    "Vad är anledningen till det förändrade behovet?",
    "Varaktighet över tid?",
)
FRAGOR_SOURCE = Source(
    "002",
    "Hantering av stödnivåer – process, Genomföra och följa upp",
    "ska det framgå om det finns behov av att justera stödnivån och skälen till detta",
)

# SBMS-NIVA-6H: "Om stödbehovet är mer än sex timmar ska andra kompletterande insatser
# övervägas."
SEX_TIMMAR_MINUTER = 6 * 60


def niva_namn(kod: str) -> str:
    """Return the Swedish name of a level code ("hog" → "Hög")."""
    return STODNIVAER_BY_KOD[kod].namn


def over_sex_timmar(niva: str, bedomt_behov_minuter: int | None) -> bool:
    """Return whether SBMS-NIVA-6H applies: level hög and an assessed need over six hours."""
    return (
        niva == "hog"
        and bedomt_behov_minuter is not None
        and bedomt_behov_minuter > SEX_TIMMAR_MINUTER
    )


def sex_timmar_meddelande(bedomt_behov_minuter: int) -> str:
    """Return the SBMS-NIVA-6H message for an assessed need in minutes a week."""
    hours, minutes = divmod(bedomt_behov_minuter, 60)
    tid = f"{hours} tim {minutes} min" if minutes else f"{hours} tim"
    return (
        f"Bedömt behov är {tid} i veckan, mer än de sex timmar som nivån hög rymmer. "
        "Överväg andra kompletterande insatser, till exempel kompletterande hemtjänst eller "
        "särskilt boende."
    )
