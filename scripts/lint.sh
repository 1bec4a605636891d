#!/usr/bin/env bash
# Linters of the OKR suite, with the OCA 18.0 configuration; exits non-zero on any
# finding:
#   ruff check, ruff format            (.ruff.toml)
#   pylint-odoo                        (.pylintrc-mandatory)
#   oca-checks-odoo-module, oca-checks-po  (.oca_hooks.cfg)
#   prettier + @prettier/plugin-xml    (.prettierrc.yml) on the modules' XML and JS
#
#   bash scripts/lint.sh          check the whole tree
#   bash scripts/lint.sh --fix    let ruff, oca-checks-odoo-module (XML header, eval on
#                                 boolean/numeric fields, attribute order, ...) and prettier
#                                 fix and format what they can, then check
#
# The Python linters are pinned in requirements-lint.txt (pip-installed into
# $PYTHON), prettier in package.json / package-lock.json (`npm ci` into the
# repository's node_modules/, never globally).
#
# Environment (optional):
#   PYTHON                            the Python to run the linters with (default: python3)
#   OKR_SKIP_INSTALL_REQUIREMENTS=1   install nothing (neither pip nor npm)
set -uo pipefail

OKR_LOG_PREFIX=okr-lint
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OKR_ROOT" || exit 2

PRETTIER=node_modules/.bin/prettier
if [ "${OKR_SKIP_INSTALL_REQUIREMENTS:-0}" != "1" ]; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        -r requirements-lint.txt || okr_die "pip could not install requirements-lint.txt"
    command -v npm >/dev/null 2>&1 || okr_die "npm not found: install Node.js (20 or later) with npm"
    # npm ci wipes node_modules/: run it only when the lockfile changed since the last one.
    if ! cmp -s package-lock.json node_modules/.okr-lint-lock.json; then
        npm ci --no-audit --no-fund --loglevel=error \
            || okr_die "npm ci could not install package-lock.json"
        cp package-lock.json node_modules/.okr-lint-lock.json
    fi
fi
[ -x "$PRETTIER" ] || okr_die "$PRETTIER is missing: run without OKR_SKIP_INSTALL_REQUIREMENTS=1 (npm ci)"

mapfile -t addons < <(for manifest in */__manifest__.py; do dirname "$manifest"; done)
# prettier: the addons' XML and JS, less vendored libraries.
mapfile -t pretty < <(find "${addons[@]}" \( -name '*.xml' -o -name '*.js' \) \
    -not -path '*/static/lib/*' -not -path '*/static/src/lib/*' | sort)
mapfile -t pofiles < <(find "${addons[@]}" -path '*/i18n/*' \( -name '*.po' -o -name '*.pot' \) | sort)

if [ "${1:-}" = "--fix" ]; then
    "$PYTHON" -m ruff check --fix --quiet . || true
    "$PYTHON" -m ruff format --quiet .
    # OCA's own autofixes, before prettier lays the result out (--no-exit: findings
    # that it cannot fix are reported by the check below).
    "$PYTHON" -m oca_pre_commit_hooks.cli --fix --no-verbose --no-exit "${addons[@]}"
    "$PRETTIER" --write --log-level=warn "${pretty[@]}" || true
fi

failed=()

echo "== ruff check"
"$PYTHON" -m ruff check --no-fix . || failed+=("ruff check")

echo "== ruff format --check"
"$PYTHON" -m ruff format --check . || failed+=("ruff format")

# pylint-odoo: the addons as packages, the top-level tests/ and benchmarks/, scripts/ and
# conftest.py (examples/ are command-line programs that print: ruff only).
mapfile -t loose < <(find tests benchmarks scripts -name '*.py' -not -path '*/__pycache__/*' 2>/dev/null; ls ./*.py 2>/dev/null)
echo "== pylint-odoo (.pylintrc-mandatory): ${addons[*]}, ${#loose[@]} files of tests/, benchmarks/, scripts/ and the top level"
"$PYTHON" -m pylint --rcfile=.pylintrc-mandatory "${addons[@]}" "${loose[@]}" \
    || failed+=("pylint-odoo")

echo "== oca-checks-odoo-module (.oca_hooks.cfg): ${addons[*]}"
"$PYTHON" -m oca_pre_commit_hooks.cli "${addons[@]}" || failed+=("oca-checks-odoo-module")

echo "== oca-checks-po (.oca_hooks.cfg): ${#pofiles[@]} .po/.pot files"
"$PYTHON" -m oca_pre_commit_hooks.cli_po "${pofiles[@]}" || failed+=("oca-checks-po")

echo "== prettier --check (.prettierrc.yml): ${#pretty[@]} XML and JS files of ${addons[*]}"
"$PRETTIER" --check --log-level=warn "${pretty[@]}" || failed+=("prettier")

if [ ${#failed[@]} -eq 0 ]; then
    echo "okr-lint: clean (ruff check, ruff format, pylint-odoo, oca-checks-odoo-module, oca-checks-po, prettier)"
    exit 0
fi
echo "okr-lint: findings in: $(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')" >&2
exit 1
