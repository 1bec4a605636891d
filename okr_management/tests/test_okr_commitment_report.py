from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrResponsibilityReport(OkrTestCommon):
    """Quality and Ops commit to Production's objective; the figures of the
    report against a count by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objective.visibility = "department"
        today = cls.today

        def commit(name, department, deadline, done=None, cancel=False):
            commitment = cls.env["okr.commitment"].create(
                {
                    "name": name,
                    "objective_id": cls.objective.id,
                    "department_id": department.id,
                    "user_id": cls.user_qa.id,
                    "date_deadline": today + timedelta(days=deadline),
                }
            )
            if done is not None:
                commitment.write(
                    {"state": "done", "date_done": today + timedelta(days=done)}
                )
            if cancel:
                commitment.action_cancel()
            return commitment

        # Quality: 5 given (1 cancelled, left out): done on time, done 4 days
        # late, done 2 days late, open overdue by 3 days, open not due
        commit("On time", cls.dep_qa, -10, done=-12)
        commit("Late 4", cls.dep_qa, -20, done=-16)
        commit("Late 2", cls.dep_qa, -8, done=-6)
        commit("Overdue 3", cls.dep_qa, -3)
        commit("Not due", cls.dep_qa, 5)
        commit("Dropped", cls.dep_qa, -5, cancel=True)
        # Ops: one done on its deadline
        commit("Ops on the day", cls.dep_ops, -1, done=-1)

    def _row(self, department):
        Report = self.env["okr.responsibility.report"]
        groups = Report._read_group(
            [("cycle_id", "=", self.cycle.id), ("department_id", "=", department.id)],
            [],
            [
                "commitment_count:sum",
                "open_count:sum",
                "done_count:sum",
                "overdue_count:sum",
                "on_time_rate:avg",
                "days_late:avg",
            ],
        )
        return groups[0]

    def test_figures_match_a_hand_count(self):
        given, open_, done, overdue, on_time, days_late = self._row(self.dep_qa)
        self.assertEqual((given, open_, done, overdue), (5, 2, 3, 1))
        # 1 of the 3 done was done by its deadline
        self.assertAlmostEqual(on_time, 100.0 / 3)
        # late ones: 4, 2 and 3 (the overdue one, until today)
        self.assertAlmostEqual(days_late, 3.0)
        given, open_, done, overdue, on_time, days_late = self._row(self.dep_ops)
        self.assertEqual((given, open_, done, overdue), (1, 0, 1, 0))
        self.assertAlmostEqual(on_time, 100.0)
        self.assertFalse(days_late)

    def test_report_sees_pending_writes(self):
        commitment = self.env["okr.commitment"].search(
            [("name", "=", "Overdue 3"), ("objective_id", "=", self.objective.id)]
        )
        commitment.action_done()
        _given, open_, done, overdue, _on_time, _late = self._row(self.dep_qa)
        self.assertEqual((open_, done, overdue), (1, 4, 0))

    def test_drill_down_opens_the_commitment(self):
        row = self.env["okr.responsibility.report"].search(
            [("cycle_id", "=", self.cycle.id), ("department_id", "=", self.dep_ops.id)]
        )
        action = row.action_open_commitment()
        commitment = self.env["okr.commitment"].browse(action["res_id"])
        self.assertEqual(commitment.name, "Ops on the day")

    def test_okr_managers_only(self):
        self.env.invalidate_all()
        Report = self.env(user=self.user_lead)["okr.responsibility.report"]
        with self.assertRaises(AccessError):
            Report.search([("cycle_id", "=", self.cycle.id)])
        self.env.invalidate_all()
        Report = self.env(user=self.user_manager)["okr.responsibility.report"]
        self.assertEqual(Report.search_count([("cycle_id", "=", self.cycle.id)]), 6)
