"""`uppfolj bevakning` as TIMELINE.md specifies it, run as a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[3]
TIMELINE_MD = ROOT.parent / "shared" / "domain" / "TIMELINE.md"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uppfolj.cli", "bevakning", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def example_blocks() -> list[Any]:
    text = TIMELINE_MD.read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def example_case() -> dict[str, Any]:
    return dict(example_blocks()[0])


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_timeline_md_example_gives_the_documented_statuses(tmp_path: Path) -> None:
    documented = example_blocks()[1]
    result = run(write(tmp_path, "a1.json", example_case()), "--as-of", documented["as_of"])
    assert result.returncode == 0, result.stderr
    [output] = json.loads(result.stdout)
    assert output["case_id"] == "A-1"
    assert output["as_of"] == "2026-04-20"
    for expected in documented["bevakningar"]:
        assert expected in output["bevakningar"]
    rules = {b["rule"] for b in output["bevakningar"]}
    # "The full result for this case also holds …"
    assert {"BS-VERKST-1M", "GEN-IVO-3M", "BS-SAMMANST-89D", "GEN-BESLUT-UTGAR"} <= rules
    assert output["bevakningar"] == sorted(
        output["bevakningar"], key=lambda b: (b["due"], b["rule"])
    )
    assert result.stderr == ""


def test_reads_standard_input_with_dash() -> None:
    result = run("-", "--as-of", "2026-04-20", stdin=json.dumps(example_case()))
    assert result.returncode == 0, result.stderr
    [output] = json.loads(result.stdout)
    assert output["case_id"] == "A-1"


def test_array_and_several_files_keep_input_order(tmp_path: Path) -> None:
    first = {**example_case(), "case_id": "B-2"}
    second = {**example_case(), "case_id": "B-1", "insats": "vard_och_omsorgsboende"}
    third = {**example_case(), "case_id": "A-0"}
    result = run(
        write(tmp_path, "two.json", [first, second]),
        write(tmp_path, "one.json", third),
        "--as-of",
        "2026-04-20",
    )
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)
    assert [o["case_id"] for o in outputs] == ["B-2", "B-1", "A-0"]
    assert "VOB-GFP-14D" in {b["rule"] for b in outputs[1]["bevakningar"]}


def test_events_out_of_date_order_are_sorted_not_refused(tmp_path: Path) -> None:
    case = example_case()
    case["events"] = list(reversed(case["events"]))
    result = run(write(tmp_path, "rev.json", case), "--as-of", "2026-04-20")
    assert result.returncode == 0, result.stderr
    [output] = json.loads(result.stdout)
    kontakt = next(b for b in output["bevakningar"] if b["rule"] == "BS-KONTAKT-3VD")
    assert kontakt["status"] == "met"


def test_as_of_defaults_to_today(tmp_path: Path) -> None:
    result = run(write(tmp_path, "a1.json", example_case()))
    assert result.returncode == 0, result.stderr
    [output] = json.loads(result.stdout)
    assert output["as_of"] == datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()


def bad_event(
    tmp_path: Path, index: int, event: dict[str, Any]
) -> subprocess.CompletedProcess[str]:
    case = example_case()
    case["events"][index] = event
    return run(write(tmp_path, "bad.json", [example_case(), case]), "--as-of", "2026-04-20")


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"date": "2026-03-05", "type": "telefonsamtal"}, 'okänd händelsetyp "telefonsamtal"'),
        ({"type": "kontakt_tagen"}, "fältet date saknas"),
        ({"date": "2026-02-30", "type": "kontakt_tagen"}, '"2026-02-30" är inte ett giltigt datum'),
        ({"date": "5/3/2026", "type": "kontakt_tagen"}, '"5/3/2026" är inte ett giltigt datum'),
    ],
)
def test_bad_event_names_file_case_and_event_index(
    tmp_path: Path, event: dict[str, Any], message: str
) -> None:
    result = bad_event(tmp_path, 2, event)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "bad.json" in result.stderr
    assert 'case_id "A-1"' in result.stderr
    assert "events[2]" in result.stderr
    assert message in result.stderr


def test_unknown_insats_names_the_case(tmp_path: Path) -> None:
    case = {**example_case(), "insats": "hemtjanst"}
    result = run(write(tmp_path, "x.json", case))
    assert result.returncode == 2
    assert result.stdout == ""
    assert 'x.json: case_id "A-1": okänd insats "hemtjanst"' in result.stderr


def test_unparsable_json_names_the_file_and_line(tmp_path: Path) -> None:
    result = run(write(tmp_path, "broken.json", '{"case_id": "A-1",\n  "insats": }'))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "broken.json: ogiltig JSON på rad 2" in result.stderr


def test_case_without_id_is_named_by_its_position(tmp_path: Path) -> None:
    case = example_case()
    del case["case_id"]
    result = run(write(tmp_path, "noid.json", [example_case(), case]))
    assert result.returncode == 2
    assert "noid.json: ärende [1]: fältet case_id saknas" in result.stderr


def test_missing_file_and_bad_as_of_exit_2(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "finns-inte.json"))
    assert missing.returncode == 2
    assert "finns-inte.json: kan inte läsas" in missing.stderr
    bad_date = run(write(tmp_path, "a1.json", example_case()), "--as-of", "2026-13-01")
    assert bad_date.returncode == 2
    assert bad_date.stdout == ""
    assert 'uppfolj bevakning: --as-of "2026-13-01" är inte ett giltigt datum' in bad_date.stderr


def test_a_bad_case_in_a_later_file_prints_nothing(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", example_case())
    bad = write(tmp_path, "bad.json", {**example_case(), "insats": "okand"})
    result = run(good, bad)
    assert result.returncode == 2
    assert result.stdout == ""
