#!/usr/bin/env python3
"""The OKR board and the check-in side by side with Odoo Project (not collected
by pytest).

    python3 benchmarks/benchmark_board_vs_project.py [--keep] [--db NAME]
        [--json FILE] [--sizes 200,2000] [--runs 5] [--trace]

Creates a throwaway database with the three OKR modules and Odoo's ``project``
(installed here only: our modules do not depend on it), no demo data, and
seeds, at each size N (200 then 2,000):

- N objectives in one running cycle (4 key results each, 5 check-ins per key
  result) over a 4-level department chart (1 + 3 + 9 + 18 departments, a
  manager and two employees in each), half of them public and half visible to
  their department, every 25th owned by the measured OKR user;
- N project tasks in 10 projects sharing 5 stages, half of the projects
  followers-only, the measured project user following one of those and
  assigned every 25th task.

It then loads each kanban's first page as the web client does: one
``web_read_group`` grouped by the view's ``default_group_by`` (our board: the
objective kanban by level, one column per level of the cascade, under the
board action's "Running Cycles" filter; Project: the task kanban by stage),
one ``read_progress_bar`` with the view's own progress bar, then 40 cards
with the kanban's field specification for each open column, at most 10
columns: one ``web_search_read`` per column for Project, one
``web_search_read_columns`` for all of them for the board (what its own
client, ``okr_board_kanban``, sends); Project's task kanban is also read grouped
by project (a column per project its user sees: 10 for the manager, as many
as the board by department opens), beside the targets. It does so as OKR
User and OKR Manager (users with employees in the department chart) and as
Project User and Project Manager; and it records one check-in
(``action_check_in``) against creating one project update.

The tables are analyzed after each seeding, as autovacuum keeps a live
database. Queries are the cursor's count (work done at commit included);
milliseconds the median of ``--runs`` runs after a warm-up, the two apps'
runs interleaved.
``--trace`` also prints where the board's queries go (grouped by statement,
with the first line of our code that issued them).
"""
# A command-line script: it commits its own throwaway database and prints.
# pylint: disable=invalid-commit,print-used

import argparse
import json
import os
import re
import statistics
import subprocess
import time
import traceback
from collections import Counter
from datetime import date, timedelta

from bench_common import (
    MODULES,
    ROOT,
    SEED_CONTEXT,
    Measure,
    create_database,
    peak_rss,
    write_config,
)

SIZES = (200, 2000)
KEY_RESULTS_PER_OBJECTIVE = 4
CHECK_INS_PER_KEY_RESULT = 5
PROJECTS = 10
STAGES = 5
MAX_OPEN_COLUMNS = 10  # the web client's MAX_NUMBER_OPENED_GROUPS
# the board's groupings measured: its default (the level) and by department
BOARD_GROUPINGS = (None, "department_id")
CARDS_PER_COLUMN = 40  # the kanban's default limit per column
COUNT_LIMIT = 10001  # the web client's DEFAULT_COUNT_LIMIT + 1
BOARD_DOMAIN = [("cycle_id.state", "=", "running")]  # search_default_running
TASK_DOMAIN = [("display_in_project", "=", True)]
# Targets of issue 13
QUERY_RATIO_TARGET = 1.0
TIME_RATIO_TARGET = 1.2


class QueryLog:
    """Records the statements run inside the block (odoo.sql_db.Cursor.execute
    wrapped) with the innermost line of our modules that led to each."""

    def __init__(self):
        self.entries = []

    def __enter__(self):
        from odoo import sql_db

        self._cursor = sql_db.Cursor
        self._execute = sql_db.Cursor.execute
        log = self

        def execute(cursor, query, params=None, log_exceptions=True):
            log.entries.append((_statement(query), _origin()))
            return log._execute(cursor, query, params, log_exceptions)

        sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        self._cursor.execute = self._execute
        return False

    def report(self, top=25):
        lines = [f"  {len(self.entries)} statements; by statement and origin:"]
        for (statement, origin), count in Counter(self.entries).most_common(top):
            lines.append(f"  {count:>4}  {statement[:110]}\n        from {origin}")
        return "\n".join(lines)


def _statement(query):
    text = query.code if hasattr(query, "code") else str(query)
    if isinstance(text, bytes):
        text = text.decode()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\b\d+\b", "N", text)


def _origin():
    frames = traceback.extract_stack()[:-2]
    ours = [
        frame
        for frame in frames
        if frame.filename.startswith(ROOT)
        and not frame.filename.startswith(os.path.join(ROOT, "tests"))
    ]
    frame = ours[-1] if ours else None
    if frame is None:
        odoo_frames = [
            f
            for f in frames
            if "/odoo/" in f.filename
            and not f.filename.endswith(("sql_db.py", "models.py", "fields.py"))
        ]
        frame = odoo_frames[-1] if odoo_frames else frames[-1]
    return f"{os.path.relpath(frame.filename, ROOT)}:{frame.lineno} {frame.name}"


# ----------------------------------------------------------------------
# Seeding
# ----------------------------------------------------------------------
def setup(env):
    """Department chart, users, cycle, projects and stages (once)."""
    env = env(context=dict(env.context, **SEED_CONTEXT))
    today = date.today()
    Department = env["hr.department"]
    Employee = env["hr.employee"]
    chart = []  # (department, depth, [manager, employee, employee])

    def add_department(name, parent, depth, manager_parent):
        department = Department.create(
            {"name": name, "parent_id": parent.id if parent else False}
        )
        manager = Employee.create(
            {
                "name": f"{name} Manager",
                "department_id": department.id,
                "parent_id": manager_parent.id if manager_parent else False,
            }
        )
        department.manager_id = manager
        staff = Employee.create(
            [
                {
                    "name": f"{name} Employee {index}",
                    "department_id": department.id,
                    "parent_id": manager.id,
                }
                for index in (1, 2)
            ]
        )
        chart.append((department, depth, manager + staff))
        return department, manager

    company, ceo = add_department("Bench Company", None, 1, None)
    for plant_name in ("Plant A", "Plant B", "Plant C"):
        plant, plant_manager = add_department(plant_name, company, 2, ceo)
        for unit in ("Assembly", "Machining", "Quality"):
            unit_name = f"{plant_name} {unit}"
            department, unit_manager = add_department(
                unit_name, plant, 3, plant_manager
            )
            for team in ("Line 1", "Line 2"):
                add_department(f"{unit_name} {team}", department, 4, unit_manager)

    def user(login, groups, employee=None):
        new = env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, [env.ref(group).id for group in groups])],
            }
        )
        if employee:
            employee.user_id = new
        return new

    by_name = {department.name: (department, staff) for department, _d, staff in chart}
    okr_user = user(
        "bench_okr_user",
        ["okr_management.group_okr_user"],
        by_name["Plant A Assembly"][1][0],
    )
    okr_manager = user(
        "bench_okr_manager",
        ["okr_management.group_okr_manager"],
        by_name["Plant A"][1][0],
    )
    project_user = user("bench_project_user", ["project.group_project_user"])
    project_manager = user("bench_project_manager", ["project.group_project_manager"])

    cycle = env["okr.cycle"].create(
        {
            "name": "Bench Quarter",
            "date_start": today - timedelta(days=45),
            "date_end": today + timedelta(days=45),
        }
    )
    cycle.action_start()
    stages = env["project.task.type"].create(
        [
            {"name": name, "sequence": index}
            for index, name in enumerate(
                ("New", "In Progress", "Review", "Blocked", "Done")
            )
        ]
    )
    projects = env["project.project"].create(
        [
            {
                "name": f"Bench Project {index}",
                "privacy_visibility": "followers" if index % 2 else "employees",
                "type_ids": [(6, 0, stages.ids)],
            }
            for index in range(PROJECTS)
        ]
    )
    projects[1].message_subscribe(partner_ids=project_user.partner_id.ids)
    return {
        "chart": chart,
        "cycle": cycle,
        "users": {
            "okr_user": okr_user,
            "okr_manager": okr_manager,
            "project_user": project_user,
            "project_manager": project_manager,
        },
        "projects": projects,
        "stages": stages,
        "followed_project": projects[1],
    }


def load_fixture(env):
    """The records :func:`setup` made, in a database kept with --keep."""
    users = {
        key: env["res.users"].search([("login", "=", f"bench_{key}")])
        for key in ("okr_user", "okr_manager", "project_user", "project_manager")
    }
    chart = []
    for department in env["hr.department"].search([], order="id"):
        depth = len(department.parent_path.strip("/").split("/"))
        staff = department.manager_id + env["hr.employee"].search(
            [
                ("department_id", "=", department.id),
                ("id", "!=", department.manager_id.id),
            ],
            order="id",
        )
        chart.append((department, depth, staff))
    projects = env["project.project"].search(
        [("name", "=like", "Bench Project %")], order="id"
    )
    return {
        "chart": chart,
        "cycle": env["okr.cycle"].search([("name", "=", "Bench Quarter")]),
        "users": users,
        "projects": projects,
        "stages": env["project.task.type"].search(
            [("project_ids", "in", projects.ids)], order="sequence, id"
        ),
        "followed_project": projects[1],
    }


def grow(env, fixture, size):
    """Objectives (with key results and check-ins) and tasks up to ``size``."""
    env = env(context=dict(env.context, **SEED_CONTEXT))
    today = date.today()
    cycle = fixture["cycle"].with_env(env)
    start = env["okr.objective"].search_count([("cycle_id", "=", cycle.id)])
    chart = fixture["chart"]
    levels = {1: "company", 2: "department", 3: "team", 4: "individual"}
    own_employee = fixture["users"]["okr_user"].employee_ids[:1]
    vals_list = []
    for index in range(start, size):
        _department, depth, staff = chart[index % len(chart)]
        owner = staff[(index // len(chart)) % len(staff)]
        if index % 25 == 0:
            owner = own_employee
        vals_list.append(
            {
                "name": f"Objective {index}",
                "cycle_id": cycle.id,
                "level": levels[depth],
                "owner_id": owner.id,
                "department_id": owner.department_id.id,
                "visibility": "department" if index % 2 else "public",
                "state": "active",
            }
        )
    objectives = env["okr.objective"].create(vals_list)
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
    env["okr.check.in"].create(
        [
            {
                "key_result_id": key_result.id,
                "value": 8.0 * (day + 1) + (key_result.id % 5),
                "confidence": (key_result.id + day) % 11,
                "date": today - timedelta(days=40 - 8 * day),
            }
            for key_result in key_results
            for day in range(CHECK_INS_PER_KEY_RESULT)
        ]
    )
    env.flush_all()
    projects = fixture["projects"].with_env(env)
    stages = fixture["stages"].with_env(env)
    project_user = fixture["users"]["project_user"]
    start = env["project.task"].search_count([("project_id", "in", projects.ids)])
    env["project.task"].create(
        [
            {
                "name": f"Task {index}",
                "project_id": projects[index % PROJECTS].id,
                "stage_id": stages[(index // PROJECTS) % STAGES].id,
                "user_ids": [(6, 0, project_user.ids if index % 25 == 0 else [])],
            }
            for index in range(start, size)
        ]
    )
    env.flush_all()
    env.invalidate_all()


# ----------------------------------------------------------------------
# What the web client asks for
# ----------------------------------------------------------------------
class Kanban:
    """A kanban view as the web client reads it for one user: its field
    specification, default grouping, progress bar and column aggregates."""

    def __init__(self, env, user, view_xmlid, group_by=None):
        from lxml import etree

        view = env.ref(view_xmlid)
        self.model = view.model
        Model = env[self.model].with_user(user)
        views = Model.get_views([(view.id, "kanban")])
        arch = etree.fromstring(views["views"]["kanban"]["arch"])
        fields_info = views["models"][self.model]["fields"]
        self.spec = {}
        for name in fields_info:
            field = Model._fields[name]
            if field.type == "many2one":
                self.spec[name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                self.spec[name] = {"fields": {}}
            else:
                self.spec[name] = {}
        self.group_by = group_by or arch.get("default_group_by")
        # the board's own client reads the open columns in one call
        self.columns_together = arch.get("js_class") == "okr_board_kanban"
        bar = arch.find(".//progressbar")
        self.progress_bar = {
            "field": bar.get("field"),
            "colors": json.loads(bar.get("colors")),
        }
        if bar.get("sum_field"):
            self.progress_bar["sum_field"] = bar.get("sum_field")
        self.aggregates = [
            f"{name}:{info['aggregator']}"
            for name, info in fields_info.items()
            if info.get("aggregator") and name != self.group_by
        ]

    def load(self, env, user, domain):
        """The first page: groups, progress bar, 40 cards per open column.
        Returns (cards, open columns)."""
        Model = env[self.model].with_user(user).with_context(bin_size=True)
        result = Model.web_read_group(
            domain, self.aggregates, [self.group_by], limit=None, lazy=True
        )
        Model.read_progress_bar(domain, self.group_by, self.progress_bar)
        opened = []
        for group in result["groups"]:
            # the unset column of a many2one is folded, as are folded stages
            if group.get("__fold") or not group[self.group_by]:
                continue
            opened.append(group)
            if len(opened) == MAX_OPEN_COLUMNS:
                break
        domains = [
            group["__domain"] for group in opened if group[f"{self.group_by}_count"]
        ]
        if self.columns_together and len(domains) > 1:
            pages = Model.web_search_read_columns(
                [
                    {
                        "domain": domain,
                        "limit": CARDS_PER_COLUMN,
                        "count_limit": COUNT_LIMIT,
                    }
                    for domain in domains
                ],
                self.spec,
            )
        else:
            pages = [
                Model.web_search_read(
                    domain,
                    self.spec,
                    limit=CARDS_PER_COLUMN,
                    count_limit=COUNT_LIMIT,
                )
                for domain in domains
            ]
        return sum(len(page["records"]) for page in pages), len(opened)


class Report:
    """The rows and the side-by-side ratios, printed as they come."""

    def __init__(self):
        self.rows = []
        self.ratios = []

    def row(self, label, queries, ms, notes=""):
        self.rows.append(
            {
                "operation": label,
                "queries": queries,
                "ms": round(ms, 1),
                "peak_mb": round(peak_rss(), 1),
                "notes": notes,
            }
        )
        print(f"{label:<58} {queries:>8} {ms:>8.1f}  {notes}", flush=True)

    def ratio(self, what, ours, theirs, time_target=TIME_RATIO_TARGET, target=True):
        """``ours`` and ``theirs`` are (queries, ms); without ``time_target``
        only the queries have a target; without ``target``, neither (a
        figure given beside the targets)."""
        query_ratio = ours[0] / theirs[0]
        time_ratio = ours[1] / theirs[1]
        met = query_ratio <= QUERY_RATIO_TARGET and (
            time_target is None or time_ratio <= time_target
        )
        self.ratios.append(
            {
                "what": what,
                "value": f"{ours[0]} / {theirs[0]} queries = {query_ratio:.2f}x; "
                f"{ours[1]:.2f} / {theirs[1]:.2f} ms = {time_ratio:.2f}x"
                + ("" if met or not target else " (over target)"),
            }
        )


PAIRS = [
    ("OKR User", "okr_user", "Project User", "project_user"),
    ("OKR Manager", "okr_manager", "Project Manager", "project_manager"),
]


def measure_pages(env, fixture, size, runs, trace, report):
    """Both kanbans' first page for both kinds of user, runs interleaved: the
    board grouped by its default (the level) and by department, Project's
    task kanban by its default (the stage). The time target is per card
    shown, the queries' per page."""
    users = fixture["users"]
    measure = Measure(env)
    kanbans = {}
    domains = {}
    for _okr_label, okr_key, _project_label, project_key in PAIRS:
        for grouping in BOARD_GROUPINGS:
            kanbans[okr_key, grouping] = Kanban(
                env,
                users[okr_key],
                "okr_management.okr_objective_view_kanban",
                group_by=grouping,
            )
            domains[okr_key, grouping] = BOARD_DOMAIN
        kanbans[project_key, None] = Kanban(
            env, users[project_key], "project.view_task_kanban"
        )
        domains[project_key, None] = TASK_DOMAIN
        # as many columns as the board by department: one per project
        kanbans[project_key, "project_id"] = Kanban(
            env, users[project_key], "project.view_task_kanban", group_by="project_id"
        )
        domains[project_key, "project_id"] = TASK_DOMAIN
    samples = {key: [] for key in kanbans}
    for key, kanban in kanbans.items():  # warm-up
        kanban.load(env, users[key[0]], domains[key])
    for _run in range(runs):
        for key, kanban in kanbans.items():
            samples[key].append(
                measure(
                    lambda key=key, kanban=kanban: kanban.load(
                        env, users[key[0]], domains[key]
                    )
                )
            )
    for okr_label, okr_key, project_label, project_key in PAIRS:
        figures = {}
        for label, key, what in [
            (okr_label, (okr_key, grouping), f"Board page by {grouping or 'level'}")
            for grouping in BOARD_GROUPINGS
        ] + [
            (project_label, (project_key, None), "Task kanban page by stage"),
            (project_label, (project_key, "project_id"), "Task kanban page by project"),
        ]:
            queries, _ms, (cards, columns) = samples[key][-1]
            ms = statistics.median(sample[1] for sample in samples[key])
            figures[key] = (queries, ms, cards)
            report.row(
                f"{size:,}: {what} as {label}",
                queries,
                ms,
                f"{cards} cards in {columns} columns, "
                f"{ms / max(cards, 1):.2f} ms per card",
            )
        project_queries, project_ms, project_cards = figures[project_key, None]
        for grouping in BOARD_GROUPINGS:
            queries, ms, cards = figures[okr_key, grouping]
            report.ratio(
                f"{size:,}: board by {grouping or 'level'} as {okr_label} / task "
                f"kanban as {project_label} (time per card shown)",
                (queries, ms / max(cards, 1)),
                (project_queries, project_ms / max(project_cards, 1)),
            )
        queries, ms, cards = figures[okr_key, "department_id"]
        project_queries, project_ms, project_cards = figures[project_key, "project_id"]
        report.ratio(
            f"{size:,}: board by department_id as {okr_label} / task kanban by "
            f"project as {project_label}, a column per project the user sees "
            "(time per card shown; beside the targets, not one of them)",
            (queries, ms / max(cards, 1)),
            (project_queries, project_ms / max(project_cards, 1)),
            target=False,
        )
    if trace:
        for key in ("okr_user", "okr_manager"):
            env.invalidate_all()
            with QueryLog() as log:
                kanbans[key, None].load(env, users[key], domains[key, None])
            print(f"\nQueries of the board as {key}, {size:,}:")
            print(log.report(), flush=True)


def measure_check_in(env, fixture, size, runs, trace, report):
    """One check-in as the OKR user on a key result of their own objective,
    against one project update by the project user; two warm-ups each."""
    measure = Measure(env)
    okr_user = fixture["users"]["okr_user"]
    project_user = fixture["users"]["project_user"]
    key_result = (
        env["okr.key.result"]
        .search(
            [
                ("objective_id.owner_id.user_id", "=", okr_user.id),
                ("cycle_id", "=", fixture["cycle"].id),
            ],
            limit=1,
        )
        .with_user(okr_user)
    )
    Update = env["project.update"].with_user(project_user)
    project = fixture["followed_project"]

    # Each call ends as an RPC does: its environment (the user's) flushed
    # before the commit-time hooks (odoo.service.model.retrying).
    def check_in(value):
        result = key_result.action_check_in(value, confidence=7, note="Bench")
        key_result.env.flush_all()
        return result

    def update(value):
        result = Update.create(
            {
                "name": f"Week {value}",
                "project_id": project.id,
                "status": "on_track",
                "progress": value,
                "description": "<p>Bench</p>",
            }
        )
        Update.env.flush_all()
        return result

    check_ins = []
    updates = []
    for run_index in range(runs + 2):
        value = 50 + run_index
        sample_check_in = measure(lambda value=value: check_in(value))
        sample_update = measure(lambda value=value: update(value))
        if run_index >= 2:
            check_ins.append(sample_check_in)
            updates.append(sample_update)
    if trace:
        with QueryLog() as log:
            measure(lambda: check_in(99))
        print(f"\nQueries of one check-in, {size:,}:")
        print(log.report(), flush=True)
    ours = (check_ins[-1][0], statistics.median(sample[1] for sample in check_ins))
    theirs = (updates[-1][0], statistics.median(sample[1] for sample in updates))
    report.row(f"{size:,}: One check-in as OKR User", *ours)
    report.row(f"{size:,}: One project update as Project User", *theirs)
    report.ratio(
        f"{size:,}: one check-in / one project update", ours, theirs, time_target=None
    )


def run(db_name, sizes, runs, trace, reuse=False):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config_path = write_config(db_name)
    report = Report()
    try:
        install_seconds = 0
        if not reuse:
            install_seconds = create_database(
                config_path, db_name, modules=f"{MODULES},project"
            )
        config.parse_config(
            ["--config", config_path, "-d", db_name, "--log-level=warn"]
        )
        odoo.service.server.load_server_wide_modules()
        registry = Registry(db_name)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fixture = load_fixture(env) if reuse else setup(env)
            cr.commit()
            print(
                f"\nBoard vs Project (install {install_seconds:.0f} s)\n"
                f"{'Operation':<58} {'Queries':>8} {'ms':>8}  Notes",
                flush=True,
            )
            for size in sizes:
                started = time.perf_counter()
                grow(env, fixture, size)
                cr.commit()
                # statistics of the new rows, as autovacuum keeps them on a
                # live database (a freshly seeded table misleads the planner)
                cr.execute("ANALYZE")
                cr.commit()
                print(
                    f"-- {size:,} objectives and {size:,} tasks "
                    f"(seed {time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                measure_pages(env, fixture, size, runs, trace, report)
                measure_check_in(env, fixture, size, runs, trace, report)
                cr.commit()
            print(
                "\nTargets: board queries at most Project's, time at most "
                f"{TIME_RATIO_TARGET}x its time; one check-in at most a project "
                "update's queries."
            )
            for item in report.ratios:
                print(f"{item['what']:<58} {item['value']}")
    finally:
        os.unlink(config_path)
    return report.rows, report.ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"okrb_bvp_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument(
        "--sizes", default=",".join(str(size) for size in SIZES), help="e.g. 200,2000"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database kept by an earlier --keep run (implies --keep)",
    )
    parser.add_argument(
        "--trace", action="store_true", help="print where the queries go"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    try:
        rows, ratios = run(args.db, sizes, args.runs, args.trace, args.reuse)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump({"rows": rows, "ratios": ratios}, handle, indent=1)
    finally:
        if not (args.keep or args.reuse):
            try:
                from odoo.sql_db import close_db

                close_db(args.db)
            except Exception as error:  # best effort before dropping
                print(f"could not close the connections to {args.db}: {error}")
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
