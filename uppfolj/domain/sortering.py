"""Swedish alphabetical order: names sort as a Swedish reader expects.

The alphabet ends … x, y, z, å, ä, ö (SAOL). Code-point order, which SQLite and a
PostgreSQL cluster in the C locale use, puts Ä (U+00C4) before Å (U+00C5) and all three
among other accented letters, so "Älvsjö" would come before "Årsta". Name columns are
stored with the collation SVENSK_SORTERING: on PostgreSQL the ICU collation for Swedish
(created by a migration, accounts 0003), on SQLite a collation of the same name
registered on every connection (`accounts.apps`) that compares by `svensk_nyckel`.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

# The collation's name: a plain identifier, since Django writes it unquoted on SQLite.
# On PostgreSQL it is ICU's sv-SE (which needs a server built with ICU, as Debian's and
# the PGDG packages are).
SVENSK_SORTERING = "svenska"

# Letters that are letters of their own in Swedish, after z; æ and ø sort as ä and ö,
# ü as y (SAOL).
_EGNA_BOKSTAVER = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


@functools.lru_cache(maxsize=10_000)
def svensk_nyckel(text: str) -> tuple[str, str, str]:
    """Return the sort key of `text` in Swedish alphabetical order.

    First the letters without case and accents (é as e), with å, ä and ö after z; then,
    between equal ones, accents (e before é); last, case (lower before upper).
    """
    folded = text.casefold()
    base = "".join(
        _EGNA_BOKSTAVER.get(char)
        or "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        for char in folded
    )
    return base, folded, text.swapcase()


def svensk_jamforelse(a: str, b: str) -> int:
    """Compare `a` and `b` in Swedish alphabetical order (-1, 0, 1): SQLite's collation."""
    key_a, key_b = svensk_nyckel(a), svensk_nyckel(b)
    return (key_a > key_b) - (key_a < key_b)


def registrera_i_sqlite(connection: Any) -> None:
    """Give a SQLite connection (`sqlite3.Connection`) the collation SVENSK_SORTERING:
    every connection that reads or checks the tables' name columns needs it."""
    connection.create_collation(SVENSK_SORTERING, svensk_jamforelse)
