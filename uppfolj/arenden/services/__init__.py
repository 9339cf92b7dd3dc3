"""Writes on cases: one function per change; each checks access, audits and recomputes.

The modules hold the events and bevakningar (`handelser`), the authority's steps
(`steg`), the journal (`journal`) and grants to protected cases (`behorighet`); the
functions are used as `services.<name>` from here.
"""

from .behorighet import behorighet_bevilja
from .handelser import (
    EFTER_AVSLUT,
    arende_timeline,
    bevakningar_berakna,
    handelse_as_event,
    handelse_registrera,
    local_defaults,
    require_oppet,
    save_event,
    snapshot,
)
from .journal import journal_felmarkera, journal_skriv
from .steg import (
    ProposedWarning,
    WarningsNeedReasons,
    anmalan_registrera,
    ansokan_registrera,
    arende_oppna,
    avslut_registrera,
    beslut_fatta,
    beslut_varningar,
    kommunicering_registrera,
    new_timeline_warnings,
    person_registrera,
    require_reasons,
    store_reasons,
    uppdrag_skicka,
    uppdrag_varningar,
    utredning_registrera,
    varning_kvittera,
    verkstallighet_registrera,
)

__all__ = [
    "EFTER_AVSLUT",
    "ProposedWarning",
    "WarningsNeedReasons",
    "anmalan_registrera",
    "ansokan_registrera",
    "arende_oppna",
    "arende_timeline",
    "avslut_registrera",
    "behorighet_bevilja",
    "beslut_fatta",
    "beslut_varningar",
    "bevakningar_berakna",
    "handelse_as_event",
    "handelse_registrera",
    "journal_felmarkera",
    "journal_skriv",
    "kommunicering_registrera",
    "local_defaults",
    "new_timeline_warnings",
    "person_registrera",
    "require_oppet",
    "require_reasons",
    "save_event",
    "snapshot",
    "store_reasons",
    "uppdrag_skicka",
    "uppdrag_varningar",
    "utredning_registrera",
    "varning_kvittera",
    "verkstallighet_registrera",
]
