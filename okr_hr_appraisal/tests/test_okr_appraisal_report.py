import base64
import io
from datetime import timedelta

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OkrAppraisalCommon


@tagged("post_install", "-at_install")
class TestOkrAppraisalReport(OkrAppraisalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraisal = cls._create_appraisal(cls)

    def _report_row(self, appraisal=None):
        self.env["okr.appraisal.report"].invalidate_model()
        row = (
            self.env["okr.appraisal.report"]
            .with_user(self.user_hr)
            .search([("appraisal_id", "=", (appraisal or self.appraisal).id)])
        )
        self.assertEqual(len(row), 1)
        return row

    def _weeks_in_cycles(self, appraisal):
        """Calendar weeks of the period, up to today, in which one of the
        appraisal's key results was in its cycle."""
        end = min(appraisal.okr_period_end, self.today)
        week = appraisal.okr_period_start - timedelta(
            days=appraisal.okr_period_start.weekday()
        )
        cycles = appraisal.sudo().okr_line_ids.cycle_id
        weeks = []
        while week <= end:
            if any(
                cycle.date_start <= week + timedelta(days=6) and cycle.date_end >= week
                for cycle in cycles
            ):
                weeks.append(week)
            week += timedelta(days=7)
        return weeks

    def test_report_row(self):
        row = self._report_row()
        self.assertEqual(row.employee_id, self.emp_staff)
        self.assertEqual(row.department_id, self.department)
        self.assertEqual(row.date_close, self.appraisal.date_close)
        self.assertAlmostEqual(row.okr_score, self.appraisal.okr_score)
        self.assertEqual(row.key_result_count, 3)
        # check-ins of the fixture: one week in the running cycle (today), one
        # in the closed cycle (its last day)
        weeks = self._weeks_in_cycles(self.appraisal)
        self.assertAlmostEqual(row.check_in_regularity, 2 / len(weeks))

    def test_regularity_counts_weeks_not_check_ins(self):
        before = self._report_row().check_in_regularity
        weeks = self._weeks_in_cycles(self.appraisal)
        # a second check-in in a week that has one already changes nothing
        self.kr_private.action_check_in(30)
        self.assertAlmostEqual(self._report_row().check_in_regularity, before)
        # a check-in three weeks ago adds a week
        check_in_id = self.kr_public.action_check_in(60)
        self.env["okr.check.in"].browse(check_in_id).date = self.today - timedelta(
            days=21
        )
        self.assertAlmostEqual(
            self._report_row().check_in_regularity, before + 1 / len(weeks)
        )

    def test_regularity_frozen_with_the_appraisal(self):
        self.appraisal.with_user(self.user_boss).action_confirm()
        self.appraisal.with_user(self.user_boss).action_done()
        row = self._report_row()
        before = row.check_in_regularity
        self.assertTrue(row.okr_score_frozen)
        self.assertTrue(before)
        check_in_id = self.kr_public.action_check_in(60)
        self.env["okr.check.in"].browse(check_in_id).date = self.today - timedelta(
            days=21
        )
        self.assertAlmostEqual(self._report_row().check_in_regularity, before)
        self.appraisal.with_user(self.user_boss).action_back()
        self.assertGreater(self._report_row().check_in_regularity, before)

    def test_pivot_per_department(self):
        other = self._create_appraisal(employee=self.emp_boss)
        groups = (
            self.env["okr.appraisal.report"]
            .with_user(self.user_hr)
            ._read_group(
                [("appraisal_id", "in", (self.appraisal | other).ids)],
                ["department_id"],
                ["okr_score:avg", "key_result_count:sum", "__count"],
            )
        )
        self.assertEqual(len(groups), 1)
        department, score, key_results, count = groups[0]
        self.assertEqual(department, self.department)
        self.assertEqual(count, 2)
        self.assertEqual(key_results, 4)
        self.assertAlmostEqual(score, (self.appraisal.okr_score + other.okr_score) / 2)

    def test_xlsx_export(self):
        wizard = (
            self.env["okr.appraisal.report.export"]
            .with_user(self.user_hr)
            .create({"department_ids": [(6, 0, self.department.ids)]})
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = (
            self.env["ir.attachment"].with_user(self.user_hr).browse(attachment_id)
        )
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(attachment.datas))
        )
        sheet = workbook.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0],
            (
                "Employee",
                "Department",
                "Appraisal Date",
                "OKR Reference Score",
                "OKR Reference Score (scale)",
                "Key Results",
                "Check-in Regularity",
            ),
        )
        self.assertEqual(len(rows), 2)
        row = self._report_row()
        employee, department, date, score, score_scale, key_results, regularity = rows[
            1
        ]
        self.assertEqual(employee, "Staff")
        self.assertEqual(department, self.department.name)
        self.assertEqual(date.date(), self.appraisal.date_close)
        self.assertAlmostEqual(score, self.appraisal.okr_score)
        self.assertEqual(score_scale, f"{self.appraisal.okr_score:.2f}")
        self.assertEqual(key_results, 3)
        self.assertAlmostEqual(regularity, row.check_in_regularity)

    def test_xlsx_export_bad_input(self):
        Export = self.env["okr.appraisal.report.export"].with_user(self.user_hr)
        with self.assertRaisesRegex(ValidationError, "Appraisals To"):
            Export.create(
                {"date_from": self.today, "date_to": self.today - timedelta(1)}
            )
        wizard = Export.create({"date_from": self.today + timedelta(days=4000)})
        with self.assertRaisesRegex(UserError, "nothing to export"):
            wizard.action_export()
