#!/bin/bash
# Command of the OKR suite's Odoo image (docker/Dockerfile):
#   okr-start init   create database okr_demo with demo data and the three modules,
#                    unless they are installed there already (one-shot service)
#   okr-start serve  run Odoo on okr_demo (the long-running service)
# Both write the Odoo configuration from /etc/odoo/okr.conf and ODOO_ADMIN_PASSWORD,
# then hand over to the official image's /entrypoint.sh (database HOST, USER, PASSWORD).
set -euo pipefail

DB="okr_demo"
MODULES="okr_management,okr_mrp_bridge,okr_hr_appraisal"

if [ -z "${ODOO_ADMIN_PASSWORD:-}" ]; then
    echo "okr-start: ODOO_ADMIN_PASSWORD is not set: copy docker/.env.example to docker/.env and choose one" >&2
    exit 2
fi
if [ "$ODOO_ADMIN_PASSWORD" = "admin" ]; then
    echo "okr-start: ODOO_ADMIN_PASSWORD must not be 'admin': choose another master password" >&2
    exit 2
fi

export ODOO_RC=/var/lib/odoo/odoo.conf
umask 077
{
    cat /etc/odoo/okr.conf
    printf 'admin_passwd = %s\n' "$ODOO_ADMIN_PASSWORD"
} > "$ODOO_RC"

case "${1:-serve}" in
    init)
        export PGHOST="${HOST:-db}" PGPORT="${PORT:-5432}" PGUSER="${USER:-odoo}" PGPASSWORD="${PASSWORD:-odoo}"
        for _ in $(seq 30); do
            pg_isready -q -d postgres && break
            sleep 1
        done
        names="'${MODULES//,/\',\'}'"
        installed="$(psql -X -d "$DB" -Atc \
            "select count(*) from ir_module_module where state = 'installed' and name in ($names)" \
            2>/dev/null || true)"
        if [ "$installed" = "3" ]; then
            echo "okr-start: database $DB already has $MODULES: nothing to do"
            exit 0
        fi
        echo "okr-start: creating database $DB with demo data and $MODULES"
        exec /entrypoint.sh odoo -d "$DB" -i "$MODULES" \
            --workers=0 --max-cron-threads=0 --stop-after-init
        ;;
    serve)
        exec /entrypoint.sh odoo
        ;;
    *)
        echo "okr-start: unknown command '$1' (init or serve)" >&2
        exit 2
        ;;
esac
