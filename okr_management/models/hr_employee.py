from odoo import api, models

# What the OKR record rules read of the org chart (res.users._okr_*_ids).
ORG_CHART_FIELDS = frozenset({"parent_id", "user_id", "department_id", "active"})


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        employees._okr_reporting_lines_changed(ORG_CHART_FIELDS)
        return employees

    def write(self, vals):
        result = super().write(vals)
        if ORG_CHART_FIELDS & set(vals):
            self._okr_reporting_lines_changed(ORG_CHART_FIELDS & set(vals))
        return result

    def _okr_reporting_lines_changed(self, field_names):
        """The OKR rules' reporting lines are cached per user: clear them.
        The change is written first, so that a database constraint it breaks
        raises here, as it would without the cache, and not later while a
        rule's domain is evaluated."""
        self.flush_recordset(list(field_names))
        self.env.registry.clear_cache()

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # the OKR rules' reporting lines
        return result
