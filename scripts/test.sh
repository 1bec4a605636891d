#!/usr/bin/env bash
# Runs every test of the OKR suite against real Odoo 18 and a fresh database.
#
#   bash scripts/test.sh [extra pytest arguments]
#
# Environment (all optional):
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  PostgreSQL connection (default: local socket, current OS user)
#   OKR_TEST_DB       name of the throwaway database (default: okr_test_<pid>)
#   OKR_KEEP_DB=1     keep the database after the run (for debugging)
#   OKR_SKIP_INSTALL_REQUIREMENTS=1  do not pip-install requirements.txt
#   OKR_SKIP_BROWSER=1  do not install chromium for the browser tours (tours then fail, never skip silently)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
MODULES="okr_management,okr_mrp_bridge,okr_hr_appraisal"

die() { echo "okr-test: $*" >&2; exit 2; }

# 1. Odoo 18 must be importable: say so in one line, never run fewer tests.
odoo_version="$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null)"
if [ "$odoo_version" != "18" ]; then
    die "Odoo 18 is not importable by '$PYTHON' (found: ${odoo_version:-no 'odoo' module}); install Odoo 18.0 Community (the official odoo:18.0 Docker image, or a source checkout of odoo/odoo branch 18.0 on the Python path) and run again."
fi

# 2. Python requirements (the OCA wheels declare odoo==18.0.*, which a source install
#    does not satisfy for pip: they are installed without their dependency check, and
#    requirements.txt lists their real dependencies).
if [ "${OKR_SKIP_INSTALL_REQUIREMENTS:-0}" != "1" ]; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps -r "$ROOT/requirements.txt" \
        || die "pip could not install requirements.txt"
fi

# 3. Browser for the tours: Debian's chromium.
if [ "${OKR_SKIP_BROWSER:-0}" != "1" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
        echo "okr-test: installing Debian's chromium for the browser tours"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || die "could not install chromium (needed by the browser tours)"
    else
        die "chromium is missing (needed by the browser tours): install it, e.g. 'apt-get install chromium'"
    fi
fi

# 4. PostgreSQL: start the local cluster when one is installed and down.
if [ -z "${PGHOST:-}" ] && command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
        if [ "$status" = "down" ]; then
            echo "okr-test: starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start || true
        fi
    done
    # running as root with no role of that name: create one that can create databases
    if [ "$(id -u)" = "0" ] && [ -z "${PGUSER:-}" ] && command -v psql >/dev/null 2>&1; then
        if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
            su postgres -c "createuser --createdb $(id -un)" >/dev/null 2>&1 || true
        fi
    fi
fi
DB_ARGS=()
[ -n "${PGHOST:-}" ] && DB_ARGS+=("--db_host=$PGHOST")
[ -n "${PGPORT:-}" ] && DB_ARGS+=("--db_port=$PGPORT")
[ -n "${PGUSER:-}" ] && DB_ARGS+=("--db_user=$PGUSER")
[ -n "${PGPASSWORD:-}" ] && DB_ARGS+=("--db_password=$PGPASSWORD")

DB="${OKR_TEST_DB:-okr_test_$$}"
WORK="$(mktemp -d)"
CONF="$WORK/odoo.conf"
{
    echo "[options]"
    echo "addons_path = $ROOT"
    echo "db_name = $DB"
    echo "dbfilter = ^$DB\$"
    echo "data_dir = $WORK/data"
    echo "list_db = False"
    echo "without_demo = False"
    [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST"
    [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT"
    [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER"
    [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
} > "$CONF"

cleanup() {
    if [ "${OKR_KEEP_DB:-0}" != "1" ]; then
        "$PYTHON" -m odoo db --config "$CONF" drop "$DB" >/dev/null 2>&1 \
            || dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        rm -rf "$WORK"
    else
        echo "okr-test: kept database $DB (config $CONF)"
    fi
}
trap cleanup EXIT

# 5. Fresh database with the three modules and demo data.
echo "okr-test: installing $MODULES into fresh database $DB (demo data on)"
LOG="$WORK/install.log"
"$PYTHON" -m odoo --config "$CONF" -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn \
    >"$LOG" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG" >/dev/null; then
    cat "$LOG" >&2
    die "installing the modules failed (exit $rc)"
fi
installed="$(psql "${DB}" -Atc "select count(*) from ir_module_module where state='installed' and name in ('okr_management','okr_mrp_bridge','okr_hr_appraisal')" 2>/dev/null || echo '?')"
if [ "$installed" != "3" ] && [ "$installed" != "?" ]; then
    cat "$LOG" >&2
    die "only $installed of the 3 modules are installed"
fi

# 6. Every test: each module's tests/ and the top-level tests/, with pytest-odoo.
cd "$ROOT" || exit 2
"$PYTHON" -m pytest -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    okr_management okr_mrp_bridge okr_hr_appraisal tests "$@"
rc=$?
if [ $rc -eq 5 ]; then
    echo "okr-test: pytest collected no test: failing" >&2
    exit 1
fi
exit $rc
