"""HOUSE_STYLE: an app imports `domain` and the apps below it, never one above it.

The layers, lowest first: small helpers and users, the logs, the authority's cases, the
provider's side, follow-ups, the audit reports, and the synthetic city that writes all
of them. (`domain` imports nothing of Django: uppfolj/domain/tests/test_rule_catalogue.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAKET = Path(__file__).resolve().parents[1]
LAGER = ("lib", "accounts", "audit", "arenden", "utforare", "uppfoljning", "granskning", "stad")


def _importer(fil: Path) -> set[str]:
    """Return the apps of `uppfolj` that `fil` imports (absolute imports; a relative
    import stays within its app)."""
    out = set()
    for node in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        out |= {name.split(".")[1] for name in names if name.startswith("uppfolj.")}
    return out


def test_every_app_has_a_layer() -> None:
    apps = {p.name for p in PAKET.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(LAGER), f"place {sorted(apps - set(LAGER))} in LAGER"


@pytest.mark.parametrize("app", LAGER)
def test_an_app_imports_no_app_above_it(app: str) -> None:
    above = set(LAGER[LAGER.index(app) + 1 :])
    wrong = {
        f"{fil.relative_to(PAKET)} imports {sorted(_importer(fil) & above)}"
        for fil in (PAKET / app).rglob("*.py")
        if "tests" not in fil.parts and _importer(fil) & above
    }
    assert not wrong, sorted(wrong)
