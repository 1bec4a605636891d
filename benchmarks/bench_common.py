"""What the benchmark scripts share: a throwaway database with the suite's
three modules and no demo data. Not a test module (pytest does not collect it)."""

import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = "okr_management,okr_mrp_bridge,okr_hr_appraisal"


def write_config(db_name):
    handle, path = tempfile.mkstemp(prefix="okr-bench-", suffix=".conf")
    with os.fdopen(handle, "w") as conf:
        conf.write(
            "[options]\n"
            f"addons_path = {ROOT}\n"
            f"db_name = {db_name}\n"
            f"dbfilter = ^{db_name}$\n"
            f"data_dir = {tempfile.gettempdir()}/okr-bench-data\n"
            "list_db = False\n"
            "without_demo = all\n"
        )
    return path


def create_database(config_path, db_name, modules=MODULES):
    """Create ``db_name`` with ``modules`` (the suite's three by default), no
    demo data; return the seconds it took."""
    subprocess.run(["dropdb", "--if-exists", db_name], check=False)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "--config",
            config_path,
            "-d",
            db_name,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    return time.perf_counter() - started


# seeding through the ORM without the chatter's work (tracking, followers)
SEED_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


def _proc_status_mb(key):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss():
    """Reset the process's peak RSS (Linux) and return the current RSS in MB."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError as error:
        print(f"peak RSS not reset ({error}): the figure is the process's peak")  # pylint: disable=print-used
    return _proc_status_mb("VmRSS")


def peak_rss():
    """Peak RSS in MB since the last reset_peak_rss() (Linux), else ever."""
    return _proc_status_mb("VmHWM")


class Measure:
    """Queries and milliseconds of a block, commit-time work included, on a
    cold record cache (as a new request)."""

    def __init__(self, env):
        self.env = env

    def __call__(self, func):
        env = self.env
        env.flush_all()
        env.cr.flush()
        env.invalidate_all()
        count0 = env.cr.sql_log_count
        started = time.perf_counter()
        result = func()
        env.flush_all()
        env.cr.flush()  # precommit hooks: tracking, followers, alerts, badges
        elapsed = (time.perf_counter() - started) * 1000
        return env.cr.sql_log_count - count0, elapsed, result


def make_reporter(rows, peak_mb, width):
    """``report(label, queries, ms, notes="")``: append a row of figures to
    ``rows`` (with the process's peak RSS from ``peak_mb()``), print it and
    return ``(queries, ms)``."""

    def report(label, queries, ms, notes=""):
        rows.append(
            {
                "operation": label,
                "queries": queries,
                "ms": round(ms, 1),
                "peak_mb": round(peak_mb(), 1),
                "notes": notes,
            }
        )
        print(f"{label:<{width}} {queries:>8} {ms:>10.0f}  {notes}", flush=True)  # pylint: disable=print-used
        return queries, ms

    return report


def run_main(run, doc, default_db):
    """The command line of a benchmark whose ``run(db_name)`` returns
    ``(rows, ratios)``: --db, --keep, --json; the database is dropped at the
    end unless --keep is given."""
    import argparse  # pylint: disable=import-outside-toplevel
    import json  # pylint: disable=import-outside-toplevel

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", default=default_db)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()
    try:
        rows, ratios = run(args.db)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump({"rows": rows, "ratios": ratios}, handle, indent=1)
    finally:
        if not args.keep:
            try:
                from odoo.sql_db import (  # pylint: disable=import-outside-toplevel
                    close_db,
                )

                close_db(args.db)
            except Exception as error:  # pylint: disable=broad-except
                # best effort before dropping
                print(f"could not close the connections to {args.db}: {error}")  # pylint: disable=print-used
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
