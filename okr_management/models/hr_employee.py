from odoo import api, models

# What the OKR record rules read of the org chart (res.users._okr_*_ids).
ORG_CHART_FIELDS = frozenset({"parent_id", "user_id", "department_id", "active"})


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env.registry.clear_cache()  # the OKR rules' reporting lines
        return employees

    def write(self, vals):
        result = super().write(vals)
        if ORG_CHART_FIELDS & set(vals):
            self.env.registry.clear_cache()  # the OKR rules' reporting lines
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # the OKR rules' reporting lines
        return result
