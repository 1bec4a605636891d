#!/usr/bin/env python3
"""Generate each module's README.rst from its readme/*.md fragments (OCA layout).

    python3 scripts/gen_readme.py [MODULE ...]

Needs pandoc (Debian's package) to turn the Markdown fragments into
reStructuredText.
"""

# pylint: disable=print-used

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("okr_management", "okr_mrp_bridge", "okr_hr_appraisal")
SECTIONS = (
    ("DESCRIPTION", "Description"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("CONTRIBUTORS", "Contributors"),
)


def _to_rst(path):
    rst = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "rst", "--wrap=auto", "--columns=79", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the fragments' own headings sit one level below the section titles
    return rst.replace("\n====", "\n----").replace("\n~~~~", "\n^^^^")


def generate(module):
    folder = ROOT / module
    manifest = ast.literal_eval((folder / "__manifest__.py").read_text())
    name = manifest["name"]
    lines = ["=" * len(name), name, "=" * len(name), "", manifest["summary"] + ".", ""]
    lines += [
        "The texts of this module live in ``readme/`` (OCA layout); this file is",
        "generated from them by ``scripts/gen_readme.py``.",
        "",
        "**Table of contents**",
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    for fragment, title in SECTIONS:
        path = folder / "readme" / f"{fragment}.md"
        if path.exists():
            lines += [title, "=" * len(title), "", _to_rst(path), ""]
    (folder / "README.rst").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {module}/README.rst")


if __name__ == "__main__":
    for module_name in sys.argv[1:] or MODULES:
        generate(module_name)
