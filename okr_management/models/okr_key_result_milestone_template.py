import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class OkrKeyResultMilestoneTemplate(models.Model):
    _name = "okr.key.result.milestone.template"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Key Result Milestone Template"
    _order = "key_result_template_id, sequence, deadline_days, id"

    key_result_template_id = fields.Many2one(
        "okr.key.result.template",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(default=1.0, required=True)
    deadline_days = fields.Integer(
        string="Due (days after the cycle start)",
        default=30,
        required=True,
        help="The milestone's deadline in the cycle the template is applied "
        "to: this many days after its start, at the latest its end.",
    )

    @api.constrains("weight", "deadline_days")
    def _check_weight(self):
        for milestone in self:
            if not math.isfinite(milestone.weight) or milestone.weight <= 0:
                raise ValidationError(
                    _(
                        "Milestone template '%(name)s': the Weight must be a "
                        "finite number greater than 0 (got %(weight)s).",
                        name=milestone.name,
                        weight=milestone.weight,
                    )
                )
            if milestone.deadline_days < 0:
                raise ValidationError(
                    _(
                        "Milestone template '%(name)s': Due (days after the cycle "
                        "start) must not be negative (got %(days)s).",
                        name=milestone.name,
                        days=milestone.deadline_days,
                    )
                )

    def _prepare_milestone_vals(self, cycle):
        return [
            {
                "sequence": milestone.sequence,
                "name": milestone.name,
                "weight": milestone.weight,
                "date_deadline": cycle._get_date_after_start(milestone.deadline_days),
            }
            for milestone in self
        ]
