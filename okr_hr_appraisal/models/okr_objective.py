from odoo import models

MEMBERSHIP_FIELDS = {"cycle_id", "state"}


class OkrObjective(models.Model):
    _inherit = "okr.objective"

    def write(self, vals):
        res = super().write(vals)
        if MEMBERSHIP_FIELDS & set(vals):
            self.env["hr.appraisal"]._okr_sync_for_employees(
                # every key result's owner, also those the writer may not read
                self.sudo().key_result_ids.owner_id
            )
        return res
