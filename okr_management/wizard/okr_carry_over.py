from odoo import _, api, fields, models
from odoo.exceptions import UserError

CARRIED_DECISIONS = ("keep", "modify")


class OkrCarryOver(models.TransientModel):
    _name = "okr.carry.over"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Carry Objectives Over to the Next Cycle"

    source_cycle_id = fields.Many2one(
        "okr.cycle",
        string="From Cycle",
        required=True,
        default=lambda self: self._default_source_cycle_id(),
    )
    target_cycle_id = fields.Many2one(
        "okr.cycle",
        string="To Cycle",
        required=True,
        domain="[('state', '!=', 'closed'), ('id', '!=', source_cycle_id)]",
    )
    line_ids = fields.One2many(
        "okr.carry.over.line",
        "wizard_id",
        string="Key Results",
        compute="_compute_line_ids",
        # only the key results the manager may read
        compute_sudo=False,
        store=True,
        readonly=False,
    )
    objective_ids = fields.Many2many(
        "okr.objective",
        string="Objectives to Carry Over",
        compute="_compute_objective_ids",
        help="The objectives of the cycle whose retrospective decision is Keep "
        "or Modify.",
    )

    @api.model
    def _default_source_cycle_id(self):
        if self.env.context.get("active_model") == "okr.cycle":
            return self.env.context.get("active_id")
        return False

    @api.depends("source_cycle_id")
    def _compute_objective_ids(self):
        for wizard in self:
            wizard.objective_ids = wizard._get_carried_objectives()

    @api.depends("source_cycle_id")
    def _compute_line_ids(self):
        for wizard in self:
            key_results = wizard._get_carried_objectives().key_result_ids
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {"key_result_id": key_result.id, "selected": True}
                )
                for key_result in key_results
            ]

    def _get_carried_objectives(self):
        self.ensure_one()
        return self.source_cycle_id.objective_ids.filtered(
            lambda objective: (
                objective.retro_decision in CARRIED_DECISIONS
                and objective.state != "cancelled"
            )
        )

    def action_carry_over(self):
        """Copy the kept objectives to the target cycle, with the key results
        ticked: their last value becomes the new start value, no check-in is
        copied, the copies start in draft and remember their origin."""
        self.ensure_one()
        target = self.target_cycle_id
        if target.state == "closed" or target == self.source_cycle_id:
            raise UserError(
                _(
                    "To Cycle: choose an open cycle other than '%(cycle)s'.",
                    cycle=self.source_cycle_id.name,
                )
            )
        objectives = self._get_carried_objectives()
        if not objectives:
            raise UserError(
                _(
                    "No objective of cycle '%(cycle)s' has the retrospective "
                    "decision Keep or Modify: nothing to carry over.",
                    cycle=self.source_cycle_id.name,
                )
            )
        key_results = self.line_ids.filtered("selected").key_result_id
        for key_result in key_results:
            if key_result.direction != "maintain" and key_result.progress >= 1.0:
                raise UserError(
                    _(
                        "Key result '%(kr)s' already reached its target "
                        "(%(value)s): its last value cannot be the start of a "
                        "new target. Untick it, or add a new key result to the "
                        "copy.",
                        kr=key_result.name,
                        value=key_result.current_value,
                    )
                )
        copies = self.env["okr.objective"]
        copy_by_origin = {}
        # parents first, so a carried child aligns to the carried parent
        for objective in objectives.sorted(lambda o: (o.parent_path or "").count("/")):
            parent = objective.parent_id
            parent_key_result = objective.parent_key_result_id
            if parent in copy_by_origin:
                parent, parent_key_result = copy_by_origin[parent], False
            elif parent and not self._encloses(parent.cycle_id, target):
                parent, parent_key_result = False, False
            new_objective = objective.copy(
                {
                    "cycle_id": target.id,
                    "state": "draft",
                    "parent_id": parent.id if parent else False,
                    "parent_key_result_id": parent_key_result.id
                    if parent_key_result
                    else False,
                }
            )
            copy_by_origin[objective] = new_objective
            copies |= new_objective
            # fields of other modules' data sources may be restricted to their
            # groups: the user's right is checked on the new objective, the
            # key results are then copied whole
            new_objective.check_access("write")
            # the link to the previous cycle is the carry-over's to set
            new_objective.sudo().carried_from_id = objective
            for key_result in objective.key_result_ids & key_results:
                # deadline and milestones move with the cycle; the last value
                # is the new start
                key_result.sudo().copy(
                    {
                        "objective_id": new_objective.id,
                        **self._prepare_carried_key_result_vals(key_result, target),
                    }
                )
        for objective, new_objective in copy_by_origin.items():
            objective.message_post(
                body=_(
                    "Carried over to cycle '%(cycle)s' as '%(objective)s'.",
                    cycle=target.name,
                    objective=new_objective.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Carried Over Objectives"),
            "res_model": "okr.objective",
            "view_mode": "list,form",
            "domain": [("id", "in", copies.ids)],
            "context": {"create": False},
        }

    @api.model
    def _encloses(self, cycle, inner):
        return cycle == inner or (
            cycle.date_start <= inner.date_start and cycle.date_end >= inner.date_end
        )

    @api.model
    def _prepare_carried_key_result_vals(self, key_result, target_cycle):
        """Values of the copy of ``key_result`` in ``target_cycle``: its
        deadline and milestones moved by the gap between the cycle starts and
        kept inside the cycle, the milestones open again; its last value the
        new start."""
        shift = target_cycle.date_start - key_result.cycle_id.date_start
        vals = {}
        if key_result.deadline:
            vals["deadline"] = min(
                max(key_result.deadline + shift, target_cycle.date_start),
                target_cycle.date_end,
            )
        if key_result.metric_type == "milestone":
            vals["milestone_ids"] = [
                fields.Command.create(milestone_vals)
                for milestone_vals in key_result.milestone_ids._prepare_copy_vals(
                    shift, target_cycle
                )
            ]
        else:
            vals["start_value"] = key_result.current_value
        return vals
