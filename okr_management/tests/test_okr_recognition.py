from odoo.exceptions import UserError

from .common import OkrTestCommon


class TestOkrRecognition(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.badge = cls.env.ref("okr_management.badge_okr_target_reached")

    def _commit_hooks(self):
        self.env.flush_all()
        self.env.cr.flush()

    def _badges(self, user):
        return self.env["gamification.badge.user"].search(
            [("badge_id", "=", self.badge.id), ("user_id", "=", user.id)]
        )

    def _announcements(self):
        return self.objective.message_ids.filtered(
            lambda m: "Target reached!" in str(m.body)
        )

    def test_badge_when_target_reached_once(self):
        self._commit_hooks()
        lead_kr = self.kr_yield.with_user(self.user_lead)
        lead_kr.action_check_in(95)
        self._commit_hooks()
        self.assertFalse(self._badges(self.user_lead))
        self.assertFalse(self.kr_yield.target_reached_date)

        lead_kr.action_check_in(96)
        self._commit_hooks()
        badge = self._badges(self.user_lead)
        self.assertEqual(len(badge), 1)
        self.assertIn(self.kr_yield.name, badge.comment)
        self.assertEqual(self.kr_yield.target_reached_date, self.today)
        announcement = self._announcements()
        self.assertEqual(len(announcement), 1)
        self.assertIn("Line Lead", str(announcement.body))
        # the owner sees their badge
        self.assertEqual(
            self.env["gamification.badge.user"]
            .with_user(self.user_lead)
            .search([("id", "=", badge.id)]),
            badge,
        )

        # beyond the target, down and up again: still one badge
        lead_kr.action_check_in(97)
        self._commit_hooks()
        lead_kr.action_check_in(94)
        self._commit_hooks()
        lead_kr.action_check_in(96)
        self._commit_hooks()
        self.assertEqual(len(self._badges(self.user_lead)), 1)
        self.assertEqual(len(self._announcements()), 1)

    def test_no_badge_without_check_in(self):
        self.env["okr.key.result"].create(
            {
                "name": "Backlog at most 2%",
                "objective_id": self.objective.id,
                "direction": "maintain",
                "start_value": 1,
                "target_value": 2,
            }
        )
        self._commit_hooks()
        self.assertFalse(self._badges(self.user_lead))

    def test_users_cannot_grant_the_badge_by_hand(self):
        wizard_model = self.env["gamification.badge.user.wizard"].with_user(
            self.user_qa
        )
        wizard = wizard_model.create(
            {"badge_id": self.badge.id, "user_id": self.user_worker.id}
        )
        with self.assertRaisesRegex(UserError, "can not be sent by users"):
            wizard.action_grant_badge()
        self.assertFalse(self._badges(self.user_worker))
