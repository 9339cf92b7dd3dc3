"""Writes of the follow-up: booking the meeting and registering the follow-up document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.access import require_event_allowed, require_handle
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import bevakningar_berakna, journal_skriv, save_event, snapshot
from uppfolj.audit.services import audit_record
from uppfolj.domain import checklistor
from uppfolj.lib.konflikt import Redigeringskonflikt

from ..models import Uppfoljning, Uppfoljningsmote

MOTE_I_DATID = "Mötet kan inte bokas bakåt i tiden."
PLATS_KRAVS = "Ange var mötet hålls."
LANK_KRAVS = "Ange länken till det digitala mötet."
KALLADE_KRAVS = "Ange vilka som kallas till mötet."
AVSLUTAT = "Ärendet är avslutat; inget mer kan registreras i det."
EJ_VERKSTALLT = "Insatsen har inte verkställts; det finns ännu ingenting att följa upp."
FEL_MOTE = "Mötet hör inte till ärendet eller är inte längre bokat."
SENARE_MOTE = "Mötet är bokat till en senare dag än uppföljningens datum."


class UppfoljningKonflikt(Redigeringskonflikt):
    """Another follow-up of the case was registered after the user opened the form."""

    MALL = (
        "En uppföljning har registrerats av {av} {nar} sedan du öppnade formuläret. Din "
        "uppföljning är inte registrerad – här är dina uppgifter, jämför och registrera igen."
    )


def uppfoljning_grundversion(arende: Arende) -> int:
    """Return the version token of the case's follow-ups: how many have been registered."""
    # Follow-ups are never changed or deleted one by one, so their count only grows.
    return arende.uppfoljningar.count()


def _require_open(arende: Arende) -> None:
    if arende.ar_avslutat():
        raise ValidationError(AVSLUTAT)


@transaction.atomic
def uppfoljningsmote_boka(
    *,
    actor: Any,
    arende: Arende,
    tid: datetime,
    form: str,
    plats: str,
    kallade: list[str],
) -> Uppfoljningsmote:
    """Book a follow-up meeting with the individual, the social worker and contact staff."""
    require_handle(actor, arende)
    _require_open(arende)
    errors: dict[str, str] = {}
    # A meeting held earlier today (a home visit, say) may still be booked and recorded.
    if timezone.localtime(tid).date() < timezone.localdate():
        errors["tid"] = MOTE_I_DATID
    if not plats.strip():
        errors["plats"] = LANK_KRAVS if form == Uppfoljningsmote.Form.DIGITALT else PLATS_KRAVS
    names = [name.strip() for name in kallade if name and name.strip()]
    if not names:
        errors["kallade"] = KALLADE_KRAVS
    if errors:
        raise ValidationError(errors)
    mote = Uppfoljningsmote(
        arende=arende,
        tid=tid,
        form=form,
        plats=plats.strip(),
        kallade="\n".join(dict.fromkeys(names)),
        bokat_av=actor,
    )
    mote.full_clean()
    mote.save()
    audit_record(
        actor=actor,
        action="uppfoljningsmote_boka",
        obj=mote,
        arende=arende,
        after=snapshot(mote),
    )
    return mote


@transaction.atomic
def uppfoljning_registrera(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    svar: dict[str, Any],
    den_enskilde_deltog: bool | None,
    samma_utforare: bool | None,
    atgard: str,
    nasta_mote: date | None,
    orsak_ej_deltagit: str = "",
    mote: Uppfoljningsmote | None = None,
    grundversion: int | None = None,
) -> Uppfoljning:
    """Register a follow-up and its `uppfoljning` event, from which the follow-up clocks
    (SBMS-UPPF-3M, VOB-UPPF-12M, GEN-TAT-UPPF-3M) start again; summarise it in the journal.

    `grundversion` is uppfoljning_grundversion() as the user's form was opened; when another
    follow-up has been registered since, UppfoljningKonflikt is raised and nothing is saved.
    """
    require_handle(actor, arende)
    # One writer at a time per case: the check below and the insert cannot interleave.
    Arende.objects.select_for_update().filter(pk=arende.pk).first()
    if grundversion is not None:
        aktuell = uppfoljning_grundversion(arende)
        senaste = arende.uppfoljningar.select_related("skriven_av").order_by("-skapad", "-pk")
        if aktuell != grundversion and (annan := senaste.first()) is not None:
            raise UppfoljningKonflikt(
                aktuell=aktuell, av=annan.skriven_av.visningsnamn, tid=annan.skapad
            )
    require_event_allowed(actor, arende, "uppfoljning")
    _require_open(arende)
    if mote is not None:
        # Read again under the lock: another save may just have recorded this meeting.
        mote = Uppfoljningsmote.objects.get(pk=mote.pk)
    if not arende.handelser.filter(typ="verkstallt").exists():
        raise ValidationError(EJ_VERKSTALLT)
    if mote is not None and (
        mote.arende_id != arende.pk or mote.status != Uppfoljningsmote.Status.BOKAT
    ):
        raise ValidationError({"mote": FEL_MOTE})
    if mote is not None and timezone.localtime(mote.tid).date() > datum:
        raise ValidationError({"mote": SENARE_MOTE})
    checklista = checklistor.checklista_for(arende.insats)
    boendeform = arende.boendeform or None
    errors = checklistor.granska(
        checklista,
        svar=svar,
        boendeform=boendeform,
        datum=datum,
        den_enskilde_deltog=den_enskilde_deltog,
        orsak_ej_deltagit=orsak_ej_deltagit,
        samma_utforare=samma_utforare,
        atgard=atgard,
        nasta_mote=nasta_mote,
        tatare_uppfoljning=arende.tatare_uppfoljning,
    )
    if datum > timezone.localdate():
        errors.setdefault("datum", []).append("Datumet får inte ligga i framtiden.")
    if errors:
        raise ValidationError(errors)
    deltog = bool(den_enskilde_deltog)  # granska() has refused a missing answer
    clean = checklistor.rensa_svar(checklista, svar, boendeform)
    orsak = "" if deltog else orsak_ej_deltagit.strip()
    handelse = save_event(actor, arende, "uppfoljning", datum, {})
    uppfoljning = Uppfoljning(
        arende=arende,
        handelse=handelse,
        mote=mote,
        datum=datum,
        checklista=checklista.key,
        svar=clean,
        den_enskilde_deltog=deltog,
        orsak_ej_deltagit=orsak,
        samma_utforare=samma_utforare,
        atgard=atgard,
        nasta_mote=nasta_mote,
        skriven_av=actor,
    )
    uppfoljning.full_clean()
    uppfoljning.save()
    if mote is not None:
        mote.status = Uppfoljningsmote.Status.GENOMFORT
        mote.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="uppfoljningsmote_genomfort",
            obj=mote,
            arende=arende,
            before={"status": Uppfoljningsmote.Status.BOKAT},
            after={"status": mote.status, "uppfoljning": uppfoljning.pk},
        )
    journal_skriv(
        actor=actor,
        arende=arende,
        datum=datum,
        rubrik="Uppföljning av pågående beslut",
        text=checklistor.sammanfattning(
            checklista,
            svar=clean,
            boendeform=boendeform,
            den_enskilde_deltog=deltog,
            orsak_ej_deltagit=orsak,
            samma_utforare=samma_utforare,
            atgard=atgard,
            nasta_mote=nasta_mote,
        ),
    )
    audit_record(
        actor=actor,
        action="uppfoljning_registrera",
        obj=uppfoljning,
        arende=arende,
        after=snapshot(uppfoljning),
    )
    bevakningar_berakna(arende=arende)
    return uppfoljning
