"""The demo database holds a real factory quarter (issue 14): what the README
and the user guide promise of it."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoQuarter(TransactionCase):
    def test_running_quarter(self):
        cycle = self.env.ref("okr_management.cycle_current_quarter")
        self.assertEqual(cycle.state, "running")
        objectives = cycle.objective_ids
        self.assertGreaterEqual(len(objectives), 20)
        self.assertGreaterEqual(len(objectives.department_id), 5)
        self.assertEqual(
            set(objectives.mapped("level")),
            {"company", "department", "team", "individual"},
        )
        below_company = objectives.filtered(lambda o: o.level != "company")
        self.assertTrue(all(below_company.mapped("parent_id")), "every one aligned")
        key_results = self.env["okr.key.result"].search([("cycle_id", "=", cycle.id)])
        weeks = {
            key_result: {
                check_in.date.isocalendar()[:2] for check_in in key_result.check_in_ids
            }
            for key_result in key_results
        }
        weekly = [key_result for key_result, seen in weeks.items() if len(seen) >= 8]
        self.assertGreaterEqual(len(weekly), 60, "60 key results checked in 8 weeks")
        self.assertEqual(
            set(key_results.mapped("status")), {"on_track", "at_risk", "off_track"}
        )
        self.assertTrue(key_results.filtered(lambda kr: kr.metric_type == "milestone"))
        self.assertTrue(key_results.filtered("is_computed"))
        commitments = self.env["okr.commitment"].search([("cycle_id", "=", cycle.id)])
        self.assertEqual(
            set(commitments.mapped("state")), {"open", "done", "cancelled"}
        )
        self.assertTrue(commitments.filtered("is_overdue"))

    def test_closed_previous_quarter(self):
        cycle = self.env.ref("okr_management.cycle_previous_quarter")
        self.assertEqual(cycle.state, "closed")
        self.assertTrue(all(cycle.objective_ids.mapped("retro_decision")))
        key_results = self.env["okr.key.result"].search([("cycle_id", "=", cycle.id)])
        self.assertTrue(all(key_results.mapped("result")), "every one graded")
        self.assertEqual(len(key_results.filtered("score_graded")), 2)
        carried = cycle.objective_ids.filtered(
            lambda o: o.retro_decision in ("keep", "modify")
        )
        copies = carried.carried_to_ids
        self.assertEqual(len(copies), len(carried))
        self.assertEqual(
            copies.cycle_id, self.env.ref("okr_management.cycle_current_quarter")
        )
        self.assertEqual(set(copies.mapped("state")), {"active"})
        self.assertTrue(all(copies.key_result_ids.mapped("check_in_ids")))
