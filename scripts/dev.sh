#!/usr/bin/env bash
# Developer loop on a kept database (the CI path is scripts/test.sh):
#   bash scripts/dev.sh init   DB                 create DB with the three modules and demo data
#   bash scripts/dev.sh update DB MODULE[,MODULE] upgrade modules in DB
#   bash scripts/dev.sh test   DB PATH...         run pytest-odoo on PATHs against DB (HTTP tests and tours too)
#   bash scripts/dev.sh drop   DB
set -uo pipefail
OKR_LOG_PREFIX=okr-dev
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cmd="${1:?command}"; DB="${2:?database}"; shift 2
CONF="/tmp/okr-dev-$DB.conf"
okr_write_config "$CONF" "$DB" /tmp/okr-dev-data
case "$cmd" in
    init)
        okr_require_odoo
        okr_start_postgres
        dropdb --if-exists "$DB" >/dev/null 2>&1
        "$PYTHON" -m odoo --config "$CONF" -d "$DB" -i "$OKR_MODULES" \
            --stop-after-init --log-level=warn ;;
    update)
        "$PYTHON" -m odoo --config "$CONF" -d "$DB" -u "${1:?modules}" --stop-after-init --log-level=warn ;;
    test)
        cd "$OKR_ROOT" && "$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
            --odoo-http --odoo-log-level=warn "$@" ;;
    drop)
        dropdb --if-exists "$DB" ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
