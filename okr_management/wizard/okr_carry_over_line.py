from odoo import fields, models


class OkrCarryOverLine(models.TransientModel):
    _name = "okr.carry.over.line"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Key Result to Carry Over"
    _order = "objective_id, id"

    wizard_id = fields.Many2one("okr.carry.over", required=True, ondelete="cascade")
    key_result_id = fields.Many2one("okr.key.result", required=True, ondelete="cascade")
    # stored, so the lines sort by objective in SQL; read with the user's
    # rights when the line is created
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", store=True, compute_sudo=False
    )
    current_value = fields.Float(
        related="key_result_id.current_value",
        compute_sudo=False,
        string="Last Value (new start)",
    )
    target_value = fields.Float(
        related="key_result_id.target_value", compute_sudo=False
    )
    unit = fields.Char(related="key_result_id.unit", compute_sudo=False)
    progress = fields.Float(related="key_result_id.progress", compute_sudo=False)
    selected = fields.Boolean(string="Carry Over", default=True)
