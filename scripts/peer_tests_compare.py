#!/usr/bin/env python3
"""Compare the peers' test results with and without our modules.

    python3 scripts/peer_tests_compare.py --work DIR --ours DB --base DB \
        --known FILE SUITE...

Called by scripts/peer_tests.sh, which leaves in DIR, for each database DB and
each SUITE (an addon), ``DB.SUITE.xml`` (pytest's JUnit XML) and ``DB.times``
(``suite exit-code seconds`` a line). FILE lists the known failures, one a
line: ``addon/tests/file.py::Class::test  reason``.

Prints a table per suite (tests run, failures with and without ours, time),
then exits 1 when a test fails with our modules and is not a known failure, or
when a known failure no longer holds (it passes with ours, or without ours), or
when a suite could not run; else 0. Standard library only.
"""

# A command-line check: it reports with print().
# pylint: disable=print-used

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def test_id(classname, name):
    """``addon/tests/file.py::Class::test`` from a JUnit classname such as
    ``odoo.addons.mrp.tests.test_order.TestMrpOrder`` (any prefix)."""
    head, sep, tail = classname.rpartition(".tests.")
    if not sep:
        return f"{classname}::{name}"
    addon = head.rsplit(".", 1)[-1]
    parts = tail.split(".")
    return f"{addon}/tests/{parts[0]}.py::{'::'.join([*parts[1:], name])}"


def read_results(xml_file):
    """{test id: 'passed' | 'failed' | 'skipped'} of one JUnit XML file."""
    results = {}
    for case in ET.parse(xml_file).getroot().iter("testcase"):
        outcome = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        key = test_id(case.get("classname", ""), case.get("name", ""))
        # a test can appear twice (an error in its teardown): failed wins
        if results.get(key) != "failed":
            results[key] = outcome
    return results


def read_times(times_file):
    """{suite: (exit code, seconds)}."""
    times = {}
    if times_file.is_file():
        for line in times_file.read_text(encoding="utf-8").splitlines():
            suite, code, seconds = line.split()
            times[suite] = (int(code), int(seconds))
    return times


def read_known(known_file):
    """{test id: reason} of the known failures (blank lines and # ignored)."""
    known = {}
    for line in known_file.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _sep, reason = line.partition(" ")
        known[key] = reason.strip()
    return known


def compare(work, ours, base, known, suites):
    """(report lines, problem lines)."""
    lines = [
        f"{'suite':<26}{'run':>6}{'failed ours':>13}{'failed base':>13}"
        f"{'s ours':>8}{'s base':>8}"
    ]
    problems = []
    failed = {ours: set(), base: set()}
    times = {db: read_times(work / f"{db}.times") for db in (ours, base)}
    for suite in suites:
        counts = {}
        for db in (ours, base):
            xml_file = work / f"{db}.{suite}.xml"
            code = times[db].get(suite, (None, 0))[0]
            # pytest: 0 all passed, 1 some failed; anything else did not run
            if code not in (0, 1) or not xml_file.is_file():
                problems.append(
                    f"{suite} could not run on {db} (pytest exit {code}): "
                    f"see {db}.{suite}.log"
                )
                counts[db] = (0, 0)
                continue
            results = read_results(xml_file)
            suite_failed = {key for key, out in results.items() if out == "failed"}
            failed[db] |= suite_failed
            run = sum(1 for out in results.values() if out != "skipped")
            counts[db] = (run, len(suite_failed))
            if not run:
                problems.append(f"{suite} ran no test on {db}")
        if counts[ours][0] != counts[base][0]:
            problems.append(
                f"{suite}: {counts[ours][0]} tests ran with ours, "
                f"{counts[base][0]} without"
            )
        lines.append(
            f"{suite:<26}{counts[ours][0]:>6}{counts[ours][1]:>13}"
            f"{counts[base][1]:>13}{times[ours].get(suite, (0, 0))[1]:>8}"
            f"{times[base].get(suite, (0, 0))[1]:>8}"
        )
    for key in sorted(failed[ours] - set(known)):
        if key in failed[base]:
            problems.append(
                f"{key} fails with and without our modules: list it in "
                "KNOWN_FAILURES of scripts/peer_tests.sh with its reason"
            )
        else:
            problems.append(f"{key} fails only with our modules installed")
    for key, reason in sorted(known.items()):
        if key.split("/", 1)[0] not in suites:
            continue
        if key not in failed[ours]:
            problems.append(
                f"known failure {key} ({reason}) no longer fails with our "
                "modules: remove it from KNOWN_FAILURES"
            )
        elif key not in failed[base]:
            problems.append(
                f"known failure {key} ({reason}) passes without our modules: "
                "our modules break it, it is no known failure"
            )
    for key in sorted(failed[base] - failed[ours]):
        lines.append(f"note: {key} fails without our modules only")
    return lines, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--ours", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--known", type=Path, required=True)
    parser.add_argument("suites", nargs="+")
    args = parser.parse_args(argv)
    lines, problems = compare(
        args.work, args.ours, args.base, read_known(args.known), args.suites
    )
    print("\n".join(lines))
    for problem in problems:
        print(f"peer-tests: {problem}", file=sys.stderr)
    if problems:
        print(f"peer-tests: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("peer-tests: no failure caused by our modules; known failures hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
