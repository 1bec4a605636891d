from odoo import fields, models


class MrpWorkorder(models.Model):
    _name = "mrp.workorder"
    _inherit = ["mrp.workorder", "okr.key.result.link.mixin"]

    key_result_ids = fields.Many2many(
        "okr.key.result",
        "okr_key_result_mrp_workorder_rel",
        "workorder_id",
        "key_result_id",
        string="Key Results",
        groups="okr_management.group_okr_user",
        help="The key results this work order feeds.",
    )

    def write(self, vals):
        self._check_key_result_links(vals)
        done_before = self.filtered(lambda wo: wo.state == "done")
        res = super().write(vals)
        if vals.get("state") == "done":
            finished = self - done_before
            if finished:
                self.env["okr.key.result"]._refresh_affected(workorders=finished)
        return res

    def action_link_key_results(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "okr_mrp_bridge.okr_key_result_link_wizard_action"
        )
        action["context"] = {"default_workorder_ids": self.ids}
        return action
