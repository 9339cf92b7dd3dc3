"""Shared parts of the bad-input tests: hostile values, the forms of a page, the database's
counts before and after a request, and what counts as a clear Swedish message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Bounded and reproducible: every example is the same on every run (and in CI).
FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TODAY = date(2026, 4, 20)
FROZEN = "2026-04-20 10:00 +02:00"

# --- Hostile values ------------------------------------------------------------------------

BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "99999-01-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "igår",
    "i morgon",
    "20/04/2026",
    "2026-4-20",
    "2026-04-20T10:00",
    "2026-04-20 25:61",
    "2026-W17",
]
BAD_NUMBERS = [
    "-1",
    "-2147483649",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "NaN",
    "inf",
    "1,5",
    "0x10",
    "٣",
]
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert('å')</script>",
    "'; DROP TABLE arenden_arende; --",
    "okänt-värde",
    "ÅÄÖ åäö é ü ß",
    "\u202eöverskriven\u202c",
    "🏠" * 20,
]

# Letters, digits, punctuation, separators and control characters; no lone surrogates,
# which cannot be sent as UTF-8 at all.
_ALPHABET = st.characters(
    codec="utf-8", categories=["L", "N", "P", "S", "Zs", "Cc"], include_characters="åäöÅÄÖ"
)

hostile_value = st.one_of(
    st.sampled_from(BAD_DATES),
    st.sampled_from(BAD_NUMBERS),
    st.sampled_from(ODD_TEXT),
    st.text(_ALPHABET, max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    # Longer than any column of the database.
    st.sampled_from(["å" * 1_000, "x" * 2_000]),
)

# --- The forms of a page -------------------------------------------------------------------


@dataclass
class Falt:
    """One named input of an HTML form, with the values the page offers for it."""

    namn: str
    slag: str  # input type, or "select" / "textarea"
    varden: list[str] = field(default_factory=list)


@dataclass
class Formular:
    action: str
    falt: dict[str, Falt] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.formular: list[Formular] = []
        self._form: Formular | None = None
        self._select: Falt | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Formular(action=a.get("action", ""))
            self.formular.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.varden.append(a.get("value", ""))
            return
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        kind = a.get("type", "text").lower() if tag == "input" else tag
        if kind in ("submit", "button", "reset", "image", "file") and tag == "input":
            return
        falt = self._form.falt.setdefault(name, Falt(name, kind))
        if (tag == "input" and kind in ("radio", "checkbox", "hidden")) or tag == "button":
            falt.varden.append(a.get("value", "on"))
        elif tag == "input" and a.get("value"):
            falt.varden.append(a["value"])
        if tag == "select":
            self._select = falt

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str) -> list[Formular]:
    """Return the POST forms of a page with their named fields."""
    parser = _FormParser()
    parser.feed(html)
    return parser.formular


def plausible(falt: Falt) -> st.SearchStrategy[str]:
    """Return values a user could well have entered in the field."""
    offered = [v for v in falt.varden if v is not None]
    if falt.slag == "date":
        days = st.integers(min_value=-400, max_value=30)
        return st.one_of(
            st.sampled_from(offered or [TODAY.isoformat()]),
            days.map(lambda d: (TODAY + timedelta(days=d)).isoformat()),
        )
    if falt.slag == "number":
        return st.integers(min_value=-5, max_value=200).map(str)
    if falt.slag in ("datetime-local",):
        return st.sampled_from(["2026-04-20T09:00", "2026-04-21T13:30", "2026-04-19T23:00"])
    if falt.slag == "time":
        return st.sampled_from(["09:00", "16:45", "24:00", "23:59"])
    if offered:
        return st.sampled_from(offered)
    return st.text(_ALPHABET, min_size=1, max_size=80)


def post_data(
    formular: list[Formular], extra: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Return posted form data: each field plausible, hostile, missing or duplicated."""
    falt: dict[str, Falt] = {}
    for form in formular:
        for name, f in form.falt.items():
            falt.setdefault(name, Falt(name, f.slag)).varden.extend(f.varden)
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for name, f in falt.items():
        good = plausible(f)
        strategies[name] = st.one_of(
            good,
            good,
            hostile_value,
            st.just(None),  # the field is not sent at all
            st.lists(st.one_of(good, hostile_value), min_size=2, max_size=3),
        )
    for name, strategy in extra.items():
        strategies[name] = st.one_of(strategy, hostile_value, st.just(None))
    return st.fixed_dictionaries(strategies).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


# --- What the database holds -------------------------------------------------------------

# Reads are logged (AccessLog), drafts are kept as the user types (Utkast), a login keeps
# a session: none of them is a change to a case.
NOT_CHANGES = {"audit.AccessLog", "arenden.Utkast", "accounts.Inloggning", "axes.AccessAttempt"}
PRODUCT_APPS = {"accounts", "arenden", "utforare", "uppfoljning", "granskning", "audit"}


def counts() -> dict[str, int]:
    """Return the number of rows of every model of the product."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PRODUCT_APPS and model._meta.label not in NOT_CHANGES
    }


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before.get(k, 0)}


# --- Clear Swedish messages ---------------------------------------------------------------

_ALERT = re.compile(r'<(\w+)[^>]*role="alert"[^>]*>(.*?)</\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_ENGLISH = re.compile(
    r"\b(This field|Enter a|Select a|Ensure this|is required|is not|Invalid|"
    r"Traceback|Exception)\b"
)
_SWEDISH_WORDS = {
    "ange",
    "välj",
    "giltigt",
    "giltig",
    "inte",
    "får",
    "måste",
    "saknas",
    "finns",
    "skriv",
    "minst",
    "högst",
    "fyll",
    "datum",
    "säkerställ",
    "tillåtna",
}


def alerts(html: str) -> list[str]:
    """Return the text of every element the page marks as an alert."""
    texts = [" ".join(_TAGS.sub(" ", inner).split()) for _, inner in _ALERT.findall(html)]
    return [t for t in texts if t]


def is_swedish(text: str) -> bool:
    words = set(re.findall(r"\w+", text.lower()))
    has_swedish = bool(words & _SWEDISH_WORDS) or any(c in text for c in "åäöÅÄÖ")
    return has_swedish and not _ENGLISH.search(text)
