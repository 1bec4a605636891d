from odoo import fields, models


class OkrCarryOverLine(models.TransientModel):
    _name = "okr.carry.over.line"
    _description = "Key Result to Carry Over"
    _order = "objective_id, id"

    wizard_id = fields.Many2one("okr.carry.over", required=True, ondelete="cascade")
    key_result_id = fields.Many2one("okr.key.result", required=True, ondelete="cascade")
    objective_id = fields.Many2one(related="key_result_id.objective_id")
    current_value = fields.Float(
        related="key_result_id.current_value", string="Last Value (new start)"
    )
    target_value = fields.Float(related="key_result_id.target_value")
    unit = fields.Char(related="key_result_id.unit")
    progress = fields.Float(related="key_result_id.progress")
    selected = fields.Boolean(string="Carry Over", default=True)
