#!/usr/bin/env python3
"""Push key-result values from a MES or IoT gateway into Odoo over JSON-RPC.

The gateway authenticates with an Odoo API key (Preferences > Account Security >
New API Key) and records check-ins with
``okr.key.result.action_check_in(value, confidence=None, note=None, date=None,
external_id=None)``, or many at once with
``okr.key.result.action_check_in_batch(items)``. Odoo keeps the value history:
every push is a check-in whose source is "API". docs/integrations.md documents
both calls.

Give each reading a reference (``--external-id``, or the CSV's sixth column):
a retry after a timeout then returns the check-in recorded the first time
instead of recording the reading twice. With ``--retries N`` the script itself
sends a call again, with the same references, when the network fails.

Examples::

    export ODOO_API_KEY=...            # the key of the gateway's Odoo user
    python3 examples/mes_gateway.py --url http://localhost:8069 --db okr_demo \\
        --login mes-gateway --key-result 12 --value 94.1 --confidence 8 \\
        --external-id MES-L2-2026-11-30-N

    # many values in one call, one per CSV row:
    # key_result_id,value[,confidence[,note[,date[,external_id]]]]
    python3 examples/mes_gateway.py --url http://localhost:8069 --db okr_demo \\
        --login mes-gateway --csv line2_shift_report.csv

Only the standard library is used, so the script runs on a gateway box as is.
Exit status: 0 when every value was recorded (or was already), 1 when Odoo
refused one (the reason is printed; a refused value changes nothing in Odoo,
and the other rows of a CSV file are recorded all the same), 2 on bad usage.
"""

import argparse
import csv
import itertools
import json
import os
import sys
import time
import urllib.error
import urllib.request

CSV_COLUMNS = ("key_result_id", "value", "confidence", "note", "date", "external_id")


class OdooRpcError(Exception):
    """An error answered by Odoo; ``message`` is what Odoo said."""

    def __init__(self, message, name=None):
        super().__init__(message)
        self.message = message
        self.name = name


class OdooClient:
    """A minimal JSON-RPC client for Odoo's external API."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, api_key, timeout=30, retries=0):
        self.url = url.rstrip("/") + "/jsonrpc"
        self.db = db
        self.login = login
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.uid = None

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        for attempt in itertools.count():
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    answer = json.load(response)
                break
            except (urllib.error.URLError, TimeoutError):
                # the same call again: references make a retried check-in safe
                if attempt >= self.retries:
                    raise
                time.sleep(min(2**attempt, 30))
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise OdooRpcError(
                data.get("message") or answer["error"].get("message"),
                data.get("name"),
            )
        return answer["result"]

    def authenticate(self):
        self.uid = self._call(
            "common", "authenticate", self.db, self.login, self.api_key, {}
        )
        if not self.uid:
            raise OdooRpcError(
                f"Odoo refused the login {self.login!r} with this API key."
            )
        return self.uid

    def execute(self, model, method, *args, **kwargs):
        if self.uid is None:
            self.authenticate()
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.api_key,
            model,
            method,
            list(args),
            kwargs,
        )

    def check_in(
        self, key_result_id, value, confidence=None, note=None, date=None, ref=None
    ):
        """Record ``value`` on the key result; returns the check-in's id (the
        first one recorded under ``ref`` when that reference is known)."""
        kwargs = {
            key: given
            for key, given in (
                ("confidence", confidence),
                ("note", note),
                ("date", date),
                ("external_id", ref),
            )
            if given not in (None, "")
        }
        return self.execute(
            "okr.key.result", "action_check_in", [key_result_id], value, **kwargs
        )

    def check_in_batch(self, items):
        """Record many readings in one call; returns Odoo's answer per item."""
        return self.execute("okr.key.result", "action_check_in_batch", items)


def _read_csv(path):
    """The CSV rows as batch items; a row whose key result is not an id is
    given as is, and Odoo refuses it with a clear reason."""
    items = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if not row or row[0].startswith("#"):
                continue
            item = {
                column: cell
                for column, cell in zip(CSV_COLUMNS, row, strict=False)
                if cell != ""
            }
            try:
                item["key_result_id"] = int(item.get("key_result_id", ""))
            except ValueError:
                pass
            if "confidence" in item:
                try:
                    item["confidence"] = float(item["confidence"])
                except ValueError:
                    pass
            items.append(item)
    return items


def _push_csv(client, path):
    failures = 0
    for result in client.check_in_batch(_read_csv(path)):
        label = f"row {result['index'] + 1}: key result {result['key_result_id']}"
        if result["status"] == "refused":
            print(f"error: {label}: {result['error']}", file=sys.stderr)
            failures += 1
        elif result["status"] == "duplicate":
            print(f"ok: {label}: already recorded (check-in {result['check_in_id']})")
        else:
            print(f"ok: {label} (check-in {result['check_in_id']})")
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", required=True, help="Odoo base URL, e.g. http://localhost:8069"
    )
    parser.add_argument("--db", required=True, help="Odoo database name")
    parser.add_argument(
        "--login", required=True, help="login of the gateway's Odoo user"
    )
    parser.add_argument(
        "--api-key-env",
        default="ODOO_API_KEY",
        help="environment variable that holds the API key (default: ODOO_API_KEY)",
    )
    parser.add_argument("--key-result", help="id of the key result (okr.key.result)")
    parser.add_argument("--value", help="the measured value")
    parser.add_argument("--confidence", help="confidence from 0 to 10")
    parser.add_argument("--note", help="a note stored on the check-in")
    parser.add_argument("--date", help="the day measured, YYYY-MM-DD (default today)")
    parser.add_argument(
        "--external-id",
        help="your reference for this reading: sent again, it records nothing twice",
    )
    parser.add_argument(
        "--csv",
        help="CSV file, sent as one batch: "
        "key_result_id,value[,confidence[,note[,date[,external_id]]]]",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        help="send a call again this many times when the network fails",
    )
    args = parser.parse_args(argv)
    if not args.csv and (args.key_result is None or args.value is None):
        parser.error("give --key-result and --value, or --csv")
    api_key = os.environ.get(args.api_key_env)
    if not api_key:
        parser.error(f"the environment variable {args.api_key_env} holds no API key")

    client = OdooClient(args.url, args.db, args.login, api_key, retries=args.retries)
    try:
        client.authenticate()
    except (OdooRpcError, urllib.error.URLError, TimeoutError) as error:
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    try:
        if args.csv:
            return 1 if _push_csv(client, args.csv) else 0
        kr_id = int(args.key_result)
        check_in_id = client.check_in(
            kr_id, args.value, args.confidence, args.note, args.date, args.external_id
        )
    except ValueError:
        print(f"error: key result {args.key_result!r}: not an id", file=sys.stderr)
        return 1
    except OdooRpcError as error:
        what = args.csv if args.csv else f"key result {args.key_result}"
        print(f"error: {what}: {error.message}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {args.csv}: {error}", file=sys.stderr)
        return 2
    print(f"ok: key result {kr_id} <- {args.value} (check-in {check_in_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
