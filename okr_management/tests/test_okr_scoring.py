from odoo.exceptions import AccessError

from .common import OkrTestCommon


class TestOkrScoring(OkrTestCommon):
    def _set_scale(self, scale):
        self.env["res.config.settings"].create({"okr_score_scale": scale}).execute()
        self.env.invalidate_all()  # as the next request would

    def _close_at_0_7(self):
        self.kr_yield.with_user(self.user_lead).action_check_in(94.8)  # 0.7
        self.cycle.with_user(self.user_manager).action_close()

    def test_unit_scale_is_the_default(self):
        self._close_at_0_7()
        kr = self.kr_yield.with_user(self.user_worker)
        self.assertAlmostEqual(kr.score, 0.7)
        self.assertEqual(kr.score_display, "0.70")
        self.assertEqual(
            self.objective.with_user(self.user_worker).score_display, "0.70"
        )

    def test_five_scale_displays_but_stores_unit(self):
        self._set_scale("five")
        self._close_at_0_7()
        kr = self.kr_yield.with_user(self.user_worker)
        self.assertAlmostEqual(kr.score, 0.7, msg="storage stays 0.0-1.0")
        self.assertEqual(kr.score_display, "3.8 / 5")
        self.assertEqual(
            self.objective.with_user(self.user_lead).score_display, "3.8 / 5"
        )
        summary = self.cycle.message_ids.filtered(
            lambda m: "Cycle closed" in str(m.body)
        )
        self.assertIn("3.8 / 5", str(summary.body))

        self._set_scale("unit")
        self.assertEqual(
            self.kr_yield.with_user(self.user_worker).score_display, "0.70"
        )

    def test_five_scale_bounds(self):
        self._set_scale("five")
        self.assertEqual(self.env["okr.objective"]._format_score(0.0), "1.0 / 5")
        self.assertEqual(self.env["okr.objective"]._format_score(1.0), "5.0 / 5")

    def test_only_admins_change_the_scale(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_manager).create(
                {"okr_score_scale": "five"}
            )
        self.assertEqual(self.env["okr.objective"]._get_score_scale(), "unit")

    def test_manager_grade_displayed_in_scale(self):
        self._set_scale("five")
        self.kr_yield.with_user(self.user_manager).action_grade(0.5)
        self.assertEqual(
            self.kr_yield.with_user(self.user_lead).score_display, "3.0 / 5"
        )
        with self.assertRaises(AccessError):
            self.kr_yield.with_user(self.user_qa).action_grade(0.9)
        self.assertAlmostEqual(self.kr_yield.score, 0.5)
