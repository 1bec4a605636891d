from odoo.tests import Form

from .common import OkrTestCommon


class TestOkrAlignment(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Objective = cls.env["okr.objective"]
        cls.company_objective = Objective.create(
            {
                "name": "Deliver 20% more",
                "cycle_id": cls.cycle.id,
                "level": "company",
                "owner_id": cls.emp_manager.id,
            }
        )
        cls.aligned = Objective.create(
            {
                "name": "Line 2 capacity",
                "cycle_id": cls.cycle.id,
                "level": "department",
                "owner_id": cls.emp_lead.id,
                "parent_id": cls.company_objective.id,
            }
        )
        cls.aligned_team = Objective.create(
            {
                "name": "Changeover crew",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_worker.id,
                "parent_id": cls.aligned.id,
            }
        )
        cls.unaligned_team = Objective.create(
            {
                "name": "Tidy workshop",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_worker.id,
            }
        )

    def test_alignment_rate_per_department(self):
        """Production: the fixture objective and 'Tidy workshop' are not
        aligned, the two others lead up to the company objective."""
        rates = self.env["hr.department"]._okr_alignment_rates()
        self.assertAlmostEqual(rates[self.dep_prod.id], 0.5)
        self.assertAlmostEqual(rates[self.dep_ops.id], 1.0)
        self.assertNotIn(self.dep_qa.id, rates, "no objective, no rate")
        departments = (self.dep_prod | self.dep_qa).with_user(self.user_lead)
        self.assertAlmostEqual(departments[0].okr_alignment_rate, 0.5)
        self.assertEqual(departments[0].okr_objective_count, 4)
        self.assertEqual(departments[1].okr_alignment_rate, 0.0)

    def test_alignment_rate_follows_the_chain(self):
        self.unaligned_team.parent_id = self.aligned_team
        self.assertTrue(self.unaligned_team.is_aligned_to_company)
        rates = self.dep_prod._okr_alignment_rates()
        self.assertEqual(rates, {self.dep_prod.id: 0.75})
        self.aligned.parent_id = False
        rates = self.dep_prod._okr_alignment_rates()
        self.assertAlmostEqual(rates[self.dep_prod.id], 0.0)

    def test_alignment_rate_cycles_and_cancelled(self):
        self.unaligned_team.action_cancel()
        self.assertAlmostEqual(
            self.env["hr.department"]._okr_alignment_rates()[self.dep_prod.id], 2 / 3
        )
        draft_cycle = self.cycle.copy({"name": "Draft quarter"})
        self.assertEqual(draft_cycle.state, "draft")
        self.env["okr.objective"].create(
            {
                "name": "Next quarter idea",
                "cycle_id": draft_cycle.id,
                "level": "team",
                "owner_id": self.emp_worker.id,
            }
        )
        rates = self.env["hr.department"]._okr_alignment_rates()
        self.assertAlmostEqual(rates[self.dep_prod.id], 2 / 3, "draft cycle left out")
        rates = self.env["hr.department"]._okr_alignment_rates(
            cycle_ids=draft_cycle.ids
        )
        self.assertEqual(rates, {self.dep_prod.id: 0.0})

    def test_unaligned_flag_when_required(self):
        self.assertFalse(self.unaligned_team.is_unaligned, "not required by default")
        settings = self.env["res.config.settings"].create({})
        settings.okr_require_alignment = True
        settings.execute()
        objectives = (
            self.env["okr.objective"]
            .with_user(self.user_worker)
            .search([("is_unaligned", "=", True)])
        )
        self.assertIn(self.unaligned_team, objectives)
        self.assertNotIn(self.aligned_team, objectives)
        self.assertNotIn(self.company_objective, objectives)

    def test_form_shows_parent_and_children(self):
        form = Form(self.aligned.with_user(self.user_lead))
        self.assertEqual(form.parent_id, self.company_objective)
        self.assertEqual(len(form.child_ids), 1)
        self.assertEqual(
            self.aligned.with_user(self.user_lead).child_ids, self.aligned_team
        )

    def test_hierarchy_read_from_company_down(self):
        """What the alignment tree loads: the roots, then the children of the
        node the user expands."""
        Objective = self.env["okr.objective"].with_user(self.user_manager)
        view = self.env.ref("okr_management.okr_objective_view_hierarchy")
        self.assertIn('parent_field="parent_id"', view.arch)
        roots = Objective.hierarchy_read(
            [("parent_id", "=", False), ("cycle_id", "=", self.cycle.id)],
            ["name", "status", "progress", "owner_id", "child_ids"],
            "parent_id",
            "child_ids",
        )
        root = next(row for row in roots if row["id"] == self.company_objective.id)
        self.assertEqual(root["child_ids"], [self.aligned.id])
        expanded = Objective.hierarchy_read(
            [("id", "=", self.aligned.id)],
            ["name", "child_ids"],
            "parent_id",
            "child_ids",
        )
        self.assertEqual(
            {row["id"] for row in expanded},
            {self.company_objective.id, self.aligned.id, self.aligned_team.id},
        )
