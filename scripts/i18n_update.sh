#!/usr/bin/env bash
# Refreshes the translation templates of the OKR suite after string changes:
# for each MODULE, exports a fresh i18n/MODULE.pot from a database, merges it
# into i18n/zh_CN.po (existing translations kept, new strings left empty,
# strings gone dropped) and prints how many entries still need a translator.
#
#   bash scripts/i18n_update.sh [--db DB] [--strict] MODULE...
#   bash scripts/i18n_update.sh okr_management okr_mrp_bridge okr_hr_appraisal
#
#   --db DB    export from DB (created by scripts/dev.sh init); the modules are
#              upgraded in it first, so it matches the code. Without --db a
#              throwaway database with the modules and their demo data is
#              created and dropped at the end (about two minutes).
#   --strict   exit 1 when any zh_CN.po has untranslated or fuzzy entries.
#
# New strings come out untranslated, never fuzzy (--no-fuzzy-matching): Odoo
# loads fuzzy entries as if they were translations, so a guessed one would be
# shown to users. Translate the empty msgstr, then check with
#   msgfmt --check --statistics -o /dev/null MODULE/i18n/zh_CN.po
#
# Environment (optional): PYTHON, PGHOST, PGPORT, PGUSER, PGPASSWORD as for
# scripts/test.sh.
set -uo pipefail

OKR_LOG_PREFIX=okr-i18n
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OKR_ROOT" || exit 2

LANG_CODE=zh_CN
DB=""
STRICT=0
MODULES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="${2:?--db needs a database name}"; shift 2 ;;
        --strict) STRICT=1; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) okr_die "unknown option $1 (see --help)" ;;
        *) MODULES+=("$1"); shift ;;
    esac
done
[ ${#MODULES[@]} -gt 0 ] || okr_die "name at least one module, e.g. okr_management (see --help)"
for module in "${MODULES[@]}"; do
    [ -f "$module/__manifest__.py" ] || okr_die "$module is not a module of $OKR_ROOT"
done
for tool in msgmerge msgattrib msgfmt msginit; do
    command -v "$tool" >/dev/null 2>&1 \
        || okr_die "$tool is missing: install gettext (e.g. 'apt-get install gettext')"
done
okr_require_odoo
okr_start_postgres

module_list="$(IFS=,; echo "${MODULES[*]}")"
WORK="$(mktemp -d)"
THROWAWAY=0
if [ -z "$DB" ]; then
    DB="okr_i18n_$$"
    THROWAWAY=1
fi
CONF="$WORK/odoo.conf"
okr_write_config "$CONF" "$DB" "$WORK/data"
cleanup() {
    [ $THROWAWAY -eq 1 ] && dropdb --if-exists "$DB" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

# odoo_run LOG ARGS...: run Odoo on DB; any ERROR/CRITICAL line is a failure.
odoo_run() {
    local log="$1" rc
    shift
    "$PYTHON" -m odoo --config "$CONF" -d "$DB" --stop-after-init --log-level=warn "$@" >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] || grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" >/dev/null; then
        cat "$log" >&2
        okr_die "odoo $* failed (exit $rc)"
    fi
}

if [ $THROWAWAY -eq 1 ]; then
    okr_say "installing $module_list with demo data in throwaway database $DB"
    odoo_run "$WORK/install.log" -i "$module_list"
else
    okr_say "upgrading $module_list in $DB"
    odoo_run "$WORK/update.log" -u "$module_list"
fi

# first_msgid_lines LABEL: from a .po on stdin, the first line of each msgid
# (the header excluded), prefixed with LABEL.
first_msgid_lines() {
    awk -v label="$1" '
        /^msgid ""$/ { pending = 1; next }
        /^msgid "/ { print "  " label ": " substr($0, 7); pending = 0; next }
        pending && /^"/ { print "  " label ": " $0; pending = 0; next }
        { pending = 0 }'
}

incomplete=0
for module in "${MODULES[@]}"; do
    pot="$module/i18n/$module.pot"
    po="$module/i18n/$LANG_CODE.po"
    mkdir -p "$module/i18n"
    odoo_run "$WORK/export-$module.log" --i18n-export="$WORK/$module.pot" --modules="$module"
    # Only the dates changed: keep the committed .pot as it is.
    if ! diff -q -I '^"POT-Creation-Date: ' -I '^"PO-Revision-Date: ' \
            "$WORK/$module.pot" "$pot" >/dev/null 2>&1; then
        cp "$WORK/$module.pot" "$pot"
    fi
    if [ -f "$po" ]; then
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$pot" \
            || okr_die "msgmerge failed on $po"
    else
        msginit --no-translator --locale="$LANG_CODE.UTF-8" --input="$pot" --output-file="$po" \
            >/dev/null 2>&1 || okr_die "msginit could not create $po"
        # Odoo's .pot leaves these empty; Chinese has a single plural form.
        sed -i -e 's/^"Plural-Forms: \\n"$/"Plural-Forms: nplurals=1; plural=0;\\n"/' \
            -e 's/^"Language-Team: none\\n"$/"Language-Team: Chinese (Simplified)\\n"/' "$po"
    fi
    # Strings no longer in the code: drop them rather than keep them as #~ comments.
    msgattrib --no-obsolete --output-file="$po" "$po" || okr_die "msgattrib failed on $po"
    # Odoo's layout (polib, sorted by msgid, wrapped at 78 columns), as OCA's
    # po-pretty-format check wants it; a msgstr equal to its msgid ("ID") is kept.
    "$PYTHON" -c 'import sys, polib
po = polib.pofile(sys.argv[1], wrapwidth=78)
po.sort(key=lambda entry: entry.msgid)
po.save(sys.argv[1])' "$po" || okr_die "polib could not rewrite $po"
    stats="$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)" \
        || { echo "$stats" >&2; okr_die "msgfmt --check failed on $po"; }
    translated="$(echo "$stats" | grep -oE '^[0-9]+ translated' | grep -oE '[0-9]+')"
    fuzzy="$(echo "$stats" | grep -oE '[0-9]+ fuzzy' | grep -oE '[0-9]+')"
    untranslated="$(echo "$stats" | grep -oE '[0-9]+ untranslated' | grep -oE '[0-9]+')"
    translated="${translated:-0}"; fuzzy="${fuzzy:-0}"; untranslated="${untranslated:-0}"
    printf '%s: %s %s translated, %s untranslated, %s fuzzy\n' \
        "$module" "$po" "$translated" "$untranslated" "$fuzzy"
    if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
        incomplete=1
        msgattrib --untranslated --no-wrap "$po" | first_msgid_lines "untranslated"
        msgattrib --only-fuzzy --no-wrap "$po" | first_msgid_lines "fuzzy"
    fi
done

if [ $incomplete -eq 1 ]; then
    okr_say "some $LANG_CODE.po files need translations (listed above)"
    [ $STRICT -eq 1 ] && exit 1
else
    okr_say "every $LANG_CODE.po is complete"
fi
exit 0
