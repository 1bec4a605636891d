from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "okr.key.result.link.mixin"]

    key_result_ids = fields.Many2many(
        "okr.key.result",
        "okr_key_result_mrp_production_rel",
        "production_id",
        "key_result_id",
        string="Key Results",
        groups="okr_management.group_okr_user",
        help="The key results this manufacturing order feeds.",
    )

    def write(self, vals):
        self._check_key_result_links(vals)
        done_before = self.filtered(lambda mo: mo.state == "done")
        res = super().write(vals)
        if vals.get("state") == "done":
            done = self - done_before
            if done:
                self.env["okr.key.result"]._refresh_affected(
                    productions=done,
                    workcenters=done.workorder_ids.workcenter_id,
                    sources=["mrp_on_time_rate", "mrp_lead_time_days"],
                )
        return res

    @api.model
    def _okr_demo_run_factory_quarter(self):
        """Demo data only: real production on the lines that feed the demo key
        results, so that they move by themselves: orders finished (two with
        scrap), one still in progress, an equipment failure on the press, and
        inspections passed and failed."""
        ref = self.env.ref
        product = ref("okr_mrp_bridge.demo_product_gear_housing")
        blank = ref("okr_mrp_bridge.demo_product_gear_blank")
        product.qc_triggers = [
            Command.create(
                {
                    "trigger": ref("quality_control_mrp_oca.qc_trigger_mrp").id,
                    "test": ref("okr_mrp_bridge.demo_qc_test_housing").id,
                }
            )
        ]
        productions = self.create(
            [
                {
                    "product_id": product.id,
                    "bom_id": ref("okr_mrp_bridge.demo_bom_gear_housing").id,
                    "product_qty": qty,
                }
                for qty in (20, 30, 25, 12)
            ]
        )
        productions.action_confirm()
        ref("okr_management.kr_production_yield").workorder_ids = [
            Command.link(workorder.id) for workorder in productions.workorder_ids
        ]
        finished, in_progress = productions[:3], productions[3]
        for index, production in enumerate(finished):
            for workorder in production.workorder_ids:
                workorder.button_start()
                workorder.button_finish()
            if index != 1:
                workorder = production.workorder_ids[0]
                scrap_context = workorder.button_scrap()["context"]
                self.env["stock.scrap"].with_context(**scrap_context).create(
                    {"product_id": blank.id, "scrap_qty": 1 + index}
                ).action_validate()
            production.with_context(
                skip_consumption=True, skip_backorder=True
            ).button_mark_done()
        in_progress.workorder_ids[:1].button_start()
        # the press broke down two working days ago, in the morning shift
        # (Odoo counts a loss's duration within the working hours only)
        failure_day = fields.Date.today() - timedelta(days=2)
        while failure_day.weekday() >= 5:
            failure_day -= timedelta(days=1)
        failure_end = datetime.combine(failure_day, time(11, 0))
        self.env["mrp.workcenter.productivity"].create(
            {
                "workcenter_id": ref("mrp.mrp_workcenter_3").id,
                "loss_id": ref("mrp.block_reason1").id,
                "date_start": failure_end - timedelta(minutes=95),
                "date_end": failure_end,
                "description": "Hydraulic leak on the press",
            }
        )
        inspections = self.env["qc.inspection"].search(
            [("production_id", "in", finished.ids)], order="id"
        )
        for index, inspection in enumerate(inspections):
            passed = index != 1
            for line in inspection.inspection_lines:
                line.qualitative_value = line.possible_ql_values.filtered(
                    lambda value, passed=passed: value.ok == passed
                )[:1]
            inspection.action_confirm()
            if inspection.state == "waiting":
                inspection.action_approve()
        return True
