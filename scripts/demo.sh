#!/usr/bin/env bash
# The OKR suite on an existing Odoo 18 source install, the same result as the
# Docker path (docker/compose.yaml):
#
#   bash scripts/demo.sh
#
# creates database okr_demo with demo data and the three modules when they are not
# installed there yet, then runs Odoo on it at http://localhost:8069 (login admin,
# password admin: demo data). Ctrl-C stops it; the next run reuses the database.
#
# Environment (all optional):
#   PYTHON              the Python that imports Odoo 18 (default: python3)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  PostgreSQL connection (default: local socket)
#   OKR_DEMO_DB         database name (default: okr_demo, as on the Docker path)
#   OKR_HTTP_INTERFACE  address Odoo listens on (default: 127.0.0.1)
#   OKR_HTTP_PORT       port (default: 8069)
#   OKR_WORKERS         Odoo worker processes (default: 0, threaded; the Docker path uses 2)
#   OKR_DEMO_HOME       configuration and filestore (default: ~/.local/share/okr-demo)
#   ODOO_ADMIN_PASSWORD master password (default: a random one, kept in OKR_DEMO_HOME)
#   OKR_SKIP_INSTALL_REQUIREMENTS=1  do not pip-install requirements.txt
set -uo pipefail

OKR_LOG_PREFIX=okr-demo
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${OKR_DEMO_DB:-okr_demo}"
HOME_DIR="${OKR_DEMO_HOME:-${HOME:-/tmp}/.local/share/okr-demo}"
CONF="$HOME_DIR/odoo.conf"

okr_require_odoo
okr_install_requirements
okr_start_postgres

mkdir -p "$HOME_DIR" || okr_die "cannot create $HOME_DIR"
chmod 700 "$HOME_DIR"
admin_passwd="${ODOO_ADMIN_PASSWORD:-}"
if [ -z "$admin_passwd" ] && [ -f "$HOME_DIR/admin_passwd" ]; then
    admin_passwd="$(cat "$HOME_DIR/admin_passwd")"
fi
if [ -z "$admin_passwd" ]; then
    admin_passwd="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')"
    (umask 077 && echo "$admin_passwd" > "$HOME_DIR/admin_passwd")
fi
[ "$admin_passwd" = "admin" ] && okr_die "ODOO_ADMIN_PASSWORD must not be 'admin'"

(
    umask 077
    okr_write_config "$CONF" "$DB" "$HOME_DIR/data"
    {
        echo "admin_passwd = $admin_passwd"
        echo "http_interface = ${OKR_HTTP_INTERFACE:-127.0.0.1}"
        echo "http_port = ${OKR_HTTP_PORT:-8069}"
        echo "workers = ${OKR_WORKERS:-0}"
        echo "max_cron_threads = 1"
    } >> "$CONF"
)

if okr_db_has_modules "$DB"; then
    okr_say "database $DB already has $OKR_MODULES"
else
    okr_say "creating database $DB with demo data and $OKR_MODULES (a few minutes)"
    okr_install_modules "$CONF" "$DB" "$HOME_DIR/install.log"
    okr_db_has_modules "$DB" || okr_die "not all of $OKR_MODULES are installed in $DB (log: $HOME_DIR/install.log)"
fi

okr_say "Odoo on http://${OKR_HTTP_INTERFACE:-127.0.0.1}:${OKR_HTTP_PORT:-8069} (login admin, password admin); Ctrl-C stops it"
# Odoo's launcher when the install has one (workers respawn the gevent process
# through it), else the package.
odoo_bin="$("$PYTHON" -c 'import os, odoo; p = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"); print(p if os.path.isfile(p) else "")')"
if [ -n "$odoo_bin" ]; then
    exec "$PYTHON" "$odoo_bin" --config "$CONF"
fi
exec "$PYTHON" -m odoo --config "$CONF"
