#!/usr/bin/env python3
"""Benchmark of okr_mrp_bridge at scale (not collected by pytest).

    python3 benchmarks/benchmark_okr_mrp_bridge.py [--keep] [--db NAME]

Creates a throwaway database with the three OKR modules (no demo data), then
seeds 20 work centers, 500 production-fed key results (every source, scoped on
work centers and products, one in ten linked to explicit work orders),
manufacturing orders with two finished work orders each, one productive log
per work order plus availability and performance losses, done scraps and
10,000 concluded inspections. Templates are real records created through the
ORM; the bulk rows are copies of them made by fixed, parameterised
``INSERT ... SELECT generate_series`` statements (data seeding only).

It prints, with the number of SQL queries (the cursor's ``sql_log_count``)
next to the time:

- a full resync (the cron) with 5,000 and then 50,000 finished work orders:
  the query count must not grow with the work orders;
- the event-driven update after one real work order finishes: the bridge's own
  queries for its two events (the closed time log, the finished work order),
  refreshed once as ``button_finish`` does (the affected key results, their
  scopes, the aggregates, the notes), and each event alone;
- the planned landing of the 500 key results after a plan change (their
  planned value and status recomputed), with 500 and then 5,000 confirmed
  orders planned inside the period: the query count must not grow with the
  planned orders;
- Odoo's own work-center OEE (``mrp.workcenter.oee``, last month) over the 20
  work centers, side by side with the registry's OEE aggregate of 20 key
  results scoped on one work center each over the same period, and whether the
  values agree.

The database is dropped at the end unless --keep is given.
"""
# A command-line script: it commits its own throwaway database and prints.
# pylint: disable=invalid-commit,print-used

import argparse
import json
import os
import resource
import subprocess
import time
from datetime import datetime, timedelta

from bench_common import create_database, write_config

WORKCENTERS = 20
PRODUCTS = 10
KEY_RESULTS = 500
WORKORDERS_FIRST = 5000
WORKORDERS_TOTAL = 50000
INSPECTIONS = 10000
PLANNED_FIRST = 500
PLANNED_TOTAL = 5000
SCRAPS = 2000
LOSSES = 10000
# the day of row g: spread over the last 27 days
DAY = "%(now)s - (g %% 27) * interval '1 day'"
HOUR = "(g %% 13) * interval '1 hour'"
MO_OF_G = "(%(mo_ids)s::int[])[(g %% array_length(%(mo_ids)s::int[], 1)) + 1]"


RESULTS = {"rows": [], "ratios": []}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Measure:
    """Time and SQL queries of a block, printed as one line."""

    def __init__(self, env, label):
        self.env = env
        self.label = label
        self.queries = 0
        self.ms = 0.0

    def __enter__(self):
        self.env.flush_all()
        self.env.invalidate_all()
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.ms = (time.perf_counter() - self._start) * 1000
        self.queries = self.env.cr.sql_log_count - self._queries
        print(f"  {self.label:<62} {self.queries:>6} queries {self.ms:>10.1f} ms")
        RESULTS["rows"].append(
            {
                "operation": self.label,
                "queries": self.queries,
                "ms": round(self.ms, 1),
                "peak_mb": round(peak_rss_mb(), 1),
                "notes": "",
            }
        )
        return False


def clone_rows(env, table, template_id, count, overrides, params):
    """Copy row ``template_id`` of ``table`` ``count`` times; ``overrides`` maps
    columns to fixed SQL expressions of the series index ``g``."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    columns = [row[0] for row in env.cr.fetchall()]
    exprs = [overrides.get(column, f't."{column}"') for column in columns]
    column_list = ", ".join(f'"{column}"' for column in columns)
    env.cr.execute(
        f"""INSERT INTO "{table}" ({column_list})
            SELECT {", ".join(exprs)}
              FROM "{table}" t, generate_series(%(start)s, %(stop)s) AS g
             WHERE t.id = %(template_id)s
         RETURNING id""",
        dict(
            params,
            start=params.get("offset", 0) + 1,
            stop=params.get("offset", 0) + count,
            template_id=template_id,
        ),
    )
    return [row[0] for row in env.cr.fetchall()]


def seed_templates(env):
    """Real records, through the ORM, that the bulk rows copy."""
    from odoo.fields import Command

    env = env(context=dict(env.context, tracking_disable=True))
    workcenters = env["mrp.workcenter"].create(
        [
            {"name": f"Bench WC {index:02d}", "resource_calendar_id": False}
            for index in range(WORKCENTERS)
        ]
    )
    component = env["product.product"].create({"name": "Bench component"})
    products = env["product.product"].create(
        [{"name": f"Bench product {index}"} for index in range(PRODUCTS)]
    )
    bom = env["mrp.bom"].create(
        {
            "product_tmpl_id": products[0].product_tmpl_id.id,
            "bom_line_ids": [
                Command.create({"product_id": component.id, "product_qty": 1})
            ],
            "operation_ids": [
                Command.create(
                    {
                        "name": "Cut",
                        "workcenter_id": workcenters[0].id,
                        "time_cycle_manual": 30,
                    }
                ),
                Command.create(
                    {
                        "name": "Assemble",
                        "workcenter_id": workcenters[1].id,
                        "time_cycle_manual": 30,
                    }
                ),
            ],
        }
    )
    production = env["mrp.production"].create(
        {"product_id": products[0].id, "bom_id": bom.id, "product_qty": 1}
    )
    production.action_confirm()
    workorder = production.workorder_ids[0]
    workorder.button_start()
    workorder.button_finish()
    productive = workorder.time_ids[:1]
    loss = env["mrp.workcenter.productivity"].create(
        {
            "workcenter_id": workcenters[0].id,
            "loss_id": env.ref("mrp.block_reason1").id,
            "date_start": datetime.now() - timedelta(hours=2),
            "date_end": datetime.now() - timedelta(hours=1),
        }
    )
    scrap = env["stock.scrap"].create(
        {
            "product_id": component.id,
            "scrap_qty": 1,
            "production_id": production.id,
            "workorder_id": workorder.id,
        }
    )
    scrap.action_validate()
    inspection = env["qc.inspection"].create(
        {"object_id": f"mrp.production,{production.id}"}
    )
    env.flush_all()
    return {
        "workcenters": workcenters,
        "products": products,
        "bom": bom,
        "production": production,
        "workorder": workorder,
        "productive": productive,
        "loss": loss,
        "scrap": scrap,
        "inspection": inspection,
    }


def seed_production(env, templates, first_wo, wo_count):
    """``wo_count`` finished work orders (two per manufacturing order), their
    productive logs, and the matching share of losses, scraps, inspections."""
    mo_count = wo_count // 2
    offset_mo = first_wo // 2
    share = wo_count / WORKORDERS_TOTAL
    params = {
        "now": datetime.now().replace(microsecond=0),
        "wc_ids": templates["workcenters"].ids,
        "product_ids": templates["products"].ids,
        "offset": offset_mo,
        "stage": str(first_wo),
    }
    mo_ids = clone_rows(
        env,
        "mrp_production",
        templates["production"].id,
        mo_count,
        {
            "name": "'BENCH/MO/' || g",
            "state": "'done'",
            "product_id": "(%(product_ids)s::int[])[(g %% 10) + 1]",
            "date_finished": f"{DAY} - {HOUR}",
            "date_start": f"{DAY} - (g %% 4 + 1) * interval '1 day'",
            "date_deadline": f"{DAY} + (g %% 5 - 1) * interval '1 day'",
        },
        params,
    )
    params.update(mo_ids=mo_ids, offset=first_wo)
    wo_ids = clone_rows(
        env,
        "mrp_workorder",
        templates["workorder"].id,
        wo_count,
        {
            "name": "'Bench op ' || g",
            "production_id": "(%(mo_ids)s::int[])[((g - 1 - %(offset)s) / 2) + 1]",
            "workcenter_id": "(%(wc_ids)s::int[])[(g %% 20) + 1]",
            "product_id": "(%(product_ids)s::int[])[(((g - 1) / 2 + 1) %% 10) + 1]",
            "state": "'done'",
            "qty_produced": "1 + g %% 10",
            "duration": "30 + g %% 30",
            "duration_expected": "40",
            "date_finished": f"{DAY} - {HOUR}",
            "date_start": f"{DAY} - {HOUR} - interval '1 hour'",
            "leave_id": "NULL",
        },
        params,
    )
    params.update(wo_ids=wo_ids, offset=first_wo)
    clone_rows(
        env,
        "mrp_workcenter_productivity",
        templates["productive"].id,
        wo_count,
        {
            "workorder_id": "(%(wo_ids)s::int[])[g - %(offset)s]",
            "product_id": "(SELECT wo.product_id FROM mrp_workorder wo "
            "WHERE wo.id = (%(wo_ids)s::int[])[g - %(offset)s])",
            "workcenter_id": "(%(wc_ids)s::int[])[(g %% 20) + 1]",
            "date_start": "%(now)s - (g %% 27) * interval '1 day' - interval '3 hour'",
            "date_end": "%(now)s - (g %% 27) * interval '1 day' - interval '2 hour'",
            "duration": "30 + g %% 30",
        },
        params,
    )
    losses = int(LOSSES * share)
    params.update(offset=0)
    clone_rows(
        env,
        "mrp_workcenter_productivity",
        templates["loss"].id,
        losses,
        {
            "workcenter_id": "(%(wc_ids)s::int[])[(g %% 20) + 1]",
            "workorder_id": "(%(wo_ids)s::int[])[g]",
            "product_id": "(SELECT wo.product_id FROM mrp_workorder wo "
            "WHERE wo.id = (%(wo_ids)s::int[])[g])",
            "date_start": "%(now)s - (g %% 27) * interval '1 day' - interval '5 hour'",
            "date_end": "%(now)s - (g %% 27) * interval '1 day' - interval '4 hour'",
            "duration": "5 + g %% 20",
        },
        params,
    )
    clone_rows(
        env,
        "stock_scrap",
        templates["scrap"].id,
        int(SCRAPS * share),
        {
            "name": "'BENCH/SP/' || %(stage)s || '/' || g",
            "workorder_id": "(%(wo_ids)s::int[])[g * 3]",
            "production_id": "(%(mo_ids)s::int[])[((g * 3 - 1) / 2) + 1]",
            "scrap_qty": "1 + g %% 3",
        },
        params,
    )
    clone_rows(
        env,
        "qc_inspection",
        templates["inspection"].id,
        int(INSPECTIONS * share),
        {
            "name": "'BENCH/QC/' || %(stage)s || '/' || g",
            "production_id": MO_OF_G,
            "object_id": f"'mrp.production,' || {MO_OF_G}",
            "state": "CASE WHEN g %% 7 = 0 THEN 'failed' ELSE 'success' END",
            "success": "g %% 7 != 0",
            "date_done": "%(now)s - (g %% 27) * interval '1 day'",
        },
        params,
    )
    env.invalidate_all()
    return wo_ids


def seed_planned(env, templates, first_mo, mo_count):
    """``mo_count`` confirmed manufacturing orders planned to end inside the
    running period (some after their deadline), two open work orders each."""
    params = {
        "now": datetime.now().replace(microsecond=0),
        "wc_ids": templates["workcenters"].ids,
        "product_ids": templates["products"].ids,
        "offset": first_mo,
    }
    mo_ids = clone_rows(
        env,
        "mrp_production",
        templates["production"].id,
        mo_count,
        {
            "name": "'BENCH/PLAN/' || g",
            "state": "'confirmed'",
            "product_id": "(%(product_ids)s::int[])[(g %% 10) + 1]",
            "product_qty": "1 + g %% 10",
            "date_start": "%(now)s + (g %% 25) * interval '1 day'",
            "date_finished": "%(now)s + (g %% 25) * interval '1 day' "
            "+ interval '2 hour'",
            "date_deadline": "%(now)s + (g %% 25 + g %% 3 - 1) * interval '1 day'",
        },
        params,
    )
    params.update(mo_ids=mo_ids, offset=2 * first_mo)
    clone_rows(
        env,
        "mrp_workorder",
        templates["workorder"].id,
        2 * mo_count,
        {
            "name": "'Bench planned op ' || g",
            "production_id": "(%(mo_ids)s::int[])[((g - 1 - %(offset)s) / 2) + 1]",
            "workcenter_id": "(%(wc_ids)s::int[])[(g %% 20) + 1]",
            "product_id": "(%(product_ids)s::int[])[(((g - 1) / 2 + 1) %% 10) + 1]",
            "state": "'ready'",
            "qty_produced": "0",
            "duration": "0",
            "duration_expected": "40",
            "date_finished": "NULL",
            "date_start": "NULL",
            "leave_id": "NULL",
        },
        params,
    )
    env.invalidate_all()
    return mo_ids


def measure_plan(env, key_results, label):
    """The planned landing of ``key_results`` after a plan change, as an
    order's confirmation or rescheduling triggers it (status included)."""
    key_results = key_results.with_env(env)
    with Measure(env, label) as measure:
        key_results.write({"plan_refresh_date": datetime.now()})
        key_results.mapped("planned_value")
    return measure


def seed_key_results(env, templates, explicit_wo_ids):
    from odoo.addons.okr_mrp_bridge.sources import get_source_keys

    source_keys = get_source_keys()

    env = env(context=dict(env.context, tracking_disable=True))
    today = datetime.now().date()
    cycle = env["okr.cycle"].create(
        {
            "name": "Bench quarter",
            "date_start": today - timedelta(days=60),
            "date_end": today + timedelta(days=30),
        }
    )
    cycle.action_start()
    owner = env["hr.employee"].create({"name": "Bench owner", "user_id": env.uid})
    objectives = env["okr.objective"].create(
        [
            {
                "name": f"Bench objective {index}",
                "cycle_id": cycle.id,
                "owner_id": owner.id,
                "state": "active",
            }
            for index in range(KEY_RESULTS // 10)
        ]
    )
    workcenters, products = templates["workcenters"], templates["products"]
    vals_list = []
    for index in range(KEY_RESULTS):
        source = source_keys[index % len(source_keys)]
        decrease = source in (
            "mrp_scrap_rate",
            "mrp_downtime_hours",
            "mrp_lead_time_days",
        )
        vals = {
            "name": f"Bench KR {index}",
            "objective_id": objectives[index // 10].id,
            "source": source,
            "direction": "decrease" if decrease else "increase",
            "start_value": 1000 if decrease else 0,
            "target_value": 1 if decrease else 100,
            "workcenter_ids": [
                (6, 0, workcenters[index % 20 : index % 20 + 1 + index % 3].ids)
            ],
        }
        if index % 4 == 0:
            vals["product_ids"] = [(6, 0, products[index % 10].ids)]
        if index % 10 == 5:
            vals["workorder_ids"] = [
                (6, 0, explicit_wo_ids[index * 10 : index * 10 + 10])
            ]
        vals_list.append(vals)
    return env["okr.key.result"].create(vals_list)


def oee_key_results(env, workcenters, date_from, date_to):
    """One OEE key result per work center over the period of Odoo's OEE."""
    env = env(context=dict(env.context, tracking_disable=True))
    cycle = env["okr.cycle"].create(
        {"name": "Bench OEE month", "date_start": date_from, "date_end": date_to}
    )
    cycle.action_start()
    owner = env["hr.employee"].search([("name", "=", "Bench owner")], limit=1)
    objective = env["okr.objective"].create(
        {
            "name": "Bench OEE",
            "cycle_id": cycle.id,
            "owner_id": owner.id,
            "state": "active",
        }
    )
    return env["okr.key.result"].create(
        [
            {
                "name": f"OEE {wc.name}",
                "objective_id": objective.id,
                "source": "mrp_oee",
                "target_value": 100,
                "workcenter_ids": [(6, 0, wc.ids)],
            }
            for wc in workcenters
        ]
    )


def bridge_oee(key_results):
    """The registry's OEE aggregate of these key results (its own reads of
    their scopes included), as a refresh computes it."""
    from odoo.addons.okr_mrp_bridge.sources import get_family

    values, _errors = get_family("mrp_oee").compute(key_results)
    return {kr.workcenter_ids.id: values[kr.id][0] or 0.0 for kr in key_results}


def run(config_path, db_name):
    from dateutil.relativedelta import relativedelta

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(["--config", config_path])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        KeyResult = env["okr.key.result"]
        started = time.perf_counter()
        templates = seed_templates(env)
        wo_ids = seed_production(env, templates, 0, WORKORDERS_FIRST)
        key_results = seed_key_results(env, templates, wo_ids)
        cr.execute("ANALYZE")
        cr.commit()
        print(
            f"seeded {len(key_results)} key results and {WORKORDERS_FIRST} work orders "
            f"in {time.perf_counter() - started:.1f} s"
        )

        print(f"Full resync ({len(key_results)} key results):")
        with Measure(env, f"cron resync, {WORKORDERS_FIRST} WOs, first"):
            KeyResult._cron_refresh_from_source()
        with Measure(env, f"cron resync, {WORKORDERS_FIRST} WOs, unchanged") as small:
            KeyResult._cron_refresh_from_source()
        cr.commit()

        started = time.perf_counter()
        more = seed_production(
            env, templates, WORKORDERS_FIRST, WORKORDERS_TOTAL - WORKORDERS_FIRST
        )
        cr.execute("ANALYZE")
        cr.commit()
        cr.execute("SELECT count(*) FROM mrp_workorder WHERE state = 'done'")
        done = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM qc_inspection WHERE state IN ('success', 'failed')"
        )
        inspections = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM mrp_workcenter_productivity")
        logs = cr.fetchone()[0]
        print(
            f"seeded up to {done} finished work orders, {inspections} inspections, "
            f"{logs} productivity logs in {time.perf_counter() - started:.1f} s "
            f"({len(more)} new work orders)"
        )
        with Measure(env, f"cron resync, {done} WOs, values changed (check-ins)"):
            KeyResult._cron_refresh_from_source()
        with Measure(env, f"cron resync, {done} WOs, unchanged") as large:
            KeyResult._cron_refresh_from_source()
        RESULTS["ratios"].append(
            {
                "what": f"full resync queries, {WORKORDERS_FIRST} vs {done} "
                "work orders",
                "value": f"{small.queries} vs {large.queries}",
            }
        )
        print(
            f"  queries with {WORKORDERS_FIRST} vs {done} work orders: "
            f"{small.queries} vs {large.queries} "
            f"({'constant' if small.queries == large.queries else 'DIFFERENT'})"
        )
        cr.commit()

        print(f"Planned landing ({len(key_results)} key results):")
        seed_planned(env, templates, 0, PLANNED_FIRST)
        cr.execute("ANALYZE")
        cr.commit()
        measure_plan(
            env, key_results, f"planned landing, {PLANNED_FIRST} planned MOs, first"
        )
        small_plan = measure_plan(
            env, key_results, f"planned landing, {PLANNED_FIRST} planned MOs"
        )
        cr.commit()
        seed_planned(env, templates, PLANNED_FIRST, PLANNED_TOTAL - PLANNED_FIRST)
        cr.execute("ANALYZE")
        cr.commit()
        measure_plan(
            env, key_results, f"planned landing, {PLANNED_TOTAL} planned MOs, first"
        )
        large_plan = measure_plan(
            env, key_results, f"planned landing, {PLANNED_TOTAL} planned MOs"
        )
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE has_planned_value), "
            "count(*) FILTER (WHERE plan_misses_target) FROM okr_key_result "
            "WHERE id = ANY(%s)",
            [key_results.ids],
        )
        total, with_plan, short = cr.fetchone()
        RESULTS["ratios"].append(
            {
                "what": f"planned landing queries, {PLANNED_FIRST} vs "
                f"{PLANNED_TOTAL} planned orders ({with_plan} of {total} key "
                f"results with a plan, {short} short of target)",
                "value": f"{small_plan.queries} vs {large_plan.queries}",
            }
        )
        constant = small_plan.queries == large_plan.queries
        print(
            f"  queries with {PLANNED_FIRST} vs {PLANNED_TOTAL} planned orders: "
            f"{small_plan.queries} vs {large_plan.queries} "
            f"({'constant' if constant else 'DIFFERENT'})"
        )
        cr.commit()

        print("Event-driven update after one work order finishes:")
        production = env["mrp.production"].create(
            {
                "product_id": templates["products"][0].id,
                "bom_id": templates["bom"].id,
                "product_qty": 3,
            }
        )
        production.action_confirm()
        workorder = production.workorder_ids[0]
        workorder.button_start()
        from odoo.addons.okr_mrp_bridge.sources import get_family

        affected = KeyResult._search_affected(workorders=workorder)
        finish_keys = [
            key
            for family in (get_family("mrp_produced_qty"), get_family("mrp_oee"))
            for key in family.source_keys()
        ]
        refreshed = KeyResult._search_affected(
            workorders=workorder,
            workcenters=workorder.workcenter_id,
            source_keys=finish_keys,
        )
        with Measure(env, "button_finish (Odoo's own work + the one refresh)"):
            workorder.button_finish()
        # the caller (button_finish) holds its work order's work center
        workcenter = workorder.workcenter_id
        with Measure(
            env,
            f"finished work order, both events, one refresh: {len(refreshed)} "
            f"of {len(affected)} affected key results (bridge)",
        ) as event:
            with KeyResult._batch_events():
                KeyResult._refresh_for_event(
                    "mrp.workcenter.productivity",
                    ["date_end"],
                    workorders=workorder,
                    workcenters=workcenter,
                )
                KeyResult._refresh_for_event(
                    "mrp.workorder", ["state"], workorders=workorder
                )
        with Measure(env, "work-order event alone (bridge)"):
            KeyResult._refresh_for_event(
                "mrp.workorder", ["state"], workorders=workorder
            )
        with Measure(env, "productivity-log event alone (bridge)"):
            KeyResult._refresh_for_event(
                "mrp.workcenter.productivity",
                ["date_end"],
                workorders=workorder,
                workcenters=workcenter,
            )
        RESULTS["ratios"].append(
            {
                "what": "bridge's own queries for one finished work order (both "
                f"events in one refresh, {len(refreshed)} of {len(affected)} "
                "affected key results)",
                "value": f"{event.queries}",
            }
        )
        cr.commit()

        print(f"OEE of the {WORKCENTERS} work centers over the last month:")
        workcenters = templates["workcenters"]
        with Measure(env, "Odoo mrp.workcenter.oee (_compute_oee)") as odoo_measure:
            odoo_values = {wc.id: wc.oee for wc in workcenters}
        now = datetime.now()
        oee_krs = oee_key_results(
            env, workcenters, (now - relativedelta(months=1)).date(), now.date()
        )
        cr.commit()
        with Measure(env, "okr_mrp_bridge OEE, same work centers/period") as ours:
            bridge_values = bridge_oee(oee_krs)
        agree = all(
            abs(odoo_values[wc_id] - bridge_values.get(wc_id, 0.0)) < 0.005
            for wc_id in odoo_values
        )
        RESULTS["ratios"].append(
            {
                "what": "OEE time, okr_mrp_bridge registry / Odoo's _compute_oee",
                "value": f"{ours.ms / odoo_measure.ms:.2f} "
                f"({ours.queries} vs {odoo_measure.queries} queries; values agree: "
                f"{agree})",
            }
        )
        print(
            f"  ratio bridge/odoo time: {ours.ms / odoo_measure.ms:.2f}; "
            f"values agree on all {len(odoo_values)} work centers: {agree}"
        )
        sample = workcenters[0].id
        print(
            f"  e.g. {workcenters[0].name}: odoo {odoo_values[sample]} "
            f"bridge {bridge_values.get(sample)}"
        )
        cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="okrc_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()
    config_path = write_config(args.db)
    try:
        seconds = create_database(config_path, args.db)
        print(f"created database {args.db} in {seconds:.0f} s")
        run(config_path, args.db)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(RESULTS, handle, indent=1)
    finally:
        import odoo.sql_db

        odoo.sql_db.close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
        os.unlink(config_path)


if __name__ == "__main__":
    main()
