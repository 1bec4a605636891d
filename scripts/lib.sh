#!/usr/bin/env bash
# Shared by scripts/test.sh, scripts/demo.sh, scripts/dev.sh and scripts/lint.sh:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Defines OKR_ROOT, OKR_MODULES, PYTHON and the okr_* functions below.

OKR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The suite's modules, in install order; the Docker path (docker/compose.yaml) and
# tests/test_deployment.py check that they use this same list.
OKR_MODULES="okr_management,okr_mrp_bridge,okr_hr_appraisal"
PYTHON="${PYTHON:-python3}"
OKR_LOG_PREFIX="${OKR_LOG_PREFIX:-okr}"

okr_die() { echo "$OKR_LOG_PREFIX: $*" >&2; exit 2; }
okr_say() { echo "$OKR_LOG_PREFIX: $*"; }

# Odoo 18 must be importable: say so in one line, never run fewer tests.
okr_require_odoo() {
    local version
    version="$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null)"
    if [ "$version" != "18" ]; then
        okr_die "Odoo 18 is not importable by '$PYTHON' (found: ${version:-no 'odoo' module}); install Odoo 18.0 Community (the official odoo:18.0 Docker image, or a source checkout of odoo/odoo branch 18.0 on the Python path) and run again."
    fi
}

# Python requirements. The OCA wheels declare odoo==18.0.*, which a source install
# (not known to pip as a distribution) does not satisfy: they are installed without
# pip's dependency check, and requirements.txt lists their real dependencies.
okr_install_requirements() {
    [ "${OKR_SKIP_INSTALL_REQUIREMENTS:-0}" = "1" ] && return 0
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
        -r "$OKR_ROOT/requirements.txt" \
        || okr_die "pip could not install requirements.txt"
}

# PostgreSQL: with no PGHOST, start the local cluster when one is installed and
# down, and as root with no role of that name create one that can create databases.
okr_start_postgres() {
    [ -n "${PGHOST:-}" ] && return 0
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
        if [ "$status" = "down" ]; then
            okr_say "starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start || true
        fi
    done
    if [ "$(id -u)" = "0" ] && [ -z "${PGUSER:-}" ] && command -v psql >/dev/null 2>&1; then
        if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
            su postgres -c "createuser --createdb $(id -un)" >/dev/null 2>&1 || true
        fi
    fi
}

# okr_write_config FILE DB DATA_DIR: an Odoo configuration file for database DB
# alone (dbfilter, list_db off, demo data on), with the PG* connection variables.
okr_write_config() {
    local conf="$1" db="$2" data_dir="$3"
    {
        echo "[options]"
        echo "addons_path = $OKR_ROOT"
        echo "db_name = $db"
        echo "dbfilter = ^$db\$"
        echo "data_dir = $data_dir"
        echo "list_db = False"
        echo "without_demo = False"
        [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST"
        [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT"
        [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER"
        [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
    } > "$conf"
}

# okr_psql DB SQL: one value from DB, with the same connection as Odoo.
okr_psql() {
    local db="$1" sql="$2"
    PGDATABASE="$db" psql -X -Atc "$sql" 2>/dev/null
}

# okr_db_has_modules DB: true when all of OKR_MODULES are installed in DB.
okr_db_has_modules() {
    local db="$1" names count
    names="'${OKR_MODULES//,/\',\'}'"
    count="$(okr_psql "$db" "select count(*) from ir_module_module where state = 'installed' and name in ($names)")"
    [ "$count" = "$(echo "$OKR_MODULES" | tr ',' '\n' | wc -l)" ]
}

# okr_install_modules CONF DB LOG: install OKR_MODULES with demo data into DB
# (created when missing); any ERROR/CRITICAL line in the log is a failure.
okr_install_modules() {
    local conf="$1" db="$2" log="$3" rc
    "$PYTHON" -m odoo --config "$conf" -d "$db" -i "$OKR_MODULES" --stop-after-init \
        --log-level=warn >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] || grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" >/dev/null; then
        cat "$log" >&2
        okr_die "installing the modules failed (exit $rc)"
    fi
}
