"""Bad input to every command of `uppfolj` (issue 7): generated arguments and files.

Each run ends in success (exit 0) or exit status 2 with one message naming what is wrong
(the file, the case, the event, the option), never a traceback; a refused import or
restore changes nothing in the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import ManagementUtility
from hypothesis import example, given
from hypothesis import strategies as st

from uppfolj.domain.timeline import INSATSER

from .fuzz import BAD_DATES, FROZEN, FUZZ, changed, counts, hostile_value, is_swedish

pytestmark = pytest.mark.django_db

# --- Timeline files, malformed in many ways ------------------------------------------------

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_value,
)
json_any = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
EVENT_TYPES = [
    "anmalan",
    "ansokan",
    "utredning",
    "kommunicerat",
    "beslut",
    "uppdrag_skickat",
    "verkstallt",
    "paus",
    "avslut",
    "okänd_typ",
]


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(value, value, json_any)


event = st.fixed_dictionaries(
    {
        "date": _maybe(st.sampled_from(["2026-03-02", "2026-04-20", *BAD_DATES])),
        "type": _maybe(st.sampled_from(EVENT_TYPES)),
    },
    optional={
        "utfall": _maybe(st.sampled_from(["bifall", "avslag", "delvis", "kanske"])),
        "from": _maybe(st.sampled_from(["2026-03-23", *BAD_DATES])),
        "to": _maybe(st.sampled_from(["2026-12-31", "2026-01-01", *BAD_DATES])),
        "minuter_per_vecka": _maybe(st.integers(min_value=-100, max_value=10**12)),
        "aterkallelseforbehall": _maybe(st.booleans()),
        "grad": _maybe(st.sampled_from(["helt", "delvis", "halvt"])),
        "niva": _maybe(st.sampled_from(["lag", "medel", "hog", "maximal"])),
    },
)
case = st.fixed_dictionaries(
    {
        "case_id": _maybe(st.sampled_from(["F-1", "F-2", "", "å" * 300])),
        "insats": _maybe(st.sampled_from([*INSATSER, "hemtjänst"])),
        "events": _maybe(st.lists(event, max_size=4)),
    },
    optional={
        "distrikt": _maybe(st.sampled_from(["Bromma", "Okänt distrikt"])),
        "utforare": _maybe(st.sampled_from(["Boendestöd Väst", "Okänd utförare"])),
        "boendeform": _maybe(st.sampled_from(["lagenhetsboende", "slott"])),
        "person": _maybe(
            st.fixed_dictionaries(
                {"personnummer": _maybe(st.sampled_from(["19800101-0118", "19800101-0000"]))},
                optional={"namn": hostile_value, "kon": _maybe(st.sampled_from(["kvinna", "x"]))},
            )
        ),
    },
)
file_text = st.one_of(
    st.builds(lambda c: json.dumps(c, ensure_ascii=False), case),
    st.builds(lambda cs: json.dumps(cs, ensure_ascii=False), st.lists(case, max_size=3)),
    st.builds(lambda v: json.dumps(v, ensure_ascii=False), json_any),
    st.sampled_from(["", "{", "[1, 2", "{'case_id': 'F-1'}", "nul", "\ufeff[]", "[]" * 3]),
    hostile_value,
)
file_bytes = st.one_of(
    file_text.map(lambda t: t.encode("utf-8")),
    st.sampled_from([b"\xff\xfe{\x00", b"\x00" * 8, '[{"case_id": "å"}]'.encode("latin-1")]),
)


# --- Running a command as the shell does ---------------------------------------------------


def run(capsys: Any, monkeypatch: Any, *argv: str) -> tuple[int, str, str]:
    """Run `uppfolj ARGV…` as from the command line; return exit status, stdout, stderr."""
    # A command run from the command line closes the database connections when done;
    # the test's transaction has to stay open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    capsys.readouterr()
    try:
        ManagementUtility(["uppfolj", *argv]).execute()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


def assert_clear(code: int, err: str, *names: str) -> None:
    """Assert success, or exit 2 with a message and no traceback."""
    assert code in (0, 2), f"exit {code}: {err}"
    assert "Traceback" not in err
    if code == 2:
        message = err.strip()
        assert message, "exit 2 without a message"
        usage = message.startswith("usage:") and "error:" in message
        assert usage or is_swedish(message) or any(n in message for n in names), message


# --- The commands -------------------------------------------------------------------------


@FUZZ
@given(content=file_bytes, as_of=st.one_of(st.none(), st.sampled_from(BAD_DATES), hostile_value))
@example(content=b'{"case_id": "F-1", "insats": "boendestod", "events": []}', as_of="2026-02-30")
@example(content=b'[{"case_id": "F-1", "insats": "boendestod", "events": [1]}]', as_of=None)
def test_bevakning_answers_bad_files_and_dates_with_exit_2(
    tmp_path: Path, capsys: Any, monkeypatch: Any, content: bytes, as_of: str | None
) -> None:
    path = tmp_path / "fall.json"
    path.write_bytes(content)
    args = [str(path)] + (["--as-of", as_of] if as_of is not None else [])
    code, out, err = run(capsys, monkeypatch, "bevakning", *args)
    assert_clear(code, err, str(path), "--as-of")
    if code == 0:
        assert isinstance(json.loads(out), list)


@FUZZ
@given(content=file_bytes)
@example(
    content=b'{"case_id": "F-1", "insats": "boendestod", '
    b'"events": [{"date": "2026-02-30", "type": "ansokan"}]}'
)
def test_import_refuses_a_bad_file_whole(
    tmp_path: Path, capsys: Any, monkeypatch: Any, content: bytes
) -> None:
    path = tmp_path / "fall.json"
    path.write_bytes(content)
    before = counts()
    with time_machine.travel(FROZEN, tick=False):
        code, _, err = run(capsys, monkeypatch, "import", str(path))
    assert_clear(code, err, str(path))
    if code == 2:
        assert not changed(before, counts()), "a refused file was partly imported"


OPTION_VALUE = st.one_of(st.sampled_from(BAD_DATES), hostile_value, st.just("2026-04-20"))


@FUZZ
@given(
    datum=st.one_of(st.none(), OPTION_VALUE),
    dry_run=st.booleans(),
    junk=st.lists(st.sampled_from(["--okänd", "extra", "--datum"]), max_size=1),
)
def test_paminnelser_answers_bad_dates_with_exit_2(
    capsys: Any, monkeypatch: Any, datum: str | None, dry_run: bool, junk: list[str]
) -> None:
    args = (["--datum", datum] if datum is not None else []) + (["--dry-run"] if dry_run else [])
    code, _, err = run(capsys, monkeypatch, "paminnelser", *args, *junk)
    assert_clear(code, err, "--datum")


GRANSKNING_OPTIONS = [
    "--distrikt",
    "--insats",
    "--verksamhetsomrade",
    "--utforare",
    "--kon",
    "--as-of",
]


@FUZZ
@given(
    options=st.dictionaries(st.sampled_from(GRANSKNING_OPTIONS), OPTION_VALUE, max_size=3),
    as_json=st.booleans(),
)
@example(options={"--as-of": "99999-01-01"}, as_json=True)
@example(options={"--kon": "\x00"}, as_json=False)
def test_granskning_answers_bad_selections_with_exit_2(
    capsys: Any, monkeypatch: Any, options: dict[str, str], as_json: bool
) -> None:
    args = [part for pair in options.items() for part in pair] + (["--json"] if as_json else [])
    with time_machine.travel(FROZEN, tick=False):
        code, _, err = run(capsys, monkeypatch, "granskning", *args)
    assert_clear(code, err, *options, *options.values())


@FUZZ
@given(
    args=st.lists(
        st.one_of(hostile_value, st.sampled_from(["--gallra", "--lista", "--ja"])),
        min_size=1,
        max_size=3,
    )
)
def test_gallring_answers_bad_arguments_with_exit_2(
    capsys: Any, monkeypatch: Any, args: list[str]
) -> None:
    before = counts()
    code, _, err = run(capsys, monkeypatch, "gallring", *args)
    assert_clear(code, err, *args)
    if code == 2:
        assert not changed(before, counts())


@FUZZ
@given(content=file_bytes, ja=st.booleans())
def test_restore_refuses_a_file_that_is_no_backup(
    tmp_path: Path, capsys: Any, monkeypatch: Any, content: bytes, ja: bool
) -> None:
    path = tmp_path / "kopia.bak"
    path.write_bytes(content)
    before = counts()
    code, _, err = run(capsys, monkeypatch, "restore", str(path), *(["--ja"] if ja else []))
    assert code == 2, f"exit {code}: {err}"
    assert_clear(code, err, str(path))
    assert not changed(before, counts())


@FUZZ
@given(
    idag=st.one_of(st.none(), OPTION_VALUE),
    bara_fakta=st.booleans(),
    junk=st.lists(st.sampled_from(["--okänd", "extra", "--idag"]), max_size=1),
)
def test_omrakna_answers_bad_dates_with_exit_2(
    capsys: Any, monkeypatch: Any, idag: str | None, bara_fakta: bool, junk: list[str]
) -> None:
    args = (["--idag", idag] if idag is not None else []) + (["--bara-fakta"] if bara_fakta else [])
    with time_machine.travel(FROZEN, tick=False):
        code, _, err = run(capsys, monkeypatch, "omrakna", *args, "--tyst", *junk)
    assert_clear(code, err, "--idag")


# Never a count that is valid: a valid run builds a whole city.
BAD_COUNTS = ["-1", "0", "abc", "1,5", "", "NaN", "0x10", "1e3"]


@FUZZ
@given(
    cases=st.sampled_from(BAD_COUNTS),
    options=st.dictionaries(
        st.sampled_from(["--seed", "--distrikt", "--idag"]), OPTION_VALUE, max_size=3
    ),
)
def test_generate_answers_bad_arguments_with_exit_2(
    capsys: Any, monkeypatch: Any, cases: str, options: dict[str, str]
) -> None:
    args = ["--cases", cases, *[part for pair in options.items() for part in pair], "--tyst"]
    before = counts()
    code, _, err = run(capsys, monkeypatch, "generate", *args)
    assert code == 2, f"exit {code}: {err}"
    assert_clear(code, err, *args)
    assert not changed(before, counts())


@pytest.mark.parametrize("junk", [["--okänd"], ["extra"], ["--datum", "2026-02-30"]])
def test_demo_answers_unknown_arguments_with_exit_2(
    capsys: Any, monkeypatch: Any, junk: list[str]
) -> None:
    before = counts()
    code, _, err = run(capsys, monkeypatch, "demo", *junk)
    assert code == 2
    assert_clear(code, err)
    assert not changed(before, counts())
