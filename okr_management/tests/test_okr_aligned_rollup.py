from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import OkrTestCommon


class TestAlignedRollup(OkrTestCommon):
    """A key result fed by its aligned objectives moves when they move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_objective = cls.env["okr.objective"].create(
            {
                "name": "Capacity +20%",
                "cycle_id": cls.cycle.id,
                "level": "company",
                "owner_id": cls.emp_manager.id,
                "state": "active",
            }
        )
        cls.kr_departments = cls.env["okr.key.result"].create(
            {
                "name": "Departments deliver their part",
                "objective_id": cls.company_objective.id,
                "source": "aligned",
                "start_value": 0,
                "target_value": 100,
                "unit": "%",
            }
        )
        cls.objective.write(
            {
                "parent_id": cls.company_objective.id,
                "parent_key_result_id": cls.kr_departments.id,
            }
        )

    def test_check_in_on_child_moves_parent_objective(self):
        self.assertEqual(self.kr_departments.current_value, 0)
        self.kr_yield.with_user(self.user_lead).action_check_in(94)  # 50 %
        self.assertAlmostEqual(self.objective.progress, 0.5)
        self.assertAlmostEqual(self.kr_departments.current_value, 50.0)
        self.assertAlmostEqual(self.company_objective.progress, 0.5)
        system_check_in = self.kr_departments.check_in_ids
        self.assertEqual(len(system_check_in), 1)
        self.assertEqual(system_check_in.source, "aligned")
        self.assertIn("aligned objectives", system_check_in.note)

    def test_second_aligned_objective_averages(self):
        other = self.env["okr.objective"].create(
            {
                "name": "Quality part",
                "cycle_id": self.cycle.id,
                "level": "department",
                "owner_id": self.emp_qa.id,
                "parent_id": self.company_objective.id,
                "parent_key_result_id": self.kr_departments.id,
                "state": "active",
            }
        )
        kr = self.env["okr.key.result"].create(
            {
                "name": "Audits",
                "objective_id": other.id,
                "start_value": 0,
                "target_value": 4,
            }
        )
        kr.with_user(self.user_qa).action_check_in(4)  # 100 %
        self.kr_yield.with_user(self.user_lead).action_check_in(92)  # 0 %
        self.assertAlmostEqual(self.kr_departments.current_value, 50.0)
        # cancelling an aligned objective takes it out of the mean
        other.action_cancel()
        self.assertAlmostEqual(self.kr_departments.current_value, 0.0)

    def test_manual_check_in_refused(self):
        with self.assertRaisesRegex(UserError, "cannot be checked in by hand"):
            self.kr_departments.with_user(self.user_manager).action_check_in(80)
        self.assertFalse(self.kr_departments.check_in_ids)

    def test_unaligning_updates_the_parent(self):
        self.kr_yield.action_check_in(96)
        self.assertEqual(self.kr_departments.current_value, 100)
        self.objective.parent_key_result_id = False
        # no aligned objective left: the value stays as last recorded
        self.assertEqual(self.kr_departments.current_value, 100)
        self.assertEqual(len(self.kr_departments.check_in_ids), 1)

    def test_no_reminder_and_no_team_line_for_computed_key_results(self):
        activity_type = self.env.ref("okr_management.mail_activity_type_okr_check_in")
        self.kr_departments.owner_id = self.emp_manager
        with freeze_time(self.today + timedelta(days=30)):
            self.env["okr.key.result"]._cron_send_reminders()
        reminded = self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.key.result"),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        self.assertIn(self.kr_yield.id, reminded.mapped("res_id"))
        self.assertNotIn(self.kr_departments.id, reminded.mapped("res_id"))
        # the manager's team check-in lists the manual key results only
        wizard = (
            self.env["okr.team.check.in"]
            .with_user(self.user_manager)
            .create({"team_type": "reports", "cycle_id": self.cycle.id})
        )
        listed = wizard.line_ids.key_result_id
        self.assertIn(self.kr_yield, listed)
        self.assertNotIn(self.kr_departments, listed)
