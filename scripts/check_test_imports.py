#!/usr/bin/env python3
"""Check that every test file of every addon is imported by its tests/__init__.py.

    python3 scripts/check_test_imports.py

Odoo's test runner only runs the test modules that tests/__init__.py imports: a
tests/test_*.py left out of it is silently never run. For each addon (a folder of
the repository with a __manifest__.py), each tests/test_*.py must be imported
there (``from . import test_x``). Prints each one missing and exits 1, else
prints one line and exits 0. Standard library only.
"""

# A command-line check: it reports with print().
# pylint: disable=print-used

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(init_file):
    """The names of the sibling modules that ``init_file`` imports."""
    tree = ast.parse(init_file.read_text(encoding="utf-8"), filename=str(init_file))
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module:  # from .test_x import ...
            names.add(node.module.split(".")[0])
        else:  # from . import test_x, test_y
            names.update(alias.name for alias in node.names)
    return names


def missing_imports(root=ROOT):
    """(number of test files, the test files that tests/__init__.py leaves out)."""
    count = 0
    missing = []
    for manifest in sorted(root.glob("*/__manifest__.py")):
        tests = manifest.parent / "tests"
        test_files = sorted(tests.glob("test_*.py"))
        if not test_files:
            continue
        init_file = tests / "__init__.py"
        imported = imported_modules(init_file) if init_file.is_file() else set()
        count += len(test_files)
        missing.extend(path for path in test_files if path.stem not in imported)
    return count, missing


def main():
    count, missing = missing_imports()
    for path in missing:
        print(f"{path.relative_to(ROOT)}: not imported by tests/__init__.py")
    if missing:
        return 1
    print(f"okr-check-tests: {count} test files, all imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
