#!/usr/bin/env bash
# Runs the benchmark scripts of okr_management and okr_mrp_bridge (each on its
# own throwaway database) and writes their figures into docs/benchmarks.md.
#   bash scripts/benchmarks.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
okr_require_odoo
okr_start_postgres
exec "$PYTHON" "$ROOT/benchmarks/run_benchmarks.py" --out "$ROOT/docs/benchmarks.md" "$@"
