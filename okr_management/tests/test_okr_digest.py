from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrDigest(OkrTestCommon):
    """The OKR figures of Odoo's periodic digest, computed as each recipient:
    two readers of the same digest see the figures of what they may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only this test's cycle runs: the demo's figures stay out of the counts
        cls.env.cr.execute(
            "UPDATE okr_cycle SET state = 'closed' WHERE id != %s", [cls.cycle.id]
        )
        cls.env.invalidate_all()
        # the line's objective is read by its department only
        cls.objective.visibility = "department"
        cls.kr_scrap = cls.env["okr.key.result"].create(
            {
                "name": "Scrap 5 to 2",
                "objective_id": cls.objective.id,
                "owner_id": cls.emp_worker.id,
                "direction": "decrease",
                "start_value": 5,
                "target_value": 2,
                "unit": "%",
            }
        )
        # the operator's last check-in is 10 days old (the delay is 7 days)
        cls.kr_scrap.with_user(cls.user_worker).action_check_in(
            5, date=cls.today - timedelta(days=10)
        )
        cls.env["okr.commitment"].create(
            {
                "name": "New fixture",
                "objective_id": cls.objective.id,
                "department_id": cls.dep_prod.id,
                "user_id": cls.user_lead.id,
                "date_deadline": cls.today - timedelta(days=3),
            }
        )
        cls.digest = cls.env["digest.digest"].create(
            {
                "name": "Weekly Test Digest",
                "kpi_okr_check_in_rate": True,
                "kpi_okr_off_track": True,
                "kpi_okr_no_check_in": True,
                "kpi_okr_overdue_commitments": True,
                "kpi_okr_to_acknowledge": True,
            }
        )

    def _figures(self, user):
        """The digest's first column (the last 24 hours) as ``user`` reads it."""
        self.env.invalidate_all()
        kpis = self.digest._compute_kpis(self.company, user)
        return {kpi["kpi_name"]: kpi["kpi_col1"]["value"] for kpi in kpis}

    def test_two_readers_two_sets_of_figures(self):
        self.assertEqual(
            self._figures(self.user_lead),
            {
                # two running key results, one checked in today
                "kpi_okr_check_in_rate": 50,
                "kpi_okr_off_track": 2,
                "kpi_okr_no_check_in": 1,
                "kpi_okr_overdue_commitments": 1,
                "kpi_okr_to_acknowledge": 1,
            },
        )
        # the QA engineer reads nothing of the line's department objective
        self.assertEqual(
            self._figures(self.user_qa),
            {
                "kpi_okr_check_in_rate": 0,
                "kpi_okr_off_track": 0,
                "kpi_okr_no_check_in": 0,
                "kpi_okr_overdue_commitments": 0,
                "kpi_okr_to_acknowledge": 0,
            },
        )
        # the operator reads the figures but acknowledges nobody's check-ins
        worker = self._figures(self.user_worker)
        self.assertEqual(worker["kpi_okr_off_track"], 2)
        self.assertEqual(worker["kpi_okr_to_acknowledge"], 0)

    def test_reminder_delay_from_settings(self):
        self.env["ir.config_parameter"].set_param("okr_management.reminder_days", "14")
        self.assertEqual(self._figures(self.user_lead)["kpi_okr_no_check_in"], 0)

    def test_acknowledged_check_in_leaves_the_figure(self):
        self.kr_scrap.check_in_ids.with_user(self.user_lead).action_acknowledge()
        self.assertEqual(self._figures(self.user_lead)["kpi_okr_to_acknowledge"], 0)

    def test_no_okr_figures_without_okr_rights(self):
        clerk = new_test_user(self.env, login="okr_digest_clerk", name="Clerk")
        figures = self._figures(clerk)
        self.assertFalse([name for name in figures if name.startswith("kpi_okr_")])

    def test_chosen_in_the_digest_settings(self):
        self.digest.kpi_okr_off_track = False
        self.assertNotIn("kpi_okr_off_track", self._figures(self.user_lead))
        view = self.env.ref("okr_management.digest_digest_view_form")
        self.assertIn("kpi_okr_to_acknowledge", view.arch)
        actions = self.digest._compute_kpis_actions(self.company, self.user_lead)
        self.assertIn(
            "okr_check_in_action_to_acknowledge", actions["kpi_okr_to_acknowledge"]
        )
