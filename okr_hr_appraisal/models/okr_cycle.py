from odoo import models

MEMBERSHIP_FIELDS = {"date_start", "date_end", "state"}


class OkrCycle(models.Model):
    _inherit = "okr.cycle"

    def write(self, vals):
        res = super().write(vals)
        if MEMBERSHIP_FIELDS & set(vals):
            # the owners of every key result of the cycle, also those the
            # manager who changed it may not read
            key_results = (
                self.env["okr.key.result"].sudo().search([("cycle_id", "in", self.ids)])
            )
            self.env["hr.appraisal"]._okr_sync_for_employees(key_results.owner_id)
        return res
