from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OkrAppraisalCommon

# running: progress counts (2 x 0.5, 1 x 0.25); closed: graded score (1 x 0.9)
EXPECTED_SCORE = (2 * 0.5 + 1 * 0.25 + 1 * 0.9) / 4
# unlink the lines, re-list the key results, create and compute lines (with
# the approved target changes of their key results, one query) and score
REFRESH_QUERIES = 20


@tagged("post_install", "-at_install")
class TestOkrAppraisalScore(OkrAppraisalCommon):
    def test_weighted_mean_of_score_and_progress(self):
        appraisal = self._create_appraisal()
        self.assertAlmostEqual(appraisal.okr_score, EXPECTED_SCORE)
        self.assertEqual(appraisal.okr_key_result_count, 3)
        self.assertEqual(appraisal.okr_weight_total, 4.0)
        lines = appraisal.sudo().okr_line_ids
        self.assertEqual(
            lines.key_result_id, self.kr_public | self.kr_private | self.kr_closed
        )
        closed_line = lines.filtered(lambda line: line.key_result_id == self.kr_closed)
        self.assertTrue(closed_line.cycle_closed)
        self.assertAlmostEqual(closed_line.progress, 0.5)
        self.assertAlmostEqual(closed_line.score, 0.9, msg="graded score counts")
        running_line = lines.filtered(lambda line: line.key_result_id == self.kr_public)
        self.assertFalse(running_line.cycle_closed)
        self.assertAlmostEqual(running_line.score, 0.5, msg="progress counts")
        self.assertEqual(running_line.objective_name, "Public objective")
        self.assertEqual(running_line.cycle_name, "Running Cycle")

    def test_score_displayed_in_company_scale(self):
        appraisal = self._create_appraisal()
        self.assertEqual(appraisal.okr_score_display, f"{EXPECTED_SCORE:.2f}")
        self.env["ir.config_parameter"].sudo().set_param(
            "okr_management.score_scale", "five"
        )
        appraisal.invalidate_recordset(["okr_score_display"])
        self.assertEqual(
            appraisal.okr_score_display, f"{1 + 4 * EXPECTED_SCORE:.1f} / 5"
        )

    def test_default_period_twelve_months(self):
        appraisal = self._create_appraisal(date_close=self.today + timedelta(days=10))
        self.assertEqual(appraisal.okr_period_end, self.today + timedelta(days=10))
        self.assertEqual(
            appraisal.okr_period_start,
            fields.Date.add(self.today + timedelta(days=10), months=-12),
        )

    def test_default_period_from_previous_appraisal(self):
        previous = self._create_appraisal(date_close=self.today - timedelta(days=100))
        appraisal = self._create_appraisal()
        self.assertEqual(appraisal.okr_period_start, previous.date_close)
        # the closed cycle ended before the previous appraisal: it no longer counts
        self.assertEqual(
            appraisal.sudo().okr_line_ids.key_result_id,
            self.kr_public | self.kr_private,
        )
        self.assertAlmostEqual(appraisal.okr_score, (2 * 0.5 + 0.25) / 3)

    def test_period_overlap_and_edit(self):
        appraisal = self._create_appraisal()
        appraisal.with_user(self.user_boss).okr_period_start = self.today - timedelta(
            days=100
        )
        self.assertEqual(
            appraisal.sudo().okr_line_ids.key_result_id,
            self.kr_public | self.kr_private,
        )
        appraisal.with_user(self.user_boss).okr_period_start = self.today - timedelta(
            days=110
        )
        self.assertIn(
            self.kr_closed,
            appraisal.sudo().okr_line_ids.key_result_id,
            "a cycle ending on the first day of the period overlaps it",
        )

    def test_period_end_before_start_refused(self):
        appraisal = self._create_appraisal()
        with self.assertRaisesRegex(ValidationError, "OKR Period End"):
            appraisal.with_user(self.user_boss).write(
                {"okr_period_end": appraisal.okr_period_start - timedelta(days=1)}
            )

    def test_no_key_result_gives_zero(self):
        appraisal = self._create_appraisal(employee=self.emp_peer)
        self.assertFalse(appraisal.sudo().okr_line_ids)
        self.assertEqual(appraisal.okr_score, 0.0)

    def test_live_while_open(self):
        appraisal = self._create_appraisal()
        self.kr_public.action_check_in(100)
        self.assertAlmostEqual(appraisal.okr_score, (2 * 1.0 + 0.25 + 0.9) / 4)
        new_kr = self.env["okr.key.result"].create(
            {"name": "New KR", "objective_id": self.obj_public.id, "target_value": 10}
        )
        self.assertIn(new_kr, appraisal.sudo().okr_line_ids.key_result_id)
        new_kr.unlink()
        self.assertEqual(appraisal.okr_key_result_count, 3)

    def test_freeze_on_complete_and_thaw_on_reopen(self):
        appraisal = self._create_appraisal()
        period = (appraisal.okr_period_start, appraisal.okr_period_end)
        as_boss = appraisal.with_user(self.user_boss)
        as_boss.action_confirm()
        self.assertFalse(appraisal.okr_score_frozen)
        as_boss.action_done()
        self.assertEqual(appraisal.state, "3_done")
        self.assertEqual(appraisal.date_close, self.today, "hr_appraisal_oca's rule")
        self.assertTrue(appraisal.okr_score_frozen)
        self.assertEqual((appraisal.okr_period_start, appraisal.okr_period_end), period)

        # later OKR changes do not touch the completed appraisal
        self.kr_public.action_check_in(100)
        self.kr_public.name = "Renamed"
        self.kr_private.weight = 5
        self.env["okr.key.result"].create(
            {"name": "New KR", "objective_id": self.obj_public.id, "target_value": 10}
        )
        # deleted while the cycle runs: a closed cycle keeps its key results
        self.kr_private.unlink()
        self.cycle_running.action_close()
        self.assertAlmostEqual(appraisal.okr_score, EXPECTED_SCORE)
        lines = appraisal.sudo().okr_line_ids
        self.assertEqual(len(lines), 3)
        self.assertIn("Output", lines.mapped("key_result_name"))
        self.assertIn("Private KR", lines.mapped("key_result_name"))
        with self.assertRaisesRegex(ValidationError, "OKR Period"):
            as_boss.okr_period_start = self.today - timedelta(days=30)

        as_boss.action_back()
        self.assertFalse(appraisal.okr_score_frozen)
        lines = appraisal.sudo().okr_line_ids
        self.assertEqual(len(lines), 3, "deleted KR gone, new KR in")
        self.assertIn("Renamed", lines.mapped("key_result_name"))
        # running cycle now closed: graded scores (= progress at close) count
        self.assertAlmostEqual(appraisal.okr_score, (2 * 1.0 + 0.0 + 0.9) / 4)

    def test_completion_writes_nothing_else(self):
        template = self.env["hr.appraisal.template"].create(
            {
                "description": "Yearly",
                "appraisal_employee_feedback_template": "<p>Self</p>",
                "appraisal_manager_feedback_template": "<p>Manager</p>",
            }
        )
        appraisal = self._create_appraisal(appraisal_template_id=template.id)
        appraisal.manager_feedback = "<p>Great year</p>"
        before = appraisal.read(
            [
                "employee_feedback",
                "manager_feedback",
                "appraisal_template_id",
                "manager_ids",
                "visibility",
                "tag_ids",
            ]
        )
        as_boss = appraisal.with_user(self.user_boss)
        as_boss.action_confirm()
        as_boss.action_done()
        self.assertEqual(appraisal.read([*before[0]]), before)
        as_boss.action_back()
        self.assertEqual(appraisal.state, "1_new")
        self.assertEqual(appraisal.read([*before[0]]), before)

    def test_settings_switch_hides_okr(self):
        open_appraisal = self._create_appraisal()
        done_appraisal = self._create_appraisal(employee=self.emp_staff)
        done_appraisal.with_user(self.user_boss).action_confirm()
        done_appraisal.with_user(self.user_boss).action_done()
        self.assertFalse(open_appraisal.okr_hidden)

        self.env["res.config.settings"].create(
            {"okr_appraisal_hide_okr": True}
        ).execute()
        open_appraisal.invalidate_recordset(["okr_hidden"])
        self.assertTrue(open_appraisal.okr_hidden)
        self.assertFalse(open_appraisal.sudo().okr_line_ids)
        self.assertEqual(open_appraisal.okr_score, 0.0)
        self.assertEqual(
            len(done_appraisal.sudo().okr_line_ids),
            3,
            "frozen data is kept, only hidden",
        )
        self.assertFalse(
            self.env["okr.appraisal.report"].with_user(self.user_hr).search([])
        )
        new_appraisal = self._create_appraisal(
            date_close=self.today + timedelta(days=60)
        )
        self.assertFalse(new_appraisal.sudo().okr_line_ids, "no lines computed")

        self.env["res.config.settings"].create(
            {"okr_appraisal_hide_okr": False}
        ).execute()
        self.assertEqual(len(open_appraisal.sudo().okr_line_ids), 3)
        self.assertAlmostEqual(open_appraisal.okr_score, EXPECTED_SCORE)

    def _measure_refresh(self, appraisal):
        """Queries to rebuild an appraisal's lines from scratch, as its
        manager: re-list the key results and recompute lines and score."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        appraisal.sudo().okr_line_ids.unlink()
        appraisal.with_user(self.user_boss).action_okr_refresh()
        self.assertTrue(appraisal.okr_score)
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_sync_query_count_does_not_grow_with_key_results(self):
        counts = {}
        for size in (5, 50):
            employee = self.env["hr.employee"].create(
                {"name": f"Employee {size}", "parent_id": self.emp_boss.id}
            )
            objective = self._create_objective(
                f"Objective {size}", self.cycle_running, owner=employee
            )
            key_results = self.env["okr.key.result"].create(
                [
                    {"name": f"KR {index}", "objective_id": objective.id}
                    for index in range(size)
                ]
            )
            for key_result in key_results:
                key_result.action_check_in(0.5)
            appraisal = self._create_appraisal(employee=employee)
            self._measure_refresh(appraisal)  # warm up
            counts[size] = self._measure_refresh(appraisal)
            self.assertEqual(appraisal.okr_key_result_count, size)
            self.assertAlmostEqual(appraisal.okr_score, 0.5)
        # same count for 5 and 50 key results: no query per key result or line
        self.assertEqual(counts, {5: REFRESH_QUERIES, 50: REFRESH_QUERIES})
