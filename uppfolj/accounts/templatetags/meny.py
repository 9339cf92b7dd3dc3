"""The main menu: which pages each role reaches, and which one is open.

Written once per role and page and kept (the menu depends on nothing else), instead of a
template of some twenty conditions and ten URL reversals on every page view.
"""

from __future__ import annotations

import functools
from html import escape
from typing import Any, NamedTuple

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Roll

register = template.Library()


class Menyval(NamedTuple):
    url: str
    text: str
    # The roles that have the page in their menu; None for every signed-in user.
    roller: frozenset[str] | None
    # The pages (URL names in its URL's app) at which it is the open one, or the app
    # whose every page is.
    sidor: frozenset[str] = frozenset()
    app: str = ""


_ENHET = frozenset({Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})
_GRANSKARE = frozenset({Roll.INSPEKTOR, Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})

MENY = (
    Menyval("utforare:inkorg", "Inkorg", UTFORAR_ROLLER, frozenset({"inkorg"})),
    Menyval(
        "arenden:mina_bevakningar",
        "Mina bevakningar",
        frozenset({Roll.SOCIALSEKRETERARE, Roll.FORSTE_SOCIALSEKRETERARE}),
        frozenset({"mina_bevakningar"}),
    ),
    Menyval(
        "arenden:enhet_bevakningar",
        "Enhetens bevakningar",
        _ENHET,
        frozenset({"enhet_bevakningar"}),
    ),
    Menyval("arenden:lista", "Ärenden", None, frozenset({"lista"})),
    Menyval("arenden:nytt", "Nytt ärende", MYNDIGHET_ROLLER, frozenset({"nytt"})),
    Menyval("arenden:sok", "Sök", MYNDIGHET_ROLLER | {Roll.INSPEKTOR}, frozenset({"sok"})),
    Menyval("arenden:ivo", "IVO", MYNDIGHET_ROLLER | {Roll.INSPEKTOR}, frozenset({"ivo"})),
    Menyval(
        "uppfoljning:administration",
        "Administrationens lista",
        _GRANSKARE,
        frozenset({"administration"}),
    ),
    Menyval(
        "arenden:gallring",
        "Gallring",
        frozenset({Roll.ENHETSCHEF}),
        frozenset({"gallring", "gallring_bekrafta"}),
    ),
    Menyval("granskning:rapport", "Granskning", _GRANSKARE, app="granskning"),
)


_OPPEN = ' aria-current="page"'


@functools.lru_cache(maxsize=512)
def meny_html(roll: str, sida: str, app: str) -> SafeString:
    """Return the menu's items for `roll`, with the page `sida` of app `app` open."""
    rader = []
    for val in MENY:
        if val.roller is not None and roll not in val.roller:
            continue
        namespace = val.url.split(":")[0]
        oppen = (app == namespace and sida in val.sidor) or (val.app != "" and app == val.app)
        rader.append(
            f'<li><a href="{escape(reverse(val.url))}"'
            f"{_OPPEN if oppen else ''}>{escape(val.text)}</a></li>"
        )
    return mark_safe("\n".join(rader))  # the URLs and texts are escaped above


@register.simple_tag(takes_context=True)
def huvudmeny(context: Any) -> SafeString:
    """The signed-in user's menu items (base.html)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = context.get("user")
    return meny_html(
        getattr(user, "roll", "") or "",
        (match.url_name or "") if match else "",
        (match.app_name or "") if match else "",
    )
