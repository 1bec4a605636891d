#!/usr/bin/env python3
"""Take the user guide's screenshots from a running OKR demo database.

    python3 scripts/screenshots.py --url http://127.0.0.1:8069 --db okr_demo \\
        --login admin --password admin --out docs/screenshots

Starts headless Chromium, drives it over the DevTools protocol (websocket-client),
logs in with a JSON-RPC call to /web/session/authenticate, opens every page of
the guide as a user would (menus' actions, buttons, tabs) and saves one PNG per
page (1440x900). The demo data of the three modules must be installed. Exits
non-zero when a page does not show what it should (login page, error dialog,
missing element): nothing half-right is written.
"""

# A command-line tool: it reports its progress with print().
# pylint: disable=print-used

import argparse
import base64
import http.cookies
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
WIDTH, HEIGHT = 1440, 900

# Every screenshot: a file name, the page to open (an action, optionally with a
# record given by XML id), the steps to take there and the element that proves the
# page shows what the guide describes.
SHOTS = (
    {
        "name": "objective-board",
        "action": "okr_management.okr_objective_action",
        "ready": ".o_kanban_view .o_kanban_group .o_kanban_record",
    },
    {
        "name": "objective-form",
        "action": "okr_management.okr_objective_action",
        "record": "okr_management.objective_production",
        "ready": ".o_form_view [name='forecast_progress']",
    },
    {
        "name": "quick-check-in",
        "action": "okr_management.okr_key_result_action",
        "record": "okr_management.kr_quality_complaints",
        "ready": ".o_form_view [name='check_in_ids']",
        "steps": (("click", "button[name='action_open_check_in_wizard']"),),
        "then": ".modal .o_form_view [name='value'] input",
    },
    {
        "name": "team-check-in",
        "action": "okr_management.okr_objective_action",
        "ready": ".o_kanban_view",
        "steps": (
            (
                "do_action",
                "okr_management.okr_team_check_in_action",
                {"default_department_id": "okr_management.dep_production"},
            ),
        ),
        "then": ".modal .o_form_view [name='line_ids'] .o_data_row",
    },
    {
        "name": "key-result-computed",
        "action": "okr_management.okr_key_result_action",
        "record": "okr_management.kr_company_quality_objectives",
        "ready": ".o_form_view [name='last_refresh_note']",
    },
    {
        "name": "key-results-by-owner",
        "action": "okr_management.okr_objective_action",
        "ready": ".o_kanban_view",
        "steps": (
            (
                "do_action",
                "okr_management.okr_key_result_action",
                {"search_default_running": 1, "search_default_group_owner": 1},
            ),
        ),
        "then": ".o_list_view .o_group_header .o_list_number",
    },
    {
        "name": "alignment-tree",
        "action": "okr_management.okr_objective_action_alignment",
        "ready": ".o_hierarchy_view .o_hierarchy_node",
        # the first company objective unfolded: the departments aligned to it
        "steps": (("click", ".o_hierarchy_node_button"),),
        "then": ".o_hierarchy_row[data-row-id='1'] .o_hierarchy_node",
    },
    {
        "name": "adoption-report",
        "action": "okr_management.okr_adoption_report_action",
        "ready": ".o_pivot_view .o_pivot table td.o_pivot_cell_value",
    },
    {
        "name": "cycle-form",
        "action": "okr_management.okr_cycle_action",
        "record": "okr_management.cycle_current_quarter",
        "ready": ".o_form_view button[name='action_close']",
    },
    {
        "name": "settings-okr",
        "action": "okr_management.okr_config_settings_action",
        "ready": ".o_settings_container #okr_status_thresholds",
        "steps": (("scroll", "[name='okr_management']"),),
    },
    {
        "name": "key-result-production-source",
        "action": "okr_management.okr_key_result_action",
        "record": "okr_management.kr_production_yield",
        "ready": ".o_form_view .o_notebook a[name='production_source']",
        "steps": (
            ("click", ".o_notebook a[name='production_source']"),
            ("scroll", ".o_notebook"),
        ),
        "then": ".o_form_view [name='workorder_ids'] .o_data_row",
    },
    {
        "name": "workcenter-goals",
        "action": "mrp.mrp_workcenter_action",
        "record": "mrp.mrp_workcenter_3",
        "ready": ".o_form_view .o_notebook a[name='okr_goals']",
        "steps": (
            ("click", ".o_notebook a[name='okr_goals']"),
            ("scroll", ".o_notebook"),
        ),
        "then": ".o_form_view [name='okr_goal_ids'] .o_data_row",
    },
    {
        "name": "appraisal-okr-reference",
        "action": "hr_appraisal_oca.hr_appraisal_action_form",
        "record": "okr_hr_appraisal.appraisal_production_head",
        "ready": ".o_form_view .o_notebook a[name='okr_reference']",
        "steps": (
            ("click", ".o_notebook a[name='okr_reference']"),
            ("scroll", ".o_notebook"),
        ),
        "then": ".o_form_view [name='okr_line_ids'] .o_data_row",
    },
    {
        "name": "appraisal-report",
        "action": "okr_hr_appraisal.okr_appraisal_report_action",
        "ready": ".o_pivot_view .o_pivot table td.o_pivot_cell_value",
    },
    {
        "name": "appraisal-settings",
        "action": "base_setup.action_general_configuration",
        "ready": ".settings_tab [data-key='hr_appraisal_oca']",
        "steps": (("click", ".settings_tab [data-key='hr_appraisal_oca']"),),
        "then": ".o_settings_container #okr_appraisal_hide_okr",
    },
)

# The page has settled: nothing loading, no dialog opening or closing.
SETTLED_JS = """
(() => document.readyState === "complete"
    && !document.querySelector(".o_loading_indicator, .o_blockUI")
    && !document.querySelector(".modal.fade:not(.show)"))()
"""
# What a page must not show.
ERROR_JS = """
(() => {
    if (document.querySelector(".oe_login_form")) return "the login page";
    const dialog = document.querySelector(".o_error_dialog, .o_dialog_error");
    if (dialog) return "an error dialog: " + dialog.innerText.slice(0, 300);
    const danger = document.querySelector(".o_notification.border-danger");
    if (danger) return "an error notification: " + danger.innerText.slice(0, 300);
    return "";
})()
"""


class ScreenshotError(Exception):
    """A page did not show what it should."""


class JsonRpc:
    """Odoo's JSON-RPC over urllib, with the session cookie of the login."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.session_id = None

    def call(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        request = urllib.request.Request(
            self.url + path,
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        if self.session_id:
            request.add_header("Cookie", f"session_id={self.session_id}")
        with urllib.request.urlopen(request, timeout=60) as response:
            cookies = http.cookies.SimpleCookie(response.headers.get("Set-Cookie", ""))
            payload = json.load(response)
        if "session_id" in cookies:
            self.session_id = cookies["session_id"].value
        if payload.get("error"):
            error = payload["error"].get("data", {}).get("message") or payload["error"]
            raise ScreenshotError(f"{path}: {error}")
        return payload["result"]

    def authenticate(self, db, login, password):
        result = self.call(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        if not result.get("uid") or not self.session_id:
            raise ScreenshotError(f"cannot log in as {login!r} on database {db!r}")

    def xmlid_to_res_id(self, xmlid):
        module, name = xmlid.split(".", 1)
        rows = self.call(
            "/web/dataset/call_kw/ir.model.data/search_read",
            {
                "model": "ir.model.data",
                "method": "search_read",
                "args": [[("module", "=", module), ("name", "=", name)], ["res_id"]],
                "kwargs": {"limit": 1},
            },
        )
        if not rows:
            raise ScreenshotError(f"no record {xmlid} (is the demo data installed?)")
        return rows[0]["res_id"]


class Chromium:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="okr-screenshots-")
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.socket = None
        self.next_id = 0
        try:
            self.socket = websocket.create_connection(
                self._page_websocket_url(), timeout=60, suppress_origin=True
            )
            self.send("Page.enable")
            # One bus worker per page, gone with it: a page meeting the shared
            # worker of the previous one says "The page is out of date".
            self.send(
                "Page.addScriptToEvaluateOnNewDocument",
                source="delete window.SharedWorker;",
            )
            self.send("Runtime.enable")
            self.send(
                "Emulation.setDeviceMetricsOverride",
                width=WIDTH,
                height=HEIGHT,
                deviceScaleFactor=1,
                mobile=False,
            )
        except Exception:
            self.close()
            raise

    def _page_websocket_url(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ScreenshotError("chromium exited at start")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/json/list", timeout=5
                ) as response:
                    targets = json.load(response)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
                continue
            for target in targets:
                if target.get("type") == "page":
                    return target["webSocketDebuggerUrl"]
            time.sleep(0.2)
        raise ScreenshotError("chromium's DevTools endpoint did not answer")

    def send(self, method, **params):
        self.next_id += 1
        message_id = self.next_id
        self.socket.send(
            json.dumps({"id": message_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") != message_id:
                continue  # an event
            if "error" in message:
                raise ScreenshotError(f"{method}: {message['error'].get('message')}")
            return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details["text"]
            raise ScreenshotError(f"script error: {text}")
        return result["result"].get("value")

    def wait_for(self, selector, timeout=30):
        """Wait until selector is shown and the page has settled (twice in a row)."""
        condition = f"!!document.querySelector({json.dumps(selector)}) && {SETTLED_JS}"
        deadline = time.monotonic() + timeout
        settled = 0
        while time.monotonic() < deadline:
            error = self.evaluate(ERROR_JS)
            if error:
                raise ScreenshotError(f"the page shows {error}")
            settled = settled + 1 if self.evaluate(condition) else 0
            if settled >= 2:
                time.sleep(0.6)  # transitions (dialogs, tabs) and the progress bars
                return
            time.sleep(0.25)
        raise ScreenshotError(f"timed out waiting for {selector!r}")

    def set_cookie(self, url, name, value):
        self.send("Network.enable")
        self.send("Network.setCookie", name=name, value=value, url=url, path="/")

    def navigate(self, url):
        self.send("Page.navigate", url=url)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        if self.socket:
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_step(browser, rpc, step):
    kind, target = step[0], step[1]
    if kind == "click":
        clicked = browser.evaluate(
            f"""(() => {{
                const element = document.querySelector({json.dumps(target)});
                if (element) element.click();
                return !!element;
            }})()"""
        )
        if not clicked:
            raise ScreenshotError(f"nothing to click at {target!r}")
    elif kind == "scroll":
        browser.evaluate(
            f"document.querySelector({json.dumps(target)})"
            "?.scrollIntoView({block: 'start'})"
        )
    elif kind == "do_action":
        # an XML id (text) stands for its record's id; other values go as they are
        context = {
            key: rpc.xmlid_to_res_id(value) if isinstance(value, str) else value
            for key, value in step[2].items()
        }
        browser.evaluate(
            "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
            f"{json.dumps(target)}, {{additionalContext: {json.dumps(context)}}})"
            ".then(() => true)"
        )
    else:
        raise ValueError(kind)


def take(browser, rpc, base_url, shot, out_dir):
    url = f"{base_url}/odoo/action-{shot['action']}"
    if shot.get("record"):
        url += f"/{rpc.xmlid_to_res_id(shot['record'])}"
    browser.navigate(url)
    browser.wait_for(shot["ready"])
    for step in shot.get("steps", ()):
        run_step(browser, rpc, step)
    browser.wait_for(shot.get("then", shot["ready"]))
    path = os.path.join(out_dir, f"{shot['name']}.png")
    browser.screenshot(path)
    return path


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="okr_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--only", nargs="*", metavar="NAME", help="take these screenshots only"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    base_url = args.url.rstrip("/")
    shots = [s for s in SHOTS if not args.only or s["name"] in args.only]
    if args.only and len(shots) != len(set(args.only)):
        known = ", ".join(s["name"] for s in SHOTS)
        sys.exit(f"screenshots: unknown name in {args.only}; known: {known}")
    os.makedirs(args.out, exist_ok=True)
    rpc = JsonRpc(base_url)
    browser = None
    try:
        rpc.authenticate(args.db, args.login, args.password)
        browser = Chromium(args.chromium)
        browser.set_cookie(base_url, "session_id", rpc.session_id)
        failures = 0
        for shot in shots:
            try:
                path = take(browser, rpc, base_url, shot, args.out)
            except ScreenshotError as error:
                failures += 1
                print(f"screenshots: {shot['name']}: {error}", file=sys.stderr)
            else:
                print(f"screenshots: {path} ({os.path.getsize(path) // 1024} KiB)")
    except (ScreenshotError, OSError) as error:
        sys.exit(f"screenshots: {error}")
    finally:
        if browser:
            browser.close()
    if failures:
        sys.exit(f"screenshots: {failures} of {len(shots)} failed")


if __name__ == "__main__":
    main()
