"""The benchmark suite: generate (or reuse) a synthetic city per size and time the hot paths.

    bash bench/run [--cases 100000] [--seed 1] [--sizes 10000,100000]   (or: make bench)
    bash bench/run --sizes 10000,100000 --operations granskning           (some operations)

For each size it makes sure a database `bench_<cases>_s<seed>` holds a city of
that size and seed (generated with `uppfolj generate` if not), runs
bench/measure.py against it, and prints each operation's median and p95 time
with the ratio to its lower bound measured in the same run. The results go
to bench/results/<timestamp>.json with a description of the machine, and the
table in bench/README.md is replaced by the latest one. This is a benchmark,
not a test: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
TABLE_START = "<!-- bench-table:start -->"
TABLE_END = "<!-- bench-table:end -->"


def machine(server: str) -> dict[str, object]:
    cpu = "okänd"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        pg_version = conn.execute("SELECT version()").fetchone()[0]  # type: ignore[index]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "postgresql": pg_version,
        "os": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }


def ensure_database(server: str, cases: int, seed: int, today: str) -> tuple[str, float | None]:
    """Return the URL of a database holding the city of `cases` and `seed`, and the
    generation rate (cases/s) if it had to be generated in this run."""
    name = f"bench_{cases}_s{seed}"
    url = f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and complete(url, cases, seed):
            print(f"bench: {name} finns redan; genereras inte igen", file=sys.stderr)
            return url, None
        if exists:
            conn.execute(f'DROP DATABASE "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([VENV_BIN / "uppfolj", "migrate", "--no-input", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [
            VENV_BIN / "uppfolj",
            "generate",
            "--cases",
            str(cases),
            "--seed",
            str(seed),
            "--idag",
            today,
        ],
        env=env,
        check=True,
    )
    rate = cases / (time.perf_counter() - started)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return url, rate


def complete(url: str, cases: int, seed: int) -> bool:
    """Whether the database's generation finished: its one audit row is written last."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT efter FROM audit_auditlog WHERE atgard = 'stad_generera' LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0].get("arenden") == cases and row[0].get("seed") == seed)


def num(value: str | int) -> str:
    return f"{int(value):,}".replace(",", "\u2009")


def format_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def table(results: dict[str, dict[str, dict[str, float]]], machine_line: str) -> str:
    """Return the Markdown table of a run: one row per operation and size."""
    lines = [
        f"Machine: {machine_line}",
        "",
        "| operation | cases | median | p95 | lower bound (median) | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for size, ops in results.items():
        for op, r in ops.items():
            if "rate" in r:
                lines.append(
                    f"| {op} | {num(size)} | {r['rate']:.0f} cases/s | – | "
                    f"{r['bound_rate']:.0f} cases/s | {r['ratio']:.1f}× |"
                )
            else:
                lines.append(
                    f"| {op} | {num(size)} | {format_ms(r['median'])} | {format_ms(r['p95'])} | "
                    f"{format_ms(r['bound_median'])} | {r['ratio']:.1f}× |"
                )
    sizes = list(results)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        lines += [
            "",
            f"Growth from {num(small)} to {num(large)} cases "
            "(time per page or per case, large ÷ small):",
            "",
        ]
        for op, r in results[large].items():
            if op in results[small]:
                key = "rate" if "rate" in r else "median"
                grow = (
                    results[small][op][key] / r[key]
                    if key == "rate"
                    else r[key] / results[small][op][key]
                )
                lines.append(f"- {op}: {grow:.2f}×")
    return "\n".join(lines)


def merged_with_latest(
    results: dict[str, dict[str, dict[str, float]]],
) -> tuple[dict[str, dict[str, dict[str, float]]], str | None]:
    """Return the latest full run's results with every later run of some operations
    (oldest first) and then this run's put in their place, and that full run's
    timestamp: the table of a run of some operations keeps the latest of every row."""
    files = sorted(RESULTS.glob("*.json"))
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    full = [i for i, run in enumerate(runs) if run.get("operations", "all") == "all"]
    if not full:
        return results, None
    merged: dict[str, dict[str, dict[str, float]]] = {}
    for run in [*runs[full[-1] :], {"results": results}]:
        for size, ops in run["results"].items():
            merged.setdefault(size, {}).update(ops)
    return merged, str(runs[full[-1]]["timestamp"])


def update_readme(text: str) -> None:
    content = README.read_text(encoding="utf-8")
    start, end = content.index(TABLE_START), content.index(TABLE_END)
    README.write_text(
        content[: start + len(TABLE_START)] + "\n" + text + "\n" + content[end:], encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="postgres://user@host:port (no database)")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sizes", help="comma-separated sizes (default: 10000 and --cases, or --cases alone)"
    )
    parser.add_argument("--idag", default="2026-06-30", help="the generated histories' today")
    parser.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    parser.add_argument(
        "--operations",
        help="comma-separated operations of bench/measure.py (mina, arende, omrakning, bulk, "
        "granskning; default: all); the table keeps the other rows of the latest full run",
    )
    args = parser.parse_args()
    if args.cases < 1:
        print("bench: --cases ska vara minst 1", file=sys.stderr)
        return 2
    if args.sizes:
        sizes = sorted({int(s) for s in args.sizes.split(",")})
    else:
        sizes = sorted({min(10_000, args.cases), args.cases})

    info = machine(args.server)
    results: dict[str, dict[str, dict[str, float]]] = {}
    generation: dict[str, float] = {}
    for size in sizes:
        url, rate = ensure_database(args.server, size, args.seed, args.idag)
        if rate is not None:
            generation[str(size)] = rate
        print(f"bench: mäter {size} ärenden", file=sys.stderr)
        out = subprocess.run(
            [
                VENV_BIN / "python",
                ROOT / "bench" / "measure.py",
                "--idag",
                args.idag,
                *(["--operations", args.operations] if args.operations else []),
            ],
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "uppfolj.settings",
                "DEBUG": "0",  # as in production: no query log, no debug templates
            },
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results[str(size)] = json.loads(out.stdout)

    machine_line = (
        f"{info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, Python "
        f"{info['python']}, {str(info['postgresql']).split(' on ')[0]}, load average at start "
        f"{info['load_average_at_start'][0]:.1f}"  # type: ignore[index]
    )
    measured = results
    if args.operations:
        results, earlier = merged_with_latest(results)
        if earlier:
            machine_line += (
                "; rows not measured in this run are from the later runs of some operations "
                f"since run {earlier}, else from that run"
            )
    text = table(results, machine_line)
    if generation:
        text += "\n\nGeneration rate in this run: " + ", ".join(
            f"{num(s)} cases at {r:.0f} cases/s" for s, r in generation.items()
        )
    print(text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps(
            {
                "timestamp": stamp,
                "seed": args.seed,
                "idag": args.idag,
                "machine": info,
                "generation_cases_per_second": generation,
                "operations": args.operations or "all",
                "results": measured,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    if not args.no_readme:
        update_readme(f"Run {stamp} (`bench/results/{stamp}.json`).\n\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
