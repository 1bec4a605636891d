from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestBridgeSecurity(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.env["mrp.production"].create(
            {"product_id": cls.product.id, "bom_id": cls.bom.id, "product_qty": 4}
        )
        cls.production.action_confirm()
        cls.workorders = cls.production.workorder_ids
        cls.kr_public = cls.env["okr.key.result"].create(
            {
                "name": "Bracket output",
                "objective_id": cls.objective.id,
                "source": "mrp_produced_qty",
                "start_value": 0,
                "target_value": 100,
                "workcenter_ids": [Command.set(cls.wc_assembly.ids)],
            }
        )
        cls.private_objective = cls.env["okr.objective"].create(
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
                "objective_id": cls.private_objective.id,
                "start_value": 0,
                "target_value": 10,
                "workcenter_ids": [Command.set(cls.wc_assembly.ids)],
            }
        )
        cls.workorders[0].key_result_ids = [Command.link(cls.kr_private.id)]

    def test_planner_links_readable_key_results_through_the_wizard(self):
        wizard_action = self.workorders.with_user(
            self.user_planner
        ).action_link_key_results()
        wizard_form = Form(
            self.env[wizard_action["res_model"]]
            .with_user(self.user_planner)
            .with_context(**wizard_action["context"])
        )
        wizard_form.key_result_ids.add(self.kr_public)
        wizard_form.save().action_link()
        self.assertEqual(self.kr_public.workorder_ids, self.workorders)
        # the private link made by someone else is kept, and stays invisible
        self.env.invalidate_all()
        self.assertIn(self.kr_private, self.workorders[0].key_result_ids)
        self.env.invalidate_all()
        self.assertEqual(
            self.workorders[0].with_user(self.user_planner).key_result_ids,
            self.kr_public,
        )

    def test_planner_links_a_manufacturing_order_from_its_form(self):
        with Form(self.production.with_user(self.user_planner)) as production_form:
            production_form.key_result_ids.add(self.kr_public)
        self.assertEqual(self.kr_public.production_ids, self.production)
        # explicit links now win over the work-center scope
        self.assertEqual(self.kr_public.workorder_count, 0)
        self._finish_workorders(self.workorders)
        self.kr_public.invalidate_recordset(["workorder_count"])
        self.assertEqual(self.kr_public.workorder_count, 2)
        self.assertEqual(self.kr_public.current_value, 4)

    def test_planner_cannot_link_a_private_key_result(self):
        with self.assertRaises(AccessError):
            self.workorders[1].with_user(self.user_planner).write(
                {"key_result_ids": [Command.link(self.kr_private.id)]}
            )
        with self.assertRaises(AccessError):
            self.production.with_user(self.user_planner).write(
                {"key_result_ids": [Command.set([self.kr_private.id])]}
            )
        with self.assertRaises(AccessError):
            self.kr_private.with_user(self.user_planner).read(["name"])
        self.env.invalidate_all()
        self.assertEqual(
            self.workorders[0]
            .with_user(self.user_planner)
            .read(["key_result_ids"])[0]["key_result_ids"],
            [],
        )

    def test_links_given_at_creation_are_checked(self):
        self.env.cr.execute("SELECT count(*) FROM okr_key_result_mrp_production_rel")
        links = self.env.cr.fetchone()[0]
        # as over RPC, the refused call's transaction is rolled back
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env(user=self.user_planner)["mrp.production"].create(
                {
                    "product_id": self.product.id,
                    "bom_id": self.bom.id,
                    "product_qty": 1,
                    "key_result_ids": [Command.set([self.kr_private.id])],
                }
            )
        self.env.cr.execute("SELECT count(*) FROM okr_key_result_mrp_production_rel")
        self.assertEqual(self.env.cr.fetchone()[0], links)

    def test_refresh_figures_are_not_writable(self):
        key_result = self.env(user=self.user_manager)["okr.key.result"].browse(
            self.kr_public.id
        )
        note = self.kr_public.source_note
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            key_result.write({"source_note": "Computed from 40 finished orders"})
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            key_result.write({"source_refresh_date": "2026-01-01 00:00:00"})
        self.env.invalidate_all()
        self.assertEqual(self.kr_public.source_note, note)

    def test_operator_without_okr_rights_sees_the_goal_not_the_okr(self):
        self._produce(3)
        self.kr_public.action_refresh_from_source()
        workcenter = self.wc_assembly.with_user(self.user_operator)
        goals = workcenter.okr_goal_ids
        self.assertEqual(goals.mapped("name"), ["Bracket output"])
        self.assertEqual(goals.current_value, 3)
        self.assertEqual(goals.status, self.kr_public.status)
        self.assertIn("Bracket output: 3.00 / 100.00", workcenter.okr_goal_summary)
        self.assertNotIn("Secret", workcenter.okr_goal_summary)
        with self.assertRaises(AccessError):
            self.kr_public.with_user(self.user_operator).read(["name"])
        with self.assertRaises(AccessError):
            self.workorders.with_user(self.user_operator).read(["key_result_ids"])

    def test_okr_user_without_mrp_rights_sees_figures_not_records(self):
        self._produce(5)
        kr = self.kr_public.with_user(self.user_lead)
        kr.action_refresh_from_source()
        self.assertEqual(kr.current_value, 5)
        self.assertIn("Finished quantity 5.0", kr.source_note)
        # the counts of manufacturing records are for manufacturing users
        with self.assertRaises(AccessError):
            kr.read(["workorder_count"])
        self.assertEqual(kr.check_in_ids.user_id, self.env.ref("base.user_root"))
        with self.assertRaises(AccessError):
            kr.read(["workorder_ids"])
        with self.assertRaises(AccessError):
            self.env["mrp.workorder"].with_user(self.user_lead).search([])
        with self.assertRaises(AccessError):
            self.kr_private.with_user(self.user_lead).action_refresh_from_source()

    def test_alerts_follow_the_key_result_visibility(self):
        self._log_time(self.wc_assembly, self.loss_equipment, 10)
        Alert = self.env["okr.production.alert"]
        alerts = Alert.search(
            [
                ("cause", "=", "availability_loss"),
                ("key_result_id", "in", (self.kr_public | self.kr_private).ids),
            ]
        )
        self.assertEqual(len(alerts), 2)
        visible = Alert.with_user(self.user_lead).search([("id", "in", alerts.ids)])
        self.assertEqual(visible.key_result_id, self.kr_public)

    def test_forms_open_for_each_side(self):
        """The forms load what each user may read, and nothing more."""
        self._produce(2)
        self.kr_public.action_refresh_from_source()
        kr_form = Form(self.kr_public.with_user(self.user_lead))
        self.assertEqual(kr_form.current_value, 2)
        self.assertIn("Finished quantity", kr_form.source_note)
        self.assertNotIn("workorder_ids", kr_form._view["fields"])
        planner_form = Form(self.kr_public.with_user(self.user_planner))
        self.assertIn("workorder_ids", planner_form._view["fields"])
        wc_form = Form(self.wc_assembly.with_user(self.user_operator))
        self.assertEqual(len(wc_form.okr_goal_ids), 1)
        wo_form = Form(self.workorders[0].with_user(self.user_operator))
        self.assertNotIn("key_result_ids", wo_form._view["fields"])
