#!/usr/bin/env python3
"""Run the benchmark scripts and write their figures into docs/benchmarks.md.

Each benchmark runs in its own process on its own throwaway database and hands
its figures back as JSON; this script only assembles the report. Use
``bash scripts/benchmarks.sh`` (it checks Odoo and starts PostgreSQL first).
"""

# A command-line script that prints its progress.
# pylint: disable=print-used

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    (
        "okr_management",
        "benchmark_okr_management.py",
        "2,000 objectives, 8,000 key results and 80,000 check-ins in one cycle, "
        "measured as an OKR manager.",
    ),
    (
        "okr_mrp_bridge",
        "benchmark_okr_mrp_bridge.py",
        "500 key results fed by production, 50,000 finished work orders, "
        "10,000 inspections, and Odoo's own work-center OEE side by side.",
    ),
    (
        "okr_hr_appraisal",
        "benchmark_okr_hr_appraisal.py",
        "The OKR and appraisal linkage export: 2,000 employees and 10,000 "
        "completed appraisals, exported as an HR officer at 1,000 rows (one "
        "quarter) and at 10,000 (all), beside Odoo's export_data of the same "
        "rows and fields (PostgreSQL's JIT as configured, and off as the "
        "export's reads run) and Odoo's list-view Export of them as an XLSX "
        "file.",
    ),
    (
        "Board and check-in vs Odoo Project",
        "benchmark_board_vs_project.py",
        "The board's first page as the web client loads it (grouped by the "
        "kanban's default group, the level: one column per level of the "
        "cascade, and by department; status progress bar, 40 cards per open "
        "column, at most 10 open columns; tables analyzed after seeding) as OKR "
        "User and OKR Manager, against Project's task kanban (grouped by its "
        "default, the stage: 5 columns; and, beside the targets, by project: "
        "a column per project its user sees, up to 10) as Project User and "
        "Project Manager, at 200 and at 2,000 objectives and tasks; one "
        "check-in against one project update. Time per card shown. "
        "Queries of the last run, milliseconds the median of 5 runs after a "
        "warm-up; targets: the board's queries at most Project's and its time at "
        "most 1.2 times Project's, a check-in's queries at most a project "
        "update's.",
    ),
    (
        "Tier boards of daily KPIs vs the objective board",
        "benchmark_okr_kpi.py",
        "A plant of 10 departments and 20 lines: 200 tier-3 KPIs and 200 tier-1 "
        "KPIs below them with 31 days of values each (12,400 values, about one "
        "red day in five, open and escalated actions), beside 200 objectives "
        "with 4 key results each, as an OKR manager: the tier-3 board in the web "
        "client and on a TV link against the objective board and the key "
        "results' TV board. Queries of the last run, milliseconds the median of "
        "5 runs after a warm-up.",
    ),
    (
        "Concurrent check-ins",
        "benchmark_concurrent_check_ins.py",
        "10 clients send 40 check-ins each over XML-RPC (each with its own "
        "external reference) to 2 key results of one objective, against Odoo's "
        "threaded server and against --workers=2, on the same database; every "
        "check-in must be recorded, none answered with an error, and the "
        "objective's and key results' figures must match the check-ins "
        "afterwards. The ms column is the 95th percentile of the calls' "
        "latency; target under 1,000 ms.",
    ),
]


def _run(script, json_path):
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(HERE / script), "--json", json_path],
        check=False,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    sys.stdout.write(completed.stdout)
    if completed.returncode:
        sys.stderr.write(completed.stderr[-4000:])
        raise SystemExit(f"{script} failed with exit code {completed.returncode}")
    with open(json_path, encoding="utf-8") as handle:
        return json.load(handle), seconds


def _environment():
    import odoo.release  # pylint: disable=import-outside-toplevel

    postgres = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Odoo "
        f"{odoo.release.version}, PostgreSQL {postgres or '?'}, "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    )


def _table(result):
    lines = [
        "| Operation | SQL queries | ms | Peak RSS (MB) | Notes |",
        "|---|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        notes = row.get("notes", "").replace("|", "/")
        lines.append(
            f"| {row['operation']} | {row['queries']} | {row['ms']:.1f} | "
            f"{row['peak_mb']:.0f} | {notes} |"
        )
    if result.get("ratios"):
        lines += ["", "| Side by side | Figure |", "|---|---|"]
        lines += [
            f"| {ratio['what']} | {ratio['value']} |" for ratio in result["ratios"]
        ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE.parent / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        for module, script, scope in BENCHMARKS:
            print(f"== {module}: {script}", flush=True)
            result, seconds = _run(script, os.path.join(tmp, f"{script}.json"))
            sections.append(
                f"## {module}\n\n{scope} Run: `python3 benchmarks/{script}` "
                f"({seconds:.0f} s including its database).\n\n{_table(result)}\n"
            )
    report = (
        "# Benchmarks\n\n"
        "Written by `bash scripts/benchmarks.sh`; do not edit by hand. SQL queries "
        "are the cursor's count for the operation (work done at commit included); "
        "peak RSS is the benchmark process's peak after the operation. Query counts "
        "that must not grow with the data are also pinned in the modules' tests "
        "(`assertQueryCount`).\n\n"
        f"Machine: {_environment()}.\n\n" + "\n".join(sections)
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
