"""Daily notes (daganteckningar) and their summaries (sammanställningar), 003 Social dokumentation.

A note is working material: append-only while it is in use, summarised and
transferred to the journal at least every 89 days (BS-SAMMANST-89D), and then
deleted. Every write below records its timeline event in the same transaction,
so that the authority side sees what the provider did even after the notes
themselves are gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from uppfolj.arenden.access import require_visible
from uppfolj.arenden.models import Arende, Bevakning, Handelse
from uppfolj.arenden.services import bevakningar_berakna, save_event, snapshot
from uppfolj.arenden.services.journal import markera_felaktig
from uppfolj.audit.models import AuditLog
from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import OPEN
from uppfolj.lib.konflikt import Redigeringskonflikt

from ..access import FORDELANDE_ROLLER, require_provider_staff
from ..models import Besok, Daganteckning, Delmal, Genomforandeplan, Sammanstallning
from .underlag import Underlag, underlag_bygg

Typ = Daganteckning.Typ
OVERFORD = Sammanstallning.Status.OVERFORD
UTKAST = Sammanstallning.Status.UTKAST

TREDAGARS = "BS-3DAGARS"
SAMMANST_89D = "BS-SAMMANST-89D"

# The note types that are also events of their own on the case's timeline.
HANDELSE_FOR_TYP: dict[str, str] = {
    Typ.UTEBLIVEN: "utebliven_kontakt",
    Typ.SJUKHUS: "sjukhusinlaggning",
}
# How a running 3-dagarsrutin ends (RULES.md BS-3DAGARS).
TREDAGARS_UTFALL: dict[str, str] = {
    "kontakt_aterupptagen": "Kontakt återupptagen",
    "eskalerad": "Eskalerat till socialsekreterare",
}
# Deleting working material is the stödpedagog's or the manager's decision.
RADERANDE_ROLLER = FORDELANDE_ROLLER
# Besides the writer, who may mark a colleague's note as wrong.
FELMARKERANDE_ROLLER = FORDELANDE_ROLLER

EJ_OVERFORD = "Sammanställningen är inte överförd till journalen; anteckningarna får inte raderas."


def _require_staff(actor: Any, arende: Arende) -> None:
    # Visibility first, so that a refusal says nothing about a case the actor cannot see.
    require_visible(actor, arende)
    require_provider_staff(actor, arende)


def kan_radera(user: Any) -> bool:
    """Return whether `user`'s role may delete summarised notes."""
    return getattr(user, "roll", None) in RADERANDE_ROLLER


def kan_felmarkera(user: Any, anteckning: Daganteckning) -> bool:
    """Return whether `user` may mark `anteckning` wrong: its writer, a stödpedagog or manager."""
    return anteckning.skriven_av_id == user.pk or user.roll in FELMARKERANDE_ROLLER


# --- Reads ----------------------------------------------------------------------------


def senaste_plan(arende: Arende) -> Genomforandeplan | None:
    """Return the latest version of the case's genomförandeplan."""
    return Genomforandeplan.objects.filter(arende=arende).order_by("-version").first()


def delmal_val(arende: Arende) -> QuerySet[Delmal]:
    """Return the sub-goals a new note may concern: those of the latest plan version."""
    plan = senaste_plan(arende)
    if plan is None:
        return Delmal.objects.none()
    return Delmal.objects.filter(plan=plan).order_by("ordning", "id")


def anteckningar_lista(arende: Arende) -> QuerySet[Daganteckning]:
    """Return the case's notes, newest first, with what each row shows."""
    return arende.daganteckningar.select_related(
        "skriven_av", "felmarkerad_av", "delmal", "rattar", "rattelse", "sammanstallning"
    ).order_by("-datum", "-skriven", "-id")


def pagaende_tredagars(arende: Arende) -> list[Bevakning]:
    """Return the case's running 3-dagarsrutiner (BS-3DAGARS), oldest first."""
    return list(arende.bevakningar.filter(regel=TREDAGARS, status=OPEN).order_by("start"))


def sammanstallning_bevakning(arende: Arende) -> Bevakning | None:
    """Return the running BS-SAMMANST-89D deadline of the case, if any."""
    return arende.bevakningar.filter(regel=SAMMANST_89D, status=OPEN).order_by("forfaller").first()


def overforda_sammanstallningar(arende: Arende) -> QuerySet[Sammanstallning]:
    """Return the case's summaries transferred to the journal, newest period first."""
    return arende.sammanstallningar.filter(status=OVERFORD).select_related("skriven_av")


def radering(sammanstallning: Sammanstallning) -> AuditLog | None:
    """Return the audit row of the deletion of the summary's notes, if they were deleted."""
    return (
        AuditLog.objects.filter(
            atgard="daganteckningar_radera",
            objekttyp=Sammanstallning._meta.label,
            objekt_id=str(sammanstallning.pk),
        )
        .select_related("aktor")
        .first()
    )


def standardperiod(arende: Arende, today: date) -> tuple[date, date]:
    """Return the default period of a new summary: after the last transferred one, to today.

    The start is after today when everything up to today is already summarised.
    """
    # The events count, not only the rows: a case imported from another system has
    # its summaries as events alone, without a period (then the transfer date ends it).
    last = arende.handelser.filter(typ="sammanstallning").order_by("-datum", "-id").first()
    if last is not None:
        ended = last.data.get("period_till")
        fran = (date.fromisoformat(ended) if ended else last.datum) + timedelta(days=1)
    else:
        execution = arende.handelser.filter(typ="verkstallt").order_by("datum").first()
        first_note = arende.daganteckningar.order_by("datum").first()
        fran = (
            execution.datum
            if execution is not None
            else first_note.datum
            if first_note is not None
            else today
        )
    return fran, today


def tidigare_sammanstallningar(arende: Arende) -> QuerySet[Handelse]:
    """Return the summaries made in an earlier system: events without a summary here."""
    return arende.handelser.filter(typ="sammanstallning", sammanstallning__isnull=True).order_by(
        "-datum", "-id"
    )


def period_fel(
    fran: date, till: date, today: date, overforda: Iterable[tuple[date, date]]
) -> dict[str, str]:
    """Return what is wrong with a summary period, by field."""
    if till < fran:
        return {"till": "Periodens slut ligger före dess början."}
    if till > today:
        return {"till": "Perioden får inte sluta i framtiden."}
    for other_from, other_to in sorted(overforda):
        if fran <= other_to and other_from <= till:
            return {
                "fran": f"Perioden överlappar sammanställningen {other_from:%Y-%m-%d}–"
                f"{other_to:%Y-%m-%d} som redan är överförd till journalen."
            }
    return {}


def _overforda_perioder(arende: Arende, exclude: int | None = None) -> list[tuple[date, date]]:
    rows = overforda_sammanstallningar(arende)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows.values_list("period_fran", "period_till"))


def _period_anteckningar(arende: Arende, fran: date, till: date) -> QuerySet[Daganteckning]:
    # A note already covered by a transferred summary belongs to that summary only.
    return arende.daganteckningar.filter(
        datum__gte=fran, datum__lte=till, sammanstallning__isnull=True
    )


def sammanstallning_underlag(arende: Arende, fran: date, till: date) -> Underlag:
    """Return the draft of a summary of the case's notes from `fran` to `till`."""
    notes = list(_period_anteckningar(arende, fran, till).select_related("delmal", "skriven_av"))
    beslut = arende.handelser.filter(typ="beslut", datum__lte=till).order_by("-datum", "-id")
    latest_beslut = beslut.first()
    visits = Besok.objects.filter(
        arende=arende, start__date__gte=fran, start__date__lte=till
    ).values_list("start", "slut")
    minutes = sum(int((slut - start).total_seconds() // 60) for start, slut in visits)
    return underlag_bygg(
        fran=fran,
        till=till,
        anteckningar=notes,
        delmal=list(delmal_val(arende)),
        beviljat_minuter_per_vecka=(
            latest_beslut.data.get("minuter_per_vecka") if latest_beslut else None
        ),
        antal_besok=len(visits),
        besok_minuter=minutes,
    )


# --- Daily notes ------------------------------------------------------------------------


def _overford_period(arende: Arende, datum: date) -> Sammanstallning | None:
    return (
        overforda_sammanstallningar(arende)
        .filter(period_fran__lte=datum, period_till__gte=datum)
        .first()
    )


def _skriv(
    actor: Any,
    arende: Arende,
    datum: date,
    typ: str,
    text: str,
    delmal: Delmal | None,
    rattar: Daganteckning | None,
) -> Daganteckning:
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Skriv anteckningen."
    if typ not in Typ.values:
        errors["typ"] = "Välj typ av anteckning."
    if datum > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    elif (covered := _overford_period(arende, datum)) is not None:
        errors["datum"] = (
            f"Perioden {covered.period_fran:%Y-%m-%d}–{covered.period_till:%Y-%m-%d} är redan "
            "sammanställd och överförd till journalen. Skriv anteckningen med ett senare datum."
        )
    if delmal is not None and delmal.plan.arende_id != arende.pk:
        errors["delmal"] = "Delmålet hör inte till ärendets genomförandeplan."
    if errors:
        raise ValidationError(errors)
    handelse = save_event(actor, arende, "daganteckning", datum, {"anteckningstyp": typ})
    note = Daganteckning(
        arende=arende,
        handelse=handelse,
        datum=datum,
        typ=typ,
        delmal=delmal,
        text=text,
        skriven_av=actor,
        rattar=rattar,
    )
    note.full_clean()
    note.save()
    events = [handelse]
    # A correction that keeps the type does not start a second 3-dagarsrutin.
    extra = HANDELSE_FOR_TYP.get(typ)
    if extra and (rattar is None or rattar.typ != typ):
        events.append(save_event(actor, arende, extra, datum, {}))
    # The note's text is not copied into the log: it is working material that is
    # deleted once summarised (003), and a copy in the log would outlive it.
    audit_record(
        actor=actor,
        action="daganteckning_skriv",
        obj=note,
        arende=arende,
        after={
            "datum": datum.isoformat(),
            "typ": typ,
            "delmal": delmal.pk if delmal else None,
            "rattar": rattar.pk if rattar else None,
            "handelser": [h.typ for h in events],
        },
    )
    bevakningar_berakna(arende=arende)
    return note


@transaction.atomic
def daganteckning_skriv(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    typ: str,
    text: str,
    delmal: Delmal | None = None,
) -> Daganteckning:
    """Write a daily note with its events (a no-show starts BS-3DAGARS); notes are never edited."""
    _require_staff(actor, arende)
    return _skriv(actor, arende, datum, typ, text, delmal, rattar=None)


class _Samma:
    """The correction concerns the same sub-goal as the wrong note."""


SAMMA = _Samma()


@transaction.atomic
def daganteckning_felmarkera(
    *,
    actor: Any,
    anteckning: Daganteckning,
    skal: str,
    rattelse_text: str,
    typ: str | None = None,
    delmal: Delmal | _Samma | None = SAMMA,
) -> Daganteckning:
    """Mark a note wrong with a reason and write the correcting note; return the correction."""
    arende = anteckning.arende
    _require_staff(actor, arende)
    if not kan_felmarkera(actor, anteckning):
        raise PermissionDenied(
            "Endast den som skrev anteckningen, stödpedagog eller enhetschef får markera den "
            "som felaktig."
        )
    errors = {}
    if not (skal or "").strip():
        errors["skal"] = "Skriv varför anteckningen är felaktig."
    if not (rattelse_text or "").strip():
        errors["rattelse_text"] = "Skriv den rättade anteckningen."
    if errors:
        raise ValidationError(errors)
    locked = Daganteckning.objects.select_for_update().get(pk=anteckning.pk)
    if locked.felmarkerad is not None:
        raise ValidationError("Anteckningen är redan markerad som felaktig.")
    if locked.sammanstallning_id is not None:
        raise ValidationError(
            "Anteckningen ingår i en sammanställning som är överförd till journalen och kan "
            "inte längre markeras som felaktig."
        )
    before = {"felmarkerad": None}
    felmarkerad = markera_felaktig(locked, actor=actor, skal=skal)
    audit_record(
        actor=actor,
        action="daganteckning_felmarkera",
        obj=locked,
        arende=arende,
        before=before,
        after={"felmarkerad": felmarkerad.isoformat(), "skal": locked.felaktig_skal},
    )
    return _skriv(
        actor,
        arende,
        locked.datum,
        typ or locked.typ,
        rattelse_text,
        locked.delmal if isinstance(delmal, _Samma) else delmal,
        rattar=locked,
    )


@transaction.atomic
def tredagarsrutin_avsluta(*, actor: Any, arende: Arende, utfall: str, datum: date) -> Handelse:
    """End the running 3-dagarsrutin: contact resumed, or escalated to the social worker."""
    _require_staff(actor, arende)
    if utfall not in TREDAGARS_UTFALL:
        raise ValidationError("Välj om kontakten återupptagits eller ärendet eskalerats.")
    running = pagaende_tredagars(arende)
    if not running:
        raise ValidationError("Det finns ingen pågående 3-dagarsrutin i ärendet.")
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Datumet får inte ligga i framtiden."})
    if datum < running[0].start:
        raise ValidationError(
            {"datum": f"Datumet ligger före den uteblivna kontakten {running[0].start:%Y-%m-%d}."}
        )
    handelse = save_event(actor, arende, utfall, datum, {})
    audit_record(
        actor=actor,
        action="tredagarsrutin_avsluta",
        obj=handelse,
        arende=arende,
        after={"typ": utfall, "datum": datum.isoformat()},
    )
    bevakningar_berakna(arende=arende)
    return handelse


# --- Summaries --------------------------------------------------------------------------

TEXT_FIELDS = ("tidsanvandning", "malarbete_individ", "malarbete_utforare", "klagomal")
REQUIRED_TEXT = {
    "tidsanvandning": "Beskriv hur tiden har använts.",
    "malarbete_individ": "Beskriv hur den enskilde upplever målarbetet.",
    "malarbete_utforare": "Beskriv hur utföraren upplever målarbetet.",
}


def _require_draft(sammanstallning: Sammanstallning) -> None:
    if sammanstallning.status != UTKAST:
        raise ValidationError("Sammanställningen är överförd till journalen och kan inte ändras.")


def _set_counts(sammanstallning: Sammanstallning, underlag: Underlag) -> None:
    sammanstallning.antal_anteckningar = underlag.antal_anteckningar
    sammanstallning.antal_avbokningar = underlag.antal_avbokningar
    sammanstallning.antal_uteblivna = underlag.antal_uteblivna


class SammanstallningKonflikt(Redigeringskonflikt):
    """Someone saved the summary draft after the user opened it."""

    MALL = (
        "Sammanställningen har ändrats av {av} {nar} sedan du öppnade den. Dina ändringar är "
        "inte sparade – här är de, jämför och spara igen."
    )


@transaction.atomic
def sammanstallning_spara(
    *,
    actor: Any,
    arende: Arende,
    period_fran: date,
    period_till: date,
    tidsanvandning: str = "",
    malarbete_individ: str = "",
    malarbete_utforare: str = "",
    klagomal: str = "",
    sammanstallning: Sammanstallning | None = None,
    grundversion: int | None = None,
) -> Sammanstallning:
    """Save a summary draft (status utkast), new or changed; a transferred one is never changed.

    `grundversion` is the draft's version when the user's form was opened; when someone has
    saved the draft since, SammanstallningKonflikt is raised and nothing is saved.
    """
    _require_staff(actor, arende)
    if sammanstallning is not None:
        sammanstallning = Sammanstallning.objects.select_for_update().get(pk=sammanstallning.pk)
        if sammanstallning.arende_id != arende.pk:
            raise PermissionDenied("Sammanställningen hör inte till ärendet.")
        _require_draft(sammanstallning)
        if grundversion is not None and grundversion != sammanstallning.version:
            senast = sammanstallning.andrad_av or sammanstallning.skriven_av
            raise SammanstallningKonflikt(
                aktuell=sammanstallning.version,
                av=senast.visningsnamn,
                tid=sammanstallning.andrad or sammanstallning.skapad,
            )
    errors = period_fel(
        period_fran,
        period_till,
        timezone.localdate(),
        _overforda_perioder(arende),
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(sammanstallning) if sammanstallning else None
    summary = sammanstallning or Sammanstallning(arende=arende, skriven_av=actor)
    if sammanstallning is not None:
        summary.version += 1
        summary.andrad_av = actor
        summary.andrad = timezone.now()
    summary.period_fran = period_fran
    summary.period_till = period_till
    summary.tidsanvandning = (tidsanvandning or "").strip()
    summary.malarbete_individ = (malarbete_individ or "").strip()
    summary.malarbete_utforare = (malarbete_utforare or "").strip()
    summary.klagomal = (klagomal or "").strip()
    _set_counts(summary, sammanstallning_underlag(arende, period_fran, period_till))
    # A draft may still lack its texts; transferring it requires them.
    summary.full_clean(exclude=list(REQUIRED_TEXT))
    summary.save()
    audit_record(
        actor=actor,
        action="sammanstallning_spara",
        obj=summary,
        arende=arende,
        before=before,
        after=snapshot(summary),
    )
    return summary


@transaction.atomic
def sammanstallning_overfor(*, actor: Any, sammanstallning: Sammanstallning) -> Sammanstallning:
    """Transfer a draft to the journal: event `sammanstallning` (BS-SAMMANST-89D), notes linked."""
    arende = sammanstallning.arende
    _require_staff(actor, arende)
    summary = Sammanstallning.objects.select_for_update().get(pk=sammanstallning.pk)
    _require_draft(summary)
    today = timezone.localdate()
    errors = {
        name: message
        for name, message in REQUIRED_TEXT.items()
        if not getattr(summary, name).strip()
    }
    errors.update(
        period_fel(summary.period_fran, summary.period_till, today, _overforda_perioder(arende))
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(summary)
    underlag = sammanstallning_underlag(arende, summary.period_fran, summary.period_till)
    _set_counts(summary, underlag)
    handelse = save_event(
        actor,
        arende,
        "sammanstallning",
        today,
        {
            "period_fran": summary.period_fran.isoformat(),
            "period_till": summary.period_till.isoformat(),
            "antal_anteckningar": summary.antal_anteckningar,
        },
    )
    summary.status = OVERFORD
    summary.overford = today
    summary.handelse = handelse
    summary.full_clean()
    summary.save()
    # Every note of the period, the wrong ones and their corrections too, is now covered.
    linked = _period_anteckningar(arende, summary.period_fran, summary.period_till).update(
        sammanstallning=summary
    )
    audit_record(
        actor=actor,
        action="sammanstallning_overfor",
        obj=summary,
        arende=arende,
        before=before,
        after={**snapshot(summary), "anteckningar_kopplade": linked},
    )
    bevakningar_berakna(arende=arende)
    return summary


@transaction.atomic
def sammanstallning_spara_och_overfor(
    *, actor: Any, sammanstallning: Sammanstallning, **spara: Any
) -> Sammanstallning:
    """Save a draft and transfer it, all or nothing: a refused transfer saves no text."""
    saved = sammanstallning_spara(actor=actor, sammanstallning=sammanstallning, **spara)
    return sammanstallning_overfor(actor=actor, sammanstallning=saved)


@transaction.atomic
def daganteckningar_radera(*, actor: Any, sammanstallning: Sammanstallning) -> int:
    """Delete the notes covered by a transferred summary, and nothing else; return how many."""
    arende = sammanstallning.arende
    _require_staff(actor, arende)
    if not kan_radera(actor):
        raise PermissionDenied("Endast stödpedagog eller enhetschef får radera daganteckningar.")
    summary = Sammanstallning.objects.select_for_update().get(pk=sammanstallning.pk)
    if summary.status != OVERFORD:
        raise ValidationError(EJ_OVERFORD)
    notes = Daganteckning.objects.filter(sammanstallning=summary, arende=arende)
    # A note outside the summary that points at one inside would be changed by the
    # deletion; by construction there is none, and if there were we would rather stop.
    if (
        Daganteckning.objects.filter(Q(rattar__in=notes) | Q(rattelse__in=notes))
        .exclude(sammanstallning=summary)
        .exists()
    ):
        raise ValidationError(
            "En anteckning utanför sammanställningen hänvisar till en av dess anteckningar; "
            "inget har raderats."
        )
    ids = list(notes.values_list("pk", flat=True))
    if not ids:
        raise ValidationError("Det finns inga daganteckningar att radera för sammanställningen.")
    deleted, per_model = Daganteckning.objects.filter(pk__in=ids).delete()
    if per_model.keys() - {Daganteckning._meta.label} or deleted != len(ids):
        raise RuntimeError(f"Raderingen rörde mer än sammanställningens anteckningar: {per_model}")
    audit_record(
        actor=actor,
        action="daganteckningar_radera",
        obj=summary,
        arende=arende,
        after={
            "sammanstallning": summary.pk,
            "period_fran": summary.period_fran.isoformat(),
            "period_till": summary.period_till.isoformat(),
            "antal_raderade": deleted,
        },
    )
    return deleted


def radera_antal(sammanstallning: Sammanstallning) -> int:
    """Return how many notes a deletion of the summary's notes would remove."""
    return Daganteckning.objects.filter(sammanstallning=sammanstallning).count()
