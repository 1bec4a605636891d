from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class OkrTeamCheckInLine(models.TransientModel):
    _name = "okr.team.check.in.line"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Team Check-in Line"
    _order = "id"

    wizard_id = fields.Many2one("okr.team.check.in", required=True, ondelete="cascade")
    key_result_id = fields.Many2one("okr.key.result", required=True, readonly=True)
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", compute_sudo=False
    )
    owner_id = fields.Many2one(related="key_result_id.owner_id", compute_sudo=False)
    unit = fields.Char(related="key_result_id.unit", compute_sudo=False)
    metric_type = fields.Selection(
        related="key_result_id.metric_type", compute_sudo=False
    )
    current_done = fields.Boolean(string="Done Now", readonly=True)
    new_done = fields.Boolean(
        string="Done",
        help="For a Done / Not Done key result: tick when it is done.",
    )
    target_value = fields.Float(
        related="key_result_id.target_value", compute_sudo=False
    )
    status = fields.Selection(related="key_result_id.status", compute_sudo=False)
    current_value = fields.Float(readonly=True)
    current_confidence = fields.Integer(readonly=True)
    new_value = fields.Float()
    confidence = fields.Integer(help="From 0 (no chance) to 10 (certain).")
    note = fields.Char()
    current_display = fields.Char(
        string="Now",
        compute="_compute_value_displays",
        help="The current value with its unit.",
    )
    target_display = fields.Char(
        string="Target",
        compute="_compute_value_displays",
        help="The target with its unit.",
    )

    @api.depends("key_result_id", "current_value", "target_value", "unit")
    def _compute_value_displays(self):
        for line in self:
            key_result = line.key_result_id
            if not key_result:
                line.current_display = line.target_display = False
                continue
            line.current_display = key_result._format_value(line.current_value)
            line.target_display = key_result._format_value(line.target_value)

    def _get_new_value(self):
        """What the line checks in: done / not done, or the typed number."""
        self.ensure_one()
        if self.metric_type == "boolean":
            return self.new_done
        return self.new_value

    @api.constrains("confidence")
    def _check_confidence(self):
        for line in self:
            if not 0 <= line.confidence <= 10:
                raise ValidationError(
                    _(
                        "Confidence of '%(kr)s' must lie between 0 and 10 "
                        "(got %(confidence)s).",
                        kr=line.key_result_id.name,
                        confidence=line.confidence,
                    )
                )
