#!/usr/bin/env bash
# Runs every test of the OKR suite against real Odoo 18 and a fresh database.
#
#   bash scripts/test.sh [extra pytest arguments]
#
# Environment (all optional):
#   PYTHON            the Python that imports Odoo 18 (default: python3)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  PostgreSQL connection (default: local socket, current OS user)
#   OKR_TEST_DB       name of the throwaway database (default: okr_test_<pid>)
#   OKR_KEEP_DB=1     keep the database after the run (for debugging)
#   OKR_SKIP_INSTALL_REQUIREMENTS=1  do not pip-install requirements.txt
#   OKR_SKIP_BROWSER=1  do not install chromium for the browser tours (tours then fail, never skip silently)
set -uo pipefail

OKR_LOG_PREFIX=okr-test
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# 1. Odoo 18 must be importable: one clear line otherwise, never fewer tests.
okr_require_odoo

# 2. Python requirements (OCA wheels with --no-deps, see requirements.txt).
okr_install_requirements

# 3. Browser for the tours: Debian's chromium.
if [ "${OKR_SKIP_BROWSER:-0}" != "1" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
        okr_say "installing Debian's chromium for the browser tours"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || okr_die "could not install chromium (needed by the browser tours)"
    else
        okr_die "chromium is missing (needed by the browser tours): install it, e.g. 'apt-get install chromium'"
    fi
fi

# 4. PostgreSQL: start the local cluster when one is installed and down.
okr_start_postgres

DB="${OKR_TEST_DB:-okr_test_$$}"
WORK="$(mktemp -d)"
CONF="$WORK/odoo.conf"
okr_write_config "$CONF" "$DB" "$WORK/data"

cleanup() {
    if [ "${OKR_KEEP_DB:-0}" != "1" ]; then
        "$PYTHON" -m odoo db --config "$CONF" drop "$DB" >/dev/null 2>&1 \
            || dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        rm -rf "$WORK"
    else
        okr_say "kept database $DB (config $CONF)"
    fi
}
trap cleanup EXIT

# 5. Fresh database with the three modules and demo data.
okr_say "installing $OKR_MODULES into fresh database $DB (demo data on)"
okr_install_modules "$CONF" "$DB" "$WORK/install.log"
if command -v psql >/dev/null 2>&1 && ! okr_db_has_modules "$DB"; then
    cat "$WORK/install.log" >&2
    okr_die "not all of $OKR_MODULES are installed in $DB"
fi

# 6. Every test: each module's tests/ and the top-level tests/, with pytest-odoo.
cd "$OKR_ROOT" || exit 2
# shellcheck disable=SC2086
"$PYTHON" -m pytest -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    ${OKR_MODULES//,/ } tests "$@"
rc=$?
if [ $rc -eq 5 ]; then
    echo "okr-test: pytest collected no test: failing" >&2
    exit 1
fi
exit $rc
