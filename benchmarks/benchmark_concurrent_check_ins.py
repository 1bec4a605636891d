#!/usr/bin/env python3
"""Concurrent check-ins over XML-RPC: 10 clients send 40 check-ins each (with
external references) to 2 key results of one objective, against Odoo's
threaded server and against --workers=2; every check-in must be recorded and
none answered with an error.

    python3 benchmarks/benchmark_concurrent_check_ins.py [--json OUT] [--db NAME]

With --db, an existing database that has the suite installed is used (its
data is left in place, under a fresh objective); otherwise a throwaway
database is created and dropped.
"""

# A command-line script that prints its progress.
# pylint: disable=print-used

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
import xmlrpc.client
from datetime import date, timedelta

from bench_common import create_database, write_config

CLIENTS = 10
CHECK_INS_PER_CLIENT = 40
PASSWORD = "load-check-ins"


def _odoo_command():
    """How to start Odoo: its odoo-bin beside the package when there is one
    (the prefork server starts its gevent process with the same program),
    else the installed ``odoo`` command."""
    import odoo  # pylint: disable=import-outside-toplevel

    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    if os.path.isfile(odoo_bin):
        return [sys.executable, odoo_bin]
    return [shutil.which("odoo") or "odoo"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(config_path, db_name, tag):
    """An OKR user owning 2 key results of one objective of a running cycle;
    returns (login, key result ids)."""
    import odoo  # pylint: disable=import-outside-toplevel
    from odoo.tools import config  # pylint: disable=import-outside-toplevel

    if config["db_name"] != db_name:
        config.parse_config(["--config", config_path])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        login = f"load-{tag}"
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Load {tag}",
                    "login": login,
                    "password": PASSWORD,
                    "groups_id": [
                        (6, 0, [env.ref("okr_management.group_okr_user").id])
                    ],
                }
            )
        )
        employee = env["hr.employee"].create({"name": user.name, "user_id": user.id})
        today = date.today()
        cycle = env["okr.cycle"].create(
            {
                "name": f"Load {tag}",
                "date_start": today - timedelta(days=30),
                "date_end": today + timedelta(days=60),
            }
        )
        cycle.action_start()
        objective = env["okr.objective"].create(
            {
                "name": f"Load {tag}",
                "cycle_id": cycle.id,
                "level": "individual",
                "owner_id": employee.id,
                "state": "active",
            }
        )
        key_results = env["okr.key.result"].create(
            [
                {
                    "name": f"Load {tag} {index}",
                    "objective_id": objective.id,
                    "start_value": 0,
                    "target_value": 1000,
                }
                for index in range(2)
            ]
        )
        return login, key_results.ids


def _count_check_ins(db_name, key_result_ids):
    output = subprocess.run(
        [
            "psql",
            "-d",
            db_name,
            "-Atc",
            "SELECT count(*) FROM okr_check_in WHERE key_result_id IN (%s)"
            % ",".join(map(str, key_result_ids)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(output.stdout.strip())


def _roll_up_consistent(db_name, key_result_ids):
    """The objective's progress is the weighted mean of its key results' and
    each key result's value is its latest check-in's: nothing was lost."""
    ids = ",".join(map(str, key_result_ids))
    output = subprocess.run(
        [
            "psql",
            "-d",
            db_name,
            "-Atc",
            f"""
            SELECT bool_and(abs(o.progress - m.mean) < 1e-6)
                   AND bool_and(kr_ok)
              FROM okr_objective o
              JOIN (SELECT objective_id,
                           sum(progress * weight) / sum(weight) AS mean,
                           bool_and(current_value = (
                               SELECT value FROM okr_check_in c
                                WHERE c.key_result_id = kr.id
                             ORDER BY date DESC, id DESC LIMIT 1)) AS kr_ok
                      FROM okr_key_result kr
                     WHERE id IN ({ids})
                  GROUP BY objective_id) m ON m.objective_id = o.id
            """,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip() == "t"


def _wait_for(port, process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("the Odoo server stopped before answering")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                xmlrpc.client.ServerProxy(
                    f"http://127.0.0.1:{port}/xmlrpc/2/common"
                ).version()
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the Odoo server did not answer in time")


def _load(config_path, db_name, workers):
    tag = f"w{workers}-{uuid.uuid4().hex[:6]}"
    login, key_result_ids = _seed(config_path, db_name, tag)
    port = _free_port()
    command = [
        *_odoo_command(),
        "--config",
        config_path,
        "-d",
        db_name,
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--gevent-port",
        str(_free_port()),
        f"--workers={workers}",
        "--max-cron-threads=0",
        f"--log-level={os.environ.get('OKR_BENCH_LOG_LEVEL', 'warn')}",
    ]
    server = subprocess.Popen(command)  # pylint: disable=consider-using-with
    try:
        _wait_for(port, server)
        url = f"http://127.0.0.1:{port}/xmlrpc/2"
        uid = xmlrpc.client.ServerProxy(f"{url}/common").authenticate(
            db_name, login, PASSWORD, {}
        )
        # each server thread or worker loads its caches on its first calls
        warm = xmlrpc.client.ServerProxy(f"{url}/object", allow_none=True)
        for _warm_up in range(4):
            warm.execute_kw(
                db_name,
                uid,
                PASSWORD,
                "okr.key.result",
                "read",
                [key_result_ids, ["current_value"]],
            )
        latencies, errors = [], []
        lock = threading.Lock()

        def client(number):
            proxy = xmlrpc.client.ServerProxy(f"{url}/object", allow_none=True)
            for index in range(CHECK_INS_PER_CLIENT):
                key_result_id = key_result_ids[(number + index) % 2]
                started = time.perf_counter()
                try:
                    proxy.execute_kw(
                        db_name,
                        uid,
                        PASSWORD,
                        "okr.key.result",
                        "action_check_in",
                        [[key_result_id], number * 100 + index],
                        {"external_id": f"{tag}-{number}-{index}"},
                    )
                except (xmlrpc.client.Fault, OSError) as error:
                    with lock:
                        errors.append(str(error)[:300])
                with lock:
                    latencies.append(time.perf_counter() - started)

        threads = [
            threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    recorded = _count_check_ins(db_name, key_result_ids)
    consistent = _roll_up_consistent(db_name, key_result_ids)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return {
        "workers": workers,
        "sent": CLIENTS * CHECK_INS_PER_CLIENT,
        "recorded": recorded,
        "errors": errors,
        "p50": statistics.median(latencies),
        "p95": p95,
        "max": latencies[-1],
        "seconds": seconds,
        "consistent": consistent,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures there")
    parser.add_argument("--db", help="an existing database with the suite")
    args = parser.parse_args()
    db_name = args.db or f"okr_bench_load_{os.getpid()}"
    config_path = write_config(db_name)
    if not args.db:
        create_database(config_path, db_name)
    rows = []
    try:
        for workers in (0, 2):
            result = _load(config_path, db_name, workers)
            mode = "threaded server" if not workers else f"--workers={workers}"
            print(
                f"{mode}: {result['recorded']}/{result['sent']} recorded, "
                f"{len(result['errors'])} errors, "
                f"p50 {result['p50'] * 1000:.0f} ms, "
                f"p95 {result['p95'] * 1000:.0f} ms, "
                f"max {result['max'] * 1000:.0f} ms, "
                f"{result['seconds']:.1f} s, figures consistent: "
                f"{result['consistent']}",
                flush=True,
            )
            for error in result["errors"][:5]:
                print("   ", error)
            rows.append(
                {
                    "operation": f"{CLIENTS} clients x {CHECK_INS_PER_CLIENT} "
                    f"check-ins on 2 key results of one objective, {mode}",
                    "queries": "-",
                    "ms": result["p95"] * 1000,
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    / 1024,
                    "notes": f"p95 (ms column); recorded {result['recorded']} of "
                    f"{result['sent']}, {len(result['errors'])} answered with an "
                    f"error; p50 {result['p50'] * 1000:.0f} ms, max "
                    f"{result['max'] * 1000:.0f} ms; {result['seconds']:.1f} s in all; "
                    "objective and key result figures match the check-ins: "
                    f"{'yes' if result['consistent'] else 'NO'}",
                }
            )
    finally:
        if not args.db:
            subprocess.run(["dropdb", "--if-exists", db_name], check=False)
        os.unlink(config_path)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"rows": rows}, handle)


if __name__ == "__main__":
    main()
