from odoo import models


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        """Users added to an OKR group from the group get the onboarding
        tour, as when the group is given from the user."""
        if "users" not in vals and "implied_ids" not in vals:
            return super().write(vals)
        Users = self.env["res.users"]
        before = Users._okr_users_snapshot()
        result = super().write(vals)
        Users._okr_enable_onboarding(before)
        return result
