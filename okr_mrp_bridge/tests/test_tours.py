"""The planner's path through the bridge, in a real browser (headless
Chromium), as a user with only the manufacturing and OKR user groups."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.okr_management.tests.tour_common import (
    MRP_USER,
    OKR_USER,
    OkrTourCase,
)


@tagged("post_install", "-at_install")
class TestOkrBridgeTours(OkrTourCase):
    def test_planner_links_work_orders(self):
        planner = self._new_user(
            "tour_planner",
            f"{MRP_USER},{OKR_USER}",
            {"department_id": self.dep_production.id},
        )
        self._assert_only_groups(planner, f"{MRP_USER},{OKR_USER}")
        workorders = self._create_tour_workorders()
        yield_kr = self.env.ref("okr_management.kr_production_yield")
        linked_before = yield_kr.workorder_ids

        self.start_tour(
            "/odoo", "okr_planner_link_tour", login=planner.login, timeout=120
        )

        for workorder in workorders:
            self.assertEqual(workorder.key_result_ids, yield_kr)
        self.assertEqual(yield_kr.workorder_ids, linked_before | workorders)
        # linking feeds the key result; it does not let the planner edit it
        with self.assertRaises(AccessError):
            yield_kr.with_user(planner).write({"target_value": 99})

    def _create_tour_workorders(self):
        """A confirmed manufacturing order with two uniquely named operations."""
        workcenter = self.env["mrp.workcenter"].create({"name": "Tour Press"})
        component = self.env["product.product"].create({"name": "Tour Steel Coil"})
        product = self.env["product.product"].create({"name": "Tour Bracket"})
        bom_form = Form(self.env["mrp.bom"])
        bom_form.product_tmpl_id = product.product_tmpl_id
        with bom_form.bom_line_ids.new() as line:
            line.product_id = component
        for name in ("Tour Press Forming", "Tour Press Trimming"):
            with bom_form.operation_ids.new() as operation:
                operation.name = name
                operation.workcenter_id = workcenter
                operation.time_cycle_manual = 10
        bom = bom_form.save()
        production_form = Form(self.env["mrp.production"])
        production_form.product_id = product
        production_form.bom_id = bom
        production = production_form.save()
        production.action_confirm()
        self.assertEqual(len(production.workorder_ids), 2)
        return production.workorder_ids
