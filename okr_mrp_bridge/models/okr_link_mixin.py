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
                record._check_key_result_links(vals, creating=True)
                record._refresh_linked_key_results(vals, self.env["okr.key.result"])
        return records

    def _check_key_result_links(self, vals, creating=False):
        """A planner links and unlinks only key results they can read, of the
        records' company: every key result whose links a command changes
        (link, unlink, delete, set, clear) counts it or stops counting it.
        Returns the key results linked before the write (to refresh them
        after it), or None when ``vals`` does not touch the links."""
        if "key_result_ids" not in vals:
            return None
        # the links of these records, whatever the planner may read (none
        # before their creation)
        linked_before = (
            self.env["okr.key.result"].sudo()
            if creating
            else self.sudo().key_result_ids
        )
        changed_ids, added_ids = self._get_changed_key_result_ids(
            vals.get("key_result_ids") or [], set(linked_before.ids)
        )
        key_results = self.env["okr.key.result"].browse(changed_ids).exists()
        if key_results and not self.env.su:
            try:
                key_results.check_access("read")
            except AccessError:
                raise AccessError(
                    _(
                        "You can only link and unlink key results you are "
                        "allowed to read."
                    )
                ) from None
        added = self.env["okr.key.result"].browse(added_ids).exists()
        for key_result in added.sudo():
            key_result._check_links_company(self)
        return linked_before

    @api.model
    def _get_changed_key_result_ids(self, commands, linked_ids):
        """``(ids whose link the commands change, ids they link)``: a list
        of ids replaces the links as a set command does."""
        if all(isinstance(command, int) for command in commands):
            commands = [Command.set(commands)]
        changed, added = set(), set()
        for command in commands:
            if isinstance(command, int):
                changed.add(command)
                added.add(command)
                continue
            if command[0] in (Command.LINK, Command.UPDATE):
                changed.add(command[1])
                added.add(command[1])
            elif command[0] in (Command.UNLINK, Command.DELETE):
                changed.add(command[1])
            elif command[0] == Command.CLEAR:
                changed |= linked_ids
            elif command[0] == Command.SET:
                new_ids = set(command[2] or ())
                changed |= (linked_ids - new_ids) | (new_ids - linked_ids)
                added |= new_ids
        return changed, added

    def _refresh_linked_key_results(self, vals, linked_before):
        """Linking or unlinking changes what a key result counts: refresh the
        production-fed key results on both sides now."""
        if linked_before is None:
            return
        key_results = (linked_before | self.sudo().key_result_ids).filtered(
            "is_production_fed"
        )
        key_results.action_refresh_from_source()
