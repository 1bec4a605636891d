from odoo import api, fields, models
from odoo.tools import float_repr


class MrpWorkcenter(models.Model):
    _inherit = "mrp.workcenter"

    okr_goal_ids = fields.One2many(
        "okr.workcenter.goal", "workcenter_id", string="Goals", readonly=True
    )
    okr_goal_count = fields.Integer(string="Goals Count", compute="_compute_okr_goals")
    okr_goal_summary = fields.Text(
        string="Goals Summary",
        compute="_compute_okr_goals",
        help="The key results this work center feeds: value, target and status.",
    )

    @api.depends("okr_goal_ids")
    def _compute_okr_goals(self):
        goals = self.env["okr.workcenter.goal"].search(
            [("workcenter_id", "in", self.ids)]
        )
        status_labels = dict(goals._fields["status"]._description_selection(self.env))
        for workcenter in self:
            lines = [
                "{name}: {value} / {target} {unit} · {status}".format(
                    name=goal.name,
                    value=float_repr(goal.current_value, 2),
                    target=float_repr(goal.target_value, 2),
                    unit=goal.unit or "",
                    status=status_labels.get(goal.status, ""),
                )
                for goal in goals
                if goal.workcenter_id == workcenter._origin
            ]
            workcenter.okr_goal_count = len(lines)
            workcenter.okr_goal_summary = "\n".join(lines)
