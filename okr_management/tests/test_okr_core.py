from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import OkrTestCommon


class TestOkrCore(OkrTestCommon):
    def test_progress_increase_clamped(self):
        self.kr_yield.action_check_in(94)
        self.assertAlmostEqual(self.kr_yield.progress, 0.5)
        self.kr_yield.action_check_in(99)
        self.assertEqual(self.kr_yield.progress, 1.0)
        self.assertAlmostEqual(self.objective.progress, 1.0)

    def test_progress_decrease(self):
        kr = self.env["okr.key.result"].create(
            {
                "name": "Scrap 3.2 to 1.0",
                "objective_id": self.objective.id,
                "direction": "decrease",
                "start_value": 3.2,
                "target_value": 1.0,
            }
        )
        kr.action_check_in(2.1)
        self.assertAlmostEqual(kr.progress, 0.5)

    def test_target_on_wrong_side_refused(self):
        with self.assertRaisesRegex(ValidationError, "Target Value"):
            self.env["okr.key.result"].create(
                {
                    "name": "Bad",
                    "objective_id": self.objective.id,
                    "direction": "decrease",
                    "start_value": 1.0,
                    "target_value": 3.0,
                }
            )

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "End Date"):
            self.env["okr.cycle"].create(
                {
                    "name": "Bad",
                    "date_start": self.today,
                    "date_end": self.today - timedelta(days=1),
                }
            )

    def test_backdated_check_in_does_not_override(self):
        self.kr_yield.action_check_in(95)
        self.env["okr.check.in"].create(
            {
                "key_result_id": self.kr_yield.id,
                "value": 93,
                "date": self.today - timedelta(days=10),
            }
        )
        self.assertEqual(self.kr_yield.current_value, 95)

    def test_worker_cannot_check_in_on_leads_kr(self):
        with self.assertRaises(AccessError):
            self.kr_yield.with_user(self.user_qa).action_check_in(93)
        # the lead owns it, the manager manages the lead
        self.kr_yield.with_user(self.user_lead).action_check_in(93)
        self.kr_yield.with_user(self.user_manager).action_check_in(94)
        self.assertEqual(self.kr_yield.current_value, 94)

    def test_non_numeric_value_refused(self):
        with self.assertRaisesRegex(UserError, "Value"):
            self.kr_yield.action_check_in("abc")
        self.assertFalse(self.kr_yield.check_in_ids)
