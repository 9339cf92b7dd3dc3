"""The plan panel of the provider's case page, the plan and consents on the authority's,
and the filters of the plan's pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from uppfolj.arenden.access import is_visible, synlighet
from uppfolj.arenden.models import Arende
from uppfolj.arenden.rader import arendets_rader
from uppfolj.arenden.selectors import sidans_bevakningar, sidans_handelser
from uppfolj.domain.engine import OPEN
from uppfolj.domain.ibic import EXEMPEL_AKTIVITETER, LIVSOMRADEN

from ..access import is_provider_staff, may_read_plan
from ..models import Genomforandeplan, Samtycke
from ..services.plan import ANDRA_PLANER, PLAN_BEVAKNINGAR, plan_senaste
from ..services.samtycke import may_handle_samtycke, samtycke_status, samtycken_for

register = template.Library()


PLAN_HANDELSER = ("genomforandeplan_klar", "genomforandeplan_reviderad")


def _plan_handelse(arende: Arende) -> Any:
    """Return the case's latest plan event: a plan written in another system is known only
    by its event."""
    handelser = sidans_handelser(arende)
    if handelser is None:
        return arende.handelser.filter(typ__in=PLAN_HANDELSER).order_by("-datum", "-id").first()
    return next((h for h in reversed(handelser) if h.typ in PLAN_HANDELSER), None)


def _plan_bevakningar(arende: Arende) -> list[Any]:
    """Return the case's open bevakningar of the plan's rules."""
    bevakningar = sidans_bevakningar(arende)
    if bevakningar is None:
        return list(arende.bevakningar.filter(regel__in=PLAN_BEVAKNINGAR, status=OPEN))
    rows = [b for b in bevakningar if b.regel in PLAN_BEVAKNINGAR and b.status == OPEN]
    return sorted(rows, key=lambda b: (b.forfaller, b.regel, b.start))


def _plan_kontext(arende: Arende, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    lasbar = may_read_plan(user, arende, today=today)
    return {
        "arende": arende,
        "user": user,
        "today": today,
        "plan": plan_senaste(arende) if lasbar else None,
        "plan_lasbar": lasbar,
        "plan_handelse": _plan_handelse(arende),
        "plan_bevakningar": _plan_bevakningar(arende),
        "samtycken": _samtycken(user, arende),
        "kan_hantera_samtycken": may_handle_samtycke(user, arende),
        "kan_skriva_plan": is_provider_staff(user) and arende.utforare_id == user.utforare_id,
    }


def _samtycken(user: Any, arende: Arende) -> list[Samtycke]:
    """`samtycken_for(user, arende)`, its query compiled once per kind of user (what it
    reads of the user, role and provider, is in `Synlighet`)."""
    synlig = synlighet(user)

    def fragan(a: Arende, anvandare: int, distrikt: int, utforare: int) -> Any:
        return samtycken_for(synlig.med_ids(anvandare, distrikt, utforare), a)

    return arendets_rader(("samtycken", synlig.form), fragan, arende, kanda=None, **synlig.ids)


@register.inclusion_tag("utforare/_plan_panel.html")
def plan_panel(arende: Any, user: Any) -> dict[str, Any]:
    return _plan_kontext(arende, user)


@register.simple_tag
def myndighet_plan_och_samtycken(arende: Any, user: Any) -> dict[str, Any] | None:
    """Return the plan and consents for the authority's case page, or None if `user` may
    not see the case."""
    if not is_visible(user, arende):
        return None
    return _plan_kontext(arende, user)


@register.simple_tag
def arende_url(arende: Any, user: Any) -> str:
    """Return the case page of `user`'s side."""
    name = "utforare:arende" if getattr(user, "is_utforare", False) else "arenden:arende"
    try:
        return reverse(name, args=[arende.arende_id])
    except NoReverseMatch:
        return reverse("utforare:plan_versioner", args=[arende.arende_id])


@register.filter
def livsomrade_namn(code: str) -> str:
    return LIVSOMRADEN.get(code, code)


@register.filter
def exempel_aktiviteter(code: str) -> tuple[str, ...]:
    return EXEMPEL_AKTIVITETER.get(code, ())


@register.filter
def andra_planer_namn(codes: list[str]) -> str:
    return ", ".join(ANDRA_PLANER.get(code, code) for code in codes or [])


@register.simple_tag
def samtycke_lage(samtycke: Samtycke, today: date) -> str:
    return samtycke_status(samtycke, today)


@register.filter
def plan_handelse_namn(plan: Genomforandeplan) -> str:
    return "Upprättad" if plan.handelse.typ == "genomforandeplan_klar" else "Reviderad"
