from odoo import fields, models


class OkrCheckInAcknowledge(models.TransientModel):
    """A manager's acknowledgement of check-ins, with a comment for the
    owner."""

    _name = "okr.check.in.acknowledge"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Acknowledge Check-ins"

    check_in_ids = fields.Many2many("okr.check.in", string="Check-ins", readonly=True)
    note = fields.Text(
        string="Comment", help="Sent to the owner with the acknowledgement."
    )

    def action_confirm(self):
        self.ensure_one()
        self.check_in_ids.action_acknowledge(note=self.note or None)
        return {"type": "ir.actions.act_window_close"}
