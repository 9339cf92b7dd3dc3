"""The provider's writes on an uppdrag: answer it, distribute it, carry it out, close it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.accounts.models import UTFORAR_ROLLER
from uppfolj.arenden import services as arende_services
from uppfolj.arenden.access import require_visible
from uppfolj.arenden.models import Arende, Handelse, Uppdrag
from uppfolj.audit.services import audit_record

from ..access import require_distributor, require_provider_staff
from ..models import Kontaktpersonal, Slutanteckning, UppdragSvar

# 003 "Att verkställa beslutat bistånd": "minst två bör vara kopplade" to each individual.
MINSTA_KONTAKTPERSONAL = 2

# The provider's own steps from the uppdrag to the executed decision (003 Genomföra insats).
UTFORARSTEG = ("kontakt_tagen", "uppstartsmote", "verkstallt")


def kontaktpersonal_for_fa(antal: int) -> bool:
    """Return whether `antal` assigned staff are fewer than 003 asks for."""
    return antal < MINSTA_KONTAKTPERSONAL


def aktuellt_uppdrag(arende: Arende) -> Uppdrag | None:
    """Return the case's latest uppdrag document (imported cases may have none)."""
    return Uppdrag.objects.filter(arende=arende).order_by("-datum", "-id").first()


def _require_provider(actor: Any, arende: Arende) -> None:
    # Visibility first, so that nothing below tells about a case the actor may not see.
    require_visible(actor, arende)
    require_provider_staff(actor, arende)


def _require_accepted(arende: Arende) -> Uppdrag | None:
    """Raise unless the provider has accepted the case's current uppdrag."""
    uppdrag = aktuellt_uppdrag(arende)
    if uppdrag is not None and (
        uppdrag.utforare_id != arende.utforare_id or uppdrag.status != Uppdrag.Status.ACCEPTERAT
    ):
        raise ValidationError("Acceptera uppdraget först.")
    return uppdrag


def _locked_new_uppdrag(actor: Any, uppdrag: Uppdrag) -> Uppdrag:
    _require_provider(actor, uppdrag.arende)
    locked = Uppdrag.objects.select_for_update().select_related("arende").get(pk=uppdrag.pk)
    if locked.utforare_id != actor.utforare_id:
        raise PermissionDenied("Uppdraget är inte skickat till din utförare.")
    if locked.status != Uppdrag.Status.SKICKAT:
        raise ValidationError("Uppdraget är redan besvarat.")
    return locked


def _answer(actor: Any, uppdrag: Uppdrag, *, accepterat: bool, skal: str) -> UppdragSvar:
    svar = UppdragSvar(uppdrag=uppdrag, accepterat=accepterat, skal=skal, besvarat_av=actor)
    svar.full_clean()
    svar.save()
    before = {"status": uppdrag.status}
    uppdrag.status = Uppdrag.Status.ACCEPTERAT if accepterat else Uppdrag.Status.RETURNERAT
    uppdrag.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="uppdrag_acceptera" if accepterat else "uppdrag_returnera",
        obj=uppdrag,
        arende=uppdrag.arende,
        before=before,
        after={"status": uppdrag.status, "svar": svar.pk, "skal": skal},
    )
    return svar


@transaction.atomic
def uppdrag_acceptera(*, actor: Any, uppdrag: Uppdrag) -> UppdragSvar:
    """Accept an uppdrag sent to the actor's provider."""
    return _answer(actor, _locked_new_uppdrag(actor, uppdrag), accepterat=True, skal="")


@transaction.atomic
def uppdrag_returnera(*, actor: Any, uppdrag: Uppdrag, skal: str) -> UppdragSvar:
    """Send an uppdrag back to the social worker with a reason; the case leaves the provider."""
    locked = _locked_new_uppdrag(actor, uppdrag)
    if not skal.strip():
        raise ValidationError({"skal": "Ange varför uppdraget skickas tillbaka."})
    svar = _answer(actor, locked, accepterat=False, skal=skal.strip())
    arende = locked.arende
    before = {"utforare": arende.utforare_id}
    arende.utforare = None
    arende.save(update_fields=["utforare"])
    audit_record(
        actor=actor,
        action="arende_utforare_andra",
        obj=arende,
        arende=arende,
        before=before,
        after={"utforare": None},
    )
    return svar


# --- Fördelning: contact staff ------------------------------------------------------------


def aktiv_kontaktpersonal(arende: Arende, today: date) -> list[Kontaktpersonal]:
    """Return the staff assigned to the case on `today`."""
    return [k for k in arende.kontaktpersonal.select_related("personal") if _active(k, today)]


def _active(kontakt: Kontaktpersonal, today: date) -> bool:
    return kontakt.till is None or kontakt.till >= today


@transaction.atomic
def kontaktpersonal_tilldela(
    *, actor: Any, arende: Arende, personal: Any, fran: date
) -> Kontaktpersonal:
    """Assign a staff member of the provider as contact staff for the individual."""
    _require_provider(actor, arende)
    require_distributor(actor, arende)
    if arende.ar_avslutat():
        raise ValidationError("Ärendet är avslutat; ingen ny kontaktpersonal kan kopplas.")
    _require_accepted(arende)
    errors: dict[str, str] = {}
    if (
        not personal.is_active
        or personal.roll not in UTFORAR_ROLLER
        or personal.utforare_id != arende.utforare_id
    ):
        errors["personal"] = "Välj personal hos er egen utförare."
    elif not Arende.objects.visible_to(personal).filter(pk=arende.pk).exists():
        errors["personal"] = (
            f"{personal.visningsnamn} har inte behörighet till ärendet (skyddade "
            "personuppgifter). Ge behörighet först."
        )
    elif any(k.personal_id == personal.pk for k in aktiv_kontaktpersonal(arende, fran)):
        errors["personal"] = f"{personal.visningsnamn} är redan kontaktpersonal."
    if errors:
        raise ValidationError(errors)
    kontakt = Kontaktpersonal(arende=arende, personal=personal, fran=fran, tilldelad_av=actor)
    kontakt.full_clean()
    kontakt.save()
    audit_record(
        actor=actor,
        action="kontaktpersonal_tilldela",
        obj=kontakt,
        arende=arende,
        after={"personal": personal.username, "fran": fran.isoformat()},
    )
    return kontakt


@transaction.atomic
def kontaktpersonal_avsluta(
    *, actor: Any, kontaktpersonal: Kontaktpersonal, till: date
) -> Kontaktpersonal:
    """End a staff member's assignment on a date; the row stays as history."""
    arende = kontaktpersonal.arende
    _require_provider(actor, arende)
    require_distributor(actor, arende)
    locked = Kontaktpersonal.objects.select_for_update().get(pk=kontaktpersonal.pk)
    if locked.till is not None:
        raise ValidationError("Kopplingen är redan avslutad.")
    if till < locked.fran:
        raise ValidationError({"till": "Slutdatumet ligger före startdatumet."})
    locked.till = till
    locked.full_clean()
    locked.save(update_fields=["till"])
    audit_record(
        actor=actor,
        action="kontaktpersonal_avsluta",
        obj=locked,
        arende=arende,
        before={"till": None},
        after={"personal": locked.personal.username, "till": till.isoformat()},
    )
    return locked


def fordelningsbar_personal(arende: Arende) -> Any:
    """Return the provider's active staff, the candidates for contact staff."""
    users = get_user_model().objects.filter(is_active=True, roll__in=UTFORAR_ROLLER)
    if arende.utforare_id is None:
        return users.none()
    return users.filter(utforare_id=arende.utforare_id).order_by(
        "first_name", "last_name", "username"
    )


# --- Carrying out the uppdrag ---------------------------------------------------------------


@transaction.atomic
def utforarsteg_registrera(
    *, actor: Any, arende: Arende, typ: str, datum: date, grad: str = ""
) -> Handelse:
    """Register first contact, the start meeting or execution, once the uppdrag is accepted."""
    if typ not in UTFORARSTEG:
        raise ValidationError("Okänt steg.")
    _require_provider(actor, arende)
    uppdrag = _require_accepted(arende)
    sent = (
        arende.handelser.filter(typ="uppdrag_skickat").order_by("-datum", "-id").first()
        if uppdrag is None
        else uppdrag
    )
    if sent is not None and datum < sent.datum:
        raise ValidationError(
            {
                "datum": "Datumet kan inte ligga före den dag uppdraget skickades "
                f"({sent.datum:%Y-%m-%d})."
            }
        )
    if typ == "verkstallt":
        if grad not in ("helt", "delvis"):
            raise ValidationError({"grad": "Ange om insatsen är verkställd helt eller delvis."})
        return arende_services.verkstallighet_registrera(
            actor=actor, arende=arende, datum=datum, grad=grad
        )
    return arende_services.handelse_registrera(actor=actor, arende=arende, typ=typ, datum=datum)


# --- Slutanteckning (BS-SLUTANT) --------------------------------------------------------------


@transaction.atomic
def slutanteckning_skriv(
    *, actor: Any, arende: Arende, datum: date, genomforande: str, atgarder: str
) -> Slutanteckning:
    """Write the provider's final note on a closed case, meeting BS-SLUTANT."""
    _require_provider(actor, arende)
    avslut = arende.handelser.filter(typ="avslut").order_by("-datum", "-id").first()
    if avslut is None:
        raise ValidationError("Slutanteckningen skrivs när ärendet har avslutats.")
    if Slutanteckning.objects.filter(arende=arende).exists():
        raise ValidationError("Slutanteckningen är redan skriven.")
    errors: dict[str, str] = {}
    if datum > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    elif datum < avslut.datum:
        errors["datum"] = (
            f"Slutanteckningen kan inte dateras före avslutet ({avslut.datum:%Y-%m-%d})."
        )
    if not genomforande.strip():
        errors["genomforande"] = "Beskriv hur insatsen har genomförts och hur målen har nåtts."
    if not atgarder.strip():
        errors["atgarder"] = (
            "Beskriv vilka åtgärder som vidtagits för att anpassa insatsen till den "
            "enskildes behov."
        )
    if errors:
        raise ValidationError(errors)
    # SOSFS 2014:5 (003 Avsluta och utvärdera ärendet): the measures taken to adapt the
    # insats must show; the note keeps both parts under their own headings.
    text = (
        f"Genomförande och måluppfyllelse\n{genomforande.strip()}\n\n"
        f"Åtgärder för att anpassa insatsen\n{atgarder.strip()}"
    )
    handelse = arende_services.handelse_registrera(
        actor=actor, arende=arende, typ="slutanteckning", datum=datum
    )
    anteckning = Slutanteckning(
        arende=arende, handelse=handelse, datum=datum, text=text, skriven_av=actor
    )
    anteckning.full_clean()
    anteckning.save()
    audit_record(
        actor=actor,
        action="slutanteckning_skriv",
        obj=anteckning,
        arende=arende,
        after={"datum": datum.isoformat(), "text": text},
    )
    return anteckning
