from odoo import _, models
from odoo.exceptions import AccessError
from odoo.fields import Command


class OkrKeyResultLinkMixin(models.AbstractModel):
    """Shared by the records planners link to key results."""

    _name = "okr.key.result.link.mixin"
    _description = "Link to OKR Key Results"

    def _check_key_result_links(self, vals):
        """A planner links only key results they can read."""
        commands = vals.get("key_result_ids") or []
        ids = set()
        for command in commands:
            if isinstance(command, int):
                ids.add(command)
            elif command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2])
        if not ids or self.env.su:
            return
        key_results = self.env["okr.key.result"].browse(ids).exists()
        try:
            key_results.check_access("read")
        except AccessError:
            raise AccessError(
                _("You can only link key results you are allowed to read.")
            ) from None
