"""The anteckningar panel of the provider's case page, and summaries on the authority's."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uppfolj.arenden.models import Arende
from uppfolj.arenden.rader import arendets_rader

from ..models import Sammanstallning
from ..services import anteckningar as services
from .utforare_besok import iso_dag

register = template.Library()

SENASTE = 5


@register.inclusion_tag("utforare/_anteckningar_panel.html")
def anteckningar_panel(arende: Arende, user: Any) -> dict[str, Any]:
    """Show the latest notes, the BS-SAMMANST-89D deadline, the last summary and a running
    3-dagarsrutin."""
    return {
        "arende": arende,
        "user": user,
        "today": timezone.localdate(),
        "senaste": list(services.anteckningar_lista(arende)[:SENASTE]),
        "antal": arende.daganteckningar.count(),
        "bevakning_89d": services.sammanstallning_bevakning(arende),
        "tredagars": services.pagaende_tredagars(arende),
        "senaste_sammanstallning": arende.sammanstallningar.first(),
        "tidigare": services.tidigare_sammanstallningar(arende).first(),
    }


@register.simple_tag
def overforda_sammanstallningar(arende: Arende) -> list[Sammanstallning]:
    """Return the case's summaries transferred to the journal, for the authority's case page."""
    return arendets_rader(
        "overforda_sammanstallningar", services.overforda_sammanstallningar, arende
    )


# The summary's free-text fields, in the order shown.
_TEXTER = (
    ("Hur tiden har använts", "tidsanvandning"),
    ("Hur den enskilde upplever målarbetet", "malarbete_individ"),
    ("Hur utföraren upplever målarbetet", "malarbete_utforare"),
    ("Klagomål och vad som gjorts", "klagomal"),
)


@register.filter
def sammanstallning_text(s: Sammanstallning) -> SafeString:
    """Return the summary as a list of facts: its period, who wrote it, its counts and its
    texts (line breaks kept, "–" for an empty one), every value escaped.

    Written here rather than by a template included per summary: the authority's case
    page shows every summary the case has had transferred, and the include was a tenth of
    the page's time.
    """
    overford = (
        f"<dt>Överförd till journalen</dt><dd>{iso_dag(s.overford)}</dd>" if s.overford else ""
    )
    skriven_av = s.skriven_av.visningsnamn if s.skriven_av_id else ""
    texter = "".join(
        f"  <dt>{rubrik}</dt><dd>{linebreaksbr(getattr(s, falt), autoescape=True) or '–'}</dd>\n"
        for rubrik, falt in _TEXTER
    )
    return mark_safe(  # every value is escaped: dates, numbers, escape(), linebreaksbr
        '<dl class="facts sammanstallning-text">\n'
        f"  <dt>Period</dt><dd>{iso_dag(s.period_fran)} – {iso_dag(s.period_till)}</dd>\n"
        f"  {overford}\n"
        f"  <dt>Skriven av</dt><dd>{escape(skriven_av)}</dd>\n"
        f"  <dt>Daganteckningar</dt><dd>{int(s.antal_anteckningar)}</dd>\n"
        f"  <dt>Avbokningar</dt><dd>{int(s.antal_avbokningar)}</dd>\n"
        f"  <dt>Uteblivna besök</dt><dd>{int(s.antal_uteblivna)}</dd>\n"
        f"{texter}"
        "</dl>\n"
    )
