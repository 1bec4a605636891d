#!/usr/bin/env python3
"""Benchmark of okr_management at scale (not collected by pytest).

    python3 benchmarks/benchmark_okr_management.py [--keep] [--db NAME]

Creates a throwaway database with the three OKR modules (no demo data), seeds
one running cycle with 2,000 objectives, 8,000 key results and 80,000
check-ins through batched ORM creates, then measures as an OKR manager:

- the board's first page (kanban groups, progress bars, 40 cards),
- one check-in (commit-time work included),
- the XLSX export of the cycle (time, peak RSS of the process during it),
  beside Odoo's export_data of its check-ins and Odoo's list-view Export of
  them as an XLSX file (export_data and Odoo's own writer),
- closing the cycle (grading every key result).

Each line prints the number of SQL queries (the cursor's ``sql_log_count``)
next to the time. The database is dropped at the end unless --keep is given.
"""
# A command-line script: it commits its own throwaway database and prints.
# pylint: disable=invalid-commit,print-used

import os
import time
from datetime import date, timedelta

from bench_common import (
    SEED_CONTEXT,
    Measure,
    create_database,
    make_reporter,
    peak_rss,
    reset_peak_rss,
    run_main,
    write_config,
)
from bench_export import odoo_list_export_xlsx

OBJECTIVES = 2000
KEY_RESULTS_PER_OBJECTIVE = 4
CHECK_INS_PER_KEY_RESULT = 10
DEPARTMENTS = 10
EMPLOYEES = 200
BATCH = 10000


def seed(env):
    """Departments, employees, an OKR manager and one running cycle with
    2,000 objectives, 8,000 key results and 80,000 check-ins."""
    env = env(context=dict(env.context, **SEED_CONTEXT))
    today = date.today()
    manager_user = env["res.users"].create(
        {
            "name": "Bench Plant Manager",
            "login": "bench_manager",
            "email": "bench.manager@example.com",
            # the export right: Odoo's own export is measured beside ours
            "groups_id": [
                (
                    6,
                    0,
                    [
                        env.ref("okr_management.group_okr_manager").id,
                        env.ref("base.group_allow_export").id,
                    ],
                )
            ],
        }
    )
    top = env["hr.employee"].create(
        {"name": "Bench Plant Manager", "user_id": manager_user.id}
    )
    departments = env["hr.department"].create(
        [{"name": f"Bench Department {index}"} for index in range(DEPARTMENTS)]
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench Employee {index}",
                "department_id": departments[index % DEPARTMENTS].id,
                "parent_id": top.id,
            }
            for index in range(EMPLOYEES)
        ]
    )
    cycle = env["okr.cycle"].create(
        {
            "name": "Bench Quarter",
            "date_start": today - timedelta(days=45),
            "date_end": today + timedelta(days=45),
        }
    )
    cycle.action_start()
    levels = ["department", "team", "individual", "individual"]
    objectives = env["okr.objective"].create(
        [
            {
                "name": f"Objective {index}",
                "cycle_id": cycle.id,
                "level": levels[index % 4],
                "owner_id": employees[index % EMPLOYEES].id,
                "department_id": departments[index % DEPARTMENTS].id,
                "state": "active",
            }
            for index in range(OBJECTIVES)
        ]
    )
    # a company objective on top of every tenth objective, for the paths
    company_objective = env["okr.objective"].create(
        {
            "name": "Company capacity +20%",
            "cycle_id": cycle.id,
            "level": "company",
            "owner_id": top.id,
            "state": "active",
        }
    )
    objectives.filtered(lambda o: o.id % 10 == 0).parent_id = company_objective
    key_results = env["okr.key.result"].create(
        [
            {
                "name": f"KR {objective.id}-{index}",
                "objective_id": objective.id,
                "start_value": 0,
                "target_value": 100,
                "unit": "%",
            }
            for objective in objectives
            for index in range(KEY_RESULTS_PER_OBJECTIVE)
        ]
    )
    env.flush_all()
    vals_list = [
        {
            "key_result_id": key_result.id,
            "value": 4.0 * (day + 1) + (key_result.id % 5),
            "confidence": (key_result.id + day) % 11,
            "date": today - timedelta(days=40 - 4 * day),
        }
        for key_result in key_results
        for day in range(CHECK_INS_PER_KEY_RESULT)
    ]
    for start in range(0, len(vals_list), BATCH):
        env["okr.check.in"].create(vals_list[start : start + BATCH])
        env.flush_all()
        env.invalidate_all()
    env.cr.flush()
    return manager_user, cycle


def board_spec(env):
    view = env.ref("okr_management.okr_objective_view_kanban")
    fields_info = env["okr.objective"].get_views([(view.id, "kanban")])["models"][
        "okr.objective"
    ]["fields"]
    spec = {}
    for name in fields_info:
        field = env["okr.objective"]._fields[name]
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


def load_board(env, user, spec):
    """What the kanban board asks for: groups, progress bars, first page."""
    Objective = env["okr.objective"].with_user(user)
    domain = [("cycle_id.state", "=", "running")]
    Objective.web_read_group(domain, ["status"], ["department_id"], limit=80, lazy=True)
    Objective.read_progress_bar(
        domain,
        "department_id",
        {
            "field": "status",
            "colors": {
                "on_track": "success",
                "at_risk": "warning",
                "off_track": "danger",
            },
        },
    )
    return Objective.web_search_read(domain, spec, limit=40, order="sequence, id")


def run(db_name):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config_path = write_config(db_name)
    rows, ratios = [], []
    try:
        install_seconds = create_database(config_path, db_name)
        config.parse_config(
            ["--config", config_path, "-d", db_name, "--log-level=warn"]
        )
        odoo.service.server.load_server_wide_modules()
        registry = Registry(db_name)
        # importable once the configuration gives the addons path
        from odoo.addons.okr_management.tools import xlsx

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started = time.perf_counter()
            manager_user, cycle = seed(env)
            cr.commit()
            seed_seconds = time.perf_counter() - started
            counts = (
                env["okr.objective"].search_count([("cycle_id", "=", cycle.id)]),
                env["okr.key.result"].search_count([("cycle_id", "=", cycle.id)]),
                env["okr.check.in"].search_count([("cycle_id", "=", cycle.id)]),
            )
            measure = Measure(env)
            print(
                f"\nokr_management benchmark: {counts[0]} objectives, {counts[1]} "
                f"key results, {counts[2]} check-ins (install {install_seconds:.0f} "
                f"s, seed {seed_seconds:.0f} s)\n"
                f"{'Operation':<42} {'Queries':>8} {'ms':>10}  Notes",
                flush=True,
            )

            report = make_reporter(rows, peak_rss, 42)

            spec = board_spec(env)
            load_board(env, manager_user, spec)  # warm-up
            queries, ms, page = measure(lambda: load_board(env, manager_user, spec))
            report("Board first page (40 cards)", queries, ms)
            assert len(page["records"]) == 40, page["length"]

            key_result = (
                env["okr.key.result"]
                .search([("cycle_id", "=", cycle.id)], limit=1)
                .with_user(manager_user)
            )
            key_result.action_check_in(60, confidence=7)  # warm-up
            queries, ms, _ = measure(
                lambda: key_result.action_check_in(61, confidence=7, note="Bench")
            )
            report("One check-in", queries, ms)
            cr.commit()

            # The integrators' batch call beside one ORM create() of the same
            # rows: 1,000 readings on 20 key results.
            batch_key_results = env["okr.key.result"].search(
                [("cycle_id", "=", cycle.id)], limit=20
            )
            batch_model = env["okr.key.result"].with_user(manager_user)

            def batch_items(tag, size):
                return [
                    {
                        "key_result_id": batch_key_results[index % 20].id,
                        "value": 50 + index % 7,
                        "confidence": 6,
                        "external_id": f"bench-{tag}-{index}",
                    }
                    for index in range(size)
                ]

            anchor_vals = [
                dict(item, source="api") for item in batch_items("orm", 1000)
            ]
            queries_orm, ms_orm, _ = measure(
                lambda: env["okr.check.in"].with_user(manager_user).create(anchor_vals)
            )
            report(
                "Anchor: one ORM create() of 1,000 check-ins",
                queries_orm,
                ms_orm,
                "the same rows as the batch below, as the same user",
            )
            cr.commit()
            for size in (1, 100, 1000):
                items = batch_items(size, size)
                queries, ms, results = measure(
                    lambda items=items: batch_model.action_check_in_batch(items)
                )
                assert all(r["status"] == "created" for r in results), results[:3]
                notes = f"{queries / size:.2f} queries and {ms / size:.2f} ms per item"
                if size == 1000:
                    notes += f"; {ms / ms_orm:.2f} times the ORM create()'s time"
                    ratios.append(
                        {
                            "what": "Batch of 1,000 readings / one ORM create() "
                            "of the same rows (time; target at most 3.0)",
                            "value": f"{ms / ms_orm:.2f}",
                        }
                    )
                report(f"Check-in batch of {size:,} item(s)", queries, ms, notes)
                cr.commit()
            # the same batch again: every item is a duplicate, nothing recorded
            queries, ms, results = measure(
                lambda items=items: batch_model.action_check_in_batch(items)
            )
            assert all(r["status"] == "duplicate" for r in results), results[:3]
            report(
                "The batch of 1,000 sent again (retry)",
                queries,
                ms,
                f"{queries / 1000:.2f} queries per item; no check-in recorded",
            )
            cr.commit()

            export = env["okr.cycle.export"].with_user(manager_user)
            export._generate_xlsx(cycle.with_user(manager_user))  # warm-up
            sizes = {}
            for level in (6, xlsx.COMPRESS_LEVEL):
                # the default level last: its figures are the row's
                default_level, xlsx.COMPRESS_LEVEL = xlsx.COMPRESS_LEVEL, level
                try:
                    rss_before_mb = reset_peak_rss()
                    queries, ms, content = measure(
                        lambda: export._generate_xlsx(cycle.with_user(manager_user))
                    )
                    rss_peak_mb = peak_rss()
                finally:
                    xlsx.COMPRESS_LEVEL = default_level
                sizes[level] = (ms, len(content))
                del content
            report(
                "XLSX export of the cycle",
                queries,
                ms,
                f"process RSS {rss_before_mb:.0f} MB before, peak "
                f"{rss_peak_mb:.0f} MB during "
                f"(+{rss_peak_mb - rss_before_mb:.0f} MB); file "
                + ", ".join(
                    f"{size / 2**20:.1f} MB in {level_ms:.0f} ms at zip level {level}"
                    for level, (level_ms, size) in sorted(sizes.items())
                ),
            )
            check_ins = (
                env["okr.check.in"]
                .with_user(manager_user)
                .search([("cycle_id", "=", cycle.id)])
            )
            export_fields = [
                "objective_id/name",
                "key_result_id/name",
                "date",
                "value",
                "confidence",
                "user_id/name",
                "source",
                "note",
            ]
            queries_export, ms_export, _ = measure(
                lambda: check_ins.export_data(export_fields)
            )
            report(
                "Anchor: Odoo's export_data of the cycle's check-ins",
                queries_export,
                ms_export,
                f"{len(check_ins):,} rows, {len(export_fields)} fields, as the "
                "list view's Export does",
            )
            ratios.append(
                {
                    "what": "XLSX export of the cycle / Odoo's export_data of its "
                    "check-ins (time; target at most 1.0)",
                    "value": f"{ms / ms_export:.2f}",
                }
            )
            rss_before_mb = reset_peak_rss()
            queries_file, ms_file, content = measure(
                lambda: odoo_list_export_xlsx(check_ins, export_fields)
            )
            rss_peak_mb = peak_rss()
            report(
                "Anchor: Odoo's list-view Export as XLSX",
                queries_file,
                ms_file,
                "export_data and the controller's ExcelExport.from_data (Odoo's "
                "xlsxwriter writer in memory), not import-compatible, one sheet; "
                f"process RSS {rss_before_mb:.0f} MB before, peak "
                f"{rss_peak_mb:.0f} MB during (+{rss_peak_mb - rss_before_mb:.0f} "
                f"MB); file {len(content) / 2**20:.1f} MB",
            )
            del content
            ratios.append(
                {
                    "what": "XLSX export of the cycle (four sheets) / Odoo's "
                    "list-view Export of its check-ins as an XLSX file (time)",
                    "value": f"{ms / ms_file:.2f}",
                }
            )

            queries, ms, _ = measure(
                lambda: cycle.with_user(manager_user).action_close()
            )
            report("Cycle close (grading 8,001 key results)", queries, ms)
            cr.commit()
    finally:
        os.unlink(config_path)
    return rows, ratios


def main():
    run_main(run, __doc__, f"okrb_bench_{os.getpid()}")


if __name__ == "__main__":
    main()
