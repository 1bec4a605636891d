#!/usr/bin/env python3
"""Benchmark of the tier boards of daily KPIs beside the objective board.

A plant of 10 departments with 2 lines each: 200 tier-3 KPIs on the plant's
board and 200 tier-1 KPIs on the lines below it, 31 days of values each
(12,400 values, about one red day in five, with their actions); beside them
200 objectives with 4 key results and 4 check-ins each. Measured as an OKR
manager: the tier-3 board in the web client (grouped kanban, first page of
cards with their month), the tier-3 TV board (200 KPI tiles, open and
escalated actions, the roll-up of the tiers below), the objective board and
the key results' TV board, one value recorded, the morning meeting's data.
Queries of the last run, milliseconds the median of 5 runs after a warm-up.
"""

# A command-line script that prints its progress.
# A throwaway database: the seed is committed before the measures.
# pylint: disable=invalid-commit,print-used

import os
import random
import statistics
import time
from datetime import date, timedelta

from bench_common import (
    SEED_CONTEXT,
    Measure,
    create_database,
    make_reporter,
    peak_rss,
    run_main,
    write_config,
)
from benchmark_okr_management import board_spec, load_board

DEPARTMENTS = 10
LINES_PER_DEPARTMENT = 2
KPIS_PER_TIER = 200
DAYS = 31
OBJECTIVES = 200
KEY_RESULTS_PER_OBJECTIVE = 4
RUNS = 5


def seed(env):
    env = env(context=dict(env.context, **SEED_CONTEXT))
    today = date.today()
    rng = random.Random(22)
    manager_user = env["res.users"].create(
        {
            "name": "Bench Plant Manager",
            "login": "bench_manager",
            "email": "bench.manager@example.com",
            "groups_id": [(6, 0, [env.ref("okr_management.group_okr_manager").id])],
        }
    )
    top = env["hr.employee"].create(
        {"name": "Bench Plant Manager", "user_id": manager_user.id}
    )
    plant = env["hr.department"].create({"name": "Bench Plant"})
    departments = env["hr.department"].create(
        [
            {"name": f"Bench Department {index}", "parent_id": plant.id}
            for index in range(DEPARTMENTS)
        ]
    )
    lines = env["hr.department"].create(
        [
            {"name": f"{department.name} line {index}", "parent_id": department.id}
            for department in departments
            for index in range(LINES_PER_DEPARTMENT)
        ]
    )
    categories = ["safety", "quality", "delivery", "cost", "people"]

    def kpis(tier, scope):
        return env["okr.kpi"].create(
            [
                {
                    "name": f"Tier {tier} KPI {index}",
                    "category": categories[index % 5],
                    "tier": tier,
                    "department_id": scope[index % len(scope)].id,
                    "user_id": manager_user.id,
                    "visibility": "public",
                    "band_max": 10.0,
                }
                for index in range(KPIS_PER_TIER)
            ]
        )

    plant_kpis = kpis("3", plant)
    line_kpis = kpis("1", lines)
    for kpi in plant_kpis | line_kpis:
        env["okr.kpi.value"].create(
            [
                {
                    "kpi_id": kpi.id,
                    "date": today - timedelta(days=offset),
                    "value": round(rng.uniform(0, 12.5), 1),
                    "user_id": manager_user.id,
                }
                for offset in range(DAYS - 1, -1, -1)
            ]
        )
    env.flush_all()
    # a third of the open actions are overdue: escalated to the next tier
    actions = env["okr.kpi.action"].search([("state", "=", "open")])
    actions.filtered(lambda action: action.id % 3 == 0).write(
        {"date_due": today - timedelta(days=1)}
    )
    env["okr.kpi.action"]._cron_escalate_overdue()
    # the objective board beside it
    cycle = env["okr.cycle"].create(
        {
            "name": "Bench Quarter",
            "date_start": today - timedelta(days=45),
            "date_end": today + timedelta(days=45),
        }
    )
    cycle.action_start()
    objectives = env["okr.objective"].create(
        [
            {
                "name": f"Objective {index}",
                "cycle_id": cycle.id,
                "level": "department",
                "owner_id": top.id,
                "department_id": departments[index % DEPARTMENTS].id,
                "state": "active",
            }
            for index in range(OBJECTIVES)
        ]
    )
    key_results = env["okr.key.result"].create(
        [
            {
                "name": f"KR {objective.id}-{index}",
                "objective_id": objective.id,
                "start_value": 0,
                "target_value": 100,
            }
            for objective in objectives
            for index in range(KEY_RESULTS_PER_OBJECTIVE)
        ]
    )
    env["okr.check.in"].create(
        [
            {
                "key_result_id": key_result.id,
                "value": 10.0 * (week + 1),
                "date": today - timedelta(days=28 - 7 * week),
            }
            for key_result in key_results
            for week in range(4)
        ]
    )
    Share = env["okr.board.share"]
    tier_share = Share.create({"name": "Plant", "scope": "tier", "tier": "3"})
    objective_share = Share.create({"name": "Plant OKRs", "department_id": plant.id})
    env.flush_all()
    env.cr.flush()
    return manager_user, plant_kpis, tier_share, objective_share


def kpi_board_spec(env):
    view = env.ref("okr_management.okr_kpi_view_kanban")
    fields_info = env["okr.kpi"].get_views([(view.id, "kanban")])["models"]["okr.kpi"][
        "fields"
    ]
    spec = {}
    for name in fields_info:
        field = env["okr.kpi"]._fields[name]
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


def load_kpi_board(env, user, spec):
    """The tier-3 kanban as the web client loads it: groups by category,
    progress bars, the first 40 cards of a group with their month."""
    Kpi = env["okr.kpi"].with_user(user)
    domain = [("tier", "=", "3")]
    Kpi.web_read_group(domain, ["last_state"], ["category"], limit=80, lazy=True)
    Kpi.read_progress_bar(
        domain,
        "category",
        {"field": "last_state", "colors": {"green": "success", "red": "danger"}},
    )
    return Kpi.web_search_read([*domain, ("category", "=", "quality")], spec, limit=40)


def timed(measure, func):
    """Queries of the last run, median milliseconds of RUNS runs."""
    func()  # warm-up
    times = []
    for _run in range(RUNS):
        queries, ms, result = measure(func)
        times.append(ms)
    return queries, statistics.median(times), result


def run(db_name):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config_path = write_config(db_name)
    rows = []
    ratios = []
    try:
        install_seconds = create_database(config_path, db_name)
        config.parse_config(
            ["--config", config_path, "-d", db_name, "--log-level=warn"]
        )
        odoo.service.server.load_server_wide_modules()
        registry = Registry(db_name)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            started = time.perf_counter()
            manager_user, plant_kpis, tier_share, objective_share = seed(env)
            cr.commit()
            seed_seconds = time.perf_counter() - started
            counts = (
                env["okr.kpi"].search_count([]),
                env["okr.kpi.value"].search_count([]),
                env["okr.kpi.action"].search_count([("state", "=", "open")]),
                env["okr.kpi.action"].search_count([("is_escalated", "=", True)]),
            )
            measure = Measure(env)
            print(
                f"\nTier boards: {counts[0]} KPIs, {counts[1]} values, {counts[2]} "
                f"open actions ({counts[3]} escalated); install "
                f"{install_seconds:.0f} s, seed {seed_seconds:.0f} s\n"
                f"{'Operation':<46} {'Queries':>8} {'ms':>10}  Notes",
                flush=True,
            )

            report = make_reporter(rows, peak_rss, 46)

            spec = kpi_board_spec(env)
            kpi_q, kpi_ms, page = timed(
                measure, lambda: load_kpi_board(env, manager_user, spec)
            )
            report(
                "Tier-3 board, web client (40 cards)",
                kpi_q,
                kpi_ms,
                f"{page['length']} KPIs in the group, each card with its month",
            )
            objective_spec = board_spec(env)
            obj_q, obj_ms, _page = timed(
                measure, lambda: load_board(env, manager_user, objective_spec)
            )
            report("Objective board, web client (40 cards)", obj_q, obj_ms)

            tier_tv = tier_share.with_user(manager_user).sudo()
            tv_q, tv_ms, data = timed(measure, tier_tv._get_board_data)
            report(
                "Tier-3 TV board (200 KPIs x 31 days)",
                tv_q,
                tv_ms,
                f"{len(data['kpis'])} KPI tiles, {len(data['actions'])} actions, "
                f"{len(data['rollup'])} roll-up rows",
            )
            objective_tv = objective_share.with_user(manager_user).sudo()
            otv_q, otv_ms, odata = timed(measure, objective_tv._get_board_data)
            report(
                "Key results' TV board",
                otv_q,
                otv_ms,
                f"{len(odata['key_results'])} key result tiles",
            )
            meeting_q, meeting_ms, meeting = timed(
                measure,
                lambda: env["okr.kpi"].with_user(manager_user).get_meeting_data("3"),
            )
            report(
                "Morning meeting data, tier 3",
                meeting_q,
                meeting_ms,
                f"{len(meeting['slides'])} slides",
            )
            kpi = plant_kpis[0].with_user(manager_user)
            record_q, record_ms, _id = timed(measure, lambda: kpi.action_record(5.0))
            report("One value recorded (a day replaced)", record_q, record_ms)
            cr.rollback()
            ratios = [
                {
                    "what": "Tier-3 board / objective board, queries",
                    "value": f"{kpi_q} / {obj_q}",
                },
                {
                    "what": "Tier-3 board / objective board, time",
                    "value": f"{kpi_ms / obj_ms:.2f}",
                },
                {
                    "what": "Tier-3 TV board / key results' TV board, queries",
                    "value": f"{tv_q} / {otv_q}",
                },
                {
                    "what": "Tier-3 TV board / key results' TV board, time",
                    "value": f"{tv_ms / otv_ms:.2f}",
                },
            ]
    finally:
        os.unlink(config_path)
    return rows, ratios


def main():
    run_main(run, __doc__, f"okrb_kpi_bench_{os.getpid()}")


if __name__ == "__main__":
    main()
