from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.fields import Command


class OkrKeyResultLinkMixin(models.AbstractModel):
    """Shared by the records planners link to key results."""

    _name = "okr.key.result.link.mixin"
    _description = "Link to OKR Key Results"

    @api.model_create_multi
    def create(self, vals_list):
        """Links given at creation are checked as links given later are."""
        records = super().create(vals_list)
        for record, vals in zip(records, vals_list, strict=True):
            if "key_result_ids" in vals:
                record._check_key_result_links(vals)
                record._refresh_linked_key_results(vals, self.env["okr.key.result"])
        return records

    def _check_key_result_links(self, vals):
        """A planner links only key results they can read, of the records'
        company. Returns the key results linked before the write (to refresh
        them after it), or None when ``vals`` does not touch the links."""
        if "key_result_ids" not in vals:
            return None
        commands = vals.get("key_result_ids") or []
        ids = set()
        for command in commands:
            if isinstance(command, int):
                ids.add(command)
            elif command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2])
        key_results = self.env["okr.key.result"].browse(ids).exists()
        if key_results and not self.env.su:
            try:
                key_results.check_access("read")
            except AccessError:
                raise AccessError(
                    _("You can only link key results you are allowed to read.")
                ) from None
        for key_result in key_results.sudo():
            key_result._check_links_company(self)
        return self.sudo().key_result_ids

    def _refresh_linked_key_results(self, vals, linked_before):
        """Linking or unlinking changes what a key result counts: refresh the
        production-fed key results on both sides now."""
        if linked_before is None:
            return
        key_results = (linked_before | self.sudo().key_result_ids).filtered(
            "is_production_fed"
        )
        key_results.action_refresh_from_source()
