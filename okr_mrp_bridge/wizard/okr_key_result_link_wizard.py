from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class OkrKeyResultLinkWizard(models.TransientModel):
    _name = "okr.key.result.link.wizard"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Link Work Orders to Key Results"

    workorder_ids = fields.Many2many(
        "mrp.workorder", string="Work Orders", required=True
    )
    key_result_ids = fields.Many2many(
        "okr.key.result",
        string="Key Results",
        domain="[('cycle_id.state', '=', 'running')]",
        help="Only the key results you are allowed to read are offered.",
    )

    def action_link(self):
        self.ensure_one()
        if not self.key_result_ids:
            raise UserError(_("Key Results: choose at least one key result to link."))
        self.workorder_ids.write(
            {"key_result_ids": [Command.link(kr.id) for kr in self.key_result_ids]}
        )
        self.key_result_ids.filtered("is_production_fed").action_refresh_from_source()
        return {"type": "ir.actions.act_window_close"}
