from odoo import api, models

MEMBERSHIP_FIELDS = {"owner_id", "objective_id"}


class OkrKeyResult(models.Model):
    _inherit = "okr.key.result"

    @api.model_create_multi
    def create(self, vals_list):
        key_results = super().create(vals_list)
        self.env["hr.appraisal"]._okr_sync_for_employees(key_results.owner_id)
        return key_results

    def write(self, vals):
        if not MEMBERSHIP_FIELDS & set(vals):
            return super().write(vals)
        owners = self.owner_id
        res = super().write(vals)
        self.env["hr.appraisal"]._okr_sync_for_employees(owners | self.owner_id)
        return res

    def unlink(self):
        owners = self.owner_id
        res = super().unlink()
        self.env["hr.appraisal"]._okr_sync_for_employees(owners)
        return res
