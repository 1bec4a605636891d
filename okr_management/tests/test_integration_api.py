"""The MES / IoT gateway example, run for real against the test server."""

import os
import subprocess
import sys
import unittest
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

# the repository's example gateway, beside the modules
GATEWAY = Path(__file__).resolve().parents[2] / "examples" / "mes_gateway.py"


@tagged("post_install", "-at_install")
class TestMesGateway(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not GATEWAY.is_file():
            raise unittest.SkipTest(
                f"{GATEWAY} is not here: the module was deployed without its "
                "repository's examples/"
            )
        today = fields.Date.today()
        cls.gateway_user = new_test_user(
            cls.env,
            login="mes-gateway",
            groups="okr_management.group_okr_user",
            name="MES Gateway",
        )
        cls.outsider = new_test_user(
            cls.env, login="mes-outsider", groups="okr_management.group_okr_user"
        )
        employee = cls.env["hr.employee"].create(
            {"name": "MES Gateway", "user_id": cls.gateway_user.id}
        )
        cls.env["hr.employee"].create({"name": "Outsider", "user_id": cls.outsider.id})
        cls.cycle = cls.env["okr.cycle"].create(
            {
                "name": "Gateway Quarter",
                "date_start": today - timedelta(days=30),
                "date_end": today + timedelta(days=60),
            }
        )
        cls.cycle.action_start()
        objective = cls.env["okr.objective"].create(
            {"name": "Line 2 yield", "cycle_id": cls.cycle.id, "owner_id": employee.id}
        )
        cls.key_result = cls.env["okr.key.result"].create(
            {
                "name": "First-pass yield",
                "objective_id": objective.id,
                "start_value": 92,
                "target_value": 96,
            }
        )
        closed_cycle = cls.env["okr.cycle"].create(
            {
                "name": "Last Quarter",
                "date_start": today - timedelta(days=120),
                "date_end": today - timedelta(days=31),
            }
        )
        closed_cycle.action_start()
        closed_objective = cls.env["okr.objective"].create(
            {"name": "Old", "cycle_id": closed_cycle.id, "owner_id": employee.id}
        )
        cls.closed_key_result = cls.env["okr.key.result"].create(
            {
                "name": "Old yield",
                "objective_id": closed_objective.id,
                "start_value": 90,
                "target_value": 92,
            }
        )
        closed_cycle.action_close()
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.gateway_user)
            .sudo()
            ._generate(None, "MES gateway", False)
        )
        cls.outsider_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.outsider)
            .sudo()
            ._generate(None, "outsider", False)
        )

    def _run_gateway(self, *args, login="mes-gateway", api_key=None):
        env = dict(os.environ, ODOO_API_KEY=api_key or self.api_key)
        return subprocess.run(
            [
                sys.executable,
                str(GATEWAY),
                "--url",
                self.base_url(),
                "--db",
                self.env.cr.dbname,
                "--login",
                login,
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def test_gateway_pushes_a_value(self):
        result = self._run_gateway(
            "--key-result",
            str(self.key_result.id),
            "--value",
            "94.5",
            "--confidence",
            "8",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("ok: key result", result.stdout)
        self.key_result.invalidate_recordset()
        self.assertEqual(self.key_result.current_value, 94.5)
        self.assertEqual(self.key_result.confidence, 8)
        check_in = self.key_result.check_in_ids
        self.assertEqual(len(check_in), 1)
        self.assertEqual(check_in.source, "api")
        self.assertEqual(check_in.user_id, self.gateway_user)
        self.assertAlmostEqual(self.key_result.progress, 0.625)

    def test_gateway_csv_batch(self):
        csv_path = Path(self.env["ir.attachment"]._filestore()) / "gateway.csv"
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        csv_path.write_text(
            f"# kr,value,confidence,note\n{self.key_result.id},93,6,night shift\n"
            f"{self.key_result.id},95,7,\n",
            encoding="utf-8",
        )
        self.addCleanup(csv_path.unlink)
        result = self._run_gateway("--csv", str(csv_path))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.key_result.invalidate_recordset()
        self.assertEqual(len(self.key_result.check_in_ids), 2)
        self.assertEqual(self.key_result.current_value, 95)

    def test_gateway_retry_records_the_reading_once(self):
        args = ("--key-result", str(self.key_result.id), "--external-id", "L2-N-1")
        first = self._run_gateway(*args, "--value", "93.5", "--confidence", "6")
        self.assertEqual(first.returncode, 0, first.stderr)
        # the gateway timed out and sends the reading again, re-measured
        again = self._run_gateway(*args, "--value", "94", "--confidence", "9")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(
            first.stdout.split("check-in")[-1], again.stdout.split("check-in")[-1]
        )
        self.key_result.invalidate_recordset()
        check_in = self.key_result.check_in_ids
        self.assertEqual(len(check_in), 1)
        self.assertEqual(check_in.external_id, "L2-N-1")
        self.assertEqual(check_in.source, "api")
        self.assertEqual(self.key_result.current_value, 93.5)
        self.assertEqual(self.key_result.confidence, 6)

    def test_gateway_mixed_batch(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        csv_path = Path(self.env["ir.attachment"]._filestore()) / "mixed.csv"
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        kr = self.key_result.id
        csv_path.write_text(
            "# kr,value,confidence,note,date,external_id\n"
            f"{kr},93,6,day shift,{yesterday},B-1\n"
            "line2,94,,,,B-2\n"
            f"{kr},ninety,,,,B-3\n"
            f"{self.closed_key_result.id},91,,,,B-4\n"
            f"{kr},94.5,8,night shift,,B-5\n",
            encoding="utf-8",
        )
        self.addCleanup(csv_path.unlink)
        check_ins_before = self.env["okr.check.in"].search_count([])
        result = self._run_gateway("--csv", str(csv_path))
        self._assert_refused(result, "row 2: key result line2: Key Result: the id")
        self.assertIn("row 3", result.stderr)
        self.assertIn("Value: a number is required", result.stderr)
        self.assertIn("row 4", result.stderr)
        self.assertIn("is closed", result.stderr)
        self.assertEqual(result.stdout.count("ok: row"), 2, result.stdout)
        self.assertEqual(
            self.env["okr.check.in"].search_count([]), check_ins_before + 2
        )
        self.key_result.invalidate_recordset()
        self.assertEqual(
            sorted(self.key_result.check_in_ids.mapped("external_id")), ["B-1", "B-5"]
        )
        self.assertEqual(
            self.key_result.check_in_ids.filtered(
                lambda c: c.external_id == "B-1"
            ).date,
            yesterday,
        )
        self.assertEqual(self.key_result.current_value, 94.5)
        self.assertFalse(self.closed_key_result.check_in_ids)
        # the whole file sent again: nothing is recorded twice
        again = self._run_gateway("--csv", str(csv_path))
        self.assertEqual(again.returncode, 1)
        self.assertEqual(again.stdout.count("already recorded"), 2, again.stdout)
        self.assertEqual(
            self.env["okr.check.in"].search_count([]), check_ins_before + 2
        )

    def _assert_refused(self, result, message):
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn(message, result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_bad_input_is_refused_and_changes_nothing(self):
        check_ins_before = self.env["okr.check.in"].search_count([])
        # unknown key result
        self._assert_refused(
            self._run_gateway("--key-result", "999999", "--value", "94"),
            "does not exist",
        )
        # non-numeric value
        self._assert_refused(
            self._run_gateway(
                "--key-result", str(self.key_result.id), "--value", "ninety"
            ),
            "Value: a number is required",
        )
        # closed cycle
        self._assert_refused(
            self._run_gateway(
                "--key-result", str(self.closed_key_result.id), "--value", "91"
            ),
            "is closed",
        )
        # no rights: the outsider neither owns nor manages the key result
        self._assert_refused(
            self._run_gateway(
                "--key-result",
                str(self.key_result.id),
                "--value",
                "94",
                login="mes-outsider",
                api_key=self.outsider_key,
            ),
            "you can only check in on key results you own or manage",
        )
        # wrong key
        self._assert_refused(
            self._run_gateway(
                "--key-result",
                str(self.key_result.id),
                "--value",
                "94",
                api_key="not-a-key",
            ),
            "refused the login",
        )
        self.assertEqual(self.env["okr.check.in"].search_count([]), check_ins_before)
        self.key_result.invalidate_recordset()
        self.assertEqual(self.key_result.current_value, 92)
