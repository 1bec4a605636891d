from odoo import _, api, models
from odoo.exceptions import AccessError


class OkrObjective(models.Model):
    """Aligning an objective links it to what it contributes to: the parent
    shows its name on the form, and a parent key result fed by its aligned
    objectives takes its figure from them. Only to what the user may read."""

    _inherit = "okr.objective"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_alignment_readable(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_alignment_readable(vals)
        return super().write(vals)

    @api.model
    def _check_alignment_readable(self, vals):
        """Refuse aligning to an objective or key result the caller may not
        read: its name would show through the link, and an aligned key
        result would take its figure from the caller's objective."""
        if self.env.su:
            return
        parents = self.browse(vals.get("parent_id") or ()).exists()
        parent_key_results = (
            self.env["okr.key.result"]
            .browse(vals.get("parent_key_result_id") or ())
            .exists()
        )
        if not (parents.has_access("read") and parent_key_results.has_access("read")):
            raise AccessError(
                _(
                    "Aligned To: you can only align an objective to objectives "
                    "and key results you are allowed to read."
                )
            )
