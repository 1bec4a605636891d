from odoo import models


class OkrCycle(models.Model):
    _inherit = "okr.cycle"

    def write(self, vals):
        res = super().write(vals)
        if {"date_start", "date_end"} & set(vals):
            # the period of their figures moved: every key result of the
            # cycle refreshes, also those the manager may not read
            self.env["okr.key.result"].sudo().search(
                [("cycle_id", "in", self.ids)]
            ).filtered("is_production_fed").action_refresh_from_source()
        return res
