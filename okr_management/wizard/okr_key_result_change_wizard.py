from odoo import api, fields, models

from ..models.okr_key_result_change import (
    CHANGE_REQUEST_FIELDS,
    DIRECTION_SELECTION,
    MAINTAIN_MODE_SELECTION,
)


class OkrKeyResultChangeWizard(models.TransientModel):
    """The form of a change request: the key result's figures as they are,
    to edit, and the reason; confirming asks for the changed ones only."""

    _name = "okr.key.result.change.wizard"
    # shows only a key result its user may read, and belongs to that user
    _inherit = ["okr.system.fields.mixin"]
    _description = "Request a Change of a Key Result"

    key_result_id = fields.Many2one("okr.key.result", required=True, readonly=True)
    metric_type = fields.Selection(related="key_result_id.metric_type")
    is_deletion = fields.Boolean(
        string="Delete the Key Result",
        help="Ask to delete the key result (archived if it has check-ins).",
    )
    target_value = fields.Float()
    start_value = fields.Float()
    weight = fields.Float()
    direction = fields.Selection(DIRECTION_SELECTION)
    maintain_mode = fields.Selection(MAINTAIN_MODE_SELECTION, string="Guardrail")
    deadline = fields.Date()
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        key_result = self.env["okr.key.result"].browse(values.get("key_result_id"))
        if key_result.exists():
            for name in CHANGE_REQUEST_FIELDS:
                if name in fields_list:
                    values[name] = key_result._fields[name].convert_to_write(
                        key_result[name], key_result
                    )
        return values

    def action_confirm(self):
        self.ensure_one()
        key_result = self.key_result_id
        if self.is_deletion:
            vals = {"delete": True}
        else:
            vals = {
                name: self[name]
                for name in CHANGE_REQUEST_FIELDS
                if key_result._change_request_differs(name, self[name])
            }
        key_result.action_request_change(vals, self.reason)
        return {"type": "ir.actions.act_window_close"}
