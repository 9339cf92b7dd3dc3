"""rules.py against RULES.md's tables and the seed documents they quote."""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import fields
from functools import cache
from pathlib import Path

import pytest

from uppfolj.domain import rules
from uppfolj.domain.engine import WARNING_CHECKS
from uppfolj.domain.rules import (
    DEADLINE_RULES,
    DEADLINE_RULES_BY_ID,
    DEFAULTS,
    FIXED,
    LOCAL_DEFAULT,
    WARNING_RULES,
    WARNING_RULES_BY_ID,
    LocalDefaults,
    Period,
)
from uppfolj.domain.timeline import EVENT_TYPES, INSATSER

from .builders import SHARED

DOMAIN = Path(rules.__file__).resolve().parent
RULES_MD = SHARED / "domain" / "RULES.md"
SEEDS = SHARED / "seeds"

SETTINGS = {f.name for f in fields(LocalDefaults)}


# --- RULES.md tables -----------------------------------------------------------------


def table(heading: str) -> dict[str, list[str]]:
    """Return the rows of the table under `## heading`, by ID."""
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "ID" or set(cells[0]) <= {"-"}:
            continue
        assert cells[0] not in rows, f"{cells[0]} twice in RULES.md"
        rows[cells[0]] = cells
    return rows


DEADLINES = table("Deadlines")  # ID, insats, starts at, due, met by, source, kind
WARNINGS = table("Warnings")  # ID, when, source, kind


def event_types_in(cell: str) -> set[str]:
    return {name for name in re.findall(r"`([a-z_]+)`", cell) if name in EVENT_TYPES}


def test_deadline_ids_match_RULES_md_in_order():
    assert [rule.id for rule in DEADLINE_RULES] == list(DEADLINES)


def test_warning_ids_match_RULES_md_in_order():
    assert [rule.id for rule in WARNING_RULES] == list(WARNINGS)


def test_each_rule_is_declared_once():
    ids = [rule.id for rule in (*DEADLINE_RULES, *WARNING_RULES)]
    assert len(ids) == len(set(ids))
    assert len(DEADLINE_RULES_BY_ID) == len(DEADLINE_RULES)
    assert len(WARNING_RULES_BY_ID) == len(WARNING_RULES)
    source = Path(rules.__file__).read_text(encoding="utf-8")
    for rule_id in ids:
        assert source.count(f'id="{rule_id}"') == 1, rule_id


@pytest.mark.parametrize("rule", DEADLINE_RULES, ids=lambda rule: rule.id)
def test_deadline_kind_matches_RULES_md(rule):
    kind = DEADLINES[rule.id][6]
    if kind.startswith("local default"):
        assert rule.kind == LOCAL_DEFAULT
        # "local default (5 vardagar)": the period names a setting whose default is that.
        assert rule.period is not None and rule.period.setting in SETTINGS
        count = int(re.search(r"\((\d+) ", kind).group(1))
        assert getattr(DEFAULTS, rule.period.setting) == rule.period.count == count
    else:
        assert kind.startswith("fixed")
        assert rule.kind == FIXED
        assert rule.period is None or rule.period.setting is None
    assert rule.recurring == ("recurring" in kind)


def test_GEN_BESLUT_UTGAR_reminder_is_a_local_default_of_30_days():
    # RULES.md: "fixed (remind 30 days before: local default)".
    assert "remind 30 days before: local default" in DEADLINES["GEN-BESLUT-UTGAR"][6]
    setting = DEADLINE_RULES_BY_ID["GEN-BESLUT-UTGAR"].remind_days_before_setting
    assert setting in SETTINGS
    assert getattr(DEFAULTS, setting) == 30


@pytest.mark.parametrize("rule", WARNING_RULES, ids=lambda rule: rule.id)
def test_warning_kind_matches_RULES_md(rule):
    kind = WARNINGS[rule.id][3]
    if kind.startswith("local default"):
        assert rule.kind == LOCAL_DEFAULT
        assert rule.settings
        assert set(rule.settings) <= SETTINGS
    else:
        assert kind.startswith("fixed")
        assert rule.kind == FIXED
        assert rule.settings == ()
    assert rule.overridable == ("overridable" in kind)


def test_local_default_warnings_are_read_from_LocalDefaults():
    local = {rule.id for rule in WARNING_RULES if rule.kind == LOCAL_DEFAULT}
    assert local == {"SBMS-EGENAVG-UPPREPAD"}
    assert {"egenavgift_obetalda_manader", "egenavgift_fonster_manader"} <= SETTINGS
    # RULES.md: "local default (2 of 6)".
    assert WARNINGS["SBMS-EGENAVG-UPPREPAD"][3] == "local default (2 of 6)"
    assert (DEFAULTS.egenavgift_obetalda_manader, DEFAULTS.egenavgift_fonster_manader) == (2, 6)


def test_timeline_warning_checks_are_the_rules_marked_from_timeline():
    assert set(WARNING_CHECKS) == {rule.id for rule in WARNING_RULES if rule.from_timeline}


@pytest.mark.parametrize("rule", DEADLINE_RULES, ids=lambda rule: rule.id)
def test_deadline_insatser_match_RULES_md(rule):
    cell = DEADLINES[rule.id][1]
    expected = set(INSATSER) if cell.startswith("all") else {cell.split()[0]}
    assert rule.insatser == expected
    assert rule.only_tatare_uppfoljning == ("tatare_uppfoljning" in cell)


@pytest.mark.parametrize("rule", DEADLINE_RULES, ids=lambda rule: rule.id)
def test_deadline_events_match_RULES_md(rule):
    starts_cell, met_cell = DEADLINES[rule.id][2], DEADLINES[rule.id][4]
    # "`verkstallt`, then each `uppfoljning`": a recurring rule also starts on its restarts.
    restarts = (rule.restarts_on or rule.met_by) if rule.recurring else frozenset()
    named_starts = event_types_in(starts_cell)
    assert rule.starts_on <= named_starts <= rule.starts_on | restarts
    assert event_types_in(met_cell) == rule.met_by | rule.reported_by
    assert bool(rule.reported_by) == ("reported" in met_cell)


UNITS = {"vardag": "vardagar", "month": "månader", "week": "veckor", "day": "dagar"}


@pytest.mark.parametrize("rule", DEADLINE_RULES, ids=lambda rule: rule.id)
def test_deadline_period_matches_RULES_md(rule):
    cell = DEADLINES[rule.id][3]
    if cell == "on `to`":
        assert rule.period is None
        return
    count, unit = re.match(r"(\d+) (vardag|month|week|day)s?(?:ar)? after", cell).groups()
    assert rule.period is not None
    assert (rule.period.resolve(DEFAULTS), rule.period.unit) == (int(count), UNITS[unit])


def test_period_describe_in_swedish():
    assert Period(1, "månader").describe() == "1 månad"
    assert Period(3, "vardagar").describe() == "3 vardagar"
    assert (
        Period(5, "vardagar", "bs_slutant_vardagar").describe(LocalDefaults(bs_slutant_vardagar=1))
        == "1 vardag"
    )


# --- Sources quote the seeds --------------------------------------------------------


def normalise(text: str) -> str:
    """Case-fold and collapse whitespace; join words hyphenated across PDF lines."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).casefold()


@cache
def seed_raw(code: str) -> str:
    [path] = SEEDS.glob(f"{code}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def seed_text(code: str) -> str:
    return normalise(seed_raw(code))


def heading_offsets(code: str, heading: str) -> list[int]:
    """Return where lines consisting of exactly `heading` start in the normalised seed."""
    raw = seed_raw(code)
    wanted = normalise(heading).strip()
    offsets, position = [], 0
    for line in raw.splitlines(keepends=True):
        if normalise(line).strip() == wanted:
            offsets.append(len(normalise(raw[:position])))
        position += len(line)
    return offsets


def locate(passage: str, seeds: list[str]) -> list[tuple[str, int]]:
    """Return (seed, offset) of each "…"-separated fragment, found in order across seeds."""
    found = []
    seed_index, cursor = 0, 0
    for fragment in passage.split("…"):
        wanted = normalise(fragment).strip()
        assert wanted, f"empty fragment in {passage!r}"
        while True:
            assert seed_index < len(seeds), f"not in {seeds}: {fragment.strip()!r}"
            offset = seed_text(seeds[seed_index]).find(wanted, cursor)
            if offset >= 0:
                found.append((seeds[seed_index], offset))
                cursor = offset + len(wanted)
                break
            seed_index, cursor = seed_index + 1, 0
    return found


def sections_by_seed(seed: str, section: str) -> dict[str, list[str]]:
    seeds = [code.strip() for code in seed.split(";")]
    sections = [name.strip() for name in section.split(";")]
    if len(sections) == 1:
        return {code: sections for code in seeds}
    if len(seeds) == 1:
        return {seeds[0]: sections}
    assert len(seeds) == len(sections), "name one section, or one per seed"
    return {code: [name] for code, name in zip(seeds, sections, strict=True)}


ALL_RULES = (*DEADLINE_RULES, *WARNING_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_source_passage_is_quoted_from_the_named_seed(rule):
    seeds = [code.strip() for code in rule.source.seed.split(";")]
    assert all(re.fullmatch(r"00[0-4]", code) for code in seeds)
    locate(rule.source.passage, seeds)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_source_section_is_a_heading_above_the_passage(rule):
    seeds = [code.strip() for code in rule.source.seed.split(";")]
    sections = sections_by_seed(rule.source.seed, rule.source.section)
    for code, names in sections.items():
        for name in names:
            assert heading_offsets(code, name), f"{name!r} is not a heading of seed {code}"
    for code, offset in locate(rule.source.passage, seeds):
        above = [o for name in sections[code] for o in heading_offsets(code, name) if o < offset]
        assert above, f"no section of {rule.id} stands above its passage in seed {code}"


def test_normalise_joins_pdf_line_breaks_and_hyphenation():
    assert normalise("Genom-\n\nföra och  följa\nupp") == normalise("Genom-föra och följa upp")
    assert "som huvudregel dock minst en månad" in seed_text("002")


# --- Layering -------------------------------------------------------------------------


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


DOMAIN_MODULES = sorted(DOMAIN.rglob("*.py"))


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda path: str(path.relative_to(DOMAIN)))
def test_domain_imports_no_django_and_no_app(path):
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top != "django", f"{path.name} imports {name}"
        if top == "uppfolj":
            assert name.startswith("uppfolj.domain"), f"{path.name} imports {name}"


def test_domain_module_list_is_not_empty():
    names = {path.name for path in DOMAIN_MODULES}
    assert {"calendar.py", "timeline.py", "rules.py", "engine.py"} <= names
