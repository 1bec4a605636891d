#!/usr/bin/env python3
"""Benchmark of okr_hr_appraisal's XLSX export at scale (not collected by pytest).

    python3 benchmarks/benchmark_okr_hr_appraisal.py [--keep] [--db NAME] [--json FILE]

Creates a throwaway database with the three OKR modules (no demo data) and
seeds 10 departments, 2,000 employees (one batched ORM create) and 10,000
completed appraisals with frozen OKR figures, 1,000 per quarter over ten
quarters. The appraisals are written by one INSERT ... SELECT: through the ORM
each would link its key results and compute its score, minutes for 10,000,
and the export reads only the stored figures. Then, as an HR officer, at
1,000 report rows (one quarter: the wizard's date filter) and at 10,000 (no
filter), measures:

- the appraisal export's workbook (``_build_xlsx`` of the rows the wizard
  searches), with the process's peak RSS during it,
- Odoo's ``export_data`` of the same rows and fields, with PostgreSQL's JIT
  as configured and with JIT off (the view's estimate makes PostgreSQL
  JIT-compile every read of its regularity; the export's chunk reads run
  without it),
- Odoo's list-view Export of them as an XLSX file (``export_data`` and the
  controller's own writer).

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

DEPARTMENTS = 10
EMPLOYEES = 2000
QUARTERS = 10
APPRAISALS_PER_QUARTER = 1000
EXPORT_FIELDS = [
    "employee_id/name",
    "department_id/name",
    "date_close",
    "okr_score",
    "key_result_count",
    "check_in_regularity",
]


def quarter_dates(index):
    """(start, end) of the ``index``-th quarter of the seeded appraisals."""
    start = date(2022, 1, 1) + timedelta(days=91 * index)
    return start, start + timedelta(days=90)


def seed(env):
    """Departments, employees, an HR officer and 10,000 completed appraisals
    (frozen OKR figures)."""
    env = env(context=dict(env.context, **SEED_CONTEXT))
    officer = env["res.users"].create(
        {
            "name": "Bench HR Officer",
            "login": "bench_hr_officer",
            "email": "bench.hr.officer@example.com",
            # the export right: Odoo's own export is measured beside ours
            "groups_id": [
                (
                    6,
                    0,
                    [
                        env.ref("hr_appraisal_oca.group_appraisal_hr_officer").id,
                        env.ref("okr_management.group_okr_user").id,
                        env.ref("base.group_allow_export").id,
                    ],
                )
            ],
        }
    )
    departments = env["hr.department"].create(
        [{"name": f"Bench Department {index}"} for index in range(DEPARTMENTS)]
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench Employee {index}",
                "department_id": departments[index % DEPARTMENTS].id,
            }
            for index in range(EMPLOYEES)
        ]
    )
    env.flush_all()
    first_start = quarter_dates(0)[0]
    env.cr.execute(
        """
        INSERT INTO hr_appraisal (
            employee_id, company_id, state, visibility, date_close, active,
            okr_period_start, okr_period_end, okr_score_frozen,
            okr_frozen_date, okr_score, okr_key_result_count,
            okr_frozen_check_in_regularity, create_uid, write_uid,
            create_date, write_date)
        SELECT (%(employees)s)[1 + n %% cardinality(%(employees)s)],
               %(company)s, '3_done', 'all',
               %(first)s::date + 91 * (n / %(per_quarter)s) + 90, TRUE,
               %(first)s::date + 91 * (n / %(per_quarter)s),
               %(first)s::date + 91 * (n / %(per_quarter)s) + 90, TRUE,
               %(first)s::date + 91 * (n / %(per_quarter)s) + 90,
               (n %% 101) / 100.0, 1 + n %% 6, (n %% 13) / 12.0,
               1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM generate_series(0, %(count)s - 1) AS n
        """,
        {
            "employees": employees.ids,
            "company": env.company.id,
            "first": first_start,
            "per_quarter": APPRAISALS_PER_QUARTER,
            "count": QUARTERS * APPRAISALS_PER_QUARTER,
        },
    )
    env.cr.execute("ANALYZE hr_appraisal")
    env.invalidate_all()
    return officer


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
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started = time.perf_counter()
            officer = seed(env)
            cr.commit()
            seed_seconds = time.perf_counter() - started
            print(
                f"\nokr_hr_appraisal benchmark: {EMPLOYEES} employees, "
                f"{QUARTERS * APPRAISALS_PER_QUARTER} completed appraisals "
                f"(install {install_seconds:.0f} s, seed {seed_seconds:.0f} s)\n"
                f"{'Operation':<48} {'Queries':>8} {'ms':>10}  Notes",
                flush=True,
            )
            report = make_reporter(rows, peak_rss, 48)
            measure = Measure(env)
            Wizard = env["okr.appraisal.report.export"].with_user(officer)
            Report = env["okr.appraisal.report"].with_user(officer)
            quarter_start, quarter_end = quarter_dates(QUARTERS - 1)
            sizes = [
                (
                    "one quarter",
                    Wizard.create({"date_from": quarter_start, "date_to": quarter_end}),
                ),
                ("all quarters", Wizard.create({})),
            ]
            # warm-up
            Wizard._build_xlsx(Report.search(sizes[0][1]._get_report_domain()))
            for label, wizard in sizes:
                report_rows = Report.search(wizard._get_report_domain())
                count = len(report_rows)
                rss_before_mb = reset_peak_rss()
                queries, ms, content = measure(
                    lambda report_rows=report_rows: Wizard._build_xlsx(report_rows)
                )
                rss_peak_mb = peak_rss()
                report(
                    f"Appraisal export, {count:,} rows ({label})",
                    queries,
                    ms,
                    f"process RSS {rss_before_mb:.0f} MB before, peak "
                    f"{rss_peak_mb:.0f} MB during "
                    f"(+{rss_peak_mb - rss_before_mb:.0f} MB); file "
                    f"{len(content) / 2**20:.2f} MB",
                )
                del content
                queries_data, ms_data, _ = measure(
                    lambda report_rows=report_rows: report_rows.export_data(
                        EXPORT_FIELDS
                    )
                )
                report(
                    f"Anchor: Odoo's export_data of the {count:,} rows",
                    queries_data,
                    ms_data,
                    f"{len(EXPORT_FIELDS)} fields, the workbook's columns",
                )
                # the same without JIT: what export_data costs beyond the
                # compiling that the view's estimate brings about
                cr.execute("SELECT current_setting('jit')")
                jit = cr.fetchone()[0]
                cr.execute("SELECT set_config('jit', 'off', true)")
                queries_cold, ms_cold, _ = measure(
                    lambda report_rows=report_rows: report_rows.export_data(
                        EXPORT_FIELDS
                    )
                )
                cr.execute("SELECT set_config('jit', %s, true)", [jit])
                report(
                    f"Anchor: the same export_data, JIT off ({count:,})",
                    queries_cold,
                    ms_cold,
                    "PostgreSQL's JIT turned off for the transaction, as the "
                    "export's chunk reads do",
                )
                rss_before_mb = reset_peak_rss()
                queries_file, ms_file, content = measure(
                    lambda report_rows=report_rows: odoo_list_export_xlsx(
                        report_rows, EXPORT_FIELDS
                    )
                )
                rss_peak_mb = peak_rss()
                report(
                    f"Anchor: Odoo's list-view Export of the {count:,} rows",
                    queries_file,
                    ms_file,
                    "export_data and the controller's ExcelExport.from_data; "
                    f"process RSS {rss_before_mb:.0f} MB before, peak "
                    f"{rss_peak_mb:.0f} MB during "
                    f"(+{rss_peak_mb - rss_before_mb:.0f} MB); file "
                    f"{len(content) / 2**20:.2f} MB",
                )
                del content
                ratios.append(
                    {
                        "what": f"Appraisal export of {count:,} rows / Odoo's "
                        "export_data of the same rows and fields (time; target "
                        "at most 1.0)",
                        "value": f"{ms / ms_data:.2f}",
                    }
                )
                ratios.append(
                    {
                        "what": f"Appraisal export of {count:,} rows / the same "
                        "export_data with JIT off (time)",
                        "value": f"{ms / ms_cold:.2f}",
                    }
                )
                ratios.append(
                    {
                        "what": f"Appraisal export of {count:,} rows / Odoo's "
                        "list-view Export of them as an XLSX file (time)",
                        "value": f"{ms / ms_file:.2f}",
                    }
                )
    finally:
        os.unlink(config_path)
    return rows, ratios


def main():
    run_main(run, __doc__, f"okrb_appraisal_bench_{os.getpid()}")


if __name__ == "__main__":
    main()
