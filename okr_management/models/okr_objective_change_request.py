from odoo import _, models
from odoo.exceptions import UserError


class OkrObjective(models.Model):
    """An objective of a running cycle keeps its key results in that cycle:
    moving it to a draft cycle would free their figures from the change
    requests (see okr_key_result_change_request.py)."""

    _inherit = "okr.objective"

    def write(self, vals):
        # cancelling or archiving takes the key results out of the figures
        # (and of the appraisal reference) as deleting them would
        if not self.env.su and (
            vals.get("state") in ("cancelled", "draft") or vals.get("active") is False
        ):
            withdrawn = self.filtered(
                lambda objective: (
                    objective.cycle_id.state == "running"
                    and (
                        objective.state != vals.get("state", objective.state)
                        or (vals.get("active") is False and objective.active)
                    )
                    # archived key results went through their requests already
                    and objective.with_context(active_test=True).key_result_ids
                )
            )
            if withdrawn:
                withdrawn.check_access("write")
                raise UserError(
                    _(
                        "Objective '%(objective)s' has key results in the running "
                        "cycle '%(cycle)s': request their deletion (Request "
                        "Change on each key result) before it is cancelled or "
                        "archived.",
                        objective=withdrawn[0].name,
                        cycle=withdrawn[0].cycle_id.name,
                    )
                )
        if not self.env.su and vals.get("cycle_id"):
            moved = self.filtered(
                lambda objective: (
                    objective.cycle_id.state == "running"
                    and objective.cycle_id.id != vals["cycle_id"]
                    and objective.with_context(active_test=False).key_result_ids
                )
            )
            if moved:
                # who may not change the objective at all hears that first
                moved.check_access("write")
                raise UserError(
                    _(
                        "Objective '%(objective)s' has key results in the running "
                        "cycle '%(cycle)s': it stays in that cycle (its key "
                        "results change through change requests).",
                        objective=moved[0].name,
                        cycle=moved[0].cycle_id.name,
                    )
                )
        return super().write(vals)
