from datetime import timedelta

from odoo import fields
from odoo.tests import Form, new_test_user

from odoo.addons.okr_management.tests.common import OkrTestCommon


class OkrMrpTestCommon(OkrTestCommon):
    """Real manufacturing around the OKR fixtures: two work centers without a
    working calendar (durations are wall-clock time), a finished product with
    a BoM and a two-step routing, a quality test triggered when production is
    done, and users with and without manufacturing rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Workcenter = cls.env["mrp.workcenter"]
        cls.wc_assembly = Workcenter.create(
            {"name": "WC Assembly Test", "resource_calendar_id": False}
        )
        cls.wc_drill = Workcenter.create(
            {"name": "WC Drill Test", "resource_calendar_id": False}
        )
        Product = cls.env["product.product"]
        cls.component = Product.create({"name": "Steel Plate Test"})
        cls.product = Product.create({"name": "Bracket Test"})
        cls.other_product = Product.create({"name": "Hinge Test"})
        cls.bom = cls._create_bom(cls.product)
        cls.other_bom = cls._create_bom(cls.other_product)

        cls.loss_equipment = cls.env.ref("mrp.block_reason1")
        cls.loss_productive = cls.env.ref("mrp.block_reason7")
        cls.loss_speed = cls.env.ref("mrp.block_reason4")

        cls.qc_test = cls.env["qc.test"].create(
            {
                "name": "Bracket visual check",
                "test_lines": [
                    (
                        0,
                        0,
                        {
                            "name": "Surface",
                            "type": "qualitative",
                            "ql_values": [
                                (0, 0, {"name": "Clean", "ok": True}),
                                (0, 0, {"name": "Scratched", "ok": False}),
                            ],
                        },
                    )
                ],
            }
        )
        cls.qc_trigger = cls.env.ref("quality_control_mrp_oca.qc_trigger_mrp")

        cls.user_planner = new_test_user(
            cls.env,
            login="okr_planner",
            name="Planner",
            groups="mrp.group_mrp_user,okr_management.group_okr_user",
        )
        cls.user_operator = new_test_user(
            cls.env,
            login="mrp_operator",
            name="Line Operator",
            groups="mrp.group_mrp_user",
        )
        cls.emp_planner = cls.env["hr.employee"].create(
            {
                "name": "Planner",
                "user_id": cls.user_planner.id,
                "department_id": cls.dep_prod.id,
                "parent_id": cls.emp_lead.id,
            }
        )
        cls.objective.visibility = "public"

    @classmethod
    def _create_bom(cls, product):
        bom_form = Form(cls.env["mrp.bom"])
        bom_form.product_tmpl_id = product.product_tmpl_id
        bom_form.product_qty = 1.0
        with bom_form.bom_line_ids.new() as line:
            line.product_id = cls.component
            line.product_qty = 1
        with bom_form.operation_ids.new() as operation:
            operation.name = "Assemble"
            operation.workcenter_id = cls.wc_assembly
            operation.time_cycle_manual = 60
        with bom_form.operation_ids.new() as operation:
            operation.name = "Drill"
            operation.workcenter_id = cls.wc_drill
            operation.time_cycle_manual = 30
        return bom_form.save()

    # ------------------------------------------------------------------
    # Manufacturing flows
    # ------------------------------------------------------------------
    def _confirm_production(self, qty=10.0, product=None, deadline=None):
        """A confirmed manufacturing order. With a deadline the order is
        created the way a procurement creates it (deadline in the values)."""
        product = product or self.product
        bom = self.bom if product == self.product else self.other_bom
        if deadline:
            production = self.env["mrp.production"].create(
                {
                    "product_id": product.id,
                    "bom_id": bom.id,
                    "product_qty": qty,
                    "date_deadline": deadline,
                }
            )
        else:
            production_form = Form(self.env["mrp.production"])
            production_form.product_id = product
            production_form.bom_id = bom
            production_form.product_qty = qty
            production = production_form.save()
        production.action_confirm()
        return production

    def _finish_workorders(self, workorders):
        for workorder in workorders:
            workorder.button_start()
            workorder.button_finish()

    def _produce(self, qty=10.0, product=None, deadline=None, mark_done=True):
        """Confirm, run every work order start to finish, mark done."""
        production = self._confirm_production(qty, product, deadline)
        self._finish_workorders(production.workorder_ids)
        if mark_done:
            self.assertIs(production.button_mark_done(), True)
        return production

    def _scrap(self, workorder, qty):
        """Scrap components from a work order, as its Scrap button does."""
        action = workorder.button_scrap()
        scrap_form = Form(self.env["stock.scrap"].with_context(**action["context"]))
        scrap_form.product_id = self.component
        scrap_form.scrap_qty = qty
        scrap = scrap_form.save()
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        return scrap

    def _log_time(self, workcenter, loss, minutes, end_hours_ago=1.0, workorder=None):
        """A closed productivity log, as the time tracking records it."""
        date_end = fields.Datetime.now() - timedelta(hours=end_hours_ago)
        return self.env["mrp.workcenter.productivity"].create(
            {
                "workcenter_id": workcenter.id,
                "workorder_id": workorder.id if workorder else False,
                "loss_id": loss.id,
                "date_start": date_end - timedelta(minutes=minutes),
                "date_end": date_end,
                "description": loss.name,
            }
        )

    def _enable_quality_trigger(self, product=None):
        (product or self.product).qc_triggers = [
            (0, 0, {"trigger": self.qc_trigger.id, "test": self.qc_test.id})
        ]

    def _conclude_inspection(self, inspection, passed):
        """Answer the inspection, confirm it and, when it failed, approve it."""
        for line in inspection.inspection_lines:
            line.qualitative_value = line.possible_ql_values.filtered(
                lambda value: value.ok == passed
            )[:1]
        inspection.action_confirm()
        if not passed:
            self.assertEqual(inspection.state, "waiting")
            inspection.action_approve()
        self.assertEqual(inspection.state, "success" if passed else "failed")

    def _create_key_result(self, source, objective=None, **vals):
        values = {
            "name": f"KR {source}",
            "objective_id": (objective or self.objective).id,
            "source": source,
            "start_value": 0,
            "target_value": 100,
        }
        values.update(vals)
        return self.env["okr.key.result"].create(values)

    def _system_check_ins(self, key_result):
        return key_result.check_in_ids.filtered(
            lambda check_in: check_in.user_id == self.env.ref("base.user_root")
        )
