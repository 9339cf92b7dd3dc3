"""One small city for the authorization matrix, the access-log and the protected-identity tests.

Four boendestöd cases, each with an uppdrag and every kind of document a route can show
(plan versions, consent, contact staff, daily note, summary, journal entry, follow-up,
lex Sarah report, grant), and a socialt boende med stöd case beside each for the routes
that only apply to lägenhetsboende:

- egen: the cast's district (Bromma), uppdrag to the cast's provider;
- annat: another district (Kista), uppdrag to the cast's provider;
- skyddad: Bromma, the cast's provider, protected identity, no grant to the cast;
- utan: Bromma, uppdrag to another provider (none to the cast's provider).

The documents are written by helper users outside the cast, granted the protected case,
so that no cast member has read or written anything before a test starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Arende, Behorighet, Handelse, Journalanteckning, Person
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.uppfoljning.models import Uppfoljning
from uppfolj.utforare.models import Daganteckning, Kontaktpersonal, Sammanstallning, Samtycke
from uppfolj.utforare.services.plan import genomforandeplan_spara
from uppfolj.utforare.services.uppdrag import uppdrag_acceptera, utforarsteg_registrera
from uppfolj.utforare.tests.uppdrag_helpers import beviljad

TODAY = "2026-04-20 10:00 +02:00"
IDAG = date(2026, 4, 20)
SKICKAT = date(2026, 3, 24)

KINDS = ("egen", "annat", "skyddad", "utan")

# The protected person's values, distinctive so that a search of any output is exact.
SKYDDAD_FORNAMN = "Skyddadnamn"
SKYDDAD_EFTERNAMN = "Hemligsson"
SKYDDAD_ADRESS = "Gömdgatan 17"
SKYDDAD_POSTNUMMER = "16299"
SKYDDAD_ORT = "Dolderyd"
SKYDDAD_TELEFON = "070-999 88 77"


@dataclass
class Fall:
    """One case of the city and the ids of its documents, by URL parameter."""

    arende: Arende
    sbms: Arende
    ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Varld:
    fall: dict[str, Fall]
    helpers: dict[str, User]
    cast: dict[str, User]
    # Every log record written while the city was built (the protected-identity test
    # searches them with the ones its own requests write).
    logg: list[logging.LogRecord] = field(default_factory=list)

    def arende(self, kind: str) -> Arende:
        return self.fall[kind].arende


def _helper(username: str, roll: str, **extra: Any) -> User:
    return User.objects.create_user(
        username=username, password="x", roll=roll, first_name=username.title(), **extra
    )


def bygg_varld(cast: dict[str, Any], make_case: Callable[..., Arende]) -> Varld:
    """Build the four cases with their documents; call inside time_machine at TODAY."""
    bromma = cast["socialsekreterare"].distrikt
    kista = Distrikt.objects.create(namn="Kista")
    tilldelad = cast["boendestodjare"].utforare
    annan = cast["boendestodjare_annan"].utforare
    helpers = {
        "sekr": _helper("hjalp_sekr", Roll.SOCIALSEKRETERARE, distrikt=bromma),
        "sekr_kista": _helper("hjalp_sekr_kista", Roll.SOCIALSEKRETERARE, distrikt=kista),
        "forste": _helper("hjalp_forste", Roll.FORSTE_SOCIALSEKRETERARE, distrikt=bromma),
        "ped": _helper("hjalp_ped", Roll.STODPEDAGOG, utforare=tilldelad),
        "ped_annan": _helper("hjalp_ped_annan", Roll.STODPEDAGOG, utforare=annan),
    }
    spec = {
        "egen": (bromma, tilldelad, False, "sekr", "ped"),
        "annat": (kista, tilldelad, False, "sekr_kista", "ped"),
        "skyddad": (bromma, tilldelad, True, "sekr", "ped"),
        "utan": (bromma, annan, False, "sekr", "ped_annan"),
    }
    fall = {}
    for kind, (distrikt, utforare, skyddad, sekr_key, ped_key) in spec.items():
        sekr, ped = helpers[sekr_key], helpers[ped_key]
        fall[kind] = _bygg_fall(
            make_case, kind, distrikt, utforare, skyddad, sekr, ped, helpers["forste"]
        )
    _skydda_person(fall["skyddad"])
    # The city starts with empty logs: only what the tests do is in them.
    AccessLog.objects.all().delete()
    AuditLog.objects.all().delete()
    return Varld(fall=fall, helpers=helpers, cast=cast)


def _bygg_fall(
    make_case: Callable[..., Arende],
    kind: str,
    distrikt: Distrikt,
    utforare: Utforare,
    skyddad: bool,
    sekr: User,
    ped: User,
    forste: User,
) -> Fall:
    arende = make_case(
        beviljad(SKICKAT),
        case_id=f"M-{kind}",
        utforare=None,
        skyddad=skyddad,
        distrikt=distrikt.namn,
    )
    sbms = make_case(
        [
            *beviljad(SKICKAT),
            {"date": SKICKAT.isoformat(), "type": "uppdrag_skickat", "stodniva": "medel"},
            {"date": "2026-03-30", "type": "verkstallt", "grad": "helt"},
        ],
        case_id=f"M-{kind}-sbms",
        insats="socialt_boende_med_stod",
        boendeform="lagenhetsboende",
        utforare=utforare,
        skyddad=skyddad,
        distrikt=distrikt.namn,
    )
    for case in (arende, sbms):
        if skyddad:
            for user in (sekr, ped):
                Behorighet.objects.create(arende=case, anvandare=user, beviljad_av=forste)
    uppdrag = arende_services.uppdrag_skicka(
        actor=sekr,
        arende=arende,
        datum=SKICKAT,
        utforare=utforare,
        mal="Klara tvätt och städning på egen hand.",
        personligt_mal="Kunna bjuda hem min syster.",
        livsomraden=["hemliv"],
        aktiviteter="Tvätta tillsammans varje vecka.",
        delmal="Tvättar själv i juli.",
    )
    arende.refresh_from_db()
    uppdrag_acceptera(actor=ped, uppdrag=uppdrag)
    utforarsteg_registrera(
        actor=ped, arende=arende, typ="verkstallt", datum=date(2026, 3, 30), grad="helt"
    )
    plan_fields: dict[str, Any] = {
        "datum": date(2026, 4, 6),
        "arbetssatt": "Vi gör sysslorna tillsammans.",
        "bemotande": "Vill bli påmind med sms dagen innan.",
        "krisplan": "Om jag slutar svara kontaktas min syster.",
        "krisplan_kontakter": "Syster Anna, 070-111 22 33",
        "krisplan_samtycke": True,
        "delaktighet": True,
        "delmal": [
            {
                "livsomrade": "hemliv",
                "mal": "Tvätta själv en gång i veckan.",
                "aktiviteter": "Tvättstugan på tisdagar.",
                "matbart": "Tvätten gjord fyra veckor i rad.",
                "klart_senast": date(2026, 7, 31),
            }
        ],
    }
    genomforandeplan_spara(actor=ped, arende=arende, **plan_fields)
    plan2 = genomforandeplan_spara(
        actor=ped, arende=arende, **{**plan_fields, "datum": date(2026, 4, 13)}
    )
    kontakt = Kontaktpersonal.objects.create(
        arende=arende, personal=ped, fran=date(2026, 3, 30), tilldelad_av=ped
    )
    samtycke = Samtycke.objects.create(
        person=arende.person,
        motpart="Socialsekreteraren",
        omfattning="Genomförandeplanen inför uppföljning.",
        fran=date(2026, 4, 1),
        givet_hur="muntligt",
        omfattar_genomforandeplan=True,
        registrerat_av=sekr,
    )
    anteckning = Daganteckning.objects.create(
        arende=arende, datum=date(2026, 4, 7), text="Vi tvättade tillsammans.", skriven_av=ped
    )
    sammanstallning = Sammanstallning.objects.create(
        arende=arende,
        period_fran=date(2026, 3, 30),
        period_till=date(2026, 4, 12),
        tidsanvandning="Tre timmar i veckan.",
        malarbete_individ="Tvättar med stöd.",
        malarbete_utforare="Stöttar vid tvätt.",
        skriven_av=ped,
    )
    journal = Journalanteckning.objects.create(
        arende=arende,
        datum=date(2026, 4, 8),
        rubrik="Samtal",
        text="Samtal om tvätten.",
        skriven_av=sekr,
    )
    uppf_handelse = Handelse.objects.create(
        arende=arende, typ="uppfoljning", datum=date(2026, 4, 14)
    )
    uppfoljning = Uppfoljning.objects.create(
        arende=arende,
        handelse=uppf_handelse,
        datum=date(2026, 4, 14),
        checklista="boendestod",
        den_enskilde_deltog=True,
        atgard="fortsatt",
        skriven_av=sekr,
    )
    lex_sarah = Handelse.objects.create(
        arende=arende,
        typ="lex_sarah",
        datum=date(2026, 4, 15),
        data={"beskrivning": "Missat besök."},
        registrerad_av=ped,
    )
    grant = Behorighet.objects.create(arende=arende, anvandare=forste, beviljad_av=forste)
    ids = {
        "uppdrag": uppdrag.pk,
        "kontaktpersonal": kontakt.pk,
        "samtycke": samtycke.pk,
        "daganteckning": anteckning.pk,
        "sammanstallning": sammanstallning.pk,
        "journal": journal.pk,
        "uppfoljning": uppfoljning.pk,
        "lex_sarah": lex_sarah.pk,
        "behorighet": grant.pk,
        "plan": plan2.version,
    }
    return Fall(arende=arende, sbms=sbms, ids=ids)


def _skydda_person(fall: Fall) -> None:
    Person.objects.filter(pk=fall.arende.person_id).update(
        fornamn=SKYDDAD_FORNAMN,
        efternamn=SKYDDAD_EFTERNAMN,
        adress=SKYDDAD_ADRESS,
        postnummer=SKYDDAD_POSTNUMMER,
        ort=SKYDDAD_ORT,
        telefon=SKYDDAD_TELEFON,
    )
    Person.objects.filter(pk=fall.sbms.person_id).update(
        fornamn=SKYDDAD_FORNAMN, efternamn=SKYDDAD_EFTERNAMN, adress=SKYDDAD_ADRESS
    )
    fall.arende.person.refresh_from_db()
