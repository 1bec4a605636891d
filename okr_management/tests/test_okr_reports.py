import base64
import io
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError

from .common import OkrTestCommon


class TestOkrReports(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Objective = cls.env["okr.objective"]
        cls.company_objective = Objective.create(
            {
                "name": "Ship 20% more",
                "cycle_id": cls.cycle.id,
                "level": "company",
                "owner_id": cls.emp_manager.id,
                "department_id": cls.dep_ops.id,
                "state": "active",
            }
        )
        cls.objective.parent_id = cls.company_objective
        cls.team_objective = Objective.create(
            {
                "name": "Line 2 uptime",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_lead.id,
                "department_id": cls.dep_prod.id,
                "parent_id": cls.objective.id,
                "state": "active",
            }
        )
        cls.loose_objective = Objective.create(
            {
                "name": "Tidy the store room",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_lead.id,
                "department_id": cls.dep_prod.id,
                "state": "draft",
            }
        )
        KeyResult = cls.env["okr.key.result"]
        cls.kr_uptime = KeyResult.create(
            {
                "name": "Uptime 80 to 90",
                "objective_id": cls.team_objective.id,
                "start_value": 80,
                "target_value": 90,
            }
        )
        cls.kr_old = KeyResult.create(
            {
                "name": "Shelves labelled 0 to 40",
                "objective_id": cls.loose_objective.id,
                "start_value": 0,
                "target_value": 40,
            }
        )
        CheckIn = cls.env["okr.check.in"]
        CheckIn.create(
            {
                "key_result_id": cls.kr_yield.id,
                "value": 94,
                "confidence": 8,
                "note": "New die",
            }
        )
        CheckIn.create(
            {"key_result_id": cls.kr_uptime.id, "value": 84, "confidence": 6}
        )
        CheckIn.create(
            {
                "key_result_id": cls.kr_old.id,
                "value": 10,
                "confidence": 1,
                "date": cls.today - timedelta(days=20),
            }
        )

    def _report_row(self, user, department):
        rows = (
            self.env["okr.adoption.report"]
            .with_user(user)
            .search(
                [
                    ("cycle_id", "=", self.cycle.id),
                    ("department_id", "=", department.id),
                ]
            )
        )
        self.assertEqual(len(rows), 1)
        return rows

    def test_adoption_report_figures(self):
        self.env.flush_all()
        row = self._report_row(self.user_manager, self.dep_prod)
        # Production: the lead and the operator; only the lead owns an active one
        self.assertEqual(row.employee_count, 2)
        self.assertEqual(row.employee_with_objective_count, 1)
        self.assertAlmostEqual(row.adoption_rate, 50.0)
        # three key results, two checked in within 7 days
        self.assertEqual(row.key_result_count, 3)
        self.assertEqual(row.key_result_checked_in_count, 2)
        self.assertAlmostEqual(row.check_in_rate, 200 / 3)
        # two of the three objectives lead up to the company objective
        self.assertEqual(row.objective_count, 3)
        self.assertEqual(row.aligned_objective_count, 2)
        self.assertAlmostEqual(row.alignment_rate, 200 / 3)
        self.assertAlmostEqual(row.mean_confidence, 5.0)  # (8 + 6 + 1) / 3

        ops = self._report_row(self.user_manager, self.dep_ops)
        self.assertEqual(ops.employee_with_objective_count, 1)
        self.assertAlmostEqual(ops.alignment_rate, 100.0)

    def test_adoption_alignment_agrees_with_departments(self):
        """The department form's alignment rate and the report's are one
        definition: they must agree."""
        self.env.flush_all()
        rates = self.env["hr.department"]._okr_alignment_rates([self.cycle.id])
        for department in (self.dep_prod, self.dep_ops):
            row = self._report_row(self.user_manager, department)
            self.assertAlmostEqual(row.alignment_rate / 100, rates[department.id])

    def test_adoption_report_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["okr.adoption.report"].with_user(self.user_lead).search([])

    def test_adoption_report_groups_in_pivot(self):
        groups = (
            self.env["okr.adoption.report"]
            .with_user(self.user_manager)
            ._read_group(
                [("cycle_id", "=", self.cycle.id)],
                ["cycle_id"],
                ["employee_count:sum", "adoption_rate:avg"],
            )
        )
        self.assertEqual(groups[0][0], self.cycle)
        self.assertGreaterEqual(groups[0][1], 4)

    def _export(self, user):
        action = self.cycle.with_user(user).action_export_xlsx()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        # the workbook is its user's, not the cycle's
        self.assertFalse(attachment.res_model)
        self.assertFalse(attachment.res_id)
        self.assertEqual(attachment.create_uid, user)
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))

    def test_xlsx_export(self):
        workbook = self._export(self.user_manager)
        self.assertEqual(
            workbook.sheetnames, ["Objectives", "Key Results", "Check-ins", "Changes"]
        )

        objectives = {
            row[0]: row
            for row in workbook["Objectives"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(len(objectives), 4)
        self.assertEqual(
            objectives["Line 2 uptime"][1],
            "Ship 20% more / Raise line capacity / Line 2 uptime",
        )
        self.assertEqual(objectives["Ship 20% more"][1], "Ship 20% more")
        self.assertEqual(objectives["Line 2 uptime"][2], "Team")

        key_results = list(
            workbook["Key Results"].iter_rows(min_row=2, values_only=True)
        )
        self.assertEqual(len(key_results), 3)
        yield_row = next(row for row in key_results if row[1] == "Yield 92 to 96")
        self.assertEqual(yield_row[0], "Raise line capacity")
        self.assertEqual(yield_row[4:7], (92, 94, 96))
        self.assertAlmostEqual(yield_row[9], 0.5)

        check_ins = list(workbook["Check-ins"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(check_ins), 3)
        yield_check_in = next(row for row in check_ins if row[1] == "Yield 92 to 96")
        self.assertEqual(yield_check_in[3], 94)
        self.assertEqual(yield_check_in[6], 8)
        self.assertEqual(yield_check_in[9], "New die")

    def test_xlsx_export_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.cycle.with_user(self.user_lead).action_export_xlsx()
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "okr.cycle"), ("res_id", "=", self.cycle.id)]
            )
        )

    def test_check_in_history_graph(self):
        action = self.env.ref("okr_management.okr_check_in_action")
        self.assertIn("graph", action.view_mode)
        arch = self.env["okr.check.in"].get_view(view_type="graph")["arch"]
        self.assertIn('type="line"', arch)
