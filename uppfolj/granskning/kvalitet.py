"""The six quality areas and likställighet of the audit report (issue 6), for the page,
the PDF and the spreadsheet.

The rules (which indicator speaks to which area, the thresholds, what "differs
markedly" means, the drafted sentences) are plain Python in `uppfolj.domain.kvalitet`;
this module is the app's entry point to them. `urval`, `stad` and each district's
object are JSON objects as `selectors.granskning_berakna` returns them.
"""

from __future__ import annotations

from typing import Any

from uppfolj.domain import kvalitet as _regler
from uppfolj.domain.kvalitet import Indikator, Likstallighetsrad, Omradesanalys

__all__ = [
    "Indikator",
    "Likstallighetsrad",
    "Omradesanalys",
    "kvalitetsanalys",
    "likstallighet",
]


def kvalitetsanalys(urval: dict[str, Any], stad: dict[str, Any]) -> list[Omradesanalys]:
    """Return the six quality areas in 004's order for `urval` against the whole city."""
    return _regler.kvalitetsanalys(urval, stad)


def likstallighet(
    per_distrikt: dict[str, dict[str, Any]], stad: dict[str, Any]
) -> list[Likstallighetsrad]:
    """Return one row per indicator with every district side by side, flagged where one
    differs markedly from the rest."""
    return _regler.likstallighet(per_distrikt, stad)
