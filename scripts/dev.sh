#!/usr/bin/env bash
# Developer loop on a kept database (the CI path is scripts/test.sh):
#   bash scripts/dev.sh init   DB                 create DB with the three modules and demo data
#   bash scripts/dev.sh update DB MODULE[,MODULE] upgrade modules in DB
#   bash scripts/dev.sh test   DB PATH...         run pytest-odoo on PATHs against DB
#   bash scripts/dev.sh drop   DB
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
cmd="${1:?command}"; DB="${2:?database}"; shift 2
CONF="/tmp/okr-dev-$DB.conf"
cat > "$CONF" <<CONF
[options]
addons_path = $ROOT
db_name = $DB
dbfilter = ^$DB\$
data_dir = /tmp/okr-dev-data
list_db = False
CONF
case "$cmd" in
    init)
        dropdb --if-exists "$DB" >/dev/null 2>&1
        "$PYTHON" -m odoo --config "$CONF" -d "$DB" -i okr_management,okr_mrp_bridge,okr_hr_appraisal \
            --stop-after-init --log-level=warn ;;
    update)
        "$PYTHON" -m odoo --config "$CONF" -d "$DB" -u "${1:?modules}" --stop-after-init --log-level=warn ;;
    test)
        cd "$ROOT" && "$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
            --odoo-log-level=warn "$@" ;;
    drop)
        dropdb --if-exists "$DB" ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
