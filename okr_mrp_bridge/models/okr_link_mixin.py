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
        records._check_created_key_result_links(vals_list)
        return records

    def _check_created_key_result_links(self, vals_list):
        """The links given to the created records (``vals_list`` in their
        order), checked and refreshed as :meth:`_check_key_result_links` does
        for a write, for every record at once: a fixed number of queries
        whatever the number of records."""
        added_by_record = {}
        changed_ids = set()
        for record, vals in zip(self, vals_list, strict=True):
            if "key_result_ids" in vals:
                changed, added = self._get_changed_key_result_ids(
                    vals["key_result_ids"] or [], set()
                )
                changed_ids |= changed
                added_by_record[record.id] = added
        if not added_by_record:
            return
        # on creation every added key result is a changed one: readable
        self._check_key_results_readable(changed_ids)
        added = self.env["okr.key.result"].browse(
            set().union(*added_by_record.values())
        )
        for key_result in added.exists():
            key_result._check_links_company(
                self.browse(
                    record_id
                    for record_id, added_ids in added_by_record.items()
                    if key_result.id in added_ids
                )
            )
        self.browse(added_by_record)._refresh_linked_key_results(
            {"key_result_ids": True}, self.env["okr.key.result"]
        )

    def _check_key_result_links(self, vals):
        """A planner links and unlinks only key results they can read, of the
        records' company: every key result whose links a command changes
        (link, unlink, delete, set, clear) counts it or stops counting it.
        Returns the key results linked before the write (to refresh them
        after it), or None when ``vals`` does not touch the links."""
        if "key_result_ids" not in vals:
            return None
        # the links of these records, whatever the planner may read
        linked_before = self.sudo().key_result_ids
        changed_ids, added_ids = self._get_changed_key_result_ids(
            vals.get("key_result_ids") or [], set(linked_before.ids)
        )
        self._check_key_results_readable(changed_ids)
        added = self.env["okr.key.result"].browse(added_ids).exists()
        # a set command also names the links it keeps, which the planner may
        # not read: their company is checked all the same
        for key_result in added.sudo():
            key_result._check_links_company(self)
        return linked_before

    def _check_key_results_readable(self, key_result_ids):
        """Refuse to change the links of key results the user may not read."""
        key_results = self.env["okr.key.result"].browse(key_result_ids).exists()
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
        # both sides refresh, also the key results the planner may not read
        # (their figures change all the same)
        key_results = (linked_before | self.sudo().key_result_ids).filtered(
            "is_production_fed"
        )
        key_results.action_refresh_from_source()
