from datetime import timedelta

from odoo.exceptions import AccessError, UserError

from .common import OkrTestCommon


class TestOkrCycleClose(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kr_scrap = cls.env["okr.key.result"].create(
            {
                "name": "Scrap 3 to 1",
                "objective_id": cls.objective.id,
                "direction": "decrease",
                "start_value": 3.0,
                "target_value": 1.0,
                "weight": 3.0,
            }
        )

    def _make_cycle(self, name, key_result_count):
        cycle = self.env["okr.cycle"].create(
            {
                "name": name,
                "date_start": self.today - timedelta(days=30),
                "date_end": self.today + timedelta(days=30),
            }
        )
        cycle.action_start()
        objective = self.env["okr.objective"].create(
            {
                "name": f"Objective of {name}",
                "cycle_id": cycle.id,
                "level": "team",
                "owner_id": self.emp_lead.id,
                "state": "active",
            }
        )
        key_results = self.env["okr.key.result"].create(
            [
                {
                    "name": f"KR {index}",
                    "objective_id": objective.id,
                    "start_value": 0,
                    "target_value": 10,
                }
                for index in range(key_result_count)
            ]
        )
        self.env["okr.check.in"].create(
            [
                {"key_result_id": key_result.id, "value": index % 10}
                for index, key_result in enumerate(key_results)
            ]
        )
        self.env.flush_all()
        return cycle

    def test_close_grades_and_keeps_manager_grades(self):
        self.kr_yield.with_user(self.user_lead).action_check_in(94)  # progress 0.5
        self.kr_scrap.with_user(self.user_lead).action_check_in(2.0)  # progress 0.5
        self.kr_scrap.with_user(self.user_manager).action_grade(0.9)
        self.assertTrue(self.kr_scrap.score_graded)

        self.cycle.with_user(self.user_manager).action_close()

        self.assertEqual(self.cycle.state, "closed")
        self.assertAlmostEqual(self.kr_yield.score, 0.5)
        self.assertFalse(self.kr_yield.score_graded)
        self.assertAlmostEqual(self.kr_scrap.score, 0.9, msg="manager grade kept")
        # weighted: (0.5 * 1 + 0.9 * 3) / 4
        self.assertAlmostEqual(self.objective.score, 0.8)
        self.assertEqual(self.objective.state, "done")

    def test_user_cannot_close(self):
        with self.assertRaises(AccessError):
            self.cycle.with_user(self.user_lead).action_close()
        self.assertEqual(self.cycle.state, "running")

    def test_closing_twice_refused(self):
        self.cycle.action_close()
        with self.assertRaisesRegex(UserError, "already closed"):
            self.cycle.with_user(self.user_manager).action_close()

    def test_check_ins_locked_after_close(self):
        check_in = self.env["okr.check.in"].browse(
            self.kr_yield.with_user(self.user_lead).action_check_in(93)
        )
        self.cycle.with_user(self.user_manager).action_close()
        lead_kr = self.kr_yield.with_user(self.user_lead)
        with self.assertRaisesRegex(UserError, "closed, its check-ins are locked"):
            lead_kr.action_check_in(95)
        with self.assertRaisesRegex(UserError, "Value cannot be written"):
            check_in.with_user(self.user_lead).write({"value": 96})
        with self.assertRaisesRegex(UserError, "closed, its check-ins are locked"):
            check_in.with_user(self.user_manager).unlink()
        self.assertEqual(check_in.value, 93)
        self.assertEqual(self.kr_yield.current_value, 93)

    def test_close_posts_summary(self):
        self.kr_yield.action_check_in(95)  # progress 0.75, scrap 0
        self.cycle.with_user(self.user_manager).action_close()
        summary = self.cycle.message_ids.filtered(
            lambda m: "Cycle closed" in str(m.body)
        )
        self.assertEqual(len(summary), 1)
        self.assertIn("1 objectives and 2 key results", str(summary.body))
        self.assertIn("0.38", str(summary.body))  # mean of 0.75 and 0.0

    def _count_close_queries(self, cycle):
        """Queries to close ``cycle`` as a manager, commit-time work included,
        from cold caches (so the caches are in the same state for every
        measure)."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()
        # the closing manager's groups, as their session already knows them
        self.user_manager.with_user(self.user_manager).has_group(
            "okr_management.group_okr_manager"
        )
        before = self.cr.sql_log_count
        cycle.with_user(self.user_manager).action_close()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - before

    def test_close_queries_do_not_grow_with_key_results(self):
        small = self._make_cycle("Small", 5)
        large = self._make_cycle("Large", 50)
        small_count = self._count_close_queries(small)
        large_count = self._count_close_queries(large)
        self.assertEqual(small_count, large_count)
        scores = large.objective_ids.key_result_ids.sorted("id").mapped("score")
        self.assertEqual(scores[:3], [0.0, 0.1, 0.2])
        self.assertEqual(len(scores), 50)

    def test_close_query_count_pinned(self):
        large = self._make_cycle("Large", 50)
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()
        # cold caches: ir.rule, ir.model and the like are read once
        with self.assertQueryCount(129):
            large.with_user(self.user_manager).action_close()

    def test_target_change_kept_in_chatter(self):
        self.env.flush_all()
        self.env.cr.flush()
        # a running cycle's target changes through an approved request
        change_id = self.kr_yield.with_user(self.user_lead).action_request_change(
            {"target_value": 97}, "New die"
        )
        self.env["okr.key.result.change"].browse(change_id).with_user(
            self.user_manager
        ).action_approve()
        self.env.flush_all()
        self.env.cr.flush()  # runs the tracking at commit time
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id", "in", self.kr_yield.message_ids.ids),
                ("field_id.name", "=", "target_value"),
            ]
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_float, 96)
        self.assertEqual(tracking.new_value_float, 97)
        # a user who can read the key result sees the old value in its chatter
        messages = self.kr_yield.with_user(self.user_qa).message_ids
        self.assertIn(tracking.mail_message_id, messages)
