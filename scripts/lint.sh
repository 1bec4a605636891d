#!/usr/bin/env bash
# Linters of the OKR suite, with the OCA 18.0 configuration (.ruff.toml,
# .pylintrc-mandatory); exits non-zero on any finding.
#
#   bash scripts/lint.sh          check the whole tree
#   bash scripts/lint.sh --fix    let ruff fix and format what it can, then check
#
# Environment (optional):
#   PYTHON                            the Python to run the linters with (default: python3)
#   OKR_SKIP_INSTALL_REQUIREMENTS=1   do not pip-install requirements-lint.txt
set -uo pipefail

OKR_LOG_PREFIX=okr-lint
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OKR_ROOT" || exit 2

if [ "${OKR_SKIP_INSTALL_REQUIREMENTS:-0}" != "1" ]; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        -r requirements-lint.txt || okr_die "pip could not install requirements-lint.txt"
fi

if [ "${1:-}" = "--fix" ]; then
    "$PYTHON" -m ruff check --fix --quiet . || true
    "$PYTHON" -m ruff format --quiet .
fi

failed=()

echo "== ruff check"
"$PYTHON" -m ruff check --no-fix . || failed+=("ruff check")

echo "== ruff format --check"
"$PYTHON" -m ruff format --check . || failed+=("ruff format")

# pylint-odoo: the addons as packages, the top-level tests/, scripts/ and
# conftest.py (examples/ are command-line programs that print: ruff only).
mapfile -t addons < <(for manifest in */__manifest__.py; do dirname "$manifest"; done)
mapfile -t loose < <(find tests scripts -name '*.py' -not -path '*/__pycache__/*' 2>/dev/null; ls ./*.py 2>/dev/null)
echo "== pylint-odoo (.pylintrc-mandatory): ${addons[*]}, ${#loose[@]} files of tests/, scripts/ and the top level"
"$PYTHON" -m pylint --rcfile=.pylintrc-mandatory "${addons[@]}" "${loose[@]}" \
    || failed+=("pylint-odoo")

if [ ${#failed[@]} -eq 0 ]; then
    echo "okr-lint: clean (ruff check, ruff format, pylint-odoo)"
    exit 0
fi
echo "okr-lint: findings in: $(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')" >&2
exit 1
