#!/usr/bin/env python3
"""Push key-result values from a MES or IoT gateway into Odoo over JSON-RPC.

The gateway authenticates with an Odoo API key (Preferences > Account Security >
New API Key) and records one check-in per value with
``okr.key.result.action_check_in(value, confidence=None, note=None)``. Odoo keeps
the value history: every push is a check-in whose source is "API".

Examples::

    export ODOO_API_KEY=...            # the key of the gateway's Odoo user
    python3 examples/mes_gateway.py --url http://localhost:8069 --db okr_demo \\
        --login mes-gateway@example.com --key-result 12 --value 94.1 --confidence 8

    # many values at once, one per CSV row: key_result_id,value[,confidence[,note]]
    python3 examples/mes_gateway.py --url http://localhost:8069 --db okr_demo \\
        --login mes-gateway@example.com --csv line2_shift_report.csv

Only the standard library is used, so the script runs on a gateway box as is.
Exit status: 0 when every value was recorded, 1 when Odoo refused one (the
reason is printed; a refused value changes nothing in Odoo), 2 on bad usage.
"""

import argparse
import csv
import itertools
import json
import os
import sys
import urllib.error
import urllib.request


class OdooRpcError(Exception):
    """An error answered by Odoo; ``message`` is what Odoo said."""

    def __init__(self, message, name=None):
        super().__init__(message)
        self.message = message
        self.name = name


class OdooClient:
    """A minimal JSON-RPC client for Odoo's external API."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, api_key, timeout=30):
        self.url = url.rstrip("/") + "/jsonrpc"
        self.db = db
        self.login = login
        self.api_key = api_key
        self.timeout = timeout
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
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            answer = json.load(response)
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

    def check_in(self, key_result_id, value, confidence=None, note=None):
        """Record ``value`` on the key result; returns the new check-in's id."""
        kwargs = {}
        if confidence is not None:
            kwargs["confidence"] = confidence
        if note:
            kwargs["note"] = note
        return self.execute(
            "okr.key.result", "action_check_in", [key_result_id], value, **kwargs
        )


def _read_rows(args):
    if args.csv:
        with open(args.csv, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if not row or row[0].startswith("#"):
                    continue
                row += [None] * (4 - len(row))
                yield row[0], row[1], row[2] or None, row[3] or None
    else:
        yield args.key_result, args.value, args.confidence, args.note


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
    parser.add_argument(
        "--csv", help="CSV file: key_result_id,value[,confidence[,note]]"
    )
    args = parser.parse_args(argv)
    if not args.csv and (args.key_result is None or args.value is None):
        parser.error("give --key-result and --value, or --csv")
    api_key = os.environ.get(args.api_key_env)
    if not api_key:
        parser.error(f"the environment variable {args.api_key_env} holds no API key")

    client = OdooClient(args.url, args.db, args.login, api_key)
    failures = 0
    try:
        client.authenticate()
    except (OdooRpcError, urllib.error.URLError) as error:
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    for key_result, value, confidence, note in _read_rows(args):
        try:
            # values are sent as given: Odoo validates them and names the bad field
            kr_id = int(key_result)
            check_in_id = client.check_in(kr_id, value, confidence, note)
        except ValueError:
            print(f"error: key result {key_result!r}: not an id", file=sys.stderr)
            failures += 1
        except OdooRpcError as error:
            print(f"error: key result {key_result}: {error.message}", file=sys.stderr)
            failures += 1
        else:
            print(f"ok: key result {kr_id} <- {value} (check-in {check_in_id})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
