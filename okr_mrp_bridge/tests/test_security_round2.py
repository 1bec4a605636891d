"""Links to key results a planner cannot read stay as they are (issue: trust,
second round): no command of a work order or a manufacturing order removes or
replaces them, and a wizard never shows them."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestBridgeSecurityRound2(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env["mrp.production"].create(
            {"product_id": cls.product.id, "bom_id": cls.bom.id, "product_qty": 4}
        )
        cls.production.action_confirm()
        cls.workorder = cls.production.workorder_ids[0]
        cls.kr_public = cls.env["okr.key.result"].create(
            {
                "name": "Bracket output",
                "objective_id": cls.objective.id,
                "start_value": 0,
                "target_value": 100,
                "workcenter_ids": [Command.set(cls.wc_assembly.ids)],
            }
        )
        private_objective = cls.env["okr.objective"].create(
            {
                "name": "Confidential: close line 2",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_manager.id,
                "visibility": "private",
                "state": "active",
            }
        )
        cls.kr_private = cls.env["okr.key.result"].create(
            {
                "name": "Secret headcount cut",
                "objective_id": private_objective.id,
                "start_value": 0,
                "target_value": 10,
            }
        )
        cls.workorder.key_result_ids = [Command.link(cls.kr_private.id)]
        cls.production.key_result_ids = [Command.link(cls.kr_private.id)]

    def _as_planner(self, record):
        """``record`` in a fresh environment of the planner, as RPC gives."""
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env(user=self.user_planner)[record._name].browse(record.id)

    def test_planner_cannot_unlink_what_he_cannot_read(self):
        for record in (self.workorder, self.production):
            for commands in (
                [Command.unlink(self.kr_private.id)],
                [Command.clear()],
                [Command.set([self.kr_public.id])],
                [Command.set([])],
                [self.kr_public.id],
            ):
                with (
                    self.assertRaisesRegex(AccessError, "allowed to read"),
                    self.env.cr.savepoint(),
                ):
                    self._as_planner(record).write({"key_result_ids": commands})
            self.env.invalidate_all()
            self.assertEqual(record.key_result_ids, self.kr_private)
        self.assertEqual(
            self.kr_private.workorder_ids.production_id
            | self.kr_private.production_ids,
            self.production,
        )

    def test_planner_changes_the_links_he_can_read(self):
        workorder = self._as_planner(self.workorder)
        workorder.write({"key_result_ids": [Command.link(self.kr_public.id)]})
        workorder.write({"key_result_ids": [Command.unlink(self.kr_public.id)]})
        self.env.invalidate_all()
        self.assertEqual(self.workorder.key_result_ids, self.kr_private)

    def test_link_wizard_refuses_unreadable_key_results(self):
        Wizard = self.env(user=self.user_planner)["okr.key.result.link.wizard"]
        before = Wizard.sudo().search_count([])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Wizard.create(
                {
                    "workorder_ids": [Command.set(self.workorder.ids)],
                    "key_result_ids": [Command.set(self.kr_private.ids)],
                }
            )
        self.assertEqual(Wizard.sudo().search_count([]), before)

    def test_manager_sees_no_goal_of_a_private_objective(self):
        """An OKR manager outside the owner's reporting line reads no figure
        of a private objective through the work-center goals (the view leaves
        them out, whatever the record rules)."""
        manager = new_test_user(
            self.env,
            login="okr_manager_elsewhere",
            groups="mrp.group_mrp_user,okr_management.group_okr_manager",
        )
        self.env.flush_all()
        self.env["okr.workcenter.goal"].invalidate_model()
        Goal = self.env(user=manager)["okr.workcenter.goal"]
        key_results = Goal.search([]).key_result_id
        self.assertIn(self.kr_public, key_results)
        self.assertNotIn(self.kr_private, key_results)
