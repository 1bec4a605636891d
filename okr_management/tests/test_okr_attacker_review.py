"""Holes found by an attacker's review of the whole suite, closed: each tried
as an ordinary user in a fresh environment (as over RPC), asserting the
refusal and that nothing changed."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OkrTestCommon

HUGE = 10**400  # an integer beyond any float


@tagged("post_install", "-at_install")
class TestOkrAttackerReview(OkrTestCommon):
    def _as(self, user, record):
        self.env.invalidate_all()
        return record.with_env(self.env(user=user, su=False))

    def test_huge_integers_are_refused_naming_the_value(self):
        key_result = self._as(self.user_lead, self.kr_yield)
        with self.assertRaisesRegex(UserError, "^Value: a finite number"):
            key_result.action_check_in(HUGE)
        with self.assertRaisesRegex(UserError, "^Confidence: a finite number"):
            key_result.action_check_in(95, confidence=HUGE)
        answers = key_result.action_check_in_batch(
            [
                {"key_result_id": self.kr_yield.id, "value": HUGE},
                {"key_result_id": self.kr_yield.id, "value": 95},
            ]
        )
        self.assertEqual([a["status"] for a in answers], ["refused", "created"])
        self.assertIn("finite number", answers[0]["error"])
        self.assertEqual(len(self.kr_yield.check_in_ids), 1)

    def test_many2one_given_as_a_list_is_refused(self):
        Wizard = self.env(user=self.user_lead)["okr.check.in.wizard"]
        with self.assertRaisesRegex(ValidationError, "must be the id of a record"):
            Wizard.create({"key_result_id": [self.kr_yield.id, "x"]})
        self.assertFalse(self.env["okr.check.in.wizard"].search([]))

    def test_running_objective_not_cancelled_nor_archived_with_key_results(self):
        objective = self._as(self.user_lead, self.objective)
        for vals in ({"state": "cancelled"}, {"active": False}):
            with self.assertRaisesRegex(UserError, "request their deletion"):
                objective.write(vals)
        with self.assertRaisesRegex(UserError, "request their deletion"):
            objective.action_cancel()
        self.env.invalidate_all()
        self.assertEqual(self.objective.state, "active")
        self.assertTrue(self.objective.active)

    def test_running_milestones_keep_their_weights(self):
        due = self.today
        key_result = self.env["okr.key.result"].create(
            {
                "name": "Line 3 commissioned",
                "objective_id": self.objective.id,
                "metric_type": "milestone",
                "milestone_ids": [
                    (0, 0, {"name": "Installed", "weight": 1, "date_deadline": due}),
                    (
                        0,
                        0,
                        {"name": "Tested", "weight": 1, "date_deadline": self.today},
                    ),
                ],
            }
        )
        first, second = key_result.milestone_ids
        self._as(self.user_lead, first).action_done()
        self.assertEqual(key_result.current_value, 50)
        with self.assertRaisesRegex(UserError, "weight cannot change"):
            self._as(self.user_lead, first).write({"weight": 1000})
        with self.assertRaisesRegex(UserError, "milestones cannot change"):
            self._as(self.user_lead, second).unlink()
        self.env.invalidate_all()
        self.assertEqual(first.weight, 1)
        self.assertTrue(second.exists())
        self.assertEqual(key_result.current_value, 50)


@tagged("post_install", "-at_install")
class TestOkrAttackerReviewKpi(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dep_line = cls.env["hr.department"].create(
            {"name": "Line 9 Test", "parent_id": cls.dep_prod.id}
        )
        cls.kpi_line = cls.env["okr.kpi"].create(
            {
                "name": "On-time line 9",
                "category": "delivery",
                "tier": "1",
                "department_id": cls.dep_line.id,
                "user_id": cls.user_worker.id,
                "band_min": 90.0,
                "visibility": "public",
            }
        )
        cls.kpi_line.action_record(80.0)  # red: an open action
        Share = cls.env["okr.board.share"].with_user(cls.user_manager)
        cls.share_1 = Share.create(
            {
                "name": "Line 9 screen",
                "scope": "tier",
                "tier": "1",
                "department_id": cls.dep_line.id,
            }
        )
        cls.share_2 = Share.create(
            {
                "name": "Production screen",
                "scope": "tier",
                "tier": "2",
                "department_id": cls.dep_prod.id,
            }
        )

    def test_archived_kpi_left_off_the_tier_boards(self):
        self.assertIn("On-time line 9", str(self.share_1._get_board_data()))
        self.assertIn("Line 9 Test", str(self.share_2._get_board_data()["rollup"]))
        self.kpi_line.active = False
        data = self.share_1._get_board_data()
        self.assertNotIn("On-time line 9", str(data))
        self.assertEqual(data["actions"], [])
        self.assertNotIn("Line 9 Test", str(self.share_2._get_board_data()["rollup"]))

    def test_kpi_counts_only_readable_key_results(self):
        objective = self.env["okr.objective"].create(
            {
                "name": "Secret plan",
                "cycle_id": self.cycle.id,
                "level": "individual",
                "owner_id": self.emp_manager.id,
                "visibility": "private",
                "state": "active",
            }
        )
        self.env["okr.key.result"].create(
            {
                "name": "Secret on-time",
                "objective_id": objective.id,
                "source": "kpi",
                "kpi_id": self.kpi_line.id,
                "start_value": 0,
                "target_value": 100,
            }
        )
        self.assertEqual(self.kpi_line.key_result_count, 1)
        kpi = self.env(user=self.user_worker)["okr.kpi"].browse(self.kpi_line.id)
        self.assertEqual(kpi.key_result_count, 0)
